#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_file_info.h>
#include <apr_file_io.h>
#include <sqlite3.h>

#include "cmcas_schema.h"

int cmcas_schema_file_version(const char *name)
{
    size_t n = strlen(name);
    int v;

    if (n < 9 || name[3] != '_' || strcmp(name + n - 4, ".sql")
        || !(name[0] >= '0' && name[0] <= '9') || !(name[1] >= '0' && name[1] <= '9')
        || !(name[2] >= '0' && name[2] <= '9')) {
        return -1;
    }
    v = (name[0] - '0') * 100 + (name[1] - '0') * 10 + (name[2] - '0');
    return v > 0 ? v : -1;
}

static int cmcas_schema_files_order(const void *a, const void *b)
{
    return ((const cmcas_schema_file_t *)a)->version
           - ((const cmcas_schema_file_t *)b)->version;
}

apr_status_t cmcas_schema_files(apr_array_header_t **pfiles, const char *dir,
                                apr_pool_t *p, const char **perr)
{
    apr_array_header_t *files = apr_array_make(p, 24, sizeof(cmcas_schema_file_t));
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_status_t rv;
    int i;

    *pfiles = files;
    if (APR_SUCCESS != (rv = apr_dir_open(&d, dir, p))) {
        *perr = apr_psprintf(p, "cannot read the schema directory %s: %pm", dir, &rv);
        return rv;
    }
    while (APR_SUCCESS == apr_dir_read(&fi, APR_FINFO_NAME, d)) {
        int v = cmcas_schema_file_version(fi.name);
        if (v > 0) {
            cmcas_schema_file_t *f = apr_array_push(files);
            f->version = v;
            f->name = apr_pstrdup(p, fi.name);
            f->path = apr_pstrcat(p, dir, "/", fi.name, NULL);
        }
    }
    apr_dir_close(d);
    if (!files->nelts) {
        *perr = apr_psprintf(p, "no migration (NNN_*.sql) in %s", dir);
        return APR_ENOENT;
    }
    qsort(files->elts, files->nelts, sizeof(cmcas_schema_file_t), cmcas_schema_files_order);
    for (i = 0; i < files->nelts; i++) {
        const cmcas_schema_file_t *f = &APR_ARRAY_IDX(files, i, cmcas_schema_file_t);
        if (f->version != i + 1) {
            *perr = apr_psprintf(p, "%s: %s (the migrations must run from 001 without a "
                                 "gap, one file per number)", dir,
                                 f->version <= i ? apr_psprintf(p, "two files for %03d",
                                                                f->version)
                                                 : apr_psprintf(p, "no file for %03d",
                                                                i + 1));
            return APR_EINVAL;
        }
    }
    return APR_SUCCESS;
}

const char *cmcas_schema_engine_dir(const char *driver_name)
{
    return !strcmp(driver_name, "sqlite3") ? "sqlite"
           : !strcmp(driver_name, "pgsql") ? "pgsql" : NULL;
}

static int cmcas_schema_sqlite(const apr_dbd_driver_t *driver)
{
    return !strcmp(apr_dbd_name(driver), "sqlite3");
}

/* The first column of a one-row query without parameters, as a number. */
static apr_status_t cmcas_schema_int(apr_int64_t *pvalue, const apr_dbd_driver_t *driver,
                                     apr_dbd_t *handle, apr_pool_t *p, const char *sql,
                                     const char **perr)
{
    apr_dbd_prepared_t *stmt = NULL;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *v = NULL;
    int rc;

    *pvalue = -1;
    if ((rc = apr_dbd_prepare(driver, p, handle, sql, NULL, &stmt))
        || (rc = apr_dbd_pselect(driver, p, handle, &res, stmt, 0, 0, NULL))) {
        *perr = apr_pstrdup(p, apr_dbd_error(driver, handle, rc));
        return APR_EGENERAL;
    }
    /* Read to the end: SQLite's statement is reset there. */
    while (!apr_dbd_get_row(driver, p, res, &row, -1)) {
        if (!v) {
            v = apr_dbd_get_entry(driver, row, 0);
            v = v ? apr_pstrdup(p, v) : "0";
        }
    }
    if (!v) {
        *perr = apr_psprintf(p, "no row from « %s »", sql);
        return APR_EGENERAL;
    }
    *pvalue = apr_atoi64(v);
    return APR_SUCCESS;
}

apr_status_t cmcas_schema_db_version(apr_int64_t *pversion, const apr_dbd_driver_t *driver,
                                     apr_dbd_t *handle, apr_pool_t *p, const char **perr)
{
    apr_int64_t exists = 0;
    apr_status_t rv;

    *pversion = -1;
    rv = cmcas_schema_int(&exists, driver, handle, p, cmcas_schema_sqlite(driver)
                          ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'cmcas_schema_version'"
                          : "SELECT count(*) FROM pg_catalog.pg_class WHERE oid = "
                            "to_regclass('cmcas_schema_version')", perr);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    if (!exists) {
        *pversion = 0;
        return APR_SUCCESS;
    }
    return cmcas_schema_int(pversion, driver, handle, p,
                            "SELECT coalesce(max(version), 0) FROM cmcas_schema_version",
                            perr);
}

apr_status_t cmcas_schema_exec(const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                               const char *sql, apr_pool_t *p, const char **perr)
{
    int rc, nrows = 0;

    if (cmcas_schema_sqlite(driver)) {
        char *err = NULL;
        if (SQLITE_OK != sqlite3_exec(apr_dbd_native_handle(driver, handle), sql, NULL,
                                      NULL, &err)) {
            *perr = apr_pstrdup(p, err ? err : "unknown SQLite error");
            sqlite3_free(err);
            return APR_EGENERAL;
        }
        return APR_SUCCESS;
    }
    /* PostgreSQL: PQexec runs several statements, stopping at the first error. */
    if ((rc = apr_dbd_query(driver, handle, &nrows, sql))) {
        *perr = apr_pstrdup(p, apr_dbd_error(driver, handle, rc));
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

static apr_status_t cmcas_schema_read(char **ptext, const char *path, apr_pool_t *p,
                                      const char **perr)
{
    apr_file_t *f = NULL;
    apr_finfo_t fi;
    apr_status_t rv;

    if (APR_SUCCESS != (rv = apr_file_open(&f, path, APR_FOPEN_READ, 0, p))
        || APR_SUCCESS != (rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f))) {
        *perr = apr_psprintf(p, "cannot read %s: %pm", path, &rv);
        if (f) {
            apr_file_close(f);
        }
        return rv;
    }
    *ptext = apr_pcalloc(p, (apr_size_t)fi.size + 1);
    rv = apr_file_read_full(f, *ptext, (apr_size_t)fi.size, NULL);
    apr_file_close(f);
    if (APR_SUCCESS != rv) {
        *perr = apr_psprintf(p, "cannot read %s: %pm", path, &rv);
    }
    return rv;
}

apr_status_t cmcas_schema_apply(const apr_dbd_driver_t *driver, apr_dbd_t *handle,
                                const cmcas_schema_file_t *file, apr_pool_t *p,
                                const char **perr)
{
    const char *err = NULL;
    apr_int64_t now = -1;
    char *sql = NULL;
    apr_status_t rv;

    if (APR_SUCCESS != (rv = cmcas_schema_read(&sql, file->path, p, perr))) {
        return rv;
    }
    /* SQLite: IMMEDIATE takes the write lock first (waiting out the portal's writers
     * for the busy timeout) rather than failing halfway through. */
    if (APR_SUCCESS != (rv = cmcas_schema_exec(driver, handle, cmcas_schema_sqlite(driver)
                                               ? "BEGIN IMMEDIATE" : "BEGIN", p, &err))) {
        *perr = apr_psprintf(p, "%s: cannot begin a transaction: %s", file->name, err);
        return rv;
    }
    if (APR_SUCCESS != (rv = cmcas_schema_exec(driver, handle, sql, p, &err))) {
        err = apr_psprintf(p, "%s: %s", file->name, err);
    }
    else if (APR_SUCCESS != (rv = cmcas_schema_db_version(&now, driver, handle, p, &err))) {
        err = apr_psprintf(p, "%s: cannot read the version it recorded: %s", file->name,
                           err);
    }
    else if (now != file->version) {
        rv = APR_EINVAL;
        err = apr_psprintf(p, "%s: the database is at version %" APR_INT64_T_FMT " after "
                           "it (a migration ends with INSERT INTO cmcas_schema_version "
                           "(version) VALUES (%d))", file->name, now, file->version);
    }
    else if (APR_SUCCESS != (rv = cmcas_schema_exec(driver, handle, "COMMIT", p, &err))) {
        err = apr_psprintf(p, "%s: the commit failed: %s", file->name, err);
    }
    if (APR_SUCCESS != rv) {
        const char *ignored = NULL;
        *perr = err;
        cmcas_schema_exec(driver, handle, "ROLLBACK", p, &ignored);
    }
    return rv;
}
