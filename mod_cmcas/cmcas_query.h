/* Strict parsing of URL query strings: one value per name, bounded, valid UTF-8.
 * ap_args_to_table is not used: it ignores bad escapes, keeps '+' and lets the last
 * duplicate win. */
#ifndef cmcas_query_h
#define cmcas_query_h

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct {
    int max_pairs;            /* more pairs than this: error */
    apr_size_t max_value;     /* a decoded value longer than this (bytes): error */
    int allow_repeat;         /* forms: a name may repeat (check boxes); the reader
                               * then says which names must be single */
} cmcas_query_limits_t;

/* The limits of a bank's return (Paybox query, Systempay query or form): a signature of
 * 172 or more URL-encoded characters, and Systempay's returns carry up to ~90 fields. */
extern const cmcas_query_limits_t cmcas_query_bank_limits;

/* Decodes `qs` ("a=1&b=x+y"; NULL or "" give an empty table) into *pargs, in order.
 * On failure returns APR_EINVAL and sets *perr to a French message for the member. */
apr_status_t cmcas_query_parse(apr_table_t **pargs, apr_pool_t *p, const char *qs,
                               const cmcas_query_limits_t *limits, const char **perr);

/* Decodes one form-urlencoded component in place: '+' is a space, %XX a byte.
 * Returns APR_EINVAL on a bad escape or a decoded NUL. */
apr_status_t cmcas_query_unescape(char *s, apr_size_t *plen);

/* The same with '+' kept as it is (Base64 text in a URL). */
apr_status_t cmcas_query_unescape_raw(char *s, apr_size_t *plen);

/* The value of a hex digit, or -1. */
int cmcas_query_hexval(char c);

#endif
