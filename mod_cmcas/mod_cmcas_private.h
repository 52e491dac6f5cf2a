/* Included first by every glue file: per-module log level (LogLevel cmcas:debug). */
#ifndef mod_cmcas_private_h
#define mod_cmcas_private_h

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>

APLOG_USE_MODULE(cmcas);

/* Our own message tags (httpd's AHnnnnn are for modules shipped with httpd).
 * Never reuse a number; the next free one is in mod_cmcas/next-logno. */
#define CMCAS_LOGNO(n) "CMCAS" #n ": "

#endif
