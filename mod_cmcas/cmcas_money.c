#include <apr_strings.h>

#include "cmcas_money.h"

const char *cmcas_money_format(apr_pool_t *p, apr_int64_t cents)
{
    /* Work on the magnitude as unsigned so INT64_MIN does not overflow. */
    apr_uint64_t mag = cents < 0 ? (apr_uint64_t)0 - (apr_uint64_t)cents
                                 : (apr_uint64_t)cents;
    apr_uint64_t euros = mag / 100;
    unsigned frac = (unsigned)(mag % 100);
    char digits[32], grouped[48];
    int n, i, j = 0;

    n = apr_snprintf(digits, sizeof(digits), "%" APR_UINT64_T_FMT, euros);
    for (i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            grouped[j++] = ' ';     /* French thousands separator */
        }
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    return apr_psprintf(p, "%s%s,%02u €", cents < 0 ? "-" : "", grouped, frac);
}
