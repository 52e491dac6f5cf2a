#include <string.h>
#include <apr_strings.h>

#include "cmcas_staff_cancel.h"
#include "cmcas_audit.h"
#include "cmcas_audit_store.h"
#include "cmcas_catalog_store.h"
#include "cmcas_invoice_store.h"
#include "cmcas_order_store.h"
#include "cmcas_outbox_store.h"
#include "cmcas_registration.h"
#include "cmcas_registration_store.h"
#include "cmcas_staff_registration_store.h"

const char *cmcas_staff_cancel_reason(apr_pool_t *p, const char *text)
{
    apr_size_t chars = 0;
    char *s, *c, *end;

    if (!text) {
        return NULL;
    }
    s = apr_pstrdup(p, text);
    for (c = s; *c; c++) {
        if (*c == '\r' || *c == '\n' || *c == '\t') {
            *c = ' ';
        }
        chars += ((unsigned char)*c & 0xC0) != 0x80;
    }
    while (*s == ' ') {
        s++;
        chars--;
    }
    end = s + strlen(s);
    while (end > s && end[-1] == ' ') {
        *--end = '\0';
        chars--;
    }
    return *s && chars <= CMCAS_STAFF_CANCEL_REASON_MAX ? s : NULL;
}

/* The paid orders: to refund, each with its credit note (« avoir ») cancelling its
 * invoice, in the same transaction. */
static apr_status_t cmcas_staff_cancel_refunds(cmcas_registration_store_change_t *ch,
                                               apr_int64_t registration_id,
                                               apr_array_header_t *fields, int *prefunds,
                                               const cmcas_invoice_seller_t *seller)
{
    apr_array_header_t *paid = NULL;
    const char *number = NULL;
    apr_status_t rv;
    int i, moved = 0;

    rv = cmcas_order_store_paid(&paid, ch->st, ch->pool, registration_id, &ch->err);
    for (i = 0; APR_SUCCESS == rv && i < paid->nelts; i++) {
        cmcas_order_t *o = &APR_ARRAY_IDX(paid, i, cmcas_order_t);
        rv = cmcas_order_store_move(ch, o, CMCAS_STATUS_ORDER_A_REMBOURSER,
                                    "Inscription annulée par la CMCAS : remboursement à "
                                    "effectuer", &moved);
        if (APR_SUCCESS == rv && !moved) {
            ch->err = "a paid order changed under the registration's lock";
            rv = APR_EGENERAL;
        }
        if (APR_SUCCESS == rv) {
            rv = cmcas_invoice_store_issue(&number, ch, o, CMCAS_INVOICE_STORE_AVOIR, seller);
        }
        if (APR_SUCCESS == rv) {
            ++*prefunds;
            cmcas_audit_add(fields, apr_pstrcat(ch->pool, "Commande ", o->reference, NULL),
                            cmcas_status_order_label(CMCAS_STATUS_ORDER_PAYEE),
                            cmcas_status_order_label(CMCAS_STATUS_ORDER_A_REMBOURSER));
        }
    }
    return rv;
}

/* The orders that hold the places: ended with it (their lines for the audit first). */
static apr_status_t cmcas_staff_cancel_holding(cmcas_registration_store_change_t *ch,
                                               apr_int64_t registration_id,
                                               apr_array_header_t *fields)
{
    apr_array_header_t *holding = NULL;
    apr_status_t rv;
    int i;

    rv = cmcas_order_store_holding(&holding, ch->st, ch->pool, registration_id, &ch->err);
    for (i = 0; APR_SUCCESS == rv && i < holding->nelts; i++) {
        const cmcas_order_t *o = &APR_ARRAY_IDX(holding, i, cmcas_order_t);
        cmcas_audit_add(fields, apr_pstrcat(ch->pool, "Commande ", o->reference, NULL),
                        cmcas_status_order_label(o->status),
                        cmcas_status_order_label(CMCAS_STATUS_ORDER_ANNULEE));
    }
    return APR_SUCCESS == rv
        ? cmcas_order_store_end_holding(ch, registration_id,
                                        "Inscription annulée par la CMCAS")
        : rv;
}

/* Everything of the cancellation, inside the locked transaction. */
static apr_status_t cmcas_staff_cancel_tx(cmcas_staff_cancel_outcome_t *out,
                                          cmcas_registration_store_change_t *ch,
                                          const cmcas_staff_t *staff,
                                          const cmcas_activity_t *act,
                                          cmcas_registration_t *reg, const char *reason,
                                          const cmcas_invoice_seller_t *seller)
{
    apr_pool_t *p = ch->pool;
    apr_array_header_t *fields = cmcas_audit_fields(p);
    const char *code, *before_label, *before = NULL, *after = NULL;
    int told = reg->status != CMCAS_STATUS_REG_BROUILLON;
    apr_int64_t held = reg->places_held;
    apr_status_t rv;

    before_label = cmcas_registration_label(p, &code, reg->status, act->mode,
                                            cmcas_registration_selection(
                                                &reg->draw, act->draw_published_at),
                                            &reg->draw, act->closing_date);
    if (APR_SUCCESS != (rv = cmcas_staff_cancel_refunds(ch, reg->id, fields,
                                                        &out->refunds, seller))
        || APR_SUCCESS != (rv = cmcas_staff_cancel_holding(ch, reg->id, fields))
        || APR_SUCCESS != (rv = cmcas_registration_store_cancel(ch, reg))
        || APR_SUCCESS != (rv = cmcas_registration_store_status(
                               ch, reg, CMCAS_STATUS_REG_ANNULEE,
                               apr_pstrcat(p, "Annulée par la CMCAS : ", reason, NULL)))) {
        return rv;
    }
    /* A draft told the household nothing: its end is not mailed either. The reason
     * goes with the message (the outbox's detail); one message per cancellation. */
    if (told && APR_SUCCESS != (rv = cmcas_outbox_store_event(
                                    ch->st, p, "cancelled", reg->household_id, reg->id, 0,
                                    reason, apr_psprintf(p, "cmcas:%" APR_TIME_T_FMT,
                                                         ch->when), &ch->err))) {
        return rv;
    }
    cmcas_audit_add(fields, "Statut", before_label,
                    cmcas_status_reg_label(CMCAS_STATUS_REG_ANNULEE));
    cmcas_audit_add_int(fields, "Places réservées", held, reg->places_held);
    cmcas_audit_add(fields, "Motif", NULL, reason);
    cmcas_audit_diff(&before, &after, p, fields);
    return cmcas_audit_store_add(ch->st, p, ch->when, staff->cmcas_code, staff->login,
                                 "Inscription annulée",
                                 apr_psprintf(p, "inscription %" APR_INT64_T_FMT, reg->id),
                                 before, after, &ch->err);
}

void cmcas_staff_cancel_run(cmcas_staff_cancel_outcome_t *out, cmcas_store_t *st,
                            apr_pool_t *p, apr_time_t now, const cmcas_staff_t *staff,
                            apr_int64_t registration_id, const char *reason,
                            const cmcas_draw_change_rules_t *rules)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    cmcas_activity_t *act = NULL;
    apr_int64_t activity_id = 0, household_id = 0;
    const char *err = NULL, *why = cmcas_staff_cancel_reason(p, reason);
    cmcas_result_t fill;
    apr_status_t rv;

    memset(out, 0, sizeof(*out));
    cmcas_result_done(&out->res);
    rv = cmcas_staff_registration_store_key(&activity_id, &household_id, st, p,
                                            registration_id, staff->cmcas_code, &err);
    if (APR_NOTFOUND == rv) {
        cmcas_result_set(&out->res, CMCAS_RESULT_NOT_FOUND,
                         "no registration of this CMCAS by that id", NULL);
        return;
    }
    if (APR_SUCCESS != rv
        || APR_SUCCESS != (rv = cmcas_catalog_store_activity(&act, st, p, activity_id,
                                                             &err))) {
        cmcas_result_error(&out->res, "a registration to cancel", err);
        return;
    }
    out->activity_id = activity_id;
    if (!why) {
        cmcas_result_set(&out->res, CMCAS_RESULT_BAD_INPUT, "no usable reason",
                         apr_psprintf(p, "Indiquez le motif de l'annulation (%d caractères "
                                      "au plus) : il est enregistré et envoyé au foyer.",
                                      CMCAS_STAFF_CANCEL_REASON_MAX));
        return;
    }
    cmcas_registration_store_change_init(&ch, st, p, staff->login, now);
    ch.staff = 1;
    rv = cmcas_registration_store_lock(&reg, &ch, activity_id, household_id, 0);
    if (APR_SUCCESS == rv && reg->id != registration_id) {
        rv = APR_NOTFOUND;          /* gone and made again meanwhile: not this one */
    }
    if (APR_NOTFOUND == rv) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(&out->res, CMCAS_RESULT_NOT_FOUND, "registration gone", NULL);
        return;
    }
    if (APR_SUCCESS != rv) {
        goto error;
    }
    if (reg->status == CMCAS_STATUS_REG_ANNULEE) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(&out->res, CMCAS_RESULT_CONFLICT, "cancelled already",
                         apr_psprintf(p, "L'inscription %" APR_INT64_T_FMT " est déjà "
                                      "annulée : rien n'a été modifié.", registration_id));
        return;
    }
    if (APR_SUCCESS != (rv = cmcas_staff_cancel_tx(out, &ch, staff, act, reg, why,
                                                   rules ? rules->seller : NULL))
        || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, 1))) {
        goto error;
    }
    if (!strcmp(act->mode, "tour_de_role") && act->draw_published_at) {
        cmcas_draw_change_fill(&fill, &out->promoted, st, p, now, activity_id, rules);
        if (fill.kind != CMCAS_RESULT_DONE) {
            out->fill_err = fill.err ? fill.err : "?";
        }
    }
    return;
error:
    cmcas_registration_store_finish(&ch, 0);
    out->refunds = 0;
    cmcas_result_error(&out->res, "a cancellation by the CMCAS", ch.err);
}
