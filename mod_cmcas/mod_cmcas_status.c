#include <httpd.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>
#include <apr_shm.h>
#include <apr_optional_hooks.h>
#include <apr_dbd.h>
#include <mod_dbd.h>
#include <mod_status.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_status.h"
#include "mod_cmcas_reconnect.h"
#include "mod_cmcas_config.h"
#include "cmcas_date.h"
#include "cmcas_status_page.h"

#ifndef CMCAS_VERSION
#define CMCAS_VERSION "?"
#endif

/* In memory shared by the parent and every child it starts (created once per httpd
 * and kept across graceful restarts); NULL in a process that has none (apachectl -t). */
static cmcas_error_count_t *mod_cmcas_status_errors;
/* DBDriver of the main server as written, for when no connection tells the engine. */
static const char *mod_cmcas_status_driver;

/* error_log hook: every line httpd writes; the module's own at error level or above
 * are counted, with their tag. Never logs itself. */
static void mod_cmcas_status_error_log(const ap_errorlog_info *info, const char *errstr)
{
    if (mod_cmcas_status_errors && info->module_index == APLOG_MODULE_INDEX
        && (info->level & APLOG_LEVELMASK) <= APLOG_ERR) {
        cmcas_error_count_add(mod_cmcas_status_errors, apr_time_now(),
                              cmcas_error_count_tag(errstr));
    }
}

static int mod_cmcas_status_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                        apr_pool_t *ptemp, server_rec *s)
{
    static const char key[] = "mod_cmcas_status_errors";
    apr_pool_t *pproc = s->process->pool;
    const ap_directive_t *d;
    apr_shm_t *shm = NULL;
    void *kept = NULL;
    apr_status_t rv;

    (void)plog;
    (void)ptemp;
    mod_cmcas_status_driver = NULL;
    for (d = ap_conftree; d; d = d->next) {
        if (!strcasecmp(d->directive, "DBDriver") && d->args) {
            mod_cmcas_status_driver = apr_pstrdup(pconf, d->args);
        }
    }
    apr_pool_userdata_get(&kept, key, pproc);
    if (!kept) {
        rv = apr_shm_create(&shm, sizeof(cmcas_error_count_t), NULL, pproc);
        if (APR_SUCCESS != rv) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s, CMCAS_LOGNO(280)
                         "no shared memory for the status page's error count: it "
                         "shows none");
            return OK;
        }
        kept = apr_shm_baseaddr_get(shm);
        memset(kept, 0, sizeof(cmcas_error_count_t));
        apr_pool_userdata_set(kept, key, apr_pool_cleanup_null, pproc);
    }
    mod_cmcas_status_errors = kept;
    return OK;
}

/* What the page shows, read on a connection of our own (not held while writing). */
static void mod_cmcas_status_gather(request_rec *r, cmcas_status_page_t *sp)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    APR_OPTIONAL_FN_TYPE(ap_dbd_open) *open_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    APR_OPTIONAL_FN_TYPE(ap_dbd_close) *close_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    module *dbd_module = ap_find_linked_module("mod_dbd.c");
    cmcas_status_store_report_t *rep = apr_pcalloc(r->pool, sizeof(*rep));
    cmcas_store_t st;
    cmcas_date_t today;
    ap_dbd_t *dbd = NULL;
    const char *err = NULL;
    int owned = 0;

    memset(sp, 0, sizeof(*sp));
    sp->version = CMCAS_VERSION;
    sp->engine = mod_cmcas_status_driver;
    sp->errors = mod_cmcas_status_errors;
    sp->now = r->request_time;
    /* One a session module took for this request is used (a second could wait for
     * ever with DBDMax 1); else one of our own, given back below. */
    if (dbd_module && ap_get_module_config(r->request_config, dbd_module) && acquire) {
        dbd = acquire(r);
    }
    else if (open_fn && close_fn) {
        owned = !!(dbd = open_fn(r->pool, r->server));
    }
    if (!dbd) {
        sp->db_error = "mod_dbd gave no connection (DBDriver, DBDParams, the server)";
        return;
    }
    sp->engine = apr_dbd_name(dbd->driver);
    if (APR_SUCCESS != mod_cmcas_reconnect_check(dbd, r->pool, &err)) {
        sp->db_error = err;
    }
    else {
        sp->reachable = 1;
        memset(&st, 0, sizeof(st));
        mod_cmcas_reconnect_store(&st, dbd, r->pool);
        cmcas_date_today(&today, r->request_time);
        if (APR_SUCCESS != cmcas_status_store_read(rep, &st, r->pool,
                                                   cmcas_date_iso(r->pool, &today), &err)) {
            sp->db_error = err;
        }
        sp->rep = rep;
    }
    if (owned) {
        close_fn(r->server, dbd);
    }
}

/* ?auto, as mod_status: one of the '&'-separated words of the query. */
static int mod_cmcas_status_auto(request_rec *r)
{
    char *args = apr_pstrdup(r->pool, r->args ? r->args : ""), *last = NULL, *w;
    for (w = apr_strtok(args, "&", &last); w; w = apr_strtok(NULL, "&", &last)) {
        if (!strcmp(w, "auto")) {
            return 1;
        }
    }
    return 0;
}

static int mod_cmcas_status_handler(request_rec *r)
{
    cmcas_status_page_t sp;
    const char *body;
    int automatic;

    if (!r->handler || strcmp(r->handler, "cmcas-status")) {
        return DECLINED;
    }
    r->allowed = (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    automatic = mod_cmcas_status_auto(r);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, CMCAS_LOGNO(281)
                  "status page asked (%s)", automatic ? "auto" : "html");
    mod_cmcas_status_gather(r, &sp);
    if (sp.db_error) {
        /* Said on the page; at info only: a monitor asks every few seconds. */
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(282)
                      "status page: database %s: %s",
                      sp.reachable ? "query failed" : "unreachable", sp.db_error);
        r->status = HTTP_SERVICE_UNAVAILABLE;
    }
    body = automatic ? cmcas_status_page_auto(r->pool, &sp)
                     : cmcas_status_page_html(r->pool, &sp);
    ap_set_content_type(r, automatic ? "text/plain; charset=utf-8"
                                     : "text/html; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_set_content_length(r, (apr_off_t)strlen(body));
    if (!r->header_only) {
        ap_rputs(body, r);
    }
    return OK;
}

/* mod_status's /server-status: the same facts, a section of its page. */
static int mod_cmcas_status_server_status(request_rec *r, int flags)
{
    cmcas_status_page_t sp;
    const char *text;

    if (!mod_cmcas_config_job_server()) {
        return OK;              /* loaded without a portal: no database of ours */
    }
    mod_cmcas_status_gather(r, &sp);
    if (flags & AP_STATUS_SHORT) {
        /* Each line prefixed, so that no key can be taken for one of mod_status's. */
        text = cmcas_status_page_auto(r->pool, &sp);
        while (*text) {
            apr_size_t n = strcspn(text, "\n");
            ap_rprintf(r, "cmcas.%.*s\n", (int)n, text);
            text += n + (text[n] == '\n');
        }
        return OK;
    }
    ap_rputs("<hr>\n<h2>mod_cmcas</h2>\n", r);
    ap_rputs(cmcas_status_page_html_section(r->pool, &sp), r);
    return OK;
}

void mod_cmcas_status_register(void)
{
    static const char *const after_dbd[] = {"mod_dbd.c", NULL};

    ap_hook_post_config(mod_cmcas_status_post_config, after_dbd, NULL, APR_HOOK_MIDDLE);
    ap_hook_error_log(mod_cmcas_status_error_log, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mod_cmcas_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
    APR_OPTIONAL_HOOK(ap, status_hook, mod_cmcas_status_server_status, NULL, NULL,
                      APR_HOOK_MIDDLE);
}
