/* The audit log: only the fields that changed are written, one « champ : valeur » per
 * line, kept short and on one line each; the rows are the CMCAS's own and roll back
 * with the change they record. Also the staff reads (who is staff, their dashboard). */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_audit.h"
#include "../../mod_cmcas/cmcas_audit_store.h"
#include "../../mod_cmcas/cmcas_staff_store.h"

static test_db_t db;

START_TEST(test_audit_diff_changed_fields_only)
{
    apr_array_header_t *f = cmcas_audit_fields(test_pool);
    const char *before, *after;

    cmcas_audit_add(f, "Titre", "Atelier", "Atelier gourmand");
    cmcas_audit_add(f, "Lieu", "Bourges", "Bourges");
    cmcas_audit_add_int(f, "Capacité", 10, 12);
    cmcas_audit_add(f, "Image", NULL, "abc.png");
    ck_assert_int_eq(3, cmcas_audit_diff(&before, &after, test_pool, f));
    ck_assert_str_eq("Titre : Atelier\nCapacité : 10", before);
    ck_assert_str_eq("Titre : Atelier gourmand\nCapacité : 12\nImage : abc.png", after);
}
END_TEST

START_TEST(test_audit_diff_creation_and_nothing)
{
    apr_array_header_t *f = cmcas_audit_fields(test_pool);
    const char *before = "x", *after = "x";

    ck_assert_int_eq(0, cmcas_audit_diff(&before, &after, test_pool, f));
    ck_assert_ptr_null(before);
    ck_assert_ptr_null(after);
    cmcas_audit_add(f, "Titre", NULL, "Nouvelle");
    ck_assert_int_eq(1, cmcas_audit_diff(&before, &after, test_pool, f));
    ck_assert_ptr_null(before);
    ck_assert_str_eq("Titre : Nouvelle", after);
}
END_TEST

START_TEST(test_audit_diff_one_line_and_bounded)
{
    apr_array_header_t *f = cmcas_audit_fields(test_pool);
    const char *before, *after;
    char *big = apr_palloc(test_pool, 2001);
    int i;

    /* 1000 « é »: the cut falls inside none of them. */
    for (i = 0; i < 2000; i += 2) {
        big[i] = '\xC3';
        big[i + 1] = '\xA9';
    }
    big[2000] = '\0';
    cmcas_audit_add(f, "Description", "Ligne 1\r\nLigne 2", big);
    cmcas_audit_diff(&before, &after, test_pool, f);
    ck_assert_str_eq("Description : Ligne 1\xE2\x8F\x8ELigne 2", before);
    ck_assert_uint_eq(strlen("Description : ") + 500 + 3, strlen(after));
    ck_assert(!strncmp(after + strlen(after) - 3, "\xE2\x80\xA6", 3));
    ck_assert(!strncmp(after + strlen(after) - 5, "\xC3\xA9", 2));
}
END_TEST

static void test_audit_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
}

static void test_audit_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

START_TEST(test_audit_store_rows_roll_back_with_the_change)
{
    cmcas_store_tx_t *tx;
    apr_array_header_t *rows;
    const char *err = NULL;
    const cmcas_audit_store_entry_t *e;

    ck_assert_int_eq(APR_SUCCESS, cmcas_store_begin(&tx, &db.st, test_pool, &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_audit_store_add(&db.st, test_pool, apr_time_now(),
                     "BN", "gestion.bn", "Activité créée", "activité 1", NULL,
                     "Titre : A", &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_store_end(tx, 0, &err));
    ck_assert_int_eq(0, test_db_int(&db, "SELECT COUNT(*) FROM cmcas_audit"));

    ck_assert_int_eq(APR_SUCCESS, cmcas_audit_store_add(&db.st, test_pool, apr_time_now(),
                     "BN", "gestion.bn", "Activité créée", "activité 1", NULL,
                     "Titre : A", &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_audit_store_add(&db.st, test_pool, apr_time_now(),
                     "TO", "gestion.touraine", "Activité publiée", "activité 3",
                     "Publiée : non", "Publiée : oui", &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_audit_store_add(&db.st, test_pool, apr_time_now(),
                     "BN", "gestion.bn", "Activité modifiée", "activité 1", "Titre : A",
                     "Titre : B", &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_audit_store_list(&rows, &db.st, test_pool, "BN", 0,
                                                         10, &err));
    ck_assert_int_eq(2, rows->nelts);
    e = &APR_ARRAY_IDX(rows, 0, cmcas_audit_store_entry_t);
    ck_assert_str_eq("Activité modifiée", e->action);
    ck_assert_str_eq("Titre : A", e->before);
    e = &APR_ARRAY_IDX(rows, 1, cmcas_audit_store_entry_t);
    ck_assert_ptr_null(e->before);
    /* Paging: the lines before the first one shown. */
    ck_assert_int_eq(APR_SUCCESS, cmcas_audit_store_list(&rows, &db.st, test_pool, "BN",
        APR_ARRAY_IDX(rows, 0, cmcas_audit_store_entry_t).id, 10, &err));
    ck_assert_int_eq(1, rows->nelts);
    ck_assert_str_eq("Activité créée", APR_ARRAY_IDX(rows, 0, cmcas_audit_store_entry_t).action);
}
END_TEST

START_TEST(test_staff_store_by_login_and_cmcas)
{
    cmcas_staff_t *staff;
    apr_array_header_t *acts;
    cmcas_staff_store_counts_t counts;
    const char *err = NULL;
    int i;

    test_db_exec(&db, "INSERT INTO cmcas_staff (login, password, cmcas_code, name) VALUES"
                      " ('gestion.touraine', 'x', 'TO', 'Paul LEROY')");
    ck_assert_int_eq(APR_NOTFOUND, cmcas_staff_store_by_login(&staff, &db.st, test_pool,
                                                               "gael", &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_staff_store_by_login(&staff, &db.st, test_pool,
                                                              "gestion.touraine", &err));
    ck_assert_str_eq("TO", staff->cmcas_code);
    ck_assert_int_eq(APR_SUCCESS, cmcas_staff_store_activities(&acts, &db.st, test_pool,
                                                                "TO", &err));
    ck_assert_int_eq(1, acts->nelts);
    for (i = 0; i < acts->nelts; i++) {
        apr_int64_t id = APR_ARRAY_IDX(acts, i, cmcas_staff_store_activity_t).id;
        ck_assert_int_eq(1, test_db_int(&db, apr_psprintf(test_pool,
            "SELECT COUNT(*) FROM activity WHERE cmcas_code = 'TO' AND id = %"
            APR_INT64_T_FMT, id)));
    }
    /* Activity 2 (BN, « tour de rôle ») closed yesterday and not drawn; one desk order
     * of BN waits, one of Touraine too (not counted for BN). */
    test_db_exec(&db, "UPDATE activity SET closing_date = '2026-11-30' WHERE id = 2");
    test_db_exec(&db, "INSERT INTO registration (id, activity_id, household_id, status,"
                      " created_at, updated_at) VALUES (1, 1, 1, 'validee', 'x', 'x'),"
                      " (2, 3, 3, 'validee', 'x', 'x')");
    test_db_exec(&db, "INSERT INTO cmcas_order (reference, registration_id, household_id,"
                      " cmcas_code, total, method, status, hold_until, created_at,"
                      " updated_at) VALUES ('AAAAAAAAA', 1, 1, 'BN', 3000, 'cmcas',"
                      " 'attente_cmcas', 'x', 'x', 'x'), ('BBBBBBBBB', 2, 3, 'TO', 500,"
                      " 'cmcas', 'attente_cmcas', 'x', 'x', 'x')");
    ck_assert_int_eq(APR_SUCCESS, cmcas_staff_store_counts(&counts, &db.st, test_pool, "BN",
                                                            "2026-12-01", &err));
    ck_assert_int_eq(1, counts.desk_orders);
    ck_assert_int_eq(1, counts.awaiting_payment);
    ck_assert_int_eq(1, counts.draws_to_run);
    ck_assert_int_eq(0, counts.draws_to_publish);
    ck_assert_int_eq(0, counts.to_refund);
}
END_TEST

Suite *test_audit_suite(void)
{
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("diff");
    TCase *tcs = tcase_create("store");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_audit_diff_changed_fields_only);
    tcase_add_test(tc, test_audit_diff_creation_and_nothing);
    tcase_add_test(tc, test_audit_diff_one_line_and_bounded);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(tcs, test_audit_setup, test_audit_teardown);
    tcase_add_test(tcs, test_audit_store_rows_roll_back_with_the_change);
    tcase_add_test(tcs, test_staff_store_by_login_and_cmcas);
    suite_add_tcase(s, tcs);
    return s;
}
