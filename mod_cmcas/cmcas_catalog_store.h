/* Reading activities and their options: the catalog's lists, one activity, its options.
 * Results are allocated from `p`; each returns APR_SUCCESS, APR_NOTFOUND (no such row)
 * or an error with *perr set to the driver's message. */
#ifndef cmcas_catalog_store_h
#define cmcas_catalog_store_h

#include "cmcas_activity.h"
#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_catalog_store_statements[];

/* Published, unfinished activities for the catalog: those of `portal_code` (others = 0)
 * or those of other CMCAS open to others (others = 1), optionally of one theme,
 * open ones first by start date (array of cmcas_activity_t). */
apr_status_t cmcas_catalog_store_list(apr_array_header_t **pacts, const cmcas_store_t *st,
                                 apr_pool_t *p, const char *portal_code, int others,
                                 const char *theme, const char *today, const char **perr);
apr_status_t cmcas_catalog_store_activity(cmcas_activity_t **pact, const cmcas_store_t *st,
                                  apr_pool_t *p, apr_int64_t id, const char **perr);
apr_status_t cmcas_catalog_store_options(apr_array_header_t **popts, const cmcas_store_t *st,
                                 apr_pool_t *p, apr_int64_t activity_id,
                                 const char **perr);

#endif
