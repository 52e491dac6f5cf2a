#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <apr_dbd.h>
#include <mod_dbd.h>
#include <http_core.h>
#include <http_main.h>
#include <apr_network_io.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_mail.h"
#include "mod_cmcas_job.h"
#include "mod_cmcas_reconnect.h"
#include "cmcas_job_store.h"
#include "cmcas_mail.h"
#include "cmcas_outbox_store.h"

/* How long the command may take, and how long a message stays claimed: long enough for
 * the command to end, so that no other server sends it meanwhile. */
#define MOD_CMCAS_MAIL_TIMEOUT 30
#define MOD_CMCAS_MAIL_CLAIM (MOD_CMCAS_MAIL_TIMEOUT + 60)
/* Messages sent per run at most (the rest at the next run). */
#define MOD_CMCAS_MAIL_BATCH 50

/* This server's name in the lease (host and ServerRoot, as the expiry job's). */
static const char *mod_cmcas_mail_owner;

int mod_cmcas_mail_check(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                         server_rec *s)
{
    const char *where = NULL;
    apr_hash_index_t *hi;

    (void)pconf;
    (void)plog;
    if (!mod_cmcas_config_mail_argv(&where) || !mod_cmcas_config_all()) {
        return OK;
    }
    for (hi = apr_hash_first(ptemp, mod_cmcas_config_all()); hi; hi = apr_hash_next(hi)) {
        const mod_cmcas_config_cmcas_t *c = apr_hash_this_val(hi);
        const char *missing = !c->site.email ? "CMCASEmail (the sender of its members' "
                                               "e-mails)"
                            : !c->portal_url ? "CMCASPortalURL (the base of the links in "
                                               "its members' e-mails)" : NULL;
        if (missing) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(97)
                         "<CMCAS %s> (%s:%d) needs %s: CMCASMailCommand is set (%s)",
                         c->site.code, c->file, c->line, missing, where);
            return !OK;
        }
    }
    return OK;
}

/* ------------------------------------------------------------------------------- */
/* The command */

/* Runs the command with `msg` on its standard input; NULL when it exited with 0, else
 * why not (English, with the start of what it wrote on its standard error). */
static const char *mod_cmcas_mail_run(apr_pool_t *p, const char *const *argv,
                                      const char *msg)
{
    /* No shell and no inherited environment: only a PATH for what the command runs. */
    static const char *const env[] = {
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL
    };
    apr_time_t deadline = apr_time_now() + apr_time_from_sec(MOD_CMCAS_MAIL_TIMEOUT);
    apr_procattr_t *attr;
    apr_proc_t proc;
    apr_exit_why_e why = APR_PROC_EXIT;
    apr_status_t rv;
    char err[400];
    apr_size_t got = 0, n;
    int code = 0, done = 0;
    const char *fail = NULL;

    if (APR_SUCCESS != (rv = apr_procattr_create(&attr, p))
        || APR_SUCCESS != (rv = apr_procattr_io_set(attr, APR_CHILD_BLOCK, APR_NO_PIPE,
                                                    APR_CHILD_BLOCK))
        || APR_SUCCESS != (rv = apr_procattr_cmdtype_set(attr, APR_PROGRAM))
        || APR_SUCCESS != (rv = apr_procattr_error_check_set(attr, 1))
        || APR_SUCCESS != (rv = apr_proc_create(&proc, argv[0], argv, env, attr, p))) {
        char buf[120];
        return apr_psprintf(p, "cannot run %s: %s", argv[0],
                            apr_strerror(rv, buf, sizeof(buf)));
    }
    /* Our ends of the pipes wait at most until the deadline. */
    apr_file_pipe_timeout_set(proc.in, apr_time_from_sec(MOD_CMCAS_MAIL_TIMEOUT));
    if (APR_SUCCESS != apr_file_write_full(proc.in, msg, strlen(msg), NULL)) {
        fail = "it did not read the whole message";
    }
    apr_file_close(proc.in);
    while (apr_time_now() < deadline) {
        char buf[512];
        apr_file_pipe_timeout_set(proc.err, deadline - apr_time_now());
        n = sizeof(buf);
        if (APR_SUCCESS != apr_file_read(proc.err, buf, &n)) {
            break;                      /* its end, or the deadline */
        }
        if (got < sizeof(err) - 1) {
            apr_size_t k = n < sizeof(err) - 1 - got ? n : sizeof(err) - 1 - got;
            memcpy(err + got, buf, k);
            got += k;
        }
    }
    err[got] = '\0';
    apr_file_close(proc.err);
    while (!done) {
        rv = apr_proc_wait(&proc, &code, &why, APR_NOWAIT);
        if (APR_STATUS_IS_CHILD_DONE(rv)) {
            done = 1;
        }
        else if (apr_time_now() >= deadline) {
            apr_proc_kill(&proc, SIGKILL);
            apr_proc_wait(&proc, &code, &why, APR_WAIT);
            return apr_psprintf(p, "%s did not end within %d s: killed", argv[0],
                                MOD_CMCAS_MAIL_TIMEOUT);
        }
        else {
            apr_sleep(apr_time_from_msec(10));
        }
    }
    if (APR_PROC_CHECK_EXIT(why) && code == 0 && !fail) {
        return NULL;
    }
    return apr_psprintf(p, "%s %s %d%s%s%s%s", argv[0],
                        APR_PROC_CHECK_EXIT(why) ? "exited with status" : "killed by signal",
                        code, fail ? ", " : "", fail ? fail : "", got ? ": " : "",
                        got ? cmcas_mail_clean(p, err) : "");
}

/* ------------------------------------------------------------------------------- */
/* One message */

/* The message of `row`, from the settings of the household's CMCAS (sender, portal)
 * and of the payee (its desk); NULL with *pwhy when it cannot be made. */
static const char *mod_cmcas_mail_compose(apr_pool_t *p, const cmcas_outbox_store_row_t *row,
                                          const char **pwhy)
{
    const mod_cmcas_config_cmcas_t *own = mod_cmcas_config_cmcas(row->cmcas_code);
    const mod_cmcas_config_cmcas_t *desk = mod_cmcas_config_cmcas(row->order_cmcas_code);
    cmcas_mail_t m;
    const char *msg = NULL;

    if (!own) {
        *pwhy = apr_psprintf(p, "no <CMCAS %s> block declares the household's CMCAS",
                             row->cmcas_code);
        return NULL;
    }
    if (!desk) {
        desk = own;
    }
    memset(&m, 0, sizeof(m));
    m.kind = row->msg.kind;
    m.event_key = row->msg.event_key;
    m.date = apr_time_now();
    m.from_name = own->site.name;
    m.from_email = own->site.email;
    m.to_email = row->email;
    m.to_name = row->last_name ? apr_pstrcat(p, row->first_name ? row->first_name : "",
                                             row->first_name ? " " : "", row->last_name,
                                             NULL) : NULL;
    m.portal_url = own->portal_url;
    m.registration_id = row->msg.registration_id;
    m.activity_title = row->activity_title;
    m.activity_start = row->activity_start;
    m.activity_end = row->activity_end;
    m.order_reference = row->order_reference;
    m.order_total = row->order_total;
    m.order_hold_until = row->order_hold_until;
    m.desk_name = desk->site.name;
    m.desk_street = desk->site.street;
    m.desk_postcode = desk->site.postcode;
    m.desk_city = desk->site.city;
    m.desk_phone = desk->site.phone;
    m.detail = row->msg.detail;
    if (APR_SUCCESS != cmcas_mail_compose(&msg, p, &m, pwhy)) {
        return NULL;
    }
    return msg;
}

/* The database's outages, as this job meets them (its watchdog thread only). */
static mod_cmcas_job_outage_t mod_cmcas_mail_outage = {"mail", 0, 0, 0};

/* A connection for the job (mod_cmcas_job_open), bound to `st` and to the run `run`;
 * NULL (logged) when none, or while it backs off during an outage. */
static ap_dbd_t *mod_cmcas_mail_open(mod_cmcas_job_run_t *run, server_rec *s,
                                     apr_pool_t *p, cmcas_store_t *st)
{
    ap_dbd_t *dbd = NULL;
    const char *err = NULL;

    if (mod_cmcas_job_outage_wait(&mod_cmcas_mail_outage)) {
        return NULL;
    }
    if (APR_SUCCESS != mod_cmcas_job_open(&dbd, st, s, p, &err)) {
        /* (ap_log_error evaluates its level twice) */
        int level = mod_cmcas_job_outage_failed(&mod_cmcas_mail_outage);
        ap_log_error(APLOG_MARK, level, 0, s, CMCAS_LOGNO(101)
                     "e-mails not sent this time: %s", err);
        return NULL;
    }
    mod_cmcas_job_outage_over(&mod_cmcas_mail_outage, s);
    run->s = s;
    run->outage = &mod_cmcas_mail_outage;
    run->dbd = dbd;
    run->st = st;
    run->p = p;
    run->lost = 0;
    return dbd;
}

/* Claims message `id`, composes it, sends it with no database connection held (the
 * command may take seconds), then records the outcome. */
static void mod_cmcas_mail_one(server_rec *s, apr_pool_t *p, apr_int64_t id)
{
    const char *const *argv = mod_cmcas_config_mail_argv(NULL);
    apr_int64_t now = apr_time_sec(apr_time_now()), wait;
    cmcas_outbox_store_row_t *row = NULL;
    const char *err = NULL, *msg = NULL, *why = NULL;
    mod_cmcas_job_run_t run;
    cmcas_store_t st;
    ap_dbd_t *dbd;
    int mine = 0;

    if (!(dbd = mod_cmcas_mail_open(&run, s, p, &st))) {
        return;
    }
    if (APR_SUCCESS != cmcas_outbox_store_claim(&mine, &st, p, id, now,
                                                now + MOD_CMCAS_MAIL_CLAIM, &err)
        || (mine && APR_SUCCESS != cmcas_outbox_store_get(&row, &st, p, id, &err))) {
        if (!mod_cmcas_job_lost(&run, err)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(106)
                         "e-mail %" APR_INT64_T_FMT " not sent this time: %s", id, err);
        }
        /* Claimed but not read (a table locked): given back at once, rather than after
         * the whole claim (a database gone away takes nothing: the claim runs out). */
        if (mine && !run.lost) {
            cmcas_outbox_store_retry(&st, p, id, now + apr_time_sec(
                                         mod_cmcas_config_mail_interval()), err, &err);
        }
        mod_cmcas_job_close(s, &st, dbd);
        return;
    }
    mod_cmcas_job_close(s, &st, dbd);
    if (!mine) {
        return;                         /* another server's, or sent meanwhile */
    }
    /* Never the address nor the text: the id, kind and attempt. */
    ap_log_error(APLOG_MARK, APLOG_TRACE1, 0, s, CMCAS_LOGNO(296)
                 "e-mail %" APR_INT64_T_FMT " (%s) claimed, attempt %d", id, row->msg.kind,
                 row->attempts);
    if ((msg = mod_cmcas_mail_compose(p, row, &why))) {
        why = mod_cmcas_mail_run(p, argv, msg);
    }
    if (!(dbd = mod_cmcas_mail_open(&run, s, p, &st))) {
        return;                         /* claimed: tried again once the claim runs out */
    }
    if (!why) {
        /* Said even when the database went away: this message will go twice. */
        if (APR_SUCCESS != cmcas_outbox_store_sent(&st, p, id, apr_time_now(), &err)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(105)
                         "e-mail %" APR_INT64_T_FMT " (%s) was sent but cannot be marked "
                         "sent (%s): it will be sent again when its claim runs out, with "
                         "the same Message-ID", id, row->msg.event_key, err);
        }
        else {
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, CMCAS_LOGNO(99)
                         "e-mail %" APR_INT64_T_FMT " (%s, %s) sent to household %"
                         APR_INT64_T_FMT, id, row->msg.kind, row->msg.event_key,
                         row->msg.household_id);
            ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, CMCAS_LOGNO(299)
                         "outbox %" APR_INT64_T_FMT " (%s) marked sent after %d attempt(s)",
                         id, row->msg.kind, row->attempts);
        }
        mod_cmcas_job_close(s, &st, dbd);
        return;
    }
    wait = cmcas_outbox_store_backoff(row->attempts, apr_time_sec(
                                          mod_cmcas_config_mail_interval()));
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, CMCAS_LOGNO(98)
                 "e-mail %" APR_INT64_T_FMT " (%s, %s) to household %" APR_INT64_T_FMT
                 " not sent, attempt %d: %s; next attempt in %" APR_INT64_T_FMT " s", id,
                 row->msg.kind, row->msg.event_key, row->msg.household_id, row->attempts,
                 why, wait);
    if (APR_SUCCESS != cmcas_outbox_store_retry(&st, p, id, apr_time_sec(apr_time_now())
                                                + wait, why, &err)
        && !mod_cmcas_job_lost(&run, err)) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(107)
                     "e-mail %" APR_INT64_T_FMT " not rescheduled (%s): tried again when "
                     "its claim runs out", id, err);
    }
    mod_cmcas_job_close(s, &st, dbd);
}

/* ------------------------------------------------------------------------------- */
/* The job */

/* Whether this server delivers now: the lease 'mail' (sql/sqlite/012_outbox.sql) lasts
 * three intervals, as the expiry job's. */
static int mod_cmcas_mail_claim(mod_cmcas_job_run_t *run)
{
    server_rec *s = run->s;
    cmcas_store_t *st = run->st;
    apr_pool_t *p = run->p;
    apr_int64_t seconds = apr_time_sec(mod_cmcas_config_mail_interval());
    apr_int64_t now = apr_time_sec(apr_time_now()), until = 0;
    const char *before = NULL, *err = NULL;
    int mine = 0;

    if (APR_SUCCESS != cmcas_job_store_holder(&before, &until, st, p, "mail", &err)
        || APR_SUCCESS != cmcas_job_store_claim(&mine, st, p, "mail", mod_cmcas_mail_owner,
                                                now, 3 * seconds, &err)) {
        if (!mod_cmcas_job_lost(run, err)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(103)
                         "e-mails not sent: cannot claim their job in the database (%s)",
                         err);
        }
        return 0;
    }
    if (!before) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(108)
                     "e-mails not sent: the table cmcas_job has no row 'mail'; is the "
                     "schema at version 12? (sql/sqlite/012_outbox.sql)");
    }
    else if (mine && strcmp(before, mod_cmcas_mail_owner)) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, CMCAS_LOGNO(104)
                     "this server (%s) now sends the e-mails%s%s", mod_cmcas_mail_owner,
                     *before ? ", after " : "", before);
    }
    return mine;
}

static void mod_cmcas_mail_job(server_rec *s, apr_pool_t *p)
{
    apr_array_header_t *due = NULL;
    const char *err = NULL;
    mod_cmcas_job_run_t run;
    cmcas_store_t st;
    ap_dbd_t *dbd;
    int i, mine;

    if (!(dbd = mod_cmcas_mail_open(&run, s, p, &st))) {
        return;
    }
    mine = mod_cmcas_mail_claim(&run);
    if (mine && APR_SUCCESS != cmcas_outbox_store_due(&due, &st, p,
                                                      apr_time_sec(apr_time_now()),
                                                      MOD_CMCAS_MAIL_BATCH, &err)
        && !mod_cmcas_job_lost(&run, err)) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(100)
                     "e-mails not sent this time: %s", err);
    }
    mod_cmcas_job_close(s, &st, dbd);
    ap_log_error(APLOG_MARK, APLOG_TRACE1, 0, s, CMCAS_LOGNO(295)
                 "e-mail job ran: %s, %d message(s) due", mine ? "this server's" : "not ours",
                 due ? due->nelts : 0);
    /* A stopping child sends no more: the next run (this child's successor) does. */
    for (i = 0; due && i < due->nelts && !mod_cmcas_job_child_stopping(); i++) {
        apr_pool_t *one;
        apr_pool_create(&one, p);
        mod_cmcas_mail_one(s, one, APR_ARRAY_IDX(due, i, apr_int64_t));
        apr_pool_destroy(one);
    }
}

int mod_cmcas_mail_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                               server_rec *s)
{
    server_rec *portal = mod_cmcas_config_job_server();

    (void)plog;
    (void)ptemp;
    if (!portal || ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    if (!mod_cmcas_config_mail_argv(NULL)) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, CMCAS_LOGNO(96)
                     "no CMCASMailCommand: the members' e-mails are kept in the outbox "
                     "(table cmcas_outbox) and none is sent by this server");
        return OK;
    }
    mod_cmcas_mail_owner = mod_cmcas_job_owner(pconf);
    /* Its own watchdog thread: a slow command never delays the expiry job. */
    if (APR_SUCCESS != mod_cmcas_job_start(pconf, "cmcas-mail",
                                           mod_cmcas_config_mail_interval(), portal,
                                           mod_cmcas_mail_job)) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s, CMCAS_LOGNO(102)
                     "cannot start the job that sends the e-mails (mod_watchdog)");
        return !OK;
    }
    return OK;
}
