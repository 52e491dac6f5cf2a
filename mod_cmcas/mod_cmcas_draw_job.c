#include "mod_cmcas_private.h"

#include <apr_strings.h>
#include <http_log.h>

#include "mod_cmcas_config.h"
#include "mod_cmcas_draw_job.h"
#include "cmcas_date.h"
#include "cmcas_draw_change.h"
#include "cmcas_draw_store.h"
#include "cmcas_status_store.h"

/* Selected requests whose pay-by date passed: released (the waiting lists follow). */
static void mod_cmcas_draw_job_unpaid(mod_cmcas_job_run_t *run, const char *today)
{
    server_rec *s = run->s;
    cmcas_store_t *st = run->st;
    apr_pool_t *p = run->p;
    apr_array_header_t *keys = NULL;
    const char *err = NULL;
    int i;

    if (APR_SUCCESS != cmcas_draw_store_unpaid(&keys, st, p, today, &err)) {
        if (!mod_cmcas_job_lost(run, err)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(112)
                         "selected requests not paid in time not checked: %s", err);
        }
        return;
    }
    for (i = 0; i < keys->nelts && !run->lost; i++) {
        const apr_int64_t *key = (apr_int64_t *)keys->elts + 2 * i;
        cmcas_result_t res;
        int released = 0;
        cmcas_draw_change_release(&res, &released, st, p, apr_time_now(), key[0], key[1]);
        if (res.kind != CMCAS_RESULT_DONE) {
            if (!mod_cmcas_job_lost(run, res.err)) {
                ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(113)
                             "cannot release an unpaid selected request: %s", res.err);
            }
        }
        else if (released) {
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, CMCAS_LOGNO(114)
                         "selected request of household %" APR_INT64_T_FMT " for activity %"
                         APR_INT64_T_FMT " not paid in time: released", key[1], key[0]);
        }
    }
}

/* The draws whose closing date has passed, each drawn and published at once. */
static void mod_cmcas_draw_job_draws(mod_cmcas_job_run_t *run, const char *today)
{
    server_rec *s = run->s;
    cmcas_store_t *st = run->st;
    apr_pool_t *p = run->p;
    apr_array_header_t *ids = NULL;
    const char *err = NULL;
    int i;

    if (APR_SUCCESS != cmcas_draw_store_due(&ids, st, p, today, &err)) {
        if (!mod_cmcas_job_lost(run, err)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(115)
                         "« tour de rôle » draws not checked: %s", err);
        }
        return;
    }
    for (i = 0; i < ids->nelts && !run->lost; i++) {
        const cmcas_draw_store_due_t *due = &APR_ARRAY_IDX(ids, i, cmcas_draw_store_due_t);
        apr_int64_t id = due->activity_id;
        cmcas_draw_change_rules_t rules;
        cmcas_result_t res;
        int drawn = 0, counts[3] = {-1, -1, -1};
        mod_cmcas_config_draw_rules(due->cmcas_code, &rules);
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, CMCAS_LOGNO(292)
                     "draw of activity %" APR_INT64_T_FMT " (CMCAS %s) started, %d of %d "
                     "due this run", id, due->cmcas_code, i + 1, ids->nelts);
        cmcas_draw_change_run(&res, &drawn, st, p, apr_time_now(), "tirage", id, &rules,
                              1, 0);
        /* The counts cost a query: only when the line is written. */
        if (APLOG_IS_LEVEL(s, APLOG_DEBUG)
            && (!drawn || APR_SUCCESS != cmcas_status_store_draw_counts(counts, st, p, id,
                                                                        &err))) {
            counts[0] = counts[1] = counts[2] = -1;
        }
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, CMCAS_LOGNO(293)
                     "draw of activity %" APR_INT64_T_FMT " finished: %s (selected %d, "
                     "waiting %d, not selected %d)", id,
                     res.kind == CMCAS_RESULT_ERROR ? "failed" : drawn ? "drawn and published"
                                                                       : "nothing to draw",
                     counts[0], counts[1], counts[2]);
        if (res.kind == CMCAS_RESULT_ERROR) {
            if (!mod_cmcas_job_lost(run, res.err)) {
                ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(116)
                             "draw of activity %" APR_INT64_T_FMT " failed, nothing of it "
                             "kept (tried again at the next run): %s", id, res.err);
            }
        }
        else if (drawn) {
            ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, CMCAS_LOGNO(117)
                         "activity %" APR_INT64_T_FMT " drawn, results published", id);
        }
    }
}

/* Places free in published draws: to their waiting lists. */
static void mod_cmcas_draw_job_fill(mod_cmcas_job_run_t *run, const char *today)
{
    server_rec *s = run->s;
    cmcas_store_t *st = run->st;
    apr_pool_t *p = run->p;
    apr_array_header_t *ids = NULL;
    const char *err = NULL;
    int i;

    if (APR_SUCCESS != cmcas_draw_store_waiting(&ids, st, p, today, &err)) {
        if (!mod_cmcas_job_lost(run, err)) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(118)
                         "waiting lists not checked: %s", err);
        }
        return;
    }
    for (i = 0; i < ids->nelts && !run->lost; i++) {
        const cmcas_draw_store_due_t *due = &APR_ARRAY_IDX(ids, i, cmcas_draw_store_due_t);
        apr_int64_t id = due->activity_id;
        cmcas_draw_change_rules_t rules;
        cmcas_result_t res;
        int promoted = 0;
        mod_cmcas_config_draw_rules(due->cmcas_code, &rules);
        cmcas_draw_change_fill(&res, &promoted, st, p, apr_time_now(), id, &rules);
        if (res.kind != CMCAS_RESULT_DONE) {
            if (!mod_cmcas_job_lost(run, res.err)) {
                ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, CMCAS_LOGNO(119)
                             "waiting list of activity %" APR_INT64_T_FMT " not moved: %s",
                             id, res.err);
            }
        }
        else if (promoted) {
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, CMCAS_LOGNO(120)
                         "activity %" APR_INT64_T_FMT ": %d request(s) promoted from the "
                         "waiting list", id, promoted);
        }
    }
}

void mod_cmcas_draw_job_work(mod_cmcas_job_run_t *run)
{
    cmcas_date_t today;
    const char *iso;

    cmcas_date_today(&today, apr_time_now());
    iso = cmcas_date_iso(run->p, &today);
    mod_cmcas_draw_job_unpaid(run, iso);
    if (!run->lost) {
        mod_cmcas_draw_job_draws(run, iso);
    }
    if (!run->lost) {
        mod_cmcas_draw_job_fill(run, iso);
    }
}
