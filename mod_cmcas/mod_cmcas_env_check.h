/* What the server around the module must provide, checked by apachectl -t: mod_watchdog
 * for the background jobs, and a mail command the server's user can run, writing where
 * that user may write. */
#ifndef mod_cmcas_env_check_h
#define mod_cmcas_env_check_h

#include <httpd.h>

/* check_config hook. */
int mod_cmcas_env_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                        server_rec *s);

#endif
