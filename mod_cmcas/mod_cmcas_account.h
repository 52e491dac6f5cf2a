/* The account's pages: the login form, « Mes informations », « Mes adresses », « Mon compte ». */
#ifndef mod_cmcas_account_h
#define mod_cmcas_account_h

#include "mod_cmcas_request.h"

/* GET /connexion (the form mod_auth_form checks) */
int mod_cmcas_account_login(mod_cmcas_request_t *rq);
/* GET, POST /mes-informations (the household; its contact e-mail and phone) */
int mod_cmcas_account_informations(mod_cmcas_request_t *rq);
/* GET, POST /mes-adresses (the billing address) */
int mod_cmcas_account_addresses(mod_cmcas_request_t *rq);
/* GET /mon-compte */
int mod_cmcas_account_menu(mod_cmcas_request_t *rq);

#endif
