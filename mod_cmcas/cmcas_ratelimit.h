/* A bound on log lines an outsider can cause: per message kind, at most `burst` lines
 * in a window; the others are only counted, and the next line written says how many
 * were left out. Thread-safe (a mutex of its own); no httpd types. */
#ifndef cmcas_ratelimit_h
#define cmcas_ratelimit_h

#include <apr_pools.h>
#include <apr_time.h>

typedef struct cmcas_ratelimit_t cmcas_ratelimit_t;

/* `kinds` kinds numbered 0..kinds-1 (a log tag number), `burst` lines per `window`. */
apr_status_t cmcas_ratelimit_create(cmcas_ratelimit_t **prl, apr_pool_t *p, int kinds,
                                    int burst, apr_interval_time_t window);

/* Whether a line of `kind` may be written at `now`; when it may, *psuppressed is how many
 * of its kind were left out since the last one written. A kind out of range (or a NULL
 * limiter) is always written. */
int cmcas_ratelimit_take(cmcas_ratelimit_t *rl, int kind, apr_time_t now,
                         unsigned *psuppressed);

#endif
