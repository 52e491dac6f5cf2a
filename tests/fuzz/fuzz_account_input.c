/* libFuzzer harness: the member's own details as typed in « Mes informations » and
 * « Mes adresses » (cmcas_account_input.h): the posted forms (e-mail, phone; street,
 * postcode, city, country), and each checker on raw text (the input's NUL-separated
 * pieces: the value, then the country for the postcode).
 *
 * Properties: an accepted value is what the checker promises, normalised once for all
 * (checking it again gives it back unchanged); an accepted e-mail is one the mailer
 * takes as a recipient (cmcas_mail_address_ok), since every message goes there; a phone
 * is "", « 0X XX XX XX XX » or « +digits »; a French postcode 5 digits; a line trimmed,
 * valid UTF-8 without control characters, within its length; a form's count of errors
 * is the number of fields with a message, values normalised only when it is 0. */
#include <stdint.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "../../mod_cmcas/cmcas_form.h"
#include "../../mod_cmcas/cmcas_text.h"
#include "../../mod_cmcas/cmcas_mail.h"
#include "../../mod_cmcas/cmcas_account_input.h"
#include "fuzz_common.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_email(apr_pool_t *p, const char *in)
{
    const char *out = NULL, *again = NULL;
    if (cmcas_account_input_email(in, p, &out)) {
        fuzz_common_assert(out == NULL);
        return;
    }
    fuzz_common_assert(out && strlen(out) <= CMCAS_ACCOUNT_INPUT_EMAIL_MAX);
    fuzz_common_assert(cmcas_mail_address_ok(out));
    fuzz_common_assert(!cmcas_account_input_email(out, p, &again) && !strcmp(again, out));
}

static void fuzz_phone(apr_pool_t *p, const char *in)
{
    const char *out = NULL, *again = NULL, *c;
    if (cmcas_account_input_phone(in, p, &out)) {
        fuzz_common_assert(out == NULL);
        return;
    }
    fuzz_common_assert(out != NULL);
    if (*out == '+') {
        for (c = out + 1; apr_isdigit(*c); c++) {
        }
        fuzz_common_assert(!*c && c - out >= 9 && c - out <= 16);
    }
    else if (*out) {
        fuzz_common_assert(strlen(out) == 14 && out[0] == '0' && out[1] != '0');
        for (c = out; *c; c++) {
            fuzz_common_assert((c - out) % 3 == 2 ? *c == ' ' : apr_isdigit(*c));
        }
    }
    fuzz_common_assert(!cmcas_account_input_phone(out, p, &again) && !strcmp(again, out));
}

static void fuzz_postcode(apr_pool_t *p, const char *in, const char *country)
{
    const char *out = NULL, *again = NULL, *c;
    if (cmcas_account_input_postcode(in, country, p, &out)) {
        fuzz_common_assert(out == NULL);
        return;
    }
    fuzz_common_assert(out && *out && strlen(out) <= 10);
    for (c = out; *c; c++) {
        fuzz_common_assert(cmcas_account_input_is_france(country) ? apr_isdigit(*c) != 0
                    : (apr_isalnum(*c) || *c == ' ' || *c == '-'));
    }
    fuzz_common_assert(!cmcas_account_input_is_france(country) || strlen(out) == 5);
    fuzz_common_assert(!cmcas_account_input_postcode(out, country, p, &again) && !strcmp(again, out));
}

static void fuzz_line(apr_pool_t *p, const char *in, apr_size_t max, int optional)
{
    const char *out = NULL, *again = NULL, *c;
    size_t len;
    if (cmcas_account_input_line(in, max, optional, "Le champ", p, &out)) {
        fuzz_common_assert(out == NULL);
        return;
    }
    len = strlen(out);
    fuzz_common_assert(optional || len);
    fuzz_common_assert(!len || (out[0] != ' ' && out[0] != '\t' && out[len - 1] != ' '
                         && out[len - 1] != '\t'));
    fuzz_common_assert(cmcas_text_utf8_valid(out, len) && fuzz_common_chars(out) <= max);
    for (c = out; *c; c++) {
        fuzz_common_assert((unsigned char)*c >= 0x20 && *c != 0x7f);
    }
    fuzz_common_assert(!cmcas_account_input_line(out, max, optional, "Le champ", p, &again)
                && !strcmp(again, out));
}

static void fuzz_forms(apr_pool_t *p, cmcas_form_t *form)
{
    cmcas_account_input_contact_t c;
    cmcas_account_input_address_t a;
    int n;

    n = cmcas_account_input_contact(&c, p, form);
    fuzz_common_assert(n == (c.email_error != NULL) + (c.phone_error != NULL));
    fuzz_common_assert(c.email && c.phone);
    if (!n) {
        fuzz_email(p, c.email);
        fuzz_phone(p, c.phone);
        fuzz_common_assert(cmcas_mail_address_ok(c.email));
    }
    n = cmcas_account_input_address(&a, p, form);
    fuzz_common_assert(n == (a.street_error != NULL) + (a.postcode_error != NULL)
                     + (a.city_error != NULL) + (a.country_error != NULL));
    fuzz_common_assert(a.street1 && a.street2 && a.postcode && a.city && a.country);
    if (!n) {
        const char *street = cmcas_account_input_street(&a, p);
        fuzz_line(p, a.street1, CMCAS_ACCOUNT_INPUT_STREET_MAX, 0);
        fuzz_line(p, a.street2, CMCAS_ACCOUNT_INPUT_STREET_MAX, 1);
        fuzz_line(p, a.city, CMCAS_ACCOUNT_INPUT_CITY_MAX, 0);
        fuzz_line(p, a.country, CMCAS_ACCOUNT_INPUT_COUNTRY_MAX, 0);
        fuzz_postcode(p, a.postcode, a.country);
        /* Stored joined by one "\n": at most two lines, neither empty. */
        fuzz_common_assert(*street && street[strlen(street) - 1] != '\n');
        fuzz_common_assert(!strchr(street, '\n') || !strchr(strchr(street, '\n') + 1, '\n'));
        fuzz_common_assert(!cmcas_account_input_is_france(a.country) || !strcmp(a.country, "France"));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    cmcas_form_t *form = NULL;
    const char *err = NULL, *first, *second;
    size_t n1;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);
    if (APR_SUCCESS == cmcas_form_parse(&form, p, (const char *)data, size, &err)) {
        fuzz_forms(p, form);
    }
    /* The raw pieces: value NUL country. */
    first = apr_pstrmemdup(p, (const char *)data, size);
    n1 = strlen(first);
    second = n1 < size ? apr_pstrmemdup(p, (const char *)data + n1 + 1, size - n1 - 1) : "France";
    fuzz_email(p, first);
    fuzz_phone(p, first);
    fuzz_postcode(p, first, second);
    fuzz_line(p, first, CMCAS_ACCOUNT_INPUT_STREET_MAX, 0);
    fuzz_line(p, first, 5, 1);
    apr_pool_destroy(p);
    return 0;
}
