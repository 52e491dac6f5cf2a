/* The portal's public URL: redirects and the banks' return and notification URLs are
 * built from the configuration, never from the request's Host header (which any client
 * chooses, whatever UseCanonicalName says). docs/directives.md, « The public URL ». */
#ifndef mod_cmcas_url_h
#define mod_cmcas_url_h

#include <httpd.h>

/* "scheme://host[:port]" of the portal serving r: that of its CMCAS's CMCASPortalURL
 * when set, else the virtual host's ServerName, with the port of ServerName or else the
 * port the connection came in on, and https when the virtual host has SSL. */
const char *mod_cmcas_url_origin(request_rec *r);

/* The absolute URL of `path` (a path of this server, "/..."). */
const char *mod_cmcas_url_absolute(request_rec *r, const char *path);

/* check_config: a portal that may send members to a bank must know its public URL:
 * CMCASPortalURL in its <CMCAS>, or a ServerName in its virtual host. */
int mod_cmcas_url_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                        server_rec *s);

#endif
