/* The back-office's activity pages (« gestion-activite »): the form to create and edit an
 * activity and its options, publication, and the picture's upload. Each reads the
 * request, calls one flow of cmcas_activity_change.c and answers. */
#ifndef mod_cmcas_staff_activity_h
#define mod_cmcas_staff_activity_h

#include "mod_cmcas_request.h"

/* GET|POST /gestion/activites/nouvelle */
int mod_cmcas_staff_activity_new(mod_cmcas_request_t *rq);
/* GET|POST /gestion/activite/{id} */
int mod_cmcas_staff_activity_edit(mod_cmcas_request_t *rq, apr_int64_t id);
/* POST /gestion/activite/{id}/publier (action=publier|depublier) */
int mod_cmcas_staff_activity_publish(mod_cmcas_request_t *rq, apr_int64_t id);
/* POST /gestion/activite/{id}/image (multipart/form-data: csrf, image): the body is
 * read here, bounded, not by mod_cmcas_request_post. */
int mod_cmcas_staff_activity_image(mod_cmcas_request_t *rq, apr_int64_t id);

#endif
