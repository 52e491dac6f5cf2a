#include <apr_strings.h>
#include <apr_optional.h>
#include <apr_file_info.h>
#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <mod_watchdog.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_env_check.h"
#include "mod_cmcas_perm_check.h"

/* The unpaid orders' expiry, the draws and the e-mails run under mod_watchdog: without
 * it the server would start and never do them. */
static int mod_cmcas_env_check_watchdog(server_rec *s)
{
    const apr_array_header_t *uses = mod_cmcas_config_uses();
    const mod_cmcas_config_use_t *use = &APR_ARRAY_IDX(uses, 0, mod_cmcas_config_use_t);

    if (APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance)) {
        return OK;
    }
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(251)
                 "CMCASPortal %s (%s:%d) needs mod_watchdog (the jobs that end unpaid "
                 "orders, run the draws and send the e-mails): load it (LoadModule "
                 "watchdog_module)", use->code, use->file, use->line);
    return !OK;
}

/* The nearest existing directory at or above `path`, or NULL. */
static const char *mod_cmcas_env_check_dir(apr_pool_t *p, const char *path, int *exists)
{
    char *d = apr_pstrdup(p, path);
    apr_finfo_t fi;

    *exists = 1;
    while (*d) {
        if (APR_SUCCESS == apr_stat(&fi, d, APR_FINFO_TYPE, p)) {
            return fi.filetype == APR_DIR ? d : NULL;
        }
        *exists = 0;
        *strrchr(d, '/') = '\0';
    }
    return "/";
}

/* CMCASMailCommand runs as the server's user: its program must be executable by that
 * user, and a directory it names (a mail folder, a spool) writable by it. */
static int mod_cmcas_env_check_mail(apr_pool_t *p, server_rec *s)
{
    const char *where = NULL, *dir, *why = NULL, *user = mod_cmcas_perm_check_user_name();
    const char *const *argv = mod_cmcas_config_mail_argv(&where);
    int i, exists = 1;

    if (!argv) {
        return OK;
    }
    if (!mod_cmcas_perm_check_user_may(p, argv[0], MOD_CMCAS_PERM_CHECK_X)) {
        why = apr_psprintf(p, "%s cannot run %s", user, argv[0]);
    }
    for (i = 1; !why && argv[i]; i++) {
        if (*argv[i] != '/' || !(dir = mod_cmcas_env_check_dir(p, argv[i], &exists))) {
            continue;           /* an option, or a file it reads */
        }
        if (!mod_cmcas_perm_check_user_may(p, dir, MOD_CMCAS_PERM_CHECK_W
                                                   | MOD_CMCAS_PERM_CHECK_X)) {
            why = exists ? apr_psprintf(p, "%s cannot write into %s", user, dir)
                         : apr_psprintf(p, "%s does not exist and %s cannot create it "
                                        "in %s", argv[i], user, dir);
        }
    }
    if (!why) {
        return OK;
    }
    ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(252)
                 "CMCASMailCommand (%s): %s: the members' e-mails would never leave",
                 where ? where : "?", why);
    return !OK;
}

int mod_cmcas_env_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                        server_rec *s)
{
    (void)pconf;
    (void)plog;
    if (!mod_cmcas_config_job_server()) {
        return OK;              /* loaded without a portal: no jobs */
    }
    if (mod_cmcas_env_check_watchdog(s) != OK || mod_cmcas_env_check_mail(ptemp, s) != OK) {
        return !OK;
    }
    return OK;
}
