#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "cmcas_staff_registration.h"
#include "cmcas_csv.h"
#include "cmcas_date.h"
#include "cmcas_money.h"

static const struct {
    const char *code;
    const char *label;
} cmcas_staff_registration_filters[CMCAS_STAFF_REGISTRATION_FILTER_COUNT] = {
    {"", "Toutes sauf brouillons"},
    {"toutes", "Toutes, brouillons compris"},
    {"brouillon", "Brouillons"},
    {"validee", "Validées"},
    {"attente-paiement", "En attente de paiement"},
    {"payee", "Payées"},
    {"annulee", "Annulées"},
    {"demande", "Demandes (tour de rôle, avant le tirage)"},
    {"retenue", "Retenues (tour de rôle)"},
    {"liste-attente", "Liste d'attente (tour de rôle)"},
    {"non-retenue", "Non retenues (tour de rôle)"},
};

int cmcas_staff_registration_filter_parse(const char *value)
{
    int i;

    if (!value || !*value) {
        return CMCAS_STAFF_REGISTRATION_ALL_BUT_DRAFTS;
    }
    for (i = 1; i < CMCAS_STAFF_REGISTRATION_FILTER_COUNT; i++) {
        if (!strcmp(value, cmcas_staff_registration_filters[i].code)) {
            return i;
        }
    }
    return -1;
}

const char *cmcas_staff_registration_filter_code(cmcas_staff_registration_filter_t f)
{
    return (unsigned)f < CMCAS_STAFF_REGISTRATION_FILTER_COUNT
        ? cmcas_staff_registration_filters[f].code : "";
}

const char *cmcas_staff_registration_filter_label(cmcas_staff_registration_filter_t f)
{
    return (unsigned)f < CMCAS_STAFF_REGISTRATION_FILTER_COUNT
        ? cmcas_staff_registration_filters[f].label : "";
}

static int cmcas_staff_registration_waiting_req(const cmcas_staff_registration_t *r)
{
    return r->reg.status == CMCAS_STATUS_REG_VALIDEE && r->reg.draw.selection
           && !strcmp(r->reg.draw.selection, "attente");
}

static int cmcas_staff_registration_by_rank(const void *a, const void *b)
{
    const cmcas_staff_registration_t *x = *(cmcas_staff_registration_t *const *)a;
    const cmcas_staff_registration_t *y = *(cmcas_staff_registration_t *const *)b;

    if (x->reg.draw.rank != y->reg.draw.rank) {
        return x->reg.draw.rank < y->reg.draw.rank ? -1 : 1;
    }
    return x->reg.id < y->reg.id ? -1 : x->reg.id > y->reg.id;
}

void cmcas_staff_registration_rank_waiting(apr_array_header_t *list)
{
    cmcas_staff_registration_t **waiting;
    int i, n = 0;

    if (!list->nelts) {
        return;
    }
    waiting = apr_palloc(list->pool, sizeof(*waiting) * list->nelts);
    for (i = 0; i < list->nelts; i++) {
        cmcas_staff_registration_t *r = &APR_ARRAY_IDX(list, i, cmcas_staff_registration_t);
        r->reg.draw.waiting = 0;
        if (cmcas_staff_registration_waiting_req(r)) {
            waiting[n++] = r;
        }
    }
    qsort(waiting, (size_t)n, sizeof(*waiting), cmcas_staff_registration_by_rank);
    for (i = 0; i < n; i++) {
        waiting[i]->reg.draw.waiting = i + 1;
    }
}

const char *cmcas_staff_registration_label(apr_pool_t *p, const char **pcode,
                                           const cmcas_activity_t *act,
                                           const cmcas_staff_registration_t *r)
{
    return cmcas_registration_label(p, pcode, r->reg.status, act->mode,
                                    cmcas_registration_selection(&r->reg.draw,
                                                                 act->draw_published_at),
                                    &r->reg.draw, act->closing_date);
}

int cmcas_staff_registration_matches(const cmcas_activity_t *act,
                                     const apr_array_header_t *options,
                                     const cmcas_staff_registration_t *r,
                                     cmcas_staff_registration_filter_t f)
{
    const char *selection = cmcas_registration_selection(&r->reg.draw,
                                                         act->draw_published_at);
    cmcas_status_reg_t s = r->reg.status;
    int drawn = !strcmp(act->mode, "tour_de_role") && s == CMCAS_STATUS_REG_VALIDEE;

    switch (f) {
    case CMCAS_STAFF_REGISTRATION_ALL_BUT_DRAFTS:
        return s != CMCAS_STATUS_REG_BROUILLON;
    case CMCAS_STAFF_REGISTRATION_ALL:
        return 1;
    case CMCAS_STAFF_REGISTRATION_DRAFT:
        return s == CMCAS_STATUS_REG_BROUILLON;
    case CMCAS_STAFF_REGISTRATION_VALIDATED:
        return s == CMCAS_STATUS_REG_VALIDEE;
    case CMCAS_STAFF_REGISTRATION_TO_PAY:
        return cmcas_registration_payment_due(s, act->mode, selection,
                                              cmcas_registration_total(&r->reg, options));
    case CMCAS_STAFF_REGISTRATION_PAID:
        return s == CMCAS_STATUS_REG_PAYEE;
    case CMCAS_STAFF_REGISTRATION_CANCELLED:
        return s == CMCAS_STATUS_REG_ANNULEE;
    case CMCAS_STAFF_REGISTRATION_REQUEST:
        return drawn && !selection;
    case CMCAS_STAFF_REGISTRATION_SELECTED:
        return drawn && selection && !strcmp(selection, "retenue");
    case CMCAS_STAFF_REGISTRATION_WAITING:
        return drawn && selection && !strcmp(selection, "attente");
    case CMCAS_STAFF_REGISTRATION_NOT_SELECTED:
        return drawn && selection && !strcmp(selection, "non_retenue");
    default:
        return 0;
    }
}

apr_array_header_t *cmcas_staff_registration_select(apr_pool_t *p,
                                                    const cmcas_activity_t *act,
                                                    const apr_array_header_t *options,
                                                    const apr_array_header_t *list,
                                                    cmcas_staff_registration_filter_t f)
{
    apr_array_header_t *out = apr_array_make(p, list->nelts + 1,
                                             sizeof(cmcas_staff_registration_t));
    int i;

    for (i = 0; i < list->nelts; i++) {
        const cmcas_staff_registration_t *r =
            &APR_ARRAY_IDX(list, i, cmcas_staff_registration_t);
        if (cmcas_staff_registration_matches(act, options, r, f)) {
            APR_ARRAY_PUSH(out, cmcas_staff_registration_t) = *r;
        }
    }
    return out;
}

int cmcas_staff_registration_age(const cmcas_activity_t *act, const char *birth_iso)
{
    cmcas_date_t birth, start;

    if (!birth_iso || !act->start_date
        || APR_SUCCESS != cmcas_date_parse_iso(&birth, birth_iso)
        || APR_SUCCESS != cmcas_date_parse_iso(&start, act->start_date)) {
        return -1;
    }
    return cmcas_date_age_on(&birth, &start);
}

const char *cmcas_staff_registration_options(apr_pool_t *p,
                                             const apr_array_header_t *options,
                                             const cmcas_registration_participant_t *pa)
{
    const char *out = "";
    int i;

    for (i = 0; i < pa->options->nelts; i++) {
        const cmcas_activity_option_t *o =
            cmcas_registration_option(options, APR_ARRAY_IDX(pa->options, i, apr_int64_t));
        if (o) {
            out = apr_pstrcat(p, out, *out ? ", " : "", o->label, NULL);
        }
    }
    return out;
}

static const char *const cmcas_staff_registration_csv_header[] = {
    "Inscription", "Statut", "Foyer", "Identifiant", "Courriel", "Téléphone", "Nom",
    "Prénom", "Invité", "Refus photo/vidéo", "Date de naissance",
    "Âge au début de l'activité", "Prestations", "Montant (€)", "Observations", NULL
};

const char *cmcas_staff_registration_csv(apr_pool_t *p, apr_size_t *plen,
                                         const cmcas_activity_t *act,
                                         const apr_array_header_t *options,
                                         const apr_array_header_t *list,
                                         int optouts_only)
{
    cmcas_csv_t *csv = cmcas_csv_new(p);
    int i, j;

    for (i = 0; cmcas_staff_registration_csv_header[i]; i++) {
        cmcas_csv_field(csv, cmcas_staff_registration_csv_header[i]);
    }
    cmcas_csv_end_line(csv);
    for (i = 0; i < list->nelts; i++) {
        const cmcas_staff_registration_t *r =
            &APR_ARRAY_IDX(list, i, cmcas_staff_registration_t);
        const char *code, *label = cmcas_staff_registration_label(p, &code, act, r);
        const char *household = apr_pstrcat(p, r->od_first_name ? r->od_first_name : "",
                                            " ", r->od_last_name ? r->od_last_name : "",
                                            NULL);
        for (j = 0; j < r->reg.participants->nelts; j++) {
            const cmcas_registration_participant_t *pa =
                &APR_ARRAY_IDX(r->reg.participants, j, cmcas_registration_participant_t);
            int age = cmcas_staff_registration_age(act, pa->birth_date);
            if (optouts_only && !pa->photo_optout) {
                continue;
            }
            cmcas_csv_int(csv, r->reg.id);
            cmcas_csv_field(csv, label);
            cmcas_csv_field(csv, household);
            cmcas_csv_field(csv, r->login);
            cmcas_csv_field(csv, r->email);
            cmcas_csv_field(csv, r->phone);
            cmcas_csv_field(csv, pa->last_name);
            cmcas_csv_field(csv, pa->first_name);
            cmcas_csv_field(csv, strcmp(pa->kind, "guest") ? "Non" : "Oui");
            cmcas_csv_field(csv, pa->photo_optout ? "Oui" : "Non");
            cmcas_csv_field(csv, pa->birth_date ? cmcas_date_iso_to_fr(p, pa->birth_date)
                                                : NULL);
            cmcas_csv_field(csv, age >= 0 ? apr_itoa(p, age) : NULL);
            cmcas_csv_field(csv, cmcas_staff_registration_options(p, options, pa));
            cmcas_csv_field(csv, cmcas_money_plain(
                                     p, cmcas_registration_amount(pa, options)));
            cmcas_csv_field(csv, r->reg.observations);
            cmcas_csv_end_line(csv);
        }
    }
    return cmcas_csv_text(csv, plen);
}
