/* The page cache in httpd: one per process (child_init), used by the catalog and the
 * activities' pages, which every member of a CMCAS sees alike but for their name
 * (cmcas_page_cache.h; CMCASPageCache in docs/directives.md). */
#ifndef mod_cmcas_page_cache_h
#define mod_cmcas_page_cache_h

#include <httpd.h>

#include "mod_cmcas_request.h"

/* child_init: this process's cache. */
void mod_cmcas_page_cache_child_init(apr_pool_t *pchild, server_rec *s);

/* For a page every member of the portal's CMCAS sees alike, named by `what` (the page
 * and its parameters; the portal, the member's CMCAS, the day and the format are added):
 * sends it from the cache (DONE), or marks the request so that its page is rendered with
 * holes for the member and stored when sent (OK: the caller builds the page). Needs the
 * member (mod_cmcas_request_member). */
int mod_cmcas_page_cache_serve(mod_cmcas_request_t *rq, const char *what);

/* For mod_cmcas_request_page: the login and name to put in a page for the cache. */
void mod_cmcas_page_cache_holes(const mod_cmcas_request_t *rq, const char **plogin,
                                const char **pname);

/* For mod_cmcas_request_send: stores a page rendered with holes (when its status is
 * 200) and gives it back filled for this member. */
void mod_cmcas_page_cache_keep(mod_cmcas_request_t *rq, int status, const char *ctype,
                               const char **pout, apr_size_t *plen);

/* After a member's change (a POST answered by a redirect): their next pages, on any
 * server, show the places as they are now (a cookie of a few seconds). */
void mod_cmcas_page_cache_after_write(request_rec *r);

#endif
