#include <apr_strings.h>
#include <http_protocol.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_ratelimit.h"
#include "mod_cmcas_catalog.h"
#include "mod_cmcas_page_cache.h"
#include "cmcas_catalog_doc.h"
#include "cmcas_catalog_store.h"
#include "cmcas_draw_csv.h"
#include "cmcas_draw_store.h"

/* GET / : the catalog. */
int mod_cmcas_catalog_list(mod_cmcas_request_t *rq)
{
    request_rec *r = rq->r;
    cmcas_catalog_query_t query;
    cmcas_catalog_ctx_t ctx;
    cmcas_catalog_store_query_t sq;
    apr_array_header_t *acts = NULL;
    xmlNodePtr root;
    xmlDocPtr doc;
    const char *err = NULL, *note;
    int total = 0;

    if (APR_SUCCESS != cmcas_catalog_parse(&query, rq->args, &err)) {
        if (mod_cmcas_ratelimit_ok(r, 21, &note)) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(21)
                          "bad catalog parameter in '%s'%s", r->args, note);
        }
        return mod_cmcas_request_error(rq, HTTP_BAD_REQUEST, err);
    }
    /* The search last: the only part of the key that may hold any character. */
    if (DONE == mod_cmcas_page_cache_serve(rq, apr_psprintf(r->pool, "catalogue|%d|%d|%s|%s",
                                                            query.others, query.page,
                                                            query.theme ? query.theme : "",
                                                            query.q ? query.q : ""))) {
        return OK;
    }
    mod_cmcas_request_catalog_ctx(rq, &ctx);
    sq.own_code = cmcas_catalog_own(&ctx);
    sq.others = query.others;
    sq.theme = query.theme;
    sq.match = cmcas_catalog_match(r->pool, query.q);
    sq.today = cmcas_date_iso(r->pool, &ctx.today);
    sq.limit = ctx.page_size;
    sq.offset = (query.page - 1) * ctx.page_size;
    if (APR_SUCCESS != cmcas_catalog_store_page(&acts, &total, rq->store, r->pool, &sq,
                                                &err)) {
        return mod_cmcas_request_db_error(rq, "the catalog", err);
    }
    mod_cmcas_request_release(rq);
    doc = mod_cmcas_request_page(rq, "catalogue", query.theme, &root);
    if (APR_SUCCESS != cmcas_catalog_doc_list(root, &query, acts, total, &ctx, r->pool)) {
        return mod_cmcas_request_not_found(rq, "page past the last one");
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* GET /activite/{id} : an activity's page. */
int mod_cmcas_catalog_load(mod_cmcas_request_t *rq, apr_int64_t id,
                                  cmcas_catalog_ctx_t *ctx, cmcas_activity_t **pact)
{
    const char *err = NULL;
    apr_status_t rv;

    mod_cmcas_request_catalog_ctx(rq, ctx);
    rv = cmcas_catalog_store_activity(pact, rq->store, rq->r->pool, id, &err);
    if (APR_NOTFOUND == rv) {
        mod_cmcas_request_not_found(rq, "no such activity");
        return DONE;
    }
    if (APR_SUCCESS != rv) {
        mod_cmcas_request_db_error(rq, "an activity", err);
        return DONE;
    }
    if (!cmcas_catalog_is_visible(*pact, ctx)) {
        mod_cmcas_request_not_found(rq, "activity not visible from this portal");
        return DONE;
    }
    return OK;
}

int mod_cmcas_catalog_activity(mod_cmcas_request_t *rq, apr_int64_t id)
{
    request_rec *r = rq->r;
    cmcas_catalog_ctx_t ctx;
    cmcas_activity_t *act;
    apr_array_header_t *opts;
    xmlNodePtr root;
    xmlDocPtr doc;
    const char *err = NULL;

    if (DONE == mod_cmcas_page_cache_serve(rq, apr_psprintf(r->pool, "activite|%"
                                                            APR_INT64_T_FMT, id))) {
        return OK;
    }
    if (OK != mod_cmcas_catalog_load(rq, id, &ctx, &act)) {
        return OK;
    }
    if (APR_SUCCESS != cmcas_catalog_store_options(&opts, rq->store, r->pool, id, &err)) {
        return mod_cmcas_request_db_error(rq, "an activity's options", err);
    }
    doc = mod_cmcas_request_page(rq, "activite", act->theme, &root);
    cmcas_catalog_doc_detail(root, act, opts, &ctx, rq->base, r->pool);
    {
        cmcas_draw_change_rules_t rules;
        mod_cmcas_config_draw_rules(act->cmcas_code, &rules);
        cmcas_catalog_doc_draw(root, act, rules.window_months, rq->base, r->pool);
    }
    return mod_cmcas_request_send(rq, doc, HTTP_OK);
}

/* GET /activite/{id}/tirage.csv: a published draw's data, for `cmcas-draw verify`. */
int mod_cmcas_catalog_draw_data(mod_cmcas_request_t *rq, apr_int64_t id)
{
    request_rec *r = rq->r;
    cmcas_catalog_ctx_t ctx;
    cmcas_activity_t *act;
    cmcas_draw_csv_t d;
    const char *err = NULL;

    if (OK != mod_cmcas_catalog_load(rq, id, &ctx, &act)) {
        return OK;
    }
    if (!act->draw_published_at) {
        return mod_cmcas_request_not_found(rq, "no published draw for this activity");
    }
    if (APR_SUCCESS != cmcas_draw_store_data(&d.entries, rq->store, r->pool, id, &err)) {
        return mod_cmcas_request_db_error(rq, "a draw's data", err);
    }
    d.activity_id = id;
    d.seed = act->draw_seed;
    d.places = act->draw_places > 0 ? (int)act->draw_places : 0;
    {
        const char *csv = cmcas_draw_csv_write(r->pool, &d);
        mod_cmcas_request_send_text(rq, HTTP_OK, "text/csv; charset=utf-8", csv,
                                    strlen(csv));
    }
    return OK;
}
