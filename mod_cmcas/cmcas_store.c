#include <apr_strings.h>

#include "cmcas_store.h"
#include "cmcas_result.h"
#include "cmcas_reconnect.h"
#include "cmcas_catalog_store.h"
#include "cmcas_order_store.h"
#include "cmcas_registration_store.h"
#include "cmcas_session_store.h"
#include "cmcas_job_store.h"
#include "cmcas_draw_store.h"
#include "cmcas_outbox_store.h"
#include "cmcas_staff_registration_store.h"
#include "cmcas_staff_store.h"
#include "cmcas_audit_store.h"
#include "cmcas_desk_store.h"
#include "cmcas_draw_board_store.h"
#include "cmcas_activity_store.h"
#include "cmcas_image_store.h"
#include "cmcas_invoice_store.h"
#include "cmcas_account_store.h"
#include "cmcas_status_store.h"

const cmcas_store_stmt_t cmcas_store_statements[] = {
    {"cmcas_household_by_login",
     "SELECT h.id, h.cmcas_code, h.login, h.email, h.phone, h.street, h.postcode,"
     " h.city, p.first_name, p.last_name FROM household h"
     " LEFT JOIN person p ON p.household_id = h.id AND p.role = 'OD'"
     " WHERE h.login = %s"},
    {"cmcas_persons",
     "SELECT id, role, first_name, last_name, birth_date FROM person"
     " WHERE household_id = %lld"
     " ORDER BY CASE role WHEN 'OD' THEN 0 ELSE 1 END, id"},
    {NULL, NULL}
};

const cmcas_store_stmt_t *const cmcas_store_registry[] = {
    cmcas_store_statements, cmcas_catalog_store_statements,
    cmcas_registration_store_statements, cmcas_order_store_statements,
    cmcas_session_store_statements, cmcas_job_store_statements,
    cmcas_draw_store_statements, cmcas_outbox_store_statements,
    cmcas_staff_store_statements, cmcas_audit_store_statements,
    cmcas_staff_registration_store_statements, cmcas_desk_store_statements,
    cmcas_draw_board_store_statements, cmcas_activity_store_statements,
    cmcas_image_store_statements, cmcas_invoice_store_statements,
    cmcas_account_store_statements, cmcas_status_store_statements, NULL
};

apr_status_t cmcas_store_select(cmcas_store_cursor_t *cur, const cmcas_store_t *st,
                                       apr_pool_t *p, const char *label,
                                       const char **perr, int nargs, const char **args)
{
    apr_dbd_prepared_t *stmt = apr_hash_get(st->prepared, label, APR_HASH_KEY_STRING);
    const char *err;
    int rc, again = st->recover && !st->tx;

    cur->st = st;
    cur->pool = p;
    cur->res = NULL;
    cur->row = NULL;
    if (!stmt) {
        *perr = apr_psprintf(p, "prepared statement %s is missing", label);
        return APR_EGENERAL;
    }
    /* Random access (1): apr-util's pgsql driver then runs the statement at once and
     * reports its failure; in sequential mode it reports a failed statement as no rows,
     * and sleeps 100 ms on every empty result. SQLite's reads the rows the same way. */
    while ((rc = apr_dbd_pselect(st->driver, p, st->handle, &cur->res, stmt, 1, nargs,
                                 args))) {
        err = apr_dbd_error(st->driver, st->handle, rc);
        *perr = apr_psprintf(p, "%s: %s", label, err ? err : "?");
        if (!again || APR_SUCCESS != st->recover(st->recover_baton, rc, err)) {
            return APR_EGENERAL;
        }
        /* Once only, with the statement as it is now (a repair may replace it). */
        again = 0;
        cur->res = NULL;
        if (!(stmt = apr_hash_get(st->prepared, label, APR_HASH_KEY_STRING))) {
            return APR_EGENERAL;
        }
    }
    return APR_SUCCESS;
}

apr_dbd_row_t *cmcas_store_next(cmcas_store_cursor_t *cur)
{
    if (apr_dbd_get_row(cur->st->driver, cur->pool, cur->res, &cur->row, -1) != 0) {
        return NULL;
    }
    return cur->row;
}

apr_status_t cmcas_store_all(apr_array_header_t **prows, const cmcas_store_t *st,
                             apr_pool_t *p, const char *label, int nargs, const char **args,
                             int elt_size, cmcas_store_reader_t read, const char **perr)
{
    cmcas_store_cursor_t cur;
    apr_array_header_t *rows = apr_array_make(p, 8, elt_size);
    apr_dbd_row_t *row;
    apr_status_t rv;

    *prows = NULL;
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, label, perr, nargs, args))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        void *elt = apr_array_push(rows);
        memset(elt, 0, (apr_size_t)elt_size);
        read(elt, &cur, row);
    }
    *prows = rows;
    return APR_SUCCESS;
}

/* The column's text, NULL for SQL NULL on every engine: SQLite's driver gives NULL, but
 * PostgreSQL's gives "" (its datum_get tells the two apart, asked only then). */
static const char *cmcas_store_entry(cmcas_store_cursor_t *cur, apr_dbd_row_t *row, int col)
{
    const char *v = apr_dbd_get_entry(cur->st->driver, row, col);
    void *null_datum = NULL;            /* drivers may write the NULL they read here */

    if (v && !*v && APR_ENOENT == apr_dbd_datum_get(cur->st->driver, row, col,
                                                    APR_DBD_TYPE_NULL, &null_datum)) {
        return NULL;
    }
    return v;
}

const char *cmcas_store_str(cmcas_store_cursor_t *cur, apr_dbd_row_t *row, int col)
{
    const char *v = cmcas_store_entry(cur, row, col);
    return v ? apr_pstrdup(cur->pool, v) : NULL;
}

apr_int64_t cmcas_store_int(cmcas_store_cursor_t *cur, apr_dbd_row_t *row, int col)
{
    const char *v = cmcas_store_entry(cur, row, col);
    return v ? apr_atoi64(v) : 0;
}

apr_int64_t cmcas_store_int_or(cmcas_store_cursor_t *cur, apr_dbd_row_t *row, int col,
                               apr_int64_t null_value)
{
    const char *v = cmcas_store_entry(cur, row, col);
    return v ? apr_atoi64(v) : null_value;
}

void cmcas_store_read_id(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row)
{
    *(apr_int64_t *)elt = cmcas_store_int(cur, row, 0);
}

void cmcas_store_read_pair(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row)
{
    ((apr_int64_t *)elt)[0] = cmcas_store_int(cur, row, 0);
    ((apr_int64_t *)elt)[1] = cmcas_store_int(cur, row, 1);
}

const char *cmcas_store_num(apr_pool_t *p, apr_int64_t n)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, n);
}

static void cmcas_store_read_event(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row)
{
    cmcas_store_event_t *e = elt;
    e->at = cmcas_store_str(cur, row, 0);
    e->actor = cmcas_store_str(cur, row, 1);
    e->status = cmcas_store_str(cur, row, 2);
    e->event = cmcas_store_str(cur, row, 3);
}

apr_status_t cmcas_store_events(apr_array_header_t **pevents, const cmcas_store_t *st,
                                apr_pool_t *p, const char *label, apr_int64_t id,
                                const char **perr)
{
    const char *arg = cmcas_store_num(p, id);
    return cmcas_store_all(pevents, st, p, label, 1, &arg, sizeof(cmcas_store_event_t),
                           cmcas_store_read_event, perr);
}

/* ------------------------------------------------------------------------------- */
/* Writes and transactions */

apr_status_t cmcas_store_exec(int *pnrows, const cmcas_store_t *st, apr_pool_t *p,
                              const char *label, const char **perr, int nargs,
                              const char **args)
{
    apr_dbd_prepared_t *stmt = apr_hash_get(st->prepared, label, APR_HASH_KEY_STRING);
    int rc, nrows = 0;

    if (pnrows) {
        *pnrows = 0;
    }
    if (!stmt) {
        *perr = apr_psprintf(p, "prepared statement %s is missing", label);
        return APR_EGENERAL;
    }
    rc = apr_dbd_pquery(st->driver, p, st->handle, &nrows, stmt, nargs, args);
    /* A write is run again only outside a transaction, and only when SQLite refused it
     * for a schema change: it did not run at all (a lost connection's outcome is
     * unknown, and a transaction's earlier statements are gone). */
    if (rc && st->recover && !st->tx) {
        const char *err = apr_dbd_error(st->driver, st->handle, rc);
        if (cmcas_reconnect_is_schema_change(apr_dbd_name(st->driver), rc, err)
            && APR_SUCCESS == st->recover(st->recover_baton, rc, err)
            && (stmt = apr_hash_get(st->prepared, label, APR_HASH_KEY_STRING))) {
            rc = apr_dbd_pquery(st->driver, p, st->handle, &nrows, stmt, nargs, args);
        }
    }
    if (rc) {
        *perr = apr_psprintf(p, "%s: %s", label, apr_dbd_error(st->driver, st->handle, rc));
        return APR_EGENERAL;
    }
    if (pnrows) {
        *pnrows = nrows;
    }
    return APR_SUCCESS;
}

apr_status_t cmcas_store_exec_one(int *pone, const cmcas_store_t *st, apr_pool_t *p,
                                  const char *label, const char **perr, int nargs,
                                  const char **args)
{
    int rows = 0;
    apr_status_t rv = cmcas_store_exec(&rows, st, p, label, perr, nargs, args);
    *pone = APR_SUCCESS == rv && rows == 1;
    return rv;
}

struct cmcas_store_tx_t {
    cmcas_store_t *st;
    apr_pool_t *pool;
    apr_dbd_transaction_t *trans;   /* NULL once ended */
};

static apr_status_t cmcas_store_tx_cleanup(void *data)
{
    cmcas_store_tx_t *tx = data;
    /* Never hand a pooled connection back in the middle of a transaction. */
    if (tx->trans) {
        apr_dbd_transaction_mode_set(tx->st->driver, tx->trans,
                                     APR_DBD_TRANSACTION_ROLLBACK);
        apr_dbd_transaction_end(tx->st->driver, tx->pool, tx->trans);
        tx->trans = NULL;
        tx->st->tx = NULL;
    }
    return APR_SUCCESS;
}

void cmcas_store_abort(cmcas_store_t *st)
{
    if (st && st->tx) {
        cmcas_store_tx_t *tx = st->tx;
        cmcas_store_tx_cleanup(tx);
        apr_pool_cleanup_kill(tx->pool, tx, cmcas_store_tx_cleanup);
    }
}

apr_status_t cmcas_store_begin(cmcas_store_tx_t **ptx, cmcas_store_t *st,
                               apr_pool_t *p, const char **perr)
{
    cmcas_store_tx_t *tx = apr_pcalloc(p, sizeof(*tx));
    int rc;

    *ptx = NULL;
    tx->st = st;
    tx->pool = p;
    rc = apr_dbd_transaction_start(st->driver, p, st->handle, &tx->trans);
    if (rc) {
        *perr = apr_psprintf(p, "begin: %s", apr_dbd_error(st->driver, st->handle, rc));
        return APR_EGENERAL;
    }
    apr_pool_cleanup_register(p, tx, cmcas_store_tx_cleanup, apr_pool_cleanup_null);
    st->tx = tx;
    *ptx = tx;
    return APR_SUCCESS;
}

apr_status_t cmcas_store_end(cmcas_store_tx_t *tx, int commit, const char **perr)
{
    int rc;

    if (!tx || !tx->trans) {
        return APR_SUCCESS;
    }
    if (!commit) {
        apr_dbd_transaction_mode_set(tx->st->driver, tx->trans,
                                     APR_DBD_TRANSACTION_ROLLBACK);
    }
    rc = apr_dbd_transaction_end(tx->st->driver, tx->pool, tx->trans);
    tx->trans = NULL;
    tx->st->tx = NULL;
    apr_pool_cleanup_kill(tx->pool, tx, cmcas_store_tx_cleanup);
    if (rc) {
        *perr = apr_psprintf(tx->pool, "%s: %s", commit ? "commit" : "rollback",
                             apr_dbd_error(tx->st->driver, tx->st->handle, rc));
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------------------- */
/* Reads */

apr_status_t cmcas_store_household_by_login(cmcas_household_t **phh,
                                            const cmcas_store_t *st, apr_pool_t *p,
                                            const char *login, const char **perr)
{
    cmcas_store_cursor_t cur;
    cmcas_household_t *hh = NULL;
    apr_dbd_row_t *row;
    apr_status_t rv;

    *phh = NULL;
    rv = cmcas_store_select(&cur, st, p, "cmcas_household_by_login", perr, 1, &login);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        if (hh) {
            continue;
        }
        hh = apr_pcalloc(p, sizeof(*hh));
        hh->id = cmcas_store_int(&cur, row, 0);
        hh->cmcas_code = cmcas_store_str(&cur, row, 1);
        hh->login = cmcas_store_str(&cur, row, 2);
        hh->email = cmcas_store_str(&cur, row, 3);
        hh->phone = cmcas_store_str(&cur, row, 4);
        hh->street = cmcas_store_str(&cur, row, 5);
        hh->postcode = cmcas_store_str(&cur, row, 6);
        hh->city = cmcas_store_str(&cur, row, 7);
        hh->od_first_name = cmcas_store_str(&cur, row, 8);
        hh->od_last_name = cmcas_store_str(&cur, row, 9);
    }
    *phh = hh;
    return hh ? APR_SUCCESS : APR_NOTFOUND;
}

static void cmcas_store_read_person(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row)
{
    cmcas_household_person_t *person = elt;
    person->id = cmcas_store_int(cur, row, 0);
    person->role = cmcas_store_str(cur, row, 1);
    person->first_name = cmcas_store_str(cur, row, 2);
    person->last_name = cmcas_store_str(cur, row, 3);
    person->birth_date = cmcas_store_str(cur, row, 4);
}

apr_status_t cmcas_store_persons(apr_array_header_t **ppersons, const cmcas_store_t *st,
                                 apr_pool_t *p, apr_int64_t household_id,
                                 const char **perr)
{
    const char *id = cmcas_store_num(p, household_id);
    return cmcas_store_all(ppersons, st, p, "cmcas_persons", 1, &id,
                           sizeof(cmcas_household_person_t), cmcas_store_read_person, perr);
}

/* ------------------------------------------------------------------------------- */
/* The connection's settings */

/* The single value of a PRAGMA, read to the end; NULL when it fails. */
static const char *cmcas_store_pragma(const cmcas_store_t *st, apr_pool_t *p,
                                      const char *pragma)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *value = NULL;

    if (apr_dbd_select(st->driver, p, st->handle, &res, pragma, 0)) {
        return NULL;
    }
    while (!apr_dbd_get_row(st->driver, p, res, &row, -1)) {
        if (!value) {
            const char *v = apr_dbd_get_entry(st->driver, row, 0);
            value = apr_pstrdup(p, v ? v : "");
        }
    }
    return value;
}

const char *cmcas_store_sqlite_settings(const cmcas_store_t *st, apr_pool_t *p)
{
    const char *busy, *journal, *wrong = NULL;

    if (strcmp(apr_dbd_name(st->driver), "sqlite3")) {
        return NULL;
    }
    busy = cmcas_store_pragma(st, p, "PRAGMA busy_timeout");
    journal = cmcas_store_pragma(st, p, "PRAGMA journal_mode");
    if (!busy || !strcmp(busy, "0")) {
        wrong = "no busy timeout (PRAGMA busy_timeout = 5000 did not run): a write that "
                "meets another waits 100 ms at a time";
    }
    if (!journal || strcasecmp(journal, "wal")) {
        wrong = apr_pstrcat(p, wrong ? wrong : "", wrong ? "; " : "",
                            "the database file is not in WAL mode (journal_mode ",
                            journal ? journal : "?", "): pages wait for every write", NULL);
    }
    return wrong;
}

int cmcas_store_pgsql_lock_timeout_off(const cmcas_store_t *st, apr_pool_t *p)
{
    const char *value;

    if (strcmp(apr_dbd_name(st->driver), "pgsql")) {
        return 0;
    }
    /* "0" when off; else with its unit ("5s"). Not readable: not said to be off. */
    value = cmcas_store_pragma(st, p, "SHOW lock_timeout");
    return value && !strcmp(value, "0");
}

cmcas_result_kind_t cmcas_store_end_result(cmcas_result_t *res, cmcas_store_tx_t *tx,
                                           apr_status_t rv, const char *what,
                                           const char *err)
{
    const char *end_err = NULL;

    if (APR_SUCCESS != rv) {
        cmcas_store_end(tx, 0, &end_err);
        return cmcas_result_error(res, what, err);
    }
    if (APR_SUCCESS != cmcas_store_end(tx, 1, &end_err)) {
        return cmcas_result_error(res, what, end_err);
    }
    cmcas_result_done(res);
    return res->kind;
}
