/* Calendar dates (no time of day): ISO storage form, French display form, arithmetic. */
#ifndef cmcas_date_h
#define cmcas_date_h

#include <apr_pools.h>
#include <apr_time.h>

typedef struct {
    int y, m, d;
} cmcas_date_t;

/* Strict "YYYY-MM-DD" with a real calendar day; APR_EINVAL otherwise. */
apr_status_t cmcas_date_parse_iso(cmcas_date_t *pd, const char *s);
/* Strict "JJ/MM/AAAA" with a real calendar day; APR_EINVAL otherwise. */
apr_status_t cmcas_date_parse_fr(cmcas_date_t *pd, const char *s);

const char *cmcas_date_iso(apr_pool_t *p, const cmcas_date_t *date);
const char *cmcas_date_fr(apr_pool_t *p, const cmcas_date_t *date);
/* "2026-05-17" -> "17/05/2026"; NULL when the input is not a valid ISO date. */
const char *cmcas_date_iso_to_fr(apr_pool_t *p, const char *iso);

int cmcas_date_valid(int y, int m, int d);
/* Days since 1970-01-01 (negative before), and back. */
long cmcas_date_to_days(const cmcas_date_t *date);
void cmcas_date_from_days(cmcas_date_t *pd, long days);
/* a < b: negative, a == b: 0, a > b: positive. */
int cmcas_date_cmp(const cmcas_date_t *a, const cmcas_date_t *b);
/* Full years of a person born on `birth` on day `on` (29 February counts on 1 March). */
int cmcas_date_age_on(const cmcas_date_t *birth, const cmcas_date_t *on);
/* `date` plus `months` months, the day kept or clamped to the month's last day
 * (31/01 + 1 month = 28/02 or 29/02). */
void cmcas_date_add_months(cmcas_date_t *pd, const cmcas_date_t *date, int months);
/* An instant as ISO 8601 UTC, "2026-11-28T10:14:03Z": the form stored for events. */
const char *cmcas_date_stamp(apr_pool_t *p, apr_time_t when);
/* "2026-11-28T10:14:03Z" (an ISO 8601 UTC stamp) -> "28/11/2026 11:14" in the server's
 * time zone; NULL when it is not such a stamp. */
const char *cmcas_date_stamp_local(apr_pool_t *p, const char *stamp);
/* The server's local calendar day at `now`. */
void cmcas_date_today(cmcas_date_t *pd, apr_time_t now);

#endif
