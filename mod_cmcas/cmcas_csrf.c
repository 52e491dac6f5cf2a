#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cmcas_csrf.h"

#define CMCAS_CSRF_MIN_KEY 32
#define CMCAS_CSRF_MAX_KEY 4096

apr_status_t cmcas_csrf_key_load(cmcas_csrf_key_t *pkey, apr_pool_t *p, const char *path,
                                 const char **perr)
{
    apr_file_t *f = NULL;
    unsigned char *buf = apr_palloc(p, CMCAS_CSRF_MAX_KEY + 1);
    apr_size_t len = CMCAS_CSRF_MAX_KEY + 1;
    apr_status_t rv;

    pkey->key = NULL;
    pkey->key_len = 0;
    rv = apr_file_open(&f, path, APR_FOPEN_READ, APR_OS_DEFAULT, p);
    if (APR_SUCCESS != rv) {
        *perr = apr_psprintf(p, "cannot open %s: %pm", path, &rv);
        return APR_EINVAL;
    }
    rv = apr_file_read_full(f, buf, len, &len);
    apr_file_close(f);
    if (APR_SUCCESS != rv && APR_EOF != rv) {
        *perr = apr_psprintf(p, "cannot read %s: %pm", path, &rv);
        return APR_EINVAL;
    }
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) {
        len--;
    }
    if (len < CMCAS_CSRF_MIN_KEY || len > CMCAS_CSRF_MAX_KEY) {
        *perr = apr_psprintf(p, "%s must hold %d to %d bytes of secret", path,
                             CMCAS_CSRF_MIN_KEY, CMCAS_CSRF_MAX_KEY);
        return APR_EINVAL;
    }
    pkey->key = buf;
    pkey->key_len = len;
    return APR_SUCCESS;
}

/* hex(HMAC-SHA256(key, login "\n" issued)) into out (65 bytes). */
static void cmcas_csrf_mac(char out[65], apr_pool_t *p, const cmcas_csrf_key_t *key,
                           const char *login, const char *issued)
{
    static const char hex[] = "0123456789abcdef";
    const char *msg = apr_pstrcat(p, login, "\n", issued, NULL);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0, i;

    HMAC(EVP_sha256(), key->key, (int)key->key_len, (const unsigned char *)msg,
         strlen(msg), mac, &mac_len);
    for (i = 0; i < mac_len && i < 32; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[64] = '\0';
}

const char *cmcas_csrf_token(apr_pool_t *p, const cmcas_csrf_key_t *key, const char *login,
                             apr_time_t now)
{
    char issued[32], mac[65];

    apr_snprintf(issued, sizeof(issued), "%" APR_UINT64_T_HEX_FMT,
                 (apr_uint64_t)apr_time_sec(now));
    cmcas_csrf_mac(mac, p, key, login, issued);
    return apr_pstrcat(p, issued, ".", mac, NULL);
}

int cmcas_csrf_verify(apr_pool_t *p, const cmcas_csrf_key_t *key, const char *token,
                      const char *login, apr_time_t now, apr_interval_time_t max_age)
{
    char issued[17], mac[65];
    const char *dot;
    apr_size_t n, i;
    apr_uint64_t t = 0;
    apr_int64_t now_sec = apr_time_sec(now);

    if (!token || !login || !key->key || !(dot = strchr(token, '.'))) {
        return 0;
    }
    n = (apr_size_t)(dot - token);
    if (n == 0 || n > 16 || strlen(dot + 1) != 64) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char c = token[i];
        if (!apr_isxdigit(c) || apr_isupper(c)) {
            return 0;
        }
        t = t * 16 + (apr_uint64_t)(apr_isdigit(c) ? c - '0' : c - 'a' + 10);
    }
    memcpy(issued, token, n);
    issued[n] = '\0';
    cmcas_csrf_mac(mac, p, key, login, issued);
    if (CRYPTO_memcmp(mac, dot + 1, 64) != 0) {
        return 0;
    }
    /* Unsigned: 16 hex digits may say more than any signed time holds. */
    if (now_sec < 0 || t > (apr_uint64_t)now_sec + 60) {
        return 0;                       /* from the future, beyond a minute's skew */
    }
    return t >= (apr_uint64_t)now_sec
           || (apr_uint64_t)now_sec - t <= (apr_uint64_t)apr_time_sec(max_age);
}
