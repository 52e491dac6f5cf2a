/* The mod_dbd settings `apachectl -t` refuses, per engine (cmcas_dbd_rules). */
#include <stdarg.h>
#include <string.h>
#include <apr_tables.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_dbd_rules.h"

/* The rules for `driver` with DBDInitSQL statements from `ap` (NULL-terminated). */
static const char *test_dbd_rules_pool(const char *driver, int min, int keep, int max,
                                       int threaded, va_list ap)
{
    cmcas_dbd_rules_t r;
    const char *sql;

    r.driver = driver;
    r.min = min;
    r.keep = keep;
    r.max = max;
    r.threaded = threaded;
    r.init_sql = apr_array_make(test_pool, 2, sizeof(const char *));
    while ((sql = va_arg(ap, const char *))) {
        APR_ARRAY_PUSH(r.init_sql, const char *) = sql;
    }
    return cmcas_dbd_rules_check(test_pool, &r);
}

static const char *test_dbd_rules(const char *driver, int max, int threaded, ...)
{
    const char *why;
    va_list ap;

    va_start(ap, threaded);
    why = test_dbd_rules_pool(driver, 1, 1, max, threaded, ap);
    va_end(ap);
    return why;
}

/* PostgreSQL's pool with these sizes (-1: not set), no DBDInitSQL. */
static const char *test_dbd_rules_sizes(int min, int keep, int max)
{
    cmcas_dbd_rules_t r;

    r.driver = "pgsql";
    r.min = min;
    r.keep = keep;
    r.max = max;
    r.threaded = 1;
    r.init_sql = NULL;
    return cmcas_dbd_rules_check(test_pool, &r);
}

#define BUSY "PRAGMA busy_timeout = 5000"

START_TEST(test_dbd_rules_sqlite)
{
    const char *why;

    /* as shipped */
    ck_assert_ptr_null(test_dbd_rules("sqlite3", 1, 1, BUSY, NULL));
    ck_assert_ptr_null(test_dbd_rules("sqlite3", 1, 1, NULL));
    ck_assert_ptr_null(test_dbd_rules("sqlite3", 1, 1, "PRAGMA synchronous = FULL", BUSY,
                                      NULL));
    /* a pool of several connections per child (mod_dbd's default is 10) */
    why = test_dbd_rules("sqlite3", -1, 1, BUSY, NULL);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "mod_dbd's default DBDMax (10)"));
    why = test_dbd_rules("sqlite3", 4, 1, BUSY, NULL);
    ck_assert_ptr_nonnull(strstr(why, "DBDMax 4"));
    /* prefork: mod_dbd keeps one connection per process, whatever DBDMax says */
    ck_assert_ptr_null(test_dbd_rules("sqlite3", -1, 0, BUSY, NULL));
    /* the pragmas that cannot work through DBDInitSQL */
    why = test_dbd_rules("sqlite3", 1, 1, "pragma  Foreign_Keys=ON", BUSY, NULL);
    ck_assert_ptr_nonnull(strstr(why, "expires"));
    why = test_dbd_rules("sqlite3", 1, 1, "PRAGMA journal_mode = WAL", BUSY, NULL);
    ck_assert_ptr_nonnull(strstr(why, "set once on the database file"));
    why = test_dbd_rules("sqlite3", 1, 1, BUSY, "PRAGMA synchronous = FULL", NULL);
    ck_assert_ptr_nonnull(strstr(why, "must be the last"));
    /* a name that only begins like one */
    ck_assert_ptr_null(test_dbd_rules("sqlite3", 1, 1, "PRAGMA foreign_keys_x = 1", BUSY,
                                      NULL));
}
END_TEST

/* mod_dbd opens no connection at all when its pool's sizes are out of order. */
START_TEST(test_dbd_rules_pool_sizes)
{
    const char *why;

    ck_assert_ptr_null(test_dbd_rules_sizes(-1, -1, -1));      /* 1, 2, 10 */
    ck_assert_ptr_null(test_dbd_rules_sizes(0, 0, 1));
    ck_assert_ptr_null(test_dbd_rules_sizes(2, 4, 8));
    why = test_dbd_rules_sizes(-1, -1, 1);                      /* keep 2 > max 1 */
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "DBDMin 1, DBDKeep 2, DBDMax 1"));
    ck_assert_ptr_nonnull(test_dbd_rules_sizes(3, 2, 4));
    ck_assert_ptr_nonnull(test_dbd_rules_sizes(0, 0, 0));
}
END_TEST

START_TEST(test_dbd_rules_other_engines)
{
    const char *why;

    ck_assert_ptr_null(test_dbd_rules("pgsql", -1, 1, NULL));
    ck_assert_ptr_null(test_dbd_rules("pgsql", 8, 1, "SET application_name = 'cmcas'",
                                      NULL));
    why = test_dbd_rules("pgsql", 4, 1, "SET statement_timeout = 5000", " pragma x", NULL);
    ck_assert_ptr_nonnull(strstr(why, "is SQLite's"));
    why = test_dbd_rules("mysql", 4, 1, NULL);
    ck_assert_ptr_nonnull(strstr(why, "sqlite3 and pgsql only"));
    ck_assert_ptr_null(test_dbd_rules(NULL, -1, 1, NULL));
}
END_TEST

Suite *test_dbd_rules_suite(void)
{
    Suite *s = suite_create("dbd_rules");
    TCase *tc = tcase_create("rules");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_dbd_rules_sqlite);
    tcase_add_test(tc, test_dbd_rules_pool_sizes);
    tcase_add_test(tc, test_dbd_rules_other_engines);
    suite_add_tcase(s, tc);
    return s;
}
