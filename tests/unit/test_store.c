/* Reading rows: SQL NULL is NULL (or the caller's default) and an empty text is "", on
 * every engine (PostgreSQL's driver returns NULL as ""; issue 9). */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_catalog_store.h"
#include "../../mod_cmcas/cmcas_job_store.h"

static test_db_t db;

static void test_store_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
}

static void test_store_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

START_TEST(test_store_null_and_empty)
{
    cmcas_activity_t *a = NULL;
    apr_array_header_t *opts = NULL;
    const char *err = NULL;

    test_db_exec(&db, "UPDATE activity SET image = NULL, description = '', place = '',"
                      " max_guests = NULL, min_age = NULL, max_age = 0 WHERE id = 1");
    ck_assert_int_eq(APR_SUCCESS, cmcas_catalog_store_activity(&a, &db.st, test_pool, 1,
                                                               &err));
    ck_assert_ptr_null(a->image);
    ck_assert_ptr_nonnull(a->description);
    ck_assert_str_eq("", a->description);
    ck_assert_str_eq("", a->place);
    ck_assert_int_eq(-1, a->max_guests);
    ck_assert_int_eq(-1, a->min_age);
    ck_assert_int_eq(0, a->max_age);            /* 0 is an age, not "no limit" */
    test_db_exec(&db, "UPDATE activity_option SET min_age = NULL, max_age = 11 WHERE id = 2");
    ck_assert_int_eq(APR_SUCCESS, cmcas_catalog_store_options(&opts, &db.st, test_pool, 1,
                                                              &err));
    ck_assert_int_eq(2, opts->nelts);
    ck_assert_int_eq(-1, APR_ARRAY_IDX(opts, 1, cmcas_activity_option_t).min_age);
    ck_assert_int_eq(11, APR_ARRAY_IDX(opts, 1, cmcas_activity_option_t).max_age);
}
END_TEST

/* The lease of a background job: one holder at a time, renewed by its holder, taken over
 * only when it has run out (several servers on one database; issue 9). */
START_TEST(test_store_job_lease)
{
    const char *err = NULL, *owner = NULL;
    apr_int64_t until = 0;
    int mine = -1;

    ck_assert_int_eq(APR_SUCCESS, cmcas_job_store_holder(&owner, &until, &db.st, test_pool,
                                                         "expiry", &err));
    ck_assert_str_eq("", owner);
    ck_assert_int_eq(0, until);
    /* The first server takes it (an empty lease has run out). */
    ck_assert_int_eq(APR_SUCCESS, cmcas_job_store_claim(&mine, &db.st, test_pool, "expiry",
                                                        "a:/srv", 1000, 30, &err));
    ck_assert_int_eq(1, mine);
    /* The second does not while it runs, even at its last second. */
    ck_assert_int_eq(APR_SUCCESS, cmcas_job_store_claim(&mine, &db.st, test_pool, "expiry",
                                                        "b:/srv", 1030, 30, &err));
    ck_assert_int_eq(0, mine);
    ck_assert_int_eq(APR_SUCCESS, cmcas_job_store_holder(&owner, &until, &db.st, test_pool,
                                                         "expiry", &err));
    ck_assert_str_eq("a:/srv", owner);
    ck_assert_int_eq(1030, until);
    /* The holder renews it before the end. */
    ck_assert_int_eq(APR_SUCCESS, cmcas_job_store_claim(&mine, &db.st, test_pool, "expiry",
                                                        "a:/srv", 1020, 30, &err));
    ck_assert_int_eq(1, mine);
    ck_assert_int_eq(1050, test_db_int(&db, "SELECT lease_until FROM cmcas_job WHERE name = 'expiry'"));
    /* Not renewed: the other server takes over, and the first one then waits. */
    ck_assert_int_eq(APR_SUCCESS, cmcas_job_store_claim(&mine, &db.st, test_pool, "expiry",
                                                        "b:/srv", 1051, 30, &err));
    ck_assert_int_eq(1, mine);
    ck_assert_int_eq(APR_SUCCESS, cmcas_job_store_claim(&mine, &db.st, test_pool, "expiry",
                                                        "a:/srv", 1052, 30, &err));
    ck_assert_int_eq(0, mine);
    ck_assert_str_eq("b:/srv", test_db_str(&db, "SELECT owner FROM cmcas_job WHERE name = 'expiry'"));
    /* A job the schema does not have is nobody's. */
    ck_assert_int_eq(APR_SUCCESS, cmcas_job_store_claim(&mine, &db.st, test_pool, "draw",
                                                        "a:/srv", 1052, 30, &err));
    ck_assert_int_eq(0, mine);
    ck_assert_int_eq(APR_SUCCESS, cmcas_job_store_holder(&owner, &until, &db.st, test_pool,
                                                         "draw", &err));
    ck_assert_ptr_null(owner);
}
END_TEST

/* The plan SQLite makes for statement `label` (every %lld and %d given 1): the "detail"
 * column of EXPLAIN QUERY PLAN's rows, joined. */
static const char *test_store_plan(const char *label)
{
    const cmcas_store_stmt_t *const *list;
    const cmcas_store_stmt_t *stmt;
    const char *sql = NULL, *plan = "";
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    char *q;

    for (list = cmcas_store_registry; *list && !sql; list++) {
        for (stmt = *list; stmt->label && !sql; stmt++) {
            if (!strcmp(stmt->label, label)) {
                sql = stmt->sql;
            }
        }
    }
    ck_assert_ptr_nonnull(sql);
    q = apr_pstrcat(test_pool, "EXPLAIN QUERY PLAN ", sql, NULL);
    while (strstr(q, "%lld") || strstr(q, "%d")) {
        char *at = strstr(q, "%lld") ? strstr(q, "%lld") : strstr(q, "%d");
        q = apr_pstrcat(test_pool, apr_pstrndup(test_pool, q, at - q), "1",
                        at + (at[1] == 'l' ? 4 : 2), NULL);
    }
    ck_assert_int_eq(0, apr_dbd_select(db.st.driver, test_pool, db.st.handle, &res, q, 0));
    while (!apr_dbd_get_row(db.st.driver, test_pool, res, &row, -1)) {
        plan = apr_pstrcat(test_pool, plan, apr_dbd_get_entry(db.st.driver, row, 3), "; ",
                           NULL);
    }
    return plan;
}

/* A registration's orders are found by an index, never by reading every order: these
 * run on each bank notification and payment page (schema 10). */
START_TEST(test_store_orders_of_a_registration_use_an_index)
{
    const char *labels[] = {"cmcas_ord_holding", "cmcas_ord_waiting", NULL};
    int i;

    for (i = 0; labels[i]; i++) {
        const char *plan = test_store_plan(labels[i]);
        ck_assert_msg(strstr(plan, "USING INDEX cmcas_order_registration")
                      || strstr(plan, "USING INDEX cmcas_order_one_waiting"),
                      "%s: %s", labels[i], plan);
        ck_assert_msg(!strstr(plan, "SCAN o;") && !strstr(plan, "SCAN cmcas_order;"),
                      "%s reads every order: %s", labels[i], plan);
    }
}
END_TEST

Suite *test_store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("rows");

    tcase_add_checked_fixture(tc, test_store_setup, test_store_teardown);
    tcase_add_test(tc, test_store_null_and_empty);
    tcase_add_test(tc, test_store_job_lease);
    tcase_add_test(tc, test_store_orders_of_a_registration_use_an_index);
    suite_add_tcase(s, tc);
    return s;
}
