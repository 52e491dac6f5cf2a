#include <stdio.h>
#include <apr_strings.h>

#include "cmcas_registration_doc.h"
#include "cmcas_catalog_doc.h"
#include "cmcas_doc.h"

/* <pay href="…/mes-inscriptions/28/paiement"/> (the payment page). */
static void cmcas_registration_doc_pay(xmlNodePtr node, const char *base, apr_int64_t id,
                                       apr_pool_t *p)
{
    cmcas_doc_attr(cmcas_doc_elem(node, "pay"), "href",
                   apr_psprintf(p, "%s/mes-inscriptions/%" APR_INT64_T_FMT "/paiement",
                                base, id));
}

/* The drop-down: household persons not yet added, and « Invité(s) » while allowed. A
 * person the activity's age limits exclude is listed with the reason, not offered. */
static void cmcas_registration_doc_choices(xmlNodePtr ins,
                                           const cmcas_registration_doc_t *d,
                                           apr_pool_t *p)
{
    xmlNodePtr choices = cmcas_doc_elem(ins, "choices");
    int i;

    for (i = 0; i < d->persons->nelts; i++) {
        const cmcas_household_person_t *pe =
            &APR_ARRAY_IDX(d->persons, i, cmcas_household_person_t);
        xmlNodePtr node;
        const char *why;
        if (cmcas_registration_has_person(d->reg, pe->id)) {
            continue;
        }
        why = cmcas_registration_check_age(p, d->act, apr_pstrcat(p, pe->first_name, " ",
                                                                  pe->last_name, NULL),
                                           pe->birth_date);
        node = cmcas_doc_elem(choices, why ? "excluded" : "person");
        if (why) {
            cmcas_doc_text(node, "reason", why);
        }
        cmcas_doc_attr_int(node, "id", pe->id);
        cmcas_doc_attr(node, "role", pe->role);
        cmcas_doc_text(node, "first-name", pe->first_name);
        cmcas_doc_text(node, "last-name", pe->last_name);
    }
    if (!cmcas_registration_check_guest_slot(p, d->act, d->reg)) {
        cmcas_doc_elem(choices, "guest");
    }
}

static void cmcas_registration_doc_participant(xmlNodePtr ins,
                                               const cmcas_registration_doc_t *d,
                                               const cmcas_registration_participant_t *pa,
                                               apr_pool_t *p)
{
    xmlNodePtr node = cmcas_doc_elem(ins, "participant");
    int i;

    cmcas_doc_attr_int(node, "id", pa->id);
    cmcas_doc_attr(node, "kind", pa->kind);
    cmcas_doc_attr(node, "confirmed", pa->confirmed ? "1" : "0");
    cmcas_doc_attr(node, "photo-optout", pa->photo_optout ? "1" : "0");
    cmcas_doc_text(node, "first-name", pa->first_name);
    cmcas_doc_text(node, "last-name", pa->last_name);
    cmcas_doc_date(node, "birth", pa->birth_date, p);
    for (i = 0; i < d->options->nelts; i++) {
        const cmcas_activity_option_t *o = &APR_ARRAY_IDX(d->options, i, cmcas_activity_option_t);
        xmlNodePtr opt;
        /* An option reserved to an age range is not offered outside it. */
        if (!cmcas_registration_option_fits(d->act, o, pa->birth_date)
            && !cmcas_registration_has_option(pa, o->id)) {
            continue;
        }
        opt = cmcas_doc_elem(node, "option");
        cmcas_doc_attr_int(opt, "id", o->id);
        if (cmcas_registration_has_option(pa, o->id)) {
            cmcas_doc_attr(opt, "selected", "1");
        }
        cmcas_doc_text(opt, "label", o->label);
        cmcas_doc_money(opt, "price", cmcas_registration_price(pa, o), p);
        cmcas_doc_money(opt, "participation", cmcas_registration_participation(pa, o), p);
    }
    cmcas_doc_money(node, "amount", cmcas_registration_amount(pa, d->options), p);
}

xmlNodePtr cmcas_registration_doc_page(xmlNodePtr root, const cmcas_registration_doc_t *d,
                                       apr_pool_t *p)
{
    xmlNodePtr ins = cmcas_doc_elem(root, "inscription"), can;
    const cmcas_registration_t *reg = d->reg;
    /* A paid registration is changed by the CMCAS only. */
    int open = cmcas_catalog_is_open(d->act, &d->ctx->today)
               && reg->status != CMCAS_STATUS_REG_PAYEE;
    apr_int64_t total;
    int i;

    if (reg->id) {
        cmcas_doc_attr_int(ins, "id", reg->id);
    }
    cmcas_doc_attr(ins, "status", reg->id ? cmcas_status_reg_code(reg->status) : "nouvelle");
    if (reg->id) {
        const char *code = NULL;
        const char *label = cmcas_registration_label(
            p, &code, reg->status, d->act->mode,
            cmcas_registration_selection(&reg->draw, d->act->draw_published_at),
            &reg->draw, d->act->closing_date);
        cmcas_doc_attr(ins, "selection", code);
        cmcas_doc_attr(ins, "status-label", label);
    }
    else {
        cmcas_doc_attr(ins, "status-label", "Nouvelle inscription");
    }
    if (d->csrf) {
        cmcas_doc_attr(ins, "csrf", d->csrf);
        cmcas_doc_attr(ins, "action",
                       apr_psprintf(p, "%s/activite/%" APR_INT64_T_FMT "/inscription",
                                    d->base, d->act->id));
    }
    cmcas_catalog_doc_detail(ins, d->act, d->options, d->ctx, d->base, p);
    cmcas_registration_doc_draw(ins, d, p);
    if (d->csrf && open) {
        cmcas_registration_doc_choices(ins, d, p);
    }
    for (i = 0; i < reg->participants->nelts; i++) {
        cmcas_registration_doc_participant(
            ins, d, &APR_ARRAY_IDX(reg->participants, i, cmcas_registration_participant_t),
            p);
    }
    cmcas_doc_text(ins, "observations", reg->observations);
    total = cmcas_registration_total(reg, d->options);
    cmcas_doc_money(ins, "total", total, p);
    if (reg->id && cmcas_registration_payment_due(
                      reg->status, d->act->mode,
                      cmcas_registration_selection(&reg->draw, d->act->draw_published_at),
                      total)) {
        cmcas_registration_doc_pay(ins, d->base, reg->id, p);
    }
    if (d->csrf) {
        can = cmcas_doc_elem(ins, "can");
        cmcas_doc_attr(can, "validate",
                       open && reg->participants->nelts > 0
                       && (reg->status != CMCAS_STATUS_REG_VALIDEE
                           || cmcas_registration_unconfirmed(reg) > 0) ? "1" : "0");
        cmcas_doc_attr(can, "cancel",
                       open && reg->id && reg->status != CMCAS_STATUS_REG_ANNULEE ? "1" : "0");
    }
    return ins;
}

void cmcas_registration_doc_draw(xmlNodePtr ins, const cmcas_registration_doc_t *d,
                                 apr_pool_t *p)
{
    const cmcas_activity_t *act = d->act;
    const cmcas_registration_t *reg = d->reg;
    const char *selection = cmcas_registration_selection(&reg->draw, act->draw_published_at);
    xmlNodePtr draw = cmcas_catalog_doc_draw(ins, act, d->window_months, d->base, p), res;

    if (!draw || !act->draw_published_at || !reg->id || !reg->draw.selection) {
        return;
    }
    res = cmcas_doc_elem(draw, "resultat");
    cmcas_doc_attr(res, "selection", selection);
    if (reg->draw.rank) {
        cmcas_doc_attr_int(res, "rank", reg->draw.rank);   /* 0: not eligible, no rank */
    }
    cmcas_doc_attr(res, "history", apr_psprintf(p, "%.2f", reg->draw.history));
    if (reg->draw.coefficient >= 0) {
        cmcas_doc_attr_int(res, "coefficient", reg->draw.coefficient);
    }
    cmcas_doc_attr(res, "tiebreak", reg->draw.tiebreak);
    cmcas_doc_attr_int(res, "persons", reg->draw.persons);
    if (reg->draw.waiting) {
        cmcas_doc_attr_int(res, "waiting", reg->draw.waiting);
    }
    if (reg->draw.pay_by) {
        cmcas_doc_date(res, "pay-by", reg->draw.pay_by, p);
    }
    if (d->renounce_csrf && reg->status == CMCAS_STATUS_REG_VALIDEE && selection
        && (!strcmp(selection, "retenue") || !strcmp(selection, "attente"))) {
        xmlNodePtr form = cmcas_doc_elem(draw, "renoncer");
        cmcas_doc_attr(form, "csrf", d->renounce_csrf);
        cmcas_doc_attr(form, "action",
                       apr_psprintf(p, "%s/mes-inscriptions/%" APR_INT64_T_FMT "/renoncer",
                                    d->base, reg->id));
    }
}

xmlNodePtr cmcas_registration_doc_message(xmlNodePtr ins, const char *type, const char *text)
{
    xmlNodePtr msg = cmcas_doc_text(ins, "message", text);
    cmcas_doc_attr(msg, "type", type);
    return msg;
}

/* "2026-11-28 10:14:03" or "2026-11-28T10:14:03Z" -> the date part. */
static const char *cmcas_registration_doc_day(apr_pool_t *p, const char *stamp)
{
    return stamp && strlen(stamp) >= 10 ? apr_pstrndup(p, stamp, 10) : NULL;
}

void cmcas_registration_doc_list(xmlNodePtr root, const apr_array_header_t *rows,
                                 const char *base, apr_pool_t *p)
{
    xmlNodePtr list = cmcas_doc_elem(root, "inscriptions");
    int i;

    for (i = 0; i < rows->nelts; i++) {
        const cmcas_registration_store_row_t *r =
            &APR_ARRAY_IDX(rows, i, cmcas_registration_store_row_t);
        xmlNodePtr node = cmcas_doc_elem(list, "inscription"), act;
        cmcas_doc_attr_int(node, "id", r->id);
        const char *code = NULL;
        const char *label = cmcas_registration_label(
            p, &code, r->status, r->activity_mode,
            cmcas_registration_selection(&r->draw, r->draw_published_at), &r->draw,
            r->closing_date);
        cmcas_doc_attr(node, "status", cmcas_status_reg_code(r->status));
        cmcas_doc_attr(node, "selection", code);
        cmcas_doc_attr(node, "status-label", label);
        cmcas_doc_date(node, "created", cmcas_registration_doc_day(p, r->created_at), p);
        act = cmcas_doc_text(node, "activite", r->activity_title);
        cmcas_doc_attr_int(act, "id", r->activity_id);
        cmcas_doc_money(node, "total", r->total, p);
        if (r->waiting_order) {
            xmlNodePtr order = cmcas_doc_elem(node, "order");
            cmcas_doc_attr(order, "ref", r->waiting_order);
            cmcas_doc_attr(order, "href", apr_pstrcat(p, base, "/mes-commandes/",
                                                      r->waiting_order, NULL));
        }
        else if (cmcas_registration_payment_due(
                     r->status, r->activity_mode,
                     cmcas_registration_selection(&r->draw, r->draw_published_at), r->total)) {
            cmcas_registration_doc_pay(node, base, r->id, p);
        }
    }
}

void cmcas_registration_doc_history(xmlNodePtr ins, const apr_array_header_t *events,
                                    apr_pool_t *p)
{
    xmlNodePtr hist = cmcas_doc_elem(ins, "history");
    int i;

    for (i = 0; i < events->nelts; i++) {
        const cmcas_store_event_t *e =
            &APR_ARRAY_IDX(events, i, cmcas_store_event_t);
        xmlNodePtr node = cmcas_doc_text(hist, "event", e->event);
        cmcas_doc_attr(node, "at", e->at);
        cmcas_doc_attr(node, "local", cmcas_date_stamp_local(p, e->at));
        cmcas_doc_attr(node, "actor", e->actor);
        cmcas_doc_attr(node, "status", e->status);
    }
}
