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

/* The page of such an answer: `title` and `text` are HTML, ASCII with entities (Apache
 * declares these pages ISO-8859-1); a link back to the portal's home. */
const char *mod_cmcas_error_text_page(request_rec *r, const char *title, const char *text);

#endif
