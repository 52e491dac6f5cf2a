/* The e-mail outbox (012_outbox.sql of each engine). A flow adds a message inside its own
 * open transaction, so that the message exists exactly when the change it reports does;
 * the background job then claims each due message with a conditional update (two
 * servers never both send it), sends it, and marks it sent, or schedules a retry with
 * back-off: a message is never dropped, and never sent twice for one event. No httpd
 * types. */
#ifndef cmcas_outbox_store_h
#define cmcas_outbox_store_h

#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_outbox_store_statements[];

typedef struct {
    const char *kind;              /* "validated", "request", "order_desk", "payment_accepted",
                                      "payment_refused", "cancelled", "selected", "waiting",
                                      "promoted", "not_selected", "released",
                                      "refund_due", "refunded" */
    apr_int64_t household_id;
    apr_int64_t registration_id;   /* 0 when none */
    apr_int64_t order_id;          /* 0 when none */
    const char *detail;            /* kind-specific, NULL when none: pay-by date (ISO
                                      YYYY-MM-DD) for selected/promoted, the waiting position
                                      ("3") for waiting, the draw date (ISO) for request,
                                      the staff's reason for cancelled (NULL when the
                                      household cancelled) and for order_desk (the
                                      change of a paid registration it adjusts; NULL
                                      for a first order) and for refund_due, how the
                                      CMCAS refunded for refunded (« chèque »...) */
    const char *event_key;         /* unique per event; a second add with the same key does
                                      nothing (never sent twice) */
} cmcas_outbox_message_t;

/* Adds the message to the outbox, in the caller's transaction (st->tx) if one is open.
 * APR_EINVAL (nothing written) for an unknown kind, a detail the kind cannot use, no
 * household or no event key: a flow's mistake, found by its tests. */
apr_status_t cmcas_outbox_store_add(cmcas_store_t *st, apr_pool_t *p,
                                    const cmcas_outbox_message_t *m, const char **perr);

/* The same, for the flows: the event key is kind:registration:order, then `instance`
 * when one registration may live the event again (validated after a cancellation: the
 * change's time, unique under the registration's lock); NULL for an event an order lives
 * once (made, paid, refused, ended), so that a replay never adds a second message. */
apr_status_t cmcas_outbox_store_event(cmcas_store_t *st, apr_pool_t *p, const char *kind,
                                      apr_int64_t household_id, apr_int64_t registration_id,
                                      apr_int64_t order_id, const char *detail,
                                      const char *instance, const char **perr);

/* A message as the job reads it to compose it: the outbox row and what it refers to,
 * read at delivery time (NULL or 0 where the row refers to nothing, or to a row gone). */
typedef struct {
    apr_int64_t id;
    cmcas_outbox_message_t msg;
    int attempts;                   /* tries so far, this one included once claimed */
    const char *email;              /* the household's */
    const char *cmcas_code;         /* the household's CMCAS: sender and portal */
    const char *first_name;         /* its ouvrant droit */
    const char *last_name;
    const char *activity_title;
    const char *activity_start;
    const char *activity_end;
    const char *activity_closing;
    const char *order_reference;
    apr_int64_t order_total;
    const char *order_hold_until;
    const char *order_cmcas_code;   /* the payee, whose desk takes the payment */
} cmcas_outbox_store_row_t;

/* Ids of the messages due at `now` (seconds since 1970), not sent and not claimed,
 * oldest first, at most `max` (array of apr_int64_t). */
apr_status_t cmcas_outbox_store_due(apr_array_header_t **pids, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t now, int max,
                                    const char **perr);

/* Claims message `id` until `until` if it is still due and nobody holds it: *pmine = 1
 * for the one server whose update changed the row. Counts an attempt. */
apr_status_t cmcas_outbox_store_claim(int *pmine, const cmcas_store_t *st, apr_pool_t *p,
                                      apr_int64_t id, apr_int64_t now, apr_int64_t until,
                                      const char **perr);

/* The message and what it refers to (APR_NOTFOUND when there is no such message). */
apr_status_t cmcas_outbox_store_get(cmcas_outbox_store_row_t **prow, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t id, const char **perr);

/* Marks it sent at `when`: never due again. */
apr_status_t cmcas_outbox_store_sent(const cmcas_store_t *st, apr_pool_t *p, apr_int64_t id,
                                     apr_time_t when, const char **perr);

/* Releases it, due again at `next` (seconds since 1970), with why it failed. */
apr_status_t cmcas_outbox_store_retry(const cmcas_store_t *st, apr_pool_t *p, apr_int64_t id,
                                      apr_int64_t next, const char *why, const char **perr);

/* Seconds to wait after the `attempts`-th failed try: 1, 2, 4, 8... times `base`
 * (the job's interval: no sooner than its next run), at most an hour. */
apr_int64_t cmcas_outbox_store_backoff(int attempts, apr_int64_t base);

#endif
