#include <apr_strings.h>
#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <ap_mpm.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_dbd_check.h"
#include "cmcas_dbd_rules.h"

/* mod_dbd keeps its settings to itself: they are read from the configuration tree, as
 * written (a <VirtualHost> inherits the main server's, each directive it sets replaces
 * them). */
typedef struct {
    cmcas_dbd_rules_t rules;
    const ap_directive_t *where;    /* the DBDriver line, for the message */
} mod_cmcas_dbd_check_set_t;

static void mod_cmcas_dbd_check_read(apr_pool_t *p, mod_cmcas_dbd_check_set_t *set,
                                     const ap_directive_t *d, int *init_replaced)
{
    const char *args = d->args;

    if (!strcasecmp(d->directive, "DBDriver")) {
        set->rules.driver = ap_getword_conf(p, &args);
        set->where = d;
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

static int mod_cmcas_dbd_check_one(apr_pool_t *p, server_rec *s,
                                   const mod_cmcas_dbd_check_set_t *set)
{
    const char *why = cmcas_dbd_rules_check(p, &set->rules);

    if (!why) {
        return OK;
    }
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(94)
                 "%s:%d: %s (docs/operations.md, « Database »)",
                 set->where ? set->where->filename : "?",
                 set->where ? set->where->line_num : 0, why);
    return !OK;
}

int mod_cmcas_dbd_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                        server_rec *s)
{
    mod_cmcas_dbd_check_set_t main_set;
    const ap_directive_t *d, *v;
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
        int own = 0, any = 0;
        if (strcasecmp(d->directive, "<VirtualHost")) {
            continue;
        }
        for (v = d->first_child; v; v = v->next) {
            any |= !strncasecmp(v->directive, "DBD", 3);
            mod_cmcas_dbd_check_read(ptemp, &vhost, v, &own);
        }
        if (any && mod_cmcas_dbd_check_one(ptemp, s, &vhost) != OK) {
            return !OK;
        }
    }
    return OK;
}
