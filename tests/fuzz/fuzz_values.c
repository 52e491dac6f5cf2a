/* libFuzzer harness: the small value readers and writers every page relies on: dates
 * (cmcas_date: JJ/MM/AAAA and ISO as typed, ISO stamps as stored, calendar arithmetic),
 * money (cmcas_money_format, and the euro amounts staff type), instalments, and text
 * (UTF-8 and XML checks, the cleaning for libxml2, the search folding), and the values
 * URLs carry (an order's reference, a theme, the back-office's list filter).
 *
 * Properties: a date read is a real calendar day and writes back to the same text; ISO
 * and French forms agree; days since the epoch round-trip; adding months gives a real
 * day; an age is never negative after birth; a stamp shows as « JJ/MM/AAAA HH:MM »;
 * an amount formatted reads back to the same cents; an instalment plan adds up to the
 * cent, the first the largest, dates a month apart; the XML cleaning gives XML text,
 * unchanged when it already was; XML text is UTF-8; the folding is lower-case UTF-8; a
 * reference accepted is 9 capitals, a theme or filter found has that very code. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "../../mod_cmcas/cmcas_date.h"
#include "../../mod_cmcas/cmcas_money.h"
#include "../../mod_cmcas/cmcas_text.h"
#include "../../mod_cmcas/cmcas_instalment.h"
#include "../../mod_cmcas/cmcas_form.h"
#include "../../mod_cmcas/cmcas_activity.h"
#include "../../mod_cmcas/cmcas_activity_input.h"
#include "../../mod_cmcas/cmcas_order.h"
#include "../../mod_cmcas/cmcas_theme.h"
#include "../../mod_cmcas/cmcas_staff_registration.h"
#include "fuzz_common.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_dates(apr_pool_t *p, const char *s, const uint8_t *data, size_t size)
{
    cmcas_date_t d, e, f;
    const char *fr, *local;
    int months = size ? (int)(data[0] % 49) - 24 : 1;

    if (APR_SUCCESS == cmcas_date_parse_iso(&d, s)) {
        fuzz_common_assert(cmcas_date_valid(d.y, d.m, d.d));
        fuzz_common_assert(!strcmp(cmcas_date_iso(p, &d), s));
        fr = cmcas_date_iso_to_fr(p, s);
        fuzz_common_assert(fr && !strcmp(fr, cmcas_date_fr(p, &d)));
        fuzz_common_assert(APR_SUCCESS == cmcas_date_parse_fr(&e, fr) && !cmcas_date_cmp(&d, &e));
        cmcas_date_from_days(&e, cmcas_date_to_days(&d));
        fuzz_common_assert(!cmcas_date_cmp(&d, &e));
        cmcas_date_add_months(&f, &d, months);
        fuzz_common_assert(cmcas_date_valid(f.y, f.m, f.d));
        fuzz_common_assert(months >= 0 ? cmcas_date_cmp(&f, &d) >= 0 : cmcas_date_cmp(&f, &d) < 0);
        fuzz_common_assert(cmcas_date_age_on(&d, &f) >= 0 || cmcas_date_cmp(&f, &d) < 0);
    }
    else {
        fuzz_common_assert(cmcas_date_iso_to_fr(p, s) == NULL);
    }
    if (APR_SUCCESS == cmcas_date_parse_fr(&d, s)) {
        fuzz_common_assert(cmcas_date_valid(d.y, d.m, d.d) && !strcmp(cmcas_date_fr(p, &d), s));
    }
    if ((local = cmcas_date_stamp_local(p, s))) {
        fuzz_common_assert(strlen(local) == 16 && local[2] == '/' && local[5] == '/'
                    && local[10] == ' ' && local[13] == ':');
    }
}

static void fuzz_money(apr_pool_t *p, const uint8_t *data, size_t size)
{
    apr_int64_t cents = 0, back = -1;
    const char *text;

    if (size < 8) {
        return;
    }
    memcpy(&cents, data + size - 8, 8);
    text = cmcas_money_format(p, cents);
    fuzz_common_assert(text && strlen(text) >= 6);          /* "0,00 €" at least */
    /* Within what staff may type, it reads back (the activity form's amounts). */
    cents %= APR_INT64_C(10000001);
    if (cents < 0) {
        cents = -cents;
    }
    text = cmcas_money_format(p, cents);
    fuzz_common_assert(APR_SUCCESS == cmcas_activity_input_money(&back, text) && back == cents);
    text = cmcas_money_plain(p, cents);
    fuzz_common_assert(APR_SUCCESS == cmcas_activity_input_money(&back, text) && back == cents);
}

static void fuzz_instalments(const uint8_t *data, size_t size)
{
    cmcas_instalment_plan_t plan;
    cmcas_date_t today = {2026, 1, 31};
    apr_int64_t total = 0, sum = 0;
    int count, i;

    if (size < 9) {
        return;
    }
    memcpy(&total, data, 8);
    count = data[8] % 6;
    if (APR_SUCCESS != cmcas_instalment_plan(&plan, total, count, &today)) {
        return;
    }
    fuzz_common_assert(plan.count == count && count >= 1 && count <= CMCAS_INSTALMENT_MAX);
    for (i = 0; i < count; i++) {
        fuzz_common_assert(plan.amounts[i] >= 1 && plan.amounts[i] <= plan.amounts[0]);
        fuzz_common_assert(cmcas_date_valid(plan.dates[i].y, plan.dates[i].m, plan.dates[i].d));
        fuzz_common_assert(!i || cmcas_date_cmp(&plan.dates[i], &plan.dates[i - 1]) > 0);
        sum += plan.amounts[i];
    }
    fuzz_common_assert(sum == total && !cmcas_date_cmp(&plan.dates[0], &today));
}

static void fuzz_text(apr_pool_t *p, const uint8_t *data, size_t size)
{
    const char *s = apr_pstrmemdup(p, (const char *)data, size);
    size_t len = strlen(s);
    char *clean = cmcas_text_xml_clean(s);
    const char *c;

    fuzz_common_assert(clean && cmcas_text_xml_valid(clean, strlen(clean)));
    if (cmcas_text_xml_valid(s, len)) {
        fuzz_common_assert(cmcas_text_utf8_valid(s, len) && !strcmp(clean, s));
    }
    free(clean);
    /* Any bytes: what is not UTF-8 becomes '?', the rest lower-case UTF-8 (letters
     * outside Latin kept as they are), never longer. */
    c = cmcas_text_fold(p, s);
    fuzz_common_assert(strlen(c) <= len && cmcas_text_utf8_valid(c, strlen(c)));
    for (; *c; c++) {
        fuzz_common_assert(*c < 'A' || *c > 'Z');
    }
    /* Whatever the length says, a NUL inside is never valid. */
    fuzz_common_assert(!cmcas_text_utf8_valid((const char *)data, size) || !memchr(data, 0, size));
}

/* What URLs carry: an order's reference (/mes-commandes/REF), a theme (?theme=), the
 * back-office's list filter (?statut=). */
static void fuzz_url_values(const char *s)
{
    const cmcas_theme_t *t;
    int f;

    if (cmcas_order_reference_ok(s)) {
        fuzz_common_assert(strlen(s) == CMCAS_ORDER_REFERENCE_LEN
                    && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == CMCAS_ORDER_REFERENCE_LEN);
    }
    if ((t = cmcas_theme_find(s))) {
        fuzz_common_assert(!strcmp(t->code, s) && t->label && *t->label);
    }
    f = cmcas_staff_registration_filter_parse(s);
    if (f >= 0) {
        fuzz_common_assert(f < CMCAS_STAFF_REGISTRATION_FILTER_COUNT);
        fuzz_common_assert(!strcmp(cmcas_staff_registration_filter_code(f), s));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *s;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);
    s = apr_pstrmemdup(p, (const char *)data, size);
    fuzz_dates(p, s, data, size);
    fuzz_money(p, data, size);
    fuzz_instalments(data, size);
    fuzz_text(p, data, size);
    fuzz_url_values(s);
    apr_pool_destroy(p);
    return 0;
}
