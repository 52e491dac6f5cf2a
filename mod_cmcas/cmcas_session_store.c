#include <apr_strings.h>

#include "cmcas_session_store.h"

const cmcas_store_stmt_t cmcas_session_store_statements[] = {
    /* Apache's times: microseconds since 1970. */
    {"cmcas_session_purge", "DELETE FROM cmcas_session WHERE expiry < %lld"},
    {NULL, NULL}
};

apr_status_t cmcas_session_store_purge(int *pdeleted, const cmcas_store_t *st,
                                       apr_pool_t *p, apr_time_t now, const char **perr)
{
    const char *arg = apr_psprintf(p, "%" APR_TIME_T_FMT, now);
    return cmcas_store_exec(pdeleted, st, p, "cmcas_session_purge", perr, 1, &arg);
}
