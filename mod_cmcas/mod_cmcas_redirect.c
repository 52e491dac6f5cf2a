#include <apr_strings.h>
#include <http_core.h>
#include <http_protocol.h>
#include <mod_core.h>
#include <util_filter.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_redirect.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_error_text.h"
#include "mod_cmcas_url.h"

#define MOD_CMCAS_REDIRECT_FILTER "CMCAS_REDIRECT"

/* `location` with the origin Apache made from the request (ap_construct_url: the Host
 * header under UseCanonicalName Off) replaced by the portal's public one. */
static const char *mod_cmcas_redirect_location(request_rec *r, const char *location)
{
    const char *made = ap_construct_url(r->pool, "", r);
    apr_size_t n = strlen(made);

    /* Only the request's own origin, whole (not "http://host.evil" for "http://host"):
     * a Redirect to another site is the operator's choice. */
    if (strncasecmp(location, made, n) || (location[n] && !strchr("/?#", location[n]))) {
        return location;
    }
    return apr_pstrcat(r->pool, mod_cmcas_url_origin(r), location + n, NULL);
}

/* ap_send_error_response read the Location before the insert_error_filter hooks ran: it
 * is set again here, before the headers are written. */
static apr_status_t mod_cmcas_redirect_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    apr_table_setn(f->r->headers_out, "Location", f->ctx);
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

void mod_cmcas_redirect_register(void)
{
    ap_register_output_filter(MOD_CMCAS_REDIRECT_FILTER, mod_cmcas_redirect_filter, NULL,
                              AP_FTYPE_CONTENT_SET);
}

void mod_cmcas_redirect_insert(request_rec *r)
{
    const char *location, *fixed;

    if (!ap_is_HTTP_REDIRECT(r->status) || !mod_cmcas_config_portal(r)) {
        return;
    }
    location = apr_table_get(r->headers_out, "Location");
    if (!location) {
        location = apr_table_get(r->err_headers_out, "Location");
    }
    if (!location || !*location) {
        return;
    }
    fixed = mod_cmcas_redirect_location(r, location);
    if (fixed != location) {
        ap_add_output_filter(MOD_CMCAS_REDIRECT_FILTER, (void *)fixed, r, r->connection);
    }
    /* Apache's page names the location too; an ErrorDocument of the operator's wins. */
    if (!ap_response_code_string(r, ap_index_of_response(r->status))) {
        const char *href = ap_escape_html(r->pool, fixed);
        ap_custom_response(r, r->status, mod_cmcas_error_text_page(
            r, "Page d&eacute;plac&eacute;e",
            apr_pstrcat(r->pool, "Cette page se trouve maintenant &agrave; l'adresse "
                        "<a href=\"", href, "\">", href, "</a>.", NULL)));
    }
}
