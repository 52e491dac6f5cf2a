#include <apr_strings.h>
#include <apr_dbd.h>
#include <mod_dbd.h>
#include <http_core.h>
#include <http_main.h>
#include <apr_network_io.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_expiry.h"
#include "mod_cmcas_job.h"
#include "mod_cmcas_reconnect.h"
#include "mod_cmcas_draw_job.h"
#include "cmcas_date.h"
#include "cmcas_job_store.h"
#include "cmcas_order_change.h"
#include "cmcas_order_store.h"
#include "cmcas_registration_change.h"
#include "cmcas_registration_store.h"
#include "cmcas_session_store.h"

/* Ends one expired order (cmcas_order_change_expire): claimed by its conditional status
 * change, so a second server (or a payment arriving meanwhile) finds nothing to do. */
static void mod_cmcas_expiry_one(mod_cmcas_job_run_t *run, cmcas_order_t *order)
{
    cmcas_result_t res;
    apr_int64_t places = 0;
    int ended = 0;

    cmcas_order_change_expire(&res, &ended, &places, run->st, run->p, apr_time_now(),
                              order);
    if (res.kind != CMCAS_RESULT_DONE) {
        if (!mod_cmcas_job_lost(run, res.err)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, run->s, CMCAS_LOGNO(60)
                         "cannot end the expired order %s: %s", order->reference, res.err);
        }
    }
    else if (ended) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, run->s, CMCAS_LOGNO(61)
                     "order %s not paid by %s: cancelled, %" APR_INT64_T_FMT
                     " place(s) given back", order->reference, order->hold_until, places);
    }
}

/* Ends a validated registration left without payment past its CMCAS's desk delay
 * (cmcas_registration_change_release). */
static void mod_cmcas_expiry_unpaid(mod_cmcas_job_run_t *run, const apr_int64_t *key)
{
    cmcas_result_t res;
    int released = 0;

    cmcas_registration_change_release(&res, &released, run->st, run->p, apr_time_now(),
                                      key[0], key[1]);
    if (res.kind != CMCAS_RESULT_DONE) {
        if (!mod_cmcas_job_lost(run, res.err)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, run->s, CMCAS_LOGNO(71)
                         "cannot end an unpaid registration: %s", res.err);
        }
    }
    else if (released) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, run->s, CMCAS_LOGNO(66)
                     "registration of household %" APR_INT64_T_FMT " for activity %"
                     APR_INT64_T_FMT " not paid in time: cancelled, places given back",
                     key[1], key[0]);
    }
}

/* The job's thread only: whether this process checked the connections' settings. */
static int mod_cmcas_expiry_checked;

/* This server's name in the job's lease: its host and ServerRoot (stable across restarts,
 * different for two servers on one host); set at start-up, before the children. */
static const char *mod_cmcas_expiry_owner;

/* Whether this server runs the job now: several servers may share the database, and the
 * one holding the lease does it (sql/sqlite/009_jobs.sql). The lease lasts three
 * intervals, so a late run does not lose it and a stopped server's is taken over soon. */
static int mod_cmcas_expiry_claim(mod_cmcas_job_run_t *run)
{
    server_rec *s = run->s;
    cmcas_store_t *st = run->st;
    apr_pool_t *p = run->p;
    apr_int64_t seconds = apr_time_sec(mod_cmcas_config_expiry_interval());
    apr_int64_t now = apr_time_sec(apr_time_now()), until = 0;
    const char *before = NULL, *err = NULL;
    int mine = 0;

    if (APR_SUCCESS != cmcas_job_store_holder(&before, &until, st, p, "expiry", &err)
        || APR_SUCCESS != cmcas_job_store_claim(&mine, st, p, "expiry",
                                                mod_cmcas_expiry_owner, now, 3 * seconds,
                                                &err)) {
        if (!mod_cmcas_job_lost(run, err)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(90)
                         "background jobs not run: cannot claim them in the database (%s); "
                         "is the schema at version 9? (docs/operations.md)", err);
        }
        return 0;
    }
    if (!before) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(91)
                     "background jobs not run: the table cmcas_job has no row 'expiry' "
                     "(see sql/sqlite/009_jobs.sql)");
    }
    else if (mine && strcmp(before, mod_cmcas_expiry_owner)) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, CMCAS_LOGNO(92)
                     "this server (%s) now runs the background jobs%s%s",
                     mod_cmcas_expiry_owner, *before ? ", after " : "", before);
    }
    else if (!mine) {
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, CMCAS_LOGNO(93)
                     "background jobs left to %s (lease until %" APR_INT64_T_FMT ")",
                     before, until);
    }
    return mine;
}

/* Once per process: a misordered DBDInitSQL, or PostgreSQL without a lock timeout, is
 * otherwise silent until the day a lock is held. */
static void mod_cmcas_expiry_settings(server_rec *s, cmcas_store_t *st, apr_pool_t *p)
{
    const char *wrong;

    if (mod_cmcas_expiry_checked) {
        return;
    }
    mod_cmcas_expiry_checked = 1;
    if ((wrong = cmcas_store_sqlite_settings(st, p))) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, CMCAS_LOGNO(85)
                     "the database connections lack settings: %s. mod_dbd runs the "
                     "DBDInitSQL statements in order and stops at the first that "
                     "returns a row: PRAGMA busy_timeout = 5000 must be the last, and "
                     "WAL mode is set once on the file (docs/operations.md)", wrong);
    }
    if (cmcas_store_pgsql_lock_timeout_off(st, p)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, CMCAS_LOGNO(300)
                     "the PostgreSQL connections have no lock_timeout: a request that "
                     "meets a long lock (a migration's ALTER TABLE, a VACUUM FULL, a "
                     "transaction left open) waits as long as it lasts, holding its "
                     "thread. Add options='-c lock_timeout=5000' to DBDParams "
                     "(docs/operations.md)");
    }
}

/* The job's work, this server holding its lease: unpaid orders past their hold,
 * validated registrations never taken to payment past their CMCAS's desk delay, the
 * « tour de rôle » draws and waiting lists (mod_cmcas_draw_job), and
 * sessions past their end (mod_session_dbd leaves them in the table). */
static void mod_cmcas_expiry_work(mod_cmcas_job_run_t *run)
{
    server_rec *s = run->s;
    cmcas_store_t *st = run->st;
    apr_pool_t *p = run->p;
    apr_array_header_t *orders = NULL;
    const char *err = NULL;
    apr_hash_index_t *hi;
    int i, deleted = 0;

    if (APR_SUCCESS != cmcas_order_store_expired(&orders, st, p,
                                                 cmcas_date_stamp(p, apr_time_now()), &err)
        && !mod_cmcas_job_lost(run, err)) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(63)
                     "expired orders not checked: %s", err);
    }
    for (i = 0; orders && i < orders->nelts && !run->lost; i++) {
        mod_cmcas_expiry_one(run, &APR_ARRAY_IDX(orders, i, cmcas_order_t));
    }
    for (hi = apr_hash_first(p, mod_cmcas_config_all()); hi && !run->lost;
         hi = apr_hash_next(hi)) {
        const mod_cmcas_config_cmcas_t *c = apr_hash_this_val(hi);
        apr_array_header_t *keys = NULL;
        const char *before = cmcas_date_stamp(p, apr_time_now() - apr_time_from_sec(
            86400 * (apr_time_t)mod_cmcas_config_desk_hold_days(c)));
        if (APR_SUCCESS != cmcas_registration_store_unpaid(&keys, st, p, c->site.code,
                                                           before, &err)) {
            if (!mod_cmcas_job_lost(run, err)) {
                ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(72)
                             "unpaid registrations not checked: %s", err);
            }
            continue;
        }
        for (i = 0; i < keys->nelts && !run->lost; i++) {
            mod_cmcas_expiry_unpaid(run, (apr_int64_t *)keys->elts + 2 * i);
        }
    }
    if (!run->lost) {
        mod_cmcas_draw_job_work(run);
    }
    if (!run->lost
        && APR_SUCCESS != cmcas_session_store_purge(&deleted, st, p, apr_time_now(), &err)
        && !mod_cmcas_job_lost(run, err)) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(74)
                     "expired sessions not deleted: %s", err);
    }
    else if (deleted > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, CMCAS_LOGNO(73)
                     "%d expired session(s) deleted", deleted);
    }
    /* Every run: trace1 only (it runs every CMCASExpiryInterval). */
    ap_log_error(APLOG_MARK, APLOG_TRACE1, 0, s, CMCAS_LOGNO(294)
                 "expiry job ran: %d order(s) past their hold, %d session(s) deleted",
                 orders ? orders->nelts : 0, deleted);
}

/* The database's outages, as this job meets them (its watchdog thread only). */
static mod_cmcas_job_outage_t mod_cmcas_expiry_outage = {"expiry", 0, 0, 0};

static void mod_cmcas_expiry_run(server_rec *s, apr_pool_t *p)
{
    mod_cmcas_job_outage_t *outage = &mod_cmcas_expiry_outage;
    mod_cmcas_job_run_t run;
    cmcas_store_t st;
    ap_dbd_t *dbd = NULL;
    const char *err = NULL;
    apr_status_t rv;

    if (mod_cmcas_job_outage_wait(outage)) {
        return;
    }
    if (APR_SUCCESS != (rv = mod_cmcas_job_open(&dbd, &st, s, p, &err))) {
        /* (ap_log_error evaluates its level twice) */
        int level = mod_cmcas_job_outage_failed(outage);
        if (APR_NOTFOUND == rv) {
            ap_log_error(APLOG_MARK, level, 0, s, CMCAS_LOGNO(62)
                         "expired orders not checked: no database connection");
        }
        else {
            ap_log_error(APLOG_MARK, level, 0, s, CMCAS_LOGNO(89)
                         "expired orders not checked: %s", err);
        }
        return;
    }
    mod_cmcas_job_outage_over(outage, s);
    run.s = s;
    run.outage = outage;
    run.dbd = dbd;
    run.st = &st;
    run.p = p;
    run.lost = 0;
    mod_cmcas_expiry_settings(s, &st, p);
    if (mod_cmcas_expiry_claim(&run)) {
        mod_cmcas_expiry_work(&run);
    }
    mod_cmcas_job_close(s, &st, dbd);
}

int mod_cmcas_expiry_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                 server_rec *s)
{
    server_rec *portal = mod_cmcas_config_job_server();
    apr_status_t rv;

    (void)plog;
    (void)ptemp;
    if (!portal || ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    mod_cmcas_expiry_owner = mod_cmcas_job_owner(pconf);
    rv = mod_cmcas_job_start(pconf, "cmcas-expiry", mod_cmcas_config_expiry_interval(),
                             portal, mod_cmcas_expiry_run);
    if (APR_ENOTIMPL == rv) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(64)
                     "mod_cmcas needs mod_watchdog (to end unpaid orders): load it");
        return !OK;
    }
    if (APR_SUCCESS != rv) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, rv, s, CMCAS_LOGNO(65)
                     "cannot start the job that ends unpaid orders");
        return !OK;
    }
    return OK;
}
