/* Background jobs that must run on one server of several (009_jobs.sql of each engine): each job
 * is a row holding a lease, taken by a conditional update that the database serialises,
 * so two servers sharing one database never both run the job in the same period. */
#ifndef cmcas_job_store_h
#define cmcas_job_store_h

#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_job_store_statements[];

/* Takes or renews the lease of job `name` for `owner` until `now + lease` (seconds since
 * 1970): *pmine is 1 when `owner` holds it now (it held it already, or the holder let it
 * run out), 0 when another server's lease runs. */
apr_status_t cmcas_job_store_claim(int *pmine, const cmcas_store_t *st, apr_pool_t *p,
                                   const char *name, const char *owner, apr_int64_t now,
                                   apr_int64_t lease, const char **perr);

/* Who holds the lease of job `name` and until when (*powner NULL when no such job). */
apr_status_t cmcas_job_store_holder(const char **powner, apr_int64_t *puntil,
                                    const cmcas_store_t *st, apr_pool_t *p,
                                    const char *name, const char **perr);

#endif
