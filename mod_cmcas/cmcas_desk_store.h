/* The CMCAS desk's rows: the orders its staff take money for or refund (read for the
 * staff's own CMCAS only: the organiser, who is the payee), and the entries of
 * cmcas_order_payment they record, written inside the change's transaction
 * (cmcas_desk_change.h). */
#ifndef cmcas_desk_store_h
#define cmcas_desk_store_h

#include "cmcas_desk.h"
#include "cmcas_order.h"
#include "cmcas_registration_store.h"

extern const cmcas_store_stmt_t cmcas_desk_store_statements[];

/* Which orders a list shows. */
typedef enum {
    CMCAS_DESK_STORE_TO_CASH,       /* « Paiement en CMCAS » waiting for the money */
    CMCAS_DESK_STORE_TO_REFUND,     /* « Remboursement à effectuer », not refunded */
    CMCAS_DESK_STORE_REFUNDED,      /* refunded, the latest first (at most 50) */
    CMCAS_DESK_STORE_LIST_COUNT
} cmcas_desk_store_list_t;

/* An order as the staff's list shows it. */
typedef struct {
    cmcas_order_t order;            /* without lines */
    const char *household;          /* « Prénom NOM » of the ouvrant droit */
    const char *household_login;
    const char *refund_means;       /* the refund recorded (REFUNDED), or NULL */
    const char *refund_on;          /* its ISO date */
} cmcas_desk_store_row_t;

/* The orders of `cmcas_code` (their payee) in list `which`, oldest first (the refunded:
 * the latest first) (array of cmcas_desk_store_row_t). */
apr_status_t cmcas_desk_store_list(apr_array_header_t **prows, const cmcas_store_t *st,
                                   apr_pool_t *p, const char *cmcas_code,
                                   cmcas_desk_store_list_t which, const char **perr);

/* Within `ch`: writes the entry for `order` (amount in cents, recorded by ch->actor). */
apr_status_t cmcas_desk_store_add(cmcas_registration_store_change_t *ch,
                                  const cmcas_order_t *order, const cmcas_desk_entry_t *e,
                                  apr_int64_t amount);

/* Within `ch`: marks the order « à rembourser » refunded at ch->now; *pdone = 0 when it
 * was not (refunded already, or not to refund). */
apr_status_t cmcas_desk_store_refunded(cmcas_registration_store_change_t *ch,
                                       cmcas_order_t *order, int *pdone);

#endif
