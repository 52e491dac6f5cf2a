#include <apr_strings.h>

#include "cmcas_order_change.h"
#include "cmcas_date.h"
#include "cmcas_order_store.h"
#include "cmcas_outbox_store.h"
#include "cmcas_registration_store.h"

/* Ends the orders that hold the registration (a new one replaces them), and gives the
 * earliest hold they had, or NULL. *pover when it has run out. */
static apr_status_t cmcas_order_change_replace(cmcas_registration_store_change_t *ch,
                                               const cmcas_registration_t *reg,
                                               const char **phold, int *pover)
{
    apr_array_header_t *holding = NULL;
    apr_status_t rv;
    int i, moved;

    *phold = NULL;
    *pover = 0;
    if (APR_SUCCESS != (rv = cmcas_order_store_holding(&holding, ch->st, ch->pool, reg->id,
                                                         &ch->err))) {
        return rv;
    }
    for (i = 0; i < holding->nelts; i++) {
        cmcas_order_t *o = &APR_ARRAY_IDX(holding, i, cmcas_order_t);
        if (!*phold || strcmp(o->hold_until, *phold) < 0) {
            *phold = o->hold_until;
        }
    }
    if (*phold && strcmp(*phold, ch->now) <= 0) {
        *pover = 1;
        return APR_SUCCESS;
    }
    for (i = 0; i < holding->nelts && APR_SUCCESS == rv; i++) {
        rv = cmcas_order_store_move(ch, &APR_ARRAY_IDX(holding, i, cmcas_order_t),
                                    CMCAS_STATUS_ORDER_ANNULEE,
                                    "Remplacée par un nouveau paiement", &moved);
    }
    return rv;
}

void cmcas_order_change_create(cmcas_result_t *res, cmcas_order_t **porder,
                               cmcas_store_t *st, apr_pool_t *p, const char *actor,
                               apr_time_t now, apr_int64_t household_id,
                               const cmcas_activity_t *act,
                               const apr_array_header_t *options, const char *payee_code,
                               const cmcas_order_change_choice_t *choice)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    cmcas_order_t *order = apr_pcalloc(p, sizeof(*order));
    int card = strcmp(choice->method, "cmcas") != 0, over = 0;
    const char *hold = NULL;
    apr_status_t rv;

    *porder = NULL;
    cmcas_registration_store_change_init(&ch, st, p, actor, now);
    rv = cmcas_registration_store_lock(&reg, &ch, act->id, household_id, 0);
    if (APR_NOTFOUND == rv) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(res, CMCAS_RESULT_NOT_FOUND, "no registration to pay", NULL);
        return;
    }
    if (APR_SUCCESS != rv) {
        goto error;
    }
    /* Under the lock, the registration as it is now. */
    order->lines = cmcas_order_lines(p, reg, options);
    order->total = cmcas_order_total(order->lines);
    if (!cmcas_registration_payment_due(reg->status, act->mode,
                                        cmcas_registration_selection(&reg->draw,
                                                                     act->draw_published_at),
                                        order->total)) {
        cmcas_registration_store_finish(&ch, 0);
        if (reg->status == CMCAS_STATUS_REG_PAYEE) {
            cmcas_result_set(res, CMCAS_RESULT_CONFLICT, "already paid",
                             "Cette inscription est déjà payée.");
        }
        else {
            cmcas_result_set(res, CMCAS_RESULT_NOT_FOUND, "no payment due any more", NULL);
        }
        return;
    }
    if (APR_SUCCESS != (rv = cmcas_order_change_replace(&ch, reg, &hold, &over))) {
        goto error;
    }
    if (over) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(res, CMCAS_RESULT_CONFLICT, "the hold has run out",
                         "Le délai de paiement est dépassé : vos places ne sont plus "
                         "réservées.");
        return;
    }
    order->registration_id = reg->id;
    order->household_id = household_id;
    order->cmcas_code = payee_code;
    order->method = choice->method;
    order->instalments = card ? choice->instalments : 1;
    order->status = card ? CMCAS_STATUS_ORDER_ATTENTE_CB : CMCAS_STATUS_ORDER_ATTENTE_CMCAS;
    order->hold_until = hold ? hold : cmcas_date_stamp(p, now + choice->hold);
    order->activity_id = act->id;
    order->activity_title = act->title;
    rv = cmcas_order_store_create(&ch, order, card
                                  ? apr_psprintf(p, "Commande créée (carte, %d fois)",
                                                 order->instalments)
                                  : "Commande créée (paiement en CMCAS)");
    if (APR_SUCCESS == rv) {
        rv = cmcas_registration_store_status(&ch, reg, reg->status,
                                             apr_pstrcat(p, "Commande ", order->reference,
                                                         card ? " : paiement par carte"
                                                              : " : paiement en CMCAS",
                                                         NULL));
    }
    /* At the desk: where and until when to pay (a card order hears from the bank). */
    if (APR_SUCCESS == rv && !card) {
        rv = cmcas_outbox_store_event(st, p, "order_desk", household_id, reg->id, order->id,
                                      NULL, NULL, &ch.err);
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, 1))) {
        goto error;
    }
    *porder = order;
    cmcas_result_done(res);
    return;
error:
    cmcas_registration_store_finish(&ch, 0);
    cmcas_result_error(res, "a new order", ch.err);
}

/* Ends `order` (holding its registration) for `event`, and cancels the registration. */
static apr_status_t cmcas_order_change_end(cmcas_registration_store_change_t *ch,
                                           cmcas_registration_t *reg, cmcas_order_t *order,
                                           const char *event, int *pended)
{
    apr_status_t rv;

    *pended = 0;
    /* An adjustment of a paid registration is the CMCAS's to end, never the member's. */
    if (!cmcas_status_order_holds(order->status) || order->adjustment) {
        return APR_SUCCESS;
    }
    rv = cmcas_order_store_move(ch, order, CMCAS_STATUS_ORDER_ANNULEE, event, pended);
    if (APR_SUCCESS == rv && *pended && reg->status != CMCAS_STATUS_REG_ANNULEE
        && reg->status != CMCAS_STATUS_REG_PAYEE) {
        rv = cmcas_registration_store_cancel(ch, reg);
    }
    return rv;
}

void cmcas_order_change_cancel(cmcas_result_t *res, cmcas_store_t *st, apr_pool_t *p,
                               const char *actor, apr_time_t now, apr_int64_t household_id,
                               const char *reference)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    cmcas_order_t *order = NULL;
    const char *err = NULL;
    apr_status_t rv;
    int ended = 0;

    rv = cmcas_order_store_get(&order, st, p, reference, household_id, &err);
    if (APR_NOTFOUND == rv) {
        cmcas_result_set(res, CMCAS_RESULT_NOT_FOUND, "no such order for this household",
                         NULL);
        return;
    }
    if (APR_SUCCESS != rv) {
        cmcas_result_error(res, "an order to cancel", err);
        return;
    }
    cmcas_registration_store_change_init(&ch, st, p, actor, now);
    rv = cmcas_registration_store_lock(&reg, &ch, order->activity_id, household_id, 0);
    if (APR_SUCCESS == rv) {
        rv = cmcas_order_change_end(&ch, reg, order, "Commande annulée par l'adhérent",
                                    &ended);
    }
    if (APR_SUCCESS == rv && ended) {
        rv = cmcas_outbox_store_event(st, p, "cancelled", household_id, reg->id, order->id,
                                      NULL, NULL, &ch.err);
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, ended))) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_error(res, "an order's cancellation", ch.err);
        return;
    }
    if (!ended) {
        cmcas_result_set(res, CMCAS_RESULT_CONFLICT, "the order cannot be cancelled any more",
                         "Cette commande ne peut plus être annulée.");
        return;
    }
    cmcas_result_done(res);
}

void cmcas_order_change_expire(cmcas_result_t *res, int *pended, apr_int64_t *pplaces,
                               cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                               cmcas_order_t *order)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    apr_status_t rv;

    *pended = 0;
    *pplaces = 0;
    cmcas_registration_store_change_init(&ch, st, p, "expiration", now);
    rv = cmcas_registration_store_lock(&reg, &ch, order->activity_id, order->household_id, 0);
    if (APR_SUCCESS == rv) {
        *pplaces = reg->places_held;
        rv = cmcas_order_change_end(&ch, reg, order,
                                    "Délai de paiement dépassé : commande annulée", pended);
    }
    if (APR_SUCCESS == rv && *pended) {
        rv = cmcas_outbox_store_event(st, p, "released", order->household_id, reg->id,
                                      order->id, NULL, NULL, &ch.err);
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch,
                                                                                 *pended))) {
        cmcas_registration_store_finish(&ch, 0);
        *pended = 0;
        cmcas_result_error(res, "an expired order", ch.err);
        return;
    }
    cmcas_result_done(res);
}
