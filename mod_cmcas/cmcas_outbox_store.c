#include <apr_strings.h>

#include "cmcas_outbox_store.h"
#include "cmcas_date.h"
#include "cmcas_mail.h"

const cmcas_store_stmt_t cmcas_outbox_store_statements[] = {
    /* The unique event key decides: a second message for one event is not written, and
     * the caller's transaction goes on (no error, on either engine). The casts: SQLite's
     * driver binds every value as text, and '0' is not 0. */
    {"cmcas_outbox_add",
     "INSERT INTO cmcas_outbox (event_key, kind, household_id, registration_id, order_id,"
     " detail, created_at) VALUES (%s, %s, %lld, NULLIF(CAST(%lld AS BIGINT), 0),"
     " NULLIF(CAST(%lld AS BIGINT), 0),"
     " NULLIF(%s, ''), %s) ON CONFLICT (event_key) DO NOTHING"},
    {"cmcas_outbox_due",
     "SELECT id FROM cmcas_outbox WHERE sent_at IS NULL AND next_attempt_at <= %lld"
     " AND claimed_until <= %lld ORDER BY next_attempt_at, id LIMIT %d"},
    /* One statement: of two servers claiming at once, the database lets one change the
     * row; the other's condition no longer holds (row count 0). */
    {"cmcas_outbox_claim",
     "UPDATE cmcas_outbox SET claimed_until = %lld, attempts = attempts + 1"
     " WHERE id = %lld AND sent_at IS NULL AND next_attempt_at <= %lld"
     " AND claimed_until <= %lld"},
    {"cmcas_outbox_get",
     "SELECT o.id, o.event_key, o.kind, o.household_id, o.registration_id, o.order_id,"
     " o.detail, o.attempts, h.email, h.cmcas_code, p.first_name, p.last_name,"
     " a.title, a.start_date, a.end_date, a.closing_date, c.reference, c.total,"
     " c.hold_until, c.cmcas_code, COALESCE(o.registration_id, c.registration_id)"
     " FROM cmcas_outbox o"
     " JOIN household h ON h.id = o.household_id"
     " LEFT JOIN person p ON p.household_id = h.id AND p.role = 'OD'"
     " LEFT JOIN cmcas_order c ON c.id = o.order_id"
     " LEFT JOIN registration r ON r.id = COALESCE(o.registration_id, c.registration_id)"
     " LEFT JOIN activity a ON a.id = r.activity_id"
     " WHERE o.id = %lld"},
    {"cmcas_outbox_sent",
     "UPDATE cmcas_outbox SET sent_at = %s, claimed_until = 0, last_error = NULL"
     " WHERE id = %lld AND sent_at IS NULL"},
    {"cmcas_outbox_retry",
     "UPDATE cmcas_outbox SET next_attempt_at = %lld, claimed_until = 0, last_error = %s"
     " WHERE id = %lld AND sent_at IS NULL"},
    {NULL, NULL}
};

apr_status_t cmcas_outbox_store_add(cmcas_store_t *st, apr_pool_t *p,
                                    const cmcas_outbox_message_t *m, const char **perr)
{
    const char *args[7], *why;

    if ((why = cmcas_mail_check(p, m->kind, m->detail))) {
        *perr = why;
        return APR_EINVAL;
    }
    if (m->household_id <= 0 || !m->event_key || !*m->event_key) {
        *perr = "a message needs a household and an event key";
        return APR_EINVAL;
    }
    args[0] = m->event_key;
    args[1] = m->kind;
    args[2] = cmcas_store_num(p, m->household_id);
    args[3] = cmcas_store_num(p, m->registration_id);
    args[4] = cmcas_store_num(p, m->order_id);
    args[5] = m->detail ? m->detail : "";
    args[6] = cmcas_date_stamp(p, apr_time_now());
    return cmcas_store_exec(NULL, st, p, "cmcas_outbox_add", perr, 7, args);
}

apr_status_t cmcas_outbox_store_event(cmcas_store_t *st, apr_pool_t *p, const char *kind,
                                      apr_int64_t household_id, apr_int64_t registration_id,
                                      apr_int64_t order_id, const char *detail,
                                      const char *instance, const char **perr)
{
    cmcas_outbox_message_t m;

    m.kind = kind;
    m.household_id = household_id;
    m.registration_id = registration_id;
    m.order_id = order_id;
    m.detail = detail;
    m.event_key = apr_psprintf(p, "%s:%" APR_INT64_T_FMT ":%" APR_INT64_T_FMT "%s%s", kind,
                               registration_id, order_id, instance ? ":" : "",
                               instance ? instance : "");
    return cmcas_outbox_store_add(st, p, &m, perr);
}

apr_status_t cmcas_outbox_store_due(apr_array_header_t **pids, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t now, int max,
                                    const char **perr)
{
    const char *args[3];

    args[0] = args[1] = cmcas_store_num(p, now);
    args[2] = apr_itoa(p, max);
    return cmcas_store_all(pids, st, p, "cmcas_outbox_due", 3, args, sizeof(apr_int64_t),
                           cmcas_store_read_id, perr);
}

apr_status_t cmcas_outbox_store_claim(int *pmine, const cmcas_store_t *st, apr_pool_t *p,
                                      apr_int64_t id, apr_int64_t now, apr_int64_t until,
                                      const char **perr)
{
    const char *args[4];

    args[0] = cmcas_store_num(p, until);
    args[1] = cmcas_store_num(p, id);
    args[2] = args[3] = cmcas_store_num(p, now);
    return cmcas_store_exec_one(pmine, st, p, "cmcas_outbox_claim", perr, 4, args);
}

apr_status_t cmcas_outbox_store_get(cmcas_outbox_store_row_t **prow, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t id, const char **perr)
{
    cmcas_store_cursor_t cur;
    cmcas_outbox_store_row_t *r = NULL;
    apr_dbd_row_t *row;
    const char *arg = cmcas_store_num(p, id);
    apr_status_t rv;

    *prow = NULL;
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, "cmcas_outbox_get", perr, 1,
                                                &arg))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        r = apr_pcalloc(p, sizeof(*r));
        r->id = cmcas_store_int(&cur, row, 0);
        r->msg.event_key = cmcas_store_str(&cur, row, 1);
        r->msg.kind = cmcas_store_str(&cur, row, 2);
        r->msg.household_id = cmcas_store_int(&cur, row, 3);
        r->msg.order_id = cmcas_store_int(&cur, row, 5);
        r->msg.detail = cmcas_store_str(&cur, row, 6);
        r->attempts = (int)cmcas_store_int(&cur, row, 7);
        r->email = cmcas_store_str(&cur, row, 8);
        r->cmcas_code = cmcas_store_str(&cur, row, 9);
        r->first_name = cmcas_store_str(&cur, row, 10);
        r->last_name = cmcas_store_str(&cur, row, 11);
        r->activity_title = cmcas_store_str(&cur, row, 12);
        r->activity_start = cmcas_store_str(&cur, row, 13);
        r->activity_end = cmcas_store_str(&cur, row, 14);
        r->activity_closing = cmcas_store_str(&cur, row, 15);
        r->order_reference = cmcas_store_str(&cur, row, 16);
        r->order_total = cmcas_store_int(&cur, row, 17);
        r->order_hold_until = cmcas_store_str(&cur, row, 18);
        r->order_cmcas_code = cmcas_store_str(&cur, row, 19);
        /* The order's registration when the message names only the order. */
        r->msg.registration_id = cmcas_store_int(&cur, row, 20);
    }
    if (!r) {
        *perr = "no such message";
        return APR_NOTFOUND;
    }
    *prow = r;
    return APR_SUCCESS;
}

apr_status_t cmcas_outbox_store_sent(const cmcas_store_t *st, apr_pool_t *p, apr_int64_t id,
                                     apr_time_t when, const char **perr)
{
    const char *args[2];

    args[0] = cmcas_date_stamp(p, when);
    args[1] = cmcas_store_num(p, id);
    return cmcas_store_exec(NULL, st, p, "cmcas_outbox_sent", perr, 2, args);
}

apr_status_t cmcas_outbox_store_retry(const cmcas_store_t *st, apr_pool_t *p, apr_int64_t id,
                                      apr_int64_t next, const char *why, const char **perr)
{
    const char *args[3];
    char *text = apr_pstrndup(p, why ? why : "", 500), *c;

    /* A command's own words may be any bytes: kept as printable ASCII (valid UTF-8). */
    for (c = text; *c; c++) {
        if ((unsigned char)*c < 32 || (unsigned char)*c > 126) {
            *c = (unsigned char)*c < 32 ? ' ' : '?';
        }
    }
    args[0] = cmcas_store_num(p, next);
    args[1] = text;
    args[2] = cmcas_store_num(p, id);
    return cmcas_store_exec(NULL, st, p, "cmcas_outbox_retry", perr, 3, args);
}

apr_int64_t cmcas_outbox_store_backoff(int attempts, apr_int64_t base)
{
    apr_int64_t delay = base > 0 ? base : 1;
    int i;

    for (i = 1; i < attempts && delay < 3600; i++) {
        delay *= 2;
    }
    return delay < 3600 ? delay : 3600;
}
