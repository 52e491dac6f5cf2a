/* CSRF tokens bound to the logged-in user: stateless, so any server sharing the secret
 * accepts them. Token = "<issued-at, hex seconds>.<HMAC-SHA256(key, login, issued-at), hex>". */
#ifndef cmcas_csrf_h
#define cmcas_csrf_h

#include <apr_pools.h>
#include <apr_time.h>

typedef struct {
    const unsigned char *key;
    apr_size_t key_len;
} cmcas_csrf_key_t;

/* Reads a secret key file (at least 32 bytes; a trailing newline is not part of it).
 * APR_EINVAL with *perr set when the file is unreadable or too short. */
apr_status_t cmcas_csrf_key_load(cmcas_csrf_key_t *pkey, apr_pool_t *p, const char *path,
                                 const char **perr);

const char *cmcas_csrf_token(apr_pool_t *p, const cmcas_csrf_key_t *key, const char *login,
                             apr_time_t now);

/* 1 when `token` was made for `login` with `key` less than `max_age` ago (and not in
 * the future beyond a minute of clock skew); compared in constant time. */
int cmcas_csrf_verify(apr_pool_t *p, const cmcas_csrf_key_t *key, const char *token,
                      const char *login, apr_time_t now, apr_interval_time_t max_age);

#endif
