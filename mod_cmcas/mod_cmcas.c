/* mod_cmcas: the activities portal of the CMCAS, as an Apache httpd module.
 * This file only declares the module and registers its hooks. */
#include <httpd.h>
#include <http_config.h>
#include <http_protocol.h>
#include <http_request.h>

#include "mod_cmcas_config.h"
#include "mod_cmcas_dbd_check.h"
#include "mod_cmcas_env_check.h"
#include "mod_cmcas_expiry.h"
#include "mod_cmcas_mail.h"
#include "mod_cmcas_pages.h"
#include "mod_cmcas_gateway.h"
#include "mod_cmcas_request.h"
#include "mod_cmcas_bank_check.h"
#include "mod_cmcas_page_cache.h"
#include "mod_cmcas_reconnect.h"
#include "mod_cmcas_image.h"
#include "mod_cmcas_invoice.h"
#include "mod_cmcas_job.h"
#include "mod_cmcas_headers.h"
#include "mod_cmcas_error_text.h"
#include "mod_cmcas_redirect.h"
#include "mod_cmcas_ratelimit.h"
#include "mod_cmcas_trace.h"
#include "mod_cmcas_url.h"
#include "mod_cmcas_schema_check.h"
#include "mod_cmcas_status.h"

static void mod_cmcas_register_hooks(apr_pool_t *p)
{
    static const char *const after_dbd[] = {"mod_dbd.c", NULL};
    (void)p;
    ap_hook_pre_config(mod_cmcas_config_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(mod_cmcas_config_check, after_dbd, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(mod_cmcas_dbd_check, after_dbd, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(mod_cmcas_mail_check, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(mod_cmcas_env_check, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(mod_cmcas_url_check, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mod_cmcas_expiry_post_config, after_dbd, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mod_cmcas_mail_post_config, after_dbd, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mod_cmcas_config_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mod_cmcas_bank_check_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mod_cmcas_reconnect_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mod_cmcas_page_cache_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mod_cmcas_image_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mod_cmcas_invoice_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mod_cmcas_ratelimit_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mod_cmcas_schema_check_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mod_cmcas_schema_check_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mod_cmcas_job_child_init, NULL, NULL, APR_HOOK_REALLY_LAST);
    /* TRACE refused before core echoes it (map_to_storage). */
    ap_hook_translate_name(mod_cmcas_trace_refuse, NULL, NULL, APR_HOOK_REALLY_FIRST);
    /* The security headers on every response of a portal, Apache's own included. */
    ap_hook_insert_filter(mod_cmcas_headers_insert, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(mod_cmcas_headers_insert, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(mod_cmcas_error_text_insert, NULL, NULL, APR_HOOK_MIDDLE);
    /* Apache's own redirects on the public origin, not the Host header's. */
    ap_hook_insert_error_filter(mod_cmcas_redirect_insert, NULL, NULL, APR_HOOK_MIDDLE);
    mod_cmcas_redirect_register();
    /* A posted form is read before authentication (and its database connection). */
    ap_hook_header_parser(mod_cmcas_request_early_form, NULL, NULL, APR_HOOK_MIDDLE);
    /* A database older than the module: the 503 page, before any connection is taken. */
    ap_hook_header_parser(mod_cmcas_schema_check_request, NULL, NULL, APR_HOOK_MIDDLE);
    /* Then, still before authentication, a database connection checked (and repaired:
     * every module's statements, on mod_dbd's new connections as on old ones). */
    ap_hook_header_parser(mod_cmcas_reconnect_before_auth, NULL, NULL, APR_HOOK_MIDDLE);
    mod_cmcas_reconnect_register();
    /* Bank returns are verified before any handler sees them. */
    ap_hook_fixups(mod_cmcas_gateway_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mod_cmcas_pages_handler, NULL, NULL, APR_HOOK_MIDDLE);
    /* SetHandler cmcas-status, and a section of mod_status's page. */
    mod_cmcas_status_register();
}

AP_DECLARE_MODULE(cmcas) = {
    STANDARD20_MODULE_STUFF,
    mod_cmcas_config_create_dir,
    mod_cmcas_config_merge_dir,
    mod_cmcas_config_create_srv,
    mod_cmcas_config_merge_srv,
    mod_cmcas_config_cmds,
    mod_cmcas_register_hooks,
    AP_MODULE_FLAG_NONE
};
