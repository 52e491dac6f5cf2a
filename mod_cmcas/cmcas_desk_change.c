#include <apr_strings.h>

#include "cmcas_desk_change.h"
#include "cmcas_audit.h"
#include "cmcas_audit_store.h"
#include "cmcas_date.h"
#include "cmcas_desk_store.h"
#include "cmcas_money.h"
#include "cmcas_order_store.h"
#include "cmcas_outbox_store.h"
#include "cmcas_payment.h"
#include "cmcas_registration_store.h"

/* Why the order cannot take this entry (French), or NULL when it can. */
static const char *cmcas_desk_change_refusal(const cmcas_order_t *o, cmcas_desk_kind_t kind)
{
    if (kind == CMCAS_DESK_REFUND) {
        if (o->status != CMCAS_STATUS_ORDER_A_REMBOURSER) {
            return "Cette commande n'est pas à rembourser.";
        }
        return o->refunded_at && *o->refunded_at
                   ? "Le remboursement de cette commande est déjà enregistré." : NULL;
    }
    switch (o->status) {
    case CMCAS_STATUS_ORDER_ATTENTE_CMCAS:
        return NULL;
    case CMCAS_STATUS_ORDER_PAYEE:
        return "Cette commande est déjà payée.";
    case CMCAS_STATUS_ORDER_ANNULEE:
        return "Cette commande est annulée (par l'adhérent, ou son délai de paiement est "
               "dépassé) : elle ne peut plus être payée.";
    default:
        return "Cette commande n'attend pas de paiement en CMCAS.";
    }
}

/* The audit line of the entry, in the change's transaction. */
static apr_status_t cmcas_desk_change_audit(cmcas_registration_store_change_t *ch,
                                            const cmcas_staff_t *staff,
                                            const cmcas_order_t *order,
                                            const char *status_before,
                                            const cmcas_desk_entry_t *e,
                                            apr_int64_t amount)
{
    apr_array_header_t *fields = cmcas_audit_fields(ch->pool);
    const char *before = NULL, *after = NULL;

    cmcas_audit_add(fields, "État", status_before, cmcas_order_status_label(order));
    cmcas_audit_add(fields, "Moyen", NULL, cmcas_desk_means_label(e->means, e->kind));
    cmcas_audit_add(fields, "Montant", NULL, cmcas_money_format(ch->pool, amount));
    cmcas_audit_add(fields, "Date", NULL, cmcas_date_iso_to_fr(ch->pool, e->on_date));
    cmcas_audit_add(fields, "Note", NULL, *e->note ? e->note : NULL);
    cmcas_audit_diff(&before, &after, ch->pool, fields);
    return cmcas_audit_store_add(ch->st, ch->pool, ch->when, staff->cmcas_code, staff->login,
                                 e->kind == CMCAS_DESK_REFUND ? "Remboursement enregistré"
                                                              : "Paiement enregistré",
                                 apr_pstrcat(ch->pool, "commande ", order->reference, NULL),
                                 before, after, &ch->err);
}

void cmcas_desk_change_record(cmcas_result_t *res, cmcas_order_t **porder,
                              cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                              const cmcas_staff_t *staff, const char *reference,
                              const cmcas_desk_entry_t *e,
                              const cmcas_invoice_seller_t *seller)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    cmcas_order_t *order = NULL;
    const char *err = NULL, *why, *status_before;
    apr_int64_t amount;
    apr_status_t rv;
    int moved = 0, done = 0;

    *porder = NULL;
    rv = cmcas_order_store_get(&order, st, p, reference, 0, &err);
    if (APR_NOTFOUND == rv || (order && strcmp(order->cmcas_code, staff->cmcas_code))) {
        cmcas_result_set(res, CMCAS_RESULT_NOT_FOUND, "no order of this CMCAS by that "
                         "reference", NULL);
        return;
    }
    if (APR_SUCCESS != rv) {
        cmcas_result_error(res, "an order for the desk", err);
        return;
    }
    cmcas_registration_store_change_init(&ch, st, p, staff->login, now);
    ch.staff = 1;       /* an adjustment's payment records an event on a paid registration */
    rv = cmcas_registration_store_lock(&reg, &ch, order->activity_id, order->household_id,
                                       0);
    /* Under the lock, the order as it is now (a bank's payment, the expiry job or the
     * member may have moved it since). */
    if (APR_SUCCESS == rv) {
        rv = cmcas_order_store_get(&order, st, p, reference, order->household_id, &ch.err);
    }
    if (APR_SUCCESS != rv) {
        goto error;
    }
    *porder = order;
    if ((why = cmcas_desk_change_refusal(order, e->kind))) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(res, CMCAS_RESULT_CONFLICT, "the order's state does not allow it",
                         why);
        return;
    }
    amount = e->kind == CMCAS_DESK_REFUND ? order->total : e->amount;
    if (amount != order->total) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(res, CMCAS_RESULT_BAD_INPUT, "not the order's total",
                         apr_psprintf(p, "Le montant reçu (%s) n'est pas celui de la "
                                      "commande %s (%s) : rien n'est enregistré.",
                                      cmcas_money_format(p, e->amount), order->reference,
                                      cmcas_money_format(p, order->total)));
        return;
    }
    if (e->kind == CMCAS_DESK_PAYMENT
        && reg->status != (order->adjustment ? CMCAS_STATUS_REG_PAYEE
                                             : CMCAS_STATUS_REG_VALIDEE)) {
        /* A waiting order holds a validated registration, an adjustment a paid one
         * (cmcas_registration_amend.h): any other state is not one to pay. */
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(res, CMCAS_RESULT_CONFLICT, "the registration is not validated",
                         "L'inscription de cette commande n'attend plus de paiement.");
        return;
    }
    status_before = cmcas_order_status_label(order);
    if (e->kind == CMCAS_DESK_PAYMENT) {
        /* The entry first: the invoice names the means it records. */
        rv = cmcas_desk_store_add(&ch, order, e, amount);
        if (APR_SUCCESS == rv) {
            rv = cmcas_payment_take(&ch, order, reg, cmcas_desk_entry_event(p, e, amount),
                                    seller, &moved);
        }
        done = moved;
    }
    else {
        rv = cmcas_desk_store_refunded(&ch, order, &done);
        if (APR_SUCCESS == rv && done) {
            rv = cmcas_order_store_move(&ch, order, order->status,
                                        cmcas_desk_entry_event(p, e, amount), &moved);
        }
    }
    if (APR_SUCCESS == rv && !done) {
        ch.err = "the order moved during the change";
        rv = APR_EGENERAL;
    }
    if (APR_SUCCESS == rv && e->kind == CMCAS_DESK_REFUND) {
        rv = cmcas_desk_store_add(&ch, order, e, amount);
        /* The household hears of it (once: an order is refunded once). */
        if (APR_SUCCESS == rv) {
            rv = cmcas_outbox_store_event(st, p, "refunded", order->household_id,
                                          order->registration_id, order->id,
                                          cmcas_desk_means_label(e->means, e->kind), NULL,
                                          &ch.err);
        }
    }
    if (APR_SUCCESS == rv) {
        rv = cmcas_desk_change_audit(&ch, staff, order, status_before, e, amount);
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, 1))) {
        goto error;
    }
    cmcas_result_done(res);
    return;
error:
    cmcas_registration_store_finish(&ch, 0);
    *porder = NULL;
    cmcas_result_error(res, e->kind == CMCAS_DESK_REFUND ? "a refund" : "a desk payment",
                       ch.err);
}
