#include "mod_cmcas_private.h"

#include <poll.h>
#include <apr_strings.h>
#include <apu.h>
#include <apr_optional_hooks.h>
#include <http_request.h>
#include <libpq-fe.h>
#include <libpq-events.h>

#include "mod_cmcas_reconnect.h"
#include "mod_cmcas_request.h"
#include "cmcas_reconnect.h"
#include "cmcas_sqlite_wait.h"
#include "mod_cmcas_config.h"

/* What we know of one mod_dbd connection, kept in its pool (it lives and dies with it). */
typedef struct {
    dbd_cfg_t *cfg;                 /* its statements (every module's) and DBDInitSQL */
    ap_dbd_t *rec;
    int pgsql, sqlite;
    apr_int64_t schema_version;     /* SQLite: the schema its statements were made for */
    void *version_stmt;             /* SQLite: our statement reading the schema version */
    int stale;                      /* some statements could not be prepared again, */
    apr_int64_t failed_version;     /* SQLite: for this schema (tried again after a change) */
    apr_time_t retry_at;            /* PostgreSQL: tried again from then on */
    int busy_spread;                /* SQLite: its busy timeout fits the driver's retries */
} mod_cmcas_reconnect_conn_t;

/* apr_dbd_sqlite3 tries a statement that meets a lock this many times. */
#define MOD_CMCAS_RECONNECT_SQLITE_TRIES 16

/* PostgreSQL tells no schema version: a failed repair is tried again after this long. */
#define MOD_CMCAS_RECONNECT_RETRY apr_time_from_sec(1)

#define MOD_CMCAS_RECONNECT_KEY "mod_cmcas_reconnect"

static mod_cmcas_reconnect_conn_t *mod_cmcas_reconnect_conn(ap_dbd_t *rec)
{
    void *conn = NULL;
    apr_pool_userdata_get(&conn, MOD_CMCAS_RECONNECT_KEY, rec->pool);
    return conn;
}

/* A failure nobody waits for: the log only (the request goes on; a statement that did
 * not prepare fails where it is used, with its own error). */
static void mod_cmcas_reconnect_failed(mod_cmcas_reconnect_conn_t *conn, const char *err)
{
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, conn->cfg->server, CMCAS_LOGNO(87) "%s", err);
}

/* Prepares every statement of the connection again (and, on PostgreSQL, runs DBDInitSQL
 * again: a new session lost its settings too); logs once for the connection, success or
 * failure. What could not be prepared stays as it was: the pages that use it fail, the
 * others work. */
static apr_status_t mod_cmcas_reconnect_repair(mod_cmcas_reconnect_conn_t *conn,
                                               const char *why, apr_pool_t *ptemp)
{
    ap_dbd_t *rec = conn->rec;
    const char *err = NULL;
    apr_int64_t version = -1;
    apr_status_t rv;
    int count = 0;

    if (conn->pgsql) {
        int nrows = 0;
        /* PostgreSQL names a statement by its label: preparing it again on the server is
         * enough, the driver's objects in rec->prepared stay valid and nothing is kept.
         * After a half-done attempt some exist, and PREPARE of an existing name fails:
         * the session's statements are all mod_dbd's (all prepared again here). */
        apr_dbd_query(rec->driver, rec->handle, &nrows, "DEALLOCATE ALL");
        rv = cmcas_reconnect_prepare_all(&count, rec->driver, rec->handle, NULL,
                                         conn->cfg->queries, ptemp, ptemp, &err);
        if (APR_SUCCESS == rv) {
            rv = cmcas_reconnect_init_sql(rec->driver, rec->handle,
                                          conn->cfg->init_queries, ptemp, &err);
        }
        conn->retry_at = apr_time_now() + MOD_CMCAS_RECONNECT_RETRY;
    }
    else {
        /* Read first: a change made while we prepare is seen at the next check. */
        version = cmcas_reconnect_schema_version(rec->driver, rec->handle,
                                                 &conn->version_stmt);
        /* SQLite's statements are new objects, kept by the driver until the connection
         * closes (apr_dbd cannot finalize one): replaced in the hash every module reads,
         * they live in the connection's pool. A schema change is rare: bounded. */
        rv = cmcas_reconnect_prepare_all(&count, rec->driver, rec->handle, rec->prepared,
                                         conn->cfg->queries, rec->pool, ptemp, &err);
        conn->failed_version = version;
    }
    conn->stale = APR_SUCCESS != rv;
    if (APR_SUCCESS != rv) {
        mod_cmcas_reconnect_failed(conn, apr_psprintf(
            ptemp, "%d statements of a %s connection prepared again after %s, not all: %s "
            "(tried again %s)", count, conn->cfg->name, why, err,
            conn->pgsql ? "a second later" : "after the next schema change"));
        return rv;
    }
    conn->schema_version = version;
    ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, conn->cfg->server, CMCAS_LOGNO(86)
                 "%d statements of a %s connection prepared again after %s", count,
                 conn->cfg->name, why);
    return APR_SUCCESS;
}

/* libpq calls this inside PQreset(), i.e. inside mod_dbd's check of a connection it is
 * handing out (to us, mod_authn_dbd or mod_session_dbd), once the new session is up:
 * the one moment every user of the connection goes through, so the statements are back
 * before anyone runs one. */
static int mod_cmcas_reconnect_pg_event(PGEventId id, void *info, void *data)
{
    mod_cmcas_reconnect_conn_t *conn = data;
    apr_pool_t *ptemp;

    (void)info;
    if (PGEVT_CONNRESET == id) {
        if (APR_SUCCESS != apr_pool_create(&ptemp, conn->rec->pool)) {
            conn->stale = 1;
            return 1;
        }
        mod_cmcas_reconnect_repair(conn, "a reconnection", ptemp);
        apr_pool_destroy(ptemp);
    }
    /* Success always: libpq before 15 would drop a connection whose event failed. */
    return 1;
}

static apr_status_t mod_cmcas_reconnect_end(void *data)
{
    mod_cmcas_reconnect_conn_t *conn = data;

    cmcas_reconnect_schema_version_end(&conn->version_stmt);
    return APR_SUCCESS;
}

/* mod_dbd's post_connect hook: a new connection, its statements just prepared. */
static apr_status_t mod_cmcas_reconnect_post_connect(apr_pool_t *pool, dbd_cfg_t *cfg,
                                                     ap_dbd_t *rec)
{
    mod_cmcas_reconnect_conn_t *conn = apr_pcalloc(rec->pool, sizeof(*conn));
    const char *name = apr_dbd_name(rec->driver);

    (void)pool;

    conn->cfg = cfg;
    conn->rec = rec;
    conn->schema_version = -1;
    if (!strcmp(name, "sqlite3")) {
        conn->sqlite = 1;
        conn->schema_version = cmcas_reconnect_schema_version(rec->driver, rec->handle,
                                                              &conn->version_stmt);
        /* Finalized before the driver closes the connection (cleanups run last
         * registered first: mod_dbd registered the close before this hook ran). */
        apr_pool_cleanup_register(rec->pool, conn, mod_cmcas_reconnect_end,
                                  apr_pool_cleanup_null);
    }
    else if (!strcmp(name, "pgsql")) {
        conn->pgsql = 1;
        if (!PQregisterEventProc(apr_dbd_native_handle(rec->driver, rec->handle),
                                 mod_cmcas_reconnect_pg_event, "mod_cmcas", conn)) {
            mod_cmcas_reconnect_failed(conn, "a pgsql connection cannot be watched for "
                                       "reconnections (libpq refused the event)");
        }
    }
    apr_pool_userdata_setn(conn, MOD_CMCAS_RECONNECT_KEY, NULL, rec->pool);
    return APR_SUCCESS;
}

/* The wait of a new SQLite connection, before DBDInitSQL's busy_timeout takes over. */
#define MOD_CMCAS_RECONNECT_SQLITE_WAIT_MS 5000

int mod_cmcas_reconnect_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                    server_rec *s)
{
    (void)plog;
    (void)ptemp;
    if (mod_cmcas_config_job_server() &&
        cmcas_sqlite_wait_install(pconf, MOD_CMCAS_RECONNECT_SQLITE_WAIT_MS) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, CMCAS_LOGNO(95)
                     "SQLite refused the busy timeout of new connections: a child that "
                     "starts while another holds the database may fail to prepare its "
                     "statements (mod_dbd retries at the next request)");
    }
    return OK;
}

void mod_cmcas_reconnect_register(void)
{
    /* First: mod_dbd's own hook (DBDInitSQL) fails on SQLite's PRAGMA busy_timeout (it
     * returns a row), and a failed hook stops those after it. */
    APR_OPTIONAL_HOOK(dbd, post_connect, mod_cmcas_reconnect_post_connect, NULL, NULL,
                      APR_HOOK_FIRST);
}

/* PostgreSQL: whether the server is still there, without waiting. A server that shut
 * down sent its last words and closed the socket: reading what is already there (libpq
 * never blocks on it) turns the connection bad, the second read seeing the end. */
static int mod_cmcas_reconnect_pg_alive(PGconn *pg)
{
    struct pollfd pfd;
    int i;

    /* Nothing to read (the usual case): alive, at the cost of one poll. */
    pfd.fd = PQsocket(pg);
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (PQstatus(pg) == CONNECTION_OK && pfd.fd >= 0 && poll(&pfd, 1, 0) == 0) {
        return 1;
    }
    for (i = 0; i < 3 && PQstatus(pg) == CONNECTION_OK
                && PQtransactionStatus(pg) == PQTRANS_IDLE; i++) {
        if (!PQconsumeInput(pg)) {
            break;
        }
    }
    return PQstatus(pg) == CONNECTION_OK;
}

apr_status_t mod_cmcas_reconnect_check(ap_dbd_t *dbd, apr_pool_t *p, const char **perr)
{
    mod_cmcas_reconnect_conn_t *conn = mod_cmcas_reconnect_conn(dbd);

    if (!conn) {
        return APR_SUCCESS;
    }
    if (conn->pgsql) {
        PGconn *pg = apr_dbd_native_handle(dbd->driver, dbd->handle);
        /* apr_dbd_check_conn resets a bad one; our event prepares its statements. */
        if (!mod_cmcas_reconnect_pg_alive(pg)
            && APR_SUCCESS != apr_dbd_check_conn(dbd->driver, p, dbd->handle)) {
            *perr = apr_pstrcat(p, "the connection to PostgreSQL is lost and cannot be "
                                "opened again: ", PQerrorMessage(pg), NULL);
            return APR_ECONNREFUSED;
        }
        if (conn->stale && apr_time_now() >= conn->retry_at) {
            mod_cmcas_reconnect_repair(conn, "a reconnection", p);
        }
    }
    else if (conn->sqlite && !conn->busy_spread) {
        /* At its first use: DBDInitSQL has set the busy timeout by now. */
        conn->busy_spread = 1;
        cmcas_sqlite_wait_spread(apr_dbd_native_handle(dbd->driver, dbd->handle),
                                 MOD_CMCAS_RECONNECT_SQLITE_TRIES);
    }
    if (conn->sqlite
        && cmcas_reconnect_sqlite_due(conn->stale, conn->failed_version,
                                      conn->schema_version,
                                      cmcas_reconnect_schema_version(
                                          dbd->driver, dbd->handle,
                                          &conn->version_stmt), 0)) {
        mod_cmcas_reconnect_repair(conn, "a schema change", p);
    }
    return APR_SUCCESS;
}

typedef struct {
    ap_dbd_t *dbd;
    apr_pool_t *pool;
} mod_cmcas_reconnect_baton_t;

/* The store's second chance (cmcas_store_recover_t). */
static apr_status_t mod_cmcas_reconnect_recover(void *data, int rc, const char *err)
{
    mod_cmcas_reconnect_baton_t *b = data;
    mod_cmcas_reconnect_conn_t *conn = mod_cmcas_reconnect_conn(b->dbd);

    if (!conn) {
        return APR_EGENERAL;
    }
    if (conn->pgsql) {
        /* A plain SQL error leaves the connection good: nothing to repair. A lost one is
         * reset (our event prepares the statements) and the read runs on the new one. */
        PGconn *pg = apr_dbd_native_handle(b->dbd->driver, b->dbd->handle);
        if (PQstatus(pg) == CONNECTION_OK
            || APR_SUCCESS != apr_dbd_check_conn(b->dbd->driver, b->pool, b->dbd->handle)) {
            return APR_EGENERAL;
        }
    }
    else if (conn->sqlite
             && cmcas_reconnect_sqlite_due(
                    conn->stale, conn->failed_version, conn->schema_version,
                    cmcas_reconnect_schema_version(b->dbd->driver, b->dbd->handle,
                                                   &conn->version_stmt),
                    cmcas_reconnect_is_schema_change("sqlite3", rc, err))) {
        return mod_cmcas_reconnect_repair(conn, "a schema change", b->pool);
    }
    else {
        return APR_EGENERAL;
    }
    return conn->stale ? APR_EGENERAL : APR_SUCCESS;
}

void mod_cmcas_reconnect_store(cmcas_store_t *st, ap_dbd_t *dbd, apr_pool_t *p)
{
    mod_cmcas_reconnect_baton_t *b = apr_palloc(p, sizeof(*b));

    st->driver = dbd->driver;
    st->handle = dbd->handle;
    st->prepared = dbd->prepared;
    b->dbd = dbd;
    b->pool = p;
    st->recover = mod_cmcas_reconnect_recover;
    st->recover_baton = b;
}

/* Whether the request will reach the database before our handler does: a login or a
 * logout (mod_auth_form's handlers), or a portal page that needs an authentication
 * (mod_authn_dbd, mod_session_dbd may be its providers; the login page needs none, and
 * answers without the database). */
static int mod_cmcas_reconnect_db_before_handler(request_rec *r)
{
    const char *h = mod_cmcas_request_set_handler(r);

    if (!h) {
        return 0;
    }
    if (!strcmp(h, "form-login-handler") || !strcmp(h, "form-logout-handler")) {
        return 1;
    }
    return !strcmp(h, "cmcas") && ap_some_authn_required(r);
}

int mod_cmcas_reconnect_before_auth(request_rec *r)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_open) *open_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    APR_OPTIONAL_FN_TYPE(ap_dbd_close) *close_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    const mod_cmcas_config_cmcas_t *portal = mod_cmcas_config_portal(r);
    const char *err = NULL;
    mod_cmcas_request_t rq;
    ap_dbd_t *dbd;
    apr_status_t rv;

    if (!portal || !ap_is_initial_req(r) || !open_fn || !close_fn
        || !mod_cmcas_reconnect_db_before_handler(r)) {
        return DECLINED;
    }
    /* A bad query string is told first (400), as the handler would, database or not;
     * a bank's return is not read here (its own limits apply once it is verified). */
    if (mod_cmcas_request_bank_path(r)) {
        mod_cmcas_request_init_bare(&rq, r, portal);
    }
    else if (OK != mod_cmcas_request_init(&rq, r, portal)) {
        return DONE;
    }
    /* Taken and given back at once (never held through a slow request): mod_dbd's pool
     * hands out the connection last given back, so it is the one the authentication
     * takes next, unless another thread takes it first (then the handler's own check,
     * or a read's second try, repairs that one). */
    if (!(dbd = open_fn(r->pool, r->server))) {
        mod_cmcas_request_unavailable(&rq, NULL);
        return DONE;
    }
    rv = mod_cmcas_reconnect_check(dbd, r->pool, &err);
    close_fn(r->server, dbd);
    if (APR_SUCCESS != rv) {
        mod_cmcas_request_unavailable(&rq, err);
        return DONE;
    }
    mod_cmcas_request_config(r)->dbd_checked = dbd;
    return DECLINED;
}
