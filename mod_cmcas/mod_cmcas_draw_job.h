/* The « tour de rôle » part of the background job (mod_cmcas_expiry runs it under its
 * lease): draws that are due, selected requests not paid in time, and the waiting
 * lists moved into the places that came free (cmcas_draw_change.h). */
#ifndef mod_cmcas_draw_job_h
#define mod_cmcas_draw_job_h

#include <httpd.h>

#include "cmcas_store.h"

void mod_cmcas_draw_job_work(server_rec *s, cmcas_store_t *st, apr_pool_t *p);

#endif
