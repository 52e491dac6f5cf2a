#include <string.h>

#include "cmcas_status_store.h"

/* Counts per CMCAS as the back-office counts them (cmcas_staff_counts), so that the
 * two pages agree. */
const cmcas_store_stmt_t cmcas_status_store_statements[] = {
    {"cmcas_status_store_schema", "SELECT MAX(version) FROM cmcas_schema_version"},
    {"cmcas_status_store_jobs",
     "SELECT name, owner, lease_until FROM cmcas_job ORDER BY name"},
    {"cmcas_status_store_cmcas",
     "SELECT c.code,"
     " (SELECT COUNT(*) FROM cmcas_order o WHERE o.cmcas_code = c.code"
     "   AND o.status = 'attente_cmcas'),"
     " (SELECT COUNT(*) FROM cmcas_order o WHERE o.cmcas_code = c.code"
     "   AND o.status = 'a_rembourser' AND o.refunded_at IS NULL),"
     " (SELECT COUNT(*) FROM activity a WHERE a.cmcas_code = c.code"
     "   AND a.mode = 'tour_de_role' AND a.published_at IS NOT NULL"
     "   AND a.closing_date < %s AND a.draw_done_at IS NULL),"
     " (SELECT COUNT(*) FROM cmcas_outbox x JOIN household h ON h.id = x.household_id"
     "   WHERE h.cmcas_code = c.code AND x.sent_at IS NULL),"
     " (SELECT COUNT(*) FROM cmcas_outbox x JOIN household h ON h.id = x.household_id"
     "   WHERE h.cmcas_code = c.code AND x.sent_at IS NULL AND x.last_error IS NOT NULL),"
     " (SELECT MAX(a.draw_done_at) FROM activity a WHERE a.cmcas_code = c.code),"
     " (SELECT MAX(e.at) FROM cmcas_order_event e JOIN cmcas_order o ON o.id = e.order_id"
     "   WHERE o.cmcas_code = c.code AND e.status = 'payee')"
     " FROM cmcas c ORDER BY c.code"},
    {"cmcas_status_store_draw_counts",
     "SELECT selection, COUNT(*) FROM registration WHERE activity_id = %lld"
     " AND selection IN ('retenue', 'attente', 'non_retenue') GROUP BY selection"},
    {NULL, NULL}
};

static void cmcas_status_store_read_job(void *elt, cmcas_store_cursor_t *cur,
                                        apr_dbd_row_t *row)
{
    cmcas_status_store_job_t *j = elt;
    j->name = cmcas_store_str(cur, row, 0);
    j->owner = cmcas_store_str(cur, row, 1);
    j->lease_until = cmcas_store_int(cur, row, 2);
    if (!j->owner) {
        j->owner = "";
    }
}

static void cmcas_status_store_read_cmcas(void *elt, cmcas_store_cursor_t *cur,
                                          apr_dbd_row_t *row)
{
    cmcas_status_store_cmcas_t *c = elt;
    c->code = cmcas_store_str(cur, row, 0);
    c->desk_orders = cmcas_store_int(cur, row, 1);
    c->refunds_due = cmcas_store_int(cur, row, 2);
    c->draws_due = cmcas_store_int(cur, row, 3);
    c->outbox_unsent = cmcas_store_int(cur, row, 4);
    c->outbox_failed = cmcas_store_int(cur, row, 5);
    c->last_draw = cmcas_store_str(cur, row, 6);
    c->last_payment = cmcas_store_str(cur, row, 7);
}

apr_status_t cmcas_status_store_read(cmcas_status_store_report_t *rep,
                                     const cmcas_store_t *st, apr_pool_t *p,
                                     const char *today, const char **perr)
{
    apr_array_header_t *versions = NULL;
    apr_status_t rv;

    memset(rep, 0, sizeof(*rep));
    rv = cmcas_store_all(&versions, st, p, "cmcas_status_store_schema", 0, NULL,
                         sizeof(apr_int64_t), cmcas_store_read_id, perr);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    if (versions->nelts) {
        rep->schema_version = APR_ARRAY_IDX(versions, 0, apr_int64_t);
    }
    rv = cmcas_store_all(&rep->jobs, st, p, "cmcas_status_store_jobs", 0, NULL,
                         sizeof(cmcas_status_store_job_t), cmcas_status_store_read_job,
                         perr);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    return cmcas_store_all(&rep->cmcas, st, p, "cmcas_status_store_cmcas", 1, &today,
                           sizeof(cmcas_status_store_cmcas_t),
                           cmcas_status_store_read_cmcas, perr);
}

apr_status_t cmcas_status_store_draw_counts(int counts[3], const cmcas_store_t *st,
                                            apr_pool_t *p, apr_int64_t activity_id,
                                            const char **perr)
{
    static const char *const names[3] = {"retenue", "attente", "non_retenue"};
    const char *arg = cmcas_store_num(p, activity_id), *sel;
    cmcas_store_cursor_t cur;
    apr_dbd_row_t *row;
    apr_status_t rv;
    int i;

    counts[0] = counts[1] = counts[2] = 0;
    rv = cmcas_store_select(&cur, st, p, "cmcas_status_store_draw_counts", perr, 1, &arg);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        sel = cmcas_store_str(&cur, row, 0);
        for (i = 0; sel && i < 3; i++) {
            if (!strcmp(sel, names[i])) {
                counts[i] = (int)cmcas_store_int(&cur, row, 1);
            }
        }
    }
    return APR_SUCCESS;
}
