/* The operators' status page (SetHandler cmcas-status) as text: plain HTML, like
 * mod_status (it must work when the stylesheets or a portal do not), or `Key: value`
 * lines for scripts (?auto). No httpd types. */
#ifndef cmcas_status_page_h
#define cmcas_status_page_h

#include <apr_pools.h>
#include <apr_time.h>

#include "cmcas_error_count.h"
#include "cmcas_status_store.h"

typedef struct {
    const char *version;            /* the module's */
    const char *engine;             /* "sqlite3", "pgsql", NULL: unknown */
    int reachable;                  /* a connection was had and checked */
    const char *db_error;           /* why not, or why a query failed; NULL: none */
    const cmcas_status_store_report_t *rep;     /* NULL when not read */
    const cmcas_error_count_t *errors;          /* NULL: not counted in this server */
    apr_time_t now;
} cmcas_status_page_t;

/* `Key: value` lines, one a line: global keys, then `CMCAS.<code>.<key>` per CMCAS. */
const char *cmcas_status_page_auto(apr_pool_t *p, const cmcas_status_page_t *sp);
/* A small HTML page in French, and its body alone (a section of mod_status's page). */
const char *cmcas_status_page_html(apr_pool_t *p, const cmcas_status_page_t *sp);
const char *cmcas_status_page_html_section(apr_pool_t *p, const cmcas_status_page_t *sp);

#endif
