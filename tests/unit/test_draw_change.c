/* The « tour de rôle » flows against a real SQLite database (no httpd): the draw and its
 * publication in one transaction, nothing of a failed draw kept, a second claim finding
 * it done, a rerun undoing an unpublished draw, promotions with skip-ahead, the release
 * of an unpaid selected request, « Je renonce », and the labels members read. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_draw_change.h"
#include "../../mod_cmcas/cmcas_registration.h"

static test_db_t db;
static apr_time_t now;      /* 2027-06-02 10:00 UTC: the day after activity 2's closing */
static const cmcas_draw_change_rules_t rules = {24, 7, NULL};

#define Q(...) apr_psprintf(test_pool, __VA_ARGS__)

/* Household `h` (BN) with `n` persons and a validated request for activity 2. */
static void test_draw_change_request(int h, int n)
{
    int i;

    test_db_exec(&db, Q("INSERT INTO household (id, cmcas_code, login, password, email)"
                        " VALUES (%d, 'BN', 'h%d', 'x', 'h%d@example.org')", h, h, h));
    for (i = 0; i < n; i++) {
        test_db_exec(&db, Q("INSERT INTO person (id, household_id, role, last_name,"
                            " first_name, birth_date) VALUES (%d, %d, '%s', 'NOM%d',"
                            " 'P%d', '1980-01-01')", h * 10 + i, h, i ? "AD" : "OD", h, i));
    }
    test_db_exec(&db, Q("INSERT INTO registration (id, activity_id, household_id, status,"
                        " created_at, updated_at) VALUES (%d, 2, %d, 'validee',"
                        " '2027-05-01T10:00:00Z', '2027-05-01T10:00:00Z')", h, h));
    for (i = 0; i < n; i++) {
        test_db_exec(&db, Q("INSERT INTO registration_person (id, registration_id,"
                            " person_id, confirmed) VALUES (%d, %d, %d, 1)",
                            h * 10 + i, h, h * 10 + i));
        test_db_exec(&db, Q("INSERT INTO registration_option (registration_person_id,"
                            " option_id) VALUES (%d, 3)", h * 10 + i));
    }
}

static void test_draw_change_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
    now = apr_time_from_sec(1811930400);    /* 2027-06-02T10:00:00Z */
    /* 5 places; requests of 2, 1, 3, 2 and 1 persons: 9 asked. */
    test_db_exec(&db, "UPDATE activity SET capacity = 5 WHERE id = 2");
    test_draw_change_request(11, 2);
    test_draw_change_request(12, 1);
    test_draw_change_request(13, 3);
    test_draw_change_request(14, 2);
    test_draw_change_request(15, 1);
}

static void test_draw_change_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

static apr_int64_t test_draw_change_int(const char *sql)
{
    return test_db_int(&db, sql);
}

/* The draw's invariants: the places taken are those the selected requests hold, each
 * request got a rank, the ranks are 1..n. */
static void test_draw_change_consistent(void)
{
    ck_assert_int_eq(test_draw_change_int("SELECT places_taken FROM activity WHERE id = 2"),
                     test_draw_change_int("SELECT COALESCE(SUM(places_held), 0) FROM"
                                          " registration WHERE activity_id = 2"
                                          " AND status = 'validee'"));
    ck_assert_int_le(test_draw_change_int("SELECT places_taken FROM activity WHERE id = 2"),
                     5);
}

START_TEST(test_draw_change_run_and_publish)
{
    cmcas_result_t res;
    int drawn = 0;

    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "tirage", 2, &rules, 1, 0);
    ck_assert_msg(res.kind == CMCAS_RESULT_DONE, "%s", res.err ? res.err : "");
    ck_assert_int_eq(drawn, 1);
    test_draw_change_consistent();
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration WHERE"
                                          " activity_id = 2 AND draw_rank IS NOT NULL"), 5);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(DISTINCT draw_rank) FROM registration"
                                          " WHERE activity_id = 2 AND draw_rank BETWEEN 1"
                                          " AND 5"), 5);
    /* No history nor coefficient: the seed orders them all; 5 places are given to
     * whole households only. */
    ck_assert_int_ge(test_draw_change_int("SELECT places_taken FROM activity WHERE id = 2"),
                     4);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration WHERE"
                                          " selection = 'retenue' AND (pay_by IS NULL OR"
                                          " pay_by <> '2027-06-09')"), 0);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration WHERE"
                                          " selection = 'attente'")
                     + test_draw_change_int("SELECT COUNT(*) FROM registration WHERE"
                                            " selection = 'retenue'"), 5);
    ck_assert_ptr_nonnull(test_db_str(&db, "SELECT draw_published_at FROM activity"
                                           " WHERE id = 2"));
    /* Each request's history says its result, and each household gets its message in
     * the same transaction: selected ones with their pay-by date, waiting ones with
     * their position. */
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration_event WHERE"
                                          " event LIKE 'Sélection : %'"), 5);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM cmcas_outbox WHERE"
                                          " kind = 'selected' AND detail = '2027-06-09'"),
                     test_draw_change_int("SELECT COUNT(*) FROM registration WHERE"
                                          " selection = 'retenue'"));
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM cmcas_outbox WHERE"
                                          " kind = 'waiting' AND detail = '1'"), 1);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM cmcas_outbox"), 5);
    /* A second server's claim finds it done. */
    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "tirage", 2, &rules, 1, 0);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_CONFLICT);
    ck_assert_int_eq(drawn, 0);
    /* Published: no rerun either. */
    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "tirage", 2, &rules, 1, 1);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_CONFLICT);
    test_draw_change_consistent();
}
END_TEST

START_TEST(test_draw_change_history_first)
{
    cmcas_result_t res;
    int drawn = 0;

    /* Households 11 and 13 obtained a « tour de rôle » activity of BN last year (paid):
     * the three others come first. */
    test_db_exec(&db, "INSERT INTO activity (id, cmcas_code, theme, title, start_date,"
                      " end_date, closing_date, capacity, published_at, mode) VALUES"
                      " (9, 'BN', 'SPORT', 'Ski', '2026-12-01', '2026-12-05', '2026-11-01',"
                      "  10, '2026-01-01', 'tour_de_role')");
    test_db_exec(&db, "INSERT INTO registration (activity_id, household_id, status,"
                      " created_at, updated_at) VALUES (9, 11, 'payee', 'x', 'x'),"
                      " (9, 13, 'payee', 'x', 'x')");
    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "tirage", 2, &rules, 1, 0);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(test_draw_change_int("SELECT MAX(draw_rank) FROM registration WHERE"
                                          " household_id IN (12, 14, 15)"), 3);
    ck_assert_int_gt(test_draw_change_int("SELECT MIN(draw_history * 100) FROM registration"
                                          " WHERE household_id IN (11, 13)"), 0);
    /* 12, 14, 15 (4 persons) selected; 11 (2) does not fit in the one place left, nor 13. */
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration WHERE"
                                          " selection = 'retenue' AND household_id IN"
                                          " (12, 14, 15)"), 3);
    ck_assert_int_eq(test_draw_change_int("SELECT places_taken FROM activity WHERE id = 2"),
                     4);
    test_draw_change_consistent();
}
END_TEST

START_TEST(test_draw_change_failure_keeps_nothing)
{
    cmcas_result_t res;
    int drawn = 1;

    /* The database refuses the third decision: the draw fails half-way. */
    test_db_exec(&db, "CREATE TRIGGER fail_third BEFORE UPDATE OF draw_rank ON registration"
                      " WHEN new.draw_rank = 3 BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    test_db_reconnect(&db);
    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "tirage", 2, &rules, 1, 0);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_ERROR);
    ck_assert_int_eq(drawn, 0);
    ck_assert_ptr_null(test_db_str(&db, "SELECT draw_done_at FROM activity WHERE id = 2"));
    ck_assert_int_eq(test_draw_change_int("SELECT places_taken FROM activity WHERE id = 2"), 0);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration WHERE"
                                          " selection IS NOT NULL OR draw_rank IS NOT NULL"
                                          " OR places_held <> 0"), 0);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration_event"), 0);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM cmcas_outbox"), 0);
    /* Repaired, the next run does all of it. */
    test_db_exec(&db, "DROP TRIGGER fail_third");
    test_db_reconnect(&db);
    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "tirage", 2, &rules, 1, 0);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration WHERE"
                                          " draw_rank IS NOT NULL"), 5);
    test_draw_change_consistent();
}
END_TEST

START_TEST(test_draw_change_rerun_unpublished)
{
    cmcas_result_t res;
    int drawn = 0, done = 0;
    const char *first;

    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "staff", 2, &rules, 0, 0);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_ptr_null(test_db_str(&db, "SELECT draw_published_at FROM activity"
                                        " WHERE id = 2"));
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration_event"), 0);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM cmcas_outbox"), 0);
    first = test_db_str(&db, "SELECT group_concat(household_id || ':' || selection, ',')"
                             " FROM (SELECT * FROM registration ORDER BY draw_rank)");
    /* Run again (same seed, same data): the same result, places not counted twice. */
    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "staff", 2, &rules, 0, 1);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_str_eq(first, test_db_str(&db, "SELECT group_concat(household_id || ':' ||"
                                             " selection, ',') FROM (SELECT * FROM"
                                             " registration ORDER BY draw_rank)"));
    test_draw_change_consistent();
    /* Another seed reorders them (they all tie on the criteria). */
    test_db_exec(&db, "UPDATE activity SET draw_seed = 'another' WHERE id = 2");
    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "staff", 2, &rules, 0, 1);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    test_draw_change_consistent();
    cmcas_draw_change_publish(&res, &done, &db.st, test_pool, now, "staff", 2, &rules);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(done, 1);
    cmcas_draw_change_publish(&res, &done, &db.st, test_pool, now, "staff", 2, &rules);
    ck_assert_int_eq(done, 0);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration_event"), 5);
}
END_TEST

/* Draws with a seed that makes 13 (3 persons) rank first, then renounces or releases. */
static void test_draw_change_drawn(void)
{
    cmcas_result_t res;
    int drawn = 0;

    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "tirage", 2, &rules, 1, 0);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
}

START_TEST(test_draw_change_renounce_promotes)
{
    cmcas_result_t res;
    apr_int64_t h, waiting_first;
    int promoted = 0;

    test_draw_change_drawn();
    h = test_draw_change_int("SELECT household_id FROM registration WHERE selection ="
                             " 'retenue' ORDER BY draw_rank LIMIT 1");
    waiting_first = test_draw_change_int("SELECT household_id FROM registration WHERE"
                                         " selection = 'attente' ORDER BY draw_rank LIMIT 1");
    cmcas_draw_change_renounce(&res, &db.st, test_pool, now, "member", 2, h);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_db_str(&db, Q("SELECT status || '/' || selection || '/' ||"
                                        " places_held FROM registration WHERE"
                                        " household_id = %" APR_INT64_T_FMT, h)),
                     "annulee/renonce/0");
    test_draw_change_consistent();
    /* Twice: nothing left to give up. */
    cmcas_draw_change_renounce(&res, &db.st, test_pool, now, "member", 2, h);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_CONFLICT);
    cmcas_draw_change_fill(&res, &promoted, &db.st, test_pool, now, 2, &rules);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    test_draw_change_consistent();
    /* Whoever fits in the places free now is promoted, in rank order; one that does not
     * fit stays on the list, first. */
    if (promoted) {
        ck_assert_int_eq(test_draw_change_int(
                             "SELECT COUNT(*) FROM registration WHERE selection = 'retenue'"
                             " AND status = 'validee' AND pay_by = '2027-06-09' AND"
                             " places_held = draw_persons"), 
                         test_draw_change_int("SELECT COUNT(*) FROM registration WHERE"
                                              " selection = 'retenue' AND"
                                              " status = 'validee'"));
    }
    ck_assert_int_lt(5 - test_draw_change_int("SELECT places_taken FROM activity WHERE"
                                              " id = 2"),
                     test_draw_change_int("SELECT COALESCE(MIN(draw_persons), 99) FROM"
                                          " registration WHERE selection = 'attente'"));
    (void)waiting_first;
}
END_TEST

START_TEST(test_draw_change_skip_ahead_promotion)
{
    cmcas_result_t res;
    int promoted = 0;

    /* Ranks set by hand: 13 (3) selected, 11 (2) selected; waiting 14 (2), 12 (1), 15 (1).
     * 11 renounces... no: 13 renounces, 3 places come free: 14 (2) then 12 (1). */
    test_db_exec(&db, "UPDATE activity SET draw_done_at = 'x', draw_published_at = 'x',"
                      " places_taken = 5 WHERE id = 2");
    test_db_exec(&db, "UPDATE registration SET draw_persons = (SELECT COUNT(*) FROM"
                      " registration_person rp WHERE rp.registration_id = registration.id)");
    test_db_exec(&db, "UPDATE registration SET selection = 'retenue', places_held ="
                      " draw_persons, pay_by = '2027-06-09', draw_rank = CASE household_id"
                      " WHEN 13 THEN 1 ELSE 2 END WHERE household_id IN (11, 13)");
    test_db_exec(&db, "UPDATE registration SET selection = 'attente', draw_rank = CASE"
                      " household_id WHEN 14 THEN 3 WHEN 12 THEN 4 ELSE 5 END"
                      " WHERE household_id IN (12, 14, 15)");
    /* Only 1 place free: 14 (2) does not fit, 12 (1) does, and 14 stays first. */
    test_db_exec(&db, "UPDATE activity SET places_taken = 4 WHERE id = 2");
    test_db_exec(&db, "UPDATE registration SET places_held = 2 WHERE household_id = 13");
    cmcas_draw_change_fill(&res, &promoted, &db.st, test_pool, now, 2, &rules);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(promoted, 1);
    ck_assert_str_eq(test_db_str(&db, "SELECT selection FROM registration WHERE"
                                      " household_id = 12"), "retenue");
    ck_assert_str_eq(test_db_str(&db, "SELECT selection FROM registration WHERE"
                                      " household_id = 14"), "attente");
    ck_assert_int_eq(test_draw_change_int("SELECT places_taken FROM activity WHERE id = 2"),
                     5);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM registration_event WHERE"
                                          " event LIKE 'Place attribuée%'"), 1);
    ck_assert_int_eq(test_draw_change_int("SELECT COUNT(*) FROM cmcas_outbox WHERE"
                                          " kind = 'promoted' AND household_id = 12"
                                          " AND detail = '2027-06-09'"), 1);
}
END_TEST

START_TEST(test_draw_change_release_unpaid)
{
    cmcas_result_t res;
    apr_int64_t h;
    int released = 0;

    test_draw_change_drawn();
    h = test_draw_change_int("SELECT household_id FROM registration WHERE selection ="
                             " 'retenue' ORDER BY draw_rank LIMIT 1");
    /* Not yet past its date: kept. */
    cmcas_draw_change_release(&res, &released, &db.st, test_pool, now, 2, h);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(released, 0);
    /* The day after its last day: released, its places back. */
    cmcas_draw_change_release(&res, &released, &db.st, test_pool,
                              now + apr_time_from_sec(8 * 86400), 2, h);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(released, 1);
    ck_assert_str_eq(test_db_str(&db, Q("SELECT status || '/' || selection FROM registration"
                                        " WHERE household_id = %" APR_INT64_T_FMT, h)),
                     "annulee/liberee");
    ck_assert_int_eq(test_draw_change_int(Q("SELECT COUNT(*) FROM cmcas_outbox WHERE"
                                            " kind = 'released' AND household_id = %"
                                            APR_INT64_T_FMT, h)), 1);
    test_draw_change_consistent();
}
END_TEST

START_TEST(test_draw_change_pay_by_before_the_start)
{
    cmcas_result_t res;
    int drawn = 0;

    /* The activity starts in 3 days: the selected pay the day before at the latest. */
    test_db_exec(&db, "UPDATE activity SET start_date = '2027-06-05',"
                      " end_date = '2027-06-05' WHERE id = 2");
    cmcas_draw_change_run(&res, &drawn, &db.st, test_pool, now, "tirage", 2, &rules, 1, 0);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_db_str(&db, "SELECT DISTINCT pay_by FROM registration WHERE"
                                      " selection = 'retenue'"), "2027-06-04");
}
END_TEST

START_TEST(test_draw_change_labels)
{
    cmcas_registration_draw_t d;
    const char *code = NULL;

    memset(&d, 0, sizeof(d));
    ck_assert_str_eq(cmcas_registration_label(test_pool, &code, CMCAS_STATUS_REG_VALIDEE,
                                              "tour_de_role", NULL, &d, "2027-06-01"),
                     "Demande enregistrée — tirage le 02/06/2027");
    ck_assert_str_eq(code, "demande");
    d.pay_by = "2027-06-09";
    ck_assert_str_eq(cmcas_registration_label(test_pool, &code, CMCAS_STATUS_REG_VALIDEE,
                                              "tour_de_role", "retenue", &d, "2027-06-01"),
                     "Retenue — à payer au plus tard le 09/06/2027");
    d.waiting = 3;
    ck_assert_str_eq(cmcas_registration_label(test_pool, &code, CMCAS_STATUS_REG_VALIDEE,
                                              "tour_de_role", "attente", &d, "2027-06-01"),
                     "Liste d'attente (position 3)");
    ck_assert_str_eq(cmcas_registration_label(test_pool, &code, CMCAS_STATUS_REG_VALIDEE,
                                              "tour_de_role", "non_retenue", &d,
                                              "2027-06-01"), "Non retenue");
    ck_assert_str_eq(cmcas_registration_label(test_pool, &code, CMCAS_STATUS_REG_ANNULEE,
                                              "tour_de_role", "liberee", &d, "2027-06-01"),
                     "Place libérée (non payée à temps)");
    ck_assert_str_eq(cmcas_registration_label(test_pool, &code, CMCAS_STATUS_REG_VALIDEE,
                                              "immediat", NULL, &d, "2027-06-01"),
                     "Validée");
    /* Payment: an immediate one, or a selected request only. */
    ck_assert(cmcas_registration_payment_due(CMCAS_STATUS_REG_VALIDEE, "immediat", NULL, 1));
    ck_assert(!cmcas_registration_payment_due(CMCAS_STATUS_REG_VALIDEE, "tour_de_role",
                                              NULL, 1));
    ck_assert(!cmcas_registration_payment_due(CMCAS_STATUS_REG_VALIDEE, "tour_de_role",
                                              "attente", 1));
    ck_assert(cmcas_registration_payment_due(CMCAS_STATUS_REG_VALIDEE, "tour_de_role",
                                             "retenue", 1));
    /* Unpublished results are not the member's yet. */
    d.selection = "retenue";
    ck_assert_ptr_null(cmcas_registration_selection(&d, NULL));
    ck_assert_str_eq(cmcas_registration_selection(&d, "2027-06-02T00:00:00Z"), "retenue");
}
END_TEST

Suite *test_draw_change_suite(void)
{
    Suite *s = suite_create("draw_change");
    TCase *tc = tcase_create("sqlite");

    tcase_add_checked_fixture(tc, test_draw_change_setup, test_draw_change_teardown);
    tcase_add_test(tc, test_draw_change_run_and_publish);
    tcase_add_test(tc, test_draw_change_history_first);
    tcase_add_test(tc, test_draw_change_failure_keeps_nothing);
    tcase_add_test(tc, test_draw_change_rerun_unpublished);
    tcase_add_test(tc, test_draw_change_renounce_promotes);
    tcase_add_test(tc, test_draw_change_skip_ahead_promotion);
    tcase_add_test(tc, test_draw_change_release_unpaid);
    tcase_add_test(tc, test_draw_change_pay_by_before_the_start);
    tcase_add_test(tc, test_draw_change_labels);
    suite_add_tcase(s, tc);
    return s;
}
