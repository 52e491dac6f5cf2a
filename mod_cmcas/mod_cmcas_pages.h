/* The member's pages: routing of a portal request to the page that answers it. */
#ifndef mod_cmcas_pages_h
#define mod_cmcas_pages_h

#include <httpd.h>

#include "mod_cmcas_request.h"

/* The content handler (SetHandler cmcas). */
int mod_cmcas_pages_handler(request_rec *r);

/* 405 (DONE, the page sent, with Allow) unless the method is GET (HEAD included) or,
 * where allowed, POST: post_allowed 0 GET only, 1 GET and POST, 2 or more POST only. */
int mod_cmcas_pages_method(mod_cmcas_request_t *rq, int post_allowed);

/* "/activite/12/inscription" with prefix "/activite/": 12, and *prest = "/inscription";
 * 0 when the path has another prefix or the id is not a positive number. */
apr_int64_t mod_cmcas_pages_path_id(const char *path, const char *prefix,
                                    const char **prest);

#endif
