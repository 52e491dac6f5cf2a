/* The activity pictures staff uploaded, served from the database (every server of a
 * cluster has them) at image/{sha256}.{png,jpg} below the portal (members) and below
 * /gestion (staff). */
#ifndef mod_cmcas_image_h
#define mod_cmcas_image_h

#include "mod_cmcas_request.h"

/* Answers GET image/`name`: the picture with its type, for a long time (the name is the
 * content's hash), or 404. */
int mod_cmcas_image_serve(mod_cmcas_request_t *rq, const char *name);

/* child_init hook: GMime's initialisation (cmcas_multipart_init), once per process
 * before its threads. */
void mod_cmcas_image_child_init(apr_pool_t *p, server_rec *s);

#endif
