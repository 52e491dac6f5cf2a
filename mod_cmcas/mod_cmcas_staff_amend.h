/* The back-office page that changes a paid registration at the member's request (issue
 * 11): GET /gestion/inscription/{id}/modifier shows the form, POST applies it
 * (cmcas_registration_amend.h) and redirects to the page with the adjustment order made.
 * Another CMCAS's registration answers 404, one not paid 409. */
#ifndef mod_cmcas_staff_amend_h
#define mod_cmcas_staff_amend_h

#include "mod_cmcas_request.h"

int mod_cmcas_staff_amend(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref);

#endif
