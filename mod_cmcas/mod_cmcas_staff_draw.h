/* The « tour de rôle » of an activity in the back-office (issue 11): the preview of what
 * the draw would decide now, the drawn result, and the buttons that run (again, while
 * unpublished) and publish it through cmcas_draw_change.h. */
#ifndef mod_cmcas_staff_draw_h
#define mod_cmcas_staff_draw_h

#include "mod_cmcas_request.h"

/* GET /gestion/activite/{id}/tirage. */
int mod_cmcas_staff_draw_page(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref);
/* POST /gestion/activite/{id}/tirage/lancer and /publier. */
int mod_cmcas_staff_draw_run(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref);
int mod_cmcas_staff_draw_publish(mod_cmcas_request_t *rq, apr_int64_t id, const char *ref);

#endif
