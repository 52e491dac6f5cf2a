/* The module's check of its database's schema version (issue 14): a database older than
 * the schema the module is built for (CMCAS_SCHEMA_VERSION) gets the 503 page and one
 * clear line in the log per child, « run cmcas-migrate apply », rather than pages that
 * fail one by one; a newer one a warning, and the portal goes on (docs/operations.md,
 * « Upgrading »).
 *
 * Read once per child and database, on a connection of its own (mod_dbd's cannot be
 * had while its statements do not prepare on an old schema), at the first request that
 * needs the database; a request then costs one lookup. While the database is behind,
 * it is read again every few seconds: the portal serves again soon after the
 * migration, without a restart. */
#ifndef mod_cmcas_schema_check_h
#define mod_cmcas_schema_check_h

#include <httpd.h>

/* post_config: the databases (mod_dbd's DBDriver and DBDParams) of every server. */
int mod_cmcas_schema_check_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                       apr_pool_t *ptemp, server_rec *s);

/* child_init: the lock of the child's reads. */
void mod_cmcas_schema_check_child_init(apr_pool_t *pchild, server_rec *s);

/* header_parser hook, before the connection check of mod_cmcas_reconnect.h: for the
 * portal's pages and the login and logout handlers, the 503 page (DONE) while the
 * database is older than the module. */
int mod_cmcas_schema_check_request(request_rec *r);

/* For the background jobs: why they must not run (in `p`: the database is older than
 * the module, read as a request would), or NULL. */
const char *mod_cmcas_schema_check_older(server_rec *s, apr_pool_t *p);

#endif
