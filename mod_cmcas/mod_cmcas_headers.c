#include <apr_strings.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_headers.h"
#include "mod_cmcas_config.h"

#define MOD_CMCAS_HEADERS_CSP "default-src 'self'; img-src 'self' data:; " \
    "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; " \
    "form-action 'self'"

void mod_cmcas_headers_set(request_rec *r, const char *form_action)
{
    apr_table_t *h = r->err_headers_out;

    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    apr_table_setn(h, "Referrer-Policy", "same-origin");
    apr_table_setn(h, "Content-Security-Policy",
                   apr_pstrcat(r->pool, MOD_CMCAS_HEADERS_CSP, form_action ? " " : "",
                               form_action ? form_action : "",
                               "; frame-ancestors 'none'", NULL));
}

void mod_cmcas_headers_file(request_rec *r)
{
    apr_table_t *h = r->err_headers_out;

    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    apr_table_setn(h, "Referrer-Policy", "same-origin");
    apr_table_setn(h, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

void mod_cmcas_headers_insert(request_rec *r)
{
    /* A page of ours set them already (its form may post to a bank): kept. */
    if (!mod_cmcas_config_portal(r)
        || apr_table_get(r->err_headers_out, "Content-Security-Policy")
        || apr_table_get(r->headers_out, "Content-Security-Policy")) {
        return;
    }
    mod_cmcas_headers_set(r, NULL);
}
