/* Card payment through Paybox System: the signed form to the bank's page, and the
 * bank's returns (server-to-server notification, browser returns), verified in the
 * request pipeline before any handler acts on them. */
#ifndef mod_cmcas_paybox_h
#define mod_cmcas_paybox_h

#include "mod_cmcas_request.h"
#include "cmcas_order.h"

/* Fixups hook: a return of the bank (path below the portal "/paiement/notification/
 * paybox/CODE" or "/paiement/retour/paybox/CODE/KIND") goes on only with a valid
 * signature K by the bank's key of CMCAS CODE; otherwise 403, logged once. */
int mod_cmcas_paybox_fixups(request_rec *r);

/* The pages: 1 when `path` is a Paybox return and was answered. */
int mod_cmcas_paybox_route(mod_cmcas_request_t *rq, const char *path, int *phandled);

/* After an order paid by card is written: the page that posts the browser to the
 * bank with the signed fields. */
int mod_cmcas_paybox_send(mod_cmcas_request_t *rq, const cmcas_order_t *order,
                          const mod_cmcas_config_cmcas_t *payee, int persons);

#endif
