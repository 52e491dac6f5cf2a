#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_staff_desk.h"
#include "mod_cmcas_staff.h"
#include "cmcas_date.h"
#include "cmcas_desk_change.h"
#include "cmcas_desk_store.h"
#include "cmcas_doc.h"
#include "cmcas_money.h"
#include "cmcas_order.h"
#include "cmcas_status.h"

/* The lists of the page and the values of ?etat= that select one. */
static const char *const mod_cmcas_staff_desk_states[CMCAS_DESK_STORE_LIST_COUNT] = {
    "a-encaisser", "a-rembourser", "rembourse"
};

const char *mod_cmcas_staff_desk_ref(const char *path, const char *suffix)
{
    static const char prefix[] = "/commande/";
    const char *ref;

    if (strncmp(path, prefix, sizeof(prefix) - 1)) {
        return NULL;
    }
    ref = path + sizeof(prefix) - 1;
    if (strlen(ref) != CMCAS_ORDER_REFERENCE_LEN + strlen(suffix)
        || strcmp(ref + CMCAS_ORDER_REFERENCE_LEN, suffix)) {
        return NULL;
    }
    return ref;
}

static void mod_cmcas_staff_desk_row(xmlNodePtr list, const cmcas_desk_store_row_t *d,
                                     apr_pool_t *p)
{
    const cmcas_order_t *o = &d->order;
    xmlNodePtr node = cmcas_doc_elem(list, "commande"), sub;

    cmcas_doc_attr(node, "ref", o->reference);
    cmcas_doc_attr(node, "status", cmcas_status_order_code(o->status));
    cmcas_doc_attr(node, "status-label", cmcas_order_status_label(o));
    cmcas_doc_attr(node, "method", o->method);
    cmcas_doc_attr(node, "euros", cmcas_money_plain(p, o->total));
    cmcas_doc_money(node, "total", o->total, p);
    if (o->created_at && strlen(o->created_at) >= 10) {
        cmcas_doc_date(node, "created", apr_pstrndup(p, o->created_at, 10), p);
    }
    if (o->hold_until && strlen(o->hold_until) >= 10) {
        sub = cmcas_doc_date(node, "hold-until", apr_pstrndup(p, o->hold_until, 10), p);
        if (sub) {
            cmcas_doc_attr(sub, "local", cmcas_date_stamp_local(p, o->hold_until));
        }
    }
    if (o->refunded_at && strlen(o->refunded_at) >= 10) {
        cmcas_doc_date(node, "refunded", apr_pstrndup(p, o->refunded_at, 10), p);
    }
    sub = cmcas_doc_text(node, "activite", o->activity_title);
    cmcas_doc_attr_int(sub, "id", o->activity_id);
    sub = cmcas_doc_text(node, "foyer", d->household ? d->household : "");
    cmcas_doc_attr_int(sub, "id", o->household_id);
    cmcas_doc_attr(sub, "login", d->household_login);
    if (d->refund_means) {
        sub = cmcas_doc_text(node, "remboursement",
                             cmcas_desk_means_label(d->refund_means, CMCAS_DESK_REFUND));
        cmcas_doc_attr(sub, "means", d->refund_means);
        cmcas_doc_attr(sub, "on", d->refund_on);
    }
}

/* The page: the lists (one when `which` >= 0), a message for the order `ref` (error or
 * info), with `status`. */
static int mod_cmcas_staff_desk_page(mod_cmcas_request_t *rq, int which, int status,
                                     const char *ref, const char *error, const char *info)
{
    request_rec *r = rq->r;
    apr_array_header_t *rows[CMCAS_DESK_STORE_LIST_COUNT];
    static const char *const means[] = {"especes", "cheque", "cheques_vacances",
                                        "virement", "carte"};
    const char *err = NULL;
    xmlNodePtr root, page, list, node;
    xmlDocPtr doc;
    cmcas_date_t today;
    int i, k;

    for (k = 0; k < CMCAS_DESK_STORE_LIST_COUNT; k++) {
        rows[k] = NULL;
        if ((which < 0 || which == k)
            && APR_SUCCESS != cmcas_desk_store_list(&rows[k], rq->store, r->pool,
                                                    rq->staff->cmcas_code,
                                                    (cmcas_desk_store_list_t)k, &err)) {
            return mod_cmcas_request_db_error(rq, "the CMCAS's orders", err);
        }
    }
    mod_cmcas_request_release(rq);
    doc = mod_cmcas_staff_page(rq, "gestion-commandes", &root);
    page = cmcas_doc_elem(root, "commandes");
    if (which >= 0) {
        cmcas_doc_attr(page, "etat", mod_cmcas_staff_desk_states[which]);
    }
    cmcas_date_today(&today, apr_time_now());
    cmcas_doc_attr(page, "today", cmcas_date_fr(r->pool, &today));
    if (error || info) {
        node = cmcas_doc_text(page, "message", error ? error : info);
        cmcas_doc_attr(node, "type", error ? "error" : "info");
        cmcas_doc_attr(node, "ref", ref);
    }
    node = cmcas_doc_elem(page, "moyens");
    for (i = 0; i < (int)(sizeof(means) / sizeof(means[0])); i++) {
        xmlNodePtr m = cmcas_doc_text(node, "moyen",
                                      cmcas_desk_means_label(means[i], CMCAS_DESK_REFUND));
        cmcas_doc_attr(m, "code", means[i]);
        cmcas_doc_attr(m, "paiement",
                       cmcas_desk_means_label(means[i], CMCAS_DESK_PAYMENT) ? "1" : "0");
    }
    for (k = 0; k < CMCAS_DESK_STORE_LIST_COUNT; k++) {
        if (!rows[k]) {
            continue;
        }
        list = cmcas_doc_elem(page, "liste");
        cmcas_doc_attr(list, "etat", mod_cmcas_staff_desk_states[k]);
        for (i = 0; i < rows[k]->nelts; i++) {
            mod_cmcas_staff_desk_row(list, &APR_ARRAY_IDX(rows[k], i, cmcas_desk_store_row_t),
                                     r->pool);
        }
    }
    return mod_cmcas_request_send(rq, doc, status);
}

int mod_cmcas_staff_desk_orders(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref)
{
    const char *state = apr_table_get(rq->args, "etat");
    const char *done = apr_table_get(rq->args, "enregistre");
    const char *info = NULL;
    int which = -1, k;

    (void)id;
    (void)ref;
    if (state && *state) {
        for (k = 0; k < CMCAS_DESK_STORE_LIST_COUNT; k++) {
            if (!strcmp(state, mod_cmcas_staff_desk_states[k])) {
                which = k;
            }
        }
        if (which < 0) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, CMCAS_LOGNO(160)
                          "back-office orders: unknown list '%s'", state);
            return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST,
                                           "Cette liste de commandes n'existe pas.");
        }
    }
    if (done && cmcas_order_reference_ok(done)) {
        info = apr_psprintf(rq->r->pool, "Commande %s : %s.", done,
                            apr_table_get(rq->args, "remboursement")
                                ? "remboursement enregistré" : "paiement enregistré");
    }
    return mod_cmcas_staff_desk_page(rq, which, HTTP_OK, done, NULL, info);
}

/* Records the form's payment or refund for the order `ref9` (its 9 letters). */
static int mod_cmcas_staff_desk_record(mod_cmcas_request_t *rq, const char *ref9,
                                       cmcas_desk_kind_t kind)
{
    request_rec *r = rq->r;
    const char *ref = apr_pstrndup(r->pool, ref9, CMCAS_ORDER_REFERENCE_LEN);
    const char *means = cmcas_form_single(rq->form, "moyen", 30);
    const char *amount = cmcas_form_single(rq->form, "montant", 30);
    const char *date = cmcas_form_single(rq->form, "date", 30);
    const char *note = cmcas_form_single(rq->form, "note", CMCAS_DESK_NOTE_MAX);
    const char *what = kind == CMCAS_DESK_REFUND ? "refund" : "desk payment", *message;
    int which = kind == CMCAS_DESK_REFUND ? CMCAS_DESK_STORE_TO_REFUND
                                          : CMCAS_DESK_STORE_TO_CASH;
    cmcas_desk_entry_t e;
    cmcas_order_t *order = NULL;
    cmcas_result_t res;

    if (!cmcas_order_reference_ok(ref)) {
        return mod_cmcas_staff_not_found(rq, "not an order reference");
    }
    if (rq->form->err) {
        message = apr_psprintf(r->pool, "Le formulaire est invalide (la note a %d caractères "
                               "au plus) : rien n'est enregistré.", CMCAS_DESK_NOTE_MAX);
    }
    else {
        message = cmcas_desk_entry_read(&e, r->pool, kind, means, amount, date, note,
                                        apr_time_now());
    }
    if (message) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(161)
                      "back-office: %s for order %s by %s refused: %s", what, ref,
                      rq->staff->login, message);
        return mod_cmcas_staff_desk_page(rq, which, HTTP_BAD_REQUEST, ref, message, NULL);
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, CMCAS_LOGNO(290)
                  "back-office: recording a %s for order %s (%" APR_INT64_T_FMT " cents, %s)",
                  what, ref, e.amount, e.means);
    cmcas_desk_change_record(&res, &order, rq->store, r->pool, apr_time_now(), rq->staff,
                             ref, &e, mod_cmcas_config_invoice_seller(rq->staff->cmcas_code));
    switch (res.kind) {
    case CMCAS_RESULT_DONE:
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, CMCAS_LOGNO(291)
                      "%s of order %s recorded: %" APR_INT64_T_FMT " cents, order %s",
                      what, ref, e.amount,
                      order ? cmcas_status_order_code(order->status) : "?");
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(162)
                      "back-office: %s recorded for order %s by %s (%s)", what, ref,
                      rq->staff->login, e.means);
        return mod_cmcas_request_redirect(rq, apr_pstrcat(r->pool, rq->base,
                                                          "/gestion/commandes?etat=",
                                                          mod_cmcas_staff_desk_states[which],
                                                          "&enregistre=", ref,
                                                          kind == CMCAS_DESK_REFUND
                                                              ? "&remboursement=1" : "",
                                                          NULL));
    case CMCAS_RESULT_CONFLICT:
    case CMCAS_RESULT_BAD_INPUT:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(165)
                      "back-office: %s for order %s by %s refused: %s", what, ref,
                      rq->staff->login, res.why);
        return mod_cmcas_staff_desk_page(rq, which, cmcas_result_http_status(&res), ref,
                                         res.message, NULL);
    case CMCAS_RESULT_NOT_FOUND:
        return mod_cmcas_staff_not_found(rq, "no order of the staff's CMCAS by that "
                                             "reference");
    default:
        return mod_cmcas_request_result(rq, &res, what);
    }
}

int mod_cmcas_staff_desk_pay(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref)
{
    (void)id;
    return mod_cmcas_staff_desk_record(rq, ref, CMCAS_DESK_PAYMENT);
}

int mod_cmcas_staff_desk_refund(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref)
{
    (void)id;
    return mod_cmcas_staff_desk_record(rq, ref, CMCAS_DESK_REFUND);
}
