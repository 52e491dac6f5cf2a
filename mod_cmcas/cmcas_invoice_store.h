/* Issuing and reading invoices (« factures ») and credit notes (« avoirs »), schema 16.
 * An invoice is issued inside the transaction that records its order's payment, a credit
 * note inside the one that owes money back; each copies everything its document shows
 * (the seller as its <CMCAS> block says now, the household's billing address, the
 * activity, the order's lines, totals, the payment and its instalments) and never
 * changes afterwards. Numbers: one series per organising CMCAS, kind and year, without
 * gap or duplicate, « BN-2026-00042 » for invoices and « BN-AV-2026-00003 » for credit
 * notes, the counter's row taken by an UPDATE ... RETURNING in the same transaction
 * (locked until the commit; a rollback gives the number back). No httpd types. */
#ifndef cmcas_invoice_store_h
#define cmcas_invoice_store_h

#include "cmcas_invoice.h"
#include "cmcas_order.h"
#include "cmcas_registration_store.h"
#include "cmcas_store.h"

#define CMCAS_INVOICE_STORE_FACTURE "facture"
#define CMCAS_INVOICE_STORE_AVOIR "avoir"

/* Statements of this file, terminated by {NULL, NULL}. */
extern const cmcas_store_stmt_t cmcas_invoice_store_statements[];

/* The number of the `seq`-th document of `kind` of CMCAS `code` in `year`. */
const char *cmcas_invoice_store_number(apr_pool_t *p, const char *code, const char *kind,
                                       int year, apr_int64_t seq);

/* Within `ch` (its registration locked): issues the invoice (kind "facture") of the
 * paid `order`, or its credit note ("avoir"), naming the invoice it cancels when there
 * is one. Once per order and kind: *pnumber gets the existing number, and nothing is
 * written, when it was issued before. `seller` NULL: the order's CMCAS code only (a
 * test's convenience; the glue always passes its <CMCAS> block). */
apr_status_t cmcas_invoice_store_issue(const char **pnumber,
                                       cmcas_registration_store_change_t *ch,
                                       const cmcas_order_t *order, const char *kind,
                                       const cmcas_invoice_seller_t *seller);

/* The document of `kind` of order `reference` of household `household_id`, as issued
 * (APR_NOTFOUND when there is none, or the order is another household's). */
apr_status_t cmcas_invoice_store_get(cmcas_invoice_t **pinv, const cmcas_store_t *st,
                                     apr_pool_t *p, const char *reference,
                                     apr_int64_t household_id, const char *kind,
                                     const char **perr);
/* Every document of that order, in their order of issue (cmcas_invoice_t); empty for
 * another household's. */
apr_status_t cmcas_invoice_store_list(apr_array_header_t **pinvs, const cmcas_store_t *st,
                                      apr_pool_t *p, const char *reference,
                                      apr_int64_t household_id, const char **perr);

#endif
