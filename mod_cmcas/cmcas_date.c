#include <stdio.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_date.h"

static int cmcas_date_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int cmcas_date_month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && cmcas_date_leap(y) ? 29 : days[m - 1];
}

int cmcas_date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12
        && d >= 1 && d <= cmcas_date_month_days(y, m);
}

/* Reads exactly `n` decimal digits; sscanf would accept signs and spaces. */
static int cmcas_date_digits(const char *s, int n, int *pv)
{
    int i, v = 0;
    for (i = 0; i < n; i++) {
        if (!apr_isdigit(s[i])) {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    *pv = v;
    return 1;
}

apr_status_t cmcas_date_parse_iso(cmcas_date_t *pd, const char *s)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-'
        || !cmcas_date_digits(s, 4, &y) || !cmcas_date_digits(s + 5, 2, &m)
        || !cmcas_date_digits(s + 8, 2, &d) || !cmcas_date_valid(y, m, d)) {
        return APR_EINVAL;
    }
    pd->y = y;
    pd->m = m;
    pd->d = d;
    return APR_SUCCESS;
}

apr_status_t cmcas_date_parse_fr(cmcas_date_t *pd, const char *s)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[2] != '/' || s[5] != '/'
        || !cmcas_date_digits(s, 2, &d) || !cmcas_date_digits(s + 3, 2, &m)
        || !cmcas_date_digits(s + 6, 4, &y) || !cmcas_date_valid(y, m, d)) {
        return APR_EINVAL;
    }
    pd->y = y;
    pd->m = m;
    pd->d = d;
    return APR_SUCCESS;
}

const char *cmcas_date_iso(apr_pool_t *p, const cmcas_date_t *date)
{
    return apr_psprintf(p, "%04d-%02d-%02d", date->y, date->m, date->d);
}

const char *cmcas_date_fr(apr_pool_t *p, const cmcas_date_t *date)
{
    return apr_psprintf(p, "%02d/%02d/%04d", date->d, date->m, date->y);
}

const char *cmcas_date_iso_to_fr(apr_pool_t *p, const char *iso)
{
    cmcas_date_t date;
    if (APR_SUCCESS != cmcas_date_parse_iso(&date, iso)) {
        return NULL;
    }
    return cmcas_date_fr(p, &date);
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
long cmcas_date_to_days(const cmcas_date_t *date)
{
    long y = date->y - (date->m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (date->m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + date->d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cmcas_date_from_days(cmcas_date_t *pd, long days)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    pd->y = (int)(yoe + era * 400 + (m <= 2));
    pd->m = (int)m;
    pd->d = (int)d;
}

int cmcas_date_cmp(const cmcas_date_t *a, const cmcas_date_t *b)
{
    if (a->y != b->y) {
        return a->y < b->y ? -1 : 1;
    }
    if (a->m != b->m) {
        return a->m < b->m ? -1 : 1;
    }
    return a->d == b->d ? 0 : (a->d < b->d ? -1 : 1);
}

int cmcas_date_age_on(const cmcas_date_t *birth, const cmcas_date_t *on)
{
    int age = on->y - birth->y;
    if (on->m < birth->m || (on->m == birth->m && on->d < birth->d)) {
        age--;
    }
    return age;
}

void cmcas_date_add_months(cmcas_date_t *pd, const cmcas_date_t *date, int months)
{
    int index = date->y * 12 + (date->m - 1) + months;
    int y = index / 12, m = index % 12 + 1;
    int last = cmcas_date_month_days(y, m);

    pd->y = y;
    pd->m = m;
    pd->d = date->d > last ? last : date->d;
}

const char *cmcas_date_stamp(apr_pool_t *p, apr_time_t when)
{
    apr_time_exp_t t;
    apr_time_exp_gmt(&t, when);
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.tm_year + 1900,
                        t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
}

void cmcas_date_today(cmcas_date_t *pd, apr_time_t now)
{
    apr_time_exp_t t;
    apr_time_exp_lt(&t, now);
    pd->y = t.tm_year + 1900;
    pd->m = t.tm_mon + 1;
    pd->d = t.tm_mday;
}

/* "2026-11-28T10:14:03Z" (UTC) -> "28/11/2026 11:14" in the server's time zone. */
const char *cmcas_date_stamp_local(apr_pool_t *p, const char *at)
{
    apr_time_exp_t t;
    apr_time_t when;
    int y, mo, d, h, mi, sec;

    if (!at || sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &sec) != 6) {
        return NULL;
    }
    memset(&t, 0, sizeof(t));
    t.tm_year = y - 1900;
    t.tm_mon = mo - 1;
    t.tm_mday = d;
    t.tm_hour = h;
    t.tm_min = mi;
    t.tm_sec = sec;
    if (APR_SUCCESS != apr_time_exp_gmt_get(&when, &t)) {
        return NULL;
    }
    apr_time_exp_lt(&t, when);
    return apr_psprintf(p, "%02d/%02d/%04d %02d:%02d", t.tm_mday, t.tm_mon + 1,
                        t.tm_year + 1900, t.tm_hour, t.tm_min);
}
