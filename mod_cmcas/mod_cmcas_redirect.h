/* Apache's own redirects inside a portal (a `Redirect`, a `RewriteRule [R]`, mod_dir's
 * trailing slash): on the portal's public origin, never the Host header's, with a page
 * in French. docs/directives.md, « The public URL ». */
#ifndef mod_cmcas_redirect_h
#define mod_cmcas_redirect_h

#include <httpd.h>

/* Registers the output filter that sets the corrected Location. */
void mod_cmcas_redirect_register(void);

/* insert_error_filter hook: a redirect Apache answers by itself inside a portal. */
void mod_cmcas_redirect_insert(request_rec *r);

#endif
