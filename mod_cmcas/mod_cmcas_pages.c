#include <apr_strings.h>
#include <apr_lib.h>
#include <http_protocol.h>
#include <http_request.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_ratelimit.h"
#include "mod_cmcas_pages.h"
#include "mod_cmcas_request.h"
#include "mod_cmcas_account.h"
#include "mod_cmcas_legal.h"
#include "mod_cmcas_catalog.h"
#include "cmcas_form.h"
#include "mod_cmcas_order.h"
#include "mod_cmcas_gateway.h"
#include "mod_cmcas_registration.h"
#include "mod_cmcas_staff.h"
#include "mod_cmcas_image.h"
#include "mod_cmcas_invoice.h"
#include "cmcas_order.h"

int mod_cmcas_pages_method(mod_cmcas_request_t *rq, int post_allowed)
{
    request_rec *r = rq->r;
    const char *note;
    /* 2 and above: an action, a form's post only (a GET there would be a link an
     * attacker can send; it answers 405 like any other method). */
    int get_allowed = post_allowed < 2;

    r->allowed = (get_allowed ? AP_METHOD_BIT << M_GET : 0)
                 | (post_allowed ? AP_METHOD_BIT << M_POST : 0);
    if ((get_allowed && r->method_number == M_GET)
        || (post_allowed && r->method_number == M_POST)) {
        return OK;
    }
    if (mod_cmcas_ratelimit_ok(r, 23, &note)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(23)
                      "method %s not allowed on %s%s", r->method, r->uri, note);
    }
    apr_table_setn(r->err_headers_out, "Allow", !get_allowed ? "POST"
                                                : post_allowed ? "GET, HEAD, POST"
                                                : "GET, HEAD");
    /* A body sent with it is not read (it could be LimitRequestBody long): the
     * connection closes after the answer instead. */
    if (ap_request_has_body(r)) {
        r->connection->keepalive = AP_CONN_CLOSE;
    }
    ap_discard_request_body(r);
    mod_cmcas_request_error(rq, HTTP_METHOD_NOT_ALLOWED,
                            !get_allowed ? "Cette action se fait par un formulaire."
                                         : "Cette page ne se consulte qu'en lecture.");
    return DONE;
}

apr_int64_t mod_cmcas_pages_path_id(const char *path, const char *prefix,
                                           const char **prest)
{
    apr_size_t n = strlen(prefix), len;
    char digits[24];

    *prest = "";
    if (strncmp(path, prefix, n)) {
        return 0;
    }
    path += n;
    len = strcspn(path, "/");
    if (len >= sizeof(digits)) {
        return 0;
    }
    memcpy(digits, path, len);
    digits[len] = '\0';
    *prest = path + len;
    return cmcas_form_id(digits);
}

/* The pages of a member, by path below the portal's prefix. */
typedef enum {
    MOD_CMCAS_PAGES_NONE, MOD_CMCAS_PAGES_CATALOGUE, MOD_CMCAS_PAGES_ACTIVITE,
    MOD_CMCAS_PAGES_INSCRIPTION, MOD_CMCAS_PAGES_INSCRIPTIONS, MOD_CMCAS_PAGES_CONSULTATION,
    MOD_CMCAS_PAGES_PAIEMENT, MOD_CMCAS_PAGES_COMMANDES, MOD_CMCAS_PAGES_COMMANDE,
    MOD_CMCAS_PAGES_INFORMATIONS, MOD_CMCAS_PAGES_COMPTE, MOD_CMCAS_PAGES_RENONCER,
    MOD_CMCAS_PAGES_TIRAGE, MOD_CMCAS_PAGES_IMAGE, MOD_CMCAS_PAGES_FACTURE,
    MOD_CMCAS_PAGES_ADRESSES
} mod_cmcas_pages_route_t;

/* Which page `path` is, with its numeric id or order reference; whether it takes POST. */
static mod_cmcas_pages_route_t mod_cmcas_pages_route(const char *path, apr_int64_t *pid,
                                                     const char **pref, int *ppost)
{
    const char *rest;

    *pid = 0;
    *pref = NULL;
    *ppost = 0;
    if (!strcmp(path, "/")) return MOD_CMCAS_PAGES_CATALOGUE;
    if (!strcmp(path, "/mes-informations")) {
        *ppost = 1;
        return MOD_CMCAS_PAGES_INFORMATIONS;
    }
    if (!strcmp(path, "/mes-adresses")) {
        *ppost = 1;
        return MOD_CMCAS_PAGES_ADRESSES;
    }
    if (!strcmp(path, "/mon-compte")) return MOD_CMCAS_PAGES_COMPTE;
    if (!strcmp(path, "/mes-inscriptions")) return MOD_CMCAS_PAGES_INSCRIPTIONS;
    if (!strcmp(path, "/mes-commandes")) return MOD_CMCAS_PAGES_COMMANDES;
    if (!strncmp(path, "/image/", 7)) {
        *pref = path + 7;
        return MOD_CMCAS_PAGES_IMAGE;
    }
    /* An order's invoice or credit note (mod_cmcas_invoice.c): GET only. */
    if (!strncmp(path, "/mes-commandes/", 15) && mod_cmcas_invoice_kind(path + 15)) {
        *pref = path + 15;
        return MOD_CMCAS_PAGES_FACTURE;
    }
    if (!strncmp(path, "/mes-commandes/", 15) && cmcas_order_reference_ok(path + 15)) {
        *pref = path + 15;
        *ppost = 1;
        return MOD_CMCAS_PAGES_COMMANDE;
    }
    if ((*pid = mod_cmcas_pages_path_id(path, "/activite/", &rest))) {
        if (!*rest) return MOD_CMCAS_PAGES_ACTIVITE;
        if (!strcmp(rest, "/tirage.csv")) return MOD_CMCAS_PAGES_TIRAGE;
        *ppost = 1;
        if (!strcmp(rest, "/inscription")) return MOD_CMCAS_PAGES_INSCRIPTION;
    }
    else if ((*pid = mod_cmcas_pages_path_id(path, "/mes-inscriptions/", &rest))) {
        if (!*rest) return MOD_CMCAS_PAGES_CONSULTATION;
        *ppost = 1;
        if (!strcmp(rest, "/paiement")) return MOD_CMCAS_PAGES_PAIEMENT;
        *ppost = 2;
        if (!strcmp(rest, "/renoncer")) return MOD_CMCAS_PAGES_RENONCER;
    }
    *ppost = 0;
    return MOD_CMCAS_PAGES_NONE;
}

/* A member's page, the member known and the method allowed. */
static int mod_cmcas_pages_member(mod_cmcas_request_t *rq, mod_cmcas_pages_route_t route,
                                  apr_int64_t id, const char *ref)
{
    switch (route) {
    case MOD_CMCAS_PAGES_CATALOGUE: return mod_cmcas_catalog_list(rq);
    case MOD_CMCAS_PAGES_ACTIVITE: return mod_cmcas_catalog_activity(rq, id);
    case MOD_CMCAS_PAGES_TIRAGE: return mod_cmcas_catalog_draw_data(rq, id);
    case MOD_CMCAS_PAGES_INSCRIPTION: return mod_cmcas_registration_form(rq, id);
    case MOD_CMCAS_PAGES_INSCRIPTIONS: return mod_cmcas_registration_list(rq);
    case MOD_CMCAS_PAGES_CONSULTATION: return mod_cmcas_registration_show(rq, id);
    case MOD_CMCAS_PAGES_PAIEMENT: return mod_cmcas_order_payment(rq, id);
    case MOD_CMCAS_PAGES_RENONCER:
        if (rq->r->method_number != M_POST) {
            return mod_cmcas_request_not_found(rq, "« Je renonce » is a form's post");
        }
        return mod_cmcas_registration_renounce(rq, id);
    case MOD_CMCAS_PAGES_COMMANDES: return mod_cmcas_order_list(rq);
    case MOD_CMCAS_PAGES_COMMANDE: return mod_cmcas_order_show(rq, ref);
    case MOD_CMCAS_PAGES_INFORMATIONS: return mod_cmcas_account_informations(rq);
    case MOD_CMCAS_PAGES_ADRESSES: return mod_cmcas_account_addresses(rq);
    case MOD_CMCAS_PAGES_COMPTE: return mod_cmcas_account_menu(rq);
    case MOD_CMCAS_PAGES_IMAGE: return mod_cmcas_image_serve(rq, ref);
    case MOD_CMCAS_PAGES_FACTURE: return mod_cmcas_invoice_serve(rq, ref);
    default:
        return mod_cmcas_request_not_found(rq, "unknown path");
    }
}

/* A configuration problem, but each probe would repeat it: logged within bounds. */
static int mod_cmcas_pages_no_portal(request_rec *r)
{
    const char *note;

    if (mod_cmcas_ratelimit_ok(r, 22, &note)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, CMCAS_LOGNO(22)
                      "SetHandler cmcas without CMCASPortal for %s%s", r->uri, note);
    }
    return HTTP_SERVICE_UNAVAILABLE;
}

int mod_cmcas_pages_handler(request_rec *r)
{
    const mod_cmcas_config_cmcas_t *portal;
    mod_cmcas_request_t rq;
    mod_cmcas_pages_route_t route;
    const char *path, *ref;
    apr_int64_t id;
    apr_size_t blen;
    int post, handled = 0, status;

    if (!r->handler || strcmp(r->handler, "cmcas")) {
        return DECLINED;
    }
    portal = mod_cmcas_config_portal(r);
    if (!portal) {
        return mod_cmcas_pages_no_portal(r);
    }
    if (OK != mod_cmcas_request_init(&rq, r, portal)) {
        return OK;
    }
    /* Route on the path below the portal's prefix ("/touraine/x" -> "/x"). */
    blen = strlen(rq.base);
    if (strncmp(r->uri, rq.base, blen) || (r->uri[blen] && r->uri[blen] != '/')) {
        return mod_cmcas_request_not_found(&rq, "outside the portal's location");
    }
    path = r->uri[blen] ? r->uri + blen : "/";

    if (!strcmp(path, "/connexion")) {
        if (OK != mod_cmcas_pages_method(&rq, 0)) {
            return OK;
        }
        return mod_cmcas_account_login(&rq);
    }
    /* « Conditions d'utilisation », the CGV: for a member, and for anyone else whom
     * Apache lets read them (no user). */
    if (mod_cmcas_legal_path(path)) {
        if (OK != mod_cmcas_pages_method(&rq, 0)
            || (r->user && OK != mod_cmcas_request_member(&rq))) {
            return OK;
        }
        return mod_cmcas_legal_page(&rq, path);
    }
    /* The bank's returns: the notification comes without a member. */
    status = mod_cmcas_gateway_route(&rq, path, &handled);
    if (handled) {
        return status;
    }
    /* The back-office: staff, not members (mod_cmcas_staff.c). */
    if (!strncmp(path, "/gestion", 8) && (!path[8] || path[8] == '/')) {
        return mod_cmcas_staff_handler(&rq, path + 8);
    }
    route = mod_cmcas_pages_route(path, &id, &ref, &post);
    /* No user and no such page: a probe below a public location (/connexion/x), not a
     * member page left open (CMCAS13): 404 at info. */
    if (route == MOD_CMCAS_PAGES_NONE && (!r->user || !*r->user)) {
        ap_discard_request_body(r);
        return mod_cmcas_request_not_found(&rq, "no such page, and no user");
    }
    /* The method, then the member, then "not found": nothing about what exists is
     * said to a request that is not allowed anyway. A posted form is read whole before
     * the database: a slow sender must not hold a connection others wait for. */
    if (OK != mod_cmcas_pages_method(&rq, post)
        || (r->method_number == M_POST && OK != mod_cmcas_request_post(&rq))
        || OK != mod_cmcas_request_member(&rq)) {
        return OK;
    }
    /* The household's id only: never its name, e-mail or the request's cookies. */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, CMCAS_LOGNO(298)
                  "member page %s %s routed (route %d) for household %" APR_INT64_T_FMT,
                  r->method, path, (int)route, rq.household->id);
    return mod_cmcas_pages_member(&rq, route, id, ref);
}
