#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_ratelimit.h"
#include "mod_cmcas_staff.h"
#include "mod_cmcas_staff_desk.h"
#include "mod_cmcas_staff_draw.h"
#include "mod_cmcas_pages.h"
#include "mod_cmcas_staff_registration.h"
#include "mod_cmcas_staff_amend.h"
#include "mod_cmcas_image.h"
#include "mod_cmcas_staff_activity.h"
#include "cmcas_audit_store.h"
#include "cmcas_date.h"
#include "cmcas_doc.h"
#include "cmcas_form.h"
#include "cmcas_staff_dashboard.h"
#include "cmcas_staff_store.h"

/* Lines of the audit log per page. */
#define MOD_CMCAS_STAFF_JOURNAL_PAGE 100

int mod_cmcas_staff_not_found(mod_cmcas_request_t *rq, const char *why)
{
    return mod_cmcas_request_not_found(rq, why);
}

int mod_cmcas_staff_identify(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    cmcas_staff_t *staff;
    const char *err = NULL;
    apr_status_t rv;

    if (!r->user || !*r->user) {
        /* The configuration leaves the back-office open: say so once, show nothing. */
        if (mod_cmcas_ratelimit_ok(r, 121, &err)) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, CMCAS_LOGNO(121)
                          "no authenticated user for %s: protect the back-office with an "
                          "Apache authentication (<Location /gestion> ... Require "
                          "valid-user)%s", r->uri, err);
        }
        mod_cmcas_request_not_found(rq, "back-office without authentication");
        return DONE;
    }
    if (OK != mod_cmcas_request_store(rq)) {
        return DONE;
    }
    rv = cmcas_staff_store_by_login(&staff, rq->store, r->pool, r->user, &err);
    if (APR_NOTFOUND == rv) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(122)
                      "user '%s' is not CMCAS staff: back-office refused (%s)",
                      r->user, r->uri);
        mod_cmcas_request_not_found(rq, "not a staff login");
        return DONE;
    }
    if (APR_SUCCESS != rv) {
        mod_cmcas_request_db_error(rq, "the staff member", err);
        return DONE;
    }
    if (!mod_cmcas_config_cmcas(staff->cmcas_code)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(123)
                      "staff '%s' belongs to CMCAS %s, which no <CMCAS> block declares: "
                      "back-office refused", r->user, staff->cmcas_code);
        mod_cmcas_request_not_found(rq, "staff of an undeclared CMCAS");
        return DONE;
    }
    rq->staff = staff;
    return OK;
}

xmlDocPtr mod_cmcas_staff_page(mod_cmcas_request_t *rq, const char *name,
                               xmlNodePtr *proot)
{
    const mod_cmcas_config_cmcas_t *c = mod_cmcas_config_cmcas(rq->staff->cmcas_code);
    xmlDocPtr doc = cmcas_doc_new(rq->r->pool, name, proot);
    xmlNodePtr node;

    cmcas_doc_attr(*proot, "base", rq->base);
    cmcas_doc_attr(*proot, "static-version", mod_cmcas_config_static_version());
    cmcas_doc_site(*proot, &c->site);
    node = cmcas_doc_elem(*proot, "staff");
    cmcas_doc_attr(node, "login", rq->staff->login);
    cmcas_doc_attr(node, "name", rq->staff->name);
    cmcas_doc_attr(node, "cmcas", rq->staff->cmcas_code);
    cmcas_doc_attr(node, "csrf", mod_cmcas_request_csrf_token(rq));
    return doc;
}

static const char *mod_cmcas_staff_today(apr_pool_t *p)
{
    cmcas_date_t today;

    cmcas_date_today(&today, apr_time_now());
    return cmcas_date_iso(p, &today);
}

/* GET /gestion[?activites=...] : the dashboard of the staff member's CMCAS. */
static int mod_cmcas_staff_dashboard(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    const char *err = NULL, *today = mod_cmcas_staff_today(r->pool), *draw;
    int filter = cmcas_staff_dashboard_filter_parse(apr_table_get(rq->args, "activites"));
    cmcas_staff_store_counts_t counts;
    apr_array_header_t *acts;
    xmlNodePtr root, board, list, node;
    xmlDocPtr doc;
    int i;

    if (filter < 0) {
        return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST,
                                       "Ce filtre des activités n'existe pas.");
    }
    if (APR_SUCCESS != cmcas_staff_store_counts(&counts, rq->store, r->pool,
                                                rq->staff->cmcas_code, today, &err)
        || APR_SUCCESS != cmcas_staff_store_activities(&acts, rq->store, r->pool,
                                                       rq->staff->cmcas_code, &err)) {
        return mod_cmcas_request_db_error(rq, "the dashboard", err);
    }
    mod_cmcas_request_release(rq);
    doc = mod_cmcas_staff_page(rq, "gestion", &root);
    board = cmcas_doc_elem(root, "tableau-de-bord");
    cmcas_doc_attr(board, "today", today);
    node = cmcas_doc_elem(board, "compteurs");
    cmcas_doc_attr_int(node, "a-payer", counts.awaiting_payment);
    cmcas_doc_attr_int(node, "paiements-cmcas", counts.desk_orders);
    cmcas_doc_attr_int(node, "a-rembourser", counts.to_refund);
    cmcas_doc_attr_int(node, "tirages-a-faire", counts.draws_to_run);
    cmcas_doc_attr_int(node, "tirages-a-publier", counts.draws_to_publish);
    list = cmcas_doc_elem(board, "activites");
    cmcas_doc_attr(list, "filtre", cmcas_staff_dashboard_filter_code(filter));
    cmcas_doc_attr(list, "filtre-label", cmcas_staff_dashboard_filter_label(filter));
    for (i = 0; i < acts->nelts; i++) {
        const cmcas_staff_store_activity_t *a =
            &APR_ARRAY_IDX(acts, i, cmcas_staff_store_activity_t);
        if (!cmcas_staff_dashboard_matches(a, today, filter)) {
            continue;
        }
        node = cmcas_doc_elem(list, "activite");
        cmcas_doc_attr_int(node, "id", a->id);
        cmcas_doc_attr(node, "theme", a->theme);
        cmcas_doc_attr(node, "mode", a->mode);
        cmcas_doc_attr(node, "published", a->published_at ? "1" : "0");
        cmcas_doc_attr_int(node, "capacity", a->capacity);
        cmcas_doc_attr_int(node, "places-taken", a->places_taken);
        cmcas_doc_attr_int(node, "registrations", a->registrations);
        cmcas_doc_attr_int(node, "a-payer", a->awaiting_payment);
        if ((draw = cmcas_staff_dashboard_draw(a, today))) {
            cmcas_doc_attr(node, "draw", draw);
        }
        cmcas_doc_text(node, "title", a->title);
        cmcas_doc_date(node, "start", a->start_date, r->pool);
        cmcas_doc_date(node, "end", a->end_date, r->pool);
        cmcas_doc_date(node, "closing", a->closing_date, r->pool);
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* GET /gestion/journal[?avant=ID] : the audit log of the CMCAS, the latest first. */
static int mod_cmcas_staff_journal(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    const char *err = NULL, *before_arg = apr_table_get(rq->args, "avant");
    apr_int64_t before = 0;
    apr_array_header_t *entries;
    xmlNodePtr root, list, node;
    xmlDocPtr doc;
    int i;

    if (before_arg && !(before = cmcas_form_id(before_arg))) {
        return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST,
                                       "Le numéro de ligne du journal est invalide.");
    }
    if (APR_SUCCESS != cmcas_audit_store_list(&entries, rq->store, r->pool,
                                              rq->staff->cmcas_code, before,
                                              MOD_CMCAS_STAFF_JOURNAL_PAGE + 1, &err)) {
        return mod_cmcas_request_db_error(rq, "the audit log", err);
    }
    mod_cmcas_request_release(rq);
    doc = mod_cmcas_staff_page(rq, "gestion-journal", &root);
    list = cmcas_doc_elem(root, "journal");
    for (i = 0; i < entries->nelts && i < MOD_CMCAS_STAFF_JOURNAL_PAGE; i++) {
        const cmcas_audit_store_entry_t *e =
            &APR_ARRAY_IDX(entries, i, cmcas_audit_store_entry_t);
        node = cmcas_doc_elem(list, "entree");
        cmcas_doc_attr_int(node, "id", e->id);
        cmcas_doc_attr(node, "at", e->at);
        cmcas_doc_attr(node, "at-local", cmcas_date_stamp_local(r->pool, e->at));
        cmcas_doc_attr(node, "actor", e->actor);
        cmcas_doc_text(node, "action", e->action);
        cmcas_doc_text(node, "objet", e->object);
        cmcas_doc_text(node, "avant", e->before);
        cmcas_doc_text(node, "apres", e->after);
    }
    if (entries->nelts > MOD_CMCAS_STAFF_JOURNAL_PAGE) {
        const cmcas_audit_store_entry_t *last = &APR_ARRAY_IDX(
            entries, MOD_CMCAS_STAFF_JOURNAL_PAGE - 1, cmcas_audit_store_entry_t);
        cmcas_doc_attr_int(list, "suivant", last->id);
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* GET /gestion/connexion : the staff's login form (the configuration's mod_auth_form
 * checks it at /gestion/connexion/valider against cmcas_staff). */
static int mod_cmcas_staff_login(mod_cmcas_request_t *rq)
{
    xmlNodePtr root, node;
    xmlDocPtr doc = mod_cmcas_request_page(rq, "connexion", NULL, &root);

    node = cmcas_doc_elem(root, "connexion");
    cmcas_doc_attr(node, "staff", "1");
    cmcas_doc_attr(node, "action",
                   apr_pstrcat(rq->r->pool, rq->base, "/gestion/connexion/valider", NULL));
    if (apr_table_get(rq->args, "erreur")) {
        cmcas_doc_attr(node, "error", "1");
    }
    if (apr_table_get(rq->args, "deconnecte")) {
        cmcas_doc_attr(node, "logged-out", "1");
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* A page of the back-office: its function, whether it takes POST (and only POST). */
typedef int (*mod_cmcas_staff_page_fn)(mod_cmcas_request_t *rq, apr_int64_t id,
                                       const char *ref);
typedef struct {
    mod_cmcas_staff_page_fn fn;
    int post;                   /* 1: GET and POST; 2: POST only; 3: POST only, its body
                                 * read by the page (a file: multipart/form-data) */
} mod_cmcas_staff_route_t;

static int mod_cmcas_staff_page_dashboard(mod_cmcas_request_t *rq, apr_int64_t id,
                                          const char *ref)
{
    (void)id;
    (void)ref;
    return mod_cmcas_staff_dashboard(rq);
}

static int mod_cmcas_staff_page_journal(mod_cmcas_request_t *rq, apr_int64_t id,
                                        const char *ref)
{
    (void)id;
    (void)ref;
    return mod_cmcas_staff_journal(rq);
}

static int mod_cmcas_staff_page_activity_new(mod_cmcas_request_t *rq, apr_int64_t id,
                                             const char *ref)
{
    (void)id;
    (void)ref;
    return mod_cmcas_staff_activity_new(rq);
}

static int mod_cmcas_staff_page_activity(mod_cmcas_request_t *rq, apr_int64_t id,
                                         const char *ref)
{
    (void)ref;
    return mod_cmcas_staff_activity_edit(rq, id);
}

static int mod_cmcas_staff_page_activity_publish(mod_cmcas_request_t *rq, apr_int64_t id,
                                                 const char *ref)
{
    (void)ref;
    return mod_cmcas_staff_activity_publish(rq, id);
}

static int mod_cmcas_staff_page_activity_image(mod_cmcas_request_t *rq, apr_int64_t id,
                                               const char *ref)
{
    (void)ref;
    return mod_cmcas_staff_activity_image(rq, id);
}

static int mod_cmcas_staff_page_image(mod_cmcas_request_t *rq, apr_int64_t id,
                                      const char *ref)
{
    (void)id;
    return mod_cmcas_image_serve(rq, ref);
}

/* The pages of an activity's or a registration's id: "{prefix}{id}{suffix}". */
static const struct {
    const char *prefix, *suffix;
    mod_cmcas_staff_page_fn fn;
    int post;
} mod_cmcas_staff_id_routes[] = {
    {"/activite/", "", mod_cmcas_staff_page_activity, 1},
    {"/activite/", "/publier", mod_cmcas_staff_page_activity_publish, 2},
    {"/activite/", "/image", mod_cmcas_staff_page_activity_image, 3},
    /* Its registrations and their export (mod_cmcas_staff_registration.c). */
    {"/activite/", "/inscriptions", mod_cmcas_staff_registration_list, 0},
    {"/activite/", "/inscriptions.csv", mod_cmcas_staff_registration_csv, 0},
    /* Its « tour de rôle » (mod_cmcas_staff_draw.c). */
    {"/activite/", "/tirage", mod_cmcas_staff_draw_page, 0},
    {"/activite/", "/tirage/lancer", mod_cmcas_staff_draw_run, 2},
    {"/activite/", "/tirage/publier", mod_cmcas_staff_draw_publish, 2},
    /* A registration cancelled by staff, or changed at the member's request. */
    {"/inscription/", "/annuler", mod_cmcas_staff_registration_cancel, 2},
    {"/inscription/", "/modifier", mod_cmcas_staff_amend, 1},
};

/* Which page `path` (below /gestion) is, with its id or reference. */
static int mod_cmcas_staff_route(mod_cmcas_staff_route_t *route, const char *path,
                                 apr_int64_t *pid, const char **pref)
{
    const char *rest;
    apr_size_t i;

    *pid = 0;
    *pref = NULL;
    route->post = 0;
    route->fn = !*path || !strcmp(path, "/") ? mod_cmcas_staff_page_dashboard
                : !strcmp(path, "/journal") ? mod_cmcas_staff_page_journal
                : !strcmp(path, "/commandes") ? mod_cmcas_staff_desk_orders
                : NULL;
    if (route->fn) {
        return 1;
    }
    if (!strcmp(path, "/activites/nouvelle")) {
        route->fn = mod_cmcas_staff_page_activity_new;
        route->post = 1;
        return 1;
    }
    /* Desk payments and refunds of an order (mod_cmcas_staff_desk.c). */
    if ((*pref = mod_cmcas_staff_desk_ref(path, "/paiement"))) {
        route->fn = mod_cmcas_staff_desk_pay;
    }
    else if ((*pref = mod_cmcas_staff_desk_ref(path, "/remboursement"))) {
        route->fn = mod_cmcas_staff_desk_refund;
    }
    if (route->fn) {
        route->post = 2;
        return 1;
    }
    if (!strncmp(path, "/image/", 7)) {
        route->fn = mod_cmcas_staff_page_image;
        *pref = path + 7;
        return 1;
    }
    for (i = 0; i < sizeof(mod_cmcas_staff_id_routes) / sizeof(*mod_cmcas_staff_id_routes);
         i++) {
        if ((*pid = mod_cmcas_pages_path_id(path, mod_cmcas_staff_id_routes[i].prefix, &rest))
            && !strcmp(rest, mod_cmcas_staff_id_routes[i].suffix)) {
            route->fn = mod_cmcas_staff_id_routes[i].fn;
            route->post = mod_cmcas_staff_id_routes[i].post;
            return 1;
        }
    }
    *pid = 0;
    return 0;
}

int mod_cmcas_staff_handler(mod_cmcas_request_t *rq, const char *path)
{
    request_rec *r = rq->r;
    mod_cmcas_staff_route_t route;
    const char *ref;
    apr_int64_t id;

    if (!strcmp(path, "/connexion")) {
        if (OK != mod_cmcas_pages_method(rq, 0)) {
            return OK;
        }
        return mod_cmcas_staff_login(rq);
    }
    if (!mod_cmcas_staff_route(&route, path, &id, &ref)) {
        route.fn = NULL;
        route.post = 0;
    }
    /* Who asks first (the errors that follow are then pages of the back-office, in its
     * layout), then the method and the form, then "not found". Identifying took a
     * connection: given back while a form is read (a slow sender must not hold one
     * that others wait for), taken again for the handler. */
    if (OK != mod_cmcas_staff_identify(rq)) {
        return OK;
    }
    if (r->method_number == M_POST) {
        mod_cmcas_request_release(rq);
    }
    if (OK != mod_cmcas_pages_method(rq, route.post)
        || (r->method_number == M_POST && route.post != 3 && OK != mod_cmcas_request_post(rq))
        || OK != mod_cmcas_request_store(rq)) {
        return OK;
    }
    if (!route.fn) {
        return mod_cmcas_staff_not_found(rq, "unknown back-office path");
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, CMCAS_LOGNO(297)
                  "back-office %s %s routed (staff of CMCAS %s)", r->method, path,
                  rq->staff->cmcas_code);
    return route.fn(rq, id, ref);
}
