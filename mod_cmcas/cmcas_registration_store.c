#include <stdlib.h>
#include <apr_strings.h>

#include "cmcas_registration_store.h"
#include "cmcas_date.h"

/* A waiting registration's place on its activity's waiting list (0 for the others: the
 * count is made only for a waiting one, so every other read of a registration, those
 * of the validation's transaction among them, does not pay for it). */
#define CMCAS_REGISTRATION_STORE_WAITING \
    "CASE WHEN r.selection = 'attente' AND r.status = 'validee' THEN" \
    " (SELECT COUNT(*) FROM registration w WHERE w.activity_id = r.activity_id" \
    "  AND w.selection = 'attente' AND w.status = 'validee' AND w.draw_rank <= r.draw_rank)" \
    " ELSE 0 END"

#define CMCAS_REGISTRATION_STORE_COLUMNS \
    "SELECT r.id, r.activity_id, r.household_id, r.status, r.observations, r.created_at," \
    " r.places_held, r.selection, r.draw_rank, r.draw_history, r.draw_coefficient," \
    " r.draw_tiebreak, r.draw_persons, r.pay_by, " CMCAS_REGISTRATION_STORE_WAITING \
    " FROM registration r "

const cmcas_store_stmt_t cmcas_registration_store_statements[] = {
    {"cmcas_reg_by_activity",
     CMCAS_REGISTRATION_STORE_COLUMNS "WHERE r.activity_id = %lld AND r.household_id = %lld"},
    {"cmcas_reg_by_id",
     CMCAS_REGISTRATION_STORE_COLUMNS "WHERE r.id = %lld AND r.household_id = %lld"},
    {"cmcas_reg_participants",
     "SELECT rp.id, rp.person_id, p.role, COALESCE(p.first_name, rp.first_name),"
     " COALESCE(p.last_name, rp.last_name), COALESCE(p.birth_date, rp.birth_date),"
     " rp.photo_optout, rp.confirmed FROM registration_person rp"
     " LEFT JOIN person p ON p.id = rp.person_id"
     " WHERE rp.registration_id = %lld ORDER BY rp.id"},
    {"cmcas_reg_options",
     "SELECT ro.registration_person_id, ro.option_id FROM registration_option ro"
     " JOIN registration_person rp ON rp.id = ro.registration_person_id"
     " WHERE rp.registration_id = %lld ORDER BY ro.registration_person_id, ro.option_id"},
    /* The total is cmcas_registration_total's rule (guests pay the guest price) in SQL,
     * so that the list needs one query. */
    {"cmcas_reg_list",
     "SELECT r.id, r.status, r.created_at, a.id, a.title, a.mode,"
     " (SELECT COALESCE(SUM(CASE WHEN rp.person_id IS NULL THEN o.price_guest"
     "                      ELSE o.price_beneficiary END), 0)"
     "  FROM registration_person rp"
     "  JOIN registration_option ro ON ro.registration_person_id = rp.id"
     "  JOIN activity_option o ON o.id = ro.option_id"
     "  WHERE rp.registration_id = r.id),"
     " (SELECT MIN(reference) FROM cmcas_order WHERE registration_id = r.id"
     "  AND status IN ('attente_cmcas', 'attente_cb') AND adjustment = 0),"
     " r.selection, r.draw_rank, r.draw_history, r.draw_coefficient, r.draw_tiebreak,"
     " r.draw_persons, r.pay_by, " CMCAS_REGISTRATION_STORE_WAITING ","
     " a.closing_date, a.draw_published_at"
     " FROM registration r JOIN activity a ON a.id = r.activity_id"
     " WHERE r.household_id = %lld ORDER BY r.id DESC"},
    {"cmcas_reg_events",
     "SELECT at, actor, status, event FROM registration_event"
     " WHERE registration_id = %lld ORDER BY id"},
    /* Validated « paiement immédiat » registrations of a CMCAS's activities, holding
     * places, with no order waiting or paid, unchanged since a cut-off. */
    {"cmcas_reg_unpaid",
     "SELECT r.activity_id, r.household_id FROM registration r"
     " JOIN activity a ON a.id = r.activity_id"
     " WHERE r.status = 'validee' AND a.mode = 'immediat' AND a.cmcas_code = %s"
     " AND r.places_held > 0"
     " AND NOT EXISTS (SELECT 1 FROM cmcas_order o WHERE o.registration_id = r.id"
     "  AND o.status IN ('attente_cmcas', 'attente_cb', 'payee'))"
     " AND (SELECT MAX(e.at) FROM registration_event e WHERE e.registration_id = r.id)"
     "  < %s ORDER BY r.id LIMIT 50"},
    {"cmcas_reg_create",
     "INSERT INTO registration (activity_id, household_id, status, observations,"
     " places_held, created_at, updated_at) VALUES (%lld, %lld, 'brouillon', '', 0, %s, %s)"
     " ON CONFLICT (activity_id, household_id) DO NOTHING"},
    {"cmcas_reg_lock",
     "UPDATE registration SET updated_at = %s WHERE activity_id = %lld AND household_id = %lld"},
    {"cmcas_reg_set_status", "UPDATE registration SET status = %s WHERE id = %lld"},
    {"cmcas_reg_set_observations", "UPDATE registration SET observations = %s WHERE id = %lld"},
    {"cmcas_reg_add_held",
     "UPDATE registration SET places_held = places_held + %d WHERE id = %lld"},
    {"cmcas_reg_event",
     "INSERT INTO registration_event (registration_id, at, actor, status, event)"
     " VALUES (%lld, %s, %s, %s, %s)"},
    {"cmcas_regp_add_person",
     "INSERT INTO registration_person (registration_id, person_id) VALUES (%lld, %lld)"
     " RETURNING id"},
    {"cmcas_regp_add_guest",
     "INSERT INTO registration_person (registration_id, last_name, first_name, birth_date)"
     " VALUES (%lld, %s, %s, %s) RETURNING id"},
    {"cmcas_regp_photo",
     "UPDATE registration_person SET photo_optout = %d WHERE id = %lld"
     " AND registration_id = %lld"},
    {"cmcas_regp_confirm",
     "UPDATE registration_person SET confirmed = 1 WHERE registration_id = %lld"
     " AND confirmed = 0"},
    {"cmcas_regp_unconfirm_all",
     "UPDATE registration_person SET confirmed = 0 WHERE registration_id = %lld"},
    {"cmcas_regp_unconfirm",
     "UPDATE registration_person SET confirmed = 0 WHERE id = %lld AND registration_id = %lld"
     " AND confirmed = 1"},
    {"cmcas_regp_delete",
     "DELETE FROM registration_person WHERE id = %lld AND registration_id = %lld"},
    {"cmcas_rego_clear", "DELETE FROM registration_option WHERE registration_person_id = %lld"},
    {"cmcas_rego_add",
     "INSERT INTO registration_option (registration_person_id, option_id) VALUES (%lld, %lld)"},
    /* A place is taken by one conditional update, checked by its row count. */
    {"cmcas_places_take",
     "UPDATE activity SET places_taken = places_taken + %d WHERE id = %lld"
     " AND places_taken + %d <= capacity"},
    {"cmcas_places_give",
     "UPDATE activity SET places_taken = places_taken - %d WHERE id = %lld"
     " AND places_taken >= %d"},
    {NULL, NULL}
};

/* The schema's CHECK allows only known codes; anything else reads as cancelled, the
 * state that grants nothing. */
static int cmcas_registration_store_status_of(const char *code)
{
    int s = cmcas_status_reg_parse(code);
    return s < 0 ? CMCAS_STATUS_REG_ANNULEE : s;
}

/* ------------------------------------------------------------------------------- */
/* Reads */

static apr_status_t cmcas_registration_store_participants(cmcas_registration_t *reg,
                                                          const cmcas_store_t *st,
                                                          apr_pool_t *p, const char **perr)
{
    cmcas_store_cursor_t cur;
    const char *id = cmcas_store_num(p, reg->id);
    apr_dbd_row_t *row;
    apr_status_t rv;

    reg->participants = apr_array_make(p, 4, sizeof(cmcas_registration_participant_t));
    rv = cmcas_store_select(&cur, st, p, "cmcas_reg_participants", perr, 1, &id);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        cmcas_registration_participant_t *pa = apr_array_push(reg->participants);
        const char *role;

        pa->id = cmcas_store_int(&cur, row, 0);
        pa->person_id = cmcas_store_int(&cur, row, 1);
        role = cmcas_store_str(&cur, row, 2);
        pa->kind = pa->person_id && role ? role : "guest";
        pa->first_name = cmcas_store_str(&cur, row, 3);
        pa->last_name = cmcas_store_str(&cur, row, 4);
        pa->birth_date = cmcas_store_str(&cur, row, 5);
        pa->photo_optout = cmcas_store_int(&cur, row, 6) != 0;
        pa->confirmed = cmcas_store_int(&cur, row, 7) != 0;
        pa->options = apr_array_make(p, 2, sizeof(apr_int64_t));
    }
    rv = cmcas_store_select(&cur, st, p, "cmcas_reg_options", perr, 1, &id);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        cmcas_registration_participant_t *pa =
            cmcas_registration_find(reg, cmcas_store_int(&cur, row, 0));
        if (pa) {
            *(apr_int64_t *)apr_array_push(pa->options) = cmcas_store_int(&cur, row, 1);
        }
    }
    return APR_SUCCESS;
}

/* The draw's columns from `col` on: selection, rank, history, coefficient, tiebreak,
 * persons, pay_by, waiting position. */
void cmcas_registration_store_read_draw(cmcas_registration_draw_t *d,
                                        cmcas_store_cursor_t *cur, apr_dbd_row_t *row,
                                        int col)
{
    const char *history;

    d->selection = cmcas_store_str(cur, row, col);
    d->rank = cmcas_store_int_or(cur, row, col + 1, 0);
    history = cmcas_store_str(cur, row, col + 2);
    d->history = history && *history ? atof(history) : 0;
    d->coefficient = cmcas_store_int_or(cur, row, col + 3, -1);
    d->tiebreak = cmcas_store_str(cur, row, col + 4);
    d->persons = cmcas_store_int_or(cur, row, col + 5, 0);
    d->pay_by = cmcas_store_str(cur, row, col + 6);
    d->waiting = cmcas_store_int_or(cur, row, col + 7, 0);
}

static apr_status_t cmcas_registration_store_read(cmcas_registration_t **preg,
                                                  const cmcas_store_t *st, apr_pool_t *p,
                                                  const char *label, const char *a1,
                                                  const char *a2, const char **perr)
{
    cmcas_store_cursor_t cur;
    cmcas_registration_t *reg = NULL;
    const char *args[2];
    apr_dbd_row_t *row;
    apr_status_t rv;

    args[0] = a1;
    args[1] = a2;
    *preg = NULL;
    if (APR_SUCCESS != (rv = cmcas_store_select(&cur, st, p, label, perr, 2, args))) {
        return rv;
    }
    while ((row = cmcas_store_next(&cur))) {
        if (reg) {
            continue;
        }
        reg = cmcas_registration_new(p, 0, 0);
        reg->id = cmcas_store_int(&cur, row, 0);
        reg->activity_id = cmcas_store_int(&cur, row, 1);
        reg->household_id = cmcas_store_int(&cur, row, 2);
        reg->status = (cmcas_status_reg_t)cmcas_registration_store_status_of(
            cmcas_store_str(&cur, row, 3));
        reg->observations = cmcas_store_str(&cur, row, 4);
        reg->created_at = cmcas_store_str(&cur, row, 5);
        reg->places_held = cmcas_store_int(&cur, row, 6);
        cmcas_registration_store_read_draw(&reg->draw, &cur, row, 7);
    }
    if (!reg) {
        return APR_NOTFOUND;
    }
    if (!reg->observations) {
        reg->observations = "";
    }
    if (APR_SUCCESS != (rv = cmcas_registration_store_participants(reg, st, p, perr))) {
        return rv;
    }
    *preg = reg;
    return APR_SUCCESS;
}

apr_status_t cmcas_registration_store_get(cmcas_registration_t **preg,
                                          const cmcas_store_t *st, apr_pool_t *p,
                                          apr_int64_t activity_id, apr_int64_t household_id,
                                          const char **perr)
{
    return cmcas_registration_store_read(preg, st, p, "cmcas_reg_by_activity",
                                         cmcas_store_num(p, activity_id),
                                         cmcas_store_num(p, household_id),
                                         perr);
}

apr_status_t cmcas_registration_store_by_id(cmcas_registration_t **preg,
                                            const cmcas_store_t *st, apr_pool_t *p,
                                            apr_int64_t id, apr_int64_t household_id,
                                            const char **perr)
{
    return cmcas_registration_store_read(preg, st, p, "cmcas_reg_by_id",
                                         cmcas_store_num(p, id),
                                         cmcas_store_num(p, household_id),
                                         perr);
}

apr_status_t cmcas_registration_store_unpaid(apr_array_header_t **pkeys,
                                             const cmcas_store_t *st, apr_pool_t *p,
                                             const char *cmcas_code, const char *before,
                                             const char **perr)
{
    const char *args[2];

    args[0] = cmcas_code;
    args[1] = before;
    return cmcas_store_all(pkeys, st, p, "cmcas_reg_unpaid", 2, args,
                           (int)sizeof(apr_int64_t) * 2, cmcas_store_read_pair,
                           perr);
}

static void cmcas_registration_store_read_row(void *elt, cmcas_store_cursor_t *cur,
                                              apr_dbd_row_t *row)
{
    cmcas_registration_store_row_t *r = elt;
    r->id = cmcas_store_int(cur, row, 0);
    r->status = (cmcas_status_reg_t)cmcas_registration_store_status_of(
        cmcas_store_str(cur, row, 1));
    r->created_at = cmcas_store_str(cur, row, 2);
    r->activity_id = cmcas_store_int(cur, row, 3);
    r->activity_title = cmcas_store_str(cur, row, 4);
    r->activity_mode = cmcas_store_str(cur, row, 5);
    r->total = cmcas_store_int(cur, row, 6);
    r->waiting_order = cmcas_store_str(cur, row, 7);
    cmcas_registration_store_read_draw(&r->draw, cur, row, 8);
    r->closing_date = cmcas_store_str(cur, row, 16);
    r->draw_published_at = cmcas_store_str(cur, row, 17);
}

apr_status_t cmcas_registration_store_list(apr_array_header_t **prows,
                                           const cmcas_store_t *st, apr_pool_t *p,
                                           apr_int64_t household_id, const char **perr)
{
    const char *id = cmcas_store_num(p, household_id);
    return cmcas_store_all(prows, st, p, "cmcas_reg_list", 1, &id,
                           sizeof(cmcas_registration_store_row_t),
                           cmcas_registration_store_read_row, perr);
}

apr_status_t cmcas_registration_store_events(apr_array_header_t **pevents,
                                             const cmcas_store_t *st, apr_pool_t *p,
                                             apr_int64_t registration_id,
                                             const char **perr)
{
    return cmcas_store_events(pevents, st, p, "cmcas_reg_events", registration_id, perr);
}

/* ------------------------------------------------------------------------------- */
/* Changes */

/* Runs a statement of the change; keeps the driver's message. */
static apr_status_t cmcas_registration_store_exec(cmcas_registration_store_change_t *ch,
                                                  int *pnrows, const char *label,
                                                  int nargs, const char **args)
{
    return cmcas_store_exec(pnrows, ch->st, ch->pool, label, &ch->err, nargs, args);
}

void cmcas_registration_store_change_init(cmcas_registration_store_change_t *ch,
                                          cmcas_store_t *st, apr_pool_t *p,
                                          const char *actor, apr_time_t now)
{
    memset(ch, 0, sizeof(*ch));
    ch->st = st;
    ch->pool = p;
    ch->actor = actor;
    ch->when = now;
    ch->now = cmcas_date_stamp(p, now);
}

apr_status_t cmcas_registration_store_lock(cmcas_registration_t **preg,
                                           cmcas_registration_store_change_t *ch,
                                           apr_int64_t activity_id,
                                           apr_int64_t household_id, int create)
{
    const char *aid = cmcas_store_num(ch->pool, activity_id);
    const char *hid = cmcas_store_num(ch->pool, household_id);
    const char *args[4];
    apr_status_t rv;

    *preg = NULL;
    if (APR_SUCCESS != (rv = cmcas_store_begin(&ch->tx, ch->st, ch->pool, &ch->err))) {
        return rv;
    }
    /* Writing first: the transaction holds the lock from its first statement, so it
     * never has to upgrade a read lock (SQLite would answer "busy" at once). */
    if (create) {
        args[0] = aid;
        args[1] = hid;
        args[2] = ch->now;
        args[3] = ch->now;
        if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, &ch->created,
                                                               "cmcas_reg_create", 4,
                                                               args))) {
            return rv;
        }
    }
    args[0] = ch->now;
    args[1] = aid;
    args[2] = hid;
    if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, NULL, "cmcas_reg_lock", 3,
                                                           args))) {
        return rv;
    }
    return cmcas_registration_store_get(preg, ch->st, ch->pool, activity_id, household_id,
                                        &ch->err);
}

apr_status_t cmcas_registration_store_finish(cmcas_registration_store_change_t *ch,
                                             int commit)
{
    return cmcas_store_end(ch->tx, commit, &ch->err);
}

apr_status_t cmcas_registration_store_save_participant(
    cmcas_registration_store_change_t *ch, const cmcas_registration_t *reg,
    const cmcas_registration_participant_t *pa)
{
    const char *args[3];
    apr_status_t rv;
    int i;

    args[0] = cmcas_store_num(ch->pool, pa->id);
    if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, NULL, "cmcas_rego_clear", 1,
                                                           args))) {
        return rv;
    }
    for (i = 0; i < pa->options->nelts; i++) {
        args[1] = cmcas_store_num(ch->pool,
                                               APR_ARRAY_IDX(pa->options, i, apr_int64_t));
        if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, NULL, "cmcas_rego_add",
                                                               2, args))) {
            return rv;
        }
    }
    args[0] = pa->photo_optout ? "1" : "0";
    args[1] = cmcas_store_num(ch->pool, pa->id);
    args[2] = cmcas_store_num(ch->pool, reg->id);
    return cmcas_registration_store_exec(ch, NULL, "cmcas_regp_photo", 3, args);
}

apr_status_t cmcas_registration_store_save_observations(
    cmcas_registration_store_change_t *ch, const cmcas_registration_t *reg)
{
    const char *args[2];
    args[0] = reg->observations;
    args[1] = cmcas_store_num(ch->pool, reg->id);
    return cmcas_registration_store_exec(ch, NULL, "cmcas_reg_set_observations", 2, args);
}

apr_status_t cmcas_registration_store_add(cmcas_registration_store_change_t *ch,
                                          const cmcas_registration_t *reg,
                                          cmcas_registration_participant_t *pa)
{
    cmcas_store_cursor_t cur;
    const char *args[4];
    apr_dbd_row_t *row;
    apr_status_t rv;
    int nargs;

    args[0] = cmcas_store_num(ch->pool, reg->id);
    if (pa->person_id) {
        args[1] = cmcas_store_num(ch->pool, pa->person_id);
        nargs = 2;
    }
    else {
        args[1] = pa->last_name;
        args[2] = pa->first_name;
        args[3] = pa->birth_date;
        nargs = 4;
    }
    rv = cmcas_store_select(&cur, ch->st, ch->pool,
                            pa->person_id ? "cmcas_regp_add_person" : "cmcas_regp_add_guest",
                            &ch->err, nargs, args);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    pa->id = 0;
    while ((row = cmcas_store_next(&cur))) {
        pa->id = cmcas_store_int(&cur, row, 0);
    }
    if (!pa->id) {
        ch->err = "no id returned for the new participant";
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

/* Gives `n` places back to the activity and to the registration's count. */
static apr_status_t cmcas_registration_store_give(cmcas_registration_store_change_t *ch,
                                                  cmcas_registration_t *reg, apr_int64_t n)
{
    const char *args[3];
    apr_status_t rv;
    int nrows = 0;

    if (n <= 0) {
        return APR_SUCCESS;
    }
    args[0] = cmcas_store_num(ch->pool, n);
    args[1] = cmcas_store_num(ch->pool, reg->activity_id);
    args[2] = args[0];
    if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, &nrows, "cmcas_places_give",
                                                           3, args))) {
        return rv;
    }
    if (nrows != 1) {
        ch->err = "the activity holds fewer places than the registration gives back";
        return APR_EGENERAL;
    }
    args[0] = cmcas_store_num(ch->pool, -n);
    args[1] = cmcas_store_num(ch->pool, reg->id);
    if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, NULL, "cmcas_reg_add_held", 2,
                                                           args))) {
        return rv;
    }
    reg->places_held -= n;
    return APR_SUCCESS;
}

apr_status_t cmcas_registration_store_remove(cmcas_registration_store_change_t *ch,
                                             cmcas_registration_t *reg,
                                             const cmcas_registration_participant_t *pa)
{
    const char *args[2];
    apr_status_t rv;
    int nrows = 0;

    args[0] = cmcas_store_num(ch->pool, pa->id);
    args[1] = cmcas_store_num(ch->pool, reg->id);
    /* Unconfirming first tells, by its row count, whether it held a place. */
    if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, &nrows,
                                                           "cmcas_regp_unconfirm", 2,
                                                           args))) {
        return rv;
    }
    if (nrows == 1 && reg->places_held > 0) {
        if (APR_SUCCESS != (rv = cmcas_registration_store_give(ch, reg, 1))) {
            return rv;
        }
    }
    if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, NULL, "cmcas_rego_clear", 1,
                                                           args))) {
        return rv;
    }
    return cmcas_registration_store_exec(ch, NULL, "cmcas_regp_delete", 2, args);
}

apr_status_t cmcas_registration_store_confirm(cmcas_registration_store_change_t *ch,
                                              cmcas_registration_t *reg, int take_places,
                                              int *pno_places)
{
    apr_int64_t n = cmcas_registration_unconfirmed(reg);
    const char *args[3];
    apr_status_t rv;
    int nrows = 0;

    *pno_places = 0;
    /* The places first, all at once or none: when they are gone nothing of this step
     * is written, and the caller keeps the rest of the change. The registration's lock
     * makes `n` exact: no other change of it runs meanwhile. */
    if (take_places && n > 0) {
        args[0] = cmcas_store_num(ch->pool, n);
        args[1] = cmcas_store_num(ch->pool, reg->activity_id);
        args[2] = args[0];
        if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, &nrows,
                                                               "cmcas_places_take", 3,
                                                               args))) {
            return rv;
        }
        if (nrows != 1) {
            *pno_places = 1;
            return APR_SUCCESS;
        }
    }
    args[0] = cmcas_store_num(ch->pool, reg->id);
    if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, &nrows, "cmcas_regp_confirm",
                                                           1, args))) {
        return rv;
    }
    if (nrows != n) {
        ch->err = "the registration changed while it was locked";
        return APR_EGENERAL;
    }
    if (take_places && n > 0) {
        args[0] = cmcas_store_num(ch->pool, n);
        args[1] = cmcas_store_num(ch->pool, reg->id);
        if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, NULL,
                                                               "cmcas_reg_add_held", 2,
                                                               args))) {
            return rv;
        }
        reg->places_held += n;
    }
    return APR_SUCCESS;
}

apr_status_t cmcas_registration_store_cancel(cmcas_registration_store_change_t *ch,
                                             cmcas_registration_t *reg)
{
    const char *args[1];
    apr_status_t rv;

    if (APR_SUCCESS != (rv = cmcas_registration_store_give(ch, reg, reg->places_held))) {
        return rv;
    }
    args[0] = cmcas_store_num(ch->pool, reg->id);
    if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, NULL,
                                                           "cmcas_regp_unconfirm_all", 1,
                                                           args))) {
        return rv;
    }
    return cmcas_registration_store_status(ch, reg, CMCAS_STATUS_REG_ANNULEE,
                                           "Inscription annulée");
}

apr_status_t cmcas_registration_store_status(cmcas_registration_store_change_t *ch,
                                             cmcas_registration_t *reg,
                                             cmcas_status_reg_t status, const char *event)
{
    const char *args[5];
    apr_status_t rv;

    /* The flows decide; this only refuses a move the table does not know (a bug). */
    if (!(ch->staff ? cmcas_status_reg_staff_allowed(reg->status, status)
                    : cmcas_status_reg_allowed(reg->status, status))) {
        ch->err = apr_psprintf(ch->pool, "registration %" APR_INT64_T_FMT ": no move from %s"
                               " to %s", reg->id, cmcas_status_reg_code(reg->status),
                               cmcas_status_reg_code(status));
        return APR_EGENERAL;
    }
    args[0] = cmcas_status_reg_code(status);
    args[1] = cmcas_store_num(ch->pool, reg->id);
    if (APR_SUCCESS != (rv = cmcas_registration_store_exec(ch, NULL, "cmcas_reg_set_status",
                                                           2, args))) {
        return rv;
    }
    reg->status = status;
    args[0] = cmcas_store_num(ch->pool, reg->id);
    args[1] = ch->now;
    args[2] = ch->actor;
    args[3] = cmcas_status_reg_code(status);
    args[4] = event;
    ch->changed = 1;
    return cmcas_registration_store_exec(ch, NULL, "cmcas_reg_event", 5, args);
}
