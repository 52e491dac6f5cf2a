#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_catalog.h"
#include "cmcas_doc.h"
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

int cmcas_catalog_is_visible(const cmcas_activity_t *act,
                             const cmcas_catalog_ctx_t *ctx)
{
    if (!act->published_at
        || cmcas_catalog_days(act->published_at) > cmcas_date_to_days(&ctx->today)) {
        return 0;
    }
    return !strcmp(act->cmcas_code, ctx->portal_code) || act->open_to_others;
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

static xmlNodePtr cmcas_catalog_doc_common(xmlNodePtr parent, const char *name,
                                           const cmcas_activity_t *a,
                                           const cmcas_catalog_ctx_t *ctx)
{
    xmlNodePtr node = cmcas_doc_elem(parent, name), theme, org;
    const cmcas_theme_t *t = cmcas_theme_find(a->theme);

    cmcas_doc_attr_int(node, "id", a->id);
    cmcas_doc_attr(node, "open", cmcas_catalog_is_open(a, &ctx->today) ? "1" : "0");
    cmcas_doc_attr(node, "new", cmcas_catalog_is_new(a, ctx) ? "1" : "0");
    cmcas_doc_attr(node, "mode", a->mode);
    cmcas_doc_text(node, "title", a->title);
    theme = cmcas_doc_text(node, "theme", t ? t->label : a->theme);
    cmcas_doc_attr(theme, "code", a->theme);
    cmcas_doc_text(node, "image", a->image);
    org = cmcas_doc_text(node, "organiser", a->cmcas_name);
    cmcas_doc_attr(org, "code", a->cmcas_code);
    return node;
}

static void cmcas_catalog_doc_dates(xmlNodePtr node, const cmcas_activity_t *a,
                                    apr_pool_t *p)
{
    cmcas_doc_date(node, "start", a->start_date, p);
    cmcas_doc_date(node, "end", a->end_date, p);
    cmcas_doc_date(node, "closing", a->closing_date, p);
}

apr_status_t cmcas_catalog_doc_list(xmlNodePtr root, const cmcas_catalog_query_t *query,
                                    const apr_array_header_t *matches,
                                    const cmcas_catalog_ctx_t *ctx, apr_pool_t *p)
{
    xmlNodePtr cat = cmcas_doc_elem(root, "catalogue");
    int total = matches->nelts;
    int pages = cmcas_catalog_pages(total, ctx->page_size);
    int first = (query->page - 1) * ctx->page_size;
    int i;

    if (query->page > pages) {
        return APR_NOTFOUND;
    }
    cmcas_doc_attr(cat, "tab", query->others ? "autres" : "nos");
    if (ctx->member_elsewhere) {
        cmcas_doc_text(cat, "member-cmcas", ctx->member_elsewhere);
    }
    cmcas_doc_attr(cat, "theme", query->theme);
    cmcas_doc_attr(cat, "q", query->q);
    cmcas_doc_attr_int(cat, "page", query->page);
    cmcas_doc_attr_int(cat, "pages", pages);
    cmcas_doc_attr_int(cat, "total", total);
    cmcas_doc_attr_int(cat, "page-size", ctx->page_size);
    for (i = first; i < total && i < first + ctx->page_size; i++) {
        const cmcas_activity_t *a =
            &APR_ARRAY_IDX(matches, i, cmcas_activity_t);
        xmlNodePtr node = cmcas_catalog_doc_common(cat, "activity", a, ctx);
        cmcas_catalog_doc_dates(node, a, p);
        cmcas_doc_text(node, "remaining",
                       apr_psprintf(p, "%" APR_INT64_T_FMT, cmcas_catalog_remaining(a)));
    }
    return APR_SUCCESS;
}

void cmcas_catalog_doc_detail(xmlNodePtr root, const cmcas_activity_t *a,
                              const apr_array_header_t *options,
                              const cmcas_catalog_ctx_t *ctx, const char *base,
                              apr_pool_t *p)
{
    xmlNodePtr node = cmcas_catalog_doc_common(root, "activite", a, ctx);
    xmlNodePtr opts, elig;
    int i;

    cmcas_doc_text(node, "own", strcmp(a->cmcas_code, ctx->portal_code) ? "0" : "1");
    cmcas_doc_text(node, "description", a->description ? a->description : "");
    cmcas_doc_text(node, "place", a->place ? a->place : "");
    cmcas_catalog_doc_dates(node, a, p);
    cmcas_doc_text(node, "capacity", apr_psprintf(p, "%" APR_INT64_T_FMT, a->capacity));
    cmcas_doc_text(node, "remaining",
                   apr_psprintf(p, "%" APR_INT64_T_FMT, cmcas_catalog_remaining(a)));
    elig = cmcas_doc_elem(node, "eligibility");
    cmcas_doc_attr(elig, "guests", a->guests_allowed ? "1" : "0");
    if (a->guests_allowed && a->max_guests >= 0) {
        cmcas_doc_attr_int(elig, "max-guests", a->max_guests);
    }
    if (a->min_age >= 0) {
        cmcas_doc_attr_int(elig, "min-age", a->min_age);
    }
    if (a->max_age >= 0) {
        cmcas_doc_attr_int(elig, "max-age", a->max_age);
    }
    cmcas_doc_attr(elig, "others", a->open_to_others ? "1" : "0");
    opts = cmcas_doc_elem(node, "options");
    for (i = 0; i < options->nelts; i++) {
        const cmcas_activity_option_t *o = &APR_ARRAY_IDX(options, i, cmcas_activity_option_t);
        xmlNodePtr opt = cmcas_doc_elem(opts, "option"), who;

        cmcas_doc_attr_int(opt, "id", o->id);
        cmcas_doc_text(opt, "label", o->label);
        who = cmcas_doc_elem(opt, "beneficiary");
        cmcas_doc_money(who, "price", o->price_beneficiary, p);
        cmcas_doc_money(who, "participation", o->participation_beneficiary, p);
        who = cmcas_doc_elem(opt, "guest");
        cmcas_doc_money(who, "price", o->price_guest, p);
        cmcas_doc_money(who, "participation", o->participation_guest, p);
    }
    if (cmcas_catalog_is_open(a, &ctx->today)) {
        xmlNodePtr reg = cmcas_doc_elem(node, "register");
        cmcas_doc_attr(reg, "href",
                       apr_psprintf(p, "%s/activite/%" APR_INT64_T_FMT "/inscription",
                                    base, a->id));
    }
}
