/* Apache's own error pages inside a portal, in French. docs/http-interface.md, « Status
 * codes ». */
#ifndef mod_cmcas_error_text_h
#define mod_cmcas_error_text_h

#include <httpd.h>

/* insert_error_filter hook: an error Apache answers by itself inside a portal (a request
 * line or header it refuses, 414, 401 of Basic authentication, a missing static file, a
 * body over LimitRequestBody...) gets a French page instead of Apache's English one,
 * unless an ErrorDocument names one. */
void mod_cmcas_error_text_insert(request_rec *r);

#endif
