/* Reading activities and their options: the catalog's lists, one activity, its options.
 * Results are allocated from `p`; each returns APR_SUCCESS, APR_NOTFOUND (no such row)
 * or an error with *perr set to the driver's message. */
#ifndef cmcas_catalog_store_h
#define cmcas_catalog_store_h

#include "cmcas_activity.h"
#include "cmcas_store.h"
#include "cmcas_page_cache.h"

extern const cmcas_store_stmt_t cmcas_catalog_store_statements[];

/* One page of the catalog, chosen, ordered and counted in the database. */
typedef struct {
    const char *own_code;       /* the member's CMCAS */
    int others;                 /* 0: its activities; 1: the others' open to all */
    const char *theme;          /* NULL: any */
    const char *match;          /* NULL, or the search (cmcas_catalog_match) */
    const char *today;          /* ISO date */
    int limit, offset;
} cmcas_catalog_store_query_t;

/* Published, unfinished activities of the query, open ones first by start date: one
 * page of them (array of cmcas_activity_t, without description nor place) and *ptotal,
 * how many there are in all. */
apr_status_t cmcas_catalog_store_page(apr_array_header_t **pacts, int *ptotal,
                                     const cmcas_store_t *st, apr_pool_t *p,
                                     const cmcas_catalog_store_query_t *q, const char **perr);
/* The database's versions for the page cache (table cmcas_data_version). */
apr_status_t cmcas_catalog_store_version(cmcas_page_cache_version_t *v,
                                         const cmcas_store_t *st, apr_pool_t *p,
                                         const char **perr);
apr_status_t cmcas_catalog_store_activity(cmcas_activity_t **pact, const cmcas_store_t *st,
                                  apr_pool_t *p, apr_int64_t id, const char **perr);
apr_status_t cmcas_catalog_store_options(apr_array_header_t **popts, const cmcas_store_t *st,
                                 apr_pool_t *p, apr_int64_t activity_id,
                                 const char **perr);

#endif
