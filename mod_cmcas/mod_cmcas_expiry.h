/* The background job that ends orders whose hold ran out and gives their places back,
 * run by mod_watchdog in one child at a time, each order claimed in the database by a
 * conditional update so that only one server ends it. */
#ifndef mod_cmcas_expiry_h
#define mod_cmcas_expiry_h

#include <httpd.h>

/* post_config: starts the job (when a portal is configured). */
int mod_cmcas_expiry_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s);

#endif
