/* The security headers of every response of a portal: its pages, and what Apache answers
 * by itself inside it (static files, redirects of the login, error pages from 400 to
 * 503). docs/http-interface.md, « Security headers ». */
#ifndef mod_cmcas_headers_h
#define mod_cmcas_headers_h

#include <httpd.h>

/* Content-Security-Policy (no inline script or style, no framing, forms posted to this
 * site and to `form_action`, the origin of a bank's page, or NULL), X-Content-Type-Options
 * and Referrer-Policy, in err_headers_out (kept on errors). */
void mod_cmcas_headers_set(request_rec *r, const char *form_action);

/* The same for a file the module serves (a picture, a PDF): nothing in it may run. */
void mod_cmcas_headers_file(request_rec *r);

/* insert_filter and insert_error_filter hooks: the same headers on every response of a
 * portal that has not set its own. */
void mod_cmcas_headers_insert(request_rec *r);

#endif
