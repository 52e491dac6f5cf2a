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

/* A job's run, in its watchdog thread; `p` is cleared after it. */
typedef void mod_cmcas_job_fn_t(server_rec *portal, apr_pool_t *p);

/* Runs `run` in the watchdog thread `name` (one child at a time): a second after the
 * thread starts (each start, graceful restart or new child holding it), then every
 * `interval`. APR_ENOTIMPL when mod_watchdog is not loaded. */
apr_status_t mod_cmcas_job_start(apr_pool_t *pconf, const char *name,
                                 apr_interval_time_t interval, server_rec *portal,
                                 mod_cmcas_job_fn_t *run);

/* The child's last child_init hook (APR_HOOK_REALLY_LAST): no job runs before it. Its
 * pool's destruction waits for the run in progress; none starts after. */
void mod_cmcas_job_child_init(apr_pool_t *pchild, server_rec *s);
/* Whether the child is stopping: a long run (one e-mail after another) ends early. */
int mod_cmcas_job_child_stopping(void);

/* A database connection for a job's run, checked (repaired) and bound to `st`:
 * APR_NOTFOUND when mod_dbd has none, APR_EGENERAL (*perr: why) when it cannot be used
 * (a schema older than the module's too: mod_cmcas_schema_check.h). */
apr_status_t mod_cmcas_job_open(ap_dbd_t **pdbd, cmcas_store_t *st, server_rec *s,
                                apr_pool_t *p, const char **perr);
/* Gives it back (a transaction left open rolled back first). */
void mod_cmcas_job_close(server_rec *s, cmcas_store_t *st, ap_dbd_t *dbd);

/* A job's view of a database outage (one per job: only its watchdog thread uses it).
 * Without it, a job running every second logged two lines a second (its own and
 * mod_dbd's) for as long as the database was away. */
typedef struct {
    const char *job;            /* its name in the log */
    apr_time_t since;           /* the first failed run of this outage; 0: none */
    apr_time_t next_try;        /* the runs before it do not try the database */
    int failures;
} mod_cmcas_job_outage_t;

/* Whether this run should leave the database alone (backing off during an outage:
 * 1, 2, 4 ... up to 60 s between tries). */
int mod_cmcas_job_outage_wait(mod_cmcas_job_outage_t *o);
/* A failed try: schedules the next one; returns the level for the job's own line
 * (error for the first of the outage, debug for the next ones). */
int mod_cmcas_job_outage_failed(mod_cmcas_job_outage_t *o);
/* A connection again: logs the end of an outage, once. */
void mod_cmcas_job_outage_over(mod_cmcas_job_outage_t *o, server_rec *s);

/* One run of a job on the connection mod_cmcas_job_open gave it. The database may go
 * away during the run (a server stopped, a failover): then every step after it fails,
 * and a run of six steps logged six errors for one outage. */
typedef struct {
    server_rec *s;
    mod_cmcas_job_outage_t *outage;
    ap_dbd_t *dbd;
    cmcas_store_t *st;
    apr_pool_t *p;
    int lost;                   /* the database went away: the rest waits for it */
} mod_cmcas_job_run_t;

/* A step of `run` failed with `err`. 0 when the database is still there: the step logs
 * its own failure and the run goes on. 1 when it went away: said once for the outage
 * (CMCAS301, error the first time, as the job's other outage lines), and the step logs
 * nothing; the run stops at its next check of run->lost. */
int mod_cmcas_job_lost(mod_cmcas_job_run_t *run, const char *err);

#endif
