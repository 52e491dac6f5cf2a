#include <apr_strings.h>

#include "cmcas_catalog_store.h"
#include "cmcas_registration_change.h"
#include "cmcas_order_store.h"
#include "cmcas_outbox_store.h"
#include "cmcas_registration_store.h"

/* The member's e-mail about this change (cmcas_outbox_store_event), in its transaction:
 * one per change of the registration (its time, unique under its lock). */
static apr_status_t cmcas_registration_change_mail(cmcas_registration_store_change_t *ch,
                                                   const cmcas_registration_t *reg,
                                                   const char *kind, const char *detail)
{
    return cmcas_outbox_store_event(ch->st, ch->pool, kind, reg->household_id, reg->id, 0,
                                    detail, apr_psprintf(ch->pool, "%" APR_TIME_T_FMT,
                                                         ch->when), &ch->err);
}

/* The result of a refusal inside the change; returns 0 so that callers stop. */
static int cmcas_registration_change_no(cmcas_registration_change_outcome_t *out,
                                        cmcas_result_kind_t kind, const char *why,
                                        const char *message)
{
    cmcas_result_set(&out->res, kind, why, message);
    return 0;
}

/* Step 1: the check boxes of the listed participants, checked against the registration
 * and the activity's options (and their age ranges), then written. */
static int cmcas_registration_change_choices(cmcas_registration_change_outcome_t *out,
                                             cmcas_registration_store_change_t *ch,
                                             const cmcas_registration_change_who_t *who,
                                             cmcas_registration_t *reg,
                                             const cmcas_registration_input_t *in)
{
    apr_pool_t *p = ch->pool;
    int i, j, k;

    for (i = 0; i < in->choices->nelts; i++) {
        const cmcas_registration_input_choice_t *c =
            &APR_ARRAY_IDX(in->choices, i, cmcas_registration_input_choice_t);
        cmcas_registration_participant_t *pa = cmcas_registration_find(reg,
                                                                       c->participant_id);
        if (!pa) {
            return cmcas_registration_change_no(out, CMCAS_RESULT_BAD_INPUT,
                                                "unknown participant", NULL);
        }
        for (j = 0; j < c->options->nelts; j++) {
            if (!cmcas_registration_option(who->options,
                                           APR_ARRAY_IDX(c->options, j, apr_int64_t))) {
                return cmcas_registration_change_no(out, CMCAS_RESULT_BAD_INPUT,
                                                    "option of another activity", NULL);
            }
        }
        /* In the activity's order, each once, whatever the post's order. */
        pa->options = apr_array_make(p, c->options->nelts + 1, sizeof(apr_int64_t));
        for (j = 0; j < who->options->nelts; j++) {
            const cmcas_activity_option_t *o =
                &APR_ARRAY_IDX(who->options, j, cmcas_activity_option_t);
            for (k = 0; k < c->options->nelts; k++) {
                if (APR_ARRAY_IDX(c->options, k, apr_int64_t) == o->id) {
                    const char *why = cmcas_registration_check_option(
                        p, who->act, o, apr_pstrcat(p, pa->first_name, " ", pa->last_name,
                                                    NULL), pa->birth_date);
                    if (why) {
                        return cmcas_registration_change_no(out, CMCAS_RESULT_REFUSED,
                                                            "option outside its age range",
                                                            why);
                    }
                    *(apr_int64_t *)apr_array_push(pa->options) = o->id;
                    break;
                }
            }
        }
        pa->photo_optout = c->photo_optout;
    }
    if (reg->status == CMCAS_STATUS_REG_VALIDEE) {
        const char *why = cmcas_registration_check_complete(p, reg, who->options, 1);
        if (why) {
            return cmcas_registration_change_no(out, CMCAS_RESULT_REFUSED,
                                                "validated registration left incomplete",
                                                why);
        }
    }
    return 1;
}

static apr_status_t cmcas_registration_change_save(cmcas_registration_store_change_t *ch,
                                                   cmcas_registration_t *reg,
                                                   const cmcas_registration_input_t *in)
{
    apr_status_t rv = APR_SUCCESS;
    int i;

    for (i = 0; i < in->choices->nelts && APR_SUCCESS == rv; i++) {
        rv = cmcas_registration_store_save_participant(
            ch, reg, cmcas_registration_find(reg, APR_ARRAY_IDX(
                in->choices, i, cmcas_registration_input_choice_t).participant_id));
    }
    if (APR_SUCCESS == rv && in->observations) {
        reg->observations = in->observations;
        rv = cmcas_registration_store_save_observations(ch, reg);
    }
    return rv;
}

/* « Ajouter »: a person of the household or a guest, if the rules allow. */
static apr_status_t cmcas_registration_change_add(cmcas_registration_change_outcome_t *out,
                                                  cmcas_registration_store_change_t *ch,
                                                  const cmcas_registration_change_who_t *who,
                                                  cmcas_registration_t *reg,
                                                  const cmcas_registration_input_t *in)
{
    apr_pool_t *p = ch->pool;
    cmcas_registration_participant_t pa;
    const char *name, *why;
    apr_status_t rv;
    int i;

    memset(&pa, 0, sizeof(pa));
    pa.options = apr_array_make(p, 1, sizeof(apr_int64_t));
    if (in->guest) {
        if ((why = cmcas_registration_check_guest_slot(p, who->act, reg))) {
            cmcas_registration_change_no(out, CMCAS_RESULT_REFUSED, "no guest slot", why);
            return APR_SUCCESS;
        }
        why = cmcas_registration_parse_guest(p, in->guest_last, in->guest_first,
                                             in->guest_birth, who->today, &pa.last_name,
                                             &pa.first_name, &pa.birth_date);
        if (why) {
            out->echo_guest = 1;
            cmcas_registration_change_no(out, CMCAS_RESULT_BAD_INPUT, "bad guest fields",
                                         why);
            return APR_SUCCESS;
        }
        pa.kind = "guest";
    }
    else {
        const cmcas_household_person_t *pe = NULL;
        for (i = 0; i < who->persons->nelts; i++) {
            if (APR_ARRAY_IDX(who->persons, i, cmcas_household_person_t).id == in->person_id) {
                pe = &APR_ARRAY_IDX(who->persons, i, cmcas_household_person_t);
            }
        }
        if (!pe) {
            cmcas_registration_change_no(out, CMCAS_RESULT_BAD_INPUT,
                                         "person of another household", "Personne inconnue.");
            return APR_SUCCESS;
        }
        if (cmcas_registration_has_person(reg, pe->id)) {
            cmcas_registration_change_no(out, CMCAS_RESULT_REFUSED, "already registered",
                                         apr_psprintf(p, "%s %s est déjà inscrit(e).",
                                                      pe->first_name, pe->last_name));
            return APR_SUCCESS;
        }
        pa.person_id = pe->id;
        pa.kind = pe->role;
        pa.first_name = pe->first_name;
        pa.last_name = pe->last_name;
        pa.birth_date = pe->birth_date;
    }
    name = apr_pstrcat(p, pa.first_name, " ", pa.last_name, NULL);
    if ((why = cmcas_registration_check_age(p, who->act, name, pa.birth_date))) {
        cmcas_registration_change_no(out, CMCAS_RESULT_REFUSED, "outside the age limits",
                                     why);
        return APR_SUCCESS;
    }
    if (APR_SUCCESS != (rv = cmcas_registration_store_add(ch, reg, &pa))) {
        return rv;
    }
    return cmcas_registration_store_status(ch, reg,
                                           reg->status == CMCAS_STATUS_REG_ANNULEE
                                               ? CMCAS_STATUS_REG_BROUILLON : reg->status,
                                           apr_pstrcat(p, "Ajout de ", name, NULL));
}

static apr_status_t cmcas_registration_change_remove(
    cmcas_registration_change_outcome_t *out, cmcas_registration_store_change_t *ch,
    cmcas_registration_t *reg, apr_int64_t id)
{
    cmcas_registration_participant_t *pa = cmcas_registration_find(reg, id);
    apr_status_t rv;
    int empty;

    if (!pa) {
        cmcas_registration_change_no(out, CMCAS_RESULT_BAD_INPUT,
                                     "unknown participant to remove", "Personne inconnue.");
        return APR_SUCCESS;
    }
    if (APR_SUCCESS != (rv = cmcas_registration_store_remove(ch, reg, pa))) {
        return rv;
    }
    /* A validated registration left without anyone is a cancelled one. */
    empty = reg->participants->nelts == 1;
    return cmcas_registration_store_status(ch, reg,
                                           empty && reg->status == CMCAS_STATUS_REG_VALIDEE
                                               ? CMCAS_STATUS_REG_ANNULEE : reg->status,
                                           apr_pstrcat(ch->pool, "Retrait de ",
                                                       pa->first_name, " ", pa->last_name,
                                                       NULL));
}

static apr_status_t cmcas_registration_change_validate(
    cmcas_registration_change_outcome_t *out, cmcas_registration_store_change_t *ch,
    const cmcas_registration_change_who_t *who, cmcas_registration_t *reg)
{
    apr_pool_t *p = ch->pool;
    const char *why = cmcas_registration_check_complete(p, reg, who->options, 0);
    int n = cmcas_registration_unconfirmed(reg), no_places = 0;
    apr_status_t rv;

    if (why) {
        cmcas_registration_change_no(out, CMCAS_RESULT_REFUSED, "incomplete", why);
        return APR_SUCCESS;
    }
    if (reg->status == CMCAS_STATUS_REG_VALIDEE && !n) {
        return APR_SUCCESS;         /* nothing new to validate */
    }
    rv = cmcas_registration_store_confirm(ch, reg, strcmp(who->act->mode, "tour_de_role") != 0,
                                          &no_places);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    if (no_places) {
        cmcas_registration_change_no(out, CMCAS_RESULT_CONFLICT, "no places left",
                                     apr_psprintf(p, "Il n'y a plus assez de places pour %d "
                                                  "personne%s : votre inscription n'est pas "
                                                  "validée, votre brouillon est conservé.",
                                                  n, n > 1 ? "s" : ""));
        return APR_SUCCESS;
    }
    rv = cmcas_registration_store_status(ch, reg, CMCAS_STATUS_REG_VALIDEE,
                                         apr_psprintf(p, "Inscription validée (%d "
                                                      "personne%s)",
                                                      reg->participants->nelts,
                                                      reg->participants->nelts > 1
                                                          ? "s" : ""));
    /* A « tour de rôle » request is drawn the day after the closing date. */
    return APR_SUCCESS == rv
        ? cmcas_registration_change_mail(ch, reg, strcmp(who->act->mode, "tour_de_role")
                                                      ? "validated" : "request",
                                         strcmp(who->act->mode, "tour_de_role")
                                             ? NULL
                                             : cmcas_registration_draw_date(
                                                   ch->pool, who->act->closing_date))
        : rv;
}

/* « Annuler votre inscription »: the orders that hold it end with it. */
static apr_status_t cmcas_registration_change_cancel(cmcas_registration_store_change_t *ch,
                                                     cmcas_registration_t *reg)
{
    apr_status_t rv;
    int validated = reg->status == CMCAS_STATUS_REG_VALIDEE;

    if (reg->status == CMCAS_STATUS_REG_ANNULEE) {
        return APR_SUCCESS;
    }
    rv = cmcas_order_store_end_holding(ch, reg->id, "Inscription annulée");
    if (APR_SUCCESS == rv) {
        rv = cmcas_registration_store_cancel(ch, reg);
    }
    /* A draft told nobody anything: only a validated registration's end is mailed. */
    return APR_SUCCESS == rv && validated
        ? cmcas_registration_change_mail(ch, reg, "cancelled", NULL) : rv;
}

/* The state of the registration allows the action: not paid, and nothing but
 * cancelling while an order waits for its payment (it fixes what it pays). */
static int cmcas_registration_change_allowed(cmcas_registration_change_outcome_t *out,
                                             cmcas_registration_store_change_t *ch,
                                             const cmcas_registration_t *reg,
                                             const cmcas_registration_input_t *in,
                                             apr_status_t *prv)
{
    const char *waiting = NULL;

    if (reg->status == CMCAS_STATUS_REG_PAYEE) {
        return cmcas_registration_change_no(out, CMCAS_RESULT_CONFLICT, "paid",
                                            "Votre inscription est payée : pour la modifier "
                                            "ou l'annuler, contactez la CMCAS.");
    }
    *prv = cmcas_order_store_waiting(&waiting, ch->st, ch->pool, reg->id, &ch->err);
    if (APR_SUCCESS == *prv && waiting && in->action != CMCAS_REGISTRATION_INPUT_CANCEL) {
        return cmcas_registration_change_no(out, CMCAS_RESULT_CONFLICT, "an order waits",
                                            apr_psprintf(ch->pool, "La commande %s attend "
                                                         "son paiement : annulez-la pour "
                                                         "modifier votre inscription.",
                                                         waiting));
    }
    return APR_SUCCESS == *prv;
}

void cmcas_registration_change_post(cmcas_registration_change_outcome_t *out,
                                    cmcas_store_t *st, apr_pool_t *p,
                                    const cmcas_registration_change_who_t *who,
                                    const cmcas_registration_input_t *in)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    const char *why;
    apr_status_t rv = APR_SUCCESS;

    memset(out, 0, sizeof(*out));
    cmcas_result_done(&out->res);
    if ((why = cmcas_registration_check_open(p, who->act, who->today))
        || (why = cmcas_registration_check_household(p, who->act,
                                                     who->household->cmcas_code))) {
        cmcas_result_set(&out->res, CMCAS_RESULT_REFUSED, "closed or reserved", why);
        return;
    }
    cmcas_registration_store_change_init(&ch, st, p, who->actor, who->now);
    /* A registration is stored at its first person, not before. */
    rv = cmcas_registration_store_lock(&reg, &ch, who->act->id, who->household->id,
                                       in->action == CMCAS_REGISTRATION_INPUT_ADD);
    if (APR_NOTFOUND == rv) {
        cmcas_registration_store_finish(&ch, 0);
        if (in->action == CMCAS_REGISTRATION_INPUT_VALIDATE) {
            cmcas_result_set(&out->res, CMCAS_RESULT_REFUSED, "nothing to validate",
                             "Ajoutez au moins une personne avant de valider votre "
                             "inscription.");
        }
        return;
    }
    if (APR_SUCCESS != rv) {
        goto error;
    }
    out->registration_id = reg->id;
    if (!cmcas_registration_change_allowed(out, &ch, reg, in, &rv)
        || !cmcas_registration_change_choices(out, &ch, who, reg, in)) {
        if (APR_SUCCESS != rv) {
            goto error;
        }
        cmcas_registration_store_finish(&ch, 0);
        return;
    }
    if (APR_SUCCESS != (rv = cmcas_registration_change_save(&ch, reg, in))) {
        goto error;
    }
    switch (in->action) {
    case CMCAS_REGISTRATION_INPUT_ADD:
        rv = cmcas_registration_change_add(out, &ch, who, reg, in);
        break;
    case CMCAS_REGISTRATION_INPUT_REMOVE:
        rv = cmcas_registration_change_remove(out, &ch, reg, in->remove_id);
        break;
    case CMCAS_REGISTRATION_INPUT_VALIDATE:
        rv = cmcas_registration_change_validate(out, &ch, who, reg);
        break;
    case CMCAS_REGISTRATION_INPUT_CANCEL:
        rv = cmcas_registration_change_cancel(&ch, reg);
        break;
    default:
        break;
    }
    if (APR_SUCCESS != rv) {
        goto error;
    }
    /* A refused first person leaves no empty registration behind; a malformed action
     * writes nothing at all. */
    if (APR_SUCCESS != (rv = cmcas_registration_store_finish(
                            &ch, (out->res.kind != CMCAS_RESULT_BAD_INPUT || out->echo_guest)
                                 && !(out->res.kind != CMCAS_RESULT_DONE && ch.created)))) {
        goto error;
    }
    if (ch.created && out->res.kind != CMCAS_RESULT_DONE) {
        out->registration_id = 0;
    }
    return;
error:
    cmcas_registration_store_finish(&ch, 0);
    cmcas_result_error(&out->res, "a registration change", ch.err);
}

void cmcas_registration_change_release(cmcas_result_t *res, int *preleased,
                                       cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                                       apr_int64_t activity_id, apr_int64_t household_id)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    apr_array_header_t *options = NULL, *holding = NULL;
    apr_status_t rv;

    *preleased = 0;
    cmcas_registration_store_change_init(&ch, st, p, "expiration", now);
    rv = cmcas_registration_store_lock(&reg, &ch, activity_id, household_id, 0);
    if (APR_SUCCESS == rv) {
        rv = cmcas_order_store_holding(&holding, ch.st, ch.pool, reg->id,
                                                         &ch.err);
    }
    if (APR_SUCCESS == rv) {
        rv = cmcas_catalog_store_options(&options, st, p, activity_id, &ch.err);
    }
    /* An order may have come meanwhile: it has its own hold. */
    if (APR_SUCCESS == rv && !holding->nelts && reg->status == CMCAS_STATUS_REG_VALIDEE
        && cmcas_registration_total(reg, options) > 0) {
        *preleased = 1;
        rv = cmcas_registration_store_cancel(&ch, reg);
        if (APR_SUCCESS == rv) {
            rv = cmcas_registration_store_status(&ch, reg, CMCAS_STATUS_REG_ANNULEE,
                                                 "Délai de paiement dépassé : inscription "
                                                 "annulée");
        }
        if (APR_SUCCESS == rv) {
            rv = cmcas_registration_change_mail(&ch, reg, "released", NULL);
        }
    }
    if (APR_SUCCESS != rv || APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch,
                                                                                 *preleased))) {
        cmcas_registration_store_finish(&ch, 0);
        *preleased = 0;
        cmcas_result_error(res, "an unpaid registration", ch.err);
        return;
    }
    cmcas_result_done(res);
}
