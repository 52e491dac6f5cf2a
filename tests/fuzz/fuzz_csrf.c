/* libFuzzer harness: the CSRF token every state-changing form posts (field "csrf",
 * cmcas_csrf_verify), with the login it is checked against. The input is
 * "login NUL token"; the key is a fixed test key.
 *
 * A mutated token almost never carries a valid MAC, so the token's issued-at part is also
 * signed here as the module would (HMAC-SHA-256 of "login\nissued") and must then verify
 * exactly when it is 1 to 16 lower-case hex digits of an instant from 60 s ahead to
 * max_age ago (computed here without overflow), whatever those digits are.
 *
 * Properties: a token not made with the key never verifies; a token made for a login
 * verifies for it at once and until max_age, never after, never for another login,
 * never with another key, never once one character changes. (The module reads no cookie
 * itself: the session cookie is mod_session's, read by httpd.) */
#include <stdint.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "../../mod_cmcas/cmcas_csrf.h"
#include "fuzz_common.h"

static apr_pool_t *fuzz_root;
static const unsigned char fuzz_key_bytes[] = "0123456789abcdef0123456789abcdef-fuzz";
static const cmcas_csrf_key_t fuzz_key = {fuzz_key_bytes, sizeof(fuzz_key_bytes) - 1};
static const unsigned char fuzz_other_bytes[] = "another key of at least 32 bytes, another";
static const cmcas_csrf_key_t fuzz_other = {fuzz_other_bytes, sizeof(fuzz_other_bytes) - 1};

#define FUZZ_NOW APR_INT64_C(1796000000)                    /* seconds, late 2026 */
#define FUZZ_MAX_AGE apr_time_from_sec(4 * 3600)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The token the module would issue for `issued` (any text) and `login`. */
static const char *fuzz_sign(apr_pool_t *p, const char *login, const char *issued)
{
    static const char hex[] = "0123456789abcdef";
    const char *msg = apr_pstrcat(p, login, "\n", issued, NULL);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0, i;
    char out[65];

    HMAC(EVP_sha256(), fuzz_key.key, (int)fuzz_key.key_len, (const unsigned char *)msg,
         strlen(msg), mac, &len);
    for (i = 0; i < 32; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[64] = '\0';
    return apr_pstrcat(p, issued, ".", out, NULL);
}

/* Whether `issued` is a time the module must accept at `now` (exact arithmetic). */
static int fuzz_fresh(const char *issued, apr_int64_t now_sec)
{
    size_t n = strlen(issued), i;
    unsigned __int128 t = 0;
    __int128 age;

    if (n == 0 || n > 16) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char c = issued[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
        t = t * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    age = (__int128)now_sec - (__int128)t;
    return age >= -60 && age <= (__int128)apr_time_sec(FUZZ_MAX_AGE);
}

static void fuzz_made(apr_pool_t *p, const char *login, apr_int64_t issued_sec)
{
    apr_time_t issued = apr_time_from_sec(issued_sec);
    const char *tok = cmcas_csrf_token(p, &fuzz_key, login, issued);
    char *bad;
    size_t i;

    fuzz_common_assert(cmcas_csrf_verify(p, &fuzz_key, tok, login, issued, FUZZ_MAX_AGE));
    fuzz_common_assert(cmcas_csrf_verify(p, &fuzz_key, tok, login, issued + FUZZ_MAX_AGE,
                                  FUZZ_MAX_AGE));
    fuzz_common_assert(!cmcas_csrf_verify(p, &fuzz_key, tok, login,
                                   issued + FUZZ_MAX_AGE + apr_time_from_sec(1),
                                   FUZZ_MAX_AGE));
    fuzz_common_assert(!cmcas_csrf_verify(p, &fuzz_key, tok, login,
                                   issued - apr_time_from_sec(61), FUZZ_MAX_AGE));
    fuzz_common_assert(!cmcas_csrf_verify(p, &fuzz_other, tok, login, issued, FUZZ_MAX_AGE));
    fuzz_common_assert(!cmcas_csrf_verify(p, &fuzz_key, tok, apr_pstrcat(p, login, "x", NULL),
                                   issued, FUZZ_MAX_AGE));
    i = strlen(login) % strlen(tok);
    bad = apr_pstrdup(p, tok);
    bad[i] = bad[i] == '0' ? '1' : '0';
    fuzz_common_assert(!cmcas_csrf_verify(p, &fuzz_key, bad, login, issued, FUZZ_MAX_AGE));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *login, *token, *dot;
    size_t n;
    apr_time_t now = apr_time_from_sec(FUZZ_NOW);

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    apr_pool_create(&p, fuzz_root);
    login = apr_pstrmemdup(p, (const char *)data, size);
    n = strlen(login);
    token = n < size ? apr_pstrmemdup(p, (const char *)data + n + 1, size - n - 1) : "";

    /* As posted: forging needs the key. */
    if (cmcas_csrf_verify(p, &fuzz_key, token, login, now, FUZZ_MAX_AGE)) {
        dot = strchr(token, '.');
        fuzz_common_assert(dot && !strcmp(token, fuzz_sign(p, login,
                                                    apr_pstrmemdup(p, token, dot - token))));
    }
    cmcas_csrf_verify(p, &fuzz_key, token, NULL, now, FUZZ_MAX_AGE);
    cmcas_csrf_verify(p, &fuzz_key, NULL, login, now, FUZZ_MAX_AGE);

    /* Its issued-at part signed with the key: accepted exactly when fresh. */
    dot = strchr(token, '.');
    {
        const char *issued = dot ? apr_pstrmemdup(p, token, dot - token) : token;
        if (!strchr(issued, '.')) {
            const char *signed_tok = fuzz_sign(p, login, issued);
            fuzz_common_assert(cmcas_csrf_verify(p, &fuzz_key, signed_tok, login, now, FUZZ_MAX_AGE)
                        == fuzz_fresh(issued, FUZZ_NOW));
        }
    }
    /* Tokens the module makes, at instants the input picks. */
    {
        apr_int64_t at = FUZZ_NOW;
        if (size >= 4) {
            uint32_t v;
            memcpy(&v, data + size - 4, 4);
            at = (apr_int64_t)v;
        }
        fuzz_made(p, login, at);
    }
    apr_pool_destroy(p);
    return 0;
}
