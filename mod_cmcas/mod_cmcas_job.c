#include "mod_cmcas_private.h"

#include <apr_strings.h>
#include <apr_network_io.h>
#include <http_main.h>

#include "mod_cmcas_job.h"

const char *mod_cmcas_job_owner(apr_pool_t *pconf)
{
    char host[APRMAXHOSTLEN + 1];

    if (APR_SUCCESS != apr_gethostname(host, sizeof(host), pconf)) {
        apr_cpystrn(host, "localhost", sizeof(host));
    }
    return apr_psprintf(pconf, "%s:%s", host, ap_server_root);
}

apr_status_t mod_cmcas_job_start(apr_pool_t *pconf, const char *name,
                                 apr_interval_time_t interval, server_rec *portal,
                                 ap_watchdog_callback_fn_t *callback)
{
    APR_OPTIONAL_FN_TYPE(ap_watchdog_get_instance) *get_fn =
        APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance);
    APR_OPTIONAL_FN_TYPE(ap_watchdog_register_callback) *register_fn =
        APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_register_callback);
    ap_watchdog_t *wd = NULL;
    apr_status_t rv;

    if (!get_fn || !register_fn) {
        return APR_ENOTIMPL;
    }
    /* A singleton (the 1): one child runs it at a time; the lease picks the server. */
    if (APR_SUCCESS != (rv = get_fn(&wd, name, 0, 1, pconf))) {
        return rv;
    }
    return register_fn(wd, interval, portal, callback);
}
