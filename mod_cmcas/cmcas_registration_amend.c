#include <apr_strings.h>

#include "cmcas_registration_amend.h"
#include "cmcas_audit.h"
#include "cmcas_audit_store.h"
#include "cmcas_catalog_store.h"
#include "cmcas_money.h"
#include "cmcas_invoice_store.h"
#include "cmcas_order_store.h"
#include "cmcas_outbox_store.h"
#include "cmcas_registration_store.h"
#include "cmcas_staff_cancel.h"
#include "cmcas_staff_registration_store.h"

/* One option of one person, added or removed by the change. */
typedef struct {
    const char *person;
    const char *option;
    apr_int64_t amount;
    apr_int64_t participation;
    int added;
} cmcas_registration_amend_item_t;

static const char *cmcas_registration_amend_name(apr_pool_t *p,
                                                 const cmcas_registration_participant_t *pa)
{
    return apr_pstrcat(p, pa->first_name, " ", pa->last_name, NULL);
}

static int cmcas_registration_amend_no(cmcas_registration_amend_outcome_t *out,
                                       cmcas_result_kind_t kind, const char *why,
                                       const char *message)
{
    cmcas_result_set(&out->res, kind, why, message);
    return 0;
}

/* The participants and their options, for the audit: « Jean DUPONT (Séjour) ; … ». */
static const char *cmcas_registration_amend_persons(apr_pool_t *p,
                                                    const cmcas_registration_t *reg,
                                                    const apr_array_header_t *options)
{
    const char *s = "";
    int i, j;

    for (i = 0; i < reg->participants->nelts; i++) {
        const cmcas_registration_participant_t *pa =
            &APR_ARRAY_IDX(reg->participants, i, cmcas_registration_participant_t);
        const char *opts = "";
        for (j = 0; j < pa->options->nelts; j++) {
            const cmcas_activity_option_t *o = cmcas_registration_option(
                options, APR_ARRAY_IDX(pa->options, j, apr_int64_t));
            opts = apr_pstrcat(p, opts, j ? ", " : "", o ? o->label : "?", NULL);
        }
        s = apr_pstrcat(p, s, i ? " ; " : "", cmcas_registration_amend_name(p, pa),
                        *opts ? " (" : "", opts, *opts ? ")" : "", NULL);
    }
    return s;
}

/* A copy whose participants and options the change may edit. */
static cmcas_registration_t *cmcas_registration_amend_copy(apr_pool_t *p,
                                                           const cmcas_registration_t *reg)
{
    cmcas_registration_t *c = apr_pmemdup(p, reg, sizeof(*reg));
    int i;

    c->participants = apr_array_copy(p, reg->participants);
    for (i = 0; i < c->participants->nelts; i++) {
        cmcas_registration_participant_t *pa =
            &APR_ARRAY_IDX(c->participants, i, cmcas_registration_participant_t);
        pa->options = apr_array_copy(p, pa->options);
    }
    return c;
}

/* The posted option ids checked (the activity's, in its order, within their age range)
 * into *pids for the person `pa`. */
static int cmcas_registration_amend_options(cmcas_registration_amend_outcome_t *out,
                                            apr_pool_t *p, const cmcas_activity_t *act,
                                            const apr_array_header_t *options,
                                            const cmcas_registration_participant_t *pa,
                                            const apr_array_header_t *posted,
                                            apr_array_header_t **pids)
{
    int j, k;

    for (j = 0; j < posted->nelts; j++) {
        if (!cmcas_registration_option(options, APR_ARRAY_IDX(posted, j, apr_int64_t))) {
            return cmcas_registration_amend_no(out, CMCAS_RESULT_BAD_INPUT,
                                               "option of another activity", NULL);
        }
    }
    *pids = apr_array_make(p, posted->nelts + 1, sizeof(apr_int64_t));
    for (j = 0; j < options->nelts; j++) {
        const cmcas_activity_option_t *o =
            &APR_ARRAY_IDX(options, j, cmcas_activity_option_t);
        for (k = 0; k < posted->nelts; k++) {
            if (APR_ARRAY_IDX(posted, k, apr_int64_t) == o->id) {
                /* An option kept as it was paid stays, whatever its range says now. */
                const char *why = cmcas_registration_has_option(pa, o->id) ? NULL
                    : cmcas_registration_check_option(p, act, o,
                                                      cmcas_registration_amend_name(p, pa),
                                                      pa->birth_date);
                if (why) {
                    return cmcas_registration_amend_no(out, CMCAS_RESULT_REFUSED,
                                                       "option outside its age range", why);
                }
                *(apr_int64_t *)apr_array_push(*pids) = o->id;
                break;
            }
        }
    }
    return 1;
}

/* The person or guest to add, checked as the member's form checks it (guests allowed
 * and how many, ages, options); its participant goes at the end of `after`. */
static int cmcas_registration_amend_add(cmcas_registration_amend_outcome_t *out,
                                        apr_pool_t *p, const cmcas_activity_t *act,
                                        const apr_array_header_t *options,
                                        const apr_array_header_t *persons,
                                        const cmcas_date_t *today,
                                        cmcas_registration_t *after,
                                        const cmcas_registration_amend_input_t *in)
{
    cmcas_registration_participant_t pa;
    const char *why;
    int i;

    memset(&pa, 0, sizeof(pa));
    pa.options = apr_array_make(p, 1, sizeof(apr_int64_t));
    if (in->guest) {
        if ((why = cmcas_registration_check_guest_slot(p, act, after))) {
            return cmcas_registration_amend_no(out, CMCAS_RESULT_REFUSED, "no guest slot",
                                               why);
        }
        why = cmcas_registration_parse_guest(p, in->guest_last, in->guest_first,
                                             in->guest_birth, today, &pa.last_name,
                                             &pa.first_name, &pa.birth_date);
        if (why) {
            out->echo_guest = 1;
            return cmcas_registration_amend_no(out, CMCAS_RESULT_BAD_INPUT,
                                               "bad guest fields", why);
        }
        pa.kind = "guest";
    }
    else {
        const cmcas_household_person_t *pe = NULL;
        for (i = 0; i < persons->nelts; i++) {
            if (APR_ARRAY_IDX(persons, i, cmcas_household_person_t).id == in->person_id) {
                pe = &APR_ARRAY_IDX(persons, i, cmcas_household_person_t);
            }
        }
        if (!pe) {
            return cmcas_registration_amend_no(out, CMCAS_RESULT_BAD_INPUT,
                                               "person of another household",
                                               "Personne inconnue.");
        }
        if (cmcas_registration_has_person(after, pe->id)) {
            return cmcas_registration_amend_no(out, CMCAS_RESULT_REFUSED,
                                               "already registered",
                                               apr_psprintf(p, "%s %s est déjà "
                                                            "inscrit(e).", pe->first_name,
                                                            pe->last_name));
        }
        pa.person_id = pe->id;
        pa.kind = pe->role;
        pa.first_name = pe->first_name;
        pa.last_name = pe->last_name;
        pa.birth_date = pe->birth_date;
    }
    if ((why = cmcas_registration_check_age(p, act, cmcas_registration_amend_name(p, &pa),
                                            pa.birth_date))) {
        return cmcas_registration_amend_no(out, CMCAS_RESULT_REFUSED,
                                           "outside the age limits", why);
    }
    if (!cmcas_registration_amend_options(out, p, act, options, &pa, in->new_options,
                                          &pa.options)) {
        return 0;
    }
    *(cmcas_registration_participant_t *)apr_array_push(after->participants) = pa;
    return 1;
}

/* The registration after the post, in memory: every participant must be listed (the
 * page read the registration as it is under the lock), then each rule holds. */
static int cmcas_registration_amend_apply(cmcas_registration_amend_outcome_t *out,
                                          apr_pool_t *p, const cmcas_activity_t *act,
                                          const apr_array_header_t *options,
                                          const apr_array_header_t *persons,
                                          const cmcas_date_t *today,
                                          const cmcas_registration_t *reg,
                                          cmcas_registration_t **pafter,
                                          const cmcas_registration_amend_input_t *in)
{
    cmcas_registration_t *after = cmcas_registration_amend_copy(p, reg);
    apr_array_header_t *kept;
    const char *why;
    int i;

    if (in->choices->nelts != reg->participants->nelts) {
        return cmcas_registration_amend_no(out, CMCAS_RESULT_BAD_INPUT,
                                           "the form does not list the participants", NULL);
    }
    kept = apr_array_make(p, reg->participants->nelts + 1,
                          sizeof(cmcas_registration_participant_t));
    for (i = 0; i < in->choices->nelts; i++) {
        const cmcas_registration_amend_choice_t *c =
            &APR_ARRAY_IDX(in->choices, i, cmcas_registration_amend_choice_t);
        cmcas_registration_participant_t *pa = cmcas_registration_find(after,
                                                                       c->participant_id);
        if (!pa) {
            return cmcas_registration_amend_no(out, CMCAS_RESULT_BAD_INPUT,
                                               "unknown participant", NULL);
        }
        if (c->remove) {
            continue;
        }
        if (!cmcas_registration_amend_options(out, p, act, options, pa, c->options,
                                              &pa->options)) {
            return 0;
        }
        *(cmcas_registration_participant_t *)apr_array_push(kept) = *pa;
    }
    after->participants = kept;
    if (cmcas_registration_amend_input_adds(in)
        && !cmcas_registration_amend_add(out, p, act, options, persons, today, after, in)) {
        return 0;
    }
    if (!after->participants->nelts) {
        return cmcas_registration_amend_no(out, CMCAS_RESULT_REFUSED, "nobody left",
                                           "Il doit rester au moins une personne : pour "
                                           "tout retirer, annulez l'inscription depuis la "
                                           "liste des inscriptions.");
    }
    if ((why = cmcas_registration_check_complete(p, after, options, 0))) {
        return cmcas_registration_amend_no(out, CMCAS_RESULT_REFUSED, "incomplete", why);
    }
    *pafter = after;
    return 1;
}

/* The options `a` has and `b` has not (b NULL: all of a's), as items. */
static void cmcas_registration_amend_minus(apr_array_header_t *items, apr_pool_t *p,
                                           const apr_array_header_t *options,
                                           const cmcas_registration_participant_t *a,
                                           const cmcas_registration_participant_t *b,
                                           int added)
{
    int j;

    for (j = 0; j < a->options->nelts; j++) {
        apr_int64_t id = APR_ARRAY_IDX(a->options, j, apr_int64_t);
        const cmcas_activity_option_t *o = cmcas_registration_option(options, id);
        cmcas_registration_amend_item_t *it;
        if (!o || (b && cmcas_registration_has_option(b, id))) {
            continue;
        }
        it = apr_array_push(items);
        it->person = cmcas_registration_amend_name(p, a);
        it->option = o->label;
        it->amount = cmcas_registration_price(a, o);
        it->participation = cmcas_registration_participation(a, o);
        it->added = added;
    }
}

/* What changed: the items, and the words (« Ajout de …, Retrait de …, Jean DUPONT :
 * + Transport, − Repas »). A participant added is the one with id 0. */
static apr_array_header_t *cmcas_registration_amend_items(
    apr_pool_t *p, const apr_array_header_t *options, const cmcas_registration_t *before,
    const cmcas_registration_t *after, const char **pwords)
{
    apr_array_header_t *items = apr_array_make(p, 4,
                                               sizeof(cmcas_registration_amend_item_t));
    const char *words = "";
    int i, j, n;

    for (i = 0; i < before->participants->nelts; i++) {
        const cmcas_registration_participant_t *b =
            &APR_ARRAY_IDX(before->participants, i, cmcas_registration_participant_t);
        const cmcas_registration_participant_t *a = cmcas_registration_find(after, b->id);
        const char *one = "";
        n = items->nelts;
        cmcas_registration_amend_minus(items, p, options, b, a, 0);
        if (!a) {
            words = apr_pstrcat(p, words, *words ? ", " : "", "retrait de ",
                                cmcas_registration_amend_name(p, b), NULL);
            continue;
        }
        cmcas_registration_amend_minus(items, p, options, a, b, 1);
        for (j = n; j < items->nelts; j++) {
            const cmcas_registration_amend_item_t *it =
                &APR_ARRAY_IDX(items, j, cmcas_registration_amend_item_t);
            one = apr_pstrcat(p, one, j > n ? ", " : "", it->added ? "+ " : "− ",
                              it->option, NULL);
        }
        if (*one) {
            words = apr_pstrcat(p, words, *words ? ", " : "",
                                cmcas_registration_amend_name(p, a), " : ", one, NULL);
        }
    }
    for (i = 0; i < after->participants->nelts; i++) {
        const cmcas_registration_participant_t *a =
            &APR_ARRAY_IDX(after->participants, i, cmcas_registration_participant_t);
        if (!a->id) {
            cmcas_registration_amend_minus(items, p, options, a, NULL, 1);
            words = apr_pstrcat(p, words, *words ? ", " : "", "ajout de ",
                                cmcas_registration_amend_name(p, a),
                                a->kind && !strcmp(a->kind, "guest") ? " (invité)" : "",
                                NULL);
        }
    }
    *pwords = words;
    return items;
}

/* The lines of the adjustment order: the items of its direction when all go that way;
 * otherwise one line that tells every item and carries the difference (a line's
 * amount is never negative). */
static apr_array_header_t *cmcas_registration_amend_lines(
    apr_pool_t *p, const apr_array_header_t *items, apr_int64_t diff, apr_int64_t reg_id,
    const cmcas_order_t *replaced)
{
    apr_array_header_t *lines = apr_array_make(p, items->nelts + 1,
                                               sizeof(cmcas_order_line_t));
    const char *all = "";
    /* Replacing an unpaid adjustment: one line, which says what it takes over. */
    int i, mixed = replaced != NULL;

    if (replaced) {
        all = apr_psprintf(p, "reprend la commande %s (%s%s)", replaced->reference,
                           replaced->status == CMCAS_STATUS_ORDER_ATTENTE_CMCAS ? "+" : "−",
                           cmcas_money_format(p, replaced->total));
    }

    for (i = 0; i < items->nelts; i++) {
        const cmcas_registration_amend_item_t *it =
            &APR_ARRAY_IDX(items, i, cmcas_registration_amend_item_t);
        mixed |= it->added != (diff > 0) && it->amount > 0;
        all = apr_pstrcat(p, all, *all ? " ; " : "", it->added ? "ajout " : "retrait ",
                          it->person, " : ", it->option, " (", it->added ? "+" : "−",
                          cmcas_money_format(p, it->amount), ")", NULL);
    }
    for (i = 0; !mixed && i < items->nelts; i++) {
        const cmcas_registration_amend_item_t *it =
            &APR_ARRAY_IDX(items, i, cmcas_registration_amend_item_t);
        cmcas_order_line_t *l;
        if (it->added != (diff > 0)) {
            continue;                   /* free of charge the other way */
        }
        l = apr_array_push(lines);
        l->person = it->person;
        l->option = it->added ? it->option : apr_pstrcat(p, "Retrait : ", it->option, NULL);
        l->amount = it->amount;
        l->participation = it->participation;
    }
    if (mixed) {
        cmcas_order_line_t *l = apr_array_push(lines);
        l->person = apr_psprintf(p, "Modification de l'inscription %" APR_INT64_T_FMT,
                                 reg_id);
        l->option = all;
        l->amount = diff > 0 ? diff : -diff;
        l->participation = 0;
    }
    return lines;
}

/* The writes: removals (places back), options changed, the person added (its place
 * taken by the conditional update: *pno_places, and the caller rolls back, when none
 * is left). */
static apr_status_t cmcas_registration_amend_write(cmcas_registration_store_change_t *ch,
                                                   cmcas_registration_t *reg,
                                                   const cmcas_registration_t *after,
                                                   int *pno_places)
{
    apr_status_t rv = APR_SUCCESS;
    int i, take;

    *pno_places = 0;
    take = reg->places_held > 0;
    for (i = 0; APR_SUCCESS == rv && i < reg->participants->nelts; i++) {
        const cmcas_registration_participant_t *b =
            &APR_ARRAY_IDX(reg->participants, i, cmcas_registration_participant_t);
        const cmcas_registration_participant_t *a = cmcas_registration_find(after, b->id);
        if (!a) {
            rv = cmcas_registration_store_remove(ch, reg, b);
        }
        else if (a->options->nelts != b->options->nelts
                 || memcmp(a->options->elts, b->options->elts,
                           sizeof(apr_int64_t) * (apr_size_t)a->options->nelts)) {
            rv = cmcas_registration_store_save_participant(ch, reg, a);
        }
    }
    for (i = 0; APR_SUCCESS == rv && i < after->participants->nelts; i++) {
        cmcas_registration_participant_t *a =
            &APR_ARRAY_IDX(after->participants, i, cmcas_registration_participant_t);
        if (a->id) {
            continue;
        }
        a->confirmed = 0;
        if (APR_SUCCESS == (rv = cmcas_registration_store_add(ch, reg, a))
            && APR_SUCCESS == (rv = cmcas_registration_store_save_participant(ch, reg,
                                                                              a))) {
            /* The confirmation counts the registration's unconfirmed participants. */
            *(cmcas_registration_participant_t *)apr_array_push(reg->participants) = *a;
            rv = cmcas_registration_store_confirm(ch, reg, take, pno_places);
        }
    }
    return rv;
}

/* The adjustment order of the difference, its history and the household's message
 * (where to pay and why, or the refund to come). */
static apr_status_t cmcas_registration_amend_order(cmcas_registration_amend_outcome_t *out,
                                                   cmcas_registration_store_change_t *ch,
                                                   const cmcas_staff_t *staff,
                                                   const cmcas_activity_t *act,
                                                   const cmcas_registration_t *reg,
                                                   apr_array_header_t *lines,
                                                   const char *reason,
                                                   const cmcas_invoice_seller_t *seller)
{
    const char *number = NULL;
    apr_pool_t *p = ch->pool;
    apr_int64_t diff = out->after - out->paid;
    cmcas_order_t *o = apr_pcalloc(p, sizeof(*o));
    apr_status_t rv;

    o->registration_id = reg->id;
    o->household_id = reg->household_id;
    o->cmcas_code = staff->cmcas_code;
    o->total = diff > 0 ? diff : -diff;
    o->method = "cmcas";
    o->instalments = 1;
    o->status = diff > 0 ? CMCAS_STATUS_ORDER_ATTENTE_CMCAS
                         : CMCAS_STATUS_ORDER_A_REMBOURSER;
    o->hold_until = ch->now;            /* holds nothing (the expiry job skips it) */
    o->activity_id = act->id;
    o->activity_title = act->title;
    o->adjustment = 1;
    o->lines = lines;
    rv = cmcas_order_store_create(ch, o, apr_pstrcat(p, diff > 0
                                                     ? "Commande créée : complément à "
                                                       "payer en CMCAS"
                                                     : "Commande créée : remboursement à "
                                                       "effectuer",
                                                     " (inscription modifiée par la "
                                                     "CMCAS : ", reason, ")", NULL));
    if (APR_SUCCESS == rv) {
        rv = cmcas_outbox_store_event(ch->st, p, diff > 0 ? "order_desk" : "refund_due",
                                      reg->household_id, reg->id, o->id, reason, NULL,
                                      &ch->err);
    }
    /* Money owed back for a paid registration: its credit note, now. */
    if (APR_SUCCESS == rv && diff < 0) {
        rv = cmcas_invoice_store_issue(&number, ch, o, CMCAS_INVOICE_STORE_AVOIR, seller);
    }
    out->order = o;
    return rv;
}

static apr_status_t cmcas_registration_amend_audit(cmcas_registration_amend_outcome_t *out,
                                                   cmcas_registration_store_change_t *ch,
                                                   const cmcas_staff_t *staff,
                                                   const apr_array_header_t *options,
                                                   const cmcas_registration_t *before,
                                                   const cmcas_registration_t *after,
                                                   apr_int64_t held_before,
                                                   apr_int64_t held_after,
                                                   const char *reason)
{
    apr_pool_t *p = ch->pool;
    apr_array_header_t *fields = cmcas_audit_fields(p);
    const char *b = NULL, *a = NULL;

    cmcas_audit_add(fields, "Personnes", cmcas_registration_amend_persons(p, before, options),
                    cmcas_registration_amend_persons(p, after, options));
    cmcas_audit_add(fields, "Total", cmcas_money_format(p, out->before),
                    cmcas_money_format(p, out->after));
    cmcas_audit_add_int(fields, "Places réservées", held_before, held_after);
    if (out->order) {
        cmcas_audit_add(fields, "Commande d'ajustement", NULL,
                        apr_psprintf(p, "%s : %s %s", out->order->reference,
                                     cmcas_money_format(p, out->order->total),
                                     out->after > out->paid ? "à payer en CMCAS"
                                                            : "à rembourser"));
    }
    if (out->replaced) {
        cmcas_audit_add(fields, "Commande d'ajustement remplacée", out->replaced,
                        "annulée");
    }
    cmcas_audit_add(fields, "Motif", NULL, reason);
    cmcas_audit_diff(&b, &a, p, fields);
    return cmcas_audit_store_add(ch->st, p, ch->when, staff->cmcas_code, staff->login,
                                 "Inscription modifiée",
                                 apr_psprintf(p, "inscription %" APR_INT64_T_FMT, before->id),
                                 b, a, &ch->err);
}

/* Everything of the change, inside the locked transaction; 0 (with out->res) when
 * refused: the caller rolls back. */
static int cmcas_registration_amend_tx(cmcas_registration_amend_outcome_t *out,
                                       cmcas_registration_store_change_t *ch,
                                       const cmcas_staff_t *staff,
                                       const cmcas_registration_amend_view_t *v,
                                       const cmcas_date_t *today,
                                       const cmcas_registration_amend_input_t *in,
                                       const char *reason,
                                       const cmcas_invoice_seller_t *seller,
                                       apr_status_t *prv)
{
    apr_pool_t *p = ch->pool;
    cmcas_registration_t *reg = v->reg, *before, *after = NULL;
    apr_array_header_t *items, *lines;
    apr_int64_t held_before = reg->places_held;
    const char *waiting = NULL;
    cmcas_order_t *replaced = NULL;
    int no_places = 0, moved = 0;

    /* An adjustment not paid yet is replaced: the new one is priced against what the
     * household did pay (the registration's price before, less that unpaid difference),
     * so that undoing a change owes nothing and refunds nothing. */
    *prv = cmcas_order_store_adjustment_waiting(&waiting, ch->st, p, reg->id, &ch->err);
    if (APR_SUCCESS == *prv && waiting) {
        *prv = cmcas_order_store_get(&replaced, ch->st, p, waiting, reg->household_id,
                                     &ch->err);
    }
    if (APR_SUCCESS != *prv) {
        return 0;
    }
    before = cmcas_registration_amend_copy(p, reg);
    if (!cmcas_registration_amend_apply(out, p, v->act, v->options, v->persons, today, reg,
                                        &after, in)) {
        return 0;
    }
    items = cmcas_registration_amend_items(p, v->options, before, after, &out->changes);
    if (!*out->changes) {
        return cmcas_registration_amend_no(out, CMCAS_RESULT_BAD_INPUT, "nothing to change",
                                           "Aucune modification demandée : cochez ou "
                                           "décochez une prestation, retirez ou ajoutez "
                                           "une personne.");
    }
    out->before = cmcas_registration_total(before, v->options);
    out->after = cmcas_registration_total(after, v->options);
    out->paid = out->before - (replaced ? replaced->total : 0);
    if (APR_SUCCESS != (*prv = cmcas_registration_amend_write(ch, reg, after, &no_places))) {
        return 0;
    }
    if (no_places) {
        return cmcas_registration_amend_no(out, CMCAS_RESULT_CONFLICT, "no places left",
                                           "Il n'y a plus de place dans cette activité "
                                           "pour la personne ajoutée : rien n'a été "
                                           "modifié.");
    }
    *prv = cmcas_registration_store_status(ch, reg, CMCAS_STATUS_REG_PAYEE,
                                           apr_pstrcat(p, "Modifiée par la CMCAS : ", reason,
                                                       " — ", out->changes, NULL));
    if (APR_SUCCESS == *prv && replaced) {
        *prv = cmcas_order_store_move(ch, replaced, CMCAS_STATUS_ORDER_ANNULEE,
                                      "Remplacée par une nouvelle modification de "
                                      "l'inscription", &moved);
        if (APR_SUCCESS == *prv && !moved) {
            ch->err = "the waiting adjustment changed under the registration's lock";
            *prv = APR_EGENERAL;
        }
        out->replaced = apr_pstrcat(p, replaced->reference, " : ",
                                    cmcas_money_format(p, replaced->total),
                                    " à payer en CMCAS", NULL);
    }
    if (APR_SUCCESS == *prv && out->after != out->paid) {
        lines = cmcas_registration_amend_lines(p, items, out->after - out->paid, reg->id,
                                               replaced);
        *prv = cmcas_registration_amend_order(out, ch, staff, v->act, reg, lines, reason,
                                              seller);
    }
    if (APR_SUCCESS == *prv) {
        *prv = cmcas_registration_amend_audit(out, ch, staff, v->options, before, after,
                                              held_before, reg->places_held, reason);
    }
    return APR_SUCCESS == *prv;
}

/* The registration's activity, options and household, read before the lock. */
static void cmcas_registration_amend_read(cmcas_result_t *res,
                                          cmcas_registration_amend_view_t *v,
                                          apr_int64_t *phousehold_id, cmcas_store_t *st,
                                          apr_pool_t *p, const cmcas_staff_t *staff,
                                          apr_int64_t id)
{
    apr_int64_t activity_id = 0;
    const char *err = NULL;
    apr_status_t rv;

    memset(v, 0, sizeof(*v));
    cmcas_result_done(res);
    rv = cmcas_staff_registration_store_key(&activity_id, phousehold_id, st, p, id,
                                            staff->cmcas_code, &err);
    if (APR_NOTFOUND == rv) {
        cmcas_result_set(res, CMCAS_RESULT_NOT_FOUND,
                         "no registration of this CMCAS by that id", NULL);
        return;
    }
    if (APR_SUCCESS != rv
        || APR_SUCCESS != (rv = cmcas_catalog_store_activity(&v->act, st, p, activity_id,
                                                             &err))
        || APR_SUCCESS != (rv = cmcas_catalog_store_options(&v->options, st, p,
                                                            activity_id, &err))
        || APR_SUCCESS != (rv = cmcas_store_persons(&v->persons, st, p, *phousehold_id,
                                                    &err))) {
        cmcas_result_error(res, "a registration to change", err);
    }
}

/* Paid, or the reason for staff. */
static int cmcas_registration_amend_paid(cmcas_result_t *res, apr_pool_t *p,
                                         const cmcas_registration_t *reg)
{
    if (reg->status == CMCAS_STATUS_REG_PAYEE) {
        return 1;
    }
    cmcas_result_set(res, CMCAS_RESULT_CONFLICT, "not paid",
                     apr_psprintf(p, "L'inscription %" APR_INT64_T_FMT " n'est pas payée "
                                  "(%s) : l'adhérent la modifie lui-même depuis « Mes "
                                  "inscriptions ». Seule une inscription payée se modifie "
                                  "ici.", reg->id, cmcas_status_reg_label(reg->status)));
    return 0;
}

void cmcas_registration_amend_load(cmcas_result_t *res, cmcas_registration_amend_view_t *v,
                                   cmcas_store_t *st, apr_pool_t *p,
                                   const cmcas_staff_t *staff, apr_int64_t id)
{
    apr_int64_t household_id = 0;
    const char *err = NULL;
    apr_status_t rv;

    cmcas_registration_amend_read(res, v, &household_id, st, p, staff, id);
    if (res->kind != CMCAS_RESULT_DONE) {
        return;
    }
    rv = cmcas_registration_store_get(&v->reg, st, p, v->act->id, household_id, &err);
    if (APR_SUCCESS == rv && v->reg->id != id) {
        rv = APR_NOTFOUND;
    }
    if (APR_NOTFOUND == rv) {
        cmcas_result_set(res, CMCAS_RESULT_NOT_FOUND, "registration gone", NULL);
        return;
    }
    if (APR_SUCCESS == rv) {
        rv = cmcas_order_store_adjustment_waiting(&v->waiting, st, p, id, &err);
    }
    if (APR_SUCCESS != rv) {
        cmcas_result_error(res, "a registration to change", err);
        return;
    }
    v->total = cmcas_registration_total(v->reg, v->options);
    cmcas_registration_amend_paid(res, p, v->reg);
}

void cmcas_registration_amend_run(cmcas_registration_amend_outcome_t *out,
                                  cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                                  const cmcas_date_t *today, const cmcas_staff_t *staff,
                                  apr_int64_t id, const cmcas_registration_amend_input_t *in,
                                  const cmcas_draw_change_rules_t *rules)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_amend_view_t v;
    apr_int64_t household_id = 0, held;
    const char *reason = cmcas_staff_cancel_reason(p, in->reason);
    cmcas_result_t fill;
    apr_status_t rv = APR_SUCCESS;

    memset(out, 0, sizeof(*out));
    cmcas_registration_amend_read(&out->res, &v, &household_id, st, p, staff, id);
    if (out->res.kind != CMCAS_RESULT_DONE) {
        return;
    }
    out->activity_id = v.act->id;
    if (!reason) {
        cmcas_result_set(&out->res, CMCAS_RESULT_BAD_INPUT, "no usable reason",
                         apr_psprintf(p, "Indiquez le motif de la modification, la demande "
                                      "de l'adhérent (%d caractères au plus) : il est "
                                      "enregistré et envoyé au foyer.",
                                      CMCAS_STAFF_CANCEL_REASON_MAX));
        return;
    }
    cmcas_registration_store_change_init(&ch, st, p, staff->login, now);
    ch.staff = 1;
    rv = cmcas_registration_store_lock(&v.reg, &ch, v.act->id, household_id, 0);
    if (APR_SUCCESS == rv && v.reg->id != id) {
        rv = APR_NOTFOUND;          /* gone and made again meanwhile: not this one */
    }
    if (APR_NOTFOUND == rv) {
        cmcas_registration_store_finish(&ch, 0);
        cmcas_result_set(&out->res, CMCAS_RESULT_NOT_FOUND, "registration gone", NULL);
        return;
    }
    if (APR_SUCCESS != rv) {
        goto error;
    }
    held = v.reg->places_held;
    if (!cmcas_registration_amend_paid(&out->res, p, v.reg)
        || !cmcas_registration_amend_tx(out, &ch, staff, &v, today, in, reason,
                                        rules ? rules->seller : NULL, &rv)) {
        if (APR_SUCCESS != rv) {
            goto error;
        }
        cmcas_registration_store_finish(&ch, 0);
        out->order = NULL;
        return;
    }
    if (APR_SUCCESS != (rv = cmcas_registration_store_finish(&ch, 1))) {
        goto error;
    }
    if (v.reg->places_held < held && !strcmp(v.act->mode, "tour_de_role")
        && v.act->draw_published_at) {
        cmcas_draw_change_fill(&fill, &out->promoted, st, p, now, v.act->id, rules);
        if (fill.kind != CMCAS_RESULT_DONE) {
            out->fill_err = fill.err ? fill.err : "?";
        }
    }
    return;
error:
    cmcas_registration_store_finish(&ch, 0);
    out->order = NULL;
    cmcas_result_error(&out->res, "a change of a paid registration", ch.err);
}
