/* libFuzzer harness: the back-office's activity form (cmcas_activity_input_parse), posted
 * urlencoded by a staff member's browser, and the euro amounts it reads
 * (cmcas_activity_input_money), which get the input's bytes as they are.
 *
 * Invariants checked (abort() when one breaks):
 * - an amount accepted is within 0..CMCAS_ACTIVITY_INPUT_AMOUNT_MAX and, formatted as
 *   the form shows it, parses again to the same cents;
 * - a form accepted has at most CMCAS_ACTIVITY_INPUT_OPTIONS_MAX rows, in increasing
 *   row order, texts without control characters (but line breaks and tabs in the
 *   description, never a CR);
 * - a form accepted without messages holds only checked values: real ISO dates in order,
 *   a known theme and mode, bounded numbers, amounts within bounds with participations
 *   not above the prices; and the same activity shown again as a form
 *   (cmcas_activity_input_from) and posted back reads to the same values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "../../mod_cmcas/cmcas_activity_input.h"
#include "../../mod_cmcas/cmcas_date.h"
#include "../../mod_cmcas/cmcas_form.h"
#include "../../mod_cmcas/cmcas_money.h"
#include "../../mod_cmcas/cmcas_text.h"
#include "../../mod_cmcas/cmcas_theme.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(int ok)
{
    if (!ok) {
        abort();
    }
}

static void fuzz_amount(apr_pool_t *p, apr_int64_t cents)
{
    apr_int64_t again = -1;

    fuzz_check(cents >= 0 && cents <= CMCAS_ACTIVITY_INPUT_AMOUNT_MAX);
    fuzz_check(APR_SUCCESS == cmcas_activity_input_money(
                                  &again, cmcas_money_plain(p, cents)));
    fuzz_check(again == cents);
}

/* A text the form took: no control character (but \n and \t where multiline). */
static void fuzz_text(const char *s, int multiline)
{
    fuzz_check(s != NULL);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        fuzz_check(!((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7F));
    }
}

static void fuzz_date(apr_pool_t *p, const char *iso)
{
    cmcas_date_t d;

    fuzz_check(iso && APR_SUCCESS == cmcas_date_parse_iso(&d, iso));
    fuzz_check(!strcmp(cmcas_date_iso(p, &d), iso));
}

static void fuzz_age(apr_int64_t age)
{
    fuzz_check(age >= -1 && age <= 150);
}

static const char *fuzz_escape(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, 3 * strlen(s) + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            *o++ = (char)c;
        }
        else {
            o += apr_snprintf(o, 4, "%%%02X", c);
        }
    }
    *o = '\0';
    return out;
}

static void fuzz_add(apr_pool_t *p, apr_array_header_t *body, const char *name,
                     const char *value)
{
    APR_ARRAY_PUSH(body, const char *) =
        apr_pstrcat(p, body->nelts ? "&" : "", name, "=", fuzz_escape(p, value), NULL);
}

/* The form a browser would post back for `in` (as cmcas_activity_input_from fills it). */
static const char *fuzz_post(apr_pool_t *p, const cmcas_activity_input_t *in)
{
    apr_array_header_t *body = apr_array_make(p, 64, sizeof(const char *));
    int i;

    fuzz_add(p, body, "theme", in->theme);
    fuzz_add(p, body, "title", in->title);
    fuzz_add(p, body, "description", in->description);
    fuzz_add(p, body, "place", in->place);
    fuzz_add(p, body, "start_date", in->start_date);
    fuzz_add(p, body, "end_date", in->end_date);
    fuzz_add(p, body, "closing_date", in->closing_date);
    fuzz_add(p, body, "capacity", in->capacity);
    fuzz_add(p, body, "mode", in->mode);
    fuzz_add(p, body, "max_guests", in->max_guests);
    fuzz_add(p, body, "min_age", in->min_age);
    fuzz_add(p, body, "max_age", in->max_age);
    if (in->open_to_others) {
        fuzz_add(p, body, "open_to_others", "1");
    }
    if (in->guests_allowed) {
        fuzz_add(p, body, "guests_allowed", "1");
    }
    for (i = 0; i < in->options->nelts; i++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, i, cmcas_activity_input_option_t);
        const char *prefix = apr_psprintf(p, "option.%d.", o->row);
        if (o->id) {
            fuzz_add(p, body, apr_pstrcat(p, prefix, "id", NULL),
                     apr_psprintf(p, "%" APR_INT64_T_FMT, o->id));
        }
        fuzz_add(p, body, apr_pstrcat(p, prefix, "label", NULL), o->label);
        fuzz_add(p, body, apr_pstrcat(p, prefix, "price_beneficiary", NULL),
                 o->price_beneficiary);
        fuzz_add(p, body, apr_pstrcat(p, prefix, "participation_beneficiary", NULL),
                 o->participation_beneficiary);
        fuzz_add(p, body, apr_pstrcat(p, prefix, "price_guest", NULL), o->price_guest);
        fuzz_add(p, body, apr_pstrcat(p, prefix, "participation_guest", NULL),
                 o->participation_guest);
        fuzz_add(p, body, apr_pstrcat(p, prefix, "min_age", NULL), o->min_age);
        fuzz_add(p, body, apr_pstrcat(p, prefix, "max_age", NULL), o->max_age);
        fuzz_add(p, body, apr_pstrcat(p, prefix, "position", NULL), o->position);
    }
    return apr_array_pstrcat(p, body, 0);
}

static int fuzz_same_option(const cmcas_activity_option_t *a, const cmcas_activity_option_t *b)
{
    return a->id == b->id && !strcmp(a->label, b->label)
           && a->price_beneficiary == b->price_beneficiary
           && a->participation_beneficiary == b->participation_beneficiary
           && a->price_guest == b->price_guest
           && a->participation_guest == b->participation_guest
           && a->min_age == b->min_age && a->max_age == b->max_age;
}

static void fuzz_round_trip(apr_pool_t *p, const cmcas_activity_input_t *in)
{
    apr_array_header_t *kept = apr_array_make(p, 8, sizeof(cmcas_activity_option_t));
    cmcas_activity_input_t shown, again;
    const cmcas_activity_t *a = &in->value, *b = &again.value;
    cmcas_form_t *form;
    const char *body, *err, *message;
    int i;

    for (i = 0; i < in->options->nelts; i++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, i, cmcas_activity_input_option_t);
        if (!o->remove) {
            APR_ARRAY_PUSH(kept, cmcas_activity_option_t) = o->value;
        }
    }
    cmcas_activity_input_from(&shown, p, a, kept);
    body = fuzz_post(p, &shown);
    fuzz_check(APR_SUCCESS == cmcas_form_parse(&form, p, body, strlen(body), &err));
    fuzz_check(!cmcas_activity_input_parse(&again, p, form, &message));
    fuzz_check(again.errors->nelts == 0 && again.options->nelts == kept->nelts);
    fuzz_check(!strcmp(a->theme, b->theme) && !strcmp(a->title, b->title)
               && !strcmp(a->description, b->description) && !strcmp(a->place, b->place)
               && !strcmp(a->start_date, b->start_date) && !strcmp(a->end_date, b->end_date)
               && !strcmp(a->closing_date, b->closing_date) && !strcmp(a->mode, b->mode)
               && a->capacity == b->capacity && a->max_guests == b->max_guests
               && a->min_age == b->min_age && a->max_age == b->max_age
               && a->open_to_others == b->open_to_others
               && a->guests_allowed == b->guests_allowed);
    for (i = 0; i < kept->nelts; i++) {
        fuzz_check(fuzz_same_option(
            &APR_ARRAY_IDX(kept, i, cmcas_activity_option_t),
            &APR_ARRAY_IDX(again.options, i, cmcas_activity_input_option_t).value));
    }
}

static void fuzz_accepted(apr_pool_t *p, const cmcas_activity_input_t *in)
{
    const cmcas_activity_t *a = &in->value;
    int i;

    fuzz_check(in->options->nelts <= CMCAS_ACTIVITY_INPUT_OPTIONS_MAX);
    fuzz_text(in->title, 0);
    fuzz_text(in->place, 0);
    fuzz_text(in->description, 1);
    fuzz_check(!strchr(in->description, '\r'));
    for (i = 0; i < in->options->nelts; i++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, i, cmcas_activity_input_option_t);
        fuzz_check(o->row >= 1 && o->row <= CMCAS_ACTIVITY_INPUT_OPTIONS_MAX);
        fuzz_check(!i || o->row > APR_ARRAY_IDX(in->options, i - 1,
                                                cmcas_activity_input_option_t).row);
        fuzz_check(o->id >= 0 && (o->id || !o->remove));
        fuzz_text(o->label, 0);
    }
    if (in->errors->nelts) {
        for (i = 0; i < in->errors->nelts; i++) {
            const cmcas_activity_input_error_t *e =
                &APR_ARRAY_IDX(in->errors, i, cmcas_activity_input_error_t);
            fuzz_check(e->field && *e->field && e->message && *e->message);
        }
        return;
    }
    fuzz_check(cmcas_theme_find(a->theme) != NULL);
    fuzz_check(!strcmp(a->mode, "immediat") || !strcmp(a->mode, "tour_de_role"));
    fuzz_check(*a->title);
    fuzz_date(p, a->start_date);
    fuzz_date(p, a->end_date);
    fuzz_date(p, a->closing_date);
    fuzz_check(strcmp(a->start_date, a->end_date) <= 0);
    fuzz_check(strcmp(a->closing_date, a->start_date) <= 0);
    fuzz_check(a->capacity >= 0 && a->capacity <= CMCAS_ACTIVITY_INPUT_CAPACITY_MAX);
    fuzz_check(a->max_guests >= -1 && a->max_guests <= 1000);
    fuzz_age(a->min_age);
    fuzz_age(a->max_age);
    fuzz_check(a->min_age < 0 || a->max_age < 0 || a->min_age <= a->max_age);
    for (i = 0; i < in->options->nelts; i++) {
        const cmcas_activity_input_option_t *o =
            &APR_ARRAY_IDX(in->options, i, cmcas_activity_input_option_t);
        const cmcas_activity_option_t *v = &o->value;
        if (o->remove) {
            continue;
        }
        fuzz_check(*v->label);
        fuzz_amount(p, v->price_beneficiary);
        fuzz_amount(p, v->participation_beneficiary);
        fuzz_amount(p, v->price_guest);
        fuzz_amount(p, v->participation_guest);
        fuzz_check(v->participation_beneficiary <= v->price_beneficiary);
        fuzz_check(v->participation_guest <= v->price_guest);
        fuzz_age(v->min_age);
        fuzz_age(v->max_age);
        fuzz_check(v->min_age < 0 || v->max_age < 0 || v->min_age <= v->max_age);
    }
    fuzz_round_trip(p, in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *s, *err, *message = NULL;
    cmcas_form_t *form;
    cmcas_activity_input_t in;
    apr_int64_t cents;
    apr_status_t rv;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);
    s = apr_pstrmemdup(p, (const char *)data, size);   /* stops at an embedded NUL */

    rv = cmcas_activity_input_money(&cents, s);
    if (APR_SUCCESS == rv) {
        fuzz_amount(p, cents);
    }
    else {
        fuzz_check((APR_EINVAL == rv || APR_ERANGE == rv) && cents == 0);
    }

    if (APR_SUCCESS == cmcas_form_parse(&form, p, (const char *)data, size, &err)) {
        if (!cmcas_activity_input_parse(&in, p, form, &message)) {
            fuzz_accepted(p, &in);
        }
        else {
            fuzz_check(message && *message);
        }
    }
    apr_pool_destroy(p);
    return 0;
}
