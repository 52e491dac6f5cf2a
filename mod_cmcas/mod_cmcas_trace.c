#include <http_protocol.h>
#include <http_request.h>

#include "mod_cmcas_private.h"
#include "mod_cmcas_trace.h"
#include "mod_cmcas_config.h"
#include "mod_cmcas_ratelimit.h"
#include "mod_cmcas_request.h"

int mod_cmcas_trace_refuse(request_rec *r)
{
    const mod_cmcas_config_cmcas_t *portal;
    mod_cmcas_request_t rq;
    const char *note;

    /* The location walk before translate_name tells whether r is in a portal. */
    if (r->method_number != M_TRACE || r->main || !(portal = mod_cmcas_config_portal(r))) {
        return DECLINED;
    }
    if (mod_cmcas_ratelimit_ok(r, 202, &note)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, CMCAS_LOGNO(202)
                      "TRACE refused on %s (405)%s", r->uri, note);
    }
    ap_discard_request_body(r);
    mod_cmcas_request_init_bare(&rq, r, portal);
    apr_table_setn(r->headers_out, "Allow", "GET, HEAD, POST");
    mod_cmcas_request_error(&rq, HTTP_METHOD_NOT_ALLOWED,
                            "Cette méthode HTTP n'est pas acceptée par ce portail.");
    return DONE;
}
