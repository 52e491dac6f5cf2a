#include <apr_hash.h>
#include <apr_strings.h>

#include "cmcas_staff_registration_store.h"
#include "cmcas_order.h"
#include "cmcas_order_store.h"
#include "cmcas_registration_store.h"

const cmcas_store_stmt_t cmcas_staff_registration_store_statements[] = {
    {"cmcas_staffreg_list",
     "SELECT r.id, r.household_id, r.status, r.observations, r.created_at,"
     " r.places_held, r.selection, r.draw_rank, r.draw_history, r.draw_coefficient,"
     " r.draw_tiebreak, r.draw_persons, r.pay_by, 0,"
     " h.login, h.email, h.phone, od.first_name, od.last_name"
     " FROM registration r JOIN household h ON h.id = r.household_id"
     " LEFT JOIN person od ON od.household_id = h.id AND od.role = 'OD'"
     " WHERE r.activity_id = %lld ORDER BY r.id"},
    {"cmcas_staffreg_persons",
     "SELECT rp.id, rp.registration_id, rp.person_id, p.role,"
     " COALESCE(p.first_name, rp.first_name), COALESCE(p.last_name, rp.last_name),"
     " COALESCE(p.birth_date, rp.birth_date), rp.photo_optout, rp.confirmed"
     " FROM registration_person rp JOIN registration r ON r.id = rp.registration_id"
     " LEFT JOIN person p ON p.id = rp.person_id"
     " WHERE r.activity_id = %lld ORDER BY rp.registration_id, rp.id"},
    {"cmcas_staffreg_options",
     "SELECT ro.registration_person_id, ro.option_id FROM registration_option ro"
     " JOIN registration_person rp ON rp.id = ro.registration_person_id"
     " JOIN registration r ON r.id = rp.registration_id"
     " WHERE r.activity_id = %lld ORDER BY ro.registration_person_id, ro.option_id"},
    {"cmcas_staffreg_key",
     "SELECT r.activity_id, r.household_id FROM registration r"
     " JOIN activity a ON a.id = r.activity_id WHERE r.id = %lld AND a.cmcas_code = %s"},
    {NULL, NULL}
};

static int cmcas_staff_registration_store_status(const char *code)
{
    int s = cmcas_status_reg_parse(code);
    return s < 0 ? CMCAS_STATUS_REG_ANNULEE : s;     /* the state that grants nothing */
}

static void cmcas_staff_registration_store_read(void *elt, cmcas_store_cursor_t *cur,
                                                apr_dbd_row_t *row)
{
    cmcas_staff_registration_t *r = elt;
    apr_pool_t *p = cur->pool;

    r->reg.id = cmcas_store_int(cur, row, 0);
    r->reg.household_id = cmcas_store_int(cur, row, 1);
    r->reg.status = (cmcas_status_reg_t)cmcas_staff_registration_store_status(
        cmcas_store_str(cur, row, 2));
    r->reg.observations = cmcas_store_str(cur, row, 3);
    if (!r->reg.observations) {
        r->reg.observations = "";
    }
    r->reg.created_at = cmcas_store_str(cur, row, 4);
    r->reg.places_held = cmcas_store_int(cur, row, 5);
    cmcas_registration_store_read_draw(&r->reg.draw, cur, row, 6);
    r->login = cmcas_store_str(cur, row, 14);
    r->email = cmcas_store_str(cur, row, 15);
    r->phone = cmcas_store_str(cur, row, 16);
    if (r->phone && !*r->phone) {
        r->phone = NULL;
    }
    r->od_first_name = cmcas_store_str(cur, row, 17);
    r->od_last_name = cmcas_store_str(cur, row, 18);
    r->reg.participants = apr_array_make(p, 4, sizeof(cmcas_registration_participant_t));
    r->orders = apr_array_make(p, 1, sizeof(cmcas_order_t));
}

apr_status_t cmcas_staff_registration_store_list(apr_array_header_t **plist,
                                                 const cmcas_store_t *st, apr_pool_t *p,
                                                 apr_int64_t activity_id,
                                                 const char *cmcas_code, const char **perr)
{
    const char *id = cmcas_store_num(p, activity_id);
    apr_array_header_t *list = NULL, *orders = NULL;
    apr_hash_t *regs = apr_hash_make(p), *persons = apr_hash_make(p);
    cmcas_store_cursor_t cur;
    apr_dbd_row_t *row;
    apr_status_t rv;
    int i, j;

    *plist = NULL;
    rv = cmcas_store_all(&list, st, p, "cmcas_staffreg_list", 1, &id,
                         sizeof(cmcas_staff_registration_t),
                         cmcas_staff_registration_store_read, perr);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    for (i = 0; i < list->nelts; i++) {
        cmcas_staff_registration_t *r = &APR_ARRAY_IDX(list, i, cmcas_staff_registration_t);
        r->reg.activity_id = activity_id;
        apr_hash_set(regs, apr_pmemdup(p, &r->reg.id, sizeof(apr_int64_t)),
                     sizeof(apr_int64_t), r);
    }
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, "cmcas_staffreg_persons", perr,
                                                1, &id))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        apr_int64_t rid = cmcas_store_int(&cur, row, 1);
        cmcas_staff_registration_t *r = apr_hash_get(regs, &rid, sizeof(rid));
        cmcas_registration_participant_t *pa;
        const char *role;

        if (!r) {
            continue;               /* a registration made since the first read */
        }
        pa = apr_array_push(r->reg.participants);
        memset(pa, 0, sizeof(*pa));
        pa->id = cmcas_store_int(&cur, row, 0);
        pa->person_id = cmcas_store_int(&cur, row, 2);
        role = cmcas_store_str(&cur, row, 3);
        pa->kind = pa->person_id && role && *role ? role : "guest";
        pa->first_name = cmcas_store_str(&cur, row, 4);
        pa->last_name = cmcas_store_str(&cur, row, 5);
        pa->birth_date = cmcas_store_str(&cur, row, 6);
        pa->photo_optout = cmcas_store_int(&cur, row, 7) != 0;
        pa->confirmed = cmcas_store_int(&cur, row, 8) != 0;
        pa->options = apr_array_make(p, 2, sizeof(apr_int64_t));
    }
    /* The participants' arrays are complete: their elements stay where they are. */
    for (i = 0; i < list->nelts; i++) {
        cmcas_staff_registration_t *r = &APR_ARRAY_IDX(list, i, cmcas_staff_registration_t);
        for (j = 0; j < r->reg.participants->nelts; j++) {
            cmcas_registration_participant_t *pa =
                &APR_ARRAY_IDX(r->reg.participants, j, cmcas_registration_participant_t);
            apr_hash_set(persons, &pa->id, sizeof(pa->id), pa);
        }
    }
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, "cmcas_staffreg_options", perr,
                                                1, &id))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        apr_int64_t pid = cmcas_store_int(&cur, row, 0);
        cmcas_registration_participant_t *pa = apr_hash_get(persons, &pid, sizeof(pid));
        if (pa) {
            APR_ARRAY_PUSH(pa->options, apr_int64_t) = cmcas_store_int(&cur, row, 1);
        }
    }
    if (APR_SUCCESS != (rv = cmcas_order_store_of_activity(&orders, st, p, activity_id,
                                                           cmcas_code, perr))) {
        return rv;
    }
    for (i = 0; i < orders->nelts; i++) {
        const cmcas_order_t *o = &APR_ARRAY_IDX(orders, i, cmcas_order_t);
        cmcas_staff_registration_t *r = apr_hash_get(regs, &o->registration_id,
                                                     sizeof(o->registration_id));
        if (r) {
            APR_ARRAY_PUSH(r->orders, cmcas_order_t) = *o;
        }
    }
    *plist = list;
    return APR_SUCCESS;
}

apr_status_t cmcas_staff_registration_store_key(apr_int64_t *pactivity_id,
                                                apr_int64_t *phousehold_id,
                                                const cmcas_store_t *st, apr_pool_t *p,
                                                apr_int64_t id, const char *cmcas_code,
                                                const char **perr)
{
    cmcas_store_cursor_t cur;
    const char *args[2];
    apr_dbd_row_t *row;
    apr_status_t rv;
    int found = 0;

    *pactivity_id = *phousehold_id = 0;
    args[0] = cmcas_store_num(p, id);
    args[1] = cmcas_code;
    rv = cmcas_store_select(&cur, st, p, "cmcas_staffreg_key", perr, 2, args);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        *pactivity_id = cmcas_store_int(&cur, row, 0);
        *phousehold_id = cmcas_store_int(&cur, row, 1);
        found = 1;
    }
    return found ? APR_SUCCESS : APR_NOTFOUND;
}
