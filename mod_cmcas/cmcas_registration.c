#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_registration.h"
#include "cmcas_text.h"

cmcas_registration_t *cmcas_registration_new(apr_pool_t *p, apr_int64_t activity_id,
                                             apr_int64_t household_id)
{
    cmcas_registration_t *reg = apr_pcalloc(p, sizeof(*reg));
    reg->activity_id = activity_id;
    reg->household_id = household_id;
    reg->status = CMCAS_STATUS_REG_BROUILLON;
    reg->observations = "";
    reg->participants = apr_array_make(p, 4, sizeof(cmcas_registration_participant_t));
    return reg;
}

#define CMCAS_REGISTRATION_EACH(reg, i, pa) \
    for (i = 0; i < (reg)->participants->nelts \
         && ((pa) = &APR_ARRAY_IDX((reg)->participants, i, \
                                   cmcas_registration_participant_t)); i++)

cmcas_registration_participant_t *cmcas_registration_find(const cmcas_registration_t *reg,
                                                          apr_int64_t participant_id)
{
    cmcas_registration_participant_t *pa;
    int i;
    CMCAS_REGISTRATION_EACH(reg, i, pa) {
        if (pa->id == participant_id) {
            return pa;
        }
    }
    return NULL;
}

int cmcas_registration_has_person(const cmcas_registration_t *reg, apr_int64_t person_id)
{
    cmcas_registration_participant_t *pa;
    int i;
    CMCAS_REGISTRATION_EACH(reg, i, pa) {
        if (pa->person_id && pa->person_id == person_id) {
            return 1;
        }
    }
    return 0;
}

int cmcas_registration_guests(const cmcas_registration_t *reg)
{
    cmcas_registration_participant_t *pa;
    int i, n = 0;
    CMCAS_REGISTRATION_EACH(reg, i, pa) {
        n += pa->person_id == 0;
    }
    return n;
}

int cmcas_registration_unconfirmed(const cmcas_registration_t *reg)
{
    cmcas_registration_participant_t *pa;
    int i, n = 0;
    CMCAS_REGISTRATION_EACH(reg, i, pa) {
        n += !pa->confirmed;
    }
    return n;
}

int cmcas_registration_has_option(const cmcas_registration_participant_t *pa,
                                  apr_int64_t option_id)
{
    int i;
    for (i = 0; pa->options && i < pa->options->nelts; i++) {
        if (APR_ARRAY_IDX(pa->options, i, apr_int64_t) == option_id) {
            return 1;
        }
    }
    return 0;
}

const cmcas_activity_option_t *cmcas_registration_option(const apr_array_header_t *options,
                                                      apr_int64_t option_id)
{
    int i;
    for (i = 0; i < options->nelts; i++) {
        const cmcas_activity_option_t *o = &APR_ARRAY_IDX(options, i, cmcas_activity_option_t);
        if (o->id == option_id) {
            return o;
        }
    }
    return NULL;
}

apr_int64_t cmcas_registration_price(const cmcas_registration_participant_t *pa,
                                     const cmcas_activity_option_t *opt)
{
    return pa->person_id ? opt->price_beneficiary : opt->price_guest;
}

apr_int64_t cmcas_registration_participation(const cmcas_registration_participant_t *pa,
                                             const cmcas_activity_option_t *opt)
{
    return pa->person_id ? opt->participation_beneficiary : opt->participation_guest;
}

apr_int64_t cmcas_registration_amount(const cmcas_registration_participant_t *pa,
                                      const apr_array_header_t *options)
{
    apr_int64_t sum = 0;
    int i;
    for (i = 0; pa->options && i < pa->options->nelts; i++) {
        const cmcas_activity_option_t *o =
            cmcas_registration_option(options, APR_ARRAY_IDX(pa->options, i, apr_int64_t));
        if (o) {
            sum += cmcas_registration_price(pa, o);
        }
    }
    return sum;
}

apr_int64_t cmcas_registration_total(const cmcas_registration_t *reg,
                                     const apr_array_header_t *options)
{
    cmcas_registration_participant_t *pa;
    apr_int64_t sum = 0;
    int i;
    CMCAS_REGISTRATION_EACH(reg, i, pa) {
        sum += cmcas_registration_amount(pa, options);
    }
    return sum;
}

/* ------------------------------------------------------------------------------- */
/* Rules */

int cmcas_registration_payment_due(cmcas_status_reg_t status, const char *mode,
                                   const char *selection, apr_int64_t total)
{
    return status == CMCAS_STATUS_REG_VALIDEE && total > 0
           && (!strcmp(mode, "immediat")
               || (selection && !strcmp(selection, "retenue")));
}

const char *cmcas_registration_selection(const cmcas_registration_draw_t *draw,
                                         const char *published_at)
{
    return published_at && *published_at ? draw->selection : NULL;
}

const char *cmcas_registration_draw_date(apr_pool_t *p, const char *closing_date)
{
    cmcas_date_t d;

    if (APR_SUCCESS != cmcas_date_parse_iso(&d, closing_date)) {
        return closing_date;
    }
    cmcas_date_from_days(&d, cmcas_date_to_days(&d) + 1);
    return cmcas_date_iso(p, &d);
}

const char *cmcas_registration_label(apr_pool_t *p, const char **pcode,
                                     cmcas_status_reg_t status, const char *mode,
                                     const char *selection,
                                     const cmcas_registration_draw_t *draw,
                                     const char *closing_date)
{
    *pcode = cmcas_status_reg_code(status);
    if (!mode || strcmp(mode, "tour_de_role")) {
        return cmcas_status_reg_label(status);
    }
    if (status == CMCAS_STATUS_REG_ANNULEE && selection
        && (!strcmp(selection, "liberee") || !strcmp(selection, "renonce"))) {
        *pcode = selection;
        return !strcmp(selection, "liberee") ? "Place libérée (non payée à temps)"
                                             : "Vous avez renoncé";
    }
    if (status != CMCAS_STATUS_REG_VALIDEE) {
        return cmcas_status_reg_label(status);
    }
    if (!selection) {
        *pcode = "demande";
        return apr_pstrcat(p, "Demande enregistrée — tirage le ",
                           cmcas_date_iso_to_fr(p, cmcas_registration_draw_date(
                                                       p, closing_date)), NULL);
    }
    *pcode = selection;
    if (!strcmp(selection, "retenue")) {
        return draw->pay_by ? apr_pstrcat(p, "Retenue — à payer au plus tard le ",
                                          cmcas_date_iso_to_fr(p, draw->pay_by), NULL)
                            : "Retenue";
    }
    if (!strcmp(selection, "attente")) {
        return apr_psprintf(p, "Liste d'attente (position %" APR_INT64_T_FMT ")",
                            draw->waiting);
    }
    return "Non retenue";
}

const char *cmcas_registration_check_open(apr_pool_t *p, const cmcas_activity_t *act,
                                          const cmcas_date_t *today)
{
    cmcas_date_t closing;
    if (APR_SUCCESS != cmcas_date_parse_iso(&closing, act->closing_date)
        || cmcas_date_cmp(today, &closing) > 0) {
        return apr_psprintf(p, "Les inscriptions à « %s » sont closes depuis le %s : "
                            "pour toute demande, contactez la CMCAS.", act->title,
                            cmcas_date_iso_to_fr(p, act->closing_date)
                                ? cmcas_date_iso_to_fr(p, act->closing_date) : "?");
    }
    return NULL;
}

const char *cmcas_registration_check_household(apr_pool_t *p,
                                               const cmcas_activity_t *act,
                                               const char *household_cmcas)
{
    if (strcmp(act->cmcas_code, household_cmcas) && !act->open_to_others) {
        return apr_psprintf(p, "Cette activité est réservée aux bénéficiaires de la %s.",
                            act->cmcas_name);
    }
    return NULL;
}

const char *cmcas_registration_check_age(apr_pool_t *p, const cmcas_activity_t *act,
                                         const char *name, const char *birth_iso)
{
    cmcas_date_t birth, start;
    int age;

    if (act->min_age < 0 && act->max_age < 0) {
        return NULL;
    }
    if (APR_SUCCESS != cmcas_date_parse_iso(&birth, birth_iso)
        || APR_SUCCESS != cmcas_date_parse_iso(&start, act->start_date)) {
        return apr_psprintf(p, "La date de naissance de %s est inconnue : l'âge ne peut "
                            "pas être vérifié.", name);
    }
    age = cmcas_date_age_on(&birth, &start);
    if (act->min_age >= 0 && age < act->min_age) {
        return apr_psprintf(p, "%s aura %d an%s le jour de l'activité, qui est ouverte "
                            "à partir de %" APR_INT64_T_FMT " ans.", name, age,
                            age > 1 ? "s" : "", act->min_age);
    }
    if (act->max_age >= 0 && age > act->max_age) {
        return apr_psprintf(p, "%s aura %d ans le jour de l'activité, qui est ouverte "
                            "jusqu'à %" APR_INT64_T_FMT " ans.", name, age, act->max_age);
    }
    return NULL;
}

/* The age on the activity's start date, or -1 when a date is unknown. */
static int cmcas_registration_age(const cmcas_activity_t *act, const char *birth_iso)
{
    cmcas_date_t birth, start;

    if (APR_SUCCESS != cmcas_date_parse_iso(&birth, birth_iso)
        || APR_SUCCESS != cmcas_date_parse_iso(&start, act->start_date)) {
        return -1;
    }
    return cmcas_date_age_on(&birth, &start);
}

int cmcas_registration_option_fits(const cmcas_activity_t *act,
                                   const cmcas_activity_option_t *opt,
                                   const char *birth_iso)
{
    int age;

    if (opt->min_age < 0 && opt->max_age < 0) {
        return 1;
    }
    age = cmcas_registration_age(act, birth_iso);
    return age >= 0 && (opt->min_age < 0 || age >= opt->min_age)
           && (opt->max_age < 0 || age <= opt->max_age);
}

const char *cmcas_registration_check_option(apr_pool_t *p, const cmcas_activity_t *act,
                                            const cmcas_activity_option_t *opt,
                                            const char *name, const char *birth_iso)
{
    if (cmcas_registration_option_fits(act, opt, birth_iso)) {
        return NULL;
    }
    if (opt->min_age >= 0 && opt->max_age >= 0) {
        return apr_psprintf(p, "« %s » est réservée aux personnes de %" APR_INT64_T_FMT
                            " à %" APR_INT64_T_FMT " ans le jour de l'activité : %s ne "
                            "peut pas la choisir.", opt->label, opt->min_age, opt->max_age,
                            name);
    }
    if (opt->max_age >= 0) {
        return apr_psprintf(p, "« %s » est réservée aux personnes de %" APR_INT64_T_FMT
                            " ans au plus le jour de l'activité : %s ne peut pas la "
                            "choisir.", opt->label, opt->max_age, name);
    }
    return apr_psprintf(p, "« %s » est réservée aux personnes d'au moins %" APR_INT64_T_FMT
                        " ans le jour de l'activité : %s ne peut pas la choisir.",
                        opt->label, opt->min_age, name);
}

const char *cmcas_registration_check_guest_slot(apr_pool_t *p,
                                                const cmcas_activity_t *act,
                                                const cmcas_registration_t *reg)
{
    if (!act->guests_allowed) {
        return "Cette activité n'accepte pas d'invités.";
    }
    if (act->max_guests >= 0 && cmcas_registration_guests(reg) >= act->max_guests) {
        return apr_psprintf(p, "Cette activité accepte au plus %" APR_INT64_T_FMT
                            " invité%s par foyer.", act->max_guests,
                            act->max_guests > 1 ? "s" : "");
    }
    return NULL;
}

const char *cmcas_registration_check_complete(apr_pool_t *p,
                                              const cmcas_registration_t *reg,
                                              const apr_array_header_t *options,
                                              int confirmed_only)
{
    cmcas_registration_participant_t *pa;
    int i;

    if (!confirmed_only && reg->participants->nelts == 0) {
        return "Ajoutez au moins une personne avant de valider votre inscription.";
    }
    if (options->nelts == 0) {
        return NULL;
    }
    CMCAS_REGISTRATION_EACH(reg, i, pa) {
        if ((!confirmed_only || pa->confirmed)
            && (!pa->options || pa->options->nelts == 0)) {
            return apr_psprintf(p, "Choisissez au moins une option pour %s %s.",
                                pa->first_name, pa->last_name);
        }
    }
    return NULL;
}

const char *cmcas_registration_observations(apr_pool_t *p, const char *text)
{
    char *out = apr_palloc(p, strlen(text) + 1), *o = out;
    apr_size_t chars = 0;

    for (; *text; text++) {
        if (*text == '\r') {
            if (text[1] == '\n') {
                continue;       /* the LF that follows counts */
            }
            *o++ = '\n';
        }
        else {
            *o++ = *text;
        }
        chars += ((unsigned char)o[-1] & 0xC0) != 0x80;
    }
    *o = '\0';
    return chars > CMCAS_REGISTRATION_OBSERVATIONS_MAX ? NULL : out;
}

/* Trims spaces; NULL when the result is empty, longer than the limit or has a control
 * character (a name is one line). */
static const char *cmcas_registration_name(apr_pool_t *p, const char *s)
{
    const char *start, *end, *c;
    apr_size_t chars = 0;

    if (!s) {
        return NULL;
    }
    for (start = s; *start && apr_isspace(*start); start++)
        ;
    for (end = start + strlen(start); end > start && apr_isspace(end[-1]); end--)
        ;
    for (c = start; c < end; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            return NULL;
        }
        chars += ((unsigned char)*c & 0xC0) != 0x80;     /* count characters */
    }
    if (chars == 0 || chars > CMCAS_REGISTRATION_NAME_MAX) {
        return NULL;
    }
    return apr_pstrmemdup(p, start, (apr_size_t)(end - start));
}

const char *cmcas_registration_parse_guest(apr_pool_t *p, const char *last,
                                           const char *first, const char *birth,
                                           const cmcas_date_t *today,
                                           const char **plast, const char **pfirst,
                                           const char **pbirth_iso)
{
    cmcas_date_t d;
    const char *b;

    if (!(*plast = cmcas_registration_name(p, last))) {
        return "Indiquez le nom de l'invité (1 à 100 caractères).";
    }
    if (!(*pfirst = cmcas_registration_name(p, first))) {
        return "Indiquez le prénom de l'invité (1 à 100 caractères).";
    }
    b = cmcas_registration_name(p, birth);
    if (!b || (APR_SUCCESS != cmcas_date_parse_fr(&d, b)
               && APR_SUCCESS != cmcas_date_parse_iso(&d, b))) {
        return "La date de naissance de l'invité n'est pas une date valide "
               "(format JJ/MM/AAAA).";
    }
    if (cmcas_date_cmp(&d, today) > 0) {
        return "La date de naissance de l'invité est dans le futur.";
    }
    if (d.y < today->y - 130) {
        return "La date de naissance de l'invité n'est pas vraisemblable.";
    }
    *pbirth_iso = cmcas_date_iso(p, &d);
    return NULL;
}

const char *cmcas_registration_guest_field(apr_pool_t *p, const char *last,
                                           const char *first)
{
    if (!cmcas_registration_name(p, last)) {
        return "invite-nom";
    }
    return cmcas_registration_name(p, first) ? "invite-naissance" : "invite-prenom";
}
