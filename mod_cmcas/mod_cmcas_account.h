/* The account's pages: the login form, « Mes informations », « Mon compte ». */
#ifndef mod_cmcas_account_h
#define mod_cmcas_account_h

#include "mod_cmcas_request.h"

/* GET /connexion (the form mod_auth_form checks) */
int mod_cmcas_account_login(mod_cmcas_request_t *rq);
/* GET /mes-informations, /mes-adresses */
int mod_cmcas_account_informations(mod_cmcas_request_t *rq);
/* GET /mon-compte */
int mod_cmcas_account_menu(mod_cmcas_request_t *rq);

#endif
