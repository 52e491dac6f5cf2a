#include <apr_thread_mutex.h>

#include "cmcas_ratelimit.h"

typedef struct {
    apr_time_t start;           /* of the current window */
    int written;                /* lines written in it */
    unsigned suppressed;        /* lines left out since the last one written */
} cmcas_ratelimit_slot_t;

struct cmcas_ratelimit_t {
    apr_thread_mutex_t *lock;
    cmcas_ratelimit_slot_t *slots;
    int kinds;
    int burst;
    apr_interval_time_t window;
};

apr_status_t cmcas_ratelimit_create(cmcas_ratelimit_t **prl, apr_pool_t *p, int kinds,
                                    int burst, apr_interval_time_t window)
{
    cmcas_ratelimit_t *rl = apr_pcalloc(p, sizeof(*rl));
    apr_status_t rv = apr_thread_mutex_create(&rl->lock, APR_THREAD_MUTEX_DEFAULT, p);

    if (APR_SUCCESS != rv) {
        return rv;
    }
    rl->slots = apr_pcalloc(p, sizeof(*rl->slots) * (apr_size_t)kinds);
    rl->kinds = kinds;
    rl->burst = burst;
    rl->window = window;
    *prl = rl;
    return APR_SUCCESS;
}

int cmcas_ratelimit_take(cmcas_ratelimit_t *rl, int kind, apr_time_t now,
                         unsigned *psuppressed)
{
    cmcas_ratelimit_slot_t *slot;
    int ok;

    *psuppressed = 0;
    if (!rl || kind < 0 || kind >= rl->kinds) {
        return 1;
    }
    slot = &rl->slots[kind];
    apr_thread_mutex_lock(rl->lock);
    /* A clock going back starts a new window too: never silent for long. */
    if (!slot->start || now - slot->start >= rl->window || now < slot->start) {
        slot->start = now;
        slot->written = 0;
    }
    ok = slot->written < rl->burst;
    if (ok) {
        slot->written++;
        *psuppressed = slot->suppressed;
        slot->suppressed = 0;
    }
    else {
        slot->suppressed++;
    }
    apr_thread_mutex_unlock(rl->lock);
    return ok;
}
