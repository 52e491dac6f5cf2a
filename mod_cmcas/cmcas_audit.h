/* The audit log of staff changes: what changed, written as text (no httpd types).
 * A change's fields are compared before and after; the log keeps only those that moved,
 * one « champ : valeur » per line, so that a reader sees the difference at a glance. */
#ifndef cmcas_audit_h
#define cmcas_audit_h

#include <apr_pools.h>
#include <apr_tables.h>

/* One field of a change: its French name and its value (NULL: none). */
typedef struct {
    const char *name;
    const char *before;
    const char *after;
} cmcas_audit_field_t;

/* A list of fields (array of cmcas_audit_field_t) to fill with cmcas_audit_add. */
apr_array_header_t *cmcas_audit_fields(apr_pool_t *p);
void cmcas_audit_add(apr_array_header_t *fields, const char *name, const char *before,
                     const char *after);
void cmcas_audit_add_int(apr_array_header_t *fields, const char *name, apr_int64_t before,
                         apr_int64_t after);

/* The « name : value » lines of the fields that changed, before and after (NULL when
 * no field has a value on that side, e.g. before a creation). Values are kept on one
 * line (line breaks become « ⏎ ») and cut at 500 bytes (on a UTF-8 boundary). Returns
 * the number of fields that changed. */
int cmcas_audit_diff(const char **pbefore, const char **pafter, apr_pool_t *p,
                     const apr_array_header_t *fields);

#endif
