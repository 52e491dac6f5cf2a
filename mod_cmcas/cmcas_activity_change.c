#include <apr_strings.h>

#include "cmcas_activity_change.h"
#include "cmcas_activity_store.h"
#include "cmcas_audit.h"
#include "cmcas_audit_store.h"
#include "cmcas_catalog_store.h"
#include "cmcas_image_store.h"
#include "cmcas_date.h"
#include "cmcas_money.h"
#include "cmcas_theme.h"

#define CMCAS_ACTIVITY_CHANGE_FIXED \
    "Des inscriptions ont choisi cette prestation : ses montants ne changent plus " \
    "(ajoutez une nouvelle prestation si besoin)."

static const char *cmcas_activity_change_yes(int b)
{
    return b ? "oui" : "non";
}

static const char *cmcas_activity_change_n(apr_pool_t *p, apr_int64_t n, const char *none)
{
    return n < 0 ? none : apr_psprintf(p, "%" APR_INT64_T_FMT, n);
}

/* The activity's fields as the audit log names and shows them. */
static const char *const cmcas_activity_change_names[] = {
    "Thème", "Titre", "Description", "Lieu", "Début", "Fin", "Clôture des inscriptions",
    "Places", "Mode", "Ouverte aux autres CMCAS", "Invités acceptés", "Invités par foyer",
    "Âge minimum", "Âge maximum", NULL
};

static void cmcas_activity_change_values(const char **v, apr_pool_t *p,
                                         const cmcas_activity_t *a)
{
    const cmcas_theme_t *t = cmcas_theme_find(a->theme);

    v[0] = t ? t->label : a->theme;
    v[1] = a->title;
    v[2] = a->description;
    v[3] = a->place;
    v[4] = cmcas_date_iso_to_fr(p, a->start_date);
    v[5] = cmcas_date_iso_to_fr(p, a->end_date);
    v[6] = cmcas_date_iso_to_fr(p, a->closing_date);
    v[7] = cmcas_activity_change_n(p, a->capacity, "");
    v[8] = !strcmp(a->mode, "immediat") ? "paiement immédiat" : "tour de rôle";
    v[9] = cmcas_activity_change_yes(a->open_to_others);
    v[10] = cmcas_activity_change_yes(a->guests_allowed);
    v[11] = cmcas_activity_change_n(p, a->max_guests, "sans limite");
    v[12] = cmcas_activity_change_n(p, a->min_age, "aucun");
    v[13] = cmcas_activity_change_n(p, a->max_age, "aucun");
}

/* Both sides of each field (`a` NULL: none, a creation). */
static void cmcas_activity_change_fields(apr_array_header_t *f, apr_pool_t *p,
                                         const cmcas_activity_t *a,
                                         const cmcas_activity_t *b)
{
    const char *va[14] = {NULL}, *vb[14];
    int i;

    if (a) {
        cmcas_activity_change_values(va, p, a);
    }
    cmcas_activity_change_values(vb, p, b);
    for (i = 0; cmcas_activity_change_names[i]; i++) {
        cmcas_audit_add(f, cmcas_activity_change_names[i], va[i], vb[i]);
    }
}

/* An option on one line of the audit log. */
static const char *cmcas_activity_change_option_text(apr_pool_t *p,
                                                     const cmcas_activity_option_t *o,
                                                     apr_int64_t position)
{
    const char *ages = "";

    if (o->min_age >= 0 || o->max_age >= 0) {
        ages = apr_psprintf(p, " ; âges %s à %s",
                            cmcas_activity_change_n(p, o->min_age, "0"),
                            cmcas_activity_change_n(p, o->max_age, "sans limite"));
    }
    return apr_psprintf(p, "%s ; bénéficiaires %s dont participation CMCAS %s ; "
                        "invités %s dont participation CMCAS %s%s ; ordre %" APR_INT64_T_FMT,
                        o->label, cmcas_money_format(p, o->price_beneficiary),
                        cmcas_money_format(p, o->participation_beneficiary),
                        cmcas_money_format(p, o->price_guest),
                        cmcas_money_format(p, o->participation_guest), ages, position);
}

static const char *cmcas_activity_change_option_name(apr_pool_t *p, apr_int64_t id)
{
    return apr_psprintf(p, "Prestation %" APR_INT64_T_FMT, id);
}

static const char *cmcas_activity_change_object(apr_pool_t *p, apr_int64_t id)
{
    return apr_psprintf(p, "activité %" APR_INT64_T_FMT, id);
}

/* Writes the audit line of the change when a field changed. */
static apr_status_t cmcas_activity_change_audit(cmcas_store_t *st, apr_pool_t *p,
                                                const cmcas_staff_t *staff, apr_time_t now,
                                                const char *action, apr_int64_t id,
                                                const apr_array_header_t *fields,
                                                const char **perr)
{
    const char *before, *after;

    if (!cmcas_audit_diff(&before, &after, p, fields)) {
        return APR_SUCCESS;
    }
    return cmcas_audit_store_add(st, p, now, staff->cmcas_code, staff->login, action,
                                 cmcas_activity_change_object(p, id), before, after, perr);
}

cmcas_result_kind_t cmcas_activity_change_create(cmcas_result_t *res, apr_int64_t *pid,
                                                 cmcas_store_t *st, apr_pool_t *p,
                                                 const cmcas_staff_t *staff, apr_time_t now,
                                                 const cmcas_activity_input_t *in)
{
    apr_array_header_t *fields = cmcas_audit_fields(p);
    cmcas_activity_t act = in->value;
    cmcas_store_tx_t *tx = NULL;
    const char *err = NULL;
    apr_status_t rv;
    int i;

    *pid = 0;
    if (in->errors->nelts) {
        return cmcas_result_set(res, CMCAS_RESULT_REFUSED, "the form has errors",
                                "Le formulaire contient des erreurs.");
    }
    act.cmcas_code = staff->cmcas_code;
    if (APR_SUCCESS != (rv = cmcas_store_begin(&tx, st, p, &err))) {
        return cmcas_result_error(res, "creating an activity", err);
    }
    rv = cmcas_activity_store_insert(pid, st, p, &act, &err);
    cmcas_activity_change_fields(fields, p, NULL, &act);
    for (i = 0; APR_SUCCESS == rv && i < in->options->nelts; i++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, i, cmcas_activity_input_option_t);
        apr_int64_t oid = 0;
        if (o->remove) {
            continue;
        }
        rv = cmcas_activity_store_option_insert(&oid, st, p, *pid, &o->value,
                                                o->position_value, &err);
        cmcas_audit_add(fields, cmcas_activity_change_option_name(p, oid), NULL,
                        cmcas_activity_change_option_text(p, &o->value, o->position_value));
    }
    if (APR_SUCCESS == rv) {
        rv = cmcas_activity_change_audit(st, p, staff, now, "Activité créée", *pid, fields,
                                         &err);
    }
    if (APR_SUCCESS != rv) {
        *pid = 0;
    }
    return cmcas_store_end_result(res, tx, rv, "creating an activity", err);
}

/* The activity if it is the CMCAS's (NOT_FOUND otherwise). */
static cmcas_result_kind_t cmcas_activity_change_own(cmcas_result_t *res,
                                                     cmcas_activity_t **pact,
                                                     cmcas_store_t *st, apr_pool_t *p,
                                                     const char *cmcas_code, apr_int64_t id)
{
    const char *err = NULL;
    apr_status_t rv = cmcas_catalog_store_activity(pact, st, p, id, &err);

    if (APR_NOTFOUND == rv || (APR_SUCCESS == rv && strcmp((*pact)->cmcas_code, cmcas_code))) {
        *pact = NULL;
        return cmcas_result_set(res, CMCAS_RESULT_NOT_FOUND,
                                "no activity of the staff's CMCAS by that id", NULL);
    }
    if (APR_SUCCESS != rv) {
        return cmcas_result_error(res, "reading the activity", err);
    }
    cmcas_result_done(res);
    return res->kind;
}

cmcas_result_kind_t cmcas_activity_change_read(cmcas_result_t *res, cmcas_activity_t **pact,
                                               apr_array_header_t **poptions,
                                               apr_array_header_t **pusage,
                                               apr_int64_t *pregistrations,
                                               cmcas_store_t *st, apr_pool_t *p,
                                               const char *cmcas_code, apr_int64_t id)
{
    const char *err = NULL;

    if (CMCAS_RESULT_DONE != cmcas_activity_change_own(res, pact, st, p, cmcas_code, id)) {
        return res->kind;
    }
    if (APR_SUCCESS != cmcas_catalog_store_options(poptions, st, p, id, &err)
        || APR_SUCCESS != cmcas_activity_store_usage(pusage, st, p, id, &err)
        || APR_SUCCESS != cmcas_activity_store_registrations(pregistrations, st, p, id,
                                                             &err)) {
        *pact = NULL;
        return cmcas_result_error(res, "reading the activity's options", err);
    }
    return res->kind;
}

static const cmcas_activity_option_t *cmcas_activity_change_find(
    const apr_array_header_t *options, apr_int64_t id, apr_int64_t *pposition)
{
    int i;
    for (i = 0; i < options->nelts; i++) {
        const cmcas_activity_option_t *o = &APR_ARRAY_IDX(options, i, cmcas_activity_option_t);
        if (o->id == id) {
            *pposition = i + 1;
            return o;
        }
    }
    return NULL;
}

static const cmcas_activity_store_usage_t *cmcas_activity_change_usage(
    const apr_array_header_t *usage, apr_int64_t id)
{
    int i;
    for (i = 0; i < usage->nelts; i++) {
        const cmcas_activity_store_usage_t *u =
            &APR_ARRAY_IDX(usage, i, cmcas_activity_store_usage_t);
        if (u->option_id == id) {
            return u;
        }
    }
    return NULL;
}

static int cmcas_activity_change_same_amounts(const cmcas_activity_option_t *a,
                                              const cmcas_activity_option_t *b)
{
    return a->price_beneficiary == b->price_beneficiary
           && a->participation_beneficiary == b->participation_beneficiary
           && a->price_guest == b->price_guest
           && a->participation_guest == b->participation_guest;
}

/* The rules the activity's registrations impose on the edit: messages in in->errors. */
static void cmcas_activity_change_rules(cmcas_activity_input_t *in, apr_pool_t *p,
                                        const cmcas_activity_t *act,
                                        const apr_array_header_t *options,
                                        const apr_array_header_t *usage,
                                        apr_int64_t registrations)
{
    int i;

    if (in->value.capacity < act->places_taken) {
        cmcas_activity_input_error(in, "capacity", apr_psprintf(
            p, "Le nombre de places ne peut pas être inférieur aux places déjà prises "
            "(%" APR_INT64_T_FMT ").", act->places_taken));
    }
    if (registrations && strcmp(in->value.mode, act->mode)) {
        cmcas_activity_input_error(in, "mode", "L'activité a des inscriptions : son mode "
                                   "d'inscription ne change plus.");
    }
    for (i = 0; i < in->options->nelts; i++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, i, cmcas_activity_input_option_t);
        const cmcas_activity_store_usage_t *u;
        const cmcas_activity_option_t *old;
        apr_int64_t pos;
        if (!o->id || !(old = cmcas_activity_change_find(options, o->id, &pos))) {
            continue;
        }
        u = cmcas_activity_change_usage(usage, o->id);
        if (o->remove && u && u->all) {
            cmcas_activity_input_error(in, apr_psprintf(p, "option.%d.delete", o->row),
                                       "Des inscriptions ont choisi cette prestation : "
                                       "elle ne peut pas être supprimée.");
        }
        else if (!o->remove && u && u->active
                 && !cmcas_activity_change_same_amounts(old, &o->value)) {
            cmcas_activity_input_error(in, apr_psprintf(p, "option.%d.price_beneficiary",
                                                        o->row),
                                       CMCAS_ACTIVITY_CHANGE_FIXED);
        }
    }
}

/* Writes the options of the form: removed, changed, new; their audit fields. */
static apr_status_t cmcas_activity_change_options(int *pok, cmcas_store_t *st,
                                                  apr_pool_t *p, apr_int64_t id,
                                                  const cmcas_activity_input_t *in,
                                                  const apr_array_header_t *options,
                                                  apr_array_header_t *fields,
                                                  const char **perr)
{
    apr_status_t rv = APR_SUCCESS;
    int i, one = 1;

    for (i = 0; APR_SUCCESS == rv && one && i < in->options->nelts; i++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, i, cmcas_activity_input_option_t);
        const cmcas_activity_option_t *old = NULL;
        apr_int64_t pos = 0, oid = o->id;

        if (o->id) {
            old = cmcas_activity_change_find(options, o->id, &pos);
        }
        if (o->remove) {
            rv = cmcas_activity_store_option_delete(&one, st, p, id, o->id, perr);
        }
        else if (o->id) {
            rv = cmcas_activity_store_option_update(&one, st, p, id, &o->value,
                                                    o->position_value, perr);
        }
        else {
            rv = cmcas_activity_store_option_insert(&oid, st, p, id, &o->value,
                                                    o->position_value, perr);
        }
        cmcas_audit_add(fields, cmcas_activity_change_option_name(p, oid),
                        old ? cmcas_activity_change_option_text(p, old, pos) : NULL,
                        o->remove ? NULL
                                  : cmcas_activity_change_option_text(p, &o->value,
                                                                      o->position_value));
    }
    *pok = one;
    return rv;
}

cmcas_result_kind_t cmcas_activity_change_update(cmcas_result_t *res, cmcas_store_t *st,
                                                 apr_pool_t *p, const cmcas_staff_t *staff,
                                                 apr_time_t now, apr_int64_t id,
                                                 cmcas_activity_input_t *in)
{
    apr_array_header_t *fields = cmcas_audit_fields(p), *options = NULL, *usage = NULL;
    apr_int64_t registrations = 0, pos;
    cmcas_activity_t *act = NULL, next;
    cmcas_store_tx_t *tx = NULL;
    const char *err = NULL, *end_err = NULL;
    apr_status_t rv;
    int i, one = 0;

    if (APR_SUCCESS != (rv = cmcas_store_begin(&tx, st, p, &err))) {
        return cmcas_result_error(res, "saving an activity", err);
    }
    if (CMCAS_RESULT_DONE != cmcas_activity_change_read(res, &act, &options, &usage,
                                                        &registrations, st, p,
                                                        staff->cmcas_code, id)) {
        cmcas_store_end(tx, 0, &end_err);
        return res->kind;
    }
    for (i = 0; i < in->options->nelts; i++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, i, cmcas_activity_input_option_t);
        if (o->id && !cmcas_activity_change_find(options, o->id, &pos)) {
            cmcas_store_end(tx, 0, &end_err);
            return cmcas_result_set(res, CMCAS_RESULT_BAD_INPUT,
                                    "an option row of another activity",
                                    "Le formulaire ne correspond pas à cette activité : "
                                    "rechargez la page.");
        }
    }
    cmcas_activity_change_rules(in, p, act, options, usage, registrations);
    if (in->errors->nelts) {
        cmcas_store_end(tx, 0, &end_err);
        return cmcas_result_set(res, CMCAS_RESULT_REFUSED, "the form breaks a rule",
                                "Le formulaire contient des erreurs.");
    }
    next = in->value;
    next.id = id;
    next.cmcas_code = staff->cmcas_code;
    cmcas_activity_change_fields(fields, p, act, &next);
    rv = cmcas_activity_store_update(&one, st, p, &next, &err);
    if (APR_SUCCESS == rv && one) {
        rv = cmcas_activity_change_options(&one, st, p, id, in, options, fields, &err);
    }
    if (APR_SUCCESS == rv && !one) {
        /* A registration came between the checks and the writes. */
        cmcas_store_end(tx, 0, &end_err);
        return cmcas_result_set(res, CMCAS_RESULT_CONFLICT,
                                "a registration arrived during the edit",
                                "Une inscription vient d'arriver : rechargez la page et "
                                "recommencez ; rien n'a été modifié.");
    }
    if (APR_SUCCESS == rv) {
        rv = cmcas_activity_change_audit(st, p, staff, now, "Activité modifiée", id, fields,
                                         &err);
    }
    return cmcas_store_end_result(res, tx, rv, "saving an activity", err);
}

cmcas_result_kind_t cmcas_activity_change_publish(cmcas_result_t *res, cmcas_store_t *st,
                                                  apr_pool_t *p, const cmcas_staff_t *staff,
                                                  apr_time_t now, apr_int64_t id,
                                                  int publish)
{
    apr_array_header_t *fields = cmcas_audit_fields(p);
    const char *err = NULL, *end_err = NULL, *stamp;
    cmcas_activity_t *act = NULL;
    cmcas_date_t today;
    cmcas_store_tx_t *tx = NULL;
    apr_status_t rv;
    int one = 0;

    /* A calendar day, as the catalog compares it (and as the « NOUVEAU » badge counts). */
    cmcas_date_today(&today, now);
    stamp = cmcas_date_iso(p, &today);
    if (APR_SUCCESS != (rv = cmcas_store_begin(&tx, st, p, &err))) {
        return cmcas_result_error(res, "publishing an activity", err);
    }
    if (CMCAS_RESULT_DONE != cmcas_activity_change_own(res, &act, st, p, staff->cmcas_code,
                                                       id)) {
        cmcas_store_end(tx, 0, &end_err);
        return res->kind;
    }
    rv = cmcas_activity_store_publish(&one, st, p, id, staff->cmcas_code,
                                      publish ? stamp : NULL, &err);
    if (APR_SUCCESS == rv && !one) {
        cmcas_store_end(tx, 0, &end_err);
        return cmcas_result_set(res, CMCAS_RESULT_CONFLICT,
                                publish ? "already published" : "not published",
                                publish ? "Cette activité est déjà publiée."
                                        : "Cette activité n'est pas publiée.");
    }
    cmcas_audit_add(fields, "Publiée", act->published_at ? "oui" : "non",
                    publish ? "oui" : "non");
    cmcas_audit_add(fields, "Publiée le",
                    act->published_at ? cmcas_date_iso_to_fr(p, act->published_at) : NULL,
                    publish ? cmcas_date_iso_to_fr(p, stamp) : NULL);
    if (APR_SUCCESS == rv) {
        rv = cmcas_activity_change_audit(st, p, staff, now, publish ? "Activité publiée"
                                                                    : "Activité dépubliée",
                                         id, fields, &err);
    }
    return cmcas_store_end_result(res, tx, rv, "publishing an activity", err);
}

cmcas_result_kind_t cmcas_activity_change_image(cmcas_result_t *res, cmcas_store_t *st,
                                                apr_pool_t *p, const cmcas_staff_t *staff,
                                                apr_time_t now, apr_int64_t id,
                                                const cmcas_image_t *img,
                                                const unsigned char *data, apr_size_t len)
{
    apr_array_header_t *fields = cmcas_audit_fields(p);
    const char *err = NULL, *end_err = NULL, *path = cmcas_image_path(p, img->name);
    cmcas_activity_t *act = NULL;
    cmcas_store_tx_t *tx = NULL;
    apr_status_t rv;
    int one = 0;

    if (APR_SUCCESS != (rv = cmcas_store_begin(&tx, st, p, &err))) {
        return cmcas_result_error(res, "the activity's picture", err);
    }
    if (CMCAS_RESULT_DONE != cmcas_activity_change_own(res, &act, st, p, staff->cmcas_code,
                                                       id)) {
        cmcas_store_end(tx, 0, &end_err);
        return res->kind;
    }
    rv = cmcas_image_store_add(st, p, img, data, len, cmcas_date_stamp(p, now),
                                       &err);
    if (APR_SUCCESS == rv) {
        rv = cmcas_activity_store_set_image(&one, st, p, id, staff->cmcas_code, path, &err);
    }
    if (APR_SUCCESS == rv && !one) {
        err = "the activity went away during the upload";
        rv = APR_EGENERAL;
    }
    /* The picture replaced is kept only while another activity shows it. */
    if (APR_SUCCESS == rv && act->image && strcmp(act->image, path)) {
        rv = cmcas_image_store_forget(st, p, act->image, &err);
    }
    cmcas_audit_add(fields, "Image", act->image, path);
    if (APR_SUCCESS == rv) {
        rv = cmcas_activity_change_audit(st, p, staff, now, "Image de l'activité changée",
                                         id, fields, &err);
    }
    return cmcas_store_end_result(res, tx, rv, "the activity's picture", err);
}
