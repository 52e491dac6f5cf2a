/* The member changes their own household's contact or billing address: one UPDATE of
 * that household (the login's id, never a form's) and its audit line, in one
 * transaction. No httpd types. */
#ifndef cmcas_account_change_h
#define cmcas_account_change_h

#include "cmcas_account_input.h"
#include "cmcas_household.h"
#include "cmcas_result.h"
#include "cmcas_store.h"

/* The e-mail and phone of `hh` from a checked form (BAD_INPUT when it has errors). */
cmcas_result_kind_t cmcas_account_change_contact(cmcas_result_t *res, cmcas_store_t *st,
                                                 apr_pool_t *p,
                                                 const cmcas_household_t *hh,
                                                 const cmcas_account_input_contact_t *in,
                                                 apr_time_t now);
/* The billing address of `hh` from a checked form (BAD_INPUT when it has errors). */
cmcas_result_kind_t cmcas_account_change_address(cmcas_result_t *res, cmcas_store_t *st,
                                                 apr_pool_t *p,
                                                 const cmcas_household_t *hh,
                                                 const cmcas_account_input_address_t *in,
                                                 apr_time_t now);

#endif
