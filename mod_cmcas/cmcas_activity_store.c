#include <apr_strings.h>

#include "cmcas_activity_store.h"

/* A registration that is not cancelled chose option `ao`. */
#define CMCAS_ACTIVITY_STORE_CHOSEN(ao) \
    "EXISTS (SELECT 1 FROM registration_option ro" \
    " JOIN registration_person rp ON rp.id = ro.registration_person_id" \
    " JOIN registration r ON r.id = rp.registration_id" \
    " WHERE ro.option_id = " ao ".id AND r.status <> 'annulee')"

const cmcas_store_stmt_t cmcas_activity_store_statements[] = {
    {"cmcas_act_insert",
     "INSERT INTO activity (cmcas_code, theme, title, description, place, start_date,"
     " end_date, closing_date, capacity, open_to_others, mode, guests_allowed, max_guests,"
     " min_age, max_age) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %d, %d, %s, %d,"
     " NULLIF(CAST(%d AS INTEGER), -1), NULLIF(CAST(%d AS INTEGER), -1), NULLIF(CAST(%d AS INTEGER), -1)) RETURNING id"},
    {"cmcas_act_update",
     "UPDATE activity SET theme = %s, title = %s, description = %s, place = %s,"
     " start_date = %s, end_date = %s, closing_date = %s, capacity = %d,"
     " open_to_others = %d, mode = %s, guests_allowed = %d, max_guests = NULLIF(CAST(%d AS INTEGER), -1),"
     " min_age = NULLIF(CAST(%d AS INTEGER), -1), max_age = NULLIF(CAST(%d AS INTEGER), -1)"
     " WHERE id = %lld AND cmcas_code = %s AND places_taken <= %d"
     " AND (mode = %s OR NOT EXISTS (SELECT 1 FROM registration r"
     "   WHERE r.activity_id = activity.id AND r.status <> 'annulee'))"},
    {"cmcas_act_publish",
     "UPDATE activity SET published_at = %s WHERE id = %lld AND cmcas_code = %s"
     " AND published_at IS NULL"},
    {"cmcas_act_unpublish",
     "UPDATE activity SET published_at = NULL WHERE id = %lld AND cmcas_code = %s"
     " AND published_at IS NOT NULL"},
    {"cmcas_act_set_image",
     "UPDATE activity SET image = %s WHERE id = %lld AND cmcas_code = %s"},
    {"cmcas_act_option_insert",
     "INSERT INTO activity_option (activity_id, position, label, price_beneficiary,"
     " participation_beneficiary, price_guest, participation_guest, min_age, max_age)"
     " VALUES (%lld, %d, %s, %d, %d, %d, %d, NULLIF(CAST(%d AS INTEGER), -1), NULLIF(CAST(%d AS INTEGER), -1)) RETURNING id"},
    {"cmcas_act_option_update",
     "UPDATE activity_option SET position = %d, label = %s, price_beneficiary = %d,"
     " participation_beneficiary = %d, price_guest = %d, participation_guest = %d,"
     " min_age = NULLIF(CAST(%d AS INTEGER), -1), max_age = NULLIF(CAST(%d AS INTEGER), -1)"
     " WHERE id = %lld AND activity_id = %lld"
     " AND ((price_beneficiary = %d AND participation_beneficiary = %d"
     "   AND price_guest = %d AND participation_guest = %d)"
     "  OR NOT " CMCAS_ACTIVITY_STORE_CHOSEN("activity_option") ")"},
    {"cmcas_act_option_delete",
     "DELETE FROM activity_option WHERE id = %lld AND activity_id = %lld"
     " AND NOT EXISTS (SELECT 1 FROM registration_option ro"
     "   WHERE ro.option_id = activity_option.id)"},
    {"cmcas_act_option_usage",
     "SELECT ao.id,"
     " (SELECT COUNT(DISTINCT r.id) FROM registration_option ro"
     "   JOIN registration_person rp ON rp.id = ro.registration_person_id"
     "   JOIN registration r ON r.id = rp.registration_id"
     "   WHERE ro.option_id = ao.id AND r.status <> 'annulee'),"
     " (SELECT COUNT(*) FROM registration_option ro WHERE ro.option_id = ao.id)"
     " FROM activity_option ao WHERE ao.activity_id = %lld ORDER BY ao.id"},
    {"cmcas_act_registrations",
     "SELECT COUNT(*) FROM registration WHERE activity_id = %lld AND status <> 'annulee'"},
    {NULL, NULL}
};

static const char *cmcas_activity_store_d(apr_pool_t *p, apr_int64_t n)
{
    return apr_psprintf(p, "%d", (int)n);
}

/* The first column of the first row of `label` (an id RETURNING, a count). */
static apr_status_t cmcas_activity_store_one(apr_int64_t *pn, const cmcas_store_t *st,
                                             apr_pool_t *p, const char *label, int nargs,
                                             const char **args, const char **perr)
{
    apr_array_header_t *rows = NULL;
    apr_status_t rv = cmcas_store_all(&rows, st, p, label, nargs, args,
                                      sizeof(apr_int64_t), cmcas_store_read_id, perr);
    *pn = 0;
    if (APR_SUCCESS != rv) {
        return rv;
    }
    if (!rows->nelts) {
        *perr = apr_pstrcat(p, label, " returned no row", NULL);
        return APR_EGENERAL;
    }
    *pn = APR_ARRAY_IDX(rows, 0, apr_int64_t);
    return APR_SUCCESS;
}

/* The 14 columns an insert and an update both write, in the statements' order (theme
 * to max_age), from args[0]. */
static void cmcas_activity_store_fields(const char **args, apr_pool_t *p,
                                        const cmcas_activity_t *act)
{
    args[0] = act->theme;
    args[1] = act->title;
    args[2] = act->description;
    args[3] = act->place;
    args[4] = act->start_date;
    args[5] = act->end_date;
    args[6] = act->closing_date;
    args[7] = cmcas_activity_store_d(p, act->capacity);
    args[8] = cmcas_activity_store_d(p, act->open_to_others);
    args[9] = act->mode;
    args[10] = cmcas_activity_store_d(p, act->guests_allowed);
    args[11] = cmcas_activity_store_d(p, act->max_guests);
    args[12] = cmcas_activity_store_d(p, act->min_age);
    args[13] = cmcas_activity_store_d(p, act->max_age);
}

apr_status_t cmcas_activity_store_insert(apr_int64_t *pid, const cmcas_store_t *st,
                                         apr_pool_t *p, const cmcas_activity_t *act,
                                         const char **perr)
{
    const char *args[15];

    args[0] = act->cmcas_code;
    cmcas_activity_store_fields(args + 1, p, act);
    return cmcas_activity_store_one(pid, st, p, "cmcas_act_insert", 15, args, perr);
}

apr_status_t cmcas_activity_store_update(int *pone, const cmcas_store_t *st, apr_pool_t *p,
                                         const cmcas_activity_t *act, const char **perr)
{
    const char *args[18];

    cmcas_activity_store_fields(args, p, act);
    args[14] = cmcas_store_num(p, act->id);
    args[15] = act->cmcas_code;
    args[16] = args[7];
    args[17] = act->mode;
    return cmcas_store_exec_one(pone, st, p, "cmcas_act_update", perr, 18, args);
}

apr_status_t cmcas_activity_store_publish(int *pone, const cmcas_store_t *st, apr_pool_t *p,
                                          apr_int64_t id, const char *cmcas_code,
                                          const char *at, const char **perr)
{
    const char *args[3];
    int n = 0;

    if (at) {
        args[n++] = at;
    }
    args[n++] = cmcas_store_num(p, id);
    args[n++] = cmcas_code;
    return cmcas_store_exec_one(pone, st, p, at ? "cmcas_act_publish" : "cmcas_act_unpublish",
                                perr, n, args);
}

apr_status_t cmcas_activity_store_set_image(int *pone, const cmcas_store_t *st,
                                            apr_pool_t *p, apr_int64_t id,
                                            const char *cmcas_code, const char *image,
                                            const char **perr)
{
    const char *args[3];

    args[0] = image;
    args[1] = cmcas_store_num(p, id);
    args[2] = cmcas_code;
    return cmcas_store_exec_one(pone, st, p, "cmcas_act_set_image", perr, 3, args);
}

apr_status_t cmcas_activity_store_option_insert(apr_int64_t *pid, const cmcas_store_t *st,
                                                apr_pool_t *p, apr_int64_t activity_id,
                                                const cmcas_activity_option_t *o,
                                                apr_int64_t position, const char **perr)
{
    const char *args[9];

    args[0] = cmcas_store_num(p, activity_id);
    args[1] = cmcas_activity_store_d(p, position);
    args[2] = o->label;
    args[3] = cmcas_activity_store_d(p, o->price_beneficiary);
    args[4] = cmcas_activity_store_d(p, o->participation_beneficiary);
    args[5] = cmcas_activity_store_d(p, o->price_guest);
    args[6] = cmcas_activity_store_d(p, o->participation_guest);
    args[7] = cmcas_activity_store_d(p, o->min_age);
    args[8] = cmcas_activity_store_d(p, o->max_age);
    return cmcas_activity_store_one(pid, st, p, "cmcas_act_option_insert", 9, args, perr);
}

apr_status_t cmcas_activity_store_option_update(int *pone, const cmcas_store_t *st,
                                                apr_pool_t *p, apr_int64_t activity_id,
                                                const cmcas_activity_option_t *o,
                                                apr_int64_t position, const char **perr)
{
    const char *args[14];

    args[0] = cmcas_activity_store_d(p, position);
    args[1] = o->label;
    args[2] = cmcas_activity_store_d(p, o->price_beneficiary);
    args[3] = cmcas_activity_store_d(p, o->participation_beneficiary);
    args[4] = cmcas_activity_store_d(p, o->price_guest);
    args[5] = cmcas_activity_store_d(p, o->participation_guest);
    args[6] = cmcas_activity_store_d(p, o->min_age);
    args[7] = cmcas_activity_store_d(p, o->max_age);
    args[8] = cmcas_store_num(p, o->id);
    args[9] = cmcas_store_num(p, activity_id);
    args[10] = args[2];
    args[11] = args[3];
    args[12] = args[4];
    args[13] = args[5];
    return cmcas_store_exec_one(pone, st, p, "cmcas_act_option_update", perr, 14, args);
}

apr_status_t cmcas_activity_store_option_delete(int *pone, const cmcas_store_t *st,
                                                apr_pool_t *p, apr_int64_t activity_id,
                                                apr_int64_t option_id, const char **perr)
{
    const char *args[2];

    args[0] = cmcas_store_num(p, option_id);
    args[1] = cmcas_store_num(p, activity_id);
    return cmcas_store_exec_one(pone, st, p, "cmcas_act_option_delete", perr, 2, args);
}

static void cmcas_activity_store_read_usage(void *elt, cmcas_store_cursor_t *cur,
                                            apr_dbd_row_t *row)
{
    cmcas_activity_store_usage_t *u = elt;

    u->option_id = cmcas_store_int(cur, row, 0);
    u->active = cmcas_store_int(cur, row, 1);
    u->all = cmcas_store_int(cur, row, 2);
}

apr_status_t cmcas_activity_store_usage(apr_array_header_t **pusage,
                                        const cmcas_store_t *st, apr_pool_t *p,
                                        apr_int64_t activity_id, const char **perr)
{
    const char *arg = cmcas_store_num(p, activity_id);
    return cmcas_store_all(pusage, st, p, "cmcas_act_option_usage", 1, &arg,
                           sizeof(cmcas_activity_store_usage_t),
                           cmcas_activity_store_read_usage, perr);
}

apr_status_t cmcas_activity_store_registrations(apr_int64_t *pcount,
                                                const cmcas_store_t *st, apr_pool_t *p,
                                                apr_int64_t activity_id, const char **perr)
{
    const char *arg = cmcas_store_num(p, activity_id);
    return cmcas_activity_store_one(pcount, st, p, "cmcas_act_registrations", 1, &arg,
                                    perr);
}
