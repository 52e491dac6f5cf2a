#include <apr_strings.h>
#include <http_protocol.h>
#include <http_request.h>
#include <http_core.h>
#include <util_script.h>
#include <apr_dbd.h>
#include <mod_dbd.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_ratelimit.h"
#include "mod_cmcas_request.h"
#include "mod_cmcas_page_cache.h"
#include "mod_cmcas_reconnect.h"
#include "mod_cmcas_staff.h"
#include "mod_cmcas_url.h"
#include "mod_cmcas_headers.h"
#include "cmcas_accept.h"
#include "cmcas_doc.h"
#include "cmcas_multipart.h"
#include "cmcas_query.h"
#include "cmcas_render.h"

static const cmcas_query_limits_t mod_cmcas_request_limits = {16, 200, 0};

void mod_cmcas_request_init_bare(mod_cmcas_request_t *rq, request_rec *r,
                                 const mod_cmcas_config_cmcas_t *portal)
{
    memset(rq, 0, sizeof(*rq));
    rq->r = r;
    rq->portal = portal;
    rq->base = mod_cmcas_config_base(r);
    rq->args = apr_table_make(r->pool, 1);
}

int mod_cmcas_request_init(mod_cmcas_request_t *rq, request_rec *r,
                           const mod_cmcas_config_cmcas_t *portal)
{
    const char *err = NULL, *note;

    mod_cmcas_request_init_bare(rq, r, portal);
    if (APR_SUCCESS != cmcas_query_parse(&rq->args, r->pool, r->args,
                                         mod_cmcas_request_config(r)->bank_return
                                             ? &cmcas_query_bank_limits
                                             : &mod_cmcas_request_limits, &err)) {
        rq->args = apr_table_make(r->pool, 1);
        if (mod_cmcas_ratelimit_ok(r, 10, &note)) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(10)
                          "bad query string for %s: '%s'%s", r->uri, r->args, note);
        }
        mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, err);
        return DONE;
    }
    return OK;
}

/* A connection of ours, in the request pool (the request's handle may be gone by the
 * time the pool's cleanup runs). */
typedef struct {
    server_rec *s;
    ap_dbd_t *dbd;
    cmcas_store_t *store;
} mod_cmcas_request_held_t;

/* The pool's cleanup: a connection still held when the request ends goes back. */
static apr_status_t mod_cmcas_request_close(void *data)
{
    mod_cmcas_request_held_t *held = data;
    APR_OPTIONAL_FN_TYPE(ap_dbd_close) *close_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);

    cmcas_store_abort(held->store);
    if (held->dbd && close_fn) {
        close_fn(held->s, held->dbd);
    }
    held->dbd = NULL;
    return APR_SUCCESS;
}

void mod_cmcas_request_release(mod_cmcas_request_t *rq)
{
    /* Never leave a transaction open on a pooled connection. */
    cmcas_store_abort(rq->store);
    if (rq->dbd && rq->dbd_owned) {
        apr_pool_cleanup_run(rq->r->pool, rq->dbd_held, mod_cmcas_request_close);
        rq->dbd = NULL;
        rq->store = NULL;
    }
}

int mod_cmcas_request_store(mod_cmcas_request_t *rq)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    APR_OPTIONAL_FN_TYPE(ap_dbd_open) *open_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    module *dbd_module = ap_find_linked_module("mod_dbd.c");
    ap_dbd_t *dbd = NULL;
    const char *err = NULL;

    if (rq->store) {
        return OK;
    }
    /* A connection mod_authn_dbd or mod_session_dbd took for this request stays until
     * the request ends: use it (a second one could wait forever with DBDMax 1). Any
     * other is ours, from the pool, for the statements only. */
    if (dbd_module && ap_get_module_config(rq->r->request_config, dbd_module) && acquire) {
        dbd = acquire(rq->r);
        rq->dbd_owned = 0;
    }
    else if (open_fn && (dbd = open_fn(rq->r->pool, rq->r->server))) {
        mod_cmcas_request_held_t *held = apr_pcalloc(rq->r->pool, sizeof(*held));
        rq->dbd_owned = 1;
        rq->dbd_held = held;
        held->s = rq->r->server;
        held->dbd = dbd;
        apr_pool_cleanup_register(rq->r->pool, held, mod_cmcas_request_close,
                                  apr_pool_cleanup_null);
    }
    if (!dbd) {
        return mod_cmcas_request_unavailable(rq, NULL);
    }
    rq->dbd = dbd;
    rq->store = apr_pcalloc(rq->r->pool, sizeof(*rq->store));
    mod_cmcas_reconnect_store(rq->store, dbd, rq->r->pool);
    if (rq->dbd_owned) {
        ((mod_cmcas_request_held_t *)rq->dbd_held)->store = rq->store;
    }
    /* A schema change or a database restart since its last use: repaired here (not
     * twice when the check before authentication just did it on this very one). */
    if (dbd != mod_cmcas_request_config(rq->r)->dbd_checked
        && APR_SUCCESS != mod_cmcas_reconnect_check(dbd, rq->r->pool, &err)) {
        return mod_cmcas_request_unavailable(rq, err);
    }
    return OK;
}

int mod_cmcas_request_unavailable(mod_cmcas_request_t *rq, const char *why)
{
    if (!why) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, CMCAS_LOGNO(11)
                      "no database connection from mod_dbd for %s (check DBDriver "
                      "and DBDParams)", rq->r->uri);
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, CMCAS_LOGNO(88)
                      "database unavailable for %s: %s", rq->r->uri, why);
    }
    mod_cmcas_request_error(rq, HTTP_SERVICE_UNAVAILABLE,
                            "Le service est momentanément indisponible. "
                            "Merci de réessayer dans quelques minutes.");
    return DONE;
}

int mod_cmcas_request_not_found(mod_cmcas_request_t *rq, const char *why)
{
    const char *note;

    if (mod_cmcas_ratelimit_ok(rq->r, 20, &note)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(20)
                      "not found: %s (%s)%s", rq->r->uri, why, note);
    }
    return mod_cmcas_request_error(rq, HTTP_NOT_FOUND,
                                   "La page demandée n'existe pas ou n'est pas "
                                   "accessible depuis ce portail.");
}

void mod_cmcas_request_catalog_ctx(mod_cmcas_request_t *rq, cmcas_catalog_ctx_t *ctx)
{
    /* A member of another CMCAS this portal welcomes (CMCASWelcomeMembersOf; one login,
     * one database for all) sees their own CMCAS's activities as « Nos activités », and
     * everyone else's open ones in the other tab: the same rule that lets them register. */
    const char *own = rq->household ? rq->household->cmcas_code : rq->portal->site.code;
    const mod_cmcas_config_cmcas_t *c = mod_cmcas_config_cmcas(own);

    ctx->portal_code = rq->portal->site.code;
    ctx->member_code = own;
    ctx->member_elsewhere = strcmp(own, rq->portal->site.code) ? (c ? c->site.name : own)
                                                                : NULL;
    cmcas_date_today(&ctx->today, rq->r->request_time);
    ctx->new_days = mod_cmcas_config_new_days(rq->r->server);
    ctx->page_size = mod_cmcas_config_page_size(rq->r->server);
}

int mod_cmcas_request_db_error(mod_cmcas_request_t *rq, const char *what, const char *err)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, CMCAS_LOGNO(12)
                  "database error on %s for %s: %s", what, rq->r->uri, err);
    return mod_cmcas_request_error(rq, HTTP_SERVICE_UNAVAILABLE,
                                   "Le service est momentanément indisponible. "
                                   "Merci de réessayer dans quelques minutes.");
}

/* A household belongs to its CMCAS: on the portal of another CMCAS that does not
 * welcome its members (CMCASWelcomeMembersOf), the member is told which portal is
 * theirs (linked when its CMCASPortalURL is known), and nothing of theirs is read. */
static int mod_cmcas_request_elsewhere(mod_cmcas_request_t *rq)
{
    const char *code = rq->household->cmcas_code;
    const mod_cmcas_config_cmcas_t *own = mod_cmcas_config_cmcas(code);
    const char *name = own ? own->site.name : apr_pstrcat(rq->r->pool, "CMCAS ", code,
                                                          NULL);
    xmlNodePtr root, node;
    xmlDocPtr doc;

    /* An authenticated member, not an outsider's probe: each refusal, once. */
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(255)
                  "user '%s' (household of CMCAS %s) refused on the portal of CMCAS %s: %s",
                  rq->r->user, code, rq->portal->site.code,
                  own && own->portal_url ? own->portal_url
                                         : "no CMCASPortalURL to send them to");
    doc = mod_cmcas_request_page(rq, "erreur", NULL, &root);
    node = cmcas_doc_elem(root, "erreur");
    cmcas_doc_attr_int(node, "status", HTTP_FORBIDDEN);
    cmcas_doc_text(node, "title", "Ce portail n'est pas celui de votre CMCAS");
    cmcas_doc_text(node, "message", apr_pstrcat(rq->r->pool, "Votre foyer est rattaché à "
                   "la ", name, " ; ce portail est celui de la ", rq->portal->site.name,
                   ". Connectez-vous sur le portail de votre CMCAS pour consulter ses "
                   "activités, vos inscriptions et vos commandes.", NULL));
    if (own && own->portal_url) {
        xmlNodePtr link = cmcas_doc_text(node, "lien", apr_pstrcat(rq->r->pool,
                                         "Portail de la ", name, NULL));
        cmcas_doc_attr(link, "href", own->portal_url);
    }
    mod_cmcas_request_send(rq, doc, HTTP_FORBIDDEN);
    return DONE;
}

int mod_cmcas_request_member(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    const char *err = NULL, *note;
    apr_status_t rv;

    if (!r->user || !*r->user) {
        /* A configuration problem, but each probe would repeat it: bounded. */
        if (mod_cmcas_ratelimit_ok(r, 13, &note)) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, CMCAS_LOGNO(13)
                          "no authenticated user for %s: protect the portal with an "
                          "Apache authentication (Require valid-user)%s", r->uri, note);
        }
        mod_cmcas_request_error(rq, HTTP_FORBIDDEN,
                                "Vous devez être connecté pour consulter cette page.");
        return DONE;
    }
    if (OK != mod_cmcas_request_store(rq)) {
        return DONE;
    }
    rv = cmcas_store_household_by_login(&rq->household, rq->store, r->pool, r->user, &err);
    if (APR_NOTFOUND == rv) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(14)
                      "user '%s' is authenticated but has no household", r->user);
        mod_cmcas_request_error(rq, HTTP_FORBIDDEN,
                                "Votre identifiant n'est rattaché à aucun foyer "
                                "d'ouvrant droit. Contactez votre CMCAS.");
        return DONE;
    }
    if (APR_SUCCESS != rv) {
        mod_cmcas_request_db_error(rq, "the household", err);
        return DONE;
    }
    if (!mod_cmcas_config_serves(rq->portal, rq->household->cmcas_code)) {
        return mod_cmcas_request_elsewhere(rq);
    }
    return OK;
}

const char *mod_cmcas_request_user_name(const mod_cmcas_request_t *rq)
{
    const cmcas_household_t *hh = rq->household;
    return apr_pstrcat(rq->r->pool, hh->od_first_name ? hh->od_first_name : "", " ",
                       hh->od_last_name ? hh->od_last_name : "", NULL);
}

xmlDocPtr mod_cmcas_request_page(mod_cmcas_request_t *rq, const char *name,
                                 const char *theme, xmlNodePtr *proot)
{
    xmlDocPtr doc = cmcas_doc_new(rq->r->pool, name, proot);
    cmcas_household_t *hh = rq->household;

    cmcas_doc_attr(*proot, "base", rq->base);
    cmcas_doc_attr(*proot, "static-version", mod_cmcas_config_static_version());

    cmcas_doc_site(*proot, &rq->portal->site);
    if (hh) {
        const char *login = hh->login, *user_name = mod_cmcas_request_user_name(rq);
        /* A page for the cache has holes where the member's login and name go. */
        mod_cmcas_page_cache_holes(rq, &login, &user_name);
        cmcas_doc_user(*proot, login, user_name);
    }
    cmcas_doc_themes(*proot, theme);
    return doc;
}

/* "https://host:port" of an absolute URL (NULL when it has none). */
static const char *mod_cmcas_request_origin(apr_pool_t *p, const char *url)
{
    const char *host = url ? ap_strstr_c(url, "://") : NULL;
    return host ? apr_pstrndup(p, url, (apr_size_t)(host + 3 - url) + strcspn(host + 3, "/?#"))
                : NULL;
}

/* Headers every page carries, on errors too. */
static void mod_cmcas_request_headers(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    apr_table_t *h = r->err_headers_out;
    apr_table_mergen(h, "Vary", "Accept");
    /* Personal pages: never kept by a browser or a proxy. */
    apr_table_setn(h, "Cache-Control", "no-store");
    mod_cmcas_headers_set(r, mod_cmcas_request_origin(r->pool, rq->form_action));
}

void mod_cmcas_request_send_text(mod_cmcas_request_t *rq, int status, const char *ctype,
                                 const char *body, apr_size_t len)
{
    request_rec *r = rq->r;

    mod_cmcas_request_headers(rq);
    ap_set_content_type(r, ctype);
    r->status = status;
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only) {
        ap_rwrite(body, (int)len, r);
    }
}

int mod_cmcas_request_send(mod_cmcas_request_t *rq, xmlDocPtr doc, int status)
{
    request_rec *r = rq->r;
    const cmcas_render_t *render = mod_cmcas_config_render();
    const char *out = NULL, *err = NULL, *ctype = "text/html; charset=utf-8";
    apr_size_t len = 0;
    apr_status_t rv;

    mod_cmcas_request_release(rq);
    if (cmcas_accept_prefers_xml(apr_table_get(r->headers_in, "Accept"))) {
        rv = cmcas_render_xml(&out, &len, doc, r->pool);
        ctype = "application/xml; charset=utf-8";
    }
    else if (!render) {
        rv = APR_EGENERAL;
        err = "no compiled stylesheets";
    }
    else {
        rv = cmcas_render_html(&out, &len, render, doc, r->pool, &err);
    }
    if (APR_SUCCESS != rv) {
        /* A stylesheet that compiled but fails at run time: say so plainly. */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, CMCAS_LOGNO(15)
                      "cannot render %s: %s", r->uri, err ? err : "out of memory");
        status = HTTP_SERVICE_UNAVAILABLE;
        out = "<!DOCTYPE html><html lang=\"fr\"><meta charset=\"utf-8\">"
              "<title>Service indisponible</title><h1>Service indisponible</h1>"
              "<p>La page ne peut pas être affichée pour le moment.</p></html>";
        len = strlen(out);
        ctype = "text/html; charset=utf-8";
    }
    else {
        /* A page rendered with holes for the cache: kept, and filled for this member. */
        mod_cmcas_page_cache_keep(rq, status, ctype, &out, &len);
    }
    mod_cmcas_request_send_text(rq, status, ctype, out, len);
    return OK;
}

/* Forms live 12 hours: a page left open over lunch still posts. */
#define MOD_CMCAS_REQUEST_CSRF_AGE apr_time_from_sec(12 * 3600)

apr_status_t mod_cmcas_request_read_form(request_rec *r, cmcas_form_t **pform,
                                         const char **perr)
{
    const char *ctype = apr_table_get(r->headers_in, "Content-Type"), *clen;
    static const char urlenc[] = "application/x-www-form-urlencoded";
    char *body = apr_palloc(r->pool, CMCAS_FORM_MAX_BYTES + 1);
    apr_size_t len = 0;
    long got;

    *pform = NULL;
    /* ap_parse_form_data would silently drop any other type: check it ourselves. */
    if (!ctype || strncasecmp(ctype, urlenc, sizeof(urlenc) - 1)
        || (ctype[sizeof(urlenc) - 1] && ctype[sizeof(urlenc) - 1] != ';'
            && ctype[sizeof(urlenc) - 1] != ' ')) {
        r->connection->keepalive = AP_CONN_CLOSE;     /* its body is not read */
        *perr = "Le formulaire doit être envoyé en application/x-www-form-urlencoded.";
        return APR_EINVAL;
    }
    /* Too large: said at once, and the connection closed rather than the rest read. */
    clen = apr_table_get(r->headers_in, "Content-Length");
    if (clen && apr_atoi64(clen) > CMCAS_FORM_MAX_BYTES) {
        r->connection->keepalive = AP_CONN_CLOSE;
        *perr = "Le formulaire est trop volumineux.";
        return APR_ENOSPC;
    }
    if (OK != ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) {
        *perr = "Le corps de la requête est illisible.";
        return APR_EINVAL;
    }
    if (ap_should_client_block(r)) {
        while ((got = ap_get_client_block(r, body + len, CMCAS_FORM_MAX_BYTES + 1 - len)) > 0) {
            len += (apr_size_t)got;
            if (len > CMCAS_FORM_MAX_BYTES) {
                r->connection->keepalive = AP_CONN_CLOSE;
                *perr = "Le formulaire est trop volumineux.";
                return APR_ENOSPC;
            }
        }
        if (got < 0) {
            *perr = "Le corps de la requête est incomplet.";
            return APR_EINVAL;
        }
    }
    return cmcas_form_parse(pform, r->pool, body, len, perr);
}

const char *mod_cmcas_request_csrf_token(mod_cmcas_request_t *rq)
{
    return cmcas_csrf_token(rq->r->pool, mod_cmcas_config_csrf_key(), rq->r->user,
                            apr_time_now());
}

/* A browser's Origin must name this very site ("null" and absent pass: old browsers
 * and privacy modes; the token still protects them). This site is the Host the browser
 * sent (a page of another site cannot make a browser send our Host with its Origin) or
 * the configured public origin (behind a proxy that rewrites Host). */
static int mod_cmcas_request_origin_ok(request_rec *r)
{
    const char *origin = apr_table_get(r->headers_in, "Origin");
    const char *host = apr_table_get(r->headers_in, "Host");
    const char *authority;

    if (!origin || !strcmp(origin, "null")) {
        return 1;
    }
    if (!strcasecmp(origin, mod_cmcas_url_origin(r))) {
        return 1;
    }
    authority = ap_strstr_c(origin, "://");
    return authority && host && !strcasecmp(authority + 3, host);
}

int mod_cmcas_request_csrf_check(mod_cmcas_request_t *rq, cmcas_form_t *form)
{
    request_rec *r = rq->r;
    const char *token = cmcas_form_single(form, "csrf", 200);
    const char *why = NULL, *note;

    if (form->err) {
        if (mod_cmcas_ratelimit_ok(r, 67, &note)) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(67)
                          "bad form posted to %s (csrf field repeated or too long)%s",
                          r->uri, note);
        }
        mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, form->err);
        return DONE;
    }
    if (!mod_cmcas_request_origin_ok(r)) {
        why = "Origin of another site";
    }
    else if (!token) {
        why = "no token";
    }
    else if (!cmcas_csrf_verify(r->pool, mod_cmcas_config_csrf_key(), token, r->user,
                                apr_time_now(), MOD_CMCAS_REQUEST_CSRF_AGE)) {
        why = "invalid or expired token";
    }
    if (!why) {
        return OK;
    }
    /* A forged form is another site's doing, through the member's browser: info. */
    if (mod_cmcas_ratelimit_ok(r, 31, &note)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(31)
                      "form refused for user '%s' on %s: %s%s", r->user, r->uri, why, note);
    }
    mod_cmcas_request_error(rq, HTTP_FORBIDDEN,
                            "Ce formulaire a expiré ou ne vient pas de ce site. Rechargez "
                            "la page et recommencez : rien n'a été modifié.");
    return DONE;
}

mod_cmcas_request_config_t *mod_cmcas_request_config(request_rec *r)
{
    mod_cmcas_request_config_t *c = ap_get_module_config(r->request_config, &cmcas_module);

    if (!c) {
        c = apr_pcalloc(r->pool, sizeof(*c));
        ap_set_module_config(r->request_config, &cmcas_module, c);
    }
    return c;
}

const char *mod_cmcas_request_set_handler(request_rec *r)
{
    core_dir_config *d = ap_get_core_module_config(r->per_dir_config);
    const char *err = NULL, *h;

    if (!d || !d->expr_handler) {
        return NULL;
    }
    h = ap_expr_str_exec(r, d->expr_handler, &err);
    return err ? NULL : h;
}

int mod_cmcas_request_bank_path(request_rec *r)
{
    const char *base = mod_cmcas_config_base(r);
    return !strncmp(r->uri, base, strlen(base))
           && !strncmp(r->uri + strlen(base), "/paiement/", 10);
}

int mod_cmcas_request_early_form(request_rec *r)
{
    mod_cmcas_request_config_t *c;
    const char *h;

    if (r->method_number != M_POST || !ap_is_initial_req(r) || !mod_cmcas_config_portal(r)
        || !(h = mod_cmcas_request_set_handler(r)) || strcmp(h, "cmcas")) {
        return DECLINED;
    }
    /* The banks' returns are read by their gateway (fixups), from the same body; a file
     * (multipart/form-data) by its page, with its own limit. */
    if (mod_cmcas_request_bank_path(r)
        || cmcas_multipart_is_form(apr_table_get(r->headers_in, "Content-Type"))) {
        return DECLINED;
    }
    c = mod_cmcas_request_config(r);
    c->form_read = 1;
    c->form_rv = mod_cmcas_request_read_form(r, &c->form, &c->form_err);
    if (APR_SUCCESS != c->form_rv) {
        c->form = NULL;
    }
    return DECLINED;
}

int mod_cmcas_request_post(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    mod_cmcas_request_config_t *c = mod_cmcas_request_config(r);
    const char *err = NULL, *note;
    apr_status_t rv;

    if (c->form_read) {
        rq->form = c->form;
        err = c->form_err;
        rv = c->form ? APR_SUCCESS : c->form_rv ? c->form_rv : APR_EINVAL;
    }
    else {
        rv = mod_cmcas_request_read_form(r, &rq->form, &err);
    }
    if (APR_SUCCESS != rv) {
        if (mod_cmcas_ratelimit_ok(r, 30, &note)) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(30)
                          "bad form posted to %s%s%s", r->uri,
                          APR_ENOSPC == rv ? " (too large)" : "", note);
        }
        ap_discard_request_body(r);     /* nothing when the connection is to close */
        mod_cmcas_request_error(rq, APR_ENOSPC == rv ? HTTP_REQUEST_ENTITY_TOO_LARGE
                                                     : HTTP_BAD_REQUEST, err);
        return DONE;
    }
    return mod_cmcas_request_csrf_check(rq, rq->form);
}

int mod_cmcas_request_result(mod_cmcas_request_t *rq, const cmcas_result_t *res,
                             const char *what)
{
    switch (res->kind) {
    case CMCAS_RESULT_NOT_FOUND:
        return mod_cmcas_request_not_found(rq, res->why);
    case CMCAS_RESULT_ERROR:
        return mod_cmcas_request_db_error(rq, res->why, res->err);
    default:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(68)
                      "%s by '%s' on %s refused: %s", what, rq->r->user, rq->r->uri,
                      res->why ? res->why : "?");
        return mod_cmcas_request_error(rq, cmcas_result_http_status(res),
                                       res->message ? res->message
                                                    : "Le formulaire ne correspond pas à "
                                                      "la page : rechargez-la.");
    }
}

int mod_cmcas_request_redirect(mod_cmcas_request_t *rq, const char *location)
{
    request_rec *r = rq->r;
    mod_cmcas_request_release(rq);
    mod_cmcas_request_headers(rq);
    /* The configured public URL, never the Host header (mod_cmcas_url.h). */
    apr_table_setn(r->headers_out, "Location", mod_cmcas_url_absolute(r, location));
    if (r->method_number == M_POST) {
        mod_cmcas_page_cache_after_write(r);
    }
    r->status = HTTP_SEE_OTHER;
    ap_set_content_length(r, 0);
    return OK;
}

static const char *mod_cmcas_request_title(int status)
{
    switch (status) {
    case HTTP_BAD_REQUEST: return "Requête invalide";
    case HTTP_FORBIDDEN: return "Accès refusé";
    case HTTP_NOT_FOUND: return "Page introuvable";
    case HTTP_METHOD_NOT_ALLOWED: return "Méthode non autorisée";
    case HTTP_REQUEST_ENTITY_TOO_LARGE: return "Requête trop volumineuse";
    case HTTP_CONFLICT: return "Modification impossible";
    case HTTP_SERVICE_UNAVAILABLE: return "Service indisponible";
    default: return "Erreur";
    }
}

int mod_cmcas_request_error(mod_cmcas_request_t *rq, int status, const char *message)
{
    xmlNodePtr root, node;
    /* Staff read their errors in the back-office's layout (its links, not the members'). */
    xmlDocPtr doc = rq->staff ? mod_cmcas_staff_page(rq, "gestion-erreur", &root)
                              : mod_cmcas_request_page(rq, "erreur", NULL, &root);

    node = cmcas_doc_elem(root, "erreur");
    cmcas_doc_attr_int(node, "status", status);
    cmcas_doc_text(node, "title", mod_cmcas_request_title(status));
    cmcas_doc_text(node, "message", message);
    /* A page that failed for a passing reason: « Réessayer » asks for it again (a path of
     * this server, escaped again, never "//host"; never a form's post, which the link
     * could not redo). */
    if (HTTP_SERVICE_UNAVAILABLE == status && M_GET == rq->r->method_number
        && rq->r->uri && '/' == rq->r->uri[0] && '/' != rq->r->uri[1]) {
        request_rec *r = rq->r;
        const char *path = ap_os_escape_path(r->pool, r->uri, 1);
        cmcas_doc_attr(node, "retry", r->args ? apr_pstrcat(r->pool, path, "?", r->args, NULL)
                                              : path);
    }
    return mod_cmcas_request_send(rq, doc, status);
}
