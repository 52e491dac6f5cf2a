#include <apr_strings.h>
#include <http_protocol.h>
#include <http_request.h>
#include <http_core.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_paybox.h"
#include "cmcas_date.h"
#include "cmcas_doc.h"
#include "cmcas_instalment.h"
#include "cmcas_order_doc.h"
#include "cmcas_order_store.h"
#include "cmcas_paybox.h"
#include "cmcas_query.h"
#include "cmcas_registration_doc.h"

#define MOD_CMCAS_PAYBOX_NOTIFY "/paiement/notification/paybox/"
#define MOD_CMCAS_PAYBOX_RETURN "/paiement/retour/paybox/"

/* The path below the portal's prefix, or NULL when outside the portal. */
static const char *mod_cmcas_paybox_path(request_rec *r)
{
    const char *base = mod_cmcas_config_base(r);
    apr_size_t n = strlen(base);
    if (strncmp(r->uri, base, n) || (r->uri[n] && r->uri[n] != '/')) {
        return NULL;
    }
    return r->uri[n] ? r->uri + n : "/";
}

/* "BN" of ".../paybox/BN/effectue" or ".../paybox/BN", with the rest. */
static const char *mod_cmcas_paybox_code(apr_pool_t *p, const char *after, const char **prest)
{
    apr_size_t n = strcspn(after, "/");
    *prest = after + n;
    return n && n <= 16 ? apr_pstrndup(p, after, n) : NULL;
}

int mod_cmcas_paybox_fixups(request_rec *r)
{
    const char *path, *code = NULL, *rest = "";
    const mod_cmcas_config_cmcas_t *c;

    if (!r->handler || strcmp(r->handler, "cmcas") || !(path = mod_cmcas_paybox_path(r))) {
        return DECLINED;
    }
    if (!strncmp(path, MOD_CMCAS_PAYBOX_NOTIFY, sizeof(MOD_CMCAS_PAYBOX_NOTIFY) - 1)) {
        code = mod_cmcas_paybox_code(r->pool, path + sizeof(MOD_CMCAS_PAYBOX_NOTIFY) - 1,
                                     &rest);
    }
    else if (!strncmp(path, MOD_CMCAS_PAYBOX_RETURN, sizeof(MOD_CMCAS_PAYBOX_RETURN) - 1)) {
        code = mod_cmcas_paybox_code(r->pool, path + sizeof(MOD_CMCAS_PAYBOX_RETURN) - 1,
                                     &rest);
    }
    else {
        return DECLINED;
    }
    c = mod_cmcas_config_cmcas(code);
    /* Over the raw query as received: re-encoding it would change the signed bytes. */
    if (!c || !c->payment.paybox_pubkey
        || !cmcas_paybox_verify(c->payment.paybox_pubkey, r->args, "Sign", r->pool)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(50)
                      "payment return refused: no valid bank signature on %s (CMCAS %s)",
                      r->uri, code ? code : "?");
        return HTTP_FORBIDDEN;
    }
    apr_table_setn(r->notes, "cmcas-paybox-verified", code);
    return DECLINED;
}

/* ------------------------------------------------------------------------------- */
/* The request to the bank */

int mod_cmcas_paybox_send(mod_cmcas_request_t *rq, const cmcas_order_t *order,
                          const mod_cmcas_config_cmcas_t *payee, int persons)
{
    request_rec *r = rq->r;
    apr_pool_t *p = r->pool;
    const mod_cmcas_config_payment_t *pay = &payee->payment;
    cmcas_instalment_plan_t plan;
    cmcas_paybox_request_t req;
    const char *dates[CMCAS_INSTALMENT_MAX], *back, *err = NULL;
    apr_array_header_t *fields;
    cmcas_date_t today;
    xmlNodePtr root, bank;
    xmlDocPtr doc;
    int i;

    cmcas_date_today(&today, apr_time_now());
    if (APR_SUCCESS != cmcas_instalment_plan(&plan, order->total, order->instalments,
                                             &today)) {
        return mod_cmcas_request_db_error(rq, "an instalment plan", "bad total");
    }
    memset(&req, 0, sizeof(req));
    req.site = pay->paybox_site;
    req.rang = pay->paybox_rang;
    req.identifiant = pay->paybox_identifiant;
    req.hex_key = pay->paybox_key;
    req.reference = order->reference;
    req.email = rq->household->email;
    req.count = plan.count;
    req.amounts = plan.amounts;
    for (i = 1; i < plan.count; i++) {
        dates[i - 1] = cmcas_date_fr(p, &plan.dates[i]);
    }
    req.dates = dates;
    req.valmax = apr_psprintf(p, "%02d%02d", plan.dates[plan.count - 1].y % 100,
                              plan.dates[plan.count - 1].m);
    /* Absolute URLs: the bank refuses relative ones. */
    back = apr_pstrcat(p, rq->base, MOD_CMCAS_PAYBOX_RETURN, payee->site.code, "/", NULL);
    req.url_done = ap_construct_url(p, apr_pstrcat(p, back, "effectue", NULL), r);
    req.url_refused = ap_construct_url(p, apr_pstrcat(p, back, "refuse", NULL), r);
    req.url_cancelled = ap_construct_url(p, apr_pstrcat(p, back, "annule", NULL), r);
    req.url_pending = ap_construct_url(p, apr_pstrcat(p, back, "attente", NULL), r);
    req.url_notify = ap_construct_url(p, apr_pstrcat(p, rq->base, MOD_CMCAS_PAYBOX_NOTIFY,
                                                     payee->site.code, NULL), r);
    req.first_name = rq->household->od_first_name;
    req.last_name = rq->household->od_last_name;
    req.street = rq->household->street;
    req.postcode = rq->household->postcode;
    req.city = rq->household->city;
    req.quantity = persons;
    req.time = apr_pstrcat(p, apr_pstrndup(p, cmcas_date_stamp(p, apr_time_now()), 19),
                           "+00:00", NULL);
    if (APR_SUCCESS != cmcas_paybox_request(&fields, p, &req, &err)) {
        return mod_cmcas_request_db_error(rq, "the bank request", err);
    }
    doc = mod_cmcas_request_page(rq, "banque", NULL, &root);
    bank = cmcas_doc_elem(root, "banque");
    cmcas_doc_attr(bank, "action", pay->gateway_url);
    cmcas_doc_attr(bank, "ref", order->reference);
    cmcas_doc_money(bank, "total", order->total, p);
    for (i = 0; i < fields->nelts; i++) {
        const cmcas_paybox_field_t *f = &APR_ARRAY_IDX(fields, i, cmcas_paybox_field_t);
        xmlNodePtr node = cmcas_doc_elem(bank, "field");
        cmcas_doc_attr(node, "name", f->name);
        cmcas_doc_attr(node, "value", f->value);
    }
    /* This page's form goes to the bank: the only place another origin is allowed. */
    rq->form_action = pay->gateway_url;
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* ------------------------------------------------------------------------------- */
/* The bank's returns */

typedef struct {
    const char *ref, *amount, *code, *auth, *call, *trans;
} mod_cmcas_paybox_return_t;

static int mod_cmcas_paybox_read(mod_cmcas_paybox_return_t *ret, mod_cmcas_request_t *rq)
{
    memset(ret, 0, sizeof(*ret));
    ret->ref = apr_table_get(rq->args, "Ref");
    ret->amount = apr_table_get(rq->args, "Mt");
    ret->code = apr_table_get(rq->args, "Erreur");
    ret->auth = apr_table_get(rq->args, "Auto");
    ret->call = apr_table_get(rq->args, "Appel");
    ret->trans = apr_table_get(rq->args, "Trans");
    return ret->ref && ret->amount && ret->code;
}

/* The notification: the only return that changes an order. Idempotent: the same one
 * twice, or after the browser's return, records one payment. */
static int mod_cmcas_paybox_notification(mod_cmcas_request_t *rq, const char *code_cmcas)
{
    request_rec *r = rq->r;
    apr_pool_t *p = r->pool;
    mod_cmcas_paybox_return_t ret;
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    cmcas_order_t *order = NULL;
    cmcas_instalment_plan_t plan;
    cmcas_date_t today;
    const char *err = NULL, *what;
    apr_status_t rv;
    int moved = 0;

    if (!mod_cmcas_paybox_read(&ret, rq)) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(51)
                      "payment notification without Ref, Mt or Erreur");
        return HTTP_BAD_REQUEST;
    }
    if (OK != mod_cmcas_request_store(rq)) {
        return OK;
    }
    rv = cmcas_order_store_get(&order, rq->store, p, ret.ref, 0, &err);
    if (APR_NOTFOUND == rv || (order && strcmp(order->cmcas_code, code_cmcas))) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(52)
                      "payment notification for an unknown order '%s' of CMCAS %s",
                      ret.ref, code_cmcas);
        return HTTP_NOT_FOUND;
    }
    if (APR_SUCCESS != rv) {
        return mod_cmcas_request_db_error(rq, "an order to notify", err);
    }
    cmcas_date_today(&today, apr_time_now());
    cmcas_instalment_plan(&plan, order->total, order->instalments, &today);
    if (apr_atoi64(ret.amount) != plan.amounts[0]) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, CMCAS_LOGNO(53)
                      "payment notification for order %s: amount %s, expected %"
                      APR_INT64_T_FMT, ret.ref, ret.amount, plan.amounts[0]);
        return HTTP_CONFLICT;
    }
    cmcas_registration_store_change_init(&ch, rq->store, p, "paybox");
    rv = cmcas_registration_store_lock(&reg, &ch, order->activity_id, order->household_id, 0);
    if (APR_SUCCESS != rv) {
        goto db_error;
    }
    what = apr_psprintf(p, "Banque : %s (code %s, transaction %s)",
                        cmcas_paybox_message(p, ret.code), ret.code,
                        ret.trans ? ret.trans : "?");
    switch (cmcas_paybox_outcome(ret.code)) {
    case CMCAS_PAYBOX_PAID: {
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
        }
        break;
    }
    case CMCAS_PAYBOX_REFUSED:
        rv = cmcas_order_store_move(&ch, order, "attente_cb", "refusee", what, &moved);
        break;
    default:
        /* Pending or an error: recorded, nothing changes. */
        rv = cmcas_order_store_move(&ch, order, order->status, order->status, what, &moved);
        break;
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != cmcas_registration_store_finish(&ch, 1)) {
        goto db_error;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(54)
                  "payment notification for order %s: code %s, order %s", ret.ref, ret.code,
                  order->status);
    /* The bank wants a plain 200, no redirect, no content. */
    ap_set_content_type(r, "text/plain");
    ap_set_content_length(r, 0);
    return OK;
db_error:
    cmcas_registration_store_finish(&ch, 0);
    return mod_cmcas_request_db_error(rq, "a payment notification", ch.err);
}

/* A browser return: never marks anything paid; shows the order as the notification
 * left it, with what the bank said. */
static int mod_cmcas_paybox_browser(mod_cmcas_request_t *rq, const char *kind)
{
    request_rec *r = rq->r;
    mod_cmcas_paybox_return_t ret;
    cmcas_order_t *order = NULL;
    apr_array_header_t *events;
    xmlNodePtr root, node;
    xmlDocPtr doc;
    const char *err = NULL, *message;
    const mod_cmcas_config_cmcas_t *payee;
    apr_status_t rv;

    if (!mod_cmcas_paybox_read(&ret, rq)) {
        return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, "Retour de la banque incomplet.");
    }
    rv = cmcas_order_store_get(&order, rq->store, r->pool, ret.ref, rq->household->id, &err);
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
    else if (!strcmp(kind, "annule")) {
        message = "Vous avez annulé le paiement : vous pouvez recommencer depuis « Mes "
                  "inscriptions ».";
    }
    else if (!strcmp(kind, "refuse")) {
        message = apr_pstrcat(r->pool, cmcas_paybox_message(r->pool, ret.code),
                              " Vous pouvez essayer à nouveau.", NULL);
    }
    else {
        message = "Paiement en cours de confirmation par la banque : cette page "
                  "affichera « Paiement accepté » dès sa confirmation.";
    }
    payee = mod_cmcas_config_cmcas(order->cmcas_code);
    doc = mod_cmcas_request_page(rq, "commande", NULL, &root);
    node = cmcas_order_doc_order(root, order, payee ? &payee->site : &rq->portal->site,
                                 mod_cmcas_request_csrf_token(rq), 1, rq->base, r->pool);
    if (message) {
        cmcas_registration_doc_message(node, strcmp(kind, "effectue") ? "error" : "info",
                                       message);
    }
    cmcas_registration_doc_history(node, events, r->pool);
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

int mod_cmcas_paybox_route(mod_cmcas_request_t *rq, const char *path, int *phandled)
{
    request_rec *r = rq->r;
    const char *verified = apr_table_get(r->notes, "cmcas-paybox-verified");
    const char *code, *rest = "";

    *phandled = 0;
    if (!strncmp(path, MOD_CMCAS_PAYBOX_NOTIFY, sizeof(MOD_CMCAS_PAYBOX_NOTIFY) - 1)) {
        code = mod_cmcas_paybox_code(r->pool, path + sizeof(MOD_CMCAS_PAYBOX_NOTIFY) - 1,
                                     &rest);
        *phandled = 1;
        /* The fixups hook let it through only signed: check it did, for this CMCAS. */
        if (!verified || !code || strcmp(verified, code) || *rest
            || (r->method_number != M_GET && r->method_number != M_POST)) {
            return HTTP_FORBIDDEN;
        }
        return mod_cmcas_paybox_notification(rq, code);
    }
    if (!strncmp(path, MOD_CMCAS_PAYBOX_RETURN, sizeof(MOD_CMCAS_PAYBOX_RETURN) - 1)) {
        code = mod_cmcas_paybox_code(r->pool, path + sizeof(MOD_CMCAS_PAYBOX_RETURN) - 1,
                                     &rest);
        *phandled = 1;
        if (!verified || !code || strcmp(verified, code) || *rest != '/'
            || (strcmp(rest + 1, "effectue") && strcmp(rest + 1, "refuse")
                && strcmp(rest + 1, "annule") && strcmp(rest + 1, "attente"))) {
            return HTTP_FORBIDDEN;
        }
        if (OK != mod_cmcas_request_member(rq)) {
            return OK;
        }
        return mod_cmcas_paybox_browser(rq, rest + 1);
    }
    return OK;
}
