#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_order.h"
#include "mod_cmcas_gateway.h"
#include "cmcas_catalog_store.h"
#include "cmcas_date.h"
#include "cmcas_order_change.h"
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
    cmcas_activity_t *act;
    apr_array_header_t *options;
    apr_array_header_t *lines;
    const char *waiting_ref;
    int retry;                  /* the member pays the waiting order again */
    const char *hold_until;     /* an order holds the places until then */
    const mod_cmcas_config_cmcas_t *payee_conf;
} mod_cmcas_order_due_t;

/* Reads the registration (the household's only) and what it owes. OK, or DONE when a
 * page was sent (404 or 503). */
static int mod_cmcas_order_load(mod_cmcas_order_due_t *due, mod_cmcas_request_t *rq,
                                apr_int64_t registration_id)
{
    request_rec *r = rq->r;
    apr_array_header_t *holding = NULL;
    const char *err = NULL;
    apr_status_t rv;
    int i;

    memset(due, 0, sizeof(*due));
    rv = cmcas_registration_store_by_id(&due->reg, rq->store, r->pool, registration_id,
                                        rq->household->id, &err);
    if (APR_NOTFOUND == rv) {
        mod_cmcas_request_not_found(rq, "no such registration for this household");
        return DONE;
    }
    if (APR_SUCCESS != rv
        || APR_SUCCESS != (rv = cmcas_catalog_store_activity(&due->act, rq->store, r->pool,
                                                     due->reg->activity_id, &err))
        || APR_SUCCESS != (rv = cmcas_catalog_store_options(&due->options, rq->store, r->pool,
                                                    due->reg->activity_id, &err))
        || APR_SUCCESS != (rv = cmcas_order_store_waiting(&due->waiting_ref, rq->store,
                                                          r->pool, due->reg->id, &err))
        || APR_SUCCESS != (rv = cmcas_order_store_holding(&holding, rq->store, r->pool,
                                                          due->reg->id, &err))) {
        mod_cmcas_request_db_error(rq, "a registration to pay", err);
        return DONE;
    }
    /* A new order keeps the hold of the one it replaces: say until when. */
    for (i = 0; i < holding->nelts; i++) {
        const char *h = APR_ARRAY_IDX(holding, i, cmcas_order_t).hold_until;
        if (!due->hold_until || strcmp(h, due->hold_until) < 0) {
            due->hold_until = h;
        }
    }
    due->lines = cmcas_order_lines(r->pool, due->reg, due->options);
    due->payee_conf = mod_cmcas_config_cmcas(due->act->cmcas_code);
    if (!due->waiting_ref
        && !cmcas_registration_payment_due(
               due->reg->status, due->act->mode,
               cmcas_registration_selection(&due->reg->draw, due->act->draw_published_at),
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
    /* The payee's CGV: the module's page when it has CMCASCGVFile, else its URL. */
    d.cgv_url = !due->payee_conf ? NULL
              : due->payee_conf->cgv_text ? apr_pstrcat(p, "/cgv/",
                                                        due->payee_conf->site.code, NULL)
              : due->payee_conf->payment.cgv_url;
    d.methods = methods;
    d.waiting_ref = due->waiting_ref;
    d.retry = due->retry;
    d.hold_until = due->hold_until;
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

/* The member's choice of payment, checked against what the payee offers. NULL, or why
 * not with *pstatus (400 or 409) and the member's message. */
static const char *mod_cmcas_order_choice(mod_cmcas_order_due_t *due, cmcas_form_t *form,
                                          cmcas_order_change_choice_t *choice, int *pstatus,
                                          const char **pmessage)
{
    const char *method = cmcas_form_single(form, "methode", 10);
    const char *cgv = cmcas_form_single(form, "cgv", 1);
    int count;

    *pstatus = HTTP_BAD_REQUEST;
    if (form->err || !method || (cgv && strcmp(cgv, "1"))) {
        *pmessage = form->err ? form->err : "Formulaire incomplet.";
        return "malformed form";
    }
    if (strcmp(method, "cmcas") && strcmp(method, "cb1") && strcmp(method, "cb2")
        && strcmp(method, "cb3") && strcmp(method, "cb4")) {
        *pmessage = "Moyen de paiement inconnu.";
        return "unknown method";
    }
    *pstatus = HTTP_CONFLICT;
    if (!cgv) {
        *pmessage = "Vous devez accepter les conditions générales de vente pour payer.";
        return "CGV not accepted";
    }
    count = strcmp(method, "cmcas") ? method[2] - '0' : 0;
    if (count && !mod_cmcas_order_card(due->payee_conf)) {
        *pmessage = "Le paiement par carte n'est pas proposé pour cette activité : "
                    "choisissez « Paiement en CMCAS ».";
        return "card payment not offered";
    }
    if (count > 1 && count != mod_cmcas_order_instalments(due->payee_conf,
                                                          cmcas_order_total(due->lines))) {
        *pmessage = "Ce paiement en plusieurs fois n'est pas proposé pour ce montant : "
                    "choisissez un autre moyen de paiement.";
        return "instalments not offered";
    }
    choice->method = count ? due->payee_conf->payment.gateway : "cmcas";
    choice->instalments = count ? count : 1;
    choice->hold = count
        ? apr_time_from_sec(60 * (apr_time_t)mod_cmcas_config_card_hold_minutes(due->payee_conf))
        : apr_time_from_sec(86400 * (apr_time_t)(due->payee_conf
              ? mod_cmcas_config_desk_hold_days(due->payee_conf) : 7));
    return NULL;
}

static int mod_cmcas_order_create(mod_cmcas_request_t *rq, mod_cmcas_order_due_t *due)
{
    request_rec *r = rq->r;
    cmcas_order_change_choice_t choice;
    cmcas_result_t res;
    cmcas_order_t *order = NULL;
    const char *why, *message = NULL;
    int status;

    if ((why = mod_cmcas_order_choice(due, rq->form, &choice, &status, &message))) {
        return mod_cmcas_order_refuse(rq, due, status, why, message);
    }
    cmcas_order_change_create(&res, &order, rq->store, r->pool, r->user, apr_time_now(),
                              rq->household->id, due->act, due->options,
                              due->act->cmcas_code, &choice);
    if (res.kind == CMCAS_RESULT_CONFLICT) {
        return mod_cmcas_order_refuse(rq, due, HTTP_CONFLICT, res.why, res.message);
    }
    if (res.kind != CMCAS_RESULT_DONE) {
        return mod_cmcas_request_result(rq, &res, "payment");
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, CMCAS_LOGNO(284)
                  "order %s created for registration %" APR_INT64_T_FMT " of household %"
                  APR_INT64_T_FMT ": %" APR_INT64_T_FMT " cents, method %s, %d instalment(s)",
                  order->reference, order->registration_id, order->household_id,
                  order->total, choice.method, choice.instalments);
    if (strcmp(choice.method, "cmcas")) {
        return mod_cmcas_gateway_send(rq, order, due->payee_conf, due->reg->participants->nelts);
    }
    return mod_cmcas_request_redirect(rq, apr_pstrcat(r->pool, rq->base, "/mes-commandes/",
                                                      order->reference, "?info=cmcas", NULL));
}

int mod_cmcas_order_payment(mod_cmcas_request_t *rq, apr_int64_t registration_id)
{
    mod_cmcas_order_due_t due;

    if (OK != mod_cmcas_order_load(&due, rq, registration_id)) {
        return OK;
    }
    if (rq->r->method_number == M_POST) {
        /* A second « Payer » while an order waits goes to it, unless the member chose to
         * pay it again (« Réessayer le paiement »): the new order replaces it. */
        const char *again = cmcas_form_single(rq->form, "remplace", 20);
        if (due.waiting_ref && (!again || strcmp(again, due.waiting_ref))) {
            return mod_cmcas_request_redirect(rq, apr_pstrcat(rq->r->pool, rq->base,
                                                              "/mes-commandes/",
                                                              due.waiting_ref, NULL));
        }
        return mod_cmcas_order_create(rq, &due);
    }
    due.retry = due.waiting_ref
                && (!strcmp(due.waiting_ref, apr_table_get(rq->args, "reessayer")
                                              ? apr_table_get(rq->args, "reessayer") : ""));
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
static int mod_cmcas_order_cancel(mod_cmcas_request_t *rq, const char *reference)
{
    const char *action = cmcas_form_single(rq->form, "action", 20);
    cmcas_result_t res;

    if (rq->form->err || !action || strcmp(action, "annuler")) {
        cmcas_result_set(&res, CMCAS_RESULT_BAD_INPUT, "unknown order action",
                         "Action inconnue.");
        return mod_cmcas_request_result(rq, &res, "order post");
    }
    cmcas_order_change_cancel(&res, rq->store, rq->r->pool, rq->r->user, apr_time_now(),
                              rq->household->id, reference);
    if (res.kind != CMCAS_RESULT_DONE) {
        return mod_cmcas_request_result(rq, &res, "order cancellation");
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, rq->r, CMCAS_LOGNO(285)
                  "order %s cancelled by household %" APR_INT64_T_FMT, reference,
                  rq->household->id);
    return mod_cmcas_request_redirect(rq, apr_pstrcat(rq->r->pool, rq->base,
                                                      "/mes-commandes/", reference, NULL));
}

int mod_cmcas_order_show(mod_cmcas_request_t *rq, const char *reference)
{
    request_rec *r = rq->r;
    cmcas_order_t *order = NULL;
    apr_array_header_t *events;
    cmcas_activity_t *act = NULL;
    xmlNodePtr root, node;
    xmlDocPtr doc;
    const char *err = NULL;
    apr_status_t rv;

    if (r->method_number == M_POST) {
        return mod_cmcas_order_cancel(rq, reference);
    }
    rv = cmcas_order_store_get(&order, rq->store, r->pool, reference, rq->household->id,
                               &err);
    if (APR_NOTFOUND == rv) {
        return mod_cmcas_request_not_found(rq, "no such order for this household");
    }
    if (APR_SUCCESS != rv) {
        return mod_cmcas_request_db_error(rq, "an order", err);
    }
    if (APR_SUCCESS != cmcas_order_store_events(&events, rq->store, r->pool, order->id, &err)
        || APR_SUCCESS != cmcas_catalog_store_activity(&act, rq->store, r->pool,
                                                       order->activity_id, &err)) {
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
