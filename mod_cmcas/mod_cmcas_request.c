#include <apr_strings.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_dbd.h>
#include <mod_dbd.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_request.h"
#include "cmcas_accept.h"
#include "cmcas_doc.h"
#include "cmcas_query.h"
#include "cmcas_render.h"

static const cmcas_query_limits_t mod_cmcas_request_limits = {16, 200};

int mod_cmcas_request_init(mod_cmcas_request_t *rq, request_rec *r,
                           const mod_cmcas_config_cmcas_t *portal)
{
    const char *err = NULL;

    memset(rq, 0, sizeof(*rq));
    rq->r = r;
    rq->portal = portal;
    rq->base = mod_cmcas_config_base(r);
    if (APR_SUCCESS != cmcas_query_parse(&rq->args, r->pool, r->args,
                                         &mod_cmcas_request_limits, &err)) {
        rq->args = apr_table_make(r->pool, 1);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(10)
                      "bad query string for %s: '%s'", r->uri, r->args);
        mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, err);
        return HTTP_BAD_REQUEST;
    }
    return OK;
}

int mod_cmcas_request_store(mod_cmcas_request_t *rq)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    ap_dbd_t *dbd = acquire ? acquire(rq->r) : NULL;

    if (!dbd) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, CMCAS_LOGNO(11)
                      "no database connection from mod_dbd for %s (check DBDriver "
                      "and DBDParams)", rq->r->uri);
        mod_cmcas_request_error(rq, HTTP_SERVICE_UNAVAILABLE,
                                "Le service est momentanément indisponible. "
                                "Merci de réessayer dans quelques minutes.");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    rq->store = apr_pcalloc(rq->r->pool, sizeof(*rq->store));
    rq->store->driver = dbd->driver;
    rq->store->handle = dbd->handle;
    rq->store->prepared = dbd->prepared;
    return OK;
}

int mod_cmcas_request_db_error(mod_cmcas_request_t *rq, const char *what, const char *err)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, CMCAS_LOGNO(12)
                  "database error while reading %s for %s: %s", what, rq->r->uri, err);
    mod_cmcas_request_error(rq, HTTP_SERVICE_UNAVAILABLE,
                            "Le service est momentanément indisponible. "
                            "Merci de réessayer dans quelques minutes.");
    return HTTP_SERVICE_UNAVAILABLE;
}

int mod_cmcas_request_member(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    const char *err = NULL;
    apr_status_t rv;
    int status;

    if (!r->user || !*r->user) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, CMCAS_LOGNO(13)
                      "no authenticated user for %s: protect the portal with an "
                      "Apache authentication (Require valid-user)", r->uri);
        mod_cmcas_request_error(rq, HTTP_FORBIDDEN,
                                "Vous devez être connecté pour consulter cette page.");
        return HTTP_FORBIDDEN;
    }
    if (OK != (status = mod_cmcas_request_store(rq))) {
        return status;
    }
    rv = cmcas_store_household_by_login(&rq->household, rq->store, r->pool, r->user, &err);
    if (APR_NOTFOUND == rv) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(14)
                      "user '%s' is authenticated but has no household", r->user);
        mod_cmcas_request_error(rq, HTTP_FORBIDDEN,
                                "Votre identifiant n'est rattaché à aucun foyer "
                                "d'ouvrant droit. Contactez votre CMCAS.");
        return HTTP_FORBIDDEN;
    }
    if (APR_SUCCESS != rv) {
        return mod_cmcas_request_db_error(rq, "the household", err);
    }
    return OK;
}

xmlDocPtr mod_cmcas_request_page(mod_cmcas_request_t *rq, const char *name,
                                 const char *theme, xmlNodePtr *proot)
{
    xmlDocPtr doc = cmcas_doc_new(rq->r->pool, name, proot);
    cmcas_store_household_t *hh = rq->household;

    cmcas_doc_attr(*proot, "base", rq->base);

    cmcas_doc_site(*proot, &rq->portal->site);
    if (hh) {
        cmcas_doc_user(*proot, hh->login,
                       apr_pstrcat(rq->r->pool, hh->od_first_name ? hh->od_first_name : "",
                                   " ", hh->od_last_name ? hh->od_last_name : "", NULL));
    }
    cmcas_doc_themes(*proot, theme);
    return doc;
}

/* Headers every page carries, on errors too. */
static void mod_cmcas_request_headers(request_rec *r)
{
    apr_table_t *h = r->err_headers_out;
    apr_table_mergen(h, "Vary", "Accept");
    apr_table_setn(h, "Cache-Control", "private, no-cache");
    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    apr_table_setn(h, "Referrer-Policy", "same-origin");
    apr_table_setn(h, "Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                   "script-src 'self'; form-action 'self'; frame-ancestors 'none'");
}

int mod_cmcas_request_send(mod_cmcas_request_t *rq, xmlDocPtr doc, int status)
{
    request_rec *r = rq->r;
    const cmcas_render_t *render = mod_cmcas_config_render();
    const char *out = NULL, *err = NULL;
    apr_size_t len = 0;
    apr_status_t rv;

    mod_cmcas_request_headers(r);
    if (cmcas_accept_prefers_xml(apr_table_get(r->headers_in, "Accept"))) {
        rv = cmcas_render_xml(&out, &len, doc, r->pool);
        ap_set_content_type(r, "application/xml; charset=utf-8");
    }
    else if (!render) {
        rv = APR_EGENERAL;
        err = "no compiled stylesheets";
    }
    else {
        rv = cmcas_render_html(&out, &len, render, doc, r->pool, &err);
        ap_set_content_type(r, "text/html; charset=utf-8");
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
        ap_set_content_type(r, "text/html; charset=utf-8");
    }
    r->status = status;
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only) {
        ap_rwrite(out, (int)len, r);
    }
    return OK;
}

static const char *mod_cmcas_request_title(int status)
{
    switch (status) {
    case HTTP_BAD_REQUEST: return "Requête invalide";
    case HTTP_FORBIDDEN: return "Accès refusé";
    case HTTP_NOT_FOUND: return "Page introuvable";
    case HTTP_METHOD_NOT_ALLOWED: return "Méthode non autorisée";
    case HTTP_SERVICE_UNAVAILABLE: return "Service indisponible";
    default: return "Erreur";
    }
}

int mod_cmcas_request_error(mod_cmcas_request_t *rq, int status, const char *message)
{
    xmlNodePtr root, node;
    xmlDocPtr doc = mod_cmcas_request_page(rq, "erreur", NULL, &root);

    node = cmcas_doc_elem(root, "erreur");
    cmcas_doc_attr_int(node, "status", status);
    cmcas_doc_text(node, "title", mod_cmcas_request_title(status));
    cmcas_doc_text(node, "message", message);
    return mod_cmcas_request_send(rq, doc, status);
}
