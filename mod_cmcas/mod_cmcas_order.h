/* The member's payment pages: « Procéder au paiement », « Mes commandes », an order. */
#ifndef mod_cmcas_order_h
#define mod_cmcas_order_h

#include "mod_cmcas_request.h"

/* GET and POST /mes-inscriptions/{id}/paiement */
int mod_cmcas_order_payment(mod_cmcas_request_t *rq, apr_int64_t registration_id);
/* GET /mes-commandes */
int mod_cmcas_order_list(mod_cmcas_request_t *rq);
/* GET and POST /mes-commandes/{ref} */
int mod_cmcas_order_show(mod_cmcas_request_t *rq, const char *reference);

#endif
