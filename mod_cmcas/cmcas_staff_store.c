#include <apr_strings.h>

#include "cmcas_staff_store.h"

/* "Waiting for payment": validated and, for a « tour de rôle », selected. */
#define CMCAS_STAFF_STORE_TO_PAY \
    "r.status = 'validee' AND (a.mode = 'immediat' OR r.selection = 'retenue')"

const cmcas_store_stmt_t cmcas_staff_store_statements[] = {
    {"cmcas_staff_by_login",
     "SELECT login, cmcas_code, name FROM cmcas_staff WHERE login = %s"},
    {"cmcas_staff_activities",
     "SELECT a.id, a.title, a.theme, a.start_date, a.end_date, a.closing_date,"
     " a.capacity, a.places_taken, a.published_at, a.mode, a.draw_done_at,"
     " a.draw_published_at,"
     " (SELECT COUNT(*) FROM registration r WHERE r.activity_id = a.id"
     "   AND r.status IN ('validee', 'payee')),"
     " (SELECT COUNT(*) FROM registration r WHERE r.activity_id = a.id"
     "   AND " CMCAS_STAFF_STORE_TO_PAY ")"
     " FROM activity a WHERE a.cmcas_code = %s"
     " ORDER BY a.start_date DESC, a.id DESC"},
    {"cmcas_staff_counts",
     "SELECT"
     " (SELECT COUNT(*) FROM registration r JOIN activity a ON a.id = r.activity_id"
     "   WHERE a.cmcas_code = %s AND " CMCAS_STAFF_STORE_TO_PAY "),"
     " (SELECT COUNT(*) FROM cmcas_order o WHERE o.cmcas_code = %s"
     "   AND o.status = 'attente_cmcas'),"
     " (SELECT COUNT(*) FROM cmcas_order o WHERE o.cmcas_code = %s"
     "   AND o.status = 'a_rembourser' AND o.refunded_at IS NULL),"
     " (SELECT COUNT(*) FROM activity a WHERE a.cmcas_code = %s"
     "   AND a.mode = 'tour_de_role' AND a.published_at IS NOT NULL"
     "   AND a.closing_date < %s AND a.draw_done_at IS NULL),"
     " (SELECT COUNT(*) FROM activity a WHERE a.cmcas_code = %s"
     "   AND a.draw_done_at IS NOT NULL AND a.draw_published_at IS NULL)"},
    {NULL, NULL}
};

apr_status_t cmcas_staff_store_by_login(cmcas_staff_t **pstaff, const cmcas_store_t *st,
                                        apr_pool_t *p, const char *login,
                                        const char **perr)
{
    cmcas_store_cursor_t cur;
    cmcas_staff_t *staff = NULL;
    apr_dbd_row_t *row;
    apr_status_t rv;

    *pstaff = NULL;
    rv = cmcas_store_select(&cur, st, p, "cmcas_staff_by_login", perr, 1, &login);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        if (!staff) {
            staff = apr_pcalloc(p, sizeof(*staff));
            staff->login = cmcas_store_str(&cur, row, 0);
            staff->cmcas_code = cmcas_store_str(&cur, row, 1);
            staff->name = cmcas_store_str(&cur, row, 2);
        }
    }
    *pstaff = staff;
    return staff ? APR_SUCCESS : APR_NOTFOUND;
}

static void cmcas_staff_store_read_activity(void *elt, cmcas_store_cursor_t *cur,
                                            apr_dbd_row_t *row)
{
    cmcas_staff_store_activity_t *a = elt;

    a->id = cmcas_store_int(cur, row, 0);
    a->title = cmcas_store_str(cur, row, 1);
    a->theme = cmcas_store_str(cur, row, 2);
    a->start_date = cmcas_store_str(cur, row, 3);
    a->end_date = cmcas_store_str(cur, row, 4);
    a->closing_date = cmcas_store_str(cur, row, 5);
    a->capacity = cmcas_store_int(cur, row, 6);
    a->places_taken = cmcas_store_int(cur, row, 7);
    a->published_at = cmcas_store_str(cur, row, 8);
    a->mode = cmcas_store_str(cur, row, 9);
    a->draw_done_at = cmcas_store_str(cur, row, 10);
    a->draw_published_at = cmcas_store_str(cur, row, 11);
    a->registrations = cmcas_store_int(cur, row, 12);
    a->awaiting_payment = cmcas_store_int(cur, row, 13);
}

apr_status_t cmcas_staff_store_activities(apr_array_header_t **pacts,
                                          const cmcas_store_t *st, apr_pool_t *p,
                                          const char *cmcas_code, const char **perr)
{
    return cmcas_store_all(pacts, st, p, "cmcas_staff_activities", 1, &cmcas_code,
                           sizeof(cmcas_staff_store_activity_t),
                           cmcas_staff_store_read_activity, perr);
}

apr_status_t cmcas_staff_store_counts(cmcas_staff_store_counts_t *counts,
                                      const cmcas_store_t *st, apr_pool_t *p,
                                      const char *cmcas_code, const char *today,
                                      const char **perr)
{
    const char *args[6] = {cmcas_code, cmcas_code, cmcas_code, cmcas_code, today,
                           cmcas_code};
    cmcas_store_cursor_t cur;
    apr_dbd_row_t *row;
    apr_status_t rv;

    memset(counts, 0, sizeof(*counts));
    rv = cmcas_store_select(&cur, st, p, "cmcas_staff_counts", perr, 6, args);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        counts->awaiting_payment = cmcas_store_int(&cur, row, 0);
        counts->desk_orders = cmcas_store_int(&cur, row, 1);
        counts->to_refund = cmcas_store_int(&cur, row, 2);
        counts->draws_to_run = cmcas_store_int(&cur, row, 3);
        counts->draws_to_publish = cmcas_store_int(&cur, row, 4);
    }
    return APR_SUCCESS;
}
