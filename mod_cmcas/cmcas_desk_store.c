#include <apr_strings.h>

#include "cmcas_desk_store.h"
#include "cmcas_order_store.h"

/* The columns of cmcas_order_store's reads (read the same way), then the household and
 * the refund recorded. */
#define CMCAS_DESK_STORE_COLUMNS \
    "SELECT " CMCAS_ORDER_STORE_FIELDS "," \
    " (SELECT p.first_name || ' ' || p.last_name FROM person p" \
    "   WHERE p.household_id = o.household_id AND p.role = 'OD')," \
    " h.login, pay.means, pay.on_date" \
    " FROM cmcas_order o JOIN registration r ON r.id = o.registration_id" \
    " JOIN activity a ON a.id = r.activity_id" \
    " JOIN household h ON h.id = o.household_id" \
    " LEFT JOIN cmcas_order_payment pay ON pay.order_id = o.id" \
    "  AND pay.kind = 'remboursement'" \
    " WHERE o.cmcas_code = %s "

static const char *const cmcas_desk_store_labels[CMCAS_DESK_STORE_LIST_COUNT] = {
    "cmcas_desk_to_cash", "cmcas_desk_to_refund", "cmcas_desk_refunded"
};

const cmcas_store_stmt_t cmcas_desk_store_statements[] = {
    {"cmcas_desk_to_cash",
     CMCAS_DESK_STORE_COLUMNS "AND o.status = 'attente_cmcas' ORDER BY o.id"},
    {"cmcas_desk_to_refund",
     CMCAS_DESK_STORE_COLUMNS "AND o.status = 'a_rembourser' AND o.refunded_at IS NULL"
     " ORDER BY o.id"},
    {"cmcas_desk_refunded",
     CMCAS_DESK_STORE_COLUMNS "AND o.status = 'a_rembourser'"
     " AND o.refunded_at IS NOT NULL ORDER BY o.refunded_at DESC, o.id DESC LIMIT 50"},
    /* One entry of each kind per order (UNIQUE): the flow checks the state first. */
    {"cmcas_desk_add",
     "INSERT INTO cmcas_order_payment (order_id, kind, means, amount, on_date, note,"
     " actor, at) VALUES (%lld, %s, %s, %d, %s, %s, %s, %s)"},
    {"cmcas_desk_refunded_at",
     "UPDATE cmcas_order SET refunded_at = %s, updated_at = %s WHERE id = %lld"
     " AND status = 'a_rembourser' AND refunded_at IS NULL"},
    {NULL, NULL}
};

static void cmcas_desk_store_read(void *elt, cmcas_store_cursor_t *cur, apr_dbd_row_t *row)
{
    cmcas_desk_store_row_t *d = elt;

    cmcas_order_store_read(&d->order, cur, row);
    d->household = cmcas_store_str(cur, row, CMCAS_ORDER_STORE_NFIELDS + 0);
    d->household_login = cmcas_store_str(cur, row, CMCAS_ORDER_STORE_NFIELDS + 1);
    d->refund_means = cmcas_store_str(cur, row, CMCAS_ORDER_STORE_NFIELDS + 2);
    d->refund_on = cmcas_store_str(cur, row, CMCAS_ORDER_STORE_NFIELDS + 3);
}

apr_status_t cmcas_desk_store_list(apr_array_header_t **prows, const cmcas_store_t *st,
                                   apr_pool_t *p, const char *cmcas_code,
                                   cmcas_desk_store_list_t which, const char **perr)
{
    return cmcas_store_all(prows, st, p, cmcas_desk_store_labels[which], 1, &cmcas_code,
                           sizeof(cmcas_desk_store_row_t), cmcas_desk_store_read, perr);
}

apr_status_t cmcas_desk_store_add(cmcas_registration_store_change_t *ch,
                                  const cmcas_order_t *order, const cmcas_desk_entry_t *e,
                                  apr_int64_t amount)
{
    const char *args[8];

    args[0] = cmcas_store_num(ch->pool, order->id);
    args[1] = cmcas_desk_kind_code(e->kind);
    args[2] = e->means;
    args[3] = cmcas_store_num(ch->pool, amount);
    args[4] = e->on_date;
    args[5] = e->note ? e->note : "";
    args[6] = ch->actor;
    args[7] = ch->now;
    ch->changed = 1;
    return cmcas_store_exec(NULL, ch->st, ch->pool, "cmcas_desk_add", &ch->err, 8, args);
}

apr_status_t cmcas_desk_store_refunded(cmcas_registration_store_change_t *ch,
                                       cmcas_order_t *order, int *pdone)
{
    const char *args[3];
    apr_status_t rv;

    args[0] = ch->now;
    args[1] = ch->now;
    args[2] = cmcas_store_num(ch->pool, order->id);
    rv = cmcas_store_exec_one(pdone, ch->st, ch->pool, "cmcas_desk_refunded_at", &ch->err,
                              3, args);
    if (APR_SUCCESS == rv && *pdone) {
        order->refunded_at = ch->now;
        ch->changed = 1;
    }
    return rv;
}
