/* The « tour de rôle » part of the background job (mod_cmcas_expiry runs it under its
 * lease): draws that are due, selected requests not paid in time, and the waiting
 * lists moved into the places that came free (cmcas_draw_change.h). */
#ifndef mod_cmcas_draw_job_h
#define mod_cmcas_draw_job_h

#include "mod_cmcas_job.h"

/* Stops where the database went away (run->lost: mod_cmcas_job_lost). */
void mod_cmcas_draw_job_work(mod_cmcas_job_run_t *run);

#endif
