/* libFuzzer harness: a Systempay return as the module reads it: the same bytes as the
 * browser's return (query string, cmcas_query_parse with the bank's limits) and as the
 * server-to-server notification (posted form, cmcas_form_parse, where names may
 * repeat), verified with a fixed test key (HMAC-SHA-256 over the vads_* values sorted
 * by name, '+' and the key, Base64) and read.
 *
 * A mutated input almost never carries a valid signature, so each parsed input is also
 * signed here with the key (its "signature" replaced by cmcas_systempay_signature of its
 * fields) and must then verify, must not verify with another key, nor once one byte of
 * a vads_* value changes; the reader then gets it as it would a real signed return.
 * cmcas_systempay_result is also called on every parsed input: it must not crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "../../mod_cmcas/cmcas_gateway.h"
#include "../../mod_cmcas/cmcas_systempay.h"
#include "../../mod_cmcas/cmcas_query.h"
#include "../../mod_cmcas/cmcas_form.h"

#ifndef CMCAS_FUZZ_TOP
#define CMCAS_FUZZ_TOP "."
#endif

static apr_pool_t *fuzz_root;
static const char *fuzz_key;        /* tests/gateway/keys/systempay-test.key */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *top = getenv("CMCAS_FUZZ_TOP");
    const char *path;
    char buf[1025];
    size_t len;
    FILE *f;

    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&fuzz_root, NULL);
    path = apr_pstrcat(fuzz_root, top && *top ? top : CMCAS_FUZZ_TOP,
                       "/tests/gateway/keys/systempay-test.key", NULL);
    if (!(f = fopen(path, "r"))) {
        fprintf(stderr, "fuzz_systempay: cannot read %s (set CMCAS_FUZZ_TOP)\n", path);
        abort();
    }
    len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    /* As CMCASSystempayKeyFile reads it: trailing newlines and spaces dropped. */
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ')) {
        len--;
    }
    if (!len) {
        abort();
    }
    fuzz_key = apr_pstrmemdup(fuzz_root, buf, len);
    return 0;
}

static void fuzz_check_result(const cmcas_gateway_result_t *res)
{
    if (!res->reference || !res->code || !res->message || !*res->message
        || !res->transaction || res->amount < 0 || res->amount_is_total != 1
        || (int)res->outcome < CMCAS_GATEWAY_PAID || (int)res->outcome > CMCAS_GATEWAY_ERROR) {
        __builtin_trap();
    }
}

static void fuzz_result(apr_pool_t *p, const apr_table_t *fields)
{
    cmcas_gateway_result_t res;

    if (APR_SUCCESS == cmcas_systempay_result(&res, fields, p)) {
        fuzz_check_result(&res);
    }
}

static void fuzz_fields(apr_pool_t *p, const apr_table_t *fields)
{
    apr_table_t *signed_fields;
    const apr_array_header_t *elts;
    int i;

    /* As received. */
    if (cmcas_systempay_verify(p, fuzz_key, fields)) {
        fuzz_result(p, fields);
    }
    fuzz_result(p, fields);

    /* The same fields signed by the bank with this key. */
    signed_fields = apr_table_copy(p, fields);
    apr_table_unset(signed_fields, "signature");
    apr_table_setn(signed_fields, "signature",
                   cmcas_systempay_signature(p, fuzz_key, signed_fields));
    if (!cmcas_systempay_verify(p, fuzz_key, signed_fields)
        || cmcas_systempay_verify(p, "another key of the shop", signed_fields)) {
        __builtin_trap();
    }
    fuzz_result(p, signed_fields);

    /* Every vads_* value is covered: one more byte in one of them fails. */
    elts = apr_table_elts(signed_fields);
    for (i = 0; i < elts->nelts; i++) {
        apr_table_entry_t *e = &APR_ARRAY_IDX(elts, i, apr_table_entry_t);
        if (!strncmp(e->key, "vads_", 5)) {
            e->val = apr_pstrcat(p, e->val, "0", NULL);
            if (cmcas_systempay_verify(p, fuzz_key, signed_fields)) {
                __builtin_trap();
            }
            break;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *s, *err = NULL;
    apr_table_t *args = NULL;
    cmcas_form_t *form = NULL;

    apr_pool_create(&p, fuzz_root);
    s = apr_pstrmemdup(p, (const char *)data, size);       /* stops at an embedded NUL */

    /* The browser's return: a query string. */
    if (APR_SUCCESS == cmcas_query_parse(&args, p, s, &cmcas_query_bank_limits, &err)) {
        fuzz_fields(p, args);
    }
    /* The notification: a posted form body (every byte, NUL included). */
    if (APR_SUCCESS == cmcas_form_parse(&form, p, (const char *)data, size, &err)) {
        fuzz_fields(p, form->fields);
    }
    apr_pool_destroy(p);
    return 0;
}
