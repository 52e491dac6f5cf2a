/* Reading and changing orders in the database. A new order is written inside the
 * registration's locked transaction (cmcas_registration_store_lock), so that one
 * registration never gets two waiting orders. */
#ifndef cmcas_order_store_h
#define cmcas_order_store_h

#include "cmcas_order.h"
#include "cmcas_registration_store.h"

extern const cmcas_store_stmt_t cmcas_order_store_statements[];

/* The columns every order read selects first (o: cmcas_order, a: its activity). */
#define CMCAS_ORDER_STORE_FIELDS \
    "o.id, o.reference, o.registration_id, o.household_id, o.cmcas_code, o.total," \
    " o.method, o.instalments, o.status, o.hold_until, o.created_at, a.id, a.title," \
    " o.refunded_at, o.adjustment," \
    " (SELECT i.number FROM cmcas_invoice i WHERE i.order_id = o.id" \
    "   AND i.kind = 'facture')," \
    " (SELECT i.number FROM cmcas_invoice i WHERE i.order_id = o.id AND i.kind = 'avoir')"
/* How many they are: a read that selects more reads its own from this column on. */
#define CMCAS_ORDER_STORE_NFIELDS 17

/* Reads the columns of CMCAS_ORDER_STORE_FIELDS into a cmcas_order_t (a
 * cmcas_store_reader_t). */
void cmcas_order_store_read(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row);

/* The reference of the order waiting for the registration's payment, or NULL (an
 * adjustment is not one). */
apr_status_t cmcas_order_store_waiting(const char **pref, const cmcas_store_t *st,
                                       apr_pool_t *p, apr_int64_t registration_id,
                                       const char **perr);
/* The reference of an adjustment of the (paid) registration waiting for its payment, or
 * NULL (cmcas_registration_amend.h). */
apr_status_t cmcas_order_store_adjustment_waiting(const char **pref,
                                                  const cmcas_store_t *st, apr_pool_t *p,
                                                  apr_int64_t registration_id,
                                                  const char **perr);
/* The id of the order with this reference (APR_NOTFOUND when none). */
apr_status_t cmcas_order_store_get_id(apr_int64_t *pid, const cmcas_store_t *st,
                                      apr_pool_t *p, const char *reference,
                                      const char **perr);
/* The household's order with this reference, lines included (APR_NOTFOUND otherwise);
 * household_id 0: whoever's (the bank's notifications). */
apr_status_t cmcas_order_store_get(cmcas_order_t **porder, const cmcas_store_t *st,
                                   apr_pool_t *p, const char *reference,
                                   apr_int64_t household_id, const char **perr);
/* The household's orders, newest first, without lines (cmcas_order_t). */
apr_status_t cmcas_order_store_list(apr_array_header_t **porders, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t household_id,
                                    const char **perr);
/* Orders holding places (waiting, or refused) whose hold ended before `now` (ISO 8601 UTC), at most
 * 50, oldest first (cmcas_order_t, without lines). */
apr_status_t cmcas_order_store_expired(apr_array_header_t **porders,
                                       const cmcas_store_t *st, apr_pool_t *p,
                                       const char *now, const char **perr);
apr_status_t cmcas_order_store_events(apr_array_header_t **pevents, const cmcas_store_t *st,
                                      apr_pool_t *p, apr_int64_t order_id,
                                      const char **perr);

/* Within the change `ch` (the registration locked): writes `order` (a fresh reference
 * is drawn, its id set) with its lines and its first event. */
apr_status_t cmcas_order_store_create(cmcas_registration_store_change_t *ch,
                                      cmcas_order_t *order, const char *event);
/* Within `ch`: moves the order from its status to `to` (allowed by the transition
 * table; 0 rows, when another change moved it first: *pmoved = 0) and records the
 * event. Moving to the same status records the event only. */
apr_status_t cmcas_order_store_move(cmcas_registration_store_change_t *ch,
                                    cmcas_order_t *order, cmcas_status_order_t to,
                                    const char *event, int *pmoved);
/* The registration's orders that hold its places, oldest first (cmcas_order_t, without
 * lines); within a change, under the registration's lock. */
apr_status_t cmcas_order_store_holding(apr_array_header_t **porders, const cmcas_store_t *st,
                                       apr_pool_t *p, apr_int64_t registration_id,
                                       const char **perr);
/* The registration's paid orders, oldest first (cmcas_order_t, without lines). */
apr_status_t cmcas_order_store_paid(apr_array_header_t **porders, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t registration_id,
                                    const char **perr);
/* The orders paid to `cmcas_code` for the activity's registrations, by registration then
 * id (cmcas_order_t, without lines): the back-office's list. */
apr_status_t cmcas_order_store_of_activity(apr_array_header_t **porders,
                                           const cmcas_store_t *st, apr_pool_t *p,
                                           apr_int64_t activity_id, const char *cmcas_code,
                                           const char **perr);
/* Within `ch`: ends (« annulée », with `event`) every order that holds the registration's
 * places: the registration is cancelled or given up. */
apr_status_t cmcas_order_store_end_holding(cmcas_registration_store_change_t *ch,
                                           apr_int64_t registration_id, const char *event);
/* Within `ch`: takes note of a bank's message about the order (its code and transaction);
 * *pfresh = 0 when the same message was taken before (a replay). */
apr_status_t cmcas_order_store_notice(cmcas_registration_store_change_t *ch,
                                      const cmcas_order_t *order, const char *code,
                                      const char *transaction, int *pfresh);

#endif
