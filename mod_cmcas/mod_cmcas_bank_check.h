/* Asking the payee's bank, server to server, whether an accepted payment reached the
 * payee's own merchant account (Paybox Direct consultation). */
#ifndef mod_cmcas_bank_check_h
#define mod_cmcas_bank_check_h

#include <httpd.h>

#include "cmcas_gateway.h"
#include "mod_cmcas_config.h"

/* For a verified, accepted return `res` of payee `payee`: CONFIRMED when the bank says the
 * payee's account (site, rang) holds an authorised or captured transaction with that
 * number, reference and amount; DENIED when it says otherwise; UNAVAILABLE when it could
 * not be asked or could not answer (try later: the notification is not acknowledged);
 * NONE when the payee has no CMCASPayboxDirect or its gateway is not Paybox. *pwhy: a
 * short English reason for the log and the history (never NULL). At most 10 s (two
 * questions); logs its details at info (CMCAS80) only: the caller logs the outcome.
 * Holds no database connection: call it before taking one. */
cmcas_gateway_check_t mod_cmcas_bank_check(request_rec *r,
                                           const mod_cmcas_config_cmcas_t *payee,
                                           const cmcas_gateway_result_t *res,
                                           const char **pwhy);

/* post_config: libcurl's global initialisation, once per process, before any thread. */
int mod_cmcas_bank_check_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                     apr_pool_t *ptemp, server_rec *s);

#endif
