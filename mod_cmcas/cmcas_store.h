/* Database access through apr_dbd with statements prepared once per connection.
 * The statements are registered by the glue at configuration time (mod_dbd prepares
 * them on each pooled connection); this file only names them and reads rows. */
#ifndef cmcas_store_h
#define cmcas_store_h

#include <apr_pools.h>
#include <apr_hash.h>
#include <apr_tables.h>
#include <apr_dbd.h>

#include "cmcas_activity.h"
#include "cmcas_household.h"
#include "cmcas_result.h"

typedef struct {
    const char *label;      /* "cmcas_...": a valid SQL identifier for PostgreSQL */
    const char *sql;        /* apr_dbd placeholders: %s, %d */
} cmcas_store_stmt_t;

/* The statements of this file, terminated by {NULL, NULL}. */
extern const cmcas_store_stmt_t cmcas_store_statements[];
/* Every statement list of the module (this file's, the registration and order stores'),
 * NULL-terminated: what the glue registers with mod_dbd, and a unit test prepares. */
extern const cmcas_store_stmt_t *const cmcas_store_registry[];

typedef struct cmcas_store_tx_t cmcas_store_tx_t;

/* Called when a read fails outside a transaction, with the driver's code and message
 * (read at once: a repair runs other statements): makes the
 * connection usable again if that is what went wrong (a schema change, a lost
 * connection) and answers APR_SUCCESS, and the read runs once more; any other answer
 * leaves the failure as it is. */
typedef apr_status_t (*cmcas_store_recover_t)(void *baton, int rc, const char *err);

/* A borrowed connection (mod_dbd's ap_dbd_t, or one opened by a unit test). */
typedef struct {
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_hash_t *prepared;   /* label -> apr_dbd_prepared_t* */
    cmcas_store_tx_t *tx;   /* the transaction in progress, if any */
    cmcas_store_recover_t recover;  /* NULL: no second try */
    void *recover_baton;
} cmcas_store_t;

/* A running select: the rows are always read to the end so that the driver can
 * release the statement (mod_authn_dbd's rule). */
typedef struct {
    const cmcas_store_t *st;
    apr_pool_t *pool;
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;     /* passed back on each call: pgsql keeps its counter there */
} cmcas_store_cursor_t;

/* Runs the prepared statement `label` with string arguments. A failure outside a
 * transaction that st->recover repairs is tried once more (a read only: writes and
 * transactions are never repeated, their outcome may be unknown). */
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

/* Fills one element of an array from a row. */
typedef void (*cmcas_store_reader_t)(void *elt, cmcas_store_cursor_t *cur,
                                     apr_dbd_row_t *row);
/* Readers of one number (elements of apr_int64_t) and of two (apr_int64_t[2]). */
void cmcas_store_read_id(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row);
void cmcas_store_read_pair(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row);
/* A number as a statement's argument (every id is bound %lld). */
const char *cmcas_store_num(apr_pool_t *p, apr_int64_t n);
/* Runs the select `label` and reads every row into a new array of `elt_size`-byte
 * elements (zeroed before `read`). */
apr_status_t cmcas_store_all(apr_array_header_t **prows, const cmcas_store_t *st,
                             apr_pool_t *p, const char *label, int nargs, const char **args,
                             int elt_size, cmcas_store_reader_t read, const char **perr);

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

/* Runs a writing statement; *pnrows (may be NULL) gets the rows it changed. Outside a
 * transaction, one that SQLite refused for a schema change (it did not run) is run once
 * more after st->recover repaired the connection. */
apr_status_t cmcas_store_exec(int *pnrows, const cmcas_store_t *st, apr_pool_t *p,
                              const char *label, const char **perr, int nargs,
                              const char **args);
/* A conditional write (a claim, a place taken): *pone = 1 when it changed exactly one
 * row. */
apr_status_t cmcas_store_exec_one(int *pone, const cmcas_store_t *st, apr_pool_t *p,
                                  const char *label, const char **perr, int nargs,
                                  const char **args);

/* A transaction on the connection. If the pool goes before cmcas_store_end, it is
 * rolled back, so a pooled connection never goes back to mod_dbd inside one. */
apr_status_t cmcas_store_begin(cmcas_store_tx_t **ptx, cmcas_store_t *st,
                               apr_pool_t *p, const char **perr);
/* Commits (commit = 1) or rolls back; a driver error during the transaction makes the
 * commit a rollback and an error. */
apr_status_t cmcas_store_end(cmcas_store_tx_t *tx, int commit, const char **perr);
/* Ends a flow's transaction: commits when rv is APR_SUCCESS (a failed commit is the
 * result's error), rolls back otherwise with `err`; the result of the flow `what`. */
cmcas_result_kind_t cmcas_store_end_result(cmcas_result_t *res, cmcas_store_tx_t *tx,
                                           apr_status_t rv, const char *what,
                                           const char *err);
/* Rolls back the transaction in progress, if any: before the connection goes back. */
void cmcas_store_abort(cmcas_store_t *st);

/* Each returns APR_SUCCESS, APR_NOTFOUND (no such row) or an error with *perr set
 * to the driver's message. Results are allocated from `p`. */
apr_status_t cmcas_store_household_by_login(cmcas_household_t **phh,
                                            const cmcas_store_t *st, apr_pool_t *p,
                                            const char *login, const char **perr);
/* The household's persons, ouvrant droit first (array of cmcas_household_person_t). */
apr_status_t cmcas_store_persons(apr_array_header_t **ppersons, const cmcas_store_t *st,
                                 apr_pool_t *p, apr_int64_t household_id,
                                 const char **perr);
/* What is wrong with the SQLite settings the module relies on, for this connection (a
 * busy timeout, the file in WAL mode), in English; NULL when all hold, and for other
 * engines. mod_dbd runs DBDInitSQL statements in order and silently stops at the first
 * that returns a row: a misordered configuration loses them without a word. */
const char *cmcas_store_sqlite_settings(const cmcas_store_t *st, apr_pool_t *p);
/* Whether this PostgreSQL connection waits for ever for a lock (lock_timeout 0, the
 * server's default); 0 for other engines. */
int cmcas_store_pgsql_lock_timeout_off(const cmcas_store_t *st, apr_pool_t *p);

#endif
