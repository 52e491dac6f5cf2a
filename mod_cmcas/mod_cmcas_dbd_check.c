#include <apr_strings.h>
#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <ap_mpm.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_dbd_check.h"
#include "mod_cmcas_perm_check.h"
#include "cmcas_dbd_rules.h"

/* mod_dbd keeps its settings to itself: they are read from the configuration tree, as
 * written (a <VirtualHost> inherits the main server's, each directive it sets replaces
 * them). */
typedef struct {
    cmcas_dbd_rules_t rules;
    const ap_directive_t *where;    /* the DBDriver line, for the message */
    const char *params;             /* DBDParams, NULL when not set */
    const ap_directive_t *params_where;
} mod_cmcas_dbd_check_set_t;

static void mod_cmcas_dbd_check_read(apr_pool_t *p, mod_cmcas_dbd_check_set_t *set,
                                     const ap_directive_t *d, int *init_replaced)
{
    const char *args = d->args;

    if (!strcasecmp(d->directive, "DBDriver")) {
        set->rules.driver = ap_getword_conf(p, &args);
        set->where = d;
    }
    else if (!strcasecmp(d->directive, "DBDParams")) {
        set->params = ap_getword_conf(p, &args);
        set->params_where = d;
    }
    else if (!strcasecmp(d->directive, "DBDMin")) {
        set->rules.min = atoi(ap_getword_conf(p, &args));
    }
    else if (!strcasecmp(d->directive, "DBDKeep")) {
        set->rules.keep = atoi(ap_getword_conf(p, &args));
    }
    else if (!strcasecmp(d->directive, "DBDMax")) {
        set->rules.max = atoi(ap_getword_conf(p, &args));
    }
    else if (!strcasecmp(d->directive, "DBDInitSQL")) {
        if (!*init_replaced) {
            set->rules.init_sql = apr_array_make(p, 2, sizeof(const char *));
            *init_replaced = 1;
        }
        APR_ARRAY_PUSH(set->rules.init_sql, const char *) = ap_getword_conf(p, &args);
    }
}

/* Why the SQLite database DBDParams names cannot be the module's, or NULL: SQLite
 * creates a missing file (an empty database, at the wrong path) and needs to write the
 * file and, for its journal, the directory. */
static const char *mod_cmcas_dbd_check_sqlite(apr_pool_t *p, const char *params)
{
    const char *file = params, *user = mod_cmcas_perm_check_user_name();
    char *dir;
    apr_finfo_t fi;

    if (!strncmp(file, "file:", 5)) {
        file = apr_pstrndup(p, file + 5, strcspn(file + 5, "?#"));
    }
    if (*file != '/') {
        return apr_psprintf(p, "the SQLite database '%s' is not an absolute path (SQLite "
                            "would open it from httpd's working directory)", params);
    }
    dir = apr_pstrndup(p, file, (apr_size_t)(strrchr(file, '/') - file));
    if (APR_SUCCESS != apr_stat(&fi, file, APR_FINFO_TYPE, p)) {
        int has_dir = *dir && APR_SUCCESS == apr_stat(&fi, dir, APR_FINFO_TYPE, p);
        return apr_psprintf(p, "there is no SQLite database %s (%s): SQLite would create "
                            "an empty one there; create it from the schema (sql/sqlite, "
                            "docs/operations.md) or correct the path", file,
                            has_dir ? "no such file" : "not even its directory");
    }
    if (fi.filetype != APR_REG) {
        return apr_psprintf(p, "the SQLite database %s is not a file", file);
    }
    if (!mod_cmcas_perm_check_user_may(p, file, MOD_CMCAS_PERM_CHECK_R
                                                | MOD_CMCAS_PERM_CHECK_W)
        || !mod_cmcas_perm_check_user_may(p, *dir ? dir : "/", MOD_CMCAS_PERM_CHECK_W
                                                               | MOD_CMCAS_PERM_CHECK_X)) {
        return apr_psprintf(p, "%s cannot write the SQLite database %s and its directory "
                            "(SQLite writes its journal beside it)", user, file);
    }
    return NULL;
}

static int mod_cmcas_dbd_check_file(apr_pool_t *p, server_rec *s,
                                    const mod_cmcas_dbd_check_set_t *set)
{
    const char *why;

    if (!set->rules.driver || strcasecmp(set->rules.driver, "sqlite3") || !set->params
        || !(why = mod_cmcas_dbd_check_sqlite(p, set->params))) {
        return OK;
    }
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(253)
                 "DBDParams (%s:%d): %s", set->params_where->filename,
                 set->params_where->line_num, why);
    return !OK;
}

static int mod_cmcas_dbd_check_one(apr_pool_t *p, server_rec *s,
                                   const mod_cmcas_dbd_check_set_t *set)
{
    const char *why = cmcas_dbd_rules_check(p, &set->rules);

    if (!why) {
        return mod_cmcas_dbd_check_file(p, s, set);
    }
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(94)
                 "%s:%d: %s (docs/operations.md, « Database »)",
                 set->where ? set->where->filename : "?",
                 set->where ? set->where->line_num : 0, why);
    return !OK;
}

/* The settings a <VirtualHost> ends up with (its base's, each directive replacing);
 * whether it sets any of its own. */
static int mod_cmcas_dbd_check_vhost(apr_pool_t *p, const ap_directive_t *vhost,
                                     mod_cmcas_dbd_check_set_t *set)
{
    const ap_directive_t *v;
    int own = 0, any = 0;

    for (v = vhost->first_child; v; v = v->next) {
        any |= !strncasecmp(v->directive, "DBD", 3);
        mod_cmcas_dbd_check_read(p, set, v, &own);
    }
    return any;
}

/* The database of the scope a CMCASPortal line is in. */
static void mod_cmcas_dbd_check_of(apr_pool_t *p, const mod_cmcas_config_use_t *use,
                                   const mod_cmcas_dbd_check_set_t *main_set,
                                   mod_cmcas_dbd_check_set_t *set)
{
    const ap_directive_t *d;

    *set = *main_set;
    for (d = use->directive->parent; d; d = d->parent) {
        if (!strcasecmp(d->directive, "<VirtualHost")) {
            mod_cmcas_dbd_check_vhost(p, d, set);
            return;
        }
    }
}

static int mod_cmcas_dbd_check_same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* A portal's scope must name its database: mod_dbd has no default driver, and SQLite
 * without a file opens a private temporary database. */
static int mod_cmcas_dbd_check_named(server_rec *s, const mod_cmcas_config_use_t *u,
                                     const mod_cmcas_dbd_check_set_t *set)
{
    const char *missing = !set->rules.driver ? "DBDriver"
                        : !set->params ? "DBDParams" : NULL;

    if (!missing) {
        return OK;
    }
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(256)
                 "CMCASPortal %s (%s:%d): no %s for its server (nor for the main server): "
                 "mod_dbd has no database to give it (docs/operations.md, « Database »)",
                 u->code, u->file, u->line, missing);
    return !OK;
}

/* A CMCAS is one database: two portals of it reading different ones would split its
 * households, registrations and payments between them. */
static int mod_cmcas_dbd_check_portals(apr_pool_t *p, server_rec *s,
                                       const mod_cmcas_dbd_check_set_t *main_set)
{
    const apr_array_header_t *uses = mod_cmcas_config_uses();
    mod_cmcas_dbd_check_set_t *sets = apr_pcalloc(p, sizeof(*sets) * (uses->nelts + 1));
    int i, j;

    for (i = 0; i < uses->nelts; i++) {
        const mod_cmcas_config_use_t *u = &APR_ARRAY_IDX(uses, i, mod_cmcas_config_use_t);
        mod_cmcas_dbd_check_of(p, u, main_set, &sets[i]);
        if (mod_cmcas_dbd_check_named(s, u, &sets[i]) != OK) {
            return !OK;
        }
        for (j = 0; j < i; j++) {
            const mod_cmcas_config_use_t *o = &APR_ARRAY_IDX(uses, j,
                                                             mod_cmcas_config_use_t);
            if (strcmp(u->code, o->code)
                || (mod_cmcas_dbd_check_same(sets[i].rules.driver, sets[j].rules.driver)
                    && mod_cmcas_dbd_check_same(sets[i].params, sets[j].params))) {
                continue;
            }
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(254)
                         "CMCASPortal %s (%s:%d): CMCAS %s is already served at %s:%d "
                         "from another database (DBDriver/DBDParams of its virtual "
                         "host): all the portals of a CMCAS must use one database",
                         u->code, u->file, u->line, u->code, o->file, o->line);
            return !OK;
        }
    }
    return OK;
}

int mod_cmcas_dbd_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                        server_rec *s)
{
    mod_cmcas_dbd_check_set_t main_set;
    const ap_directive_t *d;
    int threaded = 0, replaced = 0;

    (void)pconf;
    (void)plog;
    if (!mod_cmcas_config_job_server()) {
        return OK;              /* loaded without a portal: no database of ours */
    }
    ap_mpm_query(AP_MPMQ_IS_THREADED, &threaded);
    memset(&main_set, 0, sizeof(main_set));
    main_set.rules.min = main_set.rules.keep = main_set.rules.max = -1;
    main_set.rules.threaded = threaded != AP_MPMQ_NOT_SUPPORTED;
    for (d = ap_conftree; d; d = d->next) {
        mod_cmcas_dbd_check_read(ptemp, &main_set, d, &replaced);
    }
    if (mod_cmcas_dbd_check_one(ptemp, s, &main_set) != OK) {
        return !OK;
    }
    for (d = ap_conftree; d; d = d->next) {
        mod_cmcas_dbd_check_set_t vhost = main_set;
        if (strcasecmp(d->directive, "<VirtualHost")) {
            continue;
        }
        if (mod_cmcas_dbd_check_vhost(ptemp, d, &vhost)
            && mod_cmcas_dbd_check_one(ptemp, s, &vhost) != OK) {
            return !OK;
        }
    }
    return mod_cmcas_dbd_check_portals(ptemp, s, &main_set);
}
