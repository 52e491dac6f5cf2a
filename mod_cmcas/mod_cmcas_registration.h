/* The member's registration pages: the form of an activity, « Mes inscriptions ». */
#ifndef mod_cmcas_registration_h
#define mod_cmcas_registration_h

#include "mod_cmcas_request.h"

/* GET and POST /activite/{id}/inscription */
int mod_cmcas_registration_form(mod_cmcas_request_t *rq, apr_int64_t activity_id);
/* GET /mes-inscriptions */
int mod_cmcas_registration_list(mod_cmcas_request_t *rq);
/* GET /mes-inscriptions/{id} */
int mod_cmcas_registration_show(mod_cmcas_request_t *rq, apr_int64_t id);
/* POST « Je renonce » on a « tour de rôle » request (cmcas_draw_change_renounce). */
int mod_cmcas_registration_renounce(mod_cmcas_request_t *rq, apr_int64_t id);

#endif
