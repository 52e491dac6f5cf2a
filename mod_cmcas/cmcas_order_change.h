/* The changes of an order: made by the member (« Payer », « Annuler la commande »,
 * « Réessayer le paiement »), or ended when its hold runs out. Each runs in one
 * transaction under the registration's lock and returns a cmcas_result_t; the bank's
 * word is cmcas_payment.h's. No httpd types. */
#ifndef cmcas_order_change_h
#define cmcas_order_change_h

#include "cmcas_activity.h"
#include "cmcas_order.h"
#include "cmcas_result.h"
#include "cmcas_store.h"

/* How the member pays. */
typedef struct {
    const char *method;             /* "cmcas" (the desk), or the payee's gateway name */
    int instalments;                /* 1..4 for a card, 1 at the desk */
    apr_interval_time_t hold;       /* how long a first order holds the places */
} cmcas_order_change_choice_t;

/* A new order paying the household's registration for `act` (priced from `options`) to
 * `payee_code`. An order still holding the registration (waiting, or refused) is
 * replaced, and the new one keeps its hold: trying again never extends it. */
void cmcas_order_change_create(cmcas_result_t *res, cmcas_order_t **porder,
                               cmcas_store_t *st, apr_pool_t *p, const char *actor,
                               apr_time_t now, apr_int64_t household_id,
                               const cmcas_activity_t *act,
                               const apr_array_header_t *options, const char *payee_code,
                               const cmcas_order_change_choice_t *choice);

/* « Annuler la commande »: the household's order and its registration, places back. */
void cmcas_order_change_cancel(cmcas_result_t *res, cmcas_store_t *st, apr_pool_t *p,
                               const char *actor, apr_time_t now, apr_int64_t household_id,
                               const char *reference);

/* Ends an order whose hold ran out (from cmcas_order_store_expired) with its
 * registration; *pended = 0 when a payment or another server came first. */
void cmcas_order_change_expire(cmcas_result_t *res, int *pended, apr_int64_t *pplaces,
                               cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                               cmcas_order_t *order);

#endif
