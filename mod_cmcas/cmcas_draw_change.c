#include <apr_general.h>
#include <apr_strings.h>

#include "cmcas_draw_change.h"
#include "cmcas_audit_store.h"
#include "cmcas_catalog_store.h"
#include "cmcas_date.h"
#include "cmcas_draw.h"
#include "cmcas_draw_store.h"
#include "cmcas_order_store.h"
#include "cmcas_outbox_store.h"
#include "cmcas_registration.h"
#include "cmcas_registration_store.h"

/* Whether a request still holds at draw time: the household may register for the
 * activity, and each of its persons fits the ages and options (its persons and
 * options are those of the request as validated: nothing has been changed since the
 * closing date). */
static int cmcas_draw_change_eligible(apr_pool_t *p, const cmcas_activity_t *act,
                                      const apr_array_header_t *options,
                                      const cmcas_registration_t *reg, const char *cmcas)
{
    int i;

    if (cmcas_registration_check_household(p, act, cmcas)
        || cmcas_registration_check_complete(p, reg, options, 1)) {
        return 0;
    }
    for (i = 0; i < reg->participants->nelts; i++) {
        const cmcas_registration_participant_t *pa =
            &APR_ARRAY_IDX(reg->participants, i, cmcas_registration_participant_t);
        int j;
        if (!pa->confirmed) {
            continue;
        }
        if (cmcas_registration_check_age(p, act, pa->first_name, pa->birth_date)) {
            return 0;
        }
        for (j = 0; j < pa->options->nelts; j++) {
            const cmcas_activity_option_t *o =
                cmcas_registration_option(options, APR_ARRAY_IDX(pa->options, j, apr_int64_t));
            if (!o || !cmcas_registration_option_fits(act, o, pa->birth_date)) {
                return 0;
            }
        }
    }
    return 1;
}

/* The confirmed persons of a request: the places it asks for. */
static int cmcas_draw_change_persons(const cmcas_registration_t *reg)
{
    int i, n = 0;
    for (i = 0; i < reg->participants->nelts; i++) {
        n += APR_ARRAY_IDX(reg->participants, i, cmcas_registration_participant_t).confirmed;
    }
    return n;
}

/* The draw's input for every request of the activity: places, eligibility, coefficient
 * and the weighted history of the last window_months. */
static apr_status_t cmcas_draw_change_entries(apr_array_header_t **pentries,
                                              cmcas_registration_store_change_t *ch,
                                              const cmcas_activity_t *act,
                                              const apr_array_header_t *options,
                                              const cmcas_draw_change_rules_t *rules)
{
    apr_pool_t *p = ch->pool;
    apr_array_header_t *reqs = NULL, *obtained = NULL, *entries;
    cmcas_date_t today, since;
    long today_days;
    int window_days, i, j = 0, *ages;
    apr_status_t rv;

    cmcas_date_today(&today, ch->when);
    cmcas_date_add_months(&since, &today, -rules->window_months);
    today_days = cmcas_date_to_days(&today);
    window_days = (int)(today_days - cmcas_date_to_days(&since));
    if (APR_SUCCESS != (rv = cmcas_draw_store_requests(&reqs, ch->st, p, act->id, &ch->err))
        || APR_SUCCESS != (rv = cmcas_draw_store_history(&obtained, ch->st, p, act->id,
                                                         act->cmcas_code,
                                                         cmcas_date_iso(p, &since),
                                                         &ch->err))) {
        return rv;
    }
    entries = apr_array_make(p, reqs->nelts, sizeof(cmcas_draw_entry_t));
    ages = apr_pcalloc(p, sizeof(int) * (obtained->nelts + 1));
    for (i = 0; i < reqs->nelts; i++) {
        const cmcas_draw_store_request_t *rq =
            &APR_ARRAY_IDX(reqs, i, cmcas_draw_store_request_t);
        cmcas_draw_entry_t *e = apr_array_push(entries);
        cmcas_registration_t *reg = NULL;
        int n = 0;

        rv = cmcas_registration_store_get(&reg, ch->st, p, act->id, rq->household_id,
                                          &ch->err);
        if (APR_SUCCESS != rv) {
            return rv;
        }
        memset(e, 0, sizeof(*e));
        e->registration_id = rq->registration_id;
        e->persons = cmcas_draw_change_persons(reg);
        e->eligible = e->persons > 0
                      && cmcas_draw_change_eligible(p, act, options, reg,
                                                    rq->household_cmcas);
        if (e->persons < 1) {
            e->persons = 1;         /* nothing to give it: it is not eligible anyway */
        }
        e->coefficient = rq->coefficient > (apr_int64_t)APR_INT32_MAX ? APR_INT32_MAX
                                                                      : (int)rq->coefficient;
        /* Both lists are in registration id order. */
        while (j < obtained->nelts
               && ((apr_int64_t *)obtained->elts)[2 * j] < rq->registration_id) {
            j++;
        }
        while (j < obtained->nelts
               && ((apr_int64_t *)obtained->elts)[2 * j] == rq->registration_id) {
            ages[n++] = (int)(today_days - ((apr_int64_t *)obtained->elts)[2 * j + 1]);
            j++;
        }
        e->history = cmcas_draw_history(ages, n, window_days);
    }
    *pentries = entries;
    return APR_SUCCESS;
}

static const char *cmcas_draw_change_selection(cmcas_draw_result_t r)
{
    return r == CMCAS_DRAW_RETENUE ? "retenue"
           : r == CMCAS_DRAW_ATTENTE ? "attente" : "non_retenue";
}

/* The draw itself, inside the claimed transaction. */
static apr_status_t cmcas_draw_change_draw(cmcas_registration_store_change_t *ch,
                                           const cmcas_activity_t *act,
                                           const apr_array_header_t *options,
                                           const cmcas_draw_change_rules_t *rules)
{
    apr_array_header_t *entries = NULL;
    apr_int64_t free_places = act->capacity - act->places_taken;
    int i, taken = 0, ok = 0;
    apr_status_t rv;

    if (APR_SUCCESS != (rv = cmcas_draw_change_entries(&entries, ch, act, options, rules))) {
        return rv;
    }
    if (free_places < 0) {
        free_places = 0;
    }
    rv = cmcas_draw_store_places(ch->st, ch->pool, act->id, (int)free_places, &ch->err);
    cmcas_draw_run(entries, act->draw_seed ? act->draw_seed : "", (int)free_places, &taken);
    for (i = 0; i < entries->nelts && APR_SUCCESS == rv; i++) {
        const cmcas_draw_entry_t *e = &APR_ARRAY_IDX(entries, i, cmcas_draw_entry_t);
        rv = cmcas_draw_store_decide(ch->st, ch->pool, e->registration_id,
                                     cmcas_draw_change_selection(e->result), e->rank,
                                     e->history, e->coefficient, e->tiebreak, e->persons,
                                     e->result == CMCAS_DRAW_RETENUE ? e->persons : 0,
                                     &ch->err);
    }
    if (APR_SUCCESS == rv && taken > 0) {
        rv = cmcas_draw_store_take(&ok, ch->st, ch->pool, act->id, taken, &ch->err);
        if (APR_SUCCESS == rv && !ok) {
            ch->err = "the places counted for the draw are not free any more";
            rv = APR_EGENERAL;
        }
    }
    return rv;
}

/* today + days, as an ISO date. */
static const char *cmcas_draw_change_day(apr_pool_t *p, apr_time_t now, int days)
{
    cmcas_date_t d;
    cmcas_date_today(&d, now);
    cmcas_date_from_days(&d, cmcas_date_to_days(&d) + days);
    return cmcas_date_iso(p, &d);
}

/* The last day to pay a place given at `now`: pay_days later, but before the activity
 * starts (not before today). */
static const char *cmcas_draw_change_pay_by(apr_pool_t *p, apr_time_t now,
                                            const cmcas_draw_change_rules_t *rules,
                                            const char *start_date)
{
    const char *by = cmcas_draw_change_day(p, now, rules->pay_days);
    cmcas_date_t start;

    if (start_date && APR_SUCCESS == cmcas_date_parse_iso(&start, start_date)) {
        const char *eve, *today = cmcas_draw_change_day(p, now, 0);
        cmcas_date_from_days(&start, cmcas_date_to_days(&start) - 1);
        eve = cmcas_date_iso(p, &start);
        if (strcmp(eve, by) < 0) {
            by = strcmp(eve, today) < 0 ? today : eve;
        }
    }
    return by;
}

/* Records `event` in a drawn request's history (its status stays « validée »). */
static apr_status_t cmcas_draw_change_event(cmcas_registration_store_change_t *ch,
                                            apr_int64_t registration_id, const char *event)
{
    cmcas_registration_t reg;

    memset(&reg, 0, sizeof(reg));
    reg.id = registration_id;
    reg.status = CMCAS_STATUS_REG_VALIDEE;
    return cmcas_registration_store_status(ch, &reg, CMCAS_STATUS_REG_VALIDEE, event);
}

/* Publication, inside a transaction. */
static apr_status_t cmcas_draw_change_publish_tx(cmcas_registration_store_change_t *ch,
                                                 int *pdone, apr_int64_t activity_id,
                                                 const cmcas_draw_change_rules_t *rules)
{
    apr_pool_t *p = ch->pool;
    apr_array_header_t *drawn = NULL;
    cmcas_activity_t *act = NULL;
    const char *pay_by;
    int i, waiting = 0;
    apr_status_t rv;

    rv = cmcas_draw_store_lock_held(ch->st, p, activity_id, &ch->err);
    if (APR_SUCCESS == rv) {
        rv = cmcas_draw_store_publish(pdone, ch->st, p, activity_id, ch->now, &ch->err);
    }
    if (APR_SUCCESS != rv || !*pdone
        || APR_SUCCESS != (rv = cmcas_catalog_store_activity(&act, ch->st, p, activity_id,
                                                             &ch->err))) {
        return rv;
    }
    pay_by = cmcas_draw_change_pay_by(p, ch->when, rules, act->start_date);
    if (APR_SUCCESS != (rv = cmcas_draw_store_drawn(&drawn, ch->st, p, activity_id,
                                                    &ch->err))) {
        return rv;
    }
    for (i = 0; i < drawn->nelts && APR_SUCCESS == rv; i++) {
        const cmcas_draw_store_drawn_t *d = &APR_ARRAY_IDX(drawn, i, cmcas_draw_store_drawn_t);
        const char *event, *kind, *detail = NULL;
        if (!strcmp(d->selection, "retenue")) {
            rv = cmcas_draw_store_pay_by(ch->st, p, d->registration_id, pay_by, &ch->err);
            event = apr_psprintf(p, "Sélection : demande retenue, à payer au plus tard le %s",
                                 cmcas_date_iso_to_fr(p, pay_by));
            kind = "selected";
            detail = pay_by;
        }
        else if (!strcmp(d->selection, "attente")) {
            event = apr_psprintf(p, "Sélection : liste d'attente (position %d)", ++waiting);
            kind = "waiting";
            detail = apr_itoa(p, waiting);
        }
        else {
            event = "Sélection : demande non retenue (conditions d'inscription plus "
                    "remplies)";
            kind = "not_selected";
        }
        if (APR_SUCCESS == rv) {
            rv = cmcas_draw_change_event(ch, d->registration_id, event);
        }
        /* Each household's message, in the publication's transaction. */
        if (APR_SUCCESS == rv) {
            rv = cmcas_outbox_store_event(ch->st, p, kind, d->household_id,
                                          d->registration_id, 0, detail, NULL, &ch->err);
        }
    }
    return rv;
}

/* The audit line of a staff member's draw or publication, with what the activity's
 * requests became, in the change's transaction. */
static apr_status_t cmcas_draw_change_audit(cmcas_registration_store_change_t *ch,
                                            const cmcas_draw_change_audit_t *audit,
                                            apr_int64_t activity_id)
{
    apr_array_header_t *drawn = NULL;
    int i, n[3] = {0, 0, 0};
    apr_status_t rv;

    if (!audit) {
        return APR_SUCCESS;
    }
    if (APR_SUCCESS != (rv = cmcas_draw_store_drawn(&drawn, ch->st, ch->pool, activity_id,
                                                    &ch->err))) {
        return rv;
    }
    for (i = 0; i < drawn->nelts; i++) {
        const char *sel = APR_ARRAY_IDX(drawn, i, cmcas_draw_store_drawn_t).selection;
        n[!strcmp(sel, "retenue") ? 0 : !strcmp(sel, "attente") ? 1 : 2]++;
    }
    return cmcas_audit_store_add(ch->st, ch->pool, ch->when, audit->cmcas_code, ch->actor,
                                 audit->action,
                                 apr_psprintf(ch->pool, "activité %" APR_INT64_T_FMT,
                                              activity_id), NULL,
                                 apr_psprintf(ch->pool, "Demandes retenues : %d\n"
                                              "Liste d'attente : %d\nAutres : %d",
                                              n[0], n[1], n[2]), &ch->err);
}

static void cmcas_draw_change_run_audited(cmcas_result_t *res, int *pdrawn,
                                          cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                                          const char *actor, apr_int64_t activity_id,
                                          const cmcas_draw_change_rules_t *rules,
                                          int publish, int rerun,
                                          const cmcas_draw_change_audit_t *audit)
{
    cmcas_registration_store_change_t ch;
    cmcas_activity_t *act = NULL;
    apr_array_header_t *options = NULL;
    apr_status_t rv;
    int mine = 0, done = 0;

    *pdrawn = 0;
    cmcas_registration_store_change_init(&ch, st, p, actor, now);
    if (APR_SUCCESS != (rv = cmcas_store_begin(&ch.tx, st, p, &ch.err))
        || APR_SUCCESS != (rv = cmcas_draw_store_lock_held(st, p, activity_id, &ch.err))) {
        goto error;
    }
    rv = cmcas_draw_store_claim(&mine, st, p, activity_id, ch.now, rerun, &ch.err);
    if (APR_SUCCESS != rv) {
        goto error;
    }
    if (!mine) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(res, CMCAS_RESULT_CONFLICT, "drawn already, or not to be drawn",
                         "Le tirage de cette activité est déjà fait.");
        return;
    }
    if ((rerun && APR_SUCCESS != (rv = cmcas_draw_store_reset(st, p, activity_id, &ch.err)))
        || APR_SUCCESS != (rv = cmcas_catalog_store_activity(&act, st, p, activity_id,
                                                             &ch.err))
        || APR_SUCCESS != (rv = cmcas_catalog_store_options(&options, st, p, activity_id,
                                                            &ch.err))
        || APR_SUCCESS != (rv = cmcas_draw_change_draw(&ch, act, options, rules))
        || (publish && APR_SUCCESS != (rv = cmcas_draw_change_publish_tx(&ch, &done,
                                                                         activity_id,
                                                                         rules)))
        || APR_SUCCESS != (rv = cmcas_draw_change_audit(&ch, audit, activity_id))
        || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, 1))) {
        goto error;
    }
    *pdrawn = 1;
    cmcas_result_done(res);
    return;
error:
    cmcas_registration_store_finish(&ch, 0);
    cmcas_result_error(res, "a draw", ch.err);
}

void cmcas_draw_change_run(cmcas_result_t *res, int *pdrawn, cmcas_store_t *st,
                           apr_pool_t *p, apr_time_t now, const char *actor,
                           apr_int64_t activity_id, const cmcas_draw_change_rules_t *rules,
                           int publish, int rerun)
{
    cmcas_draw_change_run_audited(res, pdrawn, st, p, now, actor, activity_id, rules,
                                  publish, rerun, NULL);
}

void cmcas_draw_change_staff_run(cmcas_result_t *res, int *pdrawn, cmcas_store_t *st,
                                 apr_pool_t *p, apr_time_t now, const cmcas_staff_t *staff,
                                 apr_int64_t activity_id,
                                 const cmcas_draw_change_rules_t *rules)
{
    cmcas_draw_change_audit_t audit = {staff->cmcas_code, "Tour de rôle effectué"};

    cmcas_draw_change_run_audited(res, pdrawn, st, p, now, staff->login, activity_id, rules,
                                  0, 1, &audit);
    if (res->kind == CMCAS_RESULT_CONFLICT) {
        res->message = "Les résultats de ce tour de rôle sont publiés : il ne peut plus "
                       "être refait.";
    }
}

static void cmcas_draw_change_publish_audited(cmcas_result_t *res, int *pdone,
                                              cmcas_store_t *st, apr_pool_t *p,
                                              apr_time_t now, const char *actor,
                                              apr_int64_t activity_id,
                                              const cmcas_draw_change_rules_t *rules,
                                              const cmcas_draw_change_audit_t *audit)
{
    cmcas_registration_store_change_t ch;
    apr_status_t rv;

    *pdone = 0;
    cmcas_registration_store_change_init(&ch, st, p, actor, now);
    if (APR_SUCCESS != (rv = cmcas_store_begin(&ch.tx, st, p, &ch.err))
        || APR_SUCCESS != (rv = cmcas_draw_change_publish_tx(&ch, pdone, activity_id, rules))
        || (*pdone && APR_SUCCESS != (rv = cmcas_draw_change_audit(&ch, audit, activity_id)))
        || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, *pdone))) {
        cmcas_registration_store_finish(&ch, 0);
        *pdone = 0;
        cmcas_result_error(res, "a draw's publication", ch.err);
        return;
    }
    cmcas_result_done(res);
}

void cmcas_draw_change_publish(cmcas_result_t *res, int *pdone, cmcas_store_t *st,
                               apr_pool_t *p, apr_time_t now, const char *actor,
                               apr_int64_t activity_id,
                               const cmcas_draw_change_rules_t *rules)
{
    cmcas_draw_change_publish_audited(res, pdone, st, p, now, actor, activity_id, rules,
                                      NULL);
}

void cmcas_draw_change_staff_publish(cmcas_result_t *res, int *pdone, cmcas_store_t *st,
                                     apr_pool_t *p, apr_time_t now,
                                     const cmcas_staff_t *staff, apr_int64_t activity_id,
                                     const cmcas_draw_change_rules_t *rules)
{
    cmcas_draw_change_audit_t audit = {staff->cmcas_code, "Tour de rôle publié"};

    cmcas_draw_change_publish_audited(res, pdone, st, p, now, staff->login, activity_id,
                                      rules, &audit);
}

apr_status_t cmcas_draw_change_preview(apr_array_header_t **pentries, int *pplaces,
                                       cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                                       const cmcas_activity_t *act,
                                       const cmcas_draw_change_rules_t *rules,
                                       const char **perr)
{
    cmcas_registration_store_change_t ch;
    apr_array_header_t *options = NULL, *entries = NULL;
    apr_int64_t free_places = act->capacity - act->places_taken;
    unsigned char raw[32];
    char seed[65];
    apr_status_t rv;
    int taken = 0, i;

    /* The draw's own reads, outside any transaction: nothing is written. */
    cmcas_registration_store_change_init(&ch, st, p, "aperçu", now);
    if (APR_SUCCESS != (rv = cmcas_catalog_store_options(&options, st, p, act->id, perr))
        || APR_SUCCESS != (rv = cmcas_draw_change_entries(&entries, &ch, act, options,
                                                          rules))) {
        if (ch.err) {
            *perr = ch.err;
        }
        return rv;
    }
    if (free_places < 0) {
        free_places = 0;
    }
    /* The seed stays secret until the draw (only its hash is shown): values derived from
     * it would let someone re-register until their request sorted well. Ties are ordered
     * here by a seed of this preview's own, and the tiebreaks cleared. */
    if (APR_SUCCESS != (rv = apr_generate_random_bytes(raw, sizeof(raw)))) {
        *perr = "no random bytes for the preview";
        return rv;
    }
    for (i = 0; i < (int)sizeof(raw); i++) {
        apr_snprintf(seed + 2 * i, 3, "%02x", raw[i]);
    }
    cmcas_draw_run(entries, seed, (int)free_places, &taken);
    for (i = 0; i < entries->nelts; i++) {
        APR_ARRAY_IDX(entries, i, cmcas_draw_entry_t).tiebreak[0] = '\0';
    }
    *pentries = entries;
    *pplaces = (int)free_places;
    return APR_SUCCESS;
}

void cmcas_draw_change_fill(cmcas_result_t *res, int *ppromoted, cmcas_store_t *st,
                            apr_pool_t *p, apr_time_t now, apr_int64_t activity_id,
                            const cmcas_draw_change_rules_t *rules)
{
    cmcas_registration_store_change_t ch;
    cmcas_activity_t *act = NULL;
    apr_array_header_t *drawn = NULL;
    const char *pay_by;
    apr_int64_t free_places;
    apr_status_t rv;
    int i, locked = 0;

    *ppromoted = 0;
    cmcas_registration_store_change_init(&ch, st, p, "tour de rôle", now);
    /* Taking no place locks the activity's row: the places read next stay true. */
    if (APR_SUCCESS != (rv = cmcas_store_begin(&ch.tx, st, p, &ch.err))
        || APR_SUCCESS != (rv = cmcas_draw_store_take(&locked, st, p, activity_id, 0,
                                                      &ch.err))
        || APR_SUCCESS != (rv = cmcas_catalog_store_activity(&act, st, p, activity_id,
                                                             &ch.err))
        || APR_SUCCESS != (rv = cmcas_draw_store_drawn(&drawn, st, p, activity_id,
                                                       &ch.err))) {
        goto error;
    }
    pay_by = cmcas_draw_change_pay_by(p, now, rules, act->start_date);
    free_places = act->draw_published_at ? act->capacity - act->places_taken : 0;
    for (i = 0; i < drawn->nelts && free_places > 0; i++) {
        const cmcas_draw_store_drawn_t *d = &APR_ARRAY_IDX(drawn, i, cmcas_draw_store_drawn_t);
        int done = 0, took = 0;
        if (strcmp(d->selection, "attente") || d->persons > free_places) {
            continue;               /* one that does not fit stays first in line */
        }
        if (APR_SUCCESS != (rv = cmcas_draw_store_promote(&done, st, p, d->registration_id,
                                                          pay_by, &ch.err))
            || (done && APR_SUCCESS != (rv = cmcas_draw_store_take(&took, st, p,
                                                                   activity_id,
                                                                   (int)d->persons,
                                                                   &ch.err)))) {
            goto error;
        }
        if (!done || !took) {
            ch.err = "a waiting request or the places changed during a promotion";
            rv = APR_EGENERAL;
            goto error;
        }
        free_places -= d->persons;
        ++*ppromoted;
        rv = cmcas_draw_change_event(&ch, d->registration_id,
                                     apr_psprintf(p, "Place attribuée depuis la liste "
                                                  "d'attente, à payer au plus tard le %s",
                                                  cmcas_date_iso_to_fr(p, pay_by)));
        if (APR_SUCCESS == rv) {
            rv = cmcas_outbox_store_event(st, p, "promoted", d->household_id,
                                          d->registration_id, 0, pay_by, NULL, &ch.err);
        }
        if (APR_SUCCESS != rv) {
            goto error;
        }
    }
    if (APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, *ppromoted > 0))) {
        goto error;
    }
    cmcas_result_done(res);
    return;
error:
    cmcas_registration_store_finish(&ch, 0);
    *ppromoted = 0;
    cmcas_result_error(res, "promotions from a waiting list", ch.err);
}

/* The request given up: cancelled (its places back), with its selection, event and
 * message (`kind`). */
static apr_status_t cmcas_draw_change_give_up(cmcas_registration_store_change_t *ch,
                                              cmcas_registration_t *reg,
                                              const char *selection, const char *event,
                                              const char *kind)
{
    apr_status_t rv = cmcas_registration_store_cancel(ch, reg);
    if (APR_SUCCESS == rv) {
        rv = cmcas_draw_store_select(ch->st, ch->pool, reg->id, selection, &ch->err);
    }
    if (APR_SUCCESS == rv) {
        rv = cmcas_registration_store_status(ch, reg, CMCAS_STATUS_REG_ANNULEE, event);
    }
    return APR_SUCCESS == rv
        ? cmcas_outbox_store_event(ch->st, ch->pool, kind, reg->household_id, reg->id, 0,
                                   NULL, selection, &ch->err)
        : rv;
}

void cmcas_draw_change_release(cmcas_result_t *res, int *preleased, cmcas_store_t *st,
                               apr_pool_t *p, apr_time_t now, apr_int64_t activity_id,
                               apr_int64_t household_id)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    apr_array_header_t *holding = NULL;
    const char *today = cmcas_draw_change_day(p, now, 0);
    apr_status_t rv;

    *preleased = 0;
    cmcas_registration_store_change_init(&ch, st, p, "expiration", now);
    rv = cmcas_registration_store_lock(&reg, &ch, activity_id, household_id, 0);
    if (APR_SUCCESS == rv) {
        rv = cmcas_order_store_holding(&holding, st, p, reg->id, &ch.err);
    }
    /* Under the lock: still selected, unpaid, past its date, with no order under way. */
    if (APR_SUCCESS == rv && !holding->nelts && reg->status == CMCAS_STATUS_REG_VALIDEE
        && reg->draw.selection && !strcmp(reg->draw.selection, "retenue")
        && reg->draw.pay_by && strcmp(reg->draw.pay_by, today) < 0) {
        *preleased = 1;
        rv = cmcas_draw_change_give_up(&ch, reg, "liberee",
                                       apr_psprintf(p, "Place libérée : paiement attendu au plus "
                                                    "tard le %s",
                                                    cmcas_date_iso_to_fr(p,
                                                                         reg->draw.pay_by)),
                                       "released");
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch,
                                                                                 *preleased))) {
        cmcas_registration_store_finish(&ch, 0);
        *preleased = 0;
        cmcas_result_error(res, "an unpaid selected request", ch.err);
        return;
    }
    cmcas_result_done(res);
}

void cmcas_draw_change_renounce(cmcas_result_t *res, cmcas_store_t *st, apr_pool_t *p,
                                apr_time_t now, const char *actor, apr_int64_t activity_id,
                                apr_int64_t household_id)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    apr_status_t rv;

    cmcas_registration_store_change_init(&ch, st, p, actor, now);
    rv = cmcas_registration_store_lock(&reg, &ch, activity_id, household_id, 0);
    if (APR_NOTFOUND == rv) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(res, CMCAS_RESULT_NOT_FOUND, "no request to renounce", NULL);
        return;
    }
    if (APR_SUCCESS != rv) {
        goto error;
    }
    if (reg->status != CMCAS_STATUS_REG_VALIDEE || !reg->draw.selection
        || (strcmp(reg->draw.selection, "retenue") && strcmp(reg->draw.selection, "attente"))) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(res, CMCAS_RESULT_CONFLICT, "nothing to renounce",
                         reg->status == CMCAS_STATUS_REG_PAYEE
                             ? "Votre inscription est payée : pour y renoncer, contactez "
                               "la CMCAS."
                             : "Cette demande n'a plus de place ni de rang à laisser.");
        return;
    }
    if (APR_SUCCESS != (rv = cmcas_order_store_end_holding(&ch, reg->id,
                                                           "Renoncement à la place"))
        || APR_SUCCESS != (rv = cmcas_draw_change_give_up(
                               &ch, reg, "renonce",
                               !strcmp(reg->draw.selection, "retenue")
                                   ? "Renoncement : place laissée au suivant"
                                   : "Renoncement : retrait de la liste d'attente",
                               "cancelled"))
        || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, 1))) {
        goto error;
    }
    cmcas_result_done(res);
    return;
error:
    cmcas_registration_store_finish(&ch, 0);
    cmcas_result_error(res, "a renouncement", ch.err);
}
