/* What the background jobs share (the expiry and draws, the e-mails): each runs in its
 * own mod_watchdog thread, in one child at a time, and holds a lease in the database
 * (cmcas_job_store.h) under this server's name. */
#ifndef mod_cmcas_job_h
#define mod_cmcas_job_h

#include <httpd.h>
#include <mod_watchdog.h>
#include <apr_dbd.h>
#include <mod_dbd.h>

#include "cmcas_store.h"

/* This server's name in the leases: its host and ServerRoot (stable across restarts,
 * different for two servers on one host). */
const char *mod_cmcas_job_owner(apr_pool_t *pconf);

/* Starts `callback` every `interval` in the watchdog thread `name` (one child at a
 * time), with `portal` as its data. APR_ENOTIMPL when mod_watchdog is not loaded. */
apr_status_t mod_cmcas_job_start(apr_pool_t *pconf, const char *name,
                                 apr_interval_time_t interval, server_rec *portal,
                                 ap_watchdog_callback_fn_t *callback);

/* A database connection for a job's run, checked (repaired) and bound to `st`:
 * APR_NOTFOUND when mod_dbd has none, APR_EGENERAL (*perr: why) when it cannot be used. */
apr_status_t mod_cmcas_job_open(ap_dbd_t **pdbd, cmcas_store_t *st, server_rec *s,
                                apr_pool_t *p, const char **perr);
/* Gives it back (a transaction left open rolled back first). */
void mod_cmcas_job_close(server_rec *s, cmcas_store_t *st, ap_dbd_t *dbd);

#endif
