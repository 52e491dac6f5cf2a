/* Card payment on a bank's hosted page, whatever the bank: the signed form that takes
 * the member there, and the bank's returns (server-to-server notification, browser
 * returns), verified in the request pipeline before any handler acts on them. Each
 * gateway (Paybox, Systempay) provides the three functions below. */
#ifndef mod_cmcas_gateway_h
#define mod_cmcas_gateway_h

#include "mod_cmcas_request.h"
#include "cmcas_gateway.h"
#include "cmcas_order.h"

typedef struct {
    const char *name;           /* as in CMCASGateway and in the return paths */
    /* The fields to post to the bank's page for `order`, in order (a table). */
    apr_status_t (*request)(apr_table_t **pfields, mod_cmcas_request_t *rq,
                            const cmcas_order_t *order, const mod_cmcas_config_cmcas_t *payee,
                            int persons, const char **perr);
    /* 1 when the request carries a return validly signed by the payee's bank; the
     * returned fields (query, or form body) in *pfields. */
    int (*verify)(request_rec *r, const mod_cmcas_config_cmcas_t *payee,
                  apr_table_t **pfields);
    /* What verified fields say. */
    apr_status_t (*result)(cmcas_gateway_result_t *res, apr_table_t *fields, apr_pool_t *p);
} mod_cmcas_gateway_t;

extern const mod_cmcas_gateway_t mod_cmcas_gateway_paybox;
extern const mod_cmcas_gateway_t mod_cmcas_gateway_systempay;

/* The gateway of a CMCAS that takes cards online, or NULL. */
const mod_cmcas_gateway_t *mod_cmcas_gateway_of(const mod_cmcas_config_cmcas_t *payee);

/* The return URLs of a payee, absolute: ".../paiement/retour/<gw>/<CMCAS>/<kind>" and
 * ".../paiement/notification/<gw>/<CMCAS>". */
const char *mod_cmcas_gateway_return_url(mod_cmcas_request_t *rq, const char *gateway,
                                         const char *code, const char *kind);
const char *mod_cmcas_gateway_notify_url(mod_cmcas_request_t *rq, const char *gateway,
                                         const char *code);

/* Fixups hook: a return of a bank goes on only with a valid signature of the bank of
 * the CMCAS in its path; otherwise 403, logged once. */
int mod_cmcas_gateway_fixups(request_rec *r);

/* The pages: *phandled when `path` is a bank's return, then answered. */
int mod_cmcas_gateway_route(mod_cmcas_request_t *rq, const char *path, int *phandled);

/* After a card order is written: the page that posts the browser to the bank. */
int mod_cmcas_gateway_send(mod_cmcas_request_t *rq, const cmcas_order_t *order,
                           const mod_cmcas_config_cmcas_t *payee, int persons);

#endif
