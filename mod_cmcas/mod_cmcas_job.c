#include "mod_cmcas_private.h"

#include <apr_strings.h>
#include <apr_network_io.h>
#include <apr_atomic.h>
#include <http_main.h>

#include "mod_cmcas_job.h"
#include "mod_cmcas_reconnect.h"
#include "mod_cmcas_schema_check.h"

const char *mod_cmcas_job_owner(apr_pool_t *pconf)
{
    char host[APRMAXHOSTLEN + 1];

    if (APR_SUCCESS != apr_gethostname(host, sizeof(host), pconf)) {
        apr_cpystrn(host, "localhost", sizeof(host));
    }
    return apr_psprintf(pconf, "%s:%s", host, ap_server_root);
}

/* A job as mod_watchdog runs it. mod_watchdog counts a callback's interval from its
 * thread's start: a job of CMCASExpiryInterval 3600 first ran an hour after each start or
 * graceful restart, and never on a server restarted more often than that. So the job is
 * ticked every second and runs when due, the first time at the first tick once the
 * child's initialisation is over (mod_cmcas_job_child_init). */
typedef struct {
    mod_cmcas_job_fn_t *run;
    server_rec *portal;
    apr_interval_time_t interval;
    apr_time_t next;                    /* 0: at the next tick */
} mod_cmcas_job_t;

#define MOD_CMCAS_JOB_TICK apr_time_from_sec(1)

/* Set by the child's last child_init hook: mod_watchdog starts the job's thread in its
 * own, and a run before mod_dbd's (or the schema check's) would find no connection. */
static apr_uint32_t mod_cmcas_job_child_ready;

/* mod_watchdog stops its threads with the configuration's pool, not the child's: a
 * stopping child destroyed its pool (mod_dbd's connections among it) under a job still
 * running (ASan: a use after free at the demo's stop). So the child's pool waits for
 * the run in progress, and no run starts after. */
static apr_uint32_t mod_cmcas_job_stopping;
static apr_uint32_t mod_cmcas_job_busy;

/* The longest wait for a run at the child's stop: its statements are bounded by the
 * database's timeouts, its e-mails by the mail command's. */
#define MOD_CMCAS_JOB_STOP_WAIT apr_time_from_sec(60)

static apr_status_t mod_cmcas_job_child_stop(void *data)
{
    server_rec *s = data;
    apr_time_t until = apr_time_now() + MOD_CMCAS_JOB_STOP_WAIT;

    apr_atomic_set32(&mod_cmcas_job_stopping, 1);
    while (apr_atomic_read32(&mod_cmcas_job_busy) && apr_time_now() < until) {
        apr_sleep(apr_time_from_msec(10));
    }
    if (apr_atomic_read32(&mod_cmcas_job_busy)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, CMCAS_LOGNO(302)
                     "a background job still runs as this child stops, after %" APR_TIME_T_FMT
                     " s: the child exits without it", apr_time_sec(MOD_CMCAS_JOB_STOP_WAIT));
    }
    return APR_SUCCESS;
}

void mod_cmcas_job_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_atomic_set32(&mod_cmcas_job_stopping, 0);
    apr_pool_pre_cleanup_register(pchild, s, mod_cmcas_job_child_stop);
    apr_atomic_set32(&mod_cmcas_job_child_ready, 1);
}

int mod_cmcas_job_child_stopping(void)
{
    return apr_atomic_read32(&mod_cmcas_job_stopping) != 0;
}

static apr_status_t mod_cmcas_job_tick(int state, void *data, apr_pool_t *p)
{
    mod_cmcas_job_t *job = data;
    apr_time_t now = apr_time_now();

    /* Half a tick early counts as due: the ticks drift by some milliseconds, and a job of
     * one second would otherwise run every other tick. */
    if (state != AP_WATCHDOG_STATE_RUNNING || now + MOD_CMCAS_JOB_TICK / 2 < job->next
        || !apr_atomic_read32(&mod_cmcas_job_child_ready)) {
        return APR_SUCCESS;
    }
    /* Busy before the stop is read again: the child's stop sees the run, or the run
     * sees the stop. */
    apr_atomic_inc32(&mod_cmcas_job_busy);
    if (!apr_atomic_read32(&mod_cmcas_job_stopping)) {
        job->next = now + job->interval;
        job->run(job->portal, p);
    }
    apr_atomic_dec32(&mod_cmcas_job_busy);
    return APR_SUCCESS;
}

apr_status_t mod_cmcas_job_start(apr_pool_t *pconf, const char *name,
                                 apr_interval_time_t interval, server_rec *portal,
                                 mod_cmcas_job_fn_t *run)
{
    APR_OPTIONAL_FN_TYPE(ap_watchdog_get_instance) *get_fn =
        APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance);
    APR_OPTIONAL_FN_TYPE(ap_watchdog_register_callback) *register_fn =
        APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_register_callback);
    ap_watchdog_t *wd = NULL;
    mod_cmcas_job_t *job;
    apr_status_t rv;

    if (!get_fn || !register_fn) {
        return APR_ENOTIMPL;
    }
    /* A singleton (the 1): one child runs it at a time; the lease picks the server. */
    if (APR_SUCCESS != (rv = get_fn(&wd, name, 0, 1, pconf))) {
        return rv;
    }
    job = apr_pcalloc(pconf, sizeof(*job));
    job->run = run;
    job->portal = portal;
    job->interval = interval;
    return register_fn(wd, MOD_CMCAS_JOB_TICK, job, mod_cmcas_job_tick);
}

apr_status_t mod_cmcas_job_open(ap_dbd_t **pdbd, cmcas_store_t *st, server_rec *s,
                                apr_pool_t *p, const char **perr)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_open) *open_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    ap_dbd_t *dbd;

    *pdbd = NULL;
    /* Not on a schema older than the module's (mod_cmcas_schema_check.h). */
    if ((*perr = mod_cmcas_schema_check_older(s, p))) {
        return APR_EGENERAL;
    }
    *perr = "no database connection";
    if (!open_fn || !(dbd = open_fn(p, s))) {
        return APR_NOTFOUND;
    }
    if (APR_SUCCESS != mod_cmcas_reconnect_check(dbd, p, perr)) {
        memset(st, 0, sizeof(*st));
        mod_cmcas_job_close(s, st, dbd);
        return APR_EGENERAL;
    }
    memset(st, 0, sizeof(*st));
    mod_cmcas_reconnect_store(st, dbd, p);
    *pdbd = dbd;
    return APR_SUCCESS;
}

void mod_cmcas_job_close(server_rec *s, cmcas_store_t *st, ap_dbd_t *dbd)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_close) *close_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);

    cmcas_store_abort(st);
    if (close_fn) {
        close_fn(s, dbd);
    }
}

/* The longest wait between two tries during an outage. */
#define MOD_CMCAS_JOB_OUTAGE_MAX_WAIT apr_time_from_sec(60)

int mod_cmcas_job_outage_wait(mod_cmcas_job_outage_t *o)
{
    return o->since && apr_time_now() < o->next_try;
}

int mod_cmcas_job_outage_failed(mod_cmcas_job_outage_t *o)
{
    apr_time_t now = apr_time_now();
    apr_interval_time_t wait = apr_time_from_sec(1);
    int i;

    for (i = 0; i < o->failures && wait < MOD_CMCAS_JOB_OUTAGE_MAX_WAIT; i++) {
        wait *= 2;
    }
    o->next_try = now + (wait < MOD_CMCAS_JOB_OUTAGE_MAX_WAIT ? wait
                                                              : MOD_CMCAS_JOB_OUTAGE_MAX_WAIT);
    o->failures++;
    if (!o->since) {
        o->since = now;
        return APLOG_ERR;
    }
    return APLOG_DEBUG;
}

void mod_cmcas_job_outage_over(mod_cmcas_job_outage_t *o, server_rec *s)
{
    if (o->since) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, CMCAS_LOGNO(230)
                     "the %s job reaches the database again after %" APR_TIME_T_FMT
                     " s without it (%d tries failed)", o->job,
                     apr_time_sec(apr_time_now() - o->since), o->failures);
    }
    o->since = 0;
    o->failures = 0;
}

int mod_cmcas_job_lost(mod_cmcas_job_run_t *run, const char *err)
{
    const char *why = NULL;
    int level;

    if (run->lost) {
        return 1;
    }
    /* A statement's error alone does not tell: a lock timeout leaves the connection
     * good. The check is the requests' (a poll, a reset when the socket is gone). */
    if (APR_SUCCESS == mod_cmcas_reconnect_check(run->dbd, run->p, &why)) {
        return 0;
    }
    run->lost = 1;
    level = mod_cmcas_job_outage_failed(run->outage);
    ap_log_error(APLOG_MARK, level, 0, run->s, CMCAS_LOGNO(301)
                 "the %s job lost the database during its run, the rest of the run waits "
                 "for it: %s (%s)", run->outage->job, err ? err : "", why);
    return 1;
}
