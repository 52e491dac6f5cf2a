#include <apr_strings.h>
#include <http_protocol.h>
#include <http_request.h>
#include <http_core.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_ratelimit.h"
#include "mod_cmcas_gateway.h"
#include "cmcas_date.h"
#include "cmcas_doc.h"
#include "cmcas_instalment.h"
#include "cmcas_order_doc.h"
#include "cmcas_order_store.h"
#include "cmcas_payment.h"
#include "cmcas_registration_doc.h"
#include "mod_cmcas_bank_check.h"
#include "mod_cmcas_url.h"

#define MOD_CMCAS_GATEWAY_NOTIFY "/paiement/notification/"
#define MOD_CMCAS_GATEWAY_RETURN "/paiement/retour/"

/* What the fixups hook found: the verified return, for the handler. */
typedef struct {
    const mod_cmcas_gateway_t *gateway;
    const mod_cmcas_config_cmcas_t *payee;
    apr_table_t *fields;
    cmcas_gateway_result_t result;  /* what the fields say */
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
    /* Absolute (the banks refuse relative URLs), from the configuration only. */
    return mod_cmcas_url_absolute(rq->r, apr_pstrcat(rq->r->pool, rq->base,
                                                     MOD_CMCAS_GATEWAY_RETURN, gateway, "/",
                                                     code, "/", kind, NULL));
}

const char *mod_cmcas_gateway_notify_url(mod_cmcas_request_t *rq, const char *gateway,
                                         const char *code)
{
    return mod_cmcas_url_absolute(rq->r, apr_pstrcat(rq->r->pool, rq->base,
                                                     MOD_CMCAS_GATEWAY_NOTIFY, gateway, "/",
                                                     code, NULL));
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
    const char *note;
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
        /* Anyone can post here: what does not verify is no bank's, so info. */
        if (mod_cmcas_ratelimit_ok(r, 50, &note)) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(50)
                          "payment return refused: no valid bank signature on %s "
                          "(CMCAS %s)%s", r->uri, code ? code : "?", note);
        }
        /* Whatever body is left unread stays so: the connection closes after the 403. */
        if (ap_request_has_body(r)) {
            r->connection->keepalive = AP_CONN_CLOSE;
        }
        return HTTP_FORBIDDEN;
    }
    ret = apr_pcalloc(r->pool, sizeof(*ret));
    /* Parsed once, here: the handler reads this request config, nothing else. */
    if (APR_SUCCESS != gateway->result(&ret->result, fields, r->pool)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(51)
                      "payment return without its reference, amount or result on %s", r->uri);
        return HTTP_BAD_REQUEST;
    }
    ret->gateway = gateway;
    ret->payee = c;
    ret->fields = fields;
    ret->notification = notify;
    ret->kind = kind;
    mod_cmcas_request_config(r)->bank_return = ret;
    /* Never the signature, nor any other field of the bank's. */
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, CMCAS_LOGNO(287)
                  "%s %s verified for CMCAS %s: order %s, %" APR_INT64_T_FMT " cents, "
                  "code %s", gw, notify ? "notification" : "browser return", code,
                  ret->result.reference, ret->result.amount,
                  ret->result.code ? ret->result.code : "none");
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
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, rq->r, CMCAS_LOGNO(286)
                  "order %s: signed request to %s's page (%" APR_INT64_T_FMT " cents)",
                  order->reference, gateway->name, order->total);
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* ------------------------------------------------------------------------------- */
/* The bank's returns */

/* What the payee's settings expect of a return, and the bank's own word on it. */
static void mod_cmcas_gateway_payee(cmcas_payment_payee_t *payee, request_rec *r,
                                    const mod_cmcas_gateway_return_t *ret,
                                    const cmcas_gateway_result_t *res)
{
    const mod_cmcas_config_payment_t *pay = &ret->payee->payment;
    int systempay = !strcmp(ret->gateway->name, "systempay");

    memset(payee, 0, sizeof(*payee));
    payee->gateway = ret->gateway->name;
    payee->payee_code = ret->payee->site.code;
    payee->test_platform = systempay ? pay->systempay_mode && !strcmp(pay->systempay_mode,
                                                                      "TEST")
                                     : !mod_cmcas_config_paybox_production(ret->payee);
    payee->merchant = systempay ? pay->systempay_site : NULL;
    payee->mode = systempay ? pay->systempay_mode : NULL;
    /* Asked before any database connection is taken: the bank may be slow. */
    payee->check = res->outcome == CMCAS_GATEWAY_PAID
        ? mod_cmcas_bank_check(r, ret->payee, res, &payee->check_why)
        : CMCAS_GATEWAY_CHECK_NONE;
}

/* The notification: the only return that changes an order (cmcas_payment_notify). */
static int mod_cmcas_gateway_notification(mod_cmcas_request_t *rq,
                                          const mod_cmcas_gateway_return_t *ret)
{
    request_rec *r = rq->r;
    cmcas_payment_outcome_t out;
    cmcas_payment_payee_t payee;
    const cmcas_gateway_result_t *res = &ret->result;

    mod_cmcas_gateway_payee(&payee, r, ret, res);
    payee.seller = mod_cmcas_config_invoice_seller(payee.payee_code);
    if (OK != mod_cmcas_request_store(rq)) {
        return OK;
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, CMCAS_LOGNO(288)
                  "applying the notification of order %s (bank check: %s)", res->reference,
                  payee.check == CMCAS_GATEWAY_CHECK_NONE ? "none" : "done");
    cmcas_payment_notify(&out, rq->store, r->pool, res, &payee, apr_time_now());
    mod_cmcas_request_release(rq);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, CMCAS_LOGNO(289)
                  "notification of order %s applied: %" APR_INT64_T_FMT " cents, code %s, "
                  "result %d, order %s%s%s", res->reference, res->amount,
                  res->code ? res->code : "none", (int)out.res.kind,
                  out.order ? cmcas_status_order_code(out.order->status) : "none",
                  out.refund_due ? ", refund due" : "", out.replay ? ", replay" : "");
    switch (out.res.kind) {
    case CMCAS_RESULT_DONE:
        break;
    case CMCAS_RESULT_NOT_FOUND:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(52)
                      "payment notification for an unknown order '%s' of CMCAS %s",
                      res->reference, payee.payee_code);
        return HTTP_NOT_FOUND;
    case CMCAS_RESULT_CONFLICT:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(53)
                      "payment notification for order %s: amount %" APR_INT64_T_FMT
                      ", expected %" APR_INT64_T_FMT, res->reference, res->amount,
                      out.expected);
        return HTTP_CONFLICT;
    default:
        return mod_cmcas_request_db_error(rq, "a payment notification", out.res.err);
    }
    if (out.retry_later) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(69)
                      "payment of order %s (transaction %s) not taken: the bank could not "
                      "confirm it (%s); answered 503 so that the bank warns the merchant",
                      res->reference, res->transaction, payee.check_why ? payee.check_why
                                                                          : "?");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    if (out.not_taken && !out.replay) {
        /* The staff's signal until they have their own pages: a warning. */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(70)
                      "PAYMENT NOT TAKEN: order %s of CMCAS %s, transaction %s, "
                      "authorisation %s: %s%s%s", res->reference, payee.payee_code,
                      res->transaction, res->authorization ? res->authorization : "none",
                      out.not_taken, payee.check_why ? "; " : "",
                      payee.check_why ? payee.check_why : "");
    }
    if (out.refund_due) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(55)
                      "REFUND DUE: order %s of CMCAS %s was paid (%" APR_INT64_T_FMT
                      " cents, transaction %s) when it could not be taken; no place taken",
                      res->reference, payee.payee_code, res->amount, res->transaction);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(54)
                  "payment notification for order %s: %s, order %s%s", res->reference,
                  res->code, cmcas_status_order_code(out.order->status),
                  out.replay ? " (replay, nothing written)" : "");
    /* The banks want a plain 200, no redirect, no content. */
    ap_set_content_type(r, "text/plain");
    ap_set_content_length(r, 0);
    return OK;
}

/* A browser return: never marks anything paid; shows the order as the notification
 * left it, with what the bank said. */
static int mod_cmcas_gateway_browser(mod_cmcas_request_t *rq,
                                     const mod_cmcas_gateway_return_t *ret)
{
    request_rec *r = rq->r;
    const cmcas_gateway_result_t *res = &ret->result;
    cmcas_order_t *order = NULL;
    apr_array_header_t *events;
    xmlNodePtr root, node;
    xmlDocPtr doc;
    const char *err = NULL, *message, *outcome = "attente";
    apr_status_t rv;

    rv = cmcas_order_store_get(&order, rq->store, r->pool, res->reference, rq->household->id,
                               &err);
    if (APR_NOTFOUND == rv) {
        return mod_cmcas_request_not_found(rq, "bank return for an order of another household");
    }
    if (APR_SUCCESS != rv
        || APR_SUCCESS != cmcas_order_store_events(&events, rq->store, r->pool, order->id,
                                                   &err)) {
        return mod_cmcas_request_db_error(rq, "an order", err);
    }
    if (order->status == CMCAS_STATUS_ORDER_PAYEE) {
        message = NULL;
        outcome = "effectue";
    }
    else if (!strcmp(ret->kind, "annule") || res->outcome == CMCAS_GATEWAY_CANCELLED) {
        message = "Vous avez annulé le paiement. Vos places restent réservées : vous pouvez "
                  "réessayer le paiement.";
        outcome = "annule";
    }
    else if (!strcmp(ret->kind, "refuse") || res->outcome == CMCAS_GATEWAY_REFUSED) {
        message = apr_pstrcat(r->pool, res->message, " Vos places restent réservées : vous "
                              "pouvez réessayer le paiement.", NULL);
        outcome = "refuse";
    }
    else {
        message = "Paiement en cours de confirmation par la banque : cette page "
                  "affichera « Paiement accepté » dès sa confirmation.";
    }
    doc = mod_cmcas_request_page(rq, "commande", NULL, &root);
    node = cmcas_order_doc_order(root, order, &ret->payee->site,
                                 mod_cmcas_request_csrf_token(rq), 1, rq->base, r->pool);
    cmcas_doc_attr(node, "outcome", outcome);
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
        mod_cmcas_request_config(r)->bank_return;

    *phandled = !strncmp(path, MOD_CMCAS_GATEWAY_NOTIFY, sizeof(MOD_CMCAS_GATEWAY_NOTIFY) - 1)
                || !strncmp(path, MOD_CMCAS_GATEWAY_RETURN,
                            sizeof(MOD_CMCAS_GATEWAY_RETURN) - 1);
    if (!*phandled) {
        return OK;
    }
    /* The fixups hook read it, verified it, and left it here: nothing else is trusted. */
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
