#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_order.h"
#include "mod_cmcas_gateway.h"
#include "cmcas_date.h"
#include "cmcas_order_doc.h"
#include "cmcas_order_store.h"
#include "cmcas_registration_doc.h"

/* The payee's details: its <CMCAS> block, or at least its name from the database. */
static const cmcas_doc_site_t *mod_cmcas_order_payee(apr_pool_t *p, const char *code,
                                                     const char *name)
{
    const mod_cmcas_config_cmcas_t *c = mod_cmcas_config_cmcas(code);
    cmcas_doc_site_t *site;

    if (c) {
        return &c->site;
    }
    site = apr_pcalloc(p, sizeof(*site));
    site->code = code;
    site->name = name;
    return site;
}

/* What the payment page shows, read before any change. */
typedef struct {
    cmcas_registration_t *reg;
    cmcas_store_activity_t *act;
    apr_array_header_t *options;
    apr_array_header_t *lines;
    const char *waiting_ref;
    const mod_cmcas_config_cmcas_t *payee_conf;
} mod_cmcas_order_due_t;

/* Reads the registration (the household's only) and what it owes. OK, or DONE when a
 * page was sent (404 or 503). */
static int mod_cmcas_order_load(mod_cmcas_order_due_t *due, mod_cmcas_request_t *rq,
                                apr_int64_t registration_id)
{
    request_rec *r = rq->r;
    const char *err = NULL;
    apr_status_t rv;

    memset(due, 0, sizeof(*due));
    rv = cmcas_registration_store_by_id(&due->reg, rq->store, r->pool, registration_id,
                                        rq->household->id, &err);
    if (APR_NOTFOUND == rv) {
        mod_cmcas_request_not_found(rq, "no such registration for this household");
        return DONE;
    }
    if (APR_SUCCESS != rv
        || APR_SUCCESS != (rv = cmcas_store_activity(&due->act, rq->store, r->pool,
                                                     due->reg->activity_id, &err))
        || APR_SUCCESS != (rv = cmcas_store_options(&due->options, rq->store, r->pool,
                                                    due->reg->activity_id, &err))
        || APR_SUCCESS != (rv = cmcas_order_store_waiting(&due->waiting_ref, rq->store,
                                                          r->pool, due->reg->id, &err))) {
        mod_cmcas_request_db_error(rq, "a registration to pay", err);
        return DONE;
    }
    due->lines = cmcas_order_lines(r->pool, due->reg, due->options);
    due->payee_conf = mod_cmcas_config_cmcas(due->act->cmcas_code);
    if (!due->waiting_ref
        && !cmcas_registration_payment_due(due->reg->status, due->act->mode,
                                           cmcas_order_total(due->lines))) {
        mod_cmcas_request_not_found(rq, "no payment due for this registration");
        return DONE;
    }
    return OK;
}

/* Card payment is offered when the payee takes it online (through its gateway). */
static int mod_cmcas_order_card(const mod_cmcas_config_cmcas_t *payee)
{
    return mod_cmcas_gateway_of(payee) != NULL;
}

/* The most instalments the payee allows for this total (1: a single payment). */
static int mod_cmcas_order_instalments(const mod_cmcas_config_cmcas_t *payee,
                                       apr_int64_t total)
{
    return payee->payment.instalments > 1 && total >= payee->payment.instalments_from
        ? payee->payment.instalments : 1;
}

static int mod_cmcas_order_payment_page(mod_cmcas_request_t *rq, mod_cmcas_order_due_t *due,
                                        int status, const char *message)
{
    apr_pool_t *p = rq->r->pool;
    apr_array_header_t *methods = apr_array_make(p, 3, sizeof(cmcas_order_doc_method_t));
    cmcas_order_doc_method_t *desk = apr_array_push(methods);
    cmcas_order_doc_payment_t d;
    xmlNodePtr root, pay;
    xmlDocPtr doc;

    /* The desk always; the card when the payee takes it online. */
    desk->code = "cmcas";
    desk->instalments = 1;
    desk->hold_days = due->payee_conf ? mod_cmcas_config_desk_hold_days(due->payee_conf) : 7;
    if (mod_cmcas_order_card(due->payee_conf)) {
        cmcas_order_doc_method_t *cb = apr_array_push(methods);
        cb->code = "cb";
        cb->instalments = 1;
        if (mod_cmcas_order_instalments(due->payee_conf, cmcas_order_total(due->lines)) > 1) {
            cb = apr_array_push(methods);
            cb->code = "cb";
            cb->instalments =
                mod_cmcas_order_instalments(due->payee_conf, cmcas_order_total(due->lines));
        }
    }
    memset(&d, 0, sizeof(d));
    d.registration_id = due->reg->id;
    d.act = due->act;
    d.lines = due->lines;
    d.payee = mod_cmcas_order_payee(p, due->act->cmcas_code, due->act->cmcas_name);
    d.cgv_url = due->payee_conf ? due->payee_conf->payment.cgv_url : NULL;
    d.methods = methods;
    d.waiting_ref = due->waiting_ref;
    d.csrf = mod_cmcas_request_csrf_token(rq);
    d.base = rq->base;
    doc = mod_cmcas_request_page(rq, "paiement", due->act->theme, &root);
    pay = cmcas_order_doc_payment(root, &d, p);
    if (message) {
        cmcas_registration_doc_message(pay, "error", message);
    }
    return mod_cmcas_request_send(rq, doc, status);
}

static int mod_cmcas_order_refuse(mod_cmcas_request_t *rq, mod_cmcas_order_due_t *due,
                                  int status, const char *why, const char *message)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(44)
                  "payment of registration %" APR_INT64_T_FMT " by '%s' refused: %s",
                  due->reg->id, rq->r->user, why);
    if (status == HTTP_BAD_REQUEST) {
        return mod_cmcas_request_error(rq, status, message);
    }
    return mod_cmcas_order_payment_page(rq, due, status, message);
}

static int mod_cmcas_order_create(mod_cmcas_request_t *rq, mod_cmcas_order_due_t *due)
{
    request_rec *r = rq->r;
    apr_pool_t *p = r->pool;
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    cmcas_order_t order;
    cmcas_form_t *form = NULL;
    const char *method, *cgv, *waiting = NULL;
    apr_status_t rv;
    apr_interval_time_t hold;
    int count;

    if (OK != mod_cmcas_request_form(rq, &form) || OK != mod_cmcas_request_csrf_check(rq, form)) {
        return OK;
    }
    method = cmcas_form_single(form, "methode", 10);
    cgv = cmcas_form_single(form, "cgv", 1);
    if (form->err || !method || (cgv && strcmp(cgv, "1"))) {
        return mod_cmcas_order_refuse(rq, due, HTTP_BAD_REQUEST, "malformed form",
                                      form->err ? form->err : "Formulaire incomplet.");
    }
    if (strcmp(method, "cmcas") && strcmp(method, "cb1") && strcmp(method, "cb2")
        && strcmp(method, "cb3") && strcmp(method, "cb4")) {
        return mod_cmcas_order_refuse(rq, due, HTTP_BAD_REQUEST, "unknown method",
                                      "Moyen de paiement inconnu.");
    }
    if (!cgv) {
        return mod_cmcas_order_refuse(rq, due, HTTP_CONFLICT, "CGV not accepted",
                                      "Vous devez accepter les conditions générales de "
                                      "vente pour payer.");
    }
    count = strcmp(method, "cmcas") ? method[2] - '0' : 0;
    if (count && !mod_cmcas_order_card(due->payee_conf)) {
        return mod_cmcas_order_refuse(rq, due, HTTP_CONFLICT, "card payment not offered",
                                      "Le paiement par carte n'est pas proposé pour cette "
                                      "activité : choisissez « Paiement en CMCAS ».");
    }
    if (count > 1 && count != mod_cmcas_order_instalments(due->payee_conf,
                                                          cmcas_order_total(due->lines))) {
        return mod_cmcas_order_refuse(rq, due, HTTP_CONFLICT, "instalments not offered",
                                      "Ce paiement en plusieurs fois n'est pas proposé pour "
                                      "ce montant : choisissez un autre moyen de paiement.");
    }

    cmcas_registration_store_change_init(&ch, rq->store, rq->r->pool, rq->r->user);
    rv = cmcas_registration_store_lock(&reg, &ch, due->act->id, rq->household->id, 0);
    if (APR_SUCCESS == rv) {
        rv = cmcas_order_store_waiting(&waiting, ch.st, p, reg->id, &ch.err);
    }
    if (APR_SUCCESS != rv) {
        goto db_error;
    }
    /* Under the lock, the registration as it is now: still due, not ordered meanwhile. */
    due->lines = cmcas_order_lines(p, reg, due->options);
    if (waiting || !cmcas_registration_payment_due(reg->status, due->act->mode,
                                                   cmcas_order_total(due->lines))) {
        cmcas_registration_store_finish(&ch, 0);
        if (waiting) {
            return mod_cmcas_request_redirect(rq, apr_pstrcat(p, rq->base, "/mes-commandes/",
                                                              waiting, NULL));
        }
        return mod_cmcas_request_not_found(rq, "no payment due any more");
    }
    memset(&order, 0, sizeof(order));
    order.registration_id = reg->id;
    order.household_id = rq->household->id;
    order.cmcas_code = due->act->cmcas_code;
    order.lines = due->lines;
    order.total = cmcas_order_total(due->lines);
    order.method = count ? due->payee_conf->payment.gateway : "cmcas";
    order.instalments = count ? count : 1;
    order.status = count ? "attente_cb" : "attente_cmcas";
    hold = count
        ? apr_time_from_sec(60 * (apr_time_t)mod_cmcas_config_card_hold_minutes(due->payee_conf))
        : apr_time_from_sec(86400 * (apr_time_t)(due->payee_conf
              ? mod_cmcas_config_desk_hold_days(due->payee_conf) : 7));
    order.hold_until = cmcas_date_stamp(p, apr_time_now() + hold);
    rv = cmcas_order_store_create(&ch, &order, count
                                  ? apr_psprintf(p, "Commande créée (carte, %d fois)", count)
                                  : "Commande créée (paiement en CMCAS)");
    if (APR_SUCCESS == rv) {
        rv = cmcas_registration_store_status(&ch, reg, reg->status,
                                             apr_pstrcat(p, "Commande ", order.reference,
                                                         count ? " : paiement par carte"
                                                               : " : paiement en CMCAS",
                                                         NULL));
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != cmcas_registration_store_finish(&ch, 1)) {
        goto db_error;
    }
    if (count) {
        return mod_cmcas_gateway_send(rq, &order, due->payee_conf, reg->participants->nelts);
    }
    return mod_cmcas_request_redirect(rq, apr_pstrcat(p, rq->base, "/mes-commandes/",
                                                      order.reference, "?info=cmcas", NULL));
db_error:
    cmcas_registration_store_finish(&ch, 0);
    return mod_cmcas_request_db_error(rq, "a new order", ch.err);
}

int mod_cmcas_order_payment(mod_cmcas_request_t *rq, apr_int64_t registration_id)
{
    mod_cmcas_order_due_t due;

    if (OK != mod_cmcas_order_load(&due, rq, registration_id)) {
        return OK;
    }
    if (rq->r->method_number == M_POST) {
        if (due.waiting_ref) {
            return mod_cmcas_request_redirect(rq, apr_pstrcat(rq->r->pool, rq->base,
                                                              "/mes-commandes/",
                                                              due.waiting_ref, NULL));
        }
        return mod_cmcas_order_create(rq, &due);
    }
    return mod_cmcas_order_payment_page(rq, &due, HTTP_OK, NULL);
}

int mod_cmcas_order_list(mod_cmcas_request_t *rq)
{
    apr_array_header_t *orders;
    xmlNodePtr root;
    xmlDocPtr doc;
    const char *err = NULL;

    if (APR_SUCCESS != cmcas_order_store_list(&orders, rq->store, rq->r->pool,
                                              rq->household->id, &err)) {
        return mod_cmcas_request_db_error(rq, "the orders", err);
    }
    doc = mod_cmcas_request_page(rq, "commandes", NULL, &root);
    cmcas_order_doc_list(root, orders, rq->base, rq->r->pool);
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* « Annuler la commande »: the order and its registration, places given back. */
static int mod_cmcas_order_cancel(mod_cmcas_request_t *rq, cmcas_order_t *order)
{
    apr_pool_t *p = rq->r->pool;
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    cmcas_form_t *form = NULL;
    const char *action;
    apr_status_t rv;
    int moved = 0;

    if (OK != mod_cmcas_request_form(rq, &form) || OK != mod_cmcas_request_csrf_check(rq, form)) {
        return OK;
    }
    action = cmcas_form_single(form, "action", 20);
    if (form->err || !action || strcmp(action, "annuler")) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(45)
                      "bad order post by '%s' on %s", rq->r->user, rq->r->uri);
        return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, "Action inconnue.");
    }
    cmcas_registration_store_change_init(&ch, rq->store, rq->r->pool, rq->r->user);
    rv = cmcas_registration_store_lock(&reg, &ch, order->activity_id, rq->household->id, 0);
    if (APR_SUCCESS == rv) {
        rv = cmcas_order_store_move(&ch, order, "attente_cmcas", "annulee",
                                    "Commande annulée par l'adhérent", &moved);
    }
    if (APR_SUCCESS == rv && !moved) {
        rv = cmcas_order_store_move(&ch, order, "attente_cb", "annulee",
                                    "Commande annulée par l'adhérent", &moved);
    }
    if (APR_SUCCESS == rv && moved && strcmp(reg->status, "annulee")) {
        rv = cmcas_registration_store_cancel(&ch, reg);
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != cmcas_registration_store_finish(&ch, moved)) {
        cmcas_registration_store_finish(&ch, 0);
        return mod_cmcas_request_db_error(rq, "an order's cancellation", ch.err);
    }
    if (!moved) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(46)
                      "order %s of '%s' cannot be cancelled any more", order->reference,
                      rq->r->user);
        return mod_cmcas_request_error(rq, HTTP_CONFLICT,
                                       "Cette commande ne peut plus être annulée.");
    }
    return mod_cmcas_request_redirect(rq, apr_pstrcat(p, rq->base, "/mes-commandes/",
                                                      order->reference, NULL));
}

int mod_cmcas_order_show(mod_cmcas_request_t *rq, const char *reference)
{
    request_rec *r = rq->r;
    cmcas_order_t *order = NULL;
    apr_array_header_t *events;
    cmcas_store_activity_t *act = NULL;
    xmlNodePtr root, node;
    xmlDocPtr doc;
    const char *err = NULL;
    apr_status_t rv;

    rv = cmcas_order_store_get(&order, rq->store, r->pool, reference, rq->household->id,
                               &err);
    if (APR_NOTFOUND == rv) {
        return mod_cmcas_request_not_found(rq, "no such order for this household");
    }
    if (APR_SUCCESS != rv) {
        return mod_cmcas_request_db_error(rq, "an order", err);
    }
    if (r->method_number == M_POST) {
        return mod_cmcas_order_cancel(rq, order);
    }
    if (APR_SUCCESS != cmcas_order_store_events(&events, rq->store, r->pool, order->id, &err)
        || APR_SUCCESS != cmcas_store_activity(&act, rq->store, r->pool, order->activity_id,
                                               &err)) {
        return mod_cmcas_request_db_error(rq, "an order's history", err);
    }
    doc = mod_cmcas_request_page(rq, "commande", NULL, &root);
    node = cmcas_order_doc_order(root, order,
                                 mod_cmcas_order_payee(r->pool, order->cmcas_code,
                                                       act->cmcas_name),
                                 mod_cmcas_request_csrf_token(rq),
                                 apr_table_get(rq->args, "info") != NULL, rq->base, r->pool);
    cmcas_registration_doc_history(node, events, r->pool);
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}
