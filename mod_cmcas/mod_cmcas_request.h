/* What every page handler needs from a request: its portal, the database, the member,
 * the page skeleton, and sending a page or an error page. */
#ifndef mod_cmcas_request_h
#define mod_cmcas_request_h

#include <httpd.h>
#include <libxml/tree.h>

#include "mod_cmcas_config.h"
#include "cmcas_catalog.h"
#include "cmcas_form.h"
#include "cmcas_store.h"

typedef struct {
    request_rec *r;
    const mod_cmcas_config_cmcas_t *portal;
    const char *base;                       /* the portal's URL prefix, "" at the root */
    apr_table_t *args;                      /* decoded query string */
    cmcas_store_t *store;                   /* NULL until mod_cmcas_request_store */
    cmcas_store_household_t *household;     /* NULL until mod_cmcas_request_member */
    const char *form_action;                /* another site this page posts a form to */
} mod_cmcas_request_t;

/* Parses the query string; on bad input sends a 400 page and returns its status
 * (the caller returns OK then). Returns OK when fine. */
int mod_cmcas_request_init(mod_cmcas_request_t *rq, request_rec *r,
                           const mod_cmcas_config_cmcas_t *portal);

/* The request's database connection from mod_dbd; sends the 503 page when there is
 * none. */
int mod_cmcas_request_store(mod_cmcas_request_t *rq);
/* Rolls back a transaction left open (a bug, but never one to hand to the next request):
 * called before any answer is sent. */
void mod_cmcas_request_release(mod_cmcas_request_t *rq);

/* The logged-in household (from r->user); sends 403 or 503 pages when it fails. */
int mod_cmcas_request_member(mod_cmcas_request_t *rq);

/* A new page document with the site, user and themes blocks. */
xmlDocPtr mod_cmcas_request_page(mod_cmcas_request_t *rq, const char *name,
                                 const char *theme, xmlNodePtr *proot);

/* Sends the document as HTML or, when the client prefers it, as XML, with `status`.
 * Always returns OK (the status is in r->status). */
int mod_cmcas_request_send(mod_cmcas_request_t *rq, xmlDocPtr doc, int status);

/* Sends an error page with a French title and message. Logging is the caller's. */
int mod_cmcas_request_error(mod_cmcas_request_t *rq, int status, const char *message);

/* Reads a posted form: content type, size and encoding checked (*perr in French). */
apr_status_t mod_cmcas_request_read_form(request_rec *r, cmcas_form_t **pform,
                                         const char **perr);

/* Reads the posted form (content type, size and encoding checked); sends the 400 page
 * and returns its status on a bad body. */
int mod_cmcas_request_form(mod_cmcas_request_t *rq, cmcas_form_t **pform);

/* The CSRF token for the logged-in member's forms. */
const char *mod_cmcas_request_csrf_token(mod_cmcas_request_t *rq);
/* Checks the form's token and the Origin header; sends the 403 page and returns its
 * status when they do not hold. */
int mod_cmcas_request_csrf_check(mod_cmcas_request_t *rq, cmcas_form_t *form);

/* Answers 303 See Other to `location` (a path of this portal). */
int mod_cmcas_request_redirect(mod_cmcas_request_t *rq, const char *location);

/* The 404 page, logged at info with the reason (never confirms what exists). */
int mod_cmcas_request_not_found(mod_cmcas_request_t *rq, const char *why);

/* What the catalog rules need to know: the portal, today, the badge and page sizes. */
void mod_cmcas_request_catalog_ctx(mod_cmcas_request_t *rq, cmcas_catalog_ctx_t *ctx);

/* Logs a failed database call once (with the driver's message) and sends the 503 page;
 * returns OK like mod_cmcas_request_error. */
int mod_cmcas_request_db_error(mod_cmcas_request_t *rq, const char *what, const char *err);

#endif
