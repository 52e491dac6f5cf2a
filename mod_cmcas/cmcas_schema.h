/* The database schema's version: the migrations of sql/<engine>/ (NNN_*.sql, each
 * ending with the insert of its number into cmcas_schema_version), the version a
 * database is at, and applying one migration (issue 14: cmcas-migrate, and the module's
 * start-up check, mod_cmcas_schema_check.h). No httpd types. */
#ifndef cmcas_schema_h
#define cmcas_schema_h

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_dbd.h>

/* The schema this module and its statements are written for: the highest NNN of
 * sql/sqlite/ and sql/pgsql/ (a unit test, test_schema.c, checks they agree). */
#define CMCAS_SCHEMA_VERSION 17

typedef struct {
    int version;            /* NNN */
    const char *name;       /* "002_registration.sql" */
    const char *path;       /* the directory's path joined with the name */
} cmcas_schema_file_t;

/* The version a file name gives: NNN for "NNN_<anything>.sql" (NNN three digits, from
 * 001), -1 for any other name (the directory's other files are not migrations). */
int cmcas_schema_file_version(const char *name);

/* The migrations of `dir` (cmcas_schema_file_t), in version order. Fails (*perr, in
 * English) when the directory cannot be read, holds none, or they do not run from 001
 * without a gap or a number given twice: applying them would skip or repeat a step. */
apr_status_t cmcas_schema_files(apr_array_header_t **pfiles, const char *dir,
                                apr_pool_t *p, const char **perr);

/* The directory of an engine's schema under sql/: "sqlite" for apr_dbd's "sqlite3",
 * "pgsql"; NULL for another driver. */
const char *cmcas_schema_engine_dir(const char *driver_name);

/* The database's version: the highest of cmcas_schema_version, 0 when that table does
 * not exist (an empty database, or not mod_cmcas's). Fails only when the database
 * cannot be read (*perr: the driver's message). */
apr_status_t cmcas_schema_db_version(apr_int64_t *pversion, const apr_dbd_driver_t *driver,
                                     apr_dbd_t *handle, apr_pool_t *p, const char **perr);

/* Runs SQL text of one or more statements, no parameters (a migration file: apr_dbd's
 * SQLite driver runs the first statement only, so SQLite's own sqlite3_exec runs it). */
apr_status_t cmcas_schema_exec(const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                               const char *sql, apr_pool_t *p, const char **perr);

/* Applies one migration in a transaction of its own (both engines' DDL is
 * transactional): its statements, then the check that it recorded its version. On any
 * failure the transaction is rolled back, the database left at the version before. A
 * migration file holds no BEGIN/COMMIT of its own. */
apr_status_t cmcas_schema_apply(const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                                const cmcas_schema_file_t *file, apr_pool_t *p,
                                const char **perr);

#endif
