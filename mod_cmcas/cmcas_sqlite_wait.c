#include <sqlite3.h>

#include "cmcas_sqlite_wait.h"

static int cmcas_sqlite_wait_ms;

/* SQLite's automatic extension: called for each new connection, before any statement. */
static int cmcas_sqlite_wait_entry(sqlite3 *db, char **err, const void *api)
{
    (void)err;
    (void)api;
    sqlite3_busy_timeout(db, cmcas_sqlite_wait_ms);
    return SQLITE_OK;
}

static apr_status_t cmcas_sqlite_wait_cancel(void *data)
{
    (void)data;
    sqlite3_cancel_auto_extension((void (*)(void))cmcas_sqlite_wait_entry);
    return APR_SUCCESS;
}

apr_status_t cmcas_sqlite_wait_install(apr_pool_t *p, int ms)
{
    cmcas_sqlite_wait_ms = ms;
    /* Registered once however often this runs (SQLite ignores the same entry twice). */
    if (sqlite3_auto_extension((void (*)(void))cmcas_sqlite_wait_entry) != SQLITE_OK) {
        return APR_EGENERAL;
    }
    apr_pool_cleanup_register(p, NULL, cmcas_sqlite_wait_cancel, apr_pool_cleanup_null);
    return APR_SUCCESS;
}

int cmcas_sqlite_wait_spread(void *native, int tries)
{
    sqlite3 *db = native;
    sqlite3_stmt *stmt = NULL;
    int ms = 0;

    /* The timeout set by DBDInitSQL (SQLite has no other way to read it). */
    if (sqlite3_prepare_v2(db, "PRAGMA busy_timeout", -1, &stmt, NULL) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW) {
        ms = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
    if (ms > 0 && tries > 1) {
        ms = ms / tries > 0 ? ms / tries : 1;
        sqlite3_busy_timeout(db, ms);
    }
    return ms;
}
