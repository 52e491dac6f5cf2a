/* What every page handler needs from a request: its portal, the posted form, the
 * database, the member, the page skeleton, and sending a page or an error page.
 *
 * One convention for "the answer is sent": a function that may answer returns OK when it
 * did not (the caller goes on) and DONE when it did (the caller returns OK to httpd);
 * a function that always answers returns OK. */
#ifndef mod_cmcas_request_h
#define mod_cmcas_request_h

#include <httpd.h>
#include <libxml/tree.h>

#include "mod_cmcas_config.h"
#include "cmcas_catalog.h"
#include "cmcas_form.h"
#include "cmcas_page_cache.h"
#include "cmcas_result.h"
#include "cmcas_store.h"
#include "cmcas_staff.h"

/* What the hooks before the handler leave for it (the module's request config). */
typedef struct {
    const void *bank_return;        /* a verified bank return (mod_cmcas_gateway.c) */
    int form_read;                  /* the POST's body was read before authentication: */
    cmcas_form_t *form;             /* the form, or */
    const char *form_err;           /* why it is not one (French) */
    apr_status_t form_rv;           /* APR_ENOSPC: too large (413); else malformed (400) */
    const void *dbd_checked;        /* the connection checked before authentication */
} mod_cmcas_request_config_t;

/* This request's config, made on first use. */
mod_cmcas_request_config_t *mod_cmcas_request_config(request_rec *r);

/* The handler SetHandler gives this request, before the type checker applies it. */
const char *mod_cmcas_request_set_handler(request_rec *r);

/* Whether the request is for the banks' returns (/paiement/...): their query strings
 * follow the bank's limits, known once their gateway verified them (fixups). */
int mod_cmcas_request_bank_path(request_rec *r);

/* header_parser hook (before authentication): a form posted to the portal's pages is
 * read whole now, before an authentication or a session store (mod_authn_dbd,
 * mod_session_dbd) takes the request's database connection and keeps it to the end: a
 * slow sender then holds a thread, never the connection other members wait for. */
int mod_cmcas_request_early_form(request_rec *r);

typedef struct {
    request_rec *r;
    const mod_cmcas_config_cmcas_t *portal;
    const char *base;                       /* the portal's URL prefix, "" at the root */
    apr_table_t *args;                      /* decoded query string */
    cmcas_store_t *store;                   /* NULL until mod_cmcas_request_store */
    void *dbd;                              /* its mod_dbd connection (ap_dbd_t) */
    int dbd_owned;                          /* ours to give back once the SQL is done */
    void *dbd_held;                         /* what the pool gives back if we do not */
    cmcas_household_t *household;     /* NULL until mod_cmcas_request_member */
    const cmcas_staff_t *staff;             /* the back-office: mod_cmcas_staff_identify */
    cmcas_form_t *form;                     /* a POST's form, read before the database */
    const char *form_action;                /* another site this page posts a form to */
    const char *cache_key;                  /* a page for the page cache, and */
    cmcas_page_cache_version_t cache_v;     /* the database's versions it is rendered at */
} mod_cmcas_request_t;

/* A request of the portal with no query arguments read (enough for an error page). */
void mod_cmcas_request_init_bare(mod_cmcas_request_t *rq, request_rec *r,
                                 const mod_cmcas_config_cmcas_t *portal);
/* Parses the query string; on bad input sends a 400 page (DONE). */
int mod_cmcas_request_init(mod_cmcas_request_t *rq, request_rec *r,
                           const mod_cmcas_config_cmcas_t *portal);

/* A database connection from mod_dbd for the request's statements; sends the 503 page
 * when there is none, or when it cannot be made usable (mod_cmcas_reconnect.h) (DONE). */
int mod_cmcas_request_store(mod_cmcas_request_t *rq);
/* Logs (once, with the reason: `why`, or NULL when mod_dbd gave no connection) and
 * sends the 503 page of a database out of reach; returns DONE. */
int mod_cmcas_request_unavailable(mod_cmcas_request_t *rq, const char *why);
/* Gives the connection back as soon as the statements are done, before any rendering
 * or output (a slow reader must not hold what other members wait for), after rolling
 * back a transaction left open (a bug, never to hand to the next user). Called before
 * any answer is sent; mod_cmcas_request_store opens one again if needed. */
void mod_cmcas_request_release(mod_cmcas_request_t *rq);

/* The logged-in household (from r->user); sends 403 or 503 pages when it fails (DONE). */
int mod_cmcas_request_member(mod_cmcas_request_t *rq);

/* A new page document with the site, user and themes blocks. */
xmlDocPtr mod_cmcas_request_page(mod_cmcas_request_t *rq, const char *name,
                                 const char *theme, xmlNodePtr *proot);

/* Sends the document as HTML or, when the client prefers it, as XML, with `status`.
 * Always returns OK (the status is in r->status). */
int mod_cmcas_request_send(mod_cmcas_request_t *rq, xmlDocPtr doc, int status);

/* Sends a page already rendered (headers of every page, then the body). */
void mod_cmcas_request_send_text(mod_cmcas_request_t *rq, int status, const char *ctype,
                                 const char *body, apr_size_t len);

/* The logged-in member's name as pages show it ("first last"). */
const char *mod_cmcas_request_user_name(const mod_cmcas_request_t *rq);

/* Sends an error page with a French title and message. Logging is the caller's. */
int mod_cmcas_request_error(mod_cmcas_request_t *rq, int status, const char *message);

/* Reads a posted form: content type, size and encoding checked (*perr in French). */
apr_status_t mod_cmcas_request_read_form(request_rec *r, cmcas_form_t **pform,
                                         const char **perr);

/* A POST: reads the whole form into rq->form (content type, size and encoding checked)
 * and checks its CSRF token, before any database connection is taken, so that a slow
 * sender holds no connection; sends the 400 or 403 page (DONE) when they do not hold. */
int mod_cmcas_request_post(mod_cmcas_request_t *rq);

/* Checks a form's CSRF token (field `csrf`) and the Origin header; sends the 400 or 403
 * page (DONE) when they do not hold. For a form read otherwise (a file's post). */
int mod_cmcas_request_csrf_check(mod_cmcas_request_t *rq, cmcas_form_t *form);

/* The CSRF token for the logged-in member's forms. */
const char *mod_cmcas_request_csrf_token(mod_cmcas_request_t *rq);
/* Sends the page of a flow's result that is not DONE: 404, 503 (logged as errors), or
 * an error page with the result's message (logged at info with `what`). */
int mod_cmcas_request_result(mod_cmcas_request_t *rq, const cmcas_result_t *res,
                             const char *what);

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
