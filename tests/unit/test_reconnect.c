/* Statements that a schema change broke (SQLite's legacy sqlite3_prepare, as apr-util
 * uses it), recognised and prepared again on the same connection (issue 9). */
#include <sqlite3.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_reconnect.h"
#include "../../mod_cmcas/cmcas_sqlite_wait.h"

static test_db_t db;

static void test_reconnect_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
}

static void test_reconnect_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

/* A schema change made by another connection (a migration run by an administrator). */
static void test_reconnect_ddl(const char *sql)
{
    sqlite3 *other;
    char *err = NULL;

    ck_assert_int_eq(sqlite3_open(db.path, &other), SQLITE_OK);
    ck_assert_msg(SQLITE_OK == sqlite3_exec(other, sql, NULL, NULL, &err), "%s",
                  err ? err : "?");
    sqlite3_close(other);
}

/* Every statement of the module, label -> SQL, as mod_dbd keeps them. */
static apr_hash_t *test_reconnect_queries(void)
{
    apr_hash_t *q = apr_hash_make(test_pool);
    int i;

    for (i = 0; cmcas_store_registry[i]; i++) {
        const cmcas_store_stmt_t *s;
        for (s = cmcas_store_registry[i]; s->label; s++) {
            apr_hash_set(q, s->label, APR_HASH_KEY_STRING, s->sql);
        }
    }
    apr_hash_set(q, "registered_elsewhere_empty", APR_HASH_KEY_STRING, "");
    return q;
}

static apr_status_t test_reconnect_household(const char **perr)
{
    cmcas_household_t *hh = NULL;
    return cmcas_store_household_by_login(&hh, &db.st, test_pool, "gael", perr);
}

START_TEST(test_reconnect_classifies)
{
    ck_assert(cmcas_reconnect_is_schema_change("sqlite3", SQLITE_ERROR,
                                               "database schema has changed"));
    ck_assert(cmcas_reconnect_is_schema_change("sqlite3", SQLITE_SCHEMA, "not an error"));
    ck_assert(!cmcas_reconnect_is_schema_change("sqlite3", SQLITE_BUSY, "database is locked"));
    ck_assert(!cmcas_reconnect_is_schema_change("sqlite3", SQLITE_ERROR,
                                                "no such table: activity"));
    ck_assert(!cmcas_reconnect_is_schema_change("sqlite3", SQLITE_ERROR, NULL));
    ck_assert(!cmcas_reconnect_is_schema_change("pgsql", 7, "database schema has changed"));
    ck_assert(!cmcas_reconnect_is_schema_change("pgsql", SQLITE_SCHEMA, "x"));
    ck_assert(!cmcas_reconnect_is_schema_change(NULL, SQLITE_SCHEMA, "x"));
}
END_TEST

START_TEST(test_reconnect_sqlite_due)
{
    /* nothing changed */
    ck_assert(!cmcas_reconnect_sqlite_due(0, -1, 7, 7, 0));
    ck_assert(!cmcas_reconnect_sqlite_due(0, -1, 7, -1, 0));     /* unknown: no guess */
    /* a change, or a statement that says so (its version unchanged: a race, a pragma) */
    ck_assert(cmcas_reconnect_sqlite_due(0, -1, 7, 8, 0));
    ck_assert(cmcas_reconnect_sqlite_due(0, -1, 7, 7, 1));
    ck_assert(cmcas_reconnect_sqlite_due(0, -1, -1, 7, 0));     /* unread at the start */
    /* failed at 8: not again at 8 (each request would log it), again at 9 */
    ck_assert(!cmcas_reconnect_sqlite_due(1, 8, 7, 8, 0));
    ck_assert(!cmcas_reconnect_sqlite_due(1, 8, 7, 8, 1));
    ck_assert(cmcas_reconnect_sqlite_due(1, 8, 7, 9, 0));
}
END_TEST

START_TEST(test_reconnect_schema_change_prepared_again)
{
    const char *err = NULL;
    apr_int64_t before = cmcas_reconnect_schema_version(db.st.driver, db.st.handle,
                                                        NULL);
    apr_dbd_prepared_t *old;
    int count = -1;

    ck_assert_int_ge(before, 1);
    ck_assert_int_eq(APR_SUCCESS, test_reconnect_household(&err));
    test_reconnect_ddl("CREATE TABLE unrelated_migration (x INTEGER)");
    ck_assert_int_gt(cmcas_reconnect_schema_version(db.st.driver, db.st.handle, NULL),
                     before);
    {
        /* The statement kept for every request sees the next change too. */
        void *kept = NULL;
        apr_int64_t now = cmcas_reconnect_schema_version(db.st.driver, db.st.handle, &kept);
        ck_assert_ptr_nonnull(kept);
        ck_assert_int_gt(now, before);
        test_reconnect_ddl("CREATE TABLE another_migration (x INTEGER)");
        ck_assert_int_gt(cmcas_reconnect_schema_version(db.st.driver, db.st.handle, &kept),
                         now);
        cmcas_reconnect_schema_version_end(&kept);
        ck_assert_ptr_null(kept);
    }
    /* The failure the portal met: every statement of the connection, forever. */
    ck_assert_int_eq(APR_EGENERAL, test_reconnect_household(&err));
    ck_assert_msg(cmcas_reconnect_is_schema_change("sqlite3", SQLITE_ERROR, err), "%s", err);
    /* The second time the message says nothing ("not an error"): the code does. */
    ck_assert_int_eq(APR_EGENERAL, test_reconnect_household(&err));
    ck_assert_msg(strstr(err, "not an error"), "%s", err);

    old = apr_hash_get(db.st.prepared, "cmcas_household_by_login", APR_HASH_KEY_STRING);
    ck_assert_int_eq(APR_SUCCESS,
                     cmcas_reconnect_prepare_all(&count, db.st.driver, db.st.handle,
                                                 db.st.prepared, test_reconnect_queries(),
                                                 test_pool, test_pool, &err));
    ck_assert_int_eq(count, (int)apr_hash_count(db.st.prepared));   /* "" skipped */
    ck_assert_ptr_ne(old, apr_hash_get(db.st.prepared, "cmcas_household_by_login",
                                       APR_HASH_KEY_STRING));
    /* A label the hash does not know is not added. */
    ck_assert_ptr_null(apr_hash_get(db.st.prepared, "registered_elsewhere_empty",
                                    APR_HASH_KEY_STRING));
    ck_assert_int_eq(APR_SUCCESS, test_reconnect_household(&err));
}
END_TEST

/* The check before use: the change seen by its version, before any statement failed
 * (the connection's schema in memory is then still the old one). */
START_TEST(test_reconnect_prepared_again_before_any_failure)
{
    const char *err = NULL;
    int count = -1;

    ck_assert_int_eq(APR_SUCCESS, test_reconnect_household(&err));
    test_reconnect_ddl("CREATE TABLE unrelated_migration (x INTEGER)");
    ck_assert_int_eq(APR_SUCCESS,
                     cmcas_reconnect_prepare_all(&count, db.st.driver, db.st.handle,
                                                 db.st.prepared, test_reconnect_queries(),
                                                 test_pool, test_pool, &err));
    ck_assert_msg(APR_SUCCESS == test_reconnect_household(&err), "%s", err);
}
END_TEST

START_TEST(test_reconnect_failure_keeps_going)
{
    apr_hash_t *q = apr_hash_make(test_pool);
    const char *err = NULL;
    int count = -1;

    apr_hash_set(q, "cmcas_household_by_login", APR_HASH_KEY_STRING,
                 "SELECT 1 FROM nowhere WHERE x = %s");
    apr_hash_set(q, "cmcas_persons", APR_HASH_KEY_STRING,
                 "SELECT id FROM person WHERE household_id = %d");
    ck_assert_int_eq(APR_EGENERAL,
                     cmcas_reconnect_prepare_all(&count, db.st.driver, db.st.handle,
                                                 db.st.prepared, q, test_pool, test_pool,
                                                 &err));
    ck_assert_int_eq(1, count);
    ck_assert_ptr_nonnull(strstr(err, "cmcas_household_by_login: no such table: nowhere"));
}
END_TEST

/* The store's second chance, as the glue gives it: a read that meets the change is
 * repaired and run again. SQLite's message alone does not tell (an expired statement
 * that failed once may say "not an error"): the schema version the statements were
 * prepared for does. */
typedef struct {
    int calls;
    apr_int64_t version;
} test_reconnect_baton_t;

static apr_status_t test_reconnect_recover(void *data, int rc, const char *err)
{
    test_reconnect_baton_t *b = data;
    const char *why = NULL;
    apr_int64_t now = cmcas_reconnect_schema_version(db.st.driver, db.st.handle, NULL);
    apr_status_t rv;
    int count;

    b->calls++;
    if (!cmcas_reconnect_is_schema_change("sqlite3", rc, err) && now == b->version) {
        return APR_EGENERAL;
    }
    rv = cmcas_reconnect_prepare_all(&count, db.st.driver, db.st.handle, db.st.prepared,
                                     test_reconnect_queries(), test_pool, test_pool, &why);
    if (APR_SUCCESS == rv) {
        b->version = now;
    }
    return rv;
}

START_TEST(test_reconnect_store_reads_again_once)
{
    test_reconnect_baton_t b = {0, -1};
    const char *err = NULL;
    cmcas_store_tx_t *tx = NULL;

    b.version = cmcas_reconnect_schema_version(db.st.driver, db.st.handle, NULL);

    db.st.recover = test_reconnect_recover;
    db.st.recover_baton = &b;
    test_reconnect_ddl("CREATE TABLE unrelated_migration (x INTEGER)");
    ck_assert_int_eq(APR_SUCCESS, test_reconnect_household(&err));
    ck_assert_int_eq(1, b.calls);
    /* A change the statements cannot follow: the repair fails, the read is not run
     * again, the failure stays; once the table is back, the next read repairs. */
    test_reconnect_ddl("ALTER TABLE household RENAME TO household_away");
    ck_assert_int_eq(APR_EGENERAL, test_reconnect_household(&err));
    ck_assert_int_eq(2, b.calls);
    test_reconnect_ddl("ALTER TABLE household_away RENAME TO household");
    ck_assert_msg(APR_SUCCESS == test_reconnect_household(&err), "%s", err);
    ck_assert_int_eq(3, b.calls);

    /* An ordinary failure (no change): asked, and it stays a failure. */
    b.calls = 0;
    ck_assert_int_eq(APR_EGENERAL,
                     cmcas_store_select(&(cmcas_store_cursor_t){0}, &db.st, test_pool,
                                        "cmcas_no_such_label", &err, 0, NULL));
    ck_assert_int_eq(0, b.calls);   /* a missing label is not the driver's failure */
    /* Inside a transaction: never run again. */
    test_reconnect_ddl("CREATE TABLE another_migration (x INTEGER)");
    ck_assert_int_eq(APR_SUCCESS, cmcas_store_begin(&tx, &db.st, test_pool, &err));
    b.calls = 0;
    ck_assert_int_eq(APR_EGENERAL, test_reconnect_household(&err));
    ck_assert_int_eq(0, b.calls);
    cmcas_store_end(tx, 0, &err);
    db.st.recover = NULL;
}
END_TEST

START_TEST(test_reconnect_store_writes_again_after_a_schema_change)
{
    test_reconnect_baton_t b = {0, -1};
    const char *err = NULL, *args[5] = {"me", "100", "expiry", "me", "50"};
    int n = 0;

    b.version = cmcas_reconnect_schema_version(db.st.driver, db.st.handle, NULL);
    db.st.recover = test_reconnect_recover;
    db.st.recover_baton = &b;
    /* A background job's lease taken while someone adds a trigger: it did not run, so
     * it runs again once (and only then: it changed the row once). */
    test_reconnect_ddl("CREATE TABLE unrelated_migration (x INTEGER)");
    ck_assert_msg(APR_SUCCESS == cmcas_store_exec(&n, &db.st, test_pool, "cmcas_job_claim",
                                                  &err, 5, args), "%s", err);
    ck_assert_int_eq(1, n);
    ck_assert_int_eq(1, b.calls);
    ck_assert_int_eq(100, test_db_int(&db, "SELECT lease_until FROM cmcas_job"
                                           " WHERE name = 'expiry'"));
    /* Any other failure of a write is not tried again. */
    b.calls = 0;
    args[2] = NULL;
    test_db_exec(&db, "CREATE TRIGGER no_lease BEFORE UPDATE ON cmcas_job"
                      " BEGIN SELECT RAISE(ABORT, 'refused'); END");
    test_db_reconnect(&db);
    db.st.recover = test_reconnect_recover;
    db.st.recover_baton = &b;
    args[2] = "expiry";
    ck_assert_int_eq(APR_EGENERAL, cmcas_store_exec(&n, &db.st, test_pool,
                                                    "cmcas_job_claim", &err, 5, args));
    ck_assert_int_eq(0, b.calls);
    db.st.recover = NULL;
}
END_TEST

/* A new connection's busy timeout as SQLite reports it. */
static int test_reconnect_busy_timeout(sqlite3 *c)
{
    sqlite3_stmt *st = NULL;
    int ms = -1;

    ck_assert_int_eq(SQLITE_OK, sqlite3_prepare_v2(c, "PRAGMA busy_timeout", -1, &st, NULL));
    ck_assert_int_eq(SQLITE_ROW, sqlite3_step(st));
    ms = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return ms;
}

/* How long a new connection's first prepare took to give up on another's lock. */
static apr_interval_time_t test_reconnect_locked_prepare(void)
{
    sqlite3 *c = NULL;
    sqlite3_stmt *st = NULL;
    apr_time_t t0;

    ck_assert_int_eq(SQLITE_OK, sqlite3_open(db.path, &c));
    t0 = apr_time_now();
    ck_assert_int_eq(SQLITE_BUSY, sqlite3_prepare_v2(c, "SELECT count(*) FROM activity",
                                                     -1, &st, NULL));
    t0 = apr_time_now() - t0;
    sqlite3_close(c);
    return t0;
}

START_TEST(test_reconnect_new_connections_wait)
{
    apr_pool_t *conf;
    sqlite3 *c, *locker;

    ck_assert_int_eq(SQLITE_OK, sqlite3_open(":memory:", &c));
    ck_assert_int_eq(0, test_reconnect_busy_timeout(c));
    sqlite3_close(c);

    apr_pool_create(&conf, test_pool);
    ck_assert_int_eq(APR_SUCCESS, cmcas_sqlite_wait_install(conf, 300));
    ck_assert_int_eq(APR_SUCCESS, cmcas_sqlite_wait_install(conf, 300));   /* again */
    ck_assert_int_eq(SQLITE_OK, sqlite3_open(":memory:", &c));
    ck_assert_int_eq(300, test_reconnect_busy_timeout(c));
    sqlite3_close(c);

    /* Another connection holds the file (a schema change, a closing checkpoint): the
     * first prepare, where mod_dbd's statements are made, waits for it. */
    ck_assert_int_eq(SQLITE_OK, sqlite3_open(db.path, &locker));
    ck_assert_int_eq(SQLITE_OK, sqlite3_exec(locker, "PRAGMA journal_mode = DELETE; "
                                             "BEGIN EXCLUSIVE", NULL, NULL, NULL));
    ck_assert_int_ge(test_reconnect_locked_prepare(), apr_time_from_msec(250));

    /* The module's configuration pool cleared (a restart): SQLite forgets it. */
    apr_pool_destroy(conf);
    ck_assert_int_lt(test_reconnect_locked_prepare(), apr_time_from_msec(100));
    sqlite3_exec(locker, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(locker);
    ck_assert_int_eq(SQLITE_OK, sqlite3_open(":memory:", &c));
    ck_assert_int_eq(0, test_reconnect_busy_timeout(c));
    sqlite3_close(c);
}
END_TEST

/* apr-util's SQLite driver tries a busy statement 16 times: the module divides the
 * connection's busy timeout among them. */
START_TEST(test_reconnect_busy_timeout_spread)
{
    sqlite3 *c;

    ck_assert_int_eq(SQLITE_OK, sqlite3_open(":memory:", &c));
    ck_assert_int_eq(0, cmcas_sqlite_wait_spread(c, 16));          /* none: left so */
    ck_assert_int_eq(0, test_reconnect_busy_timeout(c));
    sqlite3_busy_timeout(c, 5000);
    ck_assert_int_eq(312, cmcas_sqlite_wait_spread(c, 16));
    ck_assert_int_eq(312, test_reconnect_busy_timeout(c));
    sqlite3_busy_timeout(c, 5);
    ck_assert_int_eq(1, cmcas_sqlite_wait_spread(c, 16));            /* never 0 */
    ck_assert_int_eq(1, test_reconnect_busy_timeout(c));
    sqlite3_close(c);
}
END_TEST

Suite *test_reconnect_suite(void)
{
    Suite *s = suite_create("reconnect");
    TCase *tc = tcase_create("sqlite");

    tcase_add_checked_fixture(tc, test_reconnect_setup, test_reconnect_teardown);
    tcase_add_test(tc, test_reconnect_classifies);
    tcase_add_test(tc, test_reconnect_sqlite_due);
    tcase_add_test(tc, test_reconnect_schema_change_prepared_again);
    tcase_add_test(tc, test_reconnect_prepared_again_before_any_failure);
    tcase_add_test(tc, test_reconnect_failure_keeps_going);
    tcase_add_test(tc, test_reconnect_store_reads_again_once);
    tcase_add_test(tc, test_reconnect_store_writes_again_after_a_schema_change);
    tcase_add_test(tc, test_reconnect_new_connections_wait);
    tcase_add_test(tc, test_reconnect_busy_timeout_spread);
    suite_add_tcase(s, tc);
    return s;
}
