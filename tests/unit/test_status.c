/* The operators' status page (issue 14): the error count by minute, the database report
 * against a real SQLite database, and the page's ?auto lines. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_error_count.h"
#include "../../mod_cmcas/cmcas_status_page.h"
#include "../../mod_cmcas/cmcas_status_store.h"

START_TEST(test_status_error_count)
{
    cmcas_error_count_t ec;
    apr_time_t t0 = apr_time_from_sec(1809165600);     /* a minute's start */
    int i;

    memset(&ec, 0, sizeof(ec));
    ck_assert_uint_eq(cmcas_error_count_hour(&ec, t0), 0);
    cmcas_error_count_add(&ec, t0, 12);
    cmcas_error_count_add(&ec, t0 + apr_time_from_sec(59), 88);
    cmcas_error_count_add(&ec, t0 + apr_time_from_sec(30 * 60), 0);
    ck_assert_uint_eq(cmcas_error_count_hour(&ec, t0 + apr_time_from_sec(30 * 60)), 3);
    /* 59 minutes later the first minute still counts; at 60 it has left the hour. */
    ck_assert_uint_eq(cmcas_error_count_hour(&ec, t0 + apr_time_from_sec(59 * 60)), 3);
    ck_assert_uint_eq(cmcas_error_count_hour(&ec, t0 + apr_time_from_sec(60 * 60)), 1);
    /* Its slot reused an hour later starts again from zero. */
    cmcas_error_count_add(&ec, t0 + apr_time_from_sec(60 * 60), 11);
    ck_assert_uint_eq(cmcas_error_count_hour(&ec, t0 + apr_time_from_sec(60 * 60)), 2);
    ck_assert_uint_eq(cmcas_error_count_hour(&ec, t0 + apr_time_from_sec(3 * 3600)), 0);
    /* A clock gone back counts nothing from the future. */
    ck_assert_uint_eq(cmcas_error_count_hour(&ec, t0 - apr_time_from_sec(3600)), 0);
    /* The recent tags: the last 8 kept. */
    for (i = 0; i < 10; i++) {
        cmcas_error_count_add(&ec, t0 + apr_time_from_sec(7200 + i), (apr_uint32_t)(100 + i));
    }
    for (i = 0; i < CMCAS_ERROR_COUNT_RECENT; i++) {
        ck_assert_uint_ge(ec.recent_tag[i], 102);
    }
    ck_assert_uint_eq(cmcas_error_count_tag("CMCAS12: database error"), 12);
    ck_assert_uint_eq(cmcas_error_count_tag("CMCAS230: back"), 230);
    ck_assert_uint_eq(cmcas_error_count_tag("CMCAS: x"), 0);
    ck_assert_uint_eq(cmcas_error_count_tag("CMCAS12 x"), 0);
    ck_assert_uint_eq(cmcas_error_count_tag("AH00001: x"), 0);
    ck_assert_uint_eq(cmcas_error_count_tag(NULL), 0);
}
END_TEST

static const cmcas_status_store_cmcas_t *test_status_cmcas(
    const cmcas_status_store_report_t *rep, const char *code)
{
    int i;
    for (i = 0; i < rep->cmcas->nelts; i++) {
        const cmcas_status_store_cmcas_t *c =
            &APR_ARRAY_IDX(rep->cmcas, i, cmcas_status_store_cmcas_t);
        if (!strcmp(c->code, code)) {
            return c;
        }
    }
    ck_abort_msg("no CMCAS %s", code);
    return NULL;
}

/* hold_until, created_at, updated_at of the orders */
#define T ", '2027-04-27T10:00:00Z', '2027-04-20T10:00:00Z', '2027-04-20T10:00:00Z'"

static void test_status_rows(test_db_t *db)
{
    static const char *const orders[] = {
        "(1, 'AAAAAAAAA', 1, 1, 'BN', 3000, 'cmcas', 'attente_cmcas', NULL" T ")",
        "(2, 'BBBBBBBBB', 1, 1, 'BN', 3000, 'paybox', 'a_rembourser', NULL" T ")",
        "(3, 'CCCCCCCCC', 1, 1, 'BN', 3000, 'paybox', 'a_rembourser', '2027-04-22'" T ")",
        "(4, 'DDDDDDDDD', 1, 1, 'BN', 3000, 'paybox', 'annulee', NULL" T ")",
    };
    int i;

    test_db_exec(db, "INSERT INTO registration (id, activity_id, household_id, status,"
                     " places_held, created_at, updated_at) VALUES (1, 1, 1, 'validee', 1,"
                     " '2027-04-20T10:00:00Z', '2027-04-20T10:00:00Z')");
    for (i = 0; i < 4; i++) {
        test_db_exec(db, apr_pstrcat(db->pool, "INSERT INTO cmcas_order (id, reference,"
                     " registration_id, household_id, cmcas_code, total, method, status,"
                     " refunded_at, hold_until, created_at, updated_at) VALUES ",
                     orders[i], NULL));
    }
    test_db_exec(db, "INSERT INTO cmcas_order_event (order_id, at, actor, status, event)"
                     " VALUES (2, '2027-04-21T09:00:00Z', 'paybox', 'payee', 'paid'),"
                     " (3, '2027-04-21T11:00:00Z', 'paybox', 'payee', 'paid'),"
                     " (3, '2027-04-22T11:00:00Z', 'x', 'a_rembourser', 'refund')");
    test_db_exec(db, "INSERT INTO cmcas_outbox (event_key, kind, household_id, created_at,"
                     " sent_at, last_error) VALUES"
                     " ('a', 'validated', 1, '2027-04-20', NULL, NULL),"
                     " ('b', 'validated', 1, '2027-04-20', NULL, 'exit 75'),"
                     " ('c', 'validated', 1, '2027-04-20', '2027-04-20', NULL),"
                     " ('d', 'validated', 3, '2027-04-20', NULL, 'exit 1')");
    /* Activity 2 (BN, tour de rôle): closed and not drawn, then one drawn. */
    test_db_exec(db, "UPDATE activity SET closing_date = '2027-04-01',"
                     " published_at = '2027-01-01' WHERE id = 2");
    test_db_exec(db, "UPDATE activity SET mode = 'tour_de_role',"
                     " draw_done_at = '2027-04-02T06:00:00Z' WHERE id = 3");
}

START_TEST(test_status_store_report)
{
    test_db_t db;
    cmcas_status_store_report_t rep;
    const cmcas_status_store_cmcas_t *bn, *to;
    const char *err = NULL, *text;
    cmcas_status_page_t sp;

    test_db_open(&db, test_pool);
    test_status_rows(&db);
    ck_assert_int_eq(cmcas_status_store_read(&rep, &db.st, test_pool, "2027-05-01", &err),
                     APR_SUCCESS);
    ck_assert_int_eq(rep.schema_version,
                     test_db_int(&db, "SELECT MAX(version) FROM cmcas_schema_version"));
    ck_assert_int_ge(rep.jobs->nelts, 2);
    bn = test_status_cmcas(&rep, "BN");
    to = test_status_cmcas(&rep, "TO");
    ck_assert_int_eq(bn->desk_orders, 1);
    ck_assert_int_eq(bn->refunds_due, 1);       /* order 3 was refunded */
    ck_assert_int_eq(bn->draws_due, 1);
    ck_assert_int_eq(bn->outbox_unsent, 2);
    ck_assert_int_eq(bn->outbox_failed, 1);
    ck_assert_ptr_null(bn->last_draw);
    ck_assert_str_eq(bn->last_payment, "2027-04-21T11:00:00Z");
    ck_assert_int_eq(to->desk_orders, 0);
    ck_assert_int_eq(to->outbox_unsent, 1);
    ck_assert_int_eq(to->outbox_failed, 1);
    ck_assert_str_eq(to->last_draw, "2027-04-02T06:00:00Z");
    ck_assert_ptr_null(to->last_payment);

    /* What a draw decided, for the draw job's debug line. */
    {
        int counts[3];
        test_db_exec(&db, "UPDATE registration SET selection = 'attente' WHERE id = 1");
        ck_assert_int_eq(cmcas_status_store_draw_counts(counts, &db.st, test_pool, 1, &err),
                         APR_SUCCESS);
        ck_assert_int_eq(counts[0], 0);
        ck_assert_int_eq(counts[1], 1);
        ck_assert_int_eq(counts[2], 0);
    }

    memset(&sp, 0, sizeof(sp));
    sp.version = "1.2";
    sp.engine = "sqlite3";
    sp.reachable = 1;
    sp.rep = &rep;
    sp.now = apr_time_from_sec(1809165600);
    text = cmcas_status_page_auto(test_pool, &sp);
    ck_assert_ptr_nonnull(strstr(text, "Version: 1.2\nDatabaseEngine: sqlite3\n"
                                       "DatabaseReachable: yes\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nDeskOrders: 1\nRefundsDue: 1\nDrawsDue: 1\n"
                                       "OutboxUnsent: 3\nOutboxFailed: 2\n"
                                       "LastDraw: 2027-04-02T06:00:00Z\n"
                                       "LastPayment: 2027-04-21T11:00:00Z\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nCMCAS.TO.LastPayment: never\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nJob.expiry.Running: no\n"));
    ck_assert_ptr_null(strstr(text, "ErrorsLastHour"));
    text = cmcas_status_page_html(test_pool, &sp);
    ck_assert_ptr_nonnull(strstr(text, "<th>BN</th><td>1</td><td>1</td><td>1</td>"
                                       "<td>2</td><td>1</td><td>jamais</td>"));
    test_db_close(&db);
}
END_TEST

START_TEST(test_status_page_unreachable)
{
    cmcas_status_page_t sp;
    cmcas_error_count_t ec;
    const char *text;

    memset(&ec, 0, sizeof(ec));
    memset(&sp, 0, sizeof(sp));
    sp.version = "1.2";
    sp.db_error = "could not connect:\n<refused>";
    sp.errors = &ec;
    sp.now = apr_time_from_sec(1809165600);
    cmcas_error_count_add(&ec, sp.now, 88);
    text = cmcas_status_page_auto(test_pool, &sp);
    ck_assert_str_eq(text, "Version: 1.2\nDatabaseEngine: unknown\nDatabaseReachable: no\n"
                           "DatabaseError: could not connect: <refused>\n"
                           "ErrorsLastHour: 1\n");
    text = cmcas_status_page_html(test_pool, &sp);
    ck_assert_ptr_nonnull(strstr(text, "<strong>injoignable</strong>"));
    ck_assert_ptr_nonnull(strstr(text, "&lt;refused&gt;"));
    ck_assert_ptr_nonnull(strstr(text, "UTC : CMCAS88</li>"));
    ck_assert_ptr_null(strstr(text, "<table"));
}
END_TEST

Suite *test_status_suite(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_status_error_count);
    tcase_add_test(tc, test_status_store_report);
    tcase_add_test(tc, test_status_page_unreachable);
    suite_add_tcase(s, tc);
    return s;
}
