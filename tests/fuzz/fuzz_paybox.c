/* libFuzzer harness: a Paybox return (browser return or server-to-server notification)
 * as the module reads it: the raw query string is verified (RSA-SHA1 signature K, last,
 * URL-encoded Base64) over its raw bytes, parsed with the bank's limits, then read.
 *
 * A mutated input almost never carries a valid signature, so each input is also signed
 * here with the simulator's private key (the TEST key of tests/gateway/keys) and must
 * then verify: that checks the split of the query at the last "&Sign=" on any bytes and
 * takes arbitrary content past the verification, into the reader, as a real signed
 * return would. An RSA signature costs about a millisecond: one input in 8, picked by
 * its bytes (so the fuzzer can steer towards it), is signed. cmcas_paybox_result is also called on every parsed input, signed or
 * not: it must not crash whatever it is given. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "../../mod_cmcas/cmcas_gateway.h"
#include "../../mod_cmcas/cmcas_paybox.h"
#include "../../mod_cmcas/cmcas_query.h"

#ifndef CMCAS_FUZZ_TOP
#define CMCAS_FUZZ_TOP "."
#endif

static apr_pool_t *fuzz_root;
static EVP_PKEY *fuzz_public;       /* loaded by the module's own reader */
static EVP_PKEY *fuzz_private;      /* the harness's, to sign inputs */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_path(apr_pool_t *p, const char *rel)
{
    const char *top = getenv("CMCAS_FUZZ_TOP");
    return apr_pstrcat(p, top && *top ? top : CMCAS_FUZZ_TOP, "/", rel, NULL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *err = NULL, *path;
    FILE *f;

    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&fuzz_root, NULL);
    path = fuzz_path(fuzz_root, "tests/gateway/keys/simulator-public.pem");
    if (APR_SUCCESS != cmcas_paybox_load_key(&fuzz_public, fuzz_root, path, &err)) {
        fprintf(stderr, "fuzz_paybox: %s (set CMCAS_FUZZ_TOP to the repository)\n", err);
        abort();
    }
    path = fuzz_path(fuzz_root, "tests/gateway/keys/simulator-private.pem");
    if (!(f = fopen(path, "r")) || !(fuzz_private = PEM_read_PrivateKey(f, NULL, NULL, NULL))) {
        fprintf(stderr, "fuzz_paybox: cannot read the private key %s\n", path);
        abort();
    }
    fclose(f);
    return 0;
}

/* The checks on a result the reader accepted. */
static void fuzz_check_result(const cmcas_gateway_result_t *res)
{
    if (!res->reference || !res->code || !res->message || !*res->message
        || !res->transaction || res->amount < 0 || res->amount_is_total != 0
        || (int)res->outcome < CMCAS_GATEWAY_PAID || (int)res->outcome > CMCAS_GATEWAY_ERROR) {
        __builtin_trap();
    }
}

static void fuzz_read(apr_pool_t *p, const char *query)
{
    apr_table_t *args = NULL;
    const char *err = NULL;
    cmcas_gateway_result_t res;

    if (APR_SUCCESS == cmcas_query_parse(&args, p, query, &cmcas_query_bank_limits, &err)) {
        if (!args) {
            __builtin_trap();
        }
        if (APR_SUCCESS == cmcas_paybox_result(&res, args, p)) {
            fuzz_check_result(&res);
        }
    }
    else if (!err) {
        __builtin_trap();               /* a refusal always says why */
    }
}

/* RSA-SHA1 of `msg` with the harness's key, Base64 then URL-encoded as the bank does. */
static const char *fuzz_sign(apr_pool_t *p, const char *msg)
{
    unsigned char sig[1024];
    size_t siglen = sizeof(sig);
    char *b64, *out, *o;
    const char *c;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    if (!ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha1(), NULL, fuzz_private) != 1
        || EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)msg, strlen(msg)) != 1) {
        abort();
    }
    EVP_MD_CTX_free(ctx);
    b64 = apr_palloc(p, 4 * ((siglen + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)b64, sig, (int)siglen);
    out = o = apr_palloc(p, 3 * strlen(b64) + 1);
    for (c = b64; *c; c++) {
        if (*c == '+' || *c == '/' || *c == '=') {
            o += sprintf(o, "%%%02X", (unsigned char)*c);
        }
        else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

/* Whether to sign this input: a cheap function of its bytes, true for 1 in 8. */
static int fuzz_sign_this(const uint8_t *data, size_t size)
{
    unsigned sum = 0;
    size_t i;
    for (i = 0; i < size; i++) {
        sum += data[i];
    }
    return sum % 8 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *query, *sig, *signed_query;

    apr_pool_create(&p, fuzz_root);
    query = apr_pstrmemdup(p, (const char *)data, size);   /* stops at an embedded NUL */

    /* As received: verified over the raw bytes, then parsed and read. */
    if (cmcas_paybox_verify(fuzz_public, query, "Sign", p)) {
        fuzz_read(p, query);
    }
    /* Robustness: the reader on whatever parses (the module only reads verified ones). */
    fuzz_read(p, query);
    /* Other names for K, and no key, must not crash either. */
    cmcas_paybox_verify(fuzz_public, query, "K", p);
    cmcas_paybox_verify(NULL, query, "Sign", p);

    /* The same bytes signed by the bank: everything before the last "&Sign=" is what was
     * signed, so this must verify (an empty signed part cannot). */
    if (*query && fuzz_sign_this(data, size)) {
        sig = fuzz_sign(p, query);
        signed_query = apr_pstrcat(p, query, "&Sign=", sig, NULL);
        if (!cmcas_paybox_verify(fuzz_public, signed_query, "Sign", p)) {
            __builtin_trap();
        }
        fuzz_read(p, signed_query);
        /* The signature must cover every byte: one changed byte of the query fails. */
        {
            char *tampered = apr_pstrdup(p, signed_query);
            tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
            if (cmcas_paybox_verify(fuzz_public, tampered, "Sign", p)) {
                __builtin_trap();
            }
        }
    }
    apr_pool_destroy(p);
    return 0;
}
