/* What CMCAS staff record at the desk, each in one transaction under the registration's
 * lock with its audit line: money taken for an order « Paiement en CMCAS » (the order and
 * its registration are paid exactly as by an accepted card payment: cmcas_payment_take),
 * and the refund of an order « Remboursement à effectuer ». Only orders whose payee is the
 * staff member's CMCAS: any other answers NOT_FOUND, like a missing one. No httpd types. */
#ifndef cmcas_desk_change_h
#define cmcas_desk_change_h

#include "cmcas_desk.h"
#include "cmcas_invoice.h"
#include "cmcas_order.h"
#include "cmcas_result.h"
#include "cmcas_staff.h"
#include "cmcas_store.h"

/* Records `e` (a payment or a refund, checked by cmcas_desk_entry_read) for the order
 * `reference`, by `staff` at `now`. *porder: the order as it is after (NULL when not
 * found). DONE; NOT_FOUND; CONFLICT (not waiting for the desk / not to refund, with the
 * French reason); BAD_INPUT (a payment's amount is not the order's total: nothing
 * written); ERROR. A payment issues the order's invoice, `seller` (the staff's
 * <CMCAS> block) frozen into it. */
void cmcas_desk_change_record(cmcas_result_t *res, cmcas_order_t **porder,
                              cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                              const cmcas_staff_t *staff, const char *reference,
                              const cmcas_desk_entry_t *e,
                              const cmcas_invoice_seller_t *seller);

#endif
