#include <apr_strings.h>

#include <sqlite3.h>

#include "cmcas_reconnect.h"

/* SQLite's result code for a schema change, as apr_dbd passes it on. */
#define CMCAS_RECONNECT_SQLITE_SCHEMA SQLITE_SCHEMA

int cmcas_reconnect_is_schema_change(const char *driver_name, int rc, const char *err)
{
    if (!driver_name || strcmp(driver_name, "sqlite3")) {
        return 0;
    }
    /* apr-util's driver answers the step's SQLITE_ERROR the first time, the precise code
     * only in sqlite3_errmsg(), a fixed English text of SQLite's (never translated);
     * later runs of the expired statement fail in sqlite3_reset(), whose SQLITE_SCHEMA
     * comes back as the code, with the message "not an error". */
    return rc == CMCAS_RECONNECT_SQLITE_SCHEMA
           || (err && strstr(err, "database schema has changed") != NULL);
}

int cmcas_reconnect_sqlite_due(int stale, apr_int64_t failed_version,
                               apr_int64_t prepared_version, apr_int64_t version,
                               int expired)
{
    if (stale && version == failed_version) {
        return 0;
    }
    return expired || stale || (version >= 0 && version != prepared_version);
}

apr_int64_t cmcas_reconnect_schema_version(const apr_dbd_driver_t *driver,
                                           apr_dbd_t *handle, void **pstmt)
{
    sqlite3_stmt *one = NULL, **stmt = pstmt ? (sqlite3_stmt **)pstmt : &one;
    apr_int64_t version = -1;

    if (strcmp(apr_dbd_name(driver), "sqlite3")) {
        return -1;
    }
    if (!*stmt && SQLITE_OK != sqlite3_prepare_v2(apr_dbd_native_handle(driver, handle),
                                                  "PRAGMA schema_version", -1, stmt,
                                                  NULL)) {
        *stmt = NULL;
        return -1;
    }
    if (SQLITE_ROW == sqlite3_step(*stmt)) {
        version = sqlite3_column_int64(*stmt, 0);
    }
    /* Ends its read transaction at once. */
    sqlite3_reset(*stmt);
    if (!pstmt) {
        sqlite3_finalize(one);
    }
    return version;
}

void cmcas_reconnect_schema_version_end(void **pstmt)
{
    if (pstmt && *pstmt) {
        sqlite3_finalize(*pstmt);
        *pstmt = NULL;
    }
}

/* Makes SQLite read the schema again before we prepare: a statement prepared with the
 * connection's schema in memory out of date is itself expired at its first run. A
 * statement that reads a table compares the schema's version with the file's: the first
 * may fail (and drops the old schema), the second reads the new one. */
static void cmcas_reconnect_sqlite_refresh(const apr_dbd_driver_t *driver,
                                           apr_dbd_t *handle, apr_pool_t *p)
{
    int i;

    for (i = 0; i < 2; i++) {
        apr_dbd_results_t *res = NULL;
        apr_dbd_row_t *row = NULL;
        if (!apr_dbd_select(driver, p, handle, &res,
                            "SELECT count(*) FROM sqlite_master", 0)) {
            while (!apr_dbd_get_row(driver, p, res, &row, -1)) {
                /* read to the end */
            }
            return;
        }
    }
}

apr_status_t cmcas_reconnect_prepare_all(int *pcount, const apr_dbd_driver_t *driver,
                                         apr_dbd_t *handle, apr_hash_t *prepared,
                                         apr_hash_t *queries, apr_pool_t *pool,
                                         apr_pool_t *ptemp, const char **perr)
{
    apr_hash_index_t *hi;
    apr_status_t rv = APR_SUCCESS;

    *pcount = 0;
    if (!strcmp(apr_dbd_name(driver), "sqlite3")) {
        cmcas_reconnect_sqlite_refresh(driver, handle, ptemp);
    }
    for (hi = apr_hash_first(ptemp, queries); hi; hi = apr_hash_next(hi)) {
        const char *label = apr_hash_this_key(hi), *sql = apr_hash_this_val(hi);
        apr_dbd_prepared_t *stmt = NULL;
        int rc;

        if (!*sql) {
            continue;
        }
        rc = apr_dbd_prepare(driver, pool, handle, sql, label, &stmt);
        if (rc) {
            if (APR_SUCCESS == rv) {
                *perr = apr_psprintf(ptemp, "%s: %s", label,
                                     apr_dbd_error(driver, handle, rc));
                rv = APR_EGENERAL;
            }
            continue;   /* the old statement stays: it fails as it did */
        }
        /* Only values change: the hash keeps its keys and allocates nothing. */
        if (prepared && apr_hash_get(prepared, label, APR_HASH_KEY_STRING)) {
            apr_hash_set(prepared, label, APR_HASH_KEY_STRING, stmt);
        }
        ++*pcount;
    }
    return rv;
}

apr_status_t cmcas_reconnect_init_sql(const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                                      const apr_array_header_t *init, apr_pool_t *p,
                                      const char **perr)
{
    int i, nrows = 0, rc;

    for (i = 0; init && i < init->nelts; i++) {
        const char *sql = APR_ARRAY_IDX(init, i, const char *);
        if ((rc = apr_dbd_query(driver, handle, &nrows, sql))) {
            *perr = apr_psprintf(p, "%s: %s", sql, apr_dbd_error(driver, handle, rc));
            return APR_EGENERAL;
        }
    }
    return APR_SUCCESS;
}
