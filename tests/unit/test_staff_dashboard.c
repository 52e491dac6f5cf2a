/* The back-office dashboard's filters against a real SQLite database (no httpd): each
 * counter's list shows what its number counts (the same rules), whatever the
 * activities' states; the ?activites values. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_staff_dashboard.h"
#include "../../mod_cmcas/cmcas_staff_store.h"

static test_db_t db;
static const char *today = "2027-06-05";

/* BN's activities in every state of a « tour de rôle » (2: published, closed, not
 * drawn; 10: not published, closed; 11: drawn, not published; 12: published; 13:
 * open), and registrations to pay on activity 1 (validated) and 11 (selected). */
static void test_staff_dashboard_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
    test_db_exec(&db,
        "INSERT INTO activity (id, cmcas_code, theme, title, start_date, end_date,"
        " closing_date, capacity, published_at, open_to_others, mode, draw_done_at,"
        " draw_published_at) VALUES"
        " (10, 'BN', 'SPORT', 'Cachée', '2027-07-01', '2027-07-01', '2027-06-01', 5, NULL,"
        "  0, 'tour_de_role', NULL, NULL),"
        " (11, 'BN', 'SPORT', 'Tirée', '2027-07-01', '2027-07-01', '2027-06-01', 5,"
        "  '2026-01-01', 0, 'tour_de_role', '2027-06-02T00:00:00Z', NULL),"
        " (12, 'BN', 'SPORT', 'Publiée', '2027-07-01', '2027-07-01', '2027-06-01', 5,"
        "  '2026-01-01', 0, 'tour_de_role', '2027-06-02T00:00:00Z', '2027-06-02T00:00:00Z'),"
        " (13, 'BN', 'SPORT', 'Ouverte', '2027-07-01', '2027-07-01', '2027-06-30', 5,"
        "  '2026-01-01', 0, 'tour_de_role', NULL, NULL),"
        " (14, 'TO', 'SPORT', 'Touraine', '2027-07-01', '2027-07-01', '2027-06-01', 5,"
        "  '2026-01-01', 0, 'tour_de_role', NULL, NULL);"
        "INSERT INTO registration (id, activity_id, household_id, status, observations,"
        " places_held, created_at, updated_at, selection) VALUES"
        " (40, 1, 1, 'validee', '', 1, 'x', 'x', NULL),"
        " (41, 1, 2, 'validee', '', 1, 'x', 'x', NULL),"
        " (42, 11, 1, 'validee', '', 0, 'x', 'x', 'retenue'),"
        " (43, 11, 2, 'validee', '', 0, 'x', 'x', 'attente'),"
        " (44, 14, 3, 'validee', '', 0, 'x', 'x', NULL);");
}

static void test_staff_dashboard_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

/* The activities listed under the filter: their ids ("1,11") and the registrations to
 * pay they hold. */
static const char *test_staff_dashboard_listed(cmcas_staff_dashboard_filter_t f,
                                               apr_int64_t *pto_pay)
{
    apr_array_header_t *acts = NULL;
    const char *err = NULL, *ids = "";
    int i;

    ck_assert_int_eq(cmcas_staff_store_activities(&acts, &db.st, test_pool, "BN", &err),
                     APR_SUCCESS);
    *pto_pay = 0;
    for (i = 0; i < acts->nelts; i++) {
        const cmcas_staff_store_activity_t *a =
            &APR_ARRAY_IDX(acts, i, cmcas_staff_store_activity_t);
        if (cmcas_staff_dashboard_matches(a, today, f)) {
            ids = apr_psprintf(test_pool, "%s%s%" APR_INT64_T_FMT, ids, *ids ? "," : "",
                               a->id);
            *pto_pay += a->awaiting_payment;
        }
    }
    return ids;
}

START_TEST(test_staff_dashboard_each_counter_is_what_its_list_shows)
{
    cmcas_staff_store_counts_t counts;
    const char *err = NULL, *ids;
    apr_int64_t to_pay;

    ck_assert_int_eq(cmcas_staff_store_counts(&counts, &db.st, test_pool, "BN", today,
                                              &err), APR_SUCCESS);
    ck_assert_int_eq(counts.awaiting_payment, 3);
    test_staff_dashboard_listed(CMCAS_STAFF_DASHBOARD_TO_PAY, &to_pay);
    ck_assert_int_eq(to_pay, counts.awaiting_payment);

    ids = test_staff_dashboard_listed(CMCAS_STAFF_DASHBOARD_DRAW_TO_RUN, &to_pay);
    ck_assert_int_eq(counts.draws_to_run, 1);
    ck_assert_str_eq(ids, "2");         /* not 10 (hidden: the job leaves it), nor 14 */
    ids = test_staff_dashboard_listed(CMCAS_STAFF_DASHBOARD_DRAW_TO_PUBLISH, &to_pay);
    ck_assert_int_eq(counts.draws_to_publish, 1);
    ck_assert_str_eq(ids, "11");
    ids = test_staff_dashboard_listed(CMCAS_STAFF_DASHBOARD_ALL, &to_pay);
    ck_assert_str_eq(ids, "13,12,11,10,2,1");
    ck_assert_int_eq(to_pay, 3);
}
END_TEST

START_TEST(test_staff_dashboard_draw_states)
{
    cmcas_staff_store_activity_t a;

    memset(&a, 0, sizeof(a));
    a.mode = "immediat";
    a.closing_date = "2027-06-01";
    a.published_at = "2026-01-01";
    ck_assert_ptr_null(cmcas_staff_dashboard_draw(&a, today));
    ck_assert(cmcas_staff_dashboard_matches(&a, today, CMCAS_STAFF_DASHBOARD_ALL));
    ck_assert(!cmcas_staff_dashboard_matches(&a, today, CMCAS_STAFF_DASHBOARD_DRAW_TO_RUN));
    a.mode = "tour_de_role";
    ck_assert_str_eq(cmcas_staff_dashboard_draw(&a, today), "a-faire");
    ck_assert_str_eq(cmcas_staff_dashboard_draw(&a, "2027-06-01"), "en-attente");
    a.published_at = NULL;
    ck_assert_str_eq(cmcas_staff_dashboard_draw(&a, today), "en-attente");
    a.draw_done_at = "x";
    ck_assert_str_eq(cmcas_staff_dashboard_draw(&a, today), "fait");
    a.draw_published_at = "x";
    ck_assert_str_eq(cmcas_staff_dashboard_draw(&a, today), "publie");
    ck_assert(!cmcas_staff_dashboard_matches(&a, today, CMCAS_STAFF_DASHBOARD_TO_PAY));
    a.awaiting_payment = 1;
    ck_assert(cmcas_staff_dashboard_matches(&a, today, CMCAS_STAFF_DASHBOARD_TO_PAY));
}
END_TEST

START_TEST(test_staff_dashboard_filter_values)
{
    int f;

    ck_assert_int_eq(cmcas_staff_dashboard_filter_parse(NULL), CMCAS_STAFF_DASHBOARD_ALL);
    ck_assert_int_eq(cmcas_staff_dashboard_filter_parse(""), CMCAS_STAFF_DASHBOARD_ALL);
    ck_assert_int_eq(cmcas_staff_dashboard_filter_parse("a-payer"),
                     CMCAS_STAFF_DASHBOARD_TO_PAY);
    ck_assert_int_eq(cmcas_staff_dashboard_filter_parse("tirage-a-effectuer"),
                     CMCAS_STAFF_DASHBOARD_DRAW_TO_RUN);
    ck_assert_int_eq(cmcas_staff_dashboard_filter_parse("tirage-a-publier"),
                     CMCAS_STAFF_DASHBOARD_DRAW_TO_PUBLISH);
    ck_assert_int_eq(cmcas_staff_dashboard_filter_parse("A-PAYER"), -1);
    ck_assert_int_eq(cmcas_staff_dashboard_filter_parse("toutes"), -1);
    for (f = 0; f < CMCAS_STAFF_DASHBOARD_FILTER_COUNT; f++) {
        ck_assert_int_eq(cmcas_staff_dashboard_filter_parse(
                             cmcas_staff_dashboard_filter_code(f)), f);
        ck_assert(*cmcas_staff_dashboard_filter_label(f));
    }
}
END_TEST

Suite *test_staff_dashboard_suite(void)
{
    Suite *s = suite_create("staff_dashboard");
    TCase *tc = tcase_create("staff_dashboard");

    tcase_add_checked_fixture(tc, test_staff_dashboard_setup, test_staff_dashboard_teardown);
    tcase_add_test(tc, test_staff_dashboard_each_counter_is_what_its_list_shows);
    tcase_add_test(tc, test_staff_dashboard_draw_states);
    tcase_add_test(tc, test_staff_dashboard_filter_values);
    suite_add_tcase(s, tc);
    return s;
}
