#include "mod_cmcas_private.h"

#include <apr_atomic.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_dbd.h>
#include <mod_dbd.h>

#include "mod_cmcas_schema_check.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_request.h"
#include "cmcas_schema.h"

/* What this child knows of a database's schema. */
#define MOD_CMCAS_SCHEMA_CHECK_UNKNOWN 0    /* not read yet, or could not be read */
#define MOD_CMCAS_SCHEMA_CHECK_CURRENT 1
#define MOD_CMCAS_SCHEMA_CHECK_OLDER 2      /* the 503 page until it is migrated */
#define MOD_CMCAS_SCHEMA_CHECK_NEWER 3      /* warned, and served */

/* While the schema is not known to be current, read again after this long. */
#define MOD_CMCAS_SCHEMA_CHECK_RETRY apr_time_from_sec(2)

/* One database (DBDriver and DBDParams) of the server's portals. */
typedef struct {
    const char *driver_name;
    const char *params;
    server_rec *s;                  /* the first server using it, for the log */
    apr_uint32_t state;             /* MOD_CMCAS_SCHEMA_CHECK_*: read without the lock */
    apr_int64_t version;            /* the database's, once read (under the lock) */
    apr_time_t next_read;           /* the next read while not current (under the lock) */
    apr_uint32_t logged;            /* the state last logged: each once in a row */
} mod_cmcas_schema_check_db_t;

/* server_rec * -> mod_cmcas_schema_check_db_t * (in pconf; each child has its copy). */
static apr_hash_t *mod_cmcas_schema_check_servers;
static apr_thread_mutex_t *mod_cmcas_schema_check_lock;

/* mod_dbd's settings of a server. It keeps them to itself: its server config is
 * { dbd_cfg_t *cfg; ... } in every 2.4 release, and cfg->server names the server it
 * was made for, which tells that the layout is still the one expected. */
static const dbd_cfg_t *mod_cmcas_schema_check_dbd_cfg(server_rec *s)
{
    module *dbd = ap_find_linked_module("mod_dbd.c");
    dbd_cfg_t **pcfg = dbd ? ap_get_module_config(s->module_config, dbd) : NULL;

    if (!pcfg || !*pcfg || (*pcfg)->server != s || !(*pcfg)->name || !(*pcfg)->params
        || !cmcas_schema_engine_dir((*pcfg)->name)) {
        return NULL;
    }
    return *pcfg;
}

int mod_cmcas_schema_check_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                       apr_pool_t *ptemp, server_rec *s)
{
    apr_hash_t *dbs = apr_hash_make(ptemp);
    server_rec *sp;

    (void)plog;
    mod_cmcas_schema_check_servers = apr_hash_make(pconf);
    for (sp = s; sp; sp = sp->next) {
        const dbd_cfg_t *cfg = mod_cmcas_schema_check_dbd_cfg(sp);
        mod_cmcas_schema_check_db_t *db;
        const char *key;

        if (!cfg) {
            continue;
        }
        key = apr_pstrcat(ptemp, cfg->name, "\n", cfg->params, NULL);
        if (!(db = apr_hash_get(dbs, key, APR_HASH_KEY_STRING))) {
            db = apr_pcalloc(pconf, sizeof(*db));
            db->driver_name = apr_pstrdup(pconf, cfg->name);
            db->params = apr_pstrdup(pconf, cfg->params);
            db->s = sp;
            db->version = -1;
            apr_hash_set(dbs, key, APR_HASH_KEY_STRING, db);
        }
        apr_hash_set(mod_cmcas_schema_check_servers, apr_pmemdup(pconf, &sp, sizeof(sp)),
                     sizeof(sp), db);
    }
    return OK;
}

void mod_cmcas_schema_check_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv = apr_thread_mutex_create(&mod_cmcas_schema_check_lock,
                                              APR_THREAD_MUTEX_DEFAULT, pchild);
    if (APR_SUCCESS != rv) {
        mod_cmcas_schema_check_lock = NULL;
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, CMCAS_LOGNO(246)
                     "cannot create the lock of the schema version check: this child "
                     "does not check the database's schema version");
    }
}

/* The database's version, on a connection of our own (closed at once); -1 and *perr
 * when it cannot be read: the database is away, the usual path tells why. */
static apr_int64_t mod_cmcas_schema_check_read(const mod_cmcas_schema_check_db_t *db,
                                               apr_pool_t *p, const char **perr)
{
    const apr_dbd_driver_t *driver = NULL;
    apr_dbd_t *handle = NULL;
    apr_int64_t version = -1;

    *perr = NULL;
    if (APR_SUCCESS != apr_dbd_get_driver(p, db->driver_name, &driver)) {
        *perr = "no such apr_dbd driver";
        return -1;
    }
    if (APR_SUCCESS != apr_dbd_open_ex(driver, p, db->params, &handle, perr)) {
        *perr = *perr ? *perr : "cannot connect";
        return -1;
    }
    cmcas_schema_db_version(&version, driver, handle, p, perr);
    apr_dbd_close(driver, handle);
    return version;
}

/* Logs a new state once (the child's first read, and each change). */
static void mod_cmcas_schema_check_log(mod_cmcas_schema_check_db_t *db, apr_uint32_t state,
                                       apr_int64_t was)
{
    if (db->logged == state) {
        return;
    }
    db->logged = state;
    if (state == MOD_CMCAS_SCHEMA_CHECK_OLDER && db->version == 0) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, db->s, CMCAS_LOGNO(243)
                     "the %s database has no mod_cmcas schema (no table "
                     "cmcas_schema_version): check DBDParams, or create the schema with "
                     "cmcas-migrate init; the portal answers 503 until then",
                     db->driver_name);
    }
    else if (state == MOD_CMCAS_SCHEMA_CHECK_OLDER) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, db->s, CMCAS_LOGNO(240)
                     "database schema %" APR_INT64_T_FMT " is older than the module's %d: "
                     "run cmcas-migrate apply (the portal answers 503 until then)",
                     db->version, CMCAS_SCHEMA_VERSION);
    }
    else if (state == MOD_CMCAS_SCHEMA_CHECK_NEWER) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, db->s, CMCAS_LOGNO(241)
                     "database schema %" APR_INT64_T_FMT " is newer than the module's %d: "
                     "the portal goes on (a database migrated for a newer mod_cmcas on "
                     "another server); upgrade mod_cmcas here", db->version,
                     CMCAS_SCHEMA_VERSION);
    }
    else if (was >= 0) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, db->s, CMCAS_LOGNO(242)
                     "database schema %" APR_INT64_T_FMT " (was %" APR_INT64_T_FMT "): "
                     "the portal serves again", db->version, was);
    }
}

/* Reads the version when it is due (under the lock); returns the state now. `p` holds
 * the connection for the read. */
static apr_uint32_t mod_cmcas_schema_check_now(mod_cmcas_schema_check_db_t *db,
                                               apr_pool_t *p)
{
    apr_uint32_t state;
    apr_time_t now = apr_time_now();
    const char *err = NULL;
    apr_int64_t version, was;

    apr_thread_mutex_lock(mod_cmcas_schema_check_lock);
    state = apr_atomic_read32(&db->state);
    if (state == MOD_CMCAS_SCHEMA_CHECK_CURRENT || state == MOD_CMCAS_SCHEMA_CHECK_NEWER
        || now < db->next_read) {
        apr_thread_mutex_unlock(mod_cmcas_schema_check_lock);
        return state;
    }
    version = mod_cmcas_schema_check_read(db, p, &err);
    db->next_read = apr_time_now() + MOD_CMCAS_SCHEMA_CHECK_RETRY;
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, db->s, CMCAS_LOGNO(244)
                 "%s database schema read: %" APR_INT64_T_FMT " (the module's %d)%s%s",
                 db->driver_name, version, CMCAS_SCHEMA_VERSION, err ? ": " : "",
                 err ? err : "");
    if (version >= 0) {
        was = db->version;
        db->version = version;
        state = version < CMCAS_SCHEMA_VERSION ? MOD_CMCAS_SCHEMA_CHECK_OLDER
                : version > CMCAS_SCHEMA_VERSION ? MOD_CMCAS_SCHEMA_CHECK_NEWER
                : MOD_CMCAS_SCHEMA_CHECK_CURRENT;
        mod_cmcas_schema_check_log(db, state, was);
        apr_atomic_set32(&db->state, state);
    }
    apr_thread_mutex_unlock(mod_cmcas_schema_check_lock);
    return state;
}

/* The database of server `s`, when this child checks it. */
static mod_cmcas_schema_check_db_t *mod_cmcas_schema_check_db(server_rec *s)
{
    if (!mod_cmcas_schema_check_servers || !mod_cmcas_schema_check_lock) {
        return NULL;
    }
    return apr_hash_get(mod_cmcas_schema_check_servers, &s, sizeof(s));
}

const char *mod_cmcas_schema_check_older(server_rec *s, apr_pool_t *p)
{
    mod_cmcas_schema_check_db_t *db = mod_cmcas_schema_check_db(s);
    apr_uint32_t state = db ? apr_atomic_read32(&db->state) : MOD_CMCAS_SCHEMA_CHECK_CURRENT;

    if (state == MOD_CMCAS_SCHEMA_CHECK_CURRENT || state == MOD_CMCAS_SCHEMA_CHECK_NEWER
        || mod_cmcas_schema_check_now(db, p) != MOD_CMCAS_SCHEMA_CHECK_OLDER) {
        return NULL;
    }
    return apr_psprintf(p, "the database's schema %" APR_INT64_T_FMT " is older than the "
                        "module's %d: run cmcas-migrate apply", db->version,
                        CMCAS_SCHEMA_VERSION);
}

/* Whether the request reaches the database: the portal's pages but its login forms
 * (they read only the configuration: the load balancer's health check of Apache itself,
 * docs/operations.md), a login, a logout. */
static int mod_cmcas_schema_check_needs_db(request_rec *r)
{
    const char *h = mod_cmcas_request_set_handler(r), *base, *path;
    size_t blen;

    if (h && !strcmp(h, "cmcas")) {
        base = mod_cmcas_config_base(r);
        blen = strlen(base);
        path = strncmp(r->uri, base, blen) ? "" : r->uri + blen;
        return strcmp(path, "/connexion") && strcmp(path, "/gestion/connexion");
    }
    return h && (!strcmp(h, "form-login-handler") || !strcmp(h, "form-logout-handler"));
}

int mod_cmcas_schema_check_request(request_rec *r)
{
    const mod_cmcas_config_cmcas_t *portal;
    mod_cmcas_schema_check_db_t *db;
    mod_cmcas_request_t rq;
    apr_uint32_t state;

    /* The usual case, on every request: one lookup, one read. */
    if (!(db = mod_cmcas_schema_check_db(r->server))) {
        return DECLINED;
    }
    state = apr_atomic_read32(&db->state);
    if (state == MOD_CMCAS_SCHEMA_CHECK_CURRENT || state == MOD_CMCAS_SCHEMA_CHECK_NEWER
        || !ap_is_initial_req(r) || !(portal = mod_cmcas_config_portal(r))
        || !mod_cmcas_schema_check_needs_db(r)) {
        return DECLINED;
    }
    if (mod_cmcas_schema_check_now(db, r->pool) != MOD_CMCAS_SCHEMA_CHECK_OLDER) {
        return DECLINED;            /* current, or unknown: the usual path tells */
    }
    mod_cmcas_request_init_bare(&rq, r, portal);
    mod_cmcas_request_error(&rq, HTTP_SERVICE_UNAVAILABLE,
                            "Le service est momentanément indisponible. "
                            "Merci de réessayer dans quelques minutes.");
    return DONE;
}
