#include <apr_strings.h>

#include "cmcas_catalog_doc.h"
#include "cmcas_draw.h"
#include "cmcas_registration.h"
#include "cmcas_doc.h"
#include "cmcas_theme.h"

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
                                    const apr_array_header_t *page, int total,
                                    const cmcas_catalog_ctx_t *ctx, apr_pool_t *p)
{
    xmlNodePtr cat = cmcas_doc_elem(root, "catalogue");
    int pages = cmcas_catalog_pages(total, ctx->page_size);
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
    for (i = 0; i < page->nelts && i < ctx->page_size; i++) {
        const cmcas_activity_t *a = &APR_ARRAY_IDX(page, i, cmcas_activity_t);
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

    cmcas_doc_text(node, "own", strcmp(a->cmcas_code, cmcas_catalog_own(ctx)) ? "0" : "1");
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

xmlNodePtr cmcas_catalog_doc_draw(xmlNodePtr parent, const cmcas_activity_t *act,
                                  int window_months, const char *base, apr_pool_t *p)
{
    xmlNodePtr draw;
    char commitment[65];

    if (!act->mode || strcmp(act->mode, "tour_de_role")) {
        return NULL;
    }
    draw = cmcas_doc_elem(parent, "tirage");
    cmcas_doc_date(draw, "date", cmcas_registration_draw_date(p, act->closing_date), p);
    if (act->draw_seed) {
        cmcas_draw_commitment(commitment, act->draw_seed);
        cmcas_doc_attr(draw, "commitment", commitment);
    }
    cmcas_doc_text(draw, "regle", cmcas_draw_rule_fr(p, window_months));
    if (act->draw_published_at) {
        cmcas_doc_attr(draw, "published", "1");
        cmcas_doc_attr(draw, "seed", act->draw_seed);
        cmcas_doc_attr(draw, "data", apr_psprintf(p, "%s/activite/%" APR_INT64_T_FMT
                                                  "/tirage.csv", base, act->id));
    }
    return draw;
}
