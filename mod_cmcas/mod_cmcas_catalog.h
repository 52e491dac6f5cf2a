/* The catalog's pages: the list with its tabs, themes and search, and an activity. */
#ifndef mod_cmcas_catalog_h
#define mod_cmcas_catalog_h

#include "mod_cmcas_request.h"

/* GET / */
int mod_cmcas_catalog_list(mod_cmcas_request_t *rq);
/* GET /activite/{id} */
int mod_cmcas_catalog_activity(mod_cmcas_request_t *rq, apr_int64_t id);

/* The activity `id` as this portal may show it (its catalog context in *ctx); OK, or
 * DONE when its error page (404, 503) has been sent. */
int mod_cmcas_catalog_load(mod_cmcas_request_t *rq, apr_int64_t id, cmcas_catalog_ctx_t *ctx,
                           cmcas_activity_t **pact);

/* GET /activite/{id}/tirage.csv: the published draw's data (cmcas_draw_csv.h). */
int mod_cmcas_catalog_draw_data(mod_cmcas_request_t *rq, apr_int64_t id);

#endif
