/* The schema's versions (cmcas_schema.h): the files' names, the directory's order, the
 * module's version against sql/, and migrations applied one by one, a failed one
 * leaving the database at the version before. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_dbd.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_schema.h"

START_TEST(test_schema_file_names)
{
    ck_assert_int_eq(cmcas_schema_file_version("001_schema.sql"), 1);
    ck_assert_int_eq(cmcas_schema_file_version("017_refund_mails.sql"), 17);
    ck_assert_int_eq(cmcas_schema_file_version("120_x.sql"), 120);
    ck_assert_int_eq(cmcas_schema_file_version("000_nothing.sql"), -1);
    ck_assert_int_eq(cmcas_schema_file_version("01_short.sql"), -1);
    ck_assert_int_eq(cmcas_schema_file_version("001-dash.sql"), -1);
    ck_assert_int_eq(cmcas_schema_file_version("001_backup.sql~"), -1);
    ck_assert_int_eq(cmcas_schema_file_version("0a1_x.sql"), -1);
    ck_assert_int_eq(cmcas_schema_file_version("README.md"), -1);
    ck_assert_int_eq(cmcas_schema_file_version(".sql"), -1);
    ck_assert_str_eq(cmcas_schema_engine_dir("sqlite3"), "sqlite");
    ck_assert_str_eq(cmcas_schema_engine_dir("pgsql"), "pgsql");
    ck_assert_ptr_null(cmcas_schema_engine_dir("mysql"));
}
END_TEST

/* The module's version is the highest file of each engine's schema, and both engines
 * have the same numbers. */
START_TEST(test_schema_version_is_the_files)
{
    apr_array_header_t *lite = NULL, *pg = NULL;
    const char *err = NULL;
    int i;

    ck_assert_msg(APR_SUCCESS == cmcas_schema_files(&lite, CMCAS_SRCDIR "/sql/sqlite",
                                                    test_pool, &err), "%s", err);
    ck_assert_msg(APR_SUCCESS == cmcas_schema_files(&pg, CMCAS_SRCDIR "/sql/pgsql",
                                                    test_pool, &err), "%s", err);
    ck_assert_int_eq(lite->nelts, CMCAS_SCHEMA_VERSION);
    ck_assert_int_eq(pg->nelts, CMCAS_SCHEMA_VERSION);
    for (i = 0; i < lite->nelts; i++) {
        ck_assert_int_eq(APR_ARRAY_IDX(lite, i, cmcas_schema_file_t).version, i + 1);
        ck_assert_int_eq(APR_ARRAY_IDX(pg, i, cmcas_schema_file_t).version, i + 1);
    }
}
END_TEST

static const char *test_schema_dir(void)
{
    char path[] = "/tmp/cmcas-schema-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(path));
    return apr_pstrdup(test_pool, path);
}

static void test_schema_write(const char *dir, const char *name, const char *text)
{
    FILE *f = fopen(apr_pstrcat(test_pool, dir, "/", name, NULL), "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void test_schema_rmdir(const char *dir)
{
    apr_dir_t *d;
    apr_finfo_t fi;

    if (APR_SUCCESS == apr_dir_open(&d, dir, test_pool)) {
        while (APR_SUCCESS == apr_dir_read(&fi, APR_FINFO_NAME, d)) {
            if (strcmp(fi.name, ".") && strcmp(fi.name, "..")) {
                apr_file_remove(apr_pstrcat(test_pool, dir, "/", fi.name, NULL), test_pool);
            }
        }
        apr_dir_close(d);
    }
    apr_dir_remove(dir, test_pool);
}

START_TEST(test_schema_directory_order)
{
    const char *dir = test_schema_dir(), *err = NULL;
    apr_array_header_t *files = NULL;

    /* Empty: nothing to apply is an error (a wrong directory). */
    ck_assert_int_ne(cmcas_schema_files(&files, dir, test_pool, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(err, "no migration"));
    test_schema_write(dir, "002_b.sql", "");
    test_schema_write(dir, "001_a.sql", "");
    test_schema_write(dir, "README", "");
    test_schema_write(dir, "003_c.sql.orig", "");
    ck_assert_int_eq(cmcas_schema_files(&files, dir, test_pool, &err), APR_SUCCESS);
    ck_assert_int_eq(files->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(files, 0, cmcas_schema_file_t).name, "001_a.sql");
    ck_assert_str_eq(APR_ARRAY_IDX(files, 1, cmcas_schema_file_t).path,
                     apr_pstrcat(test_pool, dir, "/002_b.sql", NULL));
    /* A gap, then a number given twice. */
    test_schema_write(dir, "004_d.sql", "");
    ck_assert_int_ne(cmcas_schema_files(&files, dir, test_pool, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(err, "no file for 003"));
    test_schema_write(dir, "003_c.sql", "");
    test_schema_write(dir, "003_again.sql", "");
    ck_assert_int_ne(cmcas_schema_files(&files, dir, test_pool, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(err, "two files for 003"));
    test_schema_rmdir(dir);
    ck_assert_int_ne(cmcas_schema_files(&files, "/nonexistent/cmcas", test_pool, &err),
                     APR_SUCCESS);
}
END_TEST

static apr_int64_t test_schema_version(const apr_dbd_driver_t *drv, apr_dbd_t *h)
{
    apr_int64_t v = -1;
    const char *err = NULL;
    ck_assert_msg(APR_SUCCESS == cmcas_schema_db_version(&v, drv, h, test_pool, &err), "%s",
                  err);
    return v;
}

/* Migrations on a real SQLite database: each in its transaction, a failure rolled back. */
START_TEST(test_schema_apply)
{
    const char *dir = test_schema_dir(), *err = NULL;
    char db_path[] = "/tmp/cmcas-schema-db-XXXXXX";
    const apr_dbd_driver_t *drv = NULL;
    apr_dbd_t *h = NULL;
    apr_array_header_t *files = NULL;
    cmcas_schema_file_t f;
    int fd = mkstemp(db_path);

    ck_assert_int_ge(fd, 0);
    close(fd);
    apr_dbd_init(test_pool);
    ck_assert_int_eq(apr_dbd_get_driver(test_pool, "sqlite3", &drv), APR_SUCCESS);
    ck_assert_int_eq(apr_dbd_open(drv, test_pool, db_path, &h), APR_SUCCESS);
    ck_assert_int_eq(test_schema_version(drv, h), 0);       /* empty: no schema */
    test_schema_write(dir, "001_a.sql", "CREATE TABLE cmcas_schema_version (version "
                      "INTEGER PRIMARY KEY);\nCREATE TABLE a (x INTEGER);\n"
                      "INSERT INTO cmcas_schema_version (version) VALUES (1);\n");
    test_schema_write(dir, "002_b.sql", "CREATE TABLE b (x INTEGER);\n"
                      "INSERT INTO b VALUES (1);\nINSERT INTO nowhere VALUES (2);\n"
                      "INSERT INTO cmcas_schema_version (version) VALUES (2);\n");
    ck_assert_int_eq(cmcas_schema_files(&files, dir, test_pool, &err), APR_SUCCESS);
    f = APR_ARRAY_IDX(files, 0, cmcas_schema_file_t);
    ck_assert_msg(APR_SUCCESS == cmcas_schema_apply(drv, h, &f, test_pool, &err), "%s", err);
    ck_assert_int_eq(test_schema_version(drv, h), 1);
    /* A statement fails halfway: nothing of the file stays, the error names it. */
    f = APR_ARRAY_IDX(files, 1, cmcas_schema_file_t);
    ck_assert_int_ne(cmcas_schema_apply(drv, h, &f, test_pool, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(err, "002_b.sql"));
    ck_assert_ptr_nonnull(strstr(err, "nowhere"));
    ck_assert_int_eq(test_schema_version(drv, h), 1);
    ck_assert_int_ne(cmcas_schema_exec(drv, h, "SELECT * FROM b", test_pool, &err),
                     APR_SUCCESS);
    /* A file that forgets its version row is refused (and rolled back) too. */
    test_schema_write(dir, "002_b.sql", "CREATE TABLE b (x INTEGER);\n");
    ck_assert_int_ne(cmcas_schema_apply(drv, h, &f, test_pool, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(err, "VALUES (2)"));
    ck_assert_int_ne(cmcas_schema_exec(drv, h, "SELECT * FROM b", test_pool, &err),
                     APR_SUCCESS);
    /* Repaired: applied, once. */
    test_schema_write(dir, "002_b.sql", "CREATE TABLE b (x INTEGER);\n"
                      "INSERT INTO cmcas_schema_version (version) VALUES (2);\n");
    ck_assert_msg(APR_SUCCESS == cmcas_schema_apply(drv, h, &f, test_pool, &err), "%s", err);
    ck_assert_int_eq(test_schema_version(drv, h), 2);
    apr_dbd_close(drv, h);
    unlink(db_path);
    test_schema_rmdir(dir);
}
END_TEST

/* The real schema, every file in turn, as cmcas-migrate init applies it. */
START_TEST(test_schema_apply_all)
{
    char db_path[] = "/tmp/cmcas-schema-db-XXXXXX";
    const apr_dbd_driver_t *drv = NULL;
    apr_dbd_t *h = NULL;
    apr_array_header_t *files = NULL;
    const char *err = NULL;
    int i, fd = mkstemp(db_path);

    ck_assert_int_ge(fd, 0);
    close(fd);
    apr_dbd_init(test_pool);
    ck_assert_int_eq(apr_dbd_get_driver(test_pool, "sqlite3", &drv), APR_SUCCESS);
    ck_assert_int_eq(apr_dbd_open(drv, test_pool, db_path, &h), APR_SUCCESS);
    ck_assert_int_eq(cmcas_schema_files(&files, CMCAS_SRCDIR "/sql/sqlite", test_pool, &err),
                     APR_SUCCESS);
    for (i = 0; i < files->nelts; i++) {
        const cmcas_schema_file_t *f = &APR_ARRAY_IDX(files, i, cmcas_schema_file_t);
        ck_assert_msg(APR_SUCCESS == cmcas_schema_apply(drv, h, f, test_pool, &err), "%s",
                      err);
        ck_assert_int_eq(test_schema_version(drv, h), f->version);
    }
    ck_assert_int_eq(test_schema_version(drv, h), CMCAS_SCHEMA_VERSION);
    apr_dbd_close(drv, h);
    unlink(db_path);
}
END_TEST

Suite *test_schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("schema");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_schema_file_names);
    tcase_add_test(tc, test_schema_version_is_the_files);
    tcase_add_test(tc, test_schema_directory_order);
    tcase_add_test(tc, test_schema_apply);
    tcase_add_test(tc, test_schema_apply_all);
    suite_add_tcase(s, tc);
    return s;
}
