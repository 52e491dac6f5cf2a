#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "cmcas_money.h"

#define CMCAS_MONEY_NBSP "\xC2\xA0"

/* The magnitude as unsigned, so that INT64_MIN does not overflow. */
static apr_uint64_t cmcas_money_magnitude(apr_int64_t cents)
{
    return cents < 0 ? (apr_uint64_t)0 - (apr_uint64_t)cents : (apr_uint64_t)cents;
}

const char *cmcas_money_format(apr_pool_t *p, apr_int64_t cents)
{
    apr_uint64_t mag = cmcas_money_magnitude(cents);
    apr_uint64_t euros = mag / 100;
    unsigned frac = (unsigned)(mag % 100);
    char digits[32], grouped[64];
    int n, i, j = 0;

    n = apr_snprintf(digits, sizeof(digits), "%" APR_UINT64_T_FMT, euros);
    for (i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            memcpy(grouped + j, CMCAS_MONEY_NBSP, 2);   /* French thousands separator */
            j += 2;
        }
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    return apr_psprintf(p, "%s%s,%02u" CMCAS_MONEY_NBSP "€", cents < 0 ? "-" : "", grouped,
                        frac);
}

const char *cmcas_money_plain(apr_pool_t *p, apr_int64_t cents)
{
    apr_uint64_t mag = cmcas_money_magnitude(cents);

    return apr_psprintf(p, "%s%" APR_UINT64_T_FMT ",%02u", cents < 0 ? "-" : "", mag / 100,
                        (unsigned)(mag % 100));
}

/* The length of the space at s (' ', U+00A0 or U+202F in UTF-8), or 0. */
static size_t cmcas_money_space(const unsigned char *s)
{
    if (s[0] == ' ') {
        return 1;
    }
    if (s[0] == 0xC2 && s[1] == 0xA0) {
        return 2;
    }
    if (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF) {
        return 3;
    }
    return 0;
}

static const unsigned char *cmcas_money_skip_spaces(const unsigned char *s)
{
    size_t n;

    while ((n = cmcas_money_space(s))) {
        s += n;
    }
    return s;
}

apr_status_t cmcas_money_parse(apr_int64_t *pcents, const char *text, apr_int64_t max)
{
    const unsigned char *s = (const unsigned char *)text;
    apr_int64_t units = 0, cents = 0;
    int digits = 0, decimals = -1, negative = 0;
    size_t n;

    *pcents = 0;
    if (!s) {
        return APR_EINVAL;
    }
    s = cmcas_money_skip_spaces(s);
    if (*s == '-') {
        negative = 1;
        s++;
    }
    for (;;) {
        if (apr_isdigit(*s)) {
            if (decimals >= 0) {
                if (++decimals > 2) {
                    return APR_EINVAL;
                }
                cents = cents * 10 + (*s - '0');
            }
            else {
                /* 12 digits cannot overflow; any limit given is far below them. */
                if (++digits > 12) {
                    return APR_ERANGE;
                }
                units = units * 10 + (*s - '0');
            }
            s++;
        }
        else if ((*s == ',' || *s == '.') && decimals < 0 && digits) {
            decimals = 0;
            s++;
        }
        else if ((n = cmcas_money_space(s)) && decimals < 0 && digits
                 && apr_isdigit(s[n])) {
            s += n;             /* « 1 234 » */
        }
        else {
            break;
        }
    }
    s = cmcas_money_skip_spaces(s);
    if (!strncmp((const char *)s, "\xE2\x82\xAC", 3)) {   /* « € » */
        s = cmcas_money_skip_spaces(s + 3);
    }
    if (*s || !digits || decimals == 0) {
        return APR_EINVAL;
    }
    units = units * 100 + (decimals == 1 ? cents * 10 : cents);
    if (negative && units) {
        return APR_ERANGE;
    }
    if (units > max) {
        return APR_ERANGE;
    }
    *pcents = units;
    return APR_SUCCESS;
}
