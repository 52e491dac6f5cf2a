#include <apr_strings.h>

#include "cmcas_order_store.h"
#include "cmcas_status.h"

#define CMCAS_ORDER_STORE_COLUMNS \
    "SELECT " CMCAS_ORDER_STORE_FIELDS \
    " FROM cmcas_order o JOIN registration r ON r.id = o.registration_id" \
    " JOIN activity a ON a.id = r.activity_id "

/* Orders that hold their registration's places (cmcas_status_order_holds). */
#define CMCAS_ORDER_STORE_HOLDING "('attente_cmcas', 'attente_cb', 'refusee')"

const cmcas_store_stmt_t cmcas_order_store_statements[] = {
    /* An adjustment of a paid registration (014_order_adjustment.sql) is not the
     * registration's payment. */
    {"cmcas_ord_waiting",
     "SELECT reference FROM cmcas_order WHERE registration_id = %lld"
     " AND status IN ('attente_cmcas', 'attente_cb') AND adjustment = 0"},
    {"cmcas_ord_adjustment_waiting",
     "SELECT reference FROM cmcas_order WHERE registration_id = %lld"
     " AND status IN ('attente_cmcas', 'attente_cb') AND adjustment = 1"},
    {"cmcas_ord_holding",
     CMCAS_ORDER_STORE_COLUMNS "WHERE o.registration_id = %lld"
     " AND o.status IN " CMCAS_ORDER_STORE_HOLDING " ORDER BY o.id"},
    {"cmcas_ord_paid",
     CMCAS_ORDER_STORE_COLUMNS "WHERE o.registration_id = %lld AND o.status = 'payee'"
     " ORDER BY o.id"},
    {"cmcas_ord_of_activity",
     CMCAS_ORDER_STORE_COLUMNS "WHERE r.activity_id = %lld AND o.cmcas_code = %s"
     " ORDER BY o.registration_id, o.id"},
    {"cmcas_ord_ref_used", "SELECT id FROM cmcas_order WHERE reference = %s"},
    {"cmcas_ord_get", CMCAS_ORDER_STORE_COLUMNS "WHERE o.reference = %s AND o.household_id = %lld"},
    {"cmcas_ord_by_ref", CMCAS_ORDER_STORE_COLUMNS "WHERE o.reference = %s"},
    /* Orders whose hold ran out, oldest first, a batch at a time. An adjustment holds
     * nothing: its paid registration never ends for it. */
    {"cmcas_ord_expired",
     CMCAS_ORDER_STORE_COLUMNS "WHERE o.status IN " CMCAS_ORDER_STORE_HOLDING
     " AND o.adjustment = 0 AND o.hold_until < %s ORDER BY o.id LIMIT 50"},
    {"cmcas_ord_list", CMCAS_ORDER_STORE_COLUMNS "WHERE o.household_id = %lld ORDER BY o.id DESC"},
    {"cmcas_ord_lines",
     "SELECT person, option_label, amount, participation FROM cmcas_order_line"
     " WHERE order_id = %lld ORDER BY position"},
    {"cmcas_ord_events",
     "SELECT at, actor, status, event FROM cmcas_order_event WHERE order_id = %lld"
     " ORDER BY id"},
    {"cmcas_ord_create",
     "INSERT INTO cmcas_order (reference, registration_id, household_id, cmcas_code,"
     " total, method, instalments, status, hold_until, created_at, updated_at, adjustment)"
     " VALUES (%s, %lld, %lld, %s, %d, %s, %d, %s, %s, %s, %s, %d) RETURNING id"},
    {"cmcas_ord_line_add",
     "INSERT INTO cmcas_order_line (order_id, position, person, option_label, amount,"
     " participation) VALUES (%lld, %d, %s, %s, %d, %d)"},
    {"cmcas_ord_event",
     "INSERT INTO cmcas_order_event (order_id, at, actor, status, event)"
     " VALUES (%lld, %s, %s, %s, %s)"},
    /* Conditional on the status it leaves: two concurrent changes cannot both apply. */
    {"cmcas_ord_move",
     "UPDATE cmcas_order SET status = %s, updated_at = %s WHERE id = %lld AND status = %s"},
    /* A bank's message is taken once: a replay finds its row and changes nothing. */
    {"cmcas_ord_notice",
     "INSERT INTO cmcas_order_notice (order_id, code, transaction_id, at)"
     " VALUES (%lld, %s, %s, %s) ON CONFLICT (order_id, code, transaction_id) DO NOTHING"},
    {NULL, NULL}
};

apr_status_t cmcas_order_store_waiting(const char **pref, const cmcas_store_t *st,
                                       apr_pool_t *p, apr_int64_t registration_id,
                                       const char **perr)
{
    cmcas_store_cursor_t cur;
    const char *id = cmcas_store_num(p, registration_id);
    apr_dbd_row_t *row;
    apr_status_t rv;

    *pref = NULL;
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, "cmcas_ord_waiting", perr, 1,
                                                &id))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        if (!*pref) {
            *pref = cmcas_store_str(&cur, row, 0);
        }
    }
    return APR_SUCCESS;
}

apr_status_t cmcas_order_store_adjustment_waiting(const char **pref,
                                                  const cmcas_store_t *st, apr_pool_t *p,
                                                  apr_int64_t registration_id,
                                                  const char **perr)
{
    cmcas_store_cursor_t cur;
    const char *id = cmcas_store_num(p, registration_id);
    apr_dbd_row_t *row;
    apr_status_t rv;

    *pref = NULL;
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, "cmcas_ord_adjustment_waiting",
                                                perr, 1, &id))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        if (!*pref) {
            *pref = cmcas_store_str(&cur, row, 0);
        }
    }
    return APR_SUCCESS;
}

apr_status_t cmcas_order_store_get_id(apr_int64_t *pid, const cmcas_store_t *st,
                                      apr_pool_t *p, const char *reference,
                                      const char **perr)
{
    cmcas_store_cursor_t cur;
    apr_dbd_row_t *row;
    apr_status_t rv;

    *pid = 0;
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, "cmcas_ord_ref_used", perr, 1,
                                                &reference))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        *pid = cmcas_store_int(&cur, row, 0);
    }
    return *pid ? APR_SUCCESS : APR_NOTFOUND;
}

/* The schema's CHECK allows only known codes; anything else reads as cancelled. */
static int cmcas_order_store_status_of(const char *code)
{
    int s = cmcas_status_order_parse(code);
    return s < 0 ? CMCAS_STATUS_ORDER_ANNULEE : s;
}

void cmcas_order_store_read(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row)
{
    cmcas_order_t *o = elt;

    o->id = cmcas_store_int(cur, row, 0);
    o->reference = cmcas_store_str(cur, row, 1);
    o->registration_id = cmcas_store_int(cur, row, 2);
    o->household_id = cmcas_store_int(cur, row, 3);
    o->cmcas_code = cmcas_store_str(cur, row, 4);
    o->total = cmcas_store_int(cur, row, 5);
    o->method = cmcas_store_str(cur, row, 6);
    o->instalments = (int)cmcas_store_int(cur, row, 7);
    o->status = (cmcas_status_order_t)cmcas_order_store_status_of(cmcas_store_str(cur, row, 8));
    o->hold_until = cmcas_store_str(cur, row, 9);
    o->created_at = cmcas_store_str(cur, row, 10);
    o->activity_id = cmcas_store_int(cur, row, 11);
    o->activity_title = cmcas_store_str(cur, row, 12);
    o->refunded_at = cmcas_store_str(cur, row, 13);
    o->adjustment = cmcas_store_int(cur, row, 14) != 0;
    o->invoice_number = cmcas_store_str(cur, row, 15);
    o->credit_number = cmcas_store_str(cur, row, 16);
    if (o->invoice_number && !*o->invoice_number) {
        o->invoice_number = NULL;
    }
    if (o->credit_number && !*o->credit_number) {
        o->credit_number = NULL;
    }
}

apr_status_t cmcas_order_store_get(cmcas_order_t **porder, const cmcas_store_t *st,
                                   apr_pool_t *p, const char *reference,
                                   apr_int64_t household_id, const char **perr)
{
    cmcas_store_cursor_t cur;
    cmcas_order_t *o = NULL;
    const char *args[2];
    apr_dbd_row_t *row;
    apr_status_t rv;

    *porder = NULL;
    args[0] = reference;
    args[1] = cmcas_store_num(p, household_id);
    /* household_id 0: the bank's notification, which knows only the reference. */
    rv = household_id ? cmcas_store_select(&cur, st, p, "cmcas_ord_get", perr, 2, args)
                      : cmcas_store_select(&cur, st, p, "cmcas_ord_by_ref", perr, 1, args);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        if (!o) {
            o = apr_pcalloc(p, sizeof(*o));
            cmcas_order_store_read(o, &cur, row);
        }
    }
    if (!o) {
        return APR_NOTFOUND;
    }
    o->lines = apr_array_make(p, 4, sizeof(cmcas_order_line_t));
    args[0] = cmcas_store_num(p, o->id);
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, "cmcas_ord_lines", perr, 1,
                                                args))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        cmcas_order_line_t *l = apr_array_push(o->lines);
        l->person = cmcas_store_str(&cur, row, 0);
        l->option = cmcas_store_str(&cur, row, 1);
        l->amount = cmcas_store_int(&cur, row, 2);
        l->participation = cmcas_store_int(&cur, row, 3);
    }
    *porder = o;
    return APR_SUCCESS;
}

/* The orders a one-argument select returns (cmcas_order_t, without lines). */
/* The orders a one-argument select returns (cmcas_order_t, without lines). */
static apr_status_t cmcas_order_store_rows(apr_array_header_t **porders,
                                           const cmcas_store_t *st, apr_pool_t *p,
                                           const char *label, const char *arg,
                                           const char **perr)
{
    return cmcas_store_all(porders, st, p, label, 1, &arg, sizeof(cmcas_order_t),
                           cmcas_order_store_read, perr);
}

apr_status_t cmcas_order_store_list(apr_array_header_t **porders, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t household_id,
                                    const char **perr)
{
    return cmcas_order_store_rows(porders, st, p, "cmcas_ord_list",
                                  cmcas_store_num(p, household_id), perr);
}

apr_status_t cmcas_order_store_expired(apr_array_header_t **porders,
                                       const cmcas_store_t *st, apr_pool_t *p,
                                       const char *now, const char **perr)
{
    return cmcas_order_store_rows(porders, st, p, "cmcas_ord_expired", now, perr);
}

apr_status_t cmcas_order_store_events(apr_array_header_t **pevents, const cmcas_store_t *st,
                                      apr_pool_t *p, apr_int64_t order_id,
                                      const char **perr)
{
    return cmcas_store_events(pevents, st, p, "cmcas_ord_events", order_id, perr);
}

static apr_status_t cmcas_order_store_event(cmcas_registration_store_change_t *ch,
                                            const cmcas_order_t *order, const char *event)
{
    const char *args[5];
    args[0] = cmcas_store_num(ch->pool, order->id);
    args[1] = ch->now;
    args[2] = ch->actor;
    args[3] = cmcas_status_order_code(order->status);
    args[4] = event;
    return cmcas_store_exec(NULL, ch->st, ch->pool, "cmcas_ord_event", &ch->err, 5, args);
}

apr_status_t cmcas_order_store_create(cmcas_registration_store_change_t *ch,
                                      cmcas_order_t *order, const char *event)
{
    char reference[CMCAS_ORDER_REFERENCE_LEN + 1];
    cmcas_store_cursor_t cur;
    const char *args[12];
    apr_dbd_row_t *row;
    apr_status_t rv;
    int tries, used = 1, i;

    /* A failed insert would end the transaction (apr_dbd's SQLite driver): look for
     * the reference first, under the lock, and draw again if it is taken. */
    for (tries = 0; used && tries < 5; tries++) {
        if (APR_SUCCESS != cmcas_order_reference(reference)) {
            ch->err = "no random bytes for an order reference";
            return APR_EGENERAL;
        }
        args[0] = reference;
        if (APR_SUCCESS != (rv = cmcas_store_select(&cur, ch->st, ch->pool,
                                                    "cmcas_ord_ref_used", &ch->err, 1,
                                                    args))) {
            return rv;
        }
        used = 0;
        while ((row = cmcas_store_next(&cur))) {
            used = 1;
        }
    }
    if (used) {
        ch->err = "no free order reference";
        return APR_EGENERAL;
    }
    order->reference = apr_pstrdup(ch->pool, reference);
    order->created_at = ch->now;
    args[0] = order->reference;
    args[1] = cmcas_store_num(ch->pool, order->registration_id);
    args[2] = cmcas_store_num(ch->pool, order->household_id);
    args[3] = order->cmcas_code;
    args[4] = cmcas_store_num(ch->pool, order->total);
    args[5] = order->method;
    args[6] = cmcas_store_num(ch->pool, order->instalments);
    args[7] = cmcas_status_order_code(order->status);
    args[8] = order->hold_until;
    args[9] = ch->now;
    args[10] = ch->now;
    args[11] = order->adjustment ? "1" : "0";
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, ch->st, ch->pool, "cmcas_ord_create",
                                                &ch->err, 12, args))) {
        return rv;
    }
    order->id = 0;
    while ((row = cmcas_store_next(&cur))) {
        order->id = cmcas_store_int(&cur, row, 0);
    }
    if (!order->id) {
        ch->err = "no id returned for the new order";
        return APR_EGENERAL;
    }
    for (i = 0; i < order->lines->nelts; i++) {
        const cmcas_order_line_t *l = &APR_ARRAY_IDX(order->lines, i, cmcas_order_line_t);
        args[0] = cmcas_store_num(ch->pool, order->id);
        args[1] = cmcas_store_num(ch->pool, i + 1);
        args[2] = l->person;
        args[3] = l->option;
        args[4] = cmcas_store_num(ch->pool, l->amount);
        args[5] = cmcas_store_num(ch->pool, l->participation);
        if (APR_SUCCESS != (rv = cmcas_store_exec(NULL, ch->st, ch->pool,
                                                  "cmcas_ord_line_add", &ch->err, 6,
                                                  args))) {
            return rv;
        }
    }
    return cmcas_order_store_event(ch, order, event);
}

apr_status_t cmcas_order_store_move(cmcas_registration_store_change_t *ch,
                                    cmcas_order_t *order, cmcas_status_order_t to,
                                    const char *event, int *pmoved)
{
    const char *args[4];
    apr_status_t rv;
    int nrows = 0;

    *pmoved = 0;
    /* The flows decide; this only refuses a move the table does not know (a bug). */
    if (!(ch->staff ? cmcas_status_order_staff_allowed(order->status, to)
                    : cmcas_status_order_allowed(order->status, to))) {
        ch->err = apr_psprintf(ch->pool, "order %s: no move from %s to %s", order->reference,
                               cmcas_status_order_code(order->status),
                               cmcas_status_order_code(to));
        return APR_EGENERAL;
    }
    args[0] = cmcas_status_order_code(to);
    args[1] = ch->now;
    args[2] = cmcas_store_num(ch->pool, order->id);
    args[3] = cmcas_status_order_code(order->status);
    if (APR_SUCCESS != (rv = cmcas_store_exec(&nrows, ch->st, ch->pool, "cmcas_ord_move",
                                              &ch->err, 4, args))) {
        return rv;
    }
    if (nrows != 1) {
        return APR_SUCCESS;
    }
    *pmoved = 1;
    ch->changed = 1;
    order->status = to;
    return cmcas_order_store_event(ch, order, event);
}

apr_status_t cmcas_order_store_holding(apr_array_header_t **porders, const cmcas_store_t *st,
                                       apr_pool_t *p, apr_int64_t registration_id,
                                       const char **perr)
{
    return cmcas_order_store_rows(porders, st, p, "cmcas_ord_holding",
                                  cmcas_store_num(p, registration_id), perr);
}

apr_status_t cmcas_order_store_paid(apr_array_header_t **porders, const cmcas_store_t *st,
                                    apr_pool_t *p, apr_int64_t registration_id,
                                    const char **perr)
{
    return cmcas_order_store_rows(porders, st, p, "cmcas_ord_paid",
                                  cmcas_store_num(p, registration_id), perr);
}

apr_status_t cmcas_order_store_of_activity(apr_array_header_t **porders,
                                           const cmcas_store_t *st, apr_pool_t *p,
                                           apr_int64_t activity_id, const char *cmcas_code,
                                           const char **perr)
{
    const char *args[2];

    args[0] = cmcas_store_num(p, activity_id);
    args[1] = cmcas_code;
    return cmcas_store_all(porders, st, p, "cmcas_ord_of_activity", 2, args,
                           sizeof(cmcas_order_t), cmcas_order_store_read, perr);
}

apr_status_t cmcas_order_store_notice(cmcas_registration_store_change_t *ch,
                                      const cmcas_order_t *order, const char *code,
                                      const char *transaction, int *pfresh)
{
    const char *args[4];
    apr_status_t rv;
    int nrows = 0;

    *pfresh = 0;
    args[0] = cmcas_store_num(ch->pool, order->id);
    args[1] = code;
    args[2] = transaction;
    args[3] = ch->now;
    if (APR_SUCCESS != (rv = cmcas_store_exec(&nrows, ch->st, ch->pool, "cmcas_ord_notice",
                                              &ch->err, 4, args))) {
        return rv;
    }
    *pfresh = nrows == 1;
    return APR_SUCCESS;
}

apr_status_t cmcas_order_store_end_holding(cmcas_registration_store_change_t *ch,
                                           apr_int64_t registration_id, const char *event)
{
    apr_array_header_t *holding = NULL;
    apr_status_t rv;
    int i, moved;

    rv = cmcas_order_store_holding(&holding, ch->st, ch->pool, registration_id, &ch->err);
    for (i = 0; APR_SUCCESS == rv && i < holding->nelts; i++) {
        rv = cmcas_order_store_move(ch, &APR_ARRAY_IDX(holding, i, cmcas_order_t),
                                    CMCAS_STATUS_ORDER_ANNULEE, event, &moved);
    }
    return rv;
}
