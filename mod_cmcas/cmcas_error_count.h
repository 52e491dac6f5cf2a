/* The module's error-level log lines of the last hour, counted by minute, and the tags
 * of the last few: what the status page shows as « Erreurs (dernière heure) ». The
 * counter lives in memory shared by all the processes of one httpd (mod_cmcas_status.c
 * puts it there): it counts what this server logged, not the other servers of a
 * cluster, and starts again at zero when httpd is stopped and started (not at a
 * graceful restart). Several processes update it at once with atomic operations; a
 * line logged exactly as a minute's slot is reused may be lost. No httpd types. */
#ifndef cmcas_error_count_h
#define cmcas_error_count_h

#include <apr.h>
#include <apr_time.h>

#define CMCAS_ERROR_COUNT_MINUTES 60
#define CMCAS_ERROR_COUNT_RECENT 8

typedef struct {
    volatile apr_uint32_t minute;   /* minutes since the epoch this slot counts */
    volatile apr_uint32_t count;
} cmcas_error_count_slot_t;

/* Plain data, all zero at first: it may be placed in shared memory as it is. */
typedef struct {
    cmcas_error_count_slot_t slots[CMCAS_ERROR_COUNT_MINUTES];
    volatile apr_uint32_t next;                         /* recent[next % N] is the oldest */
    volatile apr_uint32_t recent_tag[CMCAS_ERROR_COUNT_RECENT];   /* 0: no tag */
    volatile apr_uint32_t recent_at[CMCAS_ERROR_COUNT_RECENT];    /* seconds; 0: unused */
} cmcas_error_count_t;

/* Counts one error line logged at `now`, with its tag (CMCASn: n, 0 when it has none). */
void cmcas_error_count_add(cmcas_error_count_t *ec, apr_time_t now, apr_uint32_t tag);

/* The lines counted in the 60 minutes up to `now` (the current minute included). */
apr_uint32_t cmcas_error_count_hour(const cmcas_error_count_t *ec, apr_time_t now);

/* The tag of a message that starts with "CMCASn: ", else 0. */
apr_uint32_t cmcas_error_count_tag(const char *message);

#endif
