/* TRACE never answers inside a portal: it would echo the request's headers (cookies of
 * a session included) back to whoever sent it. The module answers 405 itself, whatever
 * TraceEnable says (docs/http-interface.md, « Methods »). */
#ifndef mod_cmcas_trace_h
#define mod_cmcas_trace_h

#include <httpd.h>

/* translate_name hook, before core's TRACE (map_to_storage): the 405 page, DONE. */
int mod_cmcas_trace_refuse(request_rec *r);

#endif
