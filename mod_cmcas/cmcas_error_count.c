#include <apr_atomic.h>
#include <string.h>
#include <apr_lib.h>

#include "cmcas_error_count.h"

void cmcas_error_count_add(cmcas_error_count_t *ec, apr_time_t now, apr_uint32_t tag)
{
    apr_uint32_t minute = (apr_uint32_t)(apr_time_sec(now) / 60), old, i;
    cmcas_error_count_slot_t *slot = &ec->slots[minute % CMCAS_ERROR_COUNT_MINUTES];

    old = apr_atomic_read32(&slot->minute);
    /* The slot of an hour ago: the first process to see it takes it and zeroes it. */
    if (old != minute && apr_atomic_cas32(&slot->minute, minute, old) == old) {
        apr_atomic_set32(&slot->count, 0);
    }
    apr_atomic_inc32(&slot->count);
    i = apr_atomic_inc32(&ec->next) % CMCAS_ERROR_COUNT_RECENT;
    apr_atomic_set32(&ec->recent_tag[i], tag);
    apr_atomic_set32(&ec->recent_at[i], (apr_uint32_t)apr_time_sec(now));
}

apr_uint32_t cmcas_error_count_hour(const cmcas_error_count_t *ec, apr_time_t now)
{
    apr_uint32_t minute = (apr_uint32_t)(apr_time_sec(now) / 60), sum = 0, m;
    int i;

    for (i = 0; i < CMCAS_ERROR_COUNT_MINUTES; i++) {
        /* apr_atomic_read32 takes a non-const pointer; reading does not write. */
        m = apr_atomic_read32((volatile apr_uint32_t *)&ec->slots[i].minute);
        if (m <= minute && minute - m < CMCAS_ERROR_COUNT_MINUTES) {
            sum += apr_atomic_read32((volatile apr_uint32_t *)&ec->slots[i].count);
        }
    }
    return sum;
}

apr_uint32_t cmcas_error_count_tag(const char *message)
{
    apr_uint32_t n = 0;
    int digits = 0;

    if (!message || strncmp(message, "CMCAS", 5)) {
        return 0;
    }
    for (message += 5; apr_isdigit(*message) && digits < 9; message++, digits++) {
        n = n * 10 + (apr_uint32_t)(*message - '0');
    }
    return digits && *message == ':' ? n : 0;
}
