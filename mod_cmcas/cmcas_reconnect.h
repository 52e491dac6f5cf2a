/* Connections whose prepared statements went bad, made usable again (issue 9).
 *
 * mod_dbd prepares every registered statement once, when it opens a connection, and
 * never again. Two events break them while the connection itself lives on:
 * - SQLite: any schema change (even CREATE TABLE of another table). apr-util's driver
 *   prepares with the legacy sqlite3_prepare(), whose statements are never re-prepared:
 *   each then fails with SQLITE_SCHEMA, forever, on that connection.
 * - PostgreSQL: a server restart. apr-util's check_conn (run by mod_dbd on every
 *   acquire) calls PQreset() on a broken connection and reports success: the new session
 *   has none of the server-side prepared statements, which every statement then lacks.
 * This file holds what needs no httpd: recognising the SQLite case, preparing a set of
 * statements again on the same handle, and running the connection's set-up statements. */
#ifndef cmcas_reconnect_h
#define cmcas_reconnect_h

#include <apr_pools.h>
#include <apr_hash.h>
#include <apr_tables.h>
#include <apr_dbd.h>

/* Whether a failed statement (the driver's code `rc` and message `err`) met SQLite's
 * schema change. `driver_name` as apr_dbd_name gives it; any other driver answers 0. */
int cmcas_reconnect_is_schema_change(const char *driver_name, int rc, const char *err);

/* SQLite: whether a connection's statements are to be prepared again, the schema now
 * at `version` (-1: unknown), the statements made for `prepared_version`, `expired` when
 * a statement said so: after a change, unless an attempt at this very version failed
 * (`stale`, at `failed_version`): the same statements would fail again, the schema must
 * change first. */
int cmcas_reconnect_sqlite_due(int stale, apr_int64_t failed_version,
                               apr_int64_t prepared_version, apr_int64_t version,
                               int expired);

/* SQLite's schema version of the connection (PRAGMA schema_version: a counter every
 * schema change increments); -1 when it cannot be read, and for other drivers. Read on
 * every request: through a statement of ours kept in *pstmt (made at the first call,
 * on `handle`'s native connection, by sqlite3_prepare_v2 so that it survives schema
 * changes), about a tenth of what an apr_dbd_select costs. The caller finalizes it with
 * cmcas_reconnect_schema_version_end before the connection closes; `pstmt` NULL: a
 * one-off statement. */
apr_int64_t cmcas_reconnect_schema_version(const apr_dbd_driver_t *driver,
                                           apr_dbd_t *handle, void **pstmt);
void cmcas_reconnect_schema_version_end(void **pstmt);

/* Prepares again, on `handle`, every statement of `queries` (label -> SQL, as mod_dbd
 * keeps them; an empty SQL is skipped as mod_dbd does). With `prepared` (label ->
 * apr_dbd_prepared_t*), each new statement replaces the old one there, and must live in
 * `pool` as long as the connection; with NULL only the database side is renewed (what
 * PostgreSQL needs: its statements are named by their label). `ptemp` holds the rest
 * (`queries` is shared by threads: its iterator comes from a pool). Goes on after a
 * failure; *pcount gets the statements prepared, *perr the first failure (in ptemp). */
apr_status_t cmcas_reconnect_prepare_all(int *pcount, const apr_dbd_driver_t *driver,
                                         apr_dbd_t *handle, apr_hash_t *prepared,
                                         apr_hash_t *queries, apr_pool_t *pool,
                                         apr_pool_t *ptemp, const char **perr);

/* Runs a connection's set-up statements (`init`, an array of const char *: mod_dbd's
 * DBDInitSQL) in order, stopping at the first failure as mod_dbd does; *perr gets it. */
apr_status_t cmcas_reconnect_init_sql(const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                                      const apr_array_header_t *init, apr_pool_t *p,
                                      const char **perr);

#endif
