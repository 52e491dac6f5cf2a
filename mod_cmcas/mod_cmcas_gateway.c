#include <apr_strings.h>
#include <http_protocol.h>
#include <http_request.h>
#include <http_core.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_gateway.h"
#include "cmcas_date.h"
#include "cmcas_doc.h"
#include "cmcas_instalment.h"
#include "cmcas_order_doc.h"
#include "cmcas_order_store.h"
#include "cmcas_registration_doc.h"

#define MOD_CMCAS_GATEWAY_NOTIFY "/paiement/notification/"
#define MOD_CMCAS_GATEWAY_RETURN "/paiement/retour/"

/* What the fixups hook found: the verified return, for the handler. */
typedef struct {
    const mod_cmcas_gateway_t *gateway;
    const mod_cmcas_config_cmcas_t *payee;
    apr_table_t *fields;
    int notification;
    const char *kind;           /* browser returns: effectue, refuse, annule, attente */
} mod_cmcas_gateway_return_t;

const mod_cmcas_gateway_t *mod_cmcas_gateway_of(const mod_cmcas_config_cmcas_t *payee)
{
    if (!payee || payee->payment.online != 1 || !payee->payment.gateway) {
        return NULL;
    }
    return !strcmp(payee->payment.gateway, "paybox") ? &mod_cmcas_gateway_paybox
                                                     : &mod_cmcas_gateway_systempay;
}

const char *mod_cmcas_gateway_return_url(mod_cmcas_request_t *rq, const char *gateway,
                                         const char *code, const char *kind)
{
    /* Absolute: the banks refuse relative URLs. */
    return ap_construct_url(rq->r->pool, apr_pstrcat(rq->r->pool, rq->base,
                                                     MOD_CMCAS_GATEWAY_RETURN, gateway, "/",
                                                     code, "/", kind, NULL), rq->r);
}

const char *mod_cmcas_gateway_notify_url(mod_cmcas_request_t *rq, const char *gateway,
                                         const char *code)
{
    return ap_construct_url(rq->r->pool, apr_pstrcat(rq->r->pool, rq->base,
                                                     MOD_CMCAS_GATEWAY_NOTIFY, gateway, "/",
                                                     code, NULL), rq->r);
}

/* The path below the portal's prefix, or NULL when outside the portal. */
static const char *mod_cmcas_gateway_path(request_rec *r)
{
    const char *base = mod_cmcas_config_base(r);
    apr_size_t n = strlen(base);
    if (strncmp(r->uri, base, n) || (r->uri[n] && r->uri[n] != '/')) {
        return NULL;
    }
    return r->uri[n] ? r->uri + n : "/";
}

/* Splits "<gateway>/<CMCAS>[/<kind>]" after one of the prefixes; 0 when the path is
 * not a return path at all. A fourth segment leaves *pkind NULL-safe but wrong: the
 * callers check the kind against the known ones. */
static int mod_cmcas_gateway_parse(apr_pool_t *p, const char *path, int *pnotify,
                                   const char **pgw, const char **pcode, const char **pkind)
{
    const char *rest;
    char *state = NULL, *tok, *copy;
    int n;

    *pgw = *pcode = *pkind = NULL;
    if (!strncmp(path, MOD_CMCAS_GATEWAY_NOTIFY, sizeof(MOD_CMCAS_GATEWAY_NOTIFY) - 1)) {
        *pnotify = 1;
        rest = path + sizeof(MOD_CMCAS_GATEWAY_NOTIFY) - 1;
    }
    else if (!strncmp(path, MOD_CMCAS_GATEWAY_RETURN, sizeof(MOD_CMCAS_GATEWAY_RETURN) - 1)) {
        *pnotify = 0;
        rest = path + sizeof(MOD_CMCAS_GATEWAY_RETURN) - 1;
    }
    else {
        return 0;
    }
    copy = apr_pstrdup(p, rest);
    for (n = 0, tok = apr_strtok(copy, "/", &state); tok;
         n++, tok = apr_strtok(NULL, "/", &state)) {
        if (n == 0) *pgw = tok;
        else if (n == 1) *pcode = tok;
        else if (n == 2) *pkind = tok;
        else *pkind = "";           /* too many segments: no valid kind */
    }
    return 1;
}

int mod_cmcas_gateway_fixups(request_rec *r)
{
    const char *path, *gw = NULL, *code = NULL, *kind = NULL;
    const mod_cmcas_config_cmcas_t *c;
    const mod_cmcas_gateway_t *gateway;
    mod_cmcas_gateway_return_t *ret;
    apr_table_t *fields = NULL;
    int notify = 0, ok;

    if (!r->handler || strcmp(r->handler, "cmcas") || !(path = mod_cmcas_gateway_path(r))
        || !mod_cmcas_gateway_parse(r->pool, path, &notify, &gw, &code, &kind)) {
        return DECLINED;
    }
    c = mod_cmcas_config_cmcas(code);
    gateway = mod_cmcas_gateway_of(c);
    ok = gateway && gw && !strcmp(gateway->name, gw)
         && (notify ? !kind : kind && (!strcmp(kind, "effectue") || !strcmp(kind, "refuse")
                                       || !strcmp(kind, "annule") || !strcmp(kind, "attente")))
         && gateway->verify(r, c, &fields);
    if (!ok) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(50)
                      "payment return refused: no valid bank signature on %s (CMCAS %s)",
                      r->uri, code ? code : "?");
        return HTTP_FORBIDDEN;
    }
    ret = apr_pcalloc(r->pool, sizeof(*ret));
    ret->gateway = gateway;
    ret->payee = c;
    ret->fields = fields;
    ret->notification = notify;
    ret->kind = kind;
    ap_set_module_config(r->request_config, &cmcas_module, ret);
    apr_table_setn(r->notes, "cmcas-bank-verified", code);
    return DECLINED;
}

/* ------------------------------------------------------------------------------- */
/* The request to the bank */

int mod_cmcas_gateway_send(mod_cmcas_request_t *rq, const cmcas_order_t *order,
                           const mod_cmcas_config_cmcas_t *payee, int persons)
{
    const mod_cmcas_gateway_t *gateway = mod_cmcas_gateway_of(payee);
    const apr_array_header_t *elts;
    apr_table_t *fields = NULL;
    xmlNodePtr root, bank;
    xmlDocPtr doc;
    const char *err = NULL;
    int i;

    if (!gateway || APR_SUCCESS != gateway->request(&fields, rq, order, payee, persons, &err)) {
        return mod_cmcas_request_db_error(rq, "the bank request", err ? err : "no gateway");
    }
    doc = mod_cmcas_request_page(rq, "banque", NULL, &root);
    bank = cmcas_doc_elem(root, "banque");
    cmcas_doc_attr(bank, "action", payee->payment.gateway_url);
    cmcas_doc_attr(bank, "ref", order->reference);
    cmcas_doc_money(bank, "total", order->total, rq->r->pool);
    elts = apr_table_elts(fields);
    for (i = 0; i < elts->nelts; i++) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(elts, i, apr_table_entry_t);
        xmlNodePtr node = cmcas_doc_elem(bank, "field");
        cmcas_doc_attr(node, "name", e->key);
        cmcas_doc_attr(node, "value", e->val);
    }
    /* This page's form goes to the bank: the only place another origin is allowed. */
    rq->form_action = payee->payment.gateway_url;
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* ------------------------------------------------------------------------------- */
/* The bank's returns */

/* The notification: the only return that changes an order. Idempotent: the same one
 * twice, or after the browser's return, records one payment. */
static int mod_cmcas_gateway_notification(mod_cmcas_request_t *rq,
                                          const mod_cmcas_gateway_return_t *ret)
{
    request_rec *r = rq->r;
    apr_pool_t *p = r->pool;
    cmcas_gateway_result_t res;
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    cmcas_order_t *order = NULL;
    cmcas_instalment_plan_t plan;
    cmcas_date_t today;
    const char *err = NULL, *what;
    apr_int64_t expected;
    apr_status_t rv;
    int moved = 0;

    if (APR_SUCCESS != ret->gateway->result(&res, ret->fields, p)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(51)
                      "payment notification without its reference, amount or result");
        return HTTP_BAD_REQUEST;
    }
    if (OK != mod_cmcas_request_store(rq)) {
        return OK;
    }
    rv = cmcas_order_store_get(&order, rq->store, p, res.reference, 0, &err);
    if (APR_NOTFOUND == rv || (order && strcmp(order->cmcas_code, ret->payee->site.code))) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(52)
                      "payment notification for an unknown order '%s' of CMCAS %s",
                      res.reference, ret->payee->site.code);
        return HTTP_NOT_FOUND;
    }
    if (APR_SUCCESS != rv) {
        return mod_cmcas_request_db_error(rq, "an order to notify", err);
    }
    cmcas_date_today(&today, apr_time_now());
    cmcas_instalment_plan(&plan, order->total, order->instalments, &today);
    expected = res.amount_is_total ? order->total : plan.amounts[0];
    if (res.amount != expected) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(53)
                      "payment notification for order %s: amount %" APR_INT64_T_FMT
                      ", expected %" APR_INT64_T_FMT, res.reference, res.amount, expected);
        return HTTP_CONFLICT;
    }
    cmcas_registration_store_change_init(&ch, rq->store, p, ret->gateway->name);
    rv = cmcas_registration_store_lock(&reg, &ch, order->activity_id, order->household_id, 0);
    if (APR_SUCCESS != rv) {
        goto db_error;
    }
    what = apr_psprintf(p, "Banque : %s (%s, transaction %s)", res.message, res.code,
                        res.transaction);
    switch (res.outcome) {
    case CMCAS_GATEWAY_PAID: {
        const char *waiting = NULL, *from = order->status;
        int can_pay;

        if (!strcmp(from, "payee") || !strcmp(from, "a_rembourser")) {
            break;              /* the same notification again: already recorded */
        }
        rv = cmcas_order_store_waiting(&waiting, ch.st, p, reg->id, &ch.err);
        /* It pays the registration only if that is still validated and waits for this
         * order (or for none): otherwise the places may be gone, or paid by another
         * order; nothing is taken and the staff refund it. */
        can_pay = APR_SUCCESS == rv && !strcmp(reg->status, "validee")
                  && (!waiting || !strcmp(waiting, order->reference))
                  && (!strcmp(from, "attente_cb") || !strcmp(from, "refusee"));
        if (APR_SUCCESS == rv && can_pay) {
            rv = cmcas_order_store_move(&ch, order, from, "payee", what, &moved);
            if (APR_SUCCESS == rv && moved) {
                rv = cmcas_registration_store_status(&ch, reg, "payee",
                                                     apr_pstrcat(p, "Commande ",
                                                                 order->reference,
                                                                 " payée", NULL));
            }
        }
        else if (APR_SUCCESS == rv) {
            rv = cmcas_order_store_move(&ch, order, from, "a_rembourser",
                                        apr_pstrcat(p, what, " : l'inscription n'attendait "
                                                    "plus ce paiement, à rembourser", NULL),
                                        &moved);
            if (APR_SUCCESS == rv && moved) {
                /* The staff's signal until they have their own pages: a warning. */
                ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(55)
                              "REFUND DUE: order %s of CMCAS %s was paid (%" APR_INT64_T_FMT
                              " cents, transaction %s) after it ended; no place taken",
                              order->reference, order->cmcas_code, res.amount,
                              res.transaction);
            }
        }
        break;
    }
    case CMCAS_GATEWAY_REFUSED:
        rv = cmcas_order_store_move(&ch, order, "attente_cb", "refusee", what, &moved);
        break;
    default:
        /* Pending, cancelled or an error: recorded in the history, nothing changes. */
        rv = cmcas_order_store_move(&ch, order, order->status, order->status, what, &moved);
        break;
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != cmcas_registration_store_finish(&ch, 1)) {
        goto db_error;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(54)
                  "payment notification for order %s: %s, order %s", res.reference, res.code,
                  order->status);
    /* The banks want a plain 200, no redirect, no content. */
    ap_set_content_type(r, "text/plain");
    ap_set_content_length(r, 0);
    return OK;
db_error:
    cmcas_registration_store_finish(&ch, 0);
    return mod_cmcas_request_db_error(rq, "a payment notification", ch.err);
}

/* A browser return: never marks anything paid; shows the order as the notification
 * left it, with what the bank said. */
static int mod_cmcas_gateway_browser(mod_cmcas_request_t *rq,
                                     const mod_cmcas_gateway_return_t *ret)
{
    request_rec *r = rq->r;
    cmcas_gateway_result_t res;
    cmcas_order_t *order = NULL;
    apr_array_header_t *events;
    xmlNodePtr root, node;
    xmlDocPtr doc;
    const char *err = NULL, *message;
    apr_status_t rv;

    if (APR_SUCCESS != ret->gateway->result(&res, ret->fields, r->pool)) {
        return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, "Retour de la banque incomplet.");
    }
    rv = cmcas_order_store_get(&order, rq->store, r->pool, res.reference, rq->household->id,
                               &err);
    if (APR_NOTFOUND == rv) {
        return mod_cmcas_request_not_found(rq, "bank return for an order of another household");
    }
    if (APR_SUCCESS != rv
        || APR_SUCCESS != cmcas_order_store_events(&events, rq->store, r->pool, order->id,
                                                   &err)) {
        return mod_cmcas_request_db_error(rq, "an order", err);
    }
    if (!strcmp(order->status, "payee")) {
        message = NULL;
    }
    else if (!strcmp(ret->kind, "annule") || res.outcome == CMCAS_GATEWAY_CANCELLED) {
        message = "Vous avez annulé le paiement : vous pouvez recommencer depuis « Mes "
                  "inscriptions ».";
    }
    else if (!strcmp(ret->kind, "refuse") || res.outcome == CMCAS_GATEWAY_REFUSED) {
        message = apr_pstrcat(r->pool, res.message, " Vous pouvez essayer à nouveau.", NULL);
    }
    else {
        message = "Paiement en cours de confirmation par la banque : cette page "
                  "affichera « Paiement accepté » dès sa confirmation.";
    }
    doc = mod_cmcas_request_page(rq, "commande", NULL, &root);
    node = cmcas_order_doc_order(root, order, &ret->payee->site,
                                 mod_cmcas_request_csrf_token(rq), 1, rq->base, r->pool);
    if (message) {
        cmcas_registration_doc_message(node, strcmp(ret->kind, "effectue") ? "error" : "info",
                                       message);
    }
    cmcas_registration_doc_history(node, events, r->pool);
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

int mod_cmcas_gateway_route(mod_cmcas_request_t *rq, const char *path, int *phandled)
{
    request_rec *r = rq->r;
    const mod_cmcas_gateway_return_t *ret =
        ap_get_module_config(r->request_config, &cmcas_module);
    const char *gw, *code, *kind;
    int notify = 0;

    *phandled = mod_cmcas_gateway_parse(r->pool, path, &notify, &gw, &code, &kind);
    if (!*phandled) {
        return OK;
    }
    /* The fixups hook let it through only signed, and said so. */
    if (!ret) {
        return HTTP_FORBIDDEN;
    }
    if (ret->notification) {
        if (r->method_number != M_GET && r->method_number != M_POST) {
            return HTTP_METHOD_NOT_ALLOWED;
        }
        return mod_cmcas_gateway_notification(rq, ret);
    }
    if (OK != mod_cmcas_request_member(rq)) {
        return OK;
    }
    return mod_cmcas_gateway_browser(rq, ret);
}
