#include <apr_strings.h>
#include <http_protocol.h>
#include <util_cookies.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_page_cache.h"
#include "cmcas_accept.h"
#include "cmcas_catalog_store.h"

/* A member who has just changed something (a validation, a cancellation) sees its
 * effect at once, whichever server answers next: for a little longer than the places may
 * lag, their pages use no page whose places are out of date. Says nothing but "fresh". */
#define MOD_CMCAS_PAGE_CACHE_FRESH "cmcas-fresh"

/* Pages of a few CMCAS, their tabs, themes and pages, and the searches of the moment. */
#define MOD_CMCAS_PAGE_CACHE_BYTES (16 * 1024 * 1024)

static cmcas_page_cache_t *mod_cmcas_page_cache_process;

void mod_cmcas_page_cache_child_init(apr_pool_t *pchild, server_rec *s)
{
    unsigned char nonce[16];
    apr_status_t rv;

    mod_cmcas_page_cache_process = NULL;
    if (!mod_cmcas_config_page_cache(NULL)) {
        return;
    }
    rv = apr_generate_random_bytes(nonce, sizeof(nonce));
    if (APR_SUCCESS == rv) {
        rv = cmcas_page_cache_create(&mod_cmcas_page_cache_process, pchild,
                                     MOD_CMCAS_PAGE_CACHE_BYTES, nonce);
    }
    if (APR_SUCCESS != rv) {
        /* Pages are then rendered for every request: slower, never wrong. */
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s, CMCAS_LOGNO(83)
                     "cannot create the page cache of this process");
    }
}

/* What goes in the holes for this member. */
static void mod_cmcas_page_cache_fills(const mod_cmcas_request_t *rq, const char **fills)
{
    fills[CMCAS_PAGE_CACHE_LOGIN] = rq->household->login;
    fills[CMCAS_PAGE_CACHE_NAME] = mod_cmcas_request_user_name(rq);
}

int mod_cmcas_page_cache_serve(mod_cmcas_request_t *rq, const char *what)
{
    request_rec *r = rq->r;
    cmcas_page_cache_t *c = mod_cmcas_page_cache_process;
    apr_interval_time_t max_stale = 0;
    cmcas_page_cache_page_t page;
    const char *fills[CMCAS_PAGE_CACHE_HOLES];
    const char *err = NULL;
    cmcas_date_t today;
    int xml;

    if (!c || !rq->household || !mod_cmcas_config_page_cache(&max_stale)
        || OK != mod_cmcas_request_store(rq)) {
        return OK;
    }
    if (max_stale) {
        const char *fresh = NULL;
        if (APR_SUCCESS == ap_cookie_read(r, MOD_CMCAS_PAGE_CACHE_FRESH, &fresh, 0)
            && fresh) {
            max_stale = 0;
        }
    }
    if (APR_SUCCESS != cmcas_catalog_store_version(&rq->cache_v, rq->store, r->pool, &err)) {
        /* The page's own statements will say what the database has. */
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, CMCAS_LOGNO(84)
                      "page cache not used for %s: %s", r->uri, err);
        return OK;
    }
    xml = cmcas_accept_prefers_xml(apr_table_get(r->headers_in, "Accept"));
    cmcas_date_today(&today, r->request_time);
    /* Everything the page depends on but the member's login and name. The server's
     * config differs by virtual host (page size, badge days). */
    rq->cache_key = apr_psprintf(r->pool, "%pp|%s|%s|%s|%s|%s|%s", (void *)r->server,
                                 rq->portal->site.code, rq->base,
                                 rq->household->cmcas_code, cmcas_date_iso(r->pool, &today),
                                 xml ? "xml" : "html", what);
    mod_cmcas_page_cache_fills(rq, fills);
    if (!cmcas_page_cache_get(c, rq->cache_key, &rq->cache_v, r->request_time, max_stale,
                              fills, r->pool, &page)) {
        return OK;
    }
    mod_cmcas_request_release(rq);
    mod_cmcas_request_send_text(rq, page.status, page.content_type, page.body, page.len);
    return DONE;
}

void mod_cmcas_page_cache_holes(const mod_cmcas_request_t *rq, const char **plogin,
                                const char **pname)
{
    if (rq->cache_key && mod_cmcas_page_cache_process) {
        *plogin = cmcas_page_cache_hole(mod_cmcas_page_cache_process,
                                        CMCAS_PAGE_CACHE_LOGIN);
        *pname = cmcas_page_cache_hole(mod_cmcas_page_cache_process, CMCAS_PAGE_CACHE_NAME);
    }
}

void mod_cmcas_page_cache_keep(mod_cmcas_request_t *rq, int status, const char *ctype,
                               const char **pout, apr_size_t *plen)
{
    cmcas_page_cache_t *c = mod_cmcas_page_cache_process;
    cmcas_page_cache_page_t page, filled;
    const char *fills[CMCAS_PAGE_CACHE_HOLES];

    if (!rq->cache_key || !c) {
        return;
    }
    page.status = status;
    page.content_type = ctype;
    page.body = *pout;
    page.len = *plen;
    /* Only the page itself: an error page says something of this request alone. */
    if (HTTP_OK == status) {
        cmcas_page_cache_put(c, rq->cache_key, &rq->cache_v, rq->r->request_time, &page);
    }
    mod_cmcas_page_cache_fills(rq, fills);
    cmcas_page_cache_fill(c, &page, fills, rq->r->pool, &filled);
    *pout = filled.body;
    *plen = filled.len;
}

void mod_cmcas_page_cache_after_write(request_rec *r)
{
    apr_interval_time_t max_stale = 0;

    if (mod_cmcas_page_cache_process && mod_cmcas_config_page_cache(&max_stale)
        && max_stale) {
        ap_cookie_write(r, MOD_CMCAS_PAGE_CACHE_FRESH, "1",
                        "path=/;HttpOnly;SameSite=Lax",
                        (int)apr_time_sec(max_stale) + 2, r->err_headers_out, NULL);
    }
}
