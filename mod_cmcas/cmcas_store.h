/* Database access through apr_dbd with statements prepared once per connection.
 * The statements are registered by the glue at configuration time (mod_dbd prepares
 * them on each pooled connection); this file only names them and reads rows. */
#ifndef cmcas_store_h
#define cmcas_store_h

#include <apr_pools.h>
#include <apr_hash.h>
#include <apr_tables.h>
#include <apr_dbd.h>

typedef struct {
    const char *label;      /* "cmcas_...": a valid SQL identifier for PostgreSQL */
    const char *sql;        /* apr_dbd placeholders: %s, %d */
} cmcas_store_stmt_t;

/* Every statement of the module, terminated by {NULL, NULL}. */
extern const cmcas_store_stmt_t cmcas_store_statements[];

typedef struct cmcas_store_tx_t cmcas_store_tx_t;

/* A borrowed connection (mod_dbd's ap_dbd_t, or one opened by a unit test). */
typedef struct {
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_hash_t *prepared;   /* label -> apr_dbd_prepared_t* */
    cmcas_store_tx_t *tx;   /* the transaction in progress, if any */
} cmcas_store_t;

typedef struct {
    apr_int64_t id;
    const char *cmcas_code;
    const char *login;
    const char *email;
    const char *phone;
    const char *street;
    const char *postcode;
    const char *city;
    const char *od_first_name;
    const char *od_last_name;
} cmcas_store_household_t;

typedef struct {
    apr_int64_t id;
    const char *role;           /* "OD" or "AD" */
    const char *first_name;
    const char *last_name;
    const char *birth_date;     /* ISO */
} cmcas_store_person_t;

typedef struct {
    apr_int64_t id;
    const char *cmcas_code;
    const char *cmcas_name;
    const char *theme;
    const char *title;
    const char *description;
    const char *image;          /* NULL when none */
    const char *place;
    const char *start_date;     /* ISO dates */
    const char *end_date;
    const char *closing_date;
    const char *published_at;   /* NULL: not published */
    apr_int64_t capacity;
    apr_int64_t places_taken;
    int open_to_others;
    const char *mode;           /* "immediat" or "tour_de_role" */
    int guests_allowed;
    apr_int64_t max_guests;     /* per household; -1: no limit */
    apr_int64_t min_age;        /* years on the start date; -1: none */
    apr_int64_t max_age;
} cmcas_store_activity_t;

typedef struct {
    apr_int64_t id;
    const char *label;
    apr_int64_t price_beneficiary;
    apr_int64_t participation_beneficiary;
    apr_int64_t price_guest;
    apr_int64_t participation_guest;
} cmcas_store_option_t;

/* A running select: the rows are always read to the end so that the driver can
 * release the statement (mod_authn_dbd's rule). */
typedef struct {
    const cmcas_store_t *st;
    apr_pool_t *pool;
    apr_dbd_results_t *res;
} cmcas_store_cursor_t;

/* Runs the prepared statement `label` with string arguments. */
apr_status_t cmcas_store_select(cmcas_store_cursor_t *cur, const cmcas_store_t *st,
                                apr_pool_t *p, const char *label, const char **perr,
                                int nargs, const char **args);
/* The next row, or NULL after the last one. */
apr_dbd_row_t *cmcas_store_next(cmcas_store_cursor_t *cur);
/* Column `col` as a pool string (NULL for SQL NULL), or as a number. */
const char *cmcas_store_str(cmcas_store_cursor_t *cur, apr_dbd_row_t *row, int col);
apr_int64_t cmcas_store_int(cmcas_store_cursor_t *cur, apr_dbd_row_t *row, int col);
apr_int64_t cmcas_store_int_or(cmcas_store_cursor_t *cur, apr_dbd_row_t *row, int col,
                               apr_int64_t null_value);

/* One entry of a registration's or an order's history. */
typedef struct {
    const char *at;         /* ISO 8601 UTC */
    const char *actor;
    const char *status;
    const char *event;
} cmcas_store_event_t;

/* A history: statement `label` selects at, actor, status, event of entity `id`, in
 * order (array of cmcas_store_event_t). */
apr_status_t cmcas_store_events(apr_array_header_t **pevents, const cmcas_store_t *st,
                                apr_pool_t *p, const char *label, apr_int64_t id,
                                const char **perr);

/* Runs a writing statement; *pnrows (may be NULL) gets the rows it changed. */
apr_status_t cmcas_store_exec(int *pnrows, const cmcas_store_t *st, apr_pool_t *p,
                              const char *label, const char **perr, int nargs,
                              const char **args);

/* A transaction on the connection. If the pool goes before cmcas_store_end, it is
 * rolled back, so a pooled connection never goes back to mod_dbd inside one. */
apr_status_t cmcas_store_begin(cmcas_store_tx_t **ptx, cmcas_store_t *st,
                               apr_pool_t *p, const char **perr);
/* Commits (commit = 1) or rolls back; a driver error during the transaction makes the
 * commit a rollback and an error. */
apr_status_t cmcas_store_end(cmcas_store_tx_t *tx, int commit, const char **perr);
/* Rolls back the transaction in progress, if any: before the connection goes back. */
void cmcas_store_abort(cmcas_store_t *st);

/* Each returns APR_SUCCESS, APR_NOTFOUND (no such row) or an error with *perr set
 * to the driver's message. Results are allocated from `p`. */
apr_status_t cmcas_store_household_by_login(cmcas_store_household_t **phh,
                                            const cmcas_store_t *st, apr_pool_t *p,
                                            const char *login, const char **perr);
/* The household's persons, ouvrant droit first (array of cmcas_store_person_t). */
apr_status_t cmcas_store_persons(apr_array_header_t **ppersons, const cmcas_store_t *st,
                                 apr_pool_t *p, apr_int64_t household_id,
                                 const char **perr);
/* Published, unfinished activities for the catalog: those of `portal_code` (others = 0)
 * or those of other CMCAS open to others (others = 1), optionally of one theme,
 * open ones first by start date (array of cmcas_store_activity_t). */
apr_status_t cmcas_store_catalog(apr_array_header_t **pacts, const cmcas_store_t *st,
                                 apr_pool_t *p, const char *portal_code, int others,
                                 const char *theme, const char *today, const char **perr);
apr_status_t cmcas_store_activity(cmcas_store_activity_t **pact, const cmcas_store_t *st,
                                  apr_pool_t *p, apr_int64_t id, const char **perr);
apr_status_t cmcas_store_options(apr_array_header_t **popts, const cmcas_store_t *st,
                                 apr_pool_t *p, apr_int64_t activity_id,
                                 const char **perr);

#endif
