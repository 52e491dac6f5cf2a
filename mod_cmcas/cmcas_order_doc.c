#include <apr_strings.h>

#include "cmcas_order_doc.h"
#include "cmcas_registration_doc.h"
#include "cmcas_date.h"
#include "cmcas_instalment.h"

static void cmcas_order_doc_lines(xmlNodePtr parent, const apr_array_header_t *lines,
                                  apr_pool_t *p)
{
    int i;
    for (i = 0; i < lines->nelts; i++) {
        const cmcas_order_line_t *l = &APR_ARRAY_IDX(lines, i, cmcas_order_line_t);
        xmlNodePtr node = cmcas_doc_elem(parent, "line");
        cmcas_doc_text(node, "person", l->person);
        cmcas_doc_text(node, "option", l->option);
        cmcas_doc_money(node, "amount", l->amount, p);
        cmcas_doc_money(node, "participation", l->participation, p);
    }
}

static void cmcas_order_doc_payee(xmlNodePtr parent, const cmcas_doc_site_t *payee)
{
    xmlNodePtr node = cmcas_doc_elem(parent, "payee");
    cmcas_doc_attr(node, "code", payee->code);
    cmcas_doc_text(node, "name", payee->name);
    cmcas_doc_text(node, "street", payee->street);
    cmcas_doc_text(node, "postcode", payee->postcode);
    cmcas_doc_text(node, "city", payee->city);
    cmcas_doc_text(node, "phone", payee->phone);
    cmcas_doc_text(node, "email", payee->email);
}

/* The date part of an ISO 8601 stamp, as a date element. */
static void cmcas_order_doc_day(xmlNodePtr parent, const char *name, const char *stamp,
                                apr_pool_t *p)
{
    if (stamp && strlen(stamp) >= 10) {
        xmlNodePtr node = cmcas_doc_date(parent, name, apr_pstrndup(p, stamp, 10), p);
        /* Holds end at a time of day: a card's within the hour. */
        if (node && !strcmp(name, "hold-until")) {
            cmcas_doc_attr(node, "local", cmcas_date_stamp_local(p, stamp));
        }
    }
}

xmlNodePtr cmcas_order_doc_payment(xmlNodePtr root, const cmcas_order_doc_payment_t *d,
                                   apr_pool_t *p)
{
    xmlNodePtr pay = cmcas_doc_elem(root, "paiement"), act, methods;
    int i;

    cmcas_doc_attr_int(pay, "registration", d->registration_id);
    act = cmcas_doc_elem(pay, "activite");
    cmcas_doc_attr_int(act, "id", d->act->id);
    cmcas_doc_attr(act, "mode", d->act->mode);
    cmcas_doc_text(act, "title", d->act->title);
    cmcas_doc_date(act, "start", d->act->start_date, p);
    cmcas_doc_date(act, "end", d->act->end_date, p);
    cmcas_doc_attr(cmcas_doc_text(act, "organiser", d->act->cmcas_name), "code",
                   d->act->cmcas_code);
    cmcas_order_doc_lines(pay, d->lines, p);
    cmcas_doc_money(pay, "total", cmcas_order_total(d->lines), p);
    cmcas_order_doc_payee(pay, d->payee);
    if (d->hold_until) {
        cmcas_order_doc_day(pay, "hold-until", d->hold_until, p);
    }
    if (d->waiting_ref && d->retry) {
        /* The form pays it again: the new order replaces it, with the same hold. */
        cmcas_doc_attr(cmcas_doc_elem(pay, "replaces"), "ref", d->waiting_ref);
    }
    else if (d->waiting_ref) {
        xmlNodePtr order = cmcas_doc_elem(pay, "order");
        cmcas_doc_attr(order, "ref", d->waiting_ref);
        cmcas_doc_attr(order, "href", apr_pstrcat(p, d->base, "/mes-commandes/",
                                                  d->waiting_ref, NULL));
        return pay;
    }
    cmcas_doc_attr(pay, "csrf", d->csrf);
    cmcas_doc_attr(pay, "action", apr_psprintf(p, "%s/mes-inscriptions/%" APR_INT64_T_FMT
                                               "/paiement", d->base, d->registration_id));
    if (d->cgv_url) {
        cmcas_doc_attr(cmcas_doc_elem(pay, "cgv"), "href",
                       *d->cgv_url == '/' ? apr_pstrcat(p, d->base, d->cgv_url, NULL)
                                          : d->cgv_url);
    }
    methods = cmcas_doc_elem(pay, "methods");
    for (i = 0; i < d->methods->nelts; i++) {
        const cmcas_order_doc_method_t *m =
            &APR_ARRAY_IDX(d->methods, i, cmcas_order_doc_method_t);
        xmlNodePtr node = cmcas_doc_elem(methods, "method");
        cmcas_doc_attr(node, "code", m->code);
        if (!strcmp(m->code, "cb")) {
            cmcas_doc_attr_int(node, "instalments", m->instalments);
        }
        else {
            cmcas_doc_attr_int(node, "hold-days", m->hold_days);
        }
    }
    return pay;
}

static void cmcas_order_doc_common(xmlNodePtr node, const cmcas_order_t *o, const char *base,
                                   apr_pool_t *p)
{
    cmcas_doc_attr(node, "ref", o->reference);
    cmcas_doc_attr(node, "status", cmcas_status_order_code(o->status));
    cmcas_doc_attr(node, "status-label", cmcas_order_status_label(o));
    if (o->refunded_at && *o->refunded_at) {
        cmcas_order_doc_day(node, "refunded", o->refunded_at, p);
    }
    cmcas_doc_attr(node, "method", o->method);
    cmcas_doc_attr(node, "method-label", cmcas_order_method_label(o->method));
    cmcas_doc_attr(node, "href", apr_pstrcat(p, base, "/mes-commandes/", o->reference, NULL));
    if (o->adjustment) {
        cmcas_doc_attr(node, "adjustment", "1");
    }
    cmcas_order_doc_day(node, "created", o->created_at, p);
    /* Its invoice and credit note, by number (the PDF's link is made from them). */
    if (o->invoice_number) {
        cmcas_doc_attr(cmcas_doc_elem(node, "facture"), "number", o->invoice_number);
    }
    if (o->credit_number) {
        cmcas_doc_attr(cmcas_doc_elem(node, "avoir"), "number", o->credit_number);
    }
}

void cmcas_order_doc_list(xmlNodePtr root, const apr_array_header_t *orders,
                          const char *base, apr_pool_t *p)
{
    xmlNodePtr list = cmcas_doc_elem(root, "commandes");
    int i;

    for (i = 0; i < orders->nelts; i++) {
        const cmcas_order_t *o = &APR_ARRAY_IDX(orders, i, cmcas_order_t);
        xmlNodePtr node = cmcas_doc_elem(list, "commande");
        cmcas_order_doc_common(node, o, base, p);
        cmcas_doc_money(node, "total", o->total, p);
    }
}

/* The schedule of a card payment in instalments, from the order's day. */
static void cmcas_order_doc_instalments(xmlNodePtr node, const cmcas_order_t *o,
                                        apr_pool_t *p)
{
    cmcas_instalment_plan_t plan;
    cmcas_date_t day;
    xmlNodePtr list;
    int i;

    if (!o->created_at || strlen(o->created_at) < 10
        || APR_SUCCESS != cmcas_date_parse_iso(&day, apr_pstrndup(p, o->created_at, 10))
        || APR_SUCCESS != cmcas_instalment_plan(&plan, o->total, o->instalments, &day)) {
        return;
    }
    list = cmcas_doc_elem(node, "instalments");
    for (i = 0; i < plan.count; i++) {
        xmlNodePtr one = cmcas_doc_elem(list, "instalment");
        cmcas_doc_attr_int(one, "n", i + 1);
        cmcas_doc_money(one, "amount", plan.amounts[i], p);
        cmcas_doc_date(one, "date", cmcas_date_iso(p, &plan.dates[i]), p);
    }
}

xmlNodePtr cmcas_order_doc_order(xmlNodePtr root, const cmcas_order_t *o,
                                 const cmcas_doc_site_t *payee, const char *csrf,
                                 int confirmation, const char *base, apr_pool_t *p)
{
    xmlNodePtr node = cmcas_doc_elem(root, "commande"), act, can;
    int waiting = cmcas_status_order_waiting(o->status);
    /* A card payment left, cancelled at the bank or refused can be made again while
     * the places are held. */
    int retry = csrf && (o->status == CMCAS_STATUS_ORDER_ATTENTE_CB
                         || o->status == CMCAS_STATUS_ORDER_REFUSEE);

    cmcas_order_doc_common(node, o, base, p);
    cmcas_doc_attr_int(node, "registration", o->registration_id);
    if (confirmation) {
        cmcas_doc_attr(node, "confirmation", "1");
    }
    if (waiting && csrf) {
        cmcas_doc_attr(node, "csrf", csrf);
        cmcas_doc_attr(node, "action", apr_pstrcat(p, base, "/mes-commandes/",
                                                   o->reference, NULL));
    }
    /* Until when the places are held: a desk order's « avant le », a card retry's. */
    if (waiting || retry) {
        cmcas_order_doc_day(node, "hold-until", o->hold_until, p);
    }
    act = cmcas_doc_text(node, "activite", o->activity_title);
    cmcas_doc_attr_int(act, "id", o->activity_id);
    cmcas_order_doc_payee(node, payee);
    cmcas_order_doc_lines(node, o->lines, p);
    cmcas_doc_money(node, "total", o->total, p);
    if (o->instalments > 1) {
        cmcas_order_doc_instalments(node, o, p);
    }
    can = cmcas_doc_elem(node, "can");
    cmcas_doc_attr(can, "cancel", waiting && csrf && !o->adjustment ? "1" : "0");
    if (retry) {
        cmcas_doc_attr(can, "retry", "1");
        cmcas_doc_attr(can, "retry-href",
                       apr_psprintf(p, "%s/mes-inscriptions/%" APR_INT64_T_FMT "/paiement%s%s",
                                    base, o->registration_id,
                                    o->status == CMCAS_STATUS_ORDER_ATTENTE_CB
                                        ? "?reessayer=" : "",
                                    o->status == CMCAS_STATUS_ORDER_ATTENTE_CB
                                        ? o->reference : ""));
    }
    return node;
}
