#include <apr_strings.h>

#include "cmcas_payment.h"
#include "cmcas_instalment.h"
#include "cmcas_invoice_store.h"
#include "cmcas_order_store.h"
#include "cmcas_outbox_store.h"
#include "cmcas_registration_store.h"

const char *cmcas_payment_untrusted(const cmcas_gateway_result_t *bank,
                                    const cmcas_payment_payee_t *payee)
{
    const char *a = bank->authorization;

    /* The banks' test platforms sign with production keys and authorise nothing. */
    if (!payee->test_platform && (!a || strspn(a, "Xx") == strlen(a))) {
        return "no authorisation number (a test platform's payment)";
    }
    if (payee->mode && (!bank->mode || strcmp(bank->mode, payee->mode))) {
        return "made in another mode than the payee's (a test payment)";
    }
    if (payee->merchant && (!bank->merchant || strcmp(bank->merchant, payee->merchant))) {
        return "made to another merchant account";
    }
    if (payee->check == CMCAS_GATEWAY_CHECK_DENIED) {
        return "not confirmed by the payee's bank for its merchant account";
    }
    return NULL;
}

/* The amount the bank must have taken now: the total, or the first instalment. */
static apr_int64_t cmcas_payment_expected(const cmcas_order_t *order,
                                          const cmcas_gateway_result_t *bank,
                                          apr_time_t now)
{
    cmcas_instalment_plan_t plan;
    cmcas_date_t today;

    if (bank->amount_is_total || order->instalments <= 1) {
        return order->total;
    }
    cmcas_date_today(&today, now);
    if (APR_SUCCESS != cmcas_instalment_plan(&plan, order->total, order->instalments,
                                             &today)) {
        return -1;
    }
    return plan.amounts[0];
}

apr_status_t cmcas_payment_take(cmcas_registration_store_change_t *ch, cmcas_order_t *order,
                                cmcas_registration_t *reg, const char *what,
                                const cmcas_invoice_seller_t *seller, int *pmoved)
{
    const char *number = NULL;
    apr_status_t rv;

    rv = cmcas_order_store_move(ch, order, CMCAS_STATUS_ORDER_PAYEE, what, pmoved);
    if (APR_SUCCESS == rv && *pmoved) {
        rv = cmcas_registration_store_status(ch, reg, CMCAS_STATUS_REG_PAYEE,
                                             apr_pstrcat(ch->pool, "Commande ",
                                                         order->reference, " payée", NULL));
    }
    /* Paid once: the key (kind, registration, order) never takes a second one. */
    if (APR_SUCCESS == rv && *pmoved) {
        rv = cmcas_outbox_store_event(ch->st, ch->pool, "payment_accepted",
                                      order->household_id, reg->id, order->id, NULL,
                                      NULL, &ch->err);
    }
    /* The invoice with the payment: both or neither (no number lost to a rollback). */
    if (APR_SUCCESS == rv && *pmoved) {
        rv = cmcas_invoice_store_issue(&number, ch, order, CMCAS_INVOICE_STORE_FACTURE,
                                       seller);
    }
    return rv;
}

/* An accepted, trusted payment: it pays the registration only if that is validated and
 * held for this order (no other order holds it); otherwise the places may be gone or
 * paid by another order: nothing is taken and the staff refund it. */
static apr_status_t cmcas_payment_paid(cmcas_payment_outcome_t *out,
                                       cmcas_registration_store_change_t *ch,
                                       cmcas_registration_t *reg, const char *what,
                                       const cmcas_invoice_seller_t *seller)
{
    cmcas_order_t *order = out->order;
    apr_array_header_t *holding = NULL;
    apr_status_t rv;
    int moved = 0, i, others = 0;

    if (order->status == CMCAS_STATUS_ORDER_PAYEE
        || !cmcas_status_order_allowed(order->status, CMCAS_STATUS_ORDER_A_REMBOURSER)) {
        /* A second transaction for a paid order: the order stays paid. */
        out->refund_due = 1;
        return cmcas_order_store_move(ch, order, order->status,
                                      apr_pstrcat(ch->pool, what, " : second paiement, à "
                                                  "rembourser", NULL), &moved);
    }
    if (APR_SUCCESS != (rv = cmcas_order_store_holding(&holding, ch->st, ch->pool, reg->id,
                                                         &ch->err))) {
        return rv;
    }
    for (i = 0; i < holding->nelts; i++) {
        others += APR_ARRAY_IDX(holding, i, cmcas_order_t).id != order->id;
    }
    if (reg->status == CMCAS_STATUS_REG_VALIDEE && !others
        && cmcas_status_order_holds(order->status)) {
        return cmcas_payment_take(ch, order, reg, what, seller, &moved);
    }
    out->refund_due = 1;
    return cmcas_order_store_move(ch, order, CMCAS_STATUS_ORDER_A_REMBOURSER,
                                  apr_pstrcat(ch->pool, what, " : l'inscription n'attendait "
                                              "plus ce paiement, à rembourser", NULL),
                                  &moved);
}

void cmcas_payment_notify(cmcas_payment_outcome_t *out, cmcas_store_t *st, apr_pool_t *p,
                          const cmcas_gateway_result_t *bank,
                          const cmcas_payment_payee_t *payee, apr_time_t now)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    const char *err = NULL, *what;
    apr_status_t rv;
    int fresh = 0, moved = 0;

    memset(out, 0, sizeof(*out));
    rv = cmcas_order_store_get(&out->order, st, p, bank->reference, 0, &err);
    if (APR_NOTFOUND == rv || (out->order && strcmp(out->order->cmcas_code,
                                                    payee->payee_code))) {
        out->order = NULL;
        cmcas_result_set(&out->res, CMCAS_RESULT_NOT_FOUND,
                         "no order of this CMCAS by that reference", NULL);
        return;
    }
    if (APR_SUCCESS != rv) {
        cmcas_result_error(&out->res, "an order to notify", err);
        return;
    }
    out->expected = cmcas_payment_expected(out->order, bank, now);
    if (bank->amount != out->expected) {
        cmcas_result_set(&out->res, CMCAS_RESULT_CONFLICT, "not the order's amount", NULL);
        return;
    }
    if (bank->outcome == CMCAS_GATEWAY_PAID) {
        out->not_taken = cmcas_payment_untrusted(bank, payee);
        if (!out->not_taken && payee->check == CMCAS_GATEWAY_CHECK_UNAVAILABLE) {
            /* Nothing is written: the bank is told to try again, staff warned. */
            out->retry_later = 1;
            cmcas_result_done(&out->res);
            return;
        }
    }
    cmcas_registration_store_change_init(&ch, st, p, payee->gateway, now);
    rv = cmcas_registration_store_lock(&reg, &ch, out->order->activity_id,
                                       out->order->household_id, 0);
    if (APR_SUCCESS == rv) {
        rv = cmcas_order_store_notice(&ch, out->order, bank->code, bank->transaction, &fresh);
    }
    if (APR_SUCCESS != rv) {
        goto error;
    }
    if (!fresh) {
        out->replay = 1;
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_done(&out->res);
        return;
    }
    what = apr_psprintf(p, "Banque : %s (%s, transaction %s)", bank->message, bank->code,
                        bank->transaction);
    if (bank->outcome == CMCAS_GATEWAY_PAID && out->not_taken) {
        rv = cmcas_order_store_move(&ch, out->order, out->order->status,
                                    apr_pstrcat(p, what, " : paiement non pris en compte (",
                                                payee->check == CMCAS_GATEWAY_CHECK_DENIED
                                                    && payee->check_why ? payee->check_why
                                                                        : out->not_taken,
                                                ")", NULL), &moved);
    }
    else if (bank->outcome == CMCAS_GATEWAY_PAID) {
        rv = cmcas_payment_paid(out, &ch, reg, what, payee->seller);
    }
    else if (bank->outcome == CMCAS_GATEWAY_REFUSED
             && out->order->status == CMCAS_STATUS_ORDER_ATTENTE_CB) {
        rv = cmcas_order_store_move(&ch, out->order, CMCAS_STATUS_ORDER_REFUSEE, what, &moved);
        if (APR_SUCCESS == rv && moved) {
            rv = cmcas_outbox_store_event(st, p, "payment_refused", out->order->household_id,
                                          reg->id, out->order->id, NULL, NULL, &ch.err);
        }
    }
    else {
        /* Pending, cancelled, an error, or news of an order that moved on: recorded. */
        rv = cmcas_order_store_move(&ch, out->order, out->order->status, what, &moved);
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, 1))) {
        goto error;
    }
    cmcas_result_done(&out->res);
    return;
error:
    cmcas_registration_store_finish(&ch, 0);
    out->refund_due = 0;
    cmcas_result_error(&out->res, "a payment notification", ch.err);
}
