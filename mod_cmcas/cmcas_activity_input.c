#include <stdlib.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_activity_input.h"
#include "cmcas_date.h"
#include "cmcas_money.h"
#include "cmcas_theme.h"

/* The option fields, after "option.N.". */
static const char *const cmcas_activity_input_option_fields[] = {
    "id", "label", "price_beneficiary", "participation_beneficiary", "price_guest",
    "participation_guest", "min_age", "max_age", "position", "delete", NULL
};
static const char *const cmcas_activity_input_fields[] = {
    "csrf", "theme", "title", "description", "place", "start_date", "end_date",
    "closing_date", "capacity", "mode", "open_to_others", "guests_allowed", "max_guests",
    "min_age", "max_age", NULL
};

void cmcas_activity_input_error(cmcas_activity_input_t *in, const char *field,
                                const char *message)
{
    cmcas_activity_input_error_t *e = apr_array_push(in->errors);
    e->field = field;
    e->message = message;
}

static void cmcas_activity_input_init(cmcas_activity_input_t *in, apr_pool_t *p)
{
    memset(in, 0, sizeof(*in));
    in->options = apr_array_make(p, 8, sizeof(cmcas_activity_input_option_t));
    in->errors = apr_array_make(p, 4, sizeof(cmcas_activity_input_error_t));
    in->value.max_guests = in->value.min_age = in->value.max_age = -1;
    in->value.draw_places = -1;
}

void cmcas_activity_input_empty(cmcas_activity_input_t *in, apr_pool_t *p)
{
    cmcas_activity_input_init(in, p);
    in->theme = "";
    in->title = in->description = in->place = "";
    in->start_date = in->end_date = in->closing_date = in->capacity = "";
    in->max_guests = in->min_age = in->max_age = "";
    in->mode = "immediat";
    in->guests_allowed = 1;
}

apr_status_t cmcas_activity_input_money(apr_int64_t *pcents, const char *text)
{
    return cmcas_money_parse(pcents, text, CMCAS_ACTIVITY_INPUT_AMOUNT_MAX);
}

/* A whole number typed in a field: -1 when empty, -2 when it is not one. */
static apr_int64_t cmcas_activity_input_number(const char *text, apr_int64_t max)
{
    apr_int64_t n = 0;
    const char *s = text;

    while (*s == ' ') s++;
    if (!*s) {
        return -1;
    }
    for (; apr_isdigit(*s); s++) {
        n = n * 10 + (*s - '0');
        if (n > max) {
            return -2;
        }
    }
    while (*s == ' ') s++;
    return *s ? -2 : n;
}

/* A text field: NULL (malformed) when it has a control character, but for line breaks
 * and tabs where `multiline`; CRLF becomes LF, the ends' blanks go. */
static const char *cmcas_activity_input_text(apr_pool_t *p, const char *v, int multiline)
{
    char *out, *o;
    const char *end;

    if (!v) {
        return "";
    }
    while (*v == ' ' || (multiline && (*v == '\r' || *v == '\n' || *v == '\t'))) v++;
    end = v + strlen(v);
    while (end > v && (end[-1] == ' ' || (multiline && (end[-1] == '\r' || end[-1] == '\n'
                                                         || end[-1] == '\t')))) {
        end--;
    }
    out = o = apr_palloc(p, end - v + 1);
    for (; v < end; v++) {
        unsigned char c = (unsigned char)*v;
        if (c == '\r' && multiline) {
            if (v + 1 < end && v[1] == '\n') {
                continue;
            }
            c = '\n';
        }
        else if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7F) {
            return NULL;
        }
        *o++ = (char)c;
    }
    *o = '\0';
    return out;
}

static apr_size_t cmcas_activity_input_chars(const char *s)
{
    apr_size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

/* A date typed JJ/MM/AAAA (or AAAA-MM-JJ, as a browser's date field sends it): its ISO
 * form, or NULL with a message. */
static const char *cmcas_activity_input_date(cmcas_activity_input_t *in, apr_pool_t *p,
                                             const char *field, const char *text,
                                             const char *label)
{
    cmcas_date_t d;

    if (!*text) {
        cmcas_activity_input_error(in, field, apr_psprintf(p, "%s est obligatoire.", label));
        return NULL;
    }
    if (APR_SUCCESS != cmcas_date_parse_fr(&d, text)
        && APR_SUCCESS != cmcas_date_parse_iso(&d, text)) {
        cmcas_activity_input_error(in, field, apr_psprintf(
            p, "%s n'est pas une date valide (JJ/MM/AAAA).", label));
        return NULL;
    }
    return cmcas_date_iso(p, &d);
}

/* An optional age (0 to 150): -1 when empty. */
static apr_int64_t cmcas_activity_input_age(cmcas_activity_input_t *in, apr_pool_t *p,
                                            const char *field, const char *text)
{
    apr_int64_t n = cmcas_activity_input_number(text, 150);
    if (n == -2) {
        cmcas_activity_input_error(in, field, apr_pstrdup(
            p, "Un âge est un nombre entier d'années, de 0 à 150."));
        return -1;
    }
    return n;
}

static apr_int64_t cmcas_activity_input_amount(cmcas_activity_input_t *in, apr_pool_t *p,
                                               const char *field, const char *text,
                                               int required)
{
    apr_int64_t cents = 0;
    apr_status_t rv;

    if (!*text && !required) {
        return 0;
    }
    if (!*text) {
        cmcas_activity_input_error(in, field, "Le montant est obligatoire.");
        return 0;
    }
    rv = cmcas_activity_input_money(&cents, text);
    if (APR_ERANGE == rv) {
        cmcas_activity_input_error(in, field, apr_psprintf(
            p, "« %s » : un montant ne peut être ni négatif ni supérieur à %s.", text,
            cmcas_money_format(p, CMCAS_ACTIVITY_INPUT_AMOUNT_MAX)));
    }
    else if (APR_SUCCESS != rv) {
        cmcas_activity_input_error(in, field, apr_psprintf(
            p, "« %s » n'est pas un montant en euros (par exemple 30,00).", text));
    }
    return cents;
}

/* A single field of the form, bounded (NULL and *pwhy when repeated or too long). */
static const char *cmcas_activity_input_field(cmcas_form_t *form, const char *name,
                                              apr_size_t max, int multiline,
                                              const char **pwhy)
{
    const char *v = cmcas_form_single(form, name, max);

    if (form->err) {
        *pwhy = *pwhy ? *pwhy : "field repeated or too long";
        return NULL;
    }
    v = cmcas_activity_input_text(form->pool, v, multiline);
    if (!v && !*pwhy) {
        *pwhy = "control character in a field";
    }
    return v;
}

/* A checkbox: absent, or "1". */
static int cmcas_activity_input_box(cmcas_form_t *form, const char *name,
                                    const char **pwhy)
{
    const char *v = cmcas_form_single(form, name, 1);
    if (form->err || (v && strcmp(v, "1"))) {
        *pwhy = *pwhy ? *pwhy : "bad checkbox";
        return 0;
    }
    return v != NULL;
}

/* Only fields the page has: a forged or foreign form is malformed. */
static const char *cmcas_activity_input_strays(cmcas_form_t *form)
{
    const apr_array_header_t *fields = apr_table_elts(form->fields);
    const apr_table_entry_t *e = (const apr_table_entry_t *)fields->elts;
    int i, j;

    for (i = 0; i < fields->nelts; i++) {
        const char *k = e[i].key;
        if (!strncmp(k, "option.", 7)) {
            char *end;
            long n = strtol(k + 7, &end, 10);
            if (!apr_isdigit(k[7]) || n < 1 || n > CMCAS_ACTIVITY_INPUT_OPTIONS_MAX
                || *end != '.') {
                return "option field of no row";
            }
            for (j = 0; cmcas_activity_input_option_fields[j]; j++) {
                if (!strcmp(end + 1, cmcas_activity_input_option_fields[j])) {
                    break;
                }
            }
            if (!cmcas_activity_input_option_fields[j]) {
                return "unknown option field";
            }
            continue;
        }
        for (j = 0; cmcas_activity_input_fields[j]; j++) {
            if (!strcmp(k, cmcas_activity_input_fields[j])) {
                break;
            }
        }
        if (!cmcas_activity_input_fields[j]) {
            return "unknown field";
        }
    }
    return NULL;
}

/* Row N of the option editor; *pempty when nothing was typed in a new row. */
static const char *cmcas_activity_input_option(cmcas_activity_input_t *in, apr_pool_t *p,
                                               cmcas_form_t *form, int n, int *pempty)
{
    cmcas_activity_input_option_t o;
    const char *why = NULL, *id, *prefix = apr_psprintf(p, "option.%d.", n);
    const char *f_label = apr_pstrcat(p, prefix, "label", NULL);
    const char *f_pb = apr_pstrcat(p, prefix, "price_beneficiary", NULL);
    const char *f_cb = apr_pstrcat(p, prefix, "participation_beneficiary", NULL);
    const char *f_pg = apr_pstrcat(p, prefix, "price_guest", NULL);
    const char *f_cg = apr_pstrcat(p, prefix, "participation_guest", NULL);
    const char *f_min = apr_pstrcat(p, prefix, "min_age", NULL);
    const char *f_max = apr_pstrcat(p, prefix, "max_age", NULL);

    memset(&o, 0, sizeof(o));
    o.row = n;
    id = cmcas_activity_input_field(form, apr_pstrcat(p, prefix, "id", NULL), 20, 0, &why);
    o.label = cmcas_activity_input_field(form, f_label, CMCAS_ACTIVITY_INPUT_LABEL_MAX, 0,
                                         &why);
    o.price_beneficiary = cmcas_activity_input_field(form, f_pb, 30, 0, &why);
    o.participation_beneficiary = cmcas_activity_input_field(form, f_cb, 30, 0, &why);
    o.price_guest = cmcas_activity_input_field(form, f_pg, 30, 0, &why);
    o.participation_guest = cmcas_activity_input_field(form, f_cg, 30, 0, &why);
    o.min_age = cmcas_activity_input_field(form, f_min, 10, 0, &why);
    o.max_age = cmcas_activity_input_field(form, f_max, 10, 0, &why);
    o.position = cmcas_activity_input_field(form, apr_pstrcat(p, prefix, "position", NULL),
                                            10, 0, &why);
    o.remove = cmcas_activity_input_box(form, apr_pstrcat(p, prefix, "delete", NULL), &why);
    if (why) {
        return why;
    }
    if (*id && !(o.id = cmcas_form_id(id))) {
        return "bad option id";
    }
    *pempty = !o.id && !*o.label && !*o.price_beneficiary && !*o.participation_beneficiary
              && !*o.price_guest && !*o.participation_guest && !*o.min_age && !*o.max_age;
    if (*pempty || (!o.id && o.remove)) {
        *pempty = 1;
        return NULL;
    }
    o.value.id = o.id;
    o.value.label = o.label;
    o.position_value = cmcas_activity_input_number(o.position, 100000);
    if (o.position_value == -2) {
        cmcas_activity_input_error(in, apr_pstrcat(p, prefix, "position", NULL),
                                   "L'ordre est un nombre entier.");
    }
    if (o.position_value < 0) {
        o.position_value = n;
    }
    if (!o.remove) {
        if (!*o.label) {
            cmcas_activity_input_error(in, f_label, "Le libellé de la prestation est "
                                       "obligatoire.");
        }
        o.value.price_beneficiary = cmcas_activity_input_amount(in, p, f_pb,
                                                                o.price_beneficiary, 1);
        o.value.participation_beneficiary = cmcas_activity_input_amount(
            in, p, f_cb, o.participation_beneficiary, 0);
        o.value.price_guest = cmcas_activity_input_amount(in, p, f_pg, o.price_guest, 1);
        o.value.participation_guest = cmcas_activity_input_amount(
            in, p, f_cg, o.participation_guest, 0);
        if (o.value.participation_beneficiary > o.value.price_beneficiary) {
            cmcas_activity_input_error(in, f_cb, "La participation CMCAS ne peut pas "
                                       "dépasser le montant (bénéficiaires).");
        }
        if (o.value.participation_guest > o.value.price_guest) {
            cmcas_activity_input_error(in, f_cg, "La participation CMCAS ne peut pas "
                                       "dépasser le montant (invités).");
        }
        o.value.min_age = cmcas_activity_input_age(in, p, f_min, o.min_age);
        o.value.max_age = cmcas_activity_input_age(in, p, f_max, o.max_age);
        if (o.value.min_age >= 0 && o.value.max_age >= 0
            && o.value.min_age > o.value.max_age) {
            cmcas_activity_input_error(in, f_max, "L'âge maximum de la prestation est "
                                       "inférieur à son âge minimum.");
        }
    }
    *(cmcas_activity_input_option_t *)apr_array_push(in->options) = o;
    return NULL;
}

/* The checks of the activity's own fields, on their own and together. */
static void cmcas_activity_input_check(cmcas_activity_input_t *in, apr_pool_t *p)
{
    cmcas_activity_t *a = &in->value;
    apr_int64_t n;

    if (!*in->title) {
        cmcas_activity_input_error(in, "title", "Le titre est obligatoire.");
    }
    a->start_date = cmcas_activity_input_date(in, p, "start_date", in->start_date,
                                              "La date de début");
    a->end_date = cmcas_activity_input_date(in, p, "end_date", in->end_date,
                                            "La date de fin");
    a->closing_date = cmcas_activity_input_date(in, p, "closing_date", in->closing_date,
                                                "La date de clôture des inscriptions");
    if (a->start_date && a->end_date && strcmp(a->end_date, a->start_date) < 0) {
        cmcas_activity_input_error(in, "end_date", "La date de fin est avant la date de "
                                   "début.");
    }
    if (a->start_date && a->closing_date && strcmp(a->closing_date, a->start_date) > 0) {
        cmcas_activity_input_error(in, "closing_date", "La date de clôture des "
                                   "inscriptions est après la date de début.");
    }
    n = cmcas_activity_input_number(in->capacity, CMCAS_ACTIVITY_INPUT_CAPACITY_MAX);
    if (n < 0) {
        cmcas_activity_input_error(in, "capacity", n == -1
            ? "Le nombre de places est obligatoire."
            : "Le nombre de places est un nombre entier de 0 à 100 000.");
    }
    a->capacity = n < 0 ? 0 : n;
    n = cmcas_activity_input_number(in->max_guests, 1000);
    if (n == -2) {
        cmcas_activity_input_error(in, "max_guests", "Le nombre d'invités par foyer est "
                                   "un nombre entier (vide : sans limite).");
    }
    a->max_guests = n < 0 ? -1 : n;
    a->min_age = cmcas_activity_input_age(in, p, "min_age", in->min_age);
    a->max_age = cmcas_activity_input_age(in, p, "max_age", in->max_age);
    if (a->min_age >= 0 && a->max_age >= 0 && a->min_age > a->max_age) {
        cmcas_activity_input_error(in, "max_age", "L'âge maximum est inférieur à l'âge "
                                   "minimum.");
    }
}

const char *cmcas_activity_input_parse(cmcas_activity_input_t *in, apr_pool_t *p,
                                       cmcas_form_t *form, const char **pmessage)
{
    const char *why = NULL;
    int n, empty;

    cmcas_activity_input_init(in, p);
    *pmessage = "Le formulaire de l'activité est mal formé : rechargez la page.";
    if ((why = cmcas_activity_input_strays(form))) {
        return why;
    }
    in->theme = cmcas_activity_input_field(form, "theme", 40, 0, &why);
    in->title = cmcas_activity_input_field(form, "title", CMCAS_ACTIVITY_INPUT_TITLE_MAX,
                                           0, &why);
    in->description = cmcas_activity_input_field(
        form, "description", CMCAS_ACTIVITY_INPUT_DESCRIPTION_MAX, 1, &why);
    in->place = cmcas_activity_input_field(form, "place", CMCAS_ACTIVITY_INPUT_PLACE_MAX, 0,
                                           &why);
    in->start_date = cmcas_activity_input_field(form, "start_date", 20, 0, &why);
    in->end_date = cmcas_activity_input_field(form, "end_date", 20, 0, &why);
    in->closing_date = cmcas_activity_input_field(form, "closing_date", 20, 0, &why);
    in->capacity = cmcas_activity_input_field(form, "capacity", 10, 0, &why);
    in->mode = cmcas_activity_input_field(form, "mode", 20, 0, &why);
    in->max_guests = cmcas_activity_input_field(form, "max_guests", 10, 0, &why);
    in->min_age = cmcas_activity_input_field(form, "min_age", 10, 0, &why);
    in->max_age = cmcas_activity_input_field(form, "max_age", 10, 0, &why);
    in->open_to_others = cmcas_activity_input_box(form, "open_to_others", &why);
    in->guests_allowed = cmcas_activity_input_box(form, "guests_allowed", &why);
    if (why) {
        if (form->err) {
            *pmessage = form->err;
        }
        return why;
    }
    /* A select of the page: anything else was not typed by a person. */
    if (!cmcas_theme_find(in->theme)) {
        *pmessage = "Thème inconnu : choisissez l'un des thèmes de la liste.";
        return "unknown theme";
    }
    if (strcmp(in->mode, "immediat") && strcmp(in->mode, "tour_de_role")) {
        *pmessage = "Mode d'inscription inconnu : « paiement immédiat » ou « tour de rôle ».";
        return "unknown mode";
    }
    if (cmcas_activity_input_chars(in->description) > CMCAS_ACTIVITY_INPUT_DESCRIPTION_MAX) {
        return "description too long";
    }
    for (n = 1; n <= CMCAS_ACTIVITY_INPUT_OPTIONS_MAX; n++) {
        if ((why = cmcas_activity_input_option(in, p, form, n, &empty))) {
            if (form->err) {
                *pmessage = form->err;
            }
            return why;
        }
    }
    for (n = 0; n < in->options->nelts; n++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, n, cmcas_activity_input_option_t);
        int m;
        for (m = 0; o->id && m < n; m++) {
            if (APR_ARRAY_IDX(in->options, m, cmcas_activity_input_option_t).id == o->id) {
                return "option listed twice";
            }
        }
    }
    in->value.theme = in->theme;
    in->value.title = in->title;
    in->value.description = in->description;
    in->value.place = in->place;
    in->value.mode = in->mode;
    in->value.open_to_others = in->open_to_others;
    in->value.guests_allowed = in->guests_allowed;
    cmcas_activity_input_check(in, p);
    return NULL;
}

static const char *cmcas_activity_input_int_text(apr_pool_t *p, apr_int64_t n)
{
    return n < 0 ? "" : apr_psprintf(p, "%" APR_INT64_T_FMT, n);
}

static const char *cmcas_activity_input_date_text(apr_pool_t *p, const char *iso)
{
    const char *fr = iso ? cmcas_date_iso_to_fr(p, iso) : NULL;
    return fr ? fr : "";
}

void cmcas_activity_input_from(cmcas_activity_input_t *in, apr_pool_t *p,
                               const cmcas_activity_t *act,
                               const apr_array_header_t *options)
{
    int i;

    cmcas_activity_input_init(in, p);
    in->value = *act;
    in->theme = act->theme;
    in->title = act->title;
    in->description = act->description ? act->description : "";
    in->place = act->place ? act->place : "";
    in->start_date = cmcas_activity_input_date_text(p, act->start_date);
    in->end_date = cmcas_activity_input_date_text(p, act->end_date);
    in->closing_date = cmcas_activity_input_date_text(p, act->closing_date);
    in->capacity = cmcas_activity_input_int_text(p, act->capacity);
    in->mode = act->mode;
    in->open_to_others = act->open_to_others;
    in->guests_allowed = act->guests_allowed;
    in->max_guests = cmcas_activity_input_int_text(p, act->max_guests);
    in->min_age = cmcas_activity_input_int_text(p, act->min_age);
    in->max_age = cmcas_activity_input_int_text(p, act->max_age);
    for (i = 0; options && i < options->nelts; i++) {
        const cmcas_activity_option_t *v =
            &APR_ARRAY_IDX(options, i, cmcas_activity_option_t);
        cmcas_activity_input_option_t *o = apr_array_push(in->options);
        memset(o, 0, sizeof(*o));
        o->row = i + 1;
        o->id = v->id;
        o->value = *v;
        o->position_value = i + 1;
        o->label = v->label;
        o->price_beneficiary = cmcas_money_plain(p, v->price_beneficiary);
        o->participation_beneficiary =
            cmcas_money_plain(p, v->participation_beneficiary);
        o->price_guest = cmcas_money_plain(p, v->price_guest);
        o->participation_guest = cmcas_money_plain(p, v->participation_guest);
        o->min_age = cmcas_activity_input_int_text(p, v->min_age);
        o->max_age = cmcas_activity_input_int_text(p, v->max_age);
        o->position = apr_itoa(p, i + 1);
    }
}
