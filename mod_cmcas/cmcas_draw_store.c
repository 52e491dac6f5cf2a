#include <stdlib.h>
#include <apr_strings.h>

#include "cmcas_draw_store.h"
#include "cmcas_date.h"
#include "cmcas_draw.h"

const cmcas_store_stmt_t cmcas_draw_store_statements[] = {
    /* The requests holding places, locked before the activity's row: a member's or
     * staff's change locks its registration, then gives places back to the activity.
     * Taken the other way round, a draw and a cancellation each wait for the other
     * (PostgreSQL rolls one back). A request holding no places never needs the
     * activity. */
    {"cmcas_draw_lock_held",
     "UPDATE registration SET places_held = places_held WHERE activity_id = %lld"
     " AND status = 'validee' AND places_held > 0"},
    /* The claim is the transaction's first write to the activity: it locks its row, and
     * a second server's claim waits for it, then reads the condition again
     * (PostgreSQL) or waits for the writer (SQLite), and finds the draw done. */
    {"cmcas_draw_claim",
     "UPDATE activity SET draw_done_at = %s WHERE id = %lld AND mode = 'tour_de_role'"
     " AND draw_published_at IS NULL AND (draw_done_at IS NULL OR %s = '1')"},
    {"cmcas_draw_reset_places",
     "UPDATE activity SET places_taken = places_taken -"
     " (SELECT COALESCE(SUM(places_held), 0) FROM registration"
     "  WHERE activity_id = %lld AND selection = 'retenue' AND status = 'validee')"
     " WHERE id = %lld"},
    {"cmcas_draw_reset_requests",
     "UPDATE registration SET selection = NULL, draw_rank = NULL, draw_history = NULL,"
     " draw_coefficient = NULL, draw_tiebreak = NULL, draw_persons = NULL, pay_by = NULL,"
     " places_held = 0 WHERE activity_id = %lld AND status = 'validee'"
     " AND selection IN ('retenue', 'attente', 'non_retenue')"},
    {"cmcas_draw_requests",
     "SELECT r.id, r.household_id, h.cmcas_code, h.coefficient FROM registration r"
     " JOIN household h ON h.id = r.household_id"
     " WHERE r.activity_id = %lld AND r.status = 'validee' AND r.selection IS NULL"
     " ORDER BY r.id"},
    {"cmcas_draw_history",
     "SELECT r.id, a2.start_date FROM registration r"
     " JOIN registration r2 ON r2.household_id = r.household_id AND r2.status = 'payee'"
     "  AND r2.activity_id <> r.activity_id"
     " JOIN activity a2 ON a2.id = r2.activity_id"
     " WHERE r.activity_id = %lld AND r.status = 'validee' AND r.selection IS NULL"
     " AND a2.mode = 'tour_de_role' AND a2.cmcas_code = %s AND a2.start_date > %s"
     " ORDER BY r.id, a2.start_date"},
    {"cmcas_draw_decide",
     "UPDATE registration SET selection = %s, draw_rank = %d, draw_history = %lf,"
     " draw_coefficient = NULLIF(%d, -1), draw_tiebreak = %s, draw_persons = %d,"
     " places_held = %d WHERE id = %lld AND status = 'validee'"},
    {"cmcas_draw_take",
     "UPDATE activity SET places_taken = places_taken + %d WHERE id = %lld"
     " AND places_taken + %d <= capacity"},
    {"cmcas_draw_publish",
     "UPDATE activity SET draw_published_at = %s WHERE id = %lld"
     " AND draw_done_at IS NOT NULL AND draw_published_at IS NULL"},
    {"cmcas_draw_places", "UPDATE activity SET draw_places = %d WHERE id = %lld"},
    /* What anyone needs to run the draw again (no names): its published data. */
    {"cmcas_draw_data",
     "SELECT id, draw_persons, CASE WHEN selection = 'non_retenue' THEN 0 ELSE 1 END,"
     " draw_coefficient, draw_history, draw_rank FROM registration"
     " WHERE activity_id = %lld AND draw_rank IS NOT NULL ORDER BY id"},
    {"cmcas_draw_pay_by", "UPDATE registration SET pay_by = %s WHERE id = %lld"},
    {"cmcas_draw_select", "UPDATE registration SET selection = %s WHERE id = %lld"},
    {"cmcas_draw_promote",
     "UPDATE registration SET selection = 'retenue', places_held = draw_persons,"
     " pay_by = %s WHERE id = %lld AND selection = 'attente' AND status = 'validee'"},
    {"cmcas_draw_drawn",
     "SELECT id, household_id, selection, draw_persons FROM registration"
     " WHERE activity_id = %lld AND status = 'validee' AND selection IS NOT NULL"
     " ORDER BY draw_rank, id"},
    {"cmcas_draw_due",
     "SELECT id, cmcas_code FROM activity WHERE mode = 'tour_de_role' AND draw_done_at IS NULL"
     " AND published_at IS NOT NULL AND closing_date < %s ORDER BY closing_date, id"
     " LIMIT 20"},
    {"cmcas_draw_waiting",
     "SELECT DISTINCT r.activity_id, a.cmcas_code FROM registration r"
     " JOIN activity a ON a.id = r.activity_id"
     " WHERE r.selection = 'attente' AND r.status = 'validee'"
     " AND a.draw_published_at IS NOT NULL AND a.places_taken < a.capacity"
     " AND a.start_date > %s ORDER BY r.activity_id LIMIT 50"},
    {"cmcas_draw_unpaid",
     "SELECT r.activity_id, r.household_id FROM registration r"
     " WHERE r.selection = 'retenue' AND r.status = 'validee' AND r.pay_by < %s"
     " AND NOT EXISTS (SELECT 1 FROM cmcas_order o WHERE o.registration_id = r.id"
     "  AND o.status IN ('attente_cmcas', 'attente_cb', 'payee'))"
     " ORDER BY r.id LIMIT 50"},
    {NULL, NULL}
};

apr_status_t cmcas_draw_store_claim(int *pmine, const cmcas_store_t *st, apr_pool_t *p,
                                    apr_int64_t activity_id, const char *now, int rerun,
                                    const char **perr)
{
    const char *args[3];

    args[0] = now;
    args[1] = cmcas_store_num(p, activity_id);
    args[2] = rerun ? "1" : "0";
    return cmcas_store_exec_one(pmine, st, p, "cmcas_draw_claim", perr, 3, args);
}

apr_status_t cmcas_draw_store_lock_held(const cmcas_store_t *st, apr_pool_t *p,
                                        apr_int64_t activity_id, const char **perr)
{
    const char *id = cmcas_store_num(p, activity_id);
    return cmcas_store_exec(NULL, st, p, "cmcas_draw_lock_held", perr, 1, &id);
}

apr_status_t cmcas_draw_store_reset(const cmcas_store_t *st, apr_pool_t *p,
                                    apr_int64_t activity_id, const char **perr)
{
    const char *args[2];
    apr_status_t rv;

    args[0] = args[1] = cmcas_store_num(p, activity_id);
    rv = cmcas_store_exec(NULL, st, p, "cmcas_draw_reset_places", perr, 2, args);
    return APR_SUCCESS == rv
        ? cmcas_store_exec(NULL, st, p, "cmcas_draw_reset_requests", perr, 1, args) : rv;
}

static void cmcas_draw_store_read_request(void *elt, cmcas_store_cursor_t *cur,
                                          apr_dbd_row_t *row)
{
    cmcas_draw_store_request_t *r = elt;
    r->registration_id = cmcas_store_int(cur, row, 0);
    r->household_id = cmcas_store_int(cur, row, 1);
    r->household_cmcas = cmcas_store_str(cur, row, 2);
    r->coefficient = cmcas_store_int_or(cur, row, 3, -1);
}

apr_status_t cmcas_draw_store_requests(apr_array_header_t **preqs, const cmcas_store_t *st,
                                       apr_pool_t *p, apr_int64_t activity_id,
                                       const char **perr)
{
    const char *id = cmcas_store_num(p, activity_id);
    return cmcas_store_all(preqs, st, p, "cmcas_draw_requests", 1, &id,
                           sizeof(cmcas_draw_store_request_t),
                           cmcas_draw_store_read_request, perr);
}

static void cmcas_draw_store_read_obtained(void *elt, cmcas_store_cursor_t *cur,
                                           apr_dbd_row_t *row)
{
    apr_int64_t *pair = elt;
    cmcas_date_t d;

    pair[0] = cmcas_store_int(cur, row, 0);
    pair[1] = APR_SUCCESS == cmcas_date_parse_iso(&d, cmcas_store_str(cur, row, 1))
        ? cmcas_date_to_days(&d) : 0;
}

apr_status_t cmcas_draw_store_history(apr_array_header_t **ppairs, const cmcas_store_t *st,
                                      apr_pool_t *p, apr_int64_t activity_id,
                                      const char *cmcas_code, const char *since,
                                      const char **perr)
{
    const char *args[3];

    args[0] = cmcas_store_num(p, activity_id);
    args[1] = cmcas_code;
    args[2] = since;
    return cmcas_store_all(ppairs, st, p, "cmcas_draw_history", 3, args,
                           (int)sizeof(apr_int64_t) * 2, cmcas_draw_store_read_obtained,
                           perr);
}

apr_status_t cmcas_draw_store_decide(const cmcas_store_t *st, apr_pool_t *p,
                                     apr_int64_t registration_id, const char *selection,
                                     int rank, double history, int coefficient,
                                     const char *tiebreak, int persons, int places_held,
                                     const char **perr)
{
    const char *args[8];
    int one = 0;
    apr_status_t rv;

    args[0] = selection;
    args[1] = apr_itoa(p, rank);
    args[2] = apr_psprintf(p, "%.6f", history);
    args[3] = apr_itoa(p, coefficient);
    args[4] = tiebreak;
    args[5] = apr_itoa(p, persons);
    args[6] = apr_itoa(p, places_held);
    args[7] = cmcas_store_num(p, registration_id);
    rv = cmcas_store_exec_one(&one, st, p, "cmcas_draw_decide", perr, 8, args);
    if (APR_SUCCESS == rv && !one) {
        *perr = apr_psprintf(p, "registration %" APR_INT64_T_FMT " changed during the draw",
                             registration_id);
        return APR_EGENERAL;
    }
    return rv;
}

apr_status_t cmcas_draw_store_take(int *ptaken, const cmcas_store_t *st, apr_pool_t *p,
                                   apr_int64_t activity_id, int n, const char **perr)
{
    const char *args[3];

    args[0] = args[2] = apr_itoa(p, n);
    args[1] = cmcas_store_num(p, activity_id);
    return cmcas_store_exec_one(ptaken, st, p, "cmcas_draw_take", perr, 3, args);
}

apr_status_t cmcas_draw_store_publish(int *pdone, const cmcas_store_t *st, apr_pool_t *p,
                                      apr_int64_t activity_id, const char *now,
                                      const char **perr)
{
    const char *args[2];

    args[0] = now;
    args[1] = cmcas_store_num(p, activity_id);
    return cmcas_store_exec_one(pdone, st, p, "cmcas_draw_publish", perr, 2, args);
}

static apr_status_t cmcas_draw_store_set(const cmcas_store_t *st, apr_pool_t *p,
                                         const char *label, apr_int64_t registration_id,
                                         const char *value, const char **perr)
{
    const char *args[2];
    args[0] = value;
    args[1] = cmcas_store_num(p, registration_id);
    return cmcas_store_exec(NULL, st, p, label, perr, 2, args);
}

apr_status_t cmcas_draw_store_pay_by(const cmcas_store_t *st, apr_pool_t *p,
                                     apr_int64_t registration_id, const char *date,
                                     const char **perr)
{
    return cmcas_draw_store_set(st, p, "cmcas_draw_pay_by", registration_id, date, perr);
}

apr_status_t cmcas_draw_store_select(const cmcas_store_t *st, apr_pool_t *p,
                                     apr_int64_t registration_id, const char *selection,
                                     const char **perr)
{
    return cmcas_draw_store_set(st, p, "cmcas_draw_select", registration_id, selection,
                                perr);
}

static void cmcas_draw_store_read_drawn(void *elt, cmcas_store_cursor_t *cur,
                                        apr_dbd_row_t *row)
{
    cmcas_draw_store_drawn_t *d = elt;
    d->registration_id = cmcas_store_int(cur, row, 0);
    d->household_id = cmcas_store_int(cur, row, 1);
    d->selection = cmcas_store_str(cur, row, 2);
    d->persons = cmcas_store_int(cur, row, 3);
}

apr_status_t cmcas_draw_store_drawn(apr_array_header_t **prows, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t activity_id,
                                    const char **perr)
{
    const char *id = cmcas_store_num(p, activity_id);
    return cmcas_store_all(prows, st, p, "cmcas_draw_drawn", 1, &id,
                           sizeof(cmcas_draw_store_drawn_t), cmcas_draw_store_read_drawn,
                           perr);
}

static void cmcas_draw_store_read_due(void *elt, cmcas_store_cursor_t *cur,
                                      apr_dbd_row_t *row)
{
    cmcas_draw_store_due_t *d = elt;
    d->activity_id = cmcas_store_int(cur, row, 0);
    d->cmcas_code = cmcas_store_str(cur, row, 1);
}

apr_status_t cmcas_draw_store_due(apr_array_header_t **pdue, const cmcas_store_t *st,
                                  apr_pool_t *p, const char *today, const char **perr)
{
    return cmcas_store_all(pdue, st, p, "cmcas_draw_due", 1, &today,
                           sizeof(cmcas_draw_store_due_t), cmcas_draw_store_read_due, perr);
}

apr_status_t cmcas_draw_store_waiting(apr_array_header_t **pdue, const cmcas_store_t *st,
                                      apr_pool_t *p, const char *today, const char **perr)
{
    return cmcas_store_all(pdue, st, p, "cmcas_draw_waiting", 1, &today,
                           sizeof(cmcas_draw_store_due_t), cmcas_draw_store_read_due, perr);
}

apr_status_t cmcas_draw_store_unpaid(apr_array_header_t **pkeys, const cmcas_store_t *st,
                                     apr_pool_t *p, const char *today, const char **perr)
{
    return cmcas_store_all(pkeys, st, p, "cmcas_draw_unpaid", 1, &today,
                           (int)sizeof(apr_int64_t) * 2, cmcas_store_read_pair, perr);
}

apr_status_t cmcas_draw_store_promote(int *pdone, const cmcas_store_t *st, apr_pool_t *p,
                                      apr_int64_t registration_id, const char *pay_by,
                                      const char **perr)
{
    const char *args[2];

    args[0] = pay_by;
    args[1] = cmcas_store_num(p, registration_id);
    return cmcas_store_exec_one(pdone, st, p, "cmcas_draw_promote", perr, 2, args);
}

apr_status_t cmcas_draw_store_places(const cmcas_store_t *st, apr_pool_t *p,
                                     apr_int64_t activity_id, int places, const char **perr)
{
    const char *args[2];
    args[0] = apr_itoa(p, places);
    args[1] = cmcas_store_num(p, activity_id);
    return cmcas_store_exec(NULL, st, p, "cmcas_draw_places", perr, 2, args);
}

static void cmcas_draw_store_read_data(void *elt, cmcas_store_cursor_t *cur,
                                       apr_dbd_row_t *row)
{
    cmcas_draw_entry_t *e = elt;
    const char *history = cmcas_store_str(cur, row, 4);

    e->registration_id = cmcas_store_int(cur, row, 0);
    e->persons = (int)cmcas_store_int(cur, row, 1);
    e->eligible = cmcas_store_int(cur, row, 2) != 0;
    e->coefficient = (int)cmcas_store_int_or(cur, row, 3, -1);
    e->history = history ? atof(history) : 0;
    e->rank = (int)cmcas_store_int(cur, row, 5);
}

apr_status_t cmcas_draw_store_data(apr_array_header_t **pentries, const cmcas_store_t *st,
                                   apr_pool_t *p, apr_int64_t activity_id,
                                   const char **perr)
{
    const char *id = cmcas_store_num(p, activity_id);
    return cmcas_store_all(pentries, st, p, "cmcas_draw_data", 1, &id,
                           sizeof(cmcas_draw_entry_t), cmcas_draw_store_read_data, perr);
}
