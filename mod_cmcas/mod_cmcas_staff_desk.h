/* The back-office's orders of the CMCAS (issue 11): the orders « Paiement en CMCAS » to
 * cash, those to refund and those refunded (/gestion/commandes), and the forms that
 * record a desk payment or a refund (cmcas_desk_change.h). */
#ifndef mod_cmcas_staff_desk_h
#define mod_cmcas_staff_desk_h

#include "mod_cmcas_request.h"

/* The reference of "/commande/{REF}{suffix}" (suffix "/paiement", "/remboursement"):
 * points at the 9 letters inside `path` (the page copies them), or NULL. */
const char *mod_cmcas_staff_desk_ref(const char *path, const char *suffix);

/* GET /gestion/commandes[?etat=a-encaisser|a-rembourser|rembourse]. */
int mod_cmcas_staff_desk_orders(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref);
/* POST /gestion/commande/{ref}/paiement and /remboursement. */
int mod_cmcas_staff_desk_pay(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref);
int mod_cmcas_staff_desk_refund(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref);

#endif
