#include <apr_strings.h>

#include "cmcas_audit_store.h"
#include "cmcas_date.h"

const cmcas_store_stmt_t cmcas_audit_store_statements[] = {
    {"cmcas_audit_add",
     "INSERT INTO cmcas_audit (cmcas_code, at, actor, action, object, before, after)"
     " VALUES (%s, %s, %s, %s, %s, %s, %s)"},
    {"cmcas_audit_list",
     "SELECT id, at, actor, action, object, before, after FROM cmcas_audit"
     " WHERE cmcas_code = %s AND id < %lld ORDER BY id DESC LIMIT %d"},
    {NULL, NULL}
};

apr_status_t cmcas_audit_store_add(const cmcas_store_t *st, apr_pool_t *p,
                                   apr_time_t now, const char *cmcas_code,
                                   const char *actor, const char *action,
                                   const char *object, const char *before,
                                   const char *after, const char **perr)
{
    const char *args[7];

    args[0] = cmcas_code;
    args[1] = cmcas_date_stamp(p, now);
    args[2] = actor;
    args[3] = action;
    args[4] = object;
    args[5] = before;
    args[6] = after;
    return cmcas_store_exec(NULL, st, p, "cmcas_audit_add", perr, 7, args);
}

static void cmcas_audit_store_read(void *elt, cmcas_store_cursor_t *cur,
                                   apr_dbd_row_t *row)
{
    cmcas_audit_store_entry_t *e = elt;

    e->id = cmcas_store_int(cur, row, 0);
    e->at = cmcas_store_str(cur, row, 1);
    e->actor = cmcas_store_str(cur, row, 2);
    e->action = cmcas_store_str(cur, row, 3);
    e->object = cmcas_store_str(cur, row, 4);
    e->before = cmcas_store_str(cur, row, 5);
    e->after = cmcas_store_str(cur, row, 6);
}

apr_status_t cmcas_audit_store_list(apr_array_header_t **pentries,
                                    const cmcas_store_t *st, apr_pool_t *p,
                                    const char *cmcas_code, apr_int64_t before_id,
                                    int limit, const char **perr)
{
    const char *args[3];

    args[0] = cmcas_code;
    args[1] = cmcas_store_num(p, before_id > 0 ? before_id : APR_INT64_MAX);
    args[2] = apr_itoa(p, limit);
    return cmcas_store_all(pentries, st, p, "cmcas_audit_list", 3, args,
                           sizeof(cmcas_audit_store_entry_t), cmcas_audit_store_read, perr);
}
