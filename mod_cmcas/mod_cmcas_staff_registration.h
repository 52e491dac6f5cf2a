/* The back-office's pages of registrations (issue 11): an activity's registrations
 * (GET /gestion/activite/{id}/inscriptions[?statut=...]), their CSV export
 * (GET /gestion/activite/{id}/inscriptions.csv) and the cancellation of one by staff
 * (POST /gestion/inscription/{id}/annuler). Called by mod_cmcas_staff_handler once
 * rq->staff is known; another CMCAS's activity or registration answers 404. */
#ifndef mod_cmcas_staff_registration_h
#define mod_cmcas_staff_registration_h

#include "mod_cmcas_request.h"

int mod_cmcas_staff_registration_list(mod_cmcas_request_t *rq, apr_int64_t id,
                                      const char *ref);
int mod_cmcas_staff_registration_csv(mod_cmcas_request_t *rq, apr_int64_t id,
                                     const char *ref);
int mod_cmcas_staff_registration_cancel(mod_cmcas_request_t *rq, apr_int64_t id,
                                        const char *ref);

#endif
