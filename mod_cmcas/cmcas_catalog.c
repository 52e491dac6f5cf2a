#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_catalog.h"
#include "cmcas_text.h"
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

apr_array_header_t *cmcas_catalog_search(apr_pool_t *p, const apr_array_header_t *acts,
                                         const char *q)
{
    apr_array_header_t *out = apr_array_make(p, acts->nelts > 0 ? acts->nelts : 1,
                                             sizeof(cmcas_activity_t));
    const char *fq = q ? cmcas_text_fold(p, q) : NULL;
    int i;

    for (i = 0; i < acts->nelts; i++) {
        const cmcas_activity_t *a = &APR_ARRAY_IDX(acts, i, cmcas_activity_t);
        if (fq) {
            const char *text = apr_pstrcat(p, a->title, "\n",
                                           a->description ? a->description : "", NULL);
            if (!cmcas_text_match(cmcas_text_fold(p, text), fq)) {
                continue;
            }
        }
        *(cmcas_activity_t *)apr_array_push(out) = *a;
    }
    return out;
}

int cmcas_catalog_pages(int total, int page_size)
{
    return total <= 0 ? 1 : (total + page_size - 1) / page_size;
}
