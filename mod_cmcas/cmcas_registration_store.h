/* Reading and changing registrations in the database. Every change runs inside one
 * transaction that starts by writing the registration's row, which serialises all the
 * changes of one registration (SQLite: the write lock; PostgreSQL: the row lock) so
 * that its state can be read, checked and changed safely. */
#ifndef cmcas_registration_store_h
#define cmcas_registration_store_h

#include "cmcas_registration.h"
#include "cmcas_store.h"

/* Statements of this file, terminated by {NULL, NULL}; registered like
 * cmcas_store_statements. */
extern const cmcas_store_stmt_t cmcas_registration_store_statements[];

/* The household's registration for the activity with its participants (APR_NOTFOUND
 * when there is none). */
apr_status_t cmcas_registration_store_get(cmcas_registration_t **preg,
                                          const cmcas_store_t *st, apr_pool_t *p,
                                          apr_int64_t activity_id, apr_int64_t household_id,
                                          const char **perr);
/* The same, by registration id; APR_NOTFOUND unless it is the household's. */
apr_status_t cmcas_registration_store_by_id(cmcas_registration_t **preg,
                                            const cmcas_store_t *st, apr_pool_t *p,
                                            apr_int64_t id, apr_int64_t household_id,
                                            const char **perr);

/* Validated « paiement immédiat » registrations of `cmcas_code`'s activities that hold
 * places, have no order waiting or paid, and have not changed since `before` (ISO 8601
 * UTC): pairs (activity id, household id), at most 50. */
apr_status_t cmcas_registration_store_unpaid(apr_array_header_t **pkeys,
                                             const cmcas_store_t *st, apr_pool_t *p,
                                             const char *cmcas_code, const char *before,
                                             const char **perr);

typedef struct {
    apr_int64_t id;
    cmcas_status_reg_t status;
    const char *created_at;
    apr_int64_t activity_id;
    const char *activity_title;
    const char *activity_mode;
    apr_int64_t total;          /* cents */
    const char *waiting_order;  /* the reference of an order waiting for payment, or NULL */
    cmcas_registration_draw_t draw;
    const char *closing_date;   /* the activity's */
    const char *draw_published_at;  /* NULL until its draw's results are published */
} cmcas_registration_store_row_t;

/* Reads the draw's columns of a registration from column `col` on (selection, rank,
 * history, coefficient, tiebreak, persons, pay_by, waiting position). */
void cmcas_registration_store_read_draw(cmcas_registration_draw_t *d,
                                        cmcas_store_cursor_t *cur, apr_dbd_row_t *row,
                                        int col);

/* The household's registrations, newest first (cmcas_registration_store_row_t). */
apr_status_t cmcas_registration_store_list(apr_array_header_t **prows,
                                           const cmcas_store_t *st, apr_pool_t *p,
                                           apr_int64_t household_id, const char **perr);

apr_status_t cmcas_registration_store_events(apr_array_header_t **pevents,
                                             const cmcas_store_t *st, apr_pool_t *p,
                                             apr_int64_t registration_id,
                                             const char **perr);

/* A change in progress: the transaction, and who makes it when. */
typedef struct {
    cmcas_store_t *st;
    apr_pool_t *pool;
    cmcas_store_tx_t *tx;
    int created;                /* the lock created the registration */
    int changed;                /* an event was recorded: something to commit */
    const char *actor;          /* r->user */
    apr_time_t when;
    const char *now;            /* the same, ISO 8601 UTC */
    const char *err;            /* the driver's message after a failure */
    int staff;                  /* made by CMCAS staff: cmcas_status_*_staff_allowed */
} cmcas_registration_store_change_t;

/* A change by `actor` at `now`. */
void cmcas_registration_store_change_init(cmcas_registration_store_change_t *ch,
                                          cmcas_store_t *st, apr_pool_t *p,
                                          const char *actor, apr_time_t now);

/* Starts a transaction and locks the household's registration for the activity,
 * creating it as a draft first when `create` is set; then reads it into *preg
 * (APR_NOTFOUND, transaction still open, when it does not exist and create is 0). */
apr_status_t cmcas_registration_store_lock(cmcas_registration_t **preg,
                                           cmcas_registration_store_change_t *ch,
                                           apr_int64_t activity_id,
                                           apr_int64_t household_id, int create);
/* Commits, or rolls back when commit is 0. */
apr_status_t cmcas_registration_store_finish(cmcas_registration_store_change_t *ch,
                                             int commit);

/* Writes a participant's options (replacing them) and photo choice. */
apr_status_t cmcas_registration_store_save_participant(
    cmcas_registration_store_change_t *ch, const cmcas_registration_t *reg,
    const cmcas_registration_participant_t *pa);
apr_status_t cmcas_registration_store_save_observations(
    cmcas_registration_store_change_t *ch, const cmcas_registration_t *reg);
/* Adds a household person (person_id) or a guest (person_id 0 and names); sets pa->id. */
apr_status_t cmcas_registration_store_add(cmcas_registration_store_change_t *ch,
                                          const cmcas_registration_t *reg,
                                          cmcas_registration_participant_t *pa);
/* Removes a participant; a confirmed one of a registration holding places gives its
 * place back. */
apr_status_t cmcas_registration_store_remove(cmcas_registration_store_change_t *ch,
                                             cmcas_registration_t *reg,
                                             const cmcas_registration_participant_t *pa);
/* Confirms every unconfirmed participant; when `take_places` is set, first takes their
 * places with one conditional update: *pno_places is set, and nothing is written, when
 * the activity has not enough places left. Participants' `confirmed` in `reg` is not
 * updated (read the registration again). */
apr_status_t cmcas_registration_store_confirm(cmcas_registration_store_change_t *ch,
                                              cmcas_registration_t *reg, int take_places,
                                              int *pno_places);
/* Cancels: status annulee, places given back, participants unconfirmed. */
apr_status_t cmcas_registration_store_cancel(cmcas_registration_store_change_t *ch,
                                             cmcas_registration_t *reg);
/* Sets the status and records the event (what happened, in French). */
apr_status_t cmcas_registration_store_status(cmcas_registration_store_change_t *ch,
                                             cmcas_registration_t *reg,
                                             cmcas_status_reg_t status, const char *event);

#endif
