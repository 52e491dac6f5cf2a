#include <apr_strings.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_ratelimit.h"
#include "cmcas_ratelimit.h"

/* Tags are below 1000; 10 lines a minute per tag and child bound a burst of probes, and
 * still show a handful of them (with the count of the others). */
#define MOD_CMCAS_RATELIMIT_KINDS 1000
#define MOD_CMCAS_RATELIMIT_BURST 10
#define MOD_CMCAS_RATELIMIT_WINDOW apr_time_from_sec(60)

static cmcas_ratelimit_t *mod_cmcas_ratelimit;

void mod_cmcas_ratelimit_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv = cmcas_ratelimit_create(&mod_cmcas_ratelimit, pchild,
                                             MOD_CMCAS_RATELIMIT_KINDS,
                                             MOD_CMCAS_RATELIMIT_BURST,
                                             MOD_CMCAS_RATELIMIT_WINDOW);
    if (APR_SUCCESS != rv) {
        mod_cmcas_ratelimit = NULL;     /* every line written: noisy, never silent */
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, CMCAS_LOGNO(200)
                     "cannot create the log rate limiter of this child");
    }
}

int mod_cmcas_ratelimit_ok(request_rec *r, int logno, const char **pnote)
{
    unsigned suppressed = 0;

    *pnote = "";
    if (!cmcas_ratelimit_take(mod_cmcas_ratelimit, logno, r->request_time, &suppressed)) {
        return 0;
    }
    if (suppressed) {
        *pnote = apr_psprintf(r->pool, " [%u more like this not logged]", suppressed);
    }
    return 1;
}
