/* The audit log's rows (cmcas_audit): written in the transaction of the change they
 * record (a rolled-back change leaves no line), read by the CMCAS's own staff only. */
#ifndef cmcas_audit_store_h
#define cmcas_audit_store_h

#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_audit_store_statements[];

typedef struct {
    apr_int64_t id;
    const char *at;         /* ISO 8601 UTC */
    const char *actor;
    const char *action;
    const char *object;
    const char *before;     /* NULL: nothing (a creation) */
    const char *after;
} cmcas_audit_store_entry_t;

/* Writes one line for CMCAS `cmcas_code`, at `now`. */
apr_status_t cmcas_audit_store_add(const cmcas_store_t *st, apr_pool_t *p,
                                   apr_time_t now, const char *cmcas_code,
                                   const char *actor, const char *action,
                                   const char *object, const char *before,
                                   const char *after, const char **perr);

/* The CMCAS's lines, the latest first, `limit` of them from the line before `before_id`
 * (0: from the latest) (array of cmcas_audit_store_entry_t). */
apr_status_t cmcas_audit_store_list(apr_array_header_t **pentries,
                                    const cmcas_store_t *st, apr_pool_t *p,
                                    const char *cmcas_code, apr_int64_t before_id,
                                    int limit, const char **perr);

#endif
