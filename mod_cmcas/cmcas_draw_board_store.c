#include "cmcas_draw_board_store.h"
#include "cmcas_registration_store.h"
#include "cmcas_status.h"

const cmcas_store_stmt_t cmcas_draw_board_store_statements[] = {
    /* The draw's columns as cmcas_registration_store_read_draw reads them; the waiting
     * position counted as the member's page counts it. */
    {"cmcas_draw_board",
     "SELECT r.id, r.household_id,"
     " (SELECT p.first_name || ' ' || p.last_name FROM person p"
     "   WHERE p.household_id = r.household_id AND p.role = 'OD'), r.status,"
     " r.selection, r.draw_rank, r.draw_history, r.draw_coefficient, r.draw_tiebreak,"
     " r.draw_persons, r.pay_by,"
     " CASE WHEN r.selection = 'attente' AND r.status = 'validee' THEN"
     "  (SELECT COUNT(*) FROM registration w WHERE w.activity_id = r.activity_id"
     "   AND w.selection = 'attente' AND w.status = 'validee'"
     "   AND w.draw_rank <= r.draw_rank) ELSE 0 END"
     " FROM registration r WHERE r.activity_id = %lld"
     " AND (r.status = 'validee' OR r.draw_rank IS NOT NULL)"
     " ORDER BY CASE WHEN r.draw_rank IS NULL THEN 1 ELSE 0 END, r.draw_rank, r.id"},
    {NULL, NULL}
};

static void cmcas_draw_board_store_read(void *elt, cmcas_store_cursor_t *cur,
                                        apr_dbd_row_t *row)
{
    cmcas_draw_board_store_row_t *b = elt;
    int s;

    b->registration_id = cmcas_store_int(cur, row, 0);
    b->household_id = cmcas_store_int(cur, row, 1);
    b->household = cmcas_store_str(cur, row, 2);
    s = cmcas_status_reg_parse(cmcas_store_str(cur, row, 3));
    b->status = s < 0 ? CMCAS_STATUS_REG_ANNULEE : (cmcas_status_reg_t)s;
    cmcas_registration_store_read_draw(&b->draw, cur, row, 4);
}

apr_status_t cmcas_draw_board_store_list(apr_array_header_t **prows,
                                         const cmcas_store_t *st, apr_pool_t *p,
                                         apr_int64_t activity_id, const char **perr)
{
    const char *id = cmcas_store_num(p, activity_id);

    return cmcas_store_all(prows, st, p, "cmcas_draw_board", 1, &id,
                           sizeof(cmcas_draw_board_store_row_t), cmcas_draw_board_store_read,
                           perr);
}
