/* The « tour de rôle » draw's reads and writes (cmcas_draw_change.h runs them). Every
 * write is made inside the caller's transaction, which starts with the claim of the
 * activity's row (cmcas_draw_store_claim), after the lock of the requests holding
 * places (cmcas_draw_store_lock_held): two servers never draw one activity twice, and
 * a draw that fails half-way leaves nothing of itself. */
#ifndef cmcas_draw_store_h
#define cmcas_draw_store_h

#include "cmcas_registration.h"
#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_draw_store_statements[];

/* One request of the activity, as the draw reads it. */
typedef struct {
    apr_int64_t registration_id;
    apr_int64_t household_id;
    const char *household_cmcas;
    apr_int64_t coefficient;        /* -1: unknown */
} cmcas_draw_store_request_t;

/* Claims the activity's draw at `now` (ISO 8601 UTC): *pmine = 1 when this transaction
 * has it (a « tour de rôle » activity whose results are not published, not drawn yet
 * unless `rerun`). The row stays locked until the transaction ends. */
apr_status_t cmcas_draw_store_claim(int *pmine, const cmcas_store_t *st, apr_pool_t *p,
                                    apr_int64_t activity_id, const char *now, int rerun,
                                    const char **perr);
/* Locks the activity's requests that hold places, before any write to the activity's
 * row: the order a cancellation takes them in (its registration, then the activity's
 * places), so neither waits for the other. */
apr_status_t cmcas_draw_store_lock_held(const cmcas_store_t *st, apr_pool_t *p,
                                        apr_int64_t activity_id, const char **perr);
/* Undoes an unpublished draw of the activity (a rerun): its places given back, its
 * requests as they were before it. */
apr_status_t cmcas_draw_store_reset(const cmcas_store_t *st, apr_pool_t *p,
                                    apr_int64_t activity_id, const char **perr);
/* The validated requests of the activity not drawn yet, by id
 * (cmcas_draw_store_request_t). */
apr_status_t cmcas_draw_store_requests(apr_array_header_t **preqs, const cmcas_store_t *st,
                                       apr_pool_t *p, apr_int64_t activity_id,
                                       const char **perr);
/* The activities each request's household obtained (paid) among `cmcas_code`'s « tour
 * de rôle » activities starting after `since` (ISO date): pairs (registration id, start
 * date as days since 1970) in an array of apr_int64_t[2]. */
apr_status_t cmcas_draw_store_history(apr_array_header_t **ppairs, const cmcas_store_t *st,
                                      apr_pool_t *p, apr_int64_t activity_id,
                                      const char *cmcas_code, const char *since,
                                      const char **perr);
/* Writes what the draw decided for one request (selection "retenue", "attente" or
 * "non_retenue"; places held when retenue). */
apr_status_t cmcas_draw_store_decide(const cmcas_store_t *st, apr_pool_t *p,
                                     apr_int64_t registration_id, const char *selection,
                                     int rank, double history, int coefficient,
                                     const char *tiebreak, int persons, int places_held,
                                     const char **perr);
/* Takes `n` places of the activity (*ptaken = 0 when they are not free). */
apr_status_t cmcas_draw_store_take(int *ptaken, const cmcas_store_t *st, apr_pool_t *p,
                                   apr_int64_t activity_id, int n, const char **perr);
/* Publishes the activity's results at `now`; *pdone = 0 when they already were. */
apr_status_t cmcas_draw_store_publish(int *pdone, const cmcas_store_t *st, apr_pool_t *p,
                                      apr_int64_t activity_id, const char *now,
                                      const char **perr);
/* Records the places the draw gives out (those free when it runs). */
apr_status_t cmcas_draw_store_places(const cmcas_store_t *st, apr_pool_t *p,
                                     apr_int64_t activity_id, int places, const char **perr);
/* The drawn requests as the draw saw them (cmcas_draw_entry_t with registration_id,
 * persons, eligible, coefficient, history and the rank it gave), by id. */
apr_status_t cmcas_draw_store_data(apr_array_header_t **pentries, const cmcas_store_t *st,
                                   apr_pool_t *p, apr_int64_t activity_id,
                                   const char **perr);
/* Sets the date a selected request must be paid by. */
apr_status_t cmcas_draw_store_pay_by(const cmcas_store_t *st, apr_pool_t *p,
                                     apr_int64_t registration_id, const char *date,
                                     const char **perr);
/* Sets a request's selection (a promotion, a release, a renouncement). */
apr_status_t cmcas_draw_store_select(const cmcas_store_t *st, apr_pool_t *p,
                                     apr_int64_t registration_id, const char *selection,
                                     const char **perr);
/* Promotes a waiting request: selected, holding its places, to pay by `pay_by` (the
 * places themselves are taken with cmcas_draw_store_take). */
apr_status_t cmcas_draw_store_promote(int *pdone, const cmcas_store_t *st, apr_pool_t *p,
                                      apr_int64_t registration_id, const char *pay_by,
                                      const char **perr);

/* A drawn request of an activity, in rank order (cmcas_draw_store_drawn_t). */
typedef struct {
    apr_int64_t registration_id;
    apr_int64_t household_id;
    const char *selection;
    apr_int64_t persons;
} cmcas_draw_store_drawn_t;
apr_status_t cmcas_draw_store_drawn(apr_array_header_t **prows, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t activity_id,
                                    const char **perr);

/* An activity the background job has to handle, with its organiser (whose settings
 * apply). */
typedef struct {
    apr_int64_t activity_id;
    const char *cmcas_code;
} cmcas_draw_store_due_t;

/* Work for the background job: « tour de rôle » activities whose closing date is before
 * `today` (ISO), not drawn yet (at most 20; one drawn by staff waits for its
 * publication); published ones not started yet with places free and a request on the
 * waiting list (promotions to try), both as cmcas_draw_store_due_t; selected requests
 * whose pay-by date is before `today`, with no order waiting or paid: pairs (activity
 * id, household id). */
apr_status_t cmcas_draw_store_due(apr_array_header_t **pdue, const cmcas_store_t *st,
                                  apr_pool_t *p, const char *today, const char **perr);
apr_status_t cmcas_draw_store_waiting(apr_array_header_t **pdue, const cmcas_store_t *st,
                                      apr_pool_t *p, const char *today, const char **perr);
apr_status_t cmcas_draw_store_unpaid(apr_array_header_t **pkeys, const cmcas_store_t *st,
                                     apr_pool_t *p, const char *today, const char **perr);

#endif
