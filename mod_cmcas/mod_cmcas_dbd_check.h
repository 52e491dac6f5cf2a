/* `apachectl -t` refuses mod_dbd settings the module cannot work with (cmcas_dbd_rules). */
#ifndef mod_cmcas_dbd_check_h
#define mod_cmcas_dbd_check_h

#include <httpd.h>

/* check_config: the main server's and each <VirtualHost>'s DBD* directives. */
int mod_cmcas_dbd_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                        server_rec *s);

#endif
