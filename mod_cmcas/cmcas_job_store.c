#include <apr_strings.h>

#include "cmcas_job_store.h"

const cmcas_store_stmt_t cmcas_job_store_statements[] = {
    /* One statement, so the database decides between two servers claiming at once: the
     * row is locked by the first update, and the second one's condition is then read
     * again (PostgreSQL) or waits for the writer (SQLite). */
    {"cmcas_job_claim",
     "UPDATE cmcas_job SET owner = %s, lease_until = %lld "
     "WHERE name = %s AND (owner = %s OR lease_until < %lld)"},
    {"cmcas_job_holder", "SELECT owner, lease_until FROM cmcas_job WHERE name = %s"},
    {NULL, NULL}
};

apr_status_t cmcas_job_store_claim(int *pmine, const cmcas_store_t *st, apr_pool_t *p,
                                   const char *name, const char *owner, apr_int64_t now,
                                   apr_int64_t lease, const char **perr)
{
    const char *args[5];

    args[0] = owner;
    args[1] = cmcas_store_num(p, now + lease);
    args[2] = name;
    args[3] = owner;
    args[4] = cmcas_store_num(p, now);
    return cmcas_store_exec_one(pmine, st, p, "cmcas_job_claim", perr, 5, args);
}

apr_status_t cmcas_job_store_holder(const char **powner, apr_int64_t *puntil,
                                    const cmcas_store_t *st, apr_pool_t *p,
                                    const char *name, const char **perr)
{
    cmcas_store_cursor_t cur;
    apr_dbd_row_t *row;
    apr_status_t rv;

    *powner = NULL;
    *puntil = 0;
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, "cmcas_job_holder", perr, 1,
                                                &name))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        *powner = cmcas_store_str(&cur, row, 0);
        *puntil = cmcas_store_int(&cur, row, 1);
    }
    return APR_SUCCESS;
}
