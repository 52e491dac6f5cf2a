/* The members' sessions kept in the database by mod_session_dbd (sql/sqlite/005): the
 * module only deletes the expired ones, which mod_session_dbd never does. */
#ifndef cmcas_session_store_h
#define cmcas_session_store_h

#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_session_store_statements[];

/* Deletes the sessions whose end (idle, and never past their deadline) is before
 * `now`; *pdeleted gets how many. */
apr_status_t cmcas_session_store_purge(int *pdeleted, const cmcas_store_t *st,
                                       apr_pool_t *p, apr_time_t now, const char **perr);

#endif
