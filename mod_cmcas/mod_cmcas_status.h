/* The operators' status page, `SetHandler cmcas-status` (docs/operations.md, « Status »),
 * a section of mod_status's /server-status, and the count of the module's error lines
 * it shows (cmcas_error_count.h). */
#ifndef mod_cmcas_status_h
#define mod_cmcas_status_h

#include <httpd.h>
#include <http_core.h>

/* Registers the handler, the error_log hook and mod_status's status_hook. */
void mod_cmcas_status_register(void);

#endif
