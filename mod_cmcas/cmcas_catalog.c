#include <stdio.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_catalog.h"
#include "cmcas_theme.h"

#define CMCAS_CATALOG_MAX_PAGE 100000

apr_status_t cmcas_catalog_parse(cmcas_catalog_query_t *pq, apr_table_t *args,
                                 const char **perr)
{
    const char *tab = apr_table_get(args, "onglet");
    const char *theme = apr_table_get(args, "theme");
    const char *q = apr_table_get(args, "q");
    const char *page = apr_table_get(args, "page");
    const char *c;

    memset(pq, 0, sizeof(*pq));
    pq->page = 1;
    *perr = NULL;
    if (tab && *tab && strcmp(tab, "nos") && strcmp(tab, "autres")) {
        *perr = "Onglet inconnu.";
        return APR_EINVAL;
    }
    pq->others = tab && !strcmp(tab, "autres");
    if (theme && *theme) {
        if (!cmcas_theme_find(theme)) {
            *perr = "Thème d'activité inconnu.";
            return APR_EINVAL;
        }
        pq->theme = theme;
    }
    if (q) {
        for (c = q; *c && apr_isspace(*c); c++)
            ;
        pq->q = *c ? q : NULL;
    }
    if (page && *page) {
        int n = 0;
        for (c = page; *c; c++) {
            if (!apr_isdigit(*c) || n > CMCAS_CATALOG_MAX_PAGE) {
                *perr = "Numéro de page invalide.";
                return APR_EINVAL;
            }
            n = n * 10 + (*c - '0');
        }
        if (n < 1 || n > CMCAS_CATALOG_MAX_PAGE) {
            *perr = "Numéro de page invalide.";
            return APR_EINVAL;
        }
        pq->page = n;
    }
    return APR_SUCCESS;
}

/* Dates from the database are trusted to be ISO; a bad one counts as "far past". */
static long cmcas_catalog_days(const char *iso)
{
    cmcas_date_t d;
    return APR_SUCCESS == cmcas_date_parse_iso(&d, iso) ? cmcas_date_to_days(&d) : -1000000L;
}

int cmcas_catalog_is_open(const cmcas_activity_t *act, const cmcas_date_t *today)
{
    return cmcas_catalog_days(act->closing_date) >= cmcas_date_to_days(today);
}

int cmcas_catalog_is_new(const cmcas_activity_t *act, const cmcas_catalog_ctx_t *ctx)
{
    long age;
    if (!act->published_at) {
        return 0;
    }
    age = cmcas_date_to_days(&ctx->today) - cmcas_catalog_days(act->published_at);
    return age >= 0 && age < ctx->new_days;
}

const char *cmcas_catalog_own(const cmcas_catalog_ctx_t *ctx)
{
    return ctx->member_code ? ctx->member_code : ctx->portal_code;
}

int cmcas_catalog_is_visible(const cmcas_activity_t *act,
                             const cmcas_catalog_ctx_t *ctx)
{
    if (!act->published_at
        || cmcas_catalog_days(act->published_at) > cmcas_date_to_days(&ctx->today)) {
        return 0;
    }
    return !strcmp(act->cmcas_code, ctx->portal_code)
           || !strcmp(act->cmcas_code, cmcas_catalog_own(ctx)) || act->open_to_others;
}

apr_int64_t cmcas_catalog_remaining(const cmcas_activity_t *act)
{
    apr_int64_t left = act->capacity - act->places_taken;
    return left > 0 ? left : 0;
}

/* A code point that belongs to a word, as SQLite's unicode61 tokenizer sees it: ASCII
 * letters and digits, and the letters of the Latin, Greek, Cyrillic and CJK blocks;
 * punctuation and symbols (« » ’ € …) separate words. */
static int cmcas_catalog_word_char(apr_uint32_t c)
{
    if (c < 0x80) {
        return apr_isalnum((int)c);
    }
    return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7)
           || (c >= 0x370 && c <= 0x52F && c != 0x37E && c != 0x387)
           || (c >= 0x3040 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF);
}

/* The code point at s (its length in *plen); invalid bytes read as one separator. */
static apr_uint32_t cmcas_catalog_utf8(const unsigned char *s, int *plen)
{
    int n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1, i;
    apr_uint32_t c = n == 1 ? s[0] : (apr_uint32_t)(s[0] & (0x7F >> n));

    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *plen = 1;
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *plen = n;
    return n == 1 && s[0] >= 0x80 ? 0 : c;
}

const char *cmcas_catalog_match(apr_pool_t *p, const char *q)
{
    const unsigned char *s = (const unsigned char *)(q ? q : "");
    char *out = apr_palloc(p, 4 * strlen((const char *)s) + 1), *o = out;
    int len, in_word = 0;

    while (*s) {
        int word = cmcas_catalog_word_char(cmcas_catalog_utf8(s, &len));
        if (word && !in_word) {
            o += sprintf(o, "%s\"", o == out ? "" : " ");
        }
        else if (!word && in_word) {
            o += sprintf(o, "\"*");
        }
        if (word) {
            memcpy(o, s, (size_t)len);
            o += len;
        }
        in_word = word;
        s += len;
    }
    if (in_word) {
        o += sprintf(o, "\"*");
    }
    *o = '\0';
    return o == out ? NULL : out;
}

int cmcas_catalog_pages(int total, int page_size)
{
    return total <= 0 ? 1 : (total + page_size - 1) / page_size;
}
