/* The bank's word on a card order: the one flow that marks an order paid. It takes a
 * return already verified (signed by the payee's bank) and decides what it may change:
 * a signature proves who signed, not that money reached this merchant, so an accepted
 * payment counts only with a real authorisation number on the production platform, the
 * payee's own merchant account, and the bank's confirmation when it can be asked.
 * Replays change nothing and write nothing. No httpd types. */
#ifndef cmcas_payment_h
#define cmcas_payment_h

#include "cmcas_gateway.h"
#include "cmcas_invoice.h"
#include "cmcas_order.h"
#include "cmcas_result.h"
#include "cmcas_registration_store.h"
#include "cmcas_store.h"

/* Who the return is for, and what the payee's settings expect of it. */
typedef struct {
    const char *gateway;            /* "paybox", "systempay": the actor in histories */
    const char *payee_code;         /* the CMCAS whose return path it came by */
    int test_platform;              /* the payee's account is on the bank's test platform */
    const char *merchant;           /* the payee's account as returns name it, or NULL */
    const char *mode;               /* the mode returns must carry (Systempay), or NULL */
    cmcas_gateway_check_t check;    /* the bank's server-to-server answer (accepted only) */
    const char *check_why;          /* its reason, for the history and the log */
    const cmcas_invoice_seller_t *seller;   /* the payee's <CMCAS> block, frozen into
                                             * the invoice of a payment taken */
} cmcas_payment_payee_t;

typedef struct {
    cmcas_result_t res;             /* DONE, NOT_FOUND, CONFLICT (amount), ERROR */
    cmcas_order_t *order;           /* as it is after the flow (NULL when not found) */
    apr_int64_t expected;           /* the amount the bank had to take */
    int replay;                     /* taken before: nothing written */
    int refund_due;                 /* money came that no order could take: refund it */
    const char *not_taken;          /* an acceptance refused, and why (English) */
    int retry_later;                /* the bank could not confirm: nothing written, the
                                     * bank must be answered with a failure */
} cmcas_payment_outcome_t;

/* Applies the bank's result `bank` to its order, at `now`. */
void cmcas_payment_notify(cmcas_payment_outcome_t *out, cmcas_store_t *st, apr_pool_t *p,
                          const cmcas_gateway_result_t *bank,
                          const cmcas_payment_payee_t *payee, apr_time_t now);

/* Within `ch` (the registration locked, validated, and held by `order` alone; or paid,
 * for an adjustment of a paid registration, whose event it records): the money
 * for `order` is in. The order becomes « payée » (its event `what`), the registration
 * « payée » (its places stay taken), and the household gets the e-mail of an accepted
 * payment. *pmoved = 0, nothing written, when another change moved the order first. The
 * bank's accepted payment and the CMCAS desk's both pay this way, and the order's
 * invoice is issued here (cmcas_invoice_store_issue, `seller` frozen into it). */
apr_status_t cmcas_payment_take(cmcas_registration_store_change_t *ch, cmcas_order_t *order,
                                cmcas_registration_t *reg, const char *what,
                                const cmcas_invoice_seller_t *seller, int *pmoved);

/* Why an accepted payment cannot be taken as money received, or NULL when it can. */
const char *cmcas_payment_untrusted(const cmcas_gateway_result_t *bank,
                                    const cmcas_payment_payee_t *payee);

#endif
