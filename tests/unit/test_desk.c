/* The CMCAS desk (issue 11): what staff type (means, amount, day, note), and the flows
 * that record a desk payment and a refund against a real SQLite database: paid exactly
 * as a card payment pays, with the audit line, nothing written when refused; and the
 * « tour de rôle » preview, which writes nothing. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_desk.h"
#include "../../mod_cmcas/cmcas_desk_change.h"
#include "../../mod_cmcas/cmcas_desk_store.h"
#include "../../mod_cmcas/cmcas_draw.h"
#include "../../mod_cmcas/cmcas_draw_change.h"
#include "../../mod_cmcas/cmcas_catalog_store.h"
#include "../../mod_cmcas/cmcas_order_store.h"
#include "../../mod_cmcas/cmcas_status.h"

#define Q(...) apr_psprintf(test_pool, __VA_ARGS__)

static test_db_t db;
static apr_time_t now;      /* 2027-05-01 10:00 UTC */
static const cmcas_staff_t bn = {"gestion.bn", "BN", "Hélène FAURE"};
static const cmcas_staff_t to = {"gestion.to", "TO", "Tom"};

START_TEST(test_desk_amounts)
{
    ck_assert_int_eq(cmcas_desk_amount_parse("70,00"), 7000);
    ck_assert_int_eq(cmcas_desk_amount_parse("70"), 7000);
    ck_assert_int_eq(cmcas_desk_amount_parse(" 70,5 "), 7050);
    ck_assert_int_eq(cmcas_desk_amount_parse("70.05"), 7005);
    ck_assert_int_eq(cmcas_desk_amount_parse("1 070,00"), 107000);
    ck_assert_int_eq(cmcas_desk_amount_parse("0,99"), 99);
    ck_assert_int_eq(cmcas_desk_amount_parse(""), -1);
    ck_assert_int_eq(cmcas_desk_amount_parse(NULL), -1);
    ck_assert_int_eq(cmcas_desk_amount_parse("70,"), -1);
    ck_assert_int_eq(cmcas_desk_amount_parse("70,001"), -1);
    ck_assert_int_eq(cmcas_desk_amount_parse("-70"), -1);
    ck_assert_int_eq(cmcas_desk_amount_parse("70 €"), 7000);     /* pasted from a page */
    ck_assert_int_eq(cmcas_desk_amount_parse("1" TEST_NBSP "070,00" TEST_NBSP "€"), 107000);
    ck_assert_int_eq(cmcas_desk_amount_parse("1e3"), -1);
    ck_assert_int_eq(cmcas_desk_amount_parse("99999999"), -1);
    /* The bound: 1 000 000,00 € is taken, a cent more is not (found by fuzz_desk). */
    ck_assert_int_eq(cmcas_desk_amount_parse("1 000 000,00"), 100000000);
    ck_assert_int_eq(cmcas_desk_amount_parse("1000000,01"), -1);
    ck_assert_int_eq(cmcas_desk_amount_parse("1 000 000,5"), -1);
}
END_TEST

START_TEST(test_desk_entries)
{
    cmcas_desk_entry_t e;
    apr_time_t t = apr_time_from_sec(1809165600);   /* 2027-05-01 */

    ck_assert_str_eq(cmcas_desk_means_label("cheque", CMCAS_DESK_PAYMENT), "chèque");
    ck_assert_ptr_null(cmcas_desk_means_label("virement", CMCAS_DESK_PAYMENT));
    ck_assert_str_eq(cmcas_desk_means_label("virement", CMCAS_DESK_REFUND), "virement");
    ck_assert_ptr_null(cmcas_desk_means_label("bitcoin", CMCAS_DESK_REFUND));
    ck_assert_ptr_null(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "cheque",
                                             "70,00", "30/04/2027", "n° 12\r\n34", t));
    ck_assert_int_eq(e.amount, 7000);
    ck_assert_str_eq(e.on_date, "2027-04-30");
    ck_assert_str_eq(e.note, "n° 12  34");
    ck_assert_str_eq(cmcas_desk_entry_event(test_pool, &e, 7000),
                     "Paiement en CMCAS enregistré : chèque, 70,00" TEST_NBSP "€ (n° 12  34)");
    /* Today is allowed, tomorrow is not. */
    ck_assert_ptr_null(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "especes",
                                             "70", "01/05/2027", NULL, t));
    ck_assert_str_eq(e.note, "");
    ck_assert_str_eq(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "especes",
                                           "70", "02/05/2027", NULL, t),
                     "La date ne peut pas être dans le futur.");
    ck_assert_ptr_nonnull(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "especes",
                                                "70", "2027-04-30", NULL, t));
    ck_assert_ptr_nonnull(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "especes",
                                                "soixante-dix", "30/04/2027", NULL, t));
    ck_assert_ptr_nonnull(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "especes",
                                                "0", "30/04/2027", NULL, t));
    ck_assert_ptr_nonnull(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "carte",
                                                "70", "30/04/2027", NULL, t));
    ck_assert_ptr_nonnull(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, NULL,
                                                "70", "30/04/2027", NULL, t));
    /* A refund gives the order's total back: no amount typed. */
    ck_assert_ptr_null(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_REFUND, "virement",
                                             NULL, "30/04/2027", "", t));
    ck_assert_str_eq(cmcas_desk_entry_event(test_pool, &e, 3000),
                     "Remboursement enregistré : virement, 30,00" TEST_NBSP "€");
}
END_TEST

START_TEST(test_desk_refunded_label)
{
    cmcas_order_t o;

    memset(&o, 0, sizeof(o));
    o.status = CMCAS_STATUS_ORDER_A_REMBOURSER;
    ck_assert_str_eq(cmcas_order_status_label(&o), "Remboursement à effectuer");
    o.refunded_at = "";         /* PostgreSQL's NULL */
    ck_assert_str_eq(cmcas_order_status_label(&o), "Remboursement à effectuer");
    o.refunded_at = "2027-05-01T10:00:00Z";
    ck_assert_str_eq(cmcas_order_status_label(&o), "Remboursée");
    o.status = CMCAS_STATUS_ORDER_PAYEE;
    ck_assert_str_eq(cmcas_order_status_label(&o), "Paiement accepté");
}
END_TEST

static void test_desk_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
    now = apr_time_from_sec(1809165600);
    /* Gael validated on activity 1 (one place), an order « Paiement en CMCAS » of 30 €. */
    test_db_exec(&db, "INSERT INTO registration (id, activity_id, household_id, status,"
                      " places_held, created_at, updated_at) VALUES (1, 1, 1, 'validee', 1,"
                      " '2027-04-20T10:00:00Z', '2027-04-20T10:00:00Z')");
    test_db_exec(&db, "INSERT INTO registration_person (id, registration_id, person_id,"
                      " confirmed) VALUES (1, 1, 1, 1)");
    test_db_exec(&db, "UPDATE activity SET places_taken = 1 WHERE id = 1");
    test_db_exec(&db, "INSERT INTO cmcas_order (id, reference, registration_id,"
                      " household_id, cmcas_code, total, method, instalments, status,"
                      " hold_until, created_at, updated_at) VALUES (1, 'ABCDEFGHI', 1, 1,"
                      " 'BN', 3000, 'cmcas', 1, 'attente_cmcas', '2027-04-27T10:00:00Z',"
                      " '2027-04-20T10:00:00Z', '2027-04-20T10:00:00Z')");
}

static void test_desk_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

static cmcas_result_kind_t test_desk_record(const cmcas_staff_t *staff, const char *ref,
                                            cmcas_desk_kind_t kind, const char *means,
                                            const char *amount)
{
    cmcas_desk_entry_t e;
    cmcas_order_t *order = NULL;
    cmcas_result_t res;

    ck_assert_ptr_null(cmcas_desk_entry_read(&e, test_pool, kind, means, amount,
                                             "30/04/2027", "n° 1234", now));
    cmcas_desk_change_record(&res, &order, &db.st, test_pool, now, staff, ref, &e, NULL);
    ck_assert_msg(res.kind != CMCAS_RESULT_ERROR, "%s", res.err ? res.err : "");
    return res.kind;
}

static apr_int64_t test_desk_int(const char *sql)
{
    return test_db_int(&db, sql);
}

START_TEST(test_desk_payment)
{
    apr_array_header_t *expired = NULL, *rows = NULL;
    const char *err = NULL;

    /* Another CMCAS's staff, an unknown reference: not found, nothing written. */
    ck_assert_int_eq(test_desk_record(&to, "ABCDEFGHI", CMCAS_DESK_PAYMENT, "cheque", "30"),
                     CMCAS_RESULT_NOT_FOUND);
    ck_assert_int_eq(test_desk_record(&bn, "ZZZZZZZZZ", CMCAS_DESK_PAYMENT, "cheque", "30"),
                     CMCAS_RESULT_NOT_FOUND);
    /* Not the order's total: refused, nothing written. */
    ck_assert_int_eq(test_desk_record(&bn, "ABCDEFGHI", CMCAS_DESK_PAYMENT, "cheque", "20"),
                     CMCAS_RESULT_BAD_INPUT);
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_order_payment"), 0);
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_audit"), 0);
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_order_event"), 0);
    ck_assert_int_eq(cmcas_desk_store_list(&rows, &db.st, test_pool, "BN",
                                           CMCAS_DESK_STORE_TO_CASH, &err), APR_SUCCESS);
    ck_assert_int_eq(rows->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(rows, 0, cmcas_desk_store_row_t).household,
                     "Gael CLASSEN");
    ck_assert_int_eq(cmcas_desk_store_list(&rows, &db.st, test_pool, "TO",
                                           CMCAS_DESK_STORE_TO_CASH, &err), APR_SUCCESS);
    ck_assert_int_eq(rows->nelts, 0);
    /* Paid, even after its hold ran out (the expiry job had not come yet). */
    ck_assert_int_eq(test_desk_record(&bn, "ABCDEFGHI", CMCAS_DESK_PAYMENT, "cheque",
                                      "30,00"), CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_db_str(&db, "SELECT status FROM cmcas_order"), "payee");
    ck_assert_str_eq(test_db_str(&db, "SELECT status FROM registration"), "payee");
    ck_assert_int_eq(test_desk_int("SELECT places_taken FROM activity WHERE id = 1"), 1);
    ck_assert_int_eq(test_desk_int("SELECT places_held FROM registration"), 1);
    ck_assert_str_eq(test_db_str(&db, "SELECT kind || ' ' || means || ' ' || amount || ' '"
                                      " || on_date || ' ' || note || ' ' || actor"
                                      " FROM cmcas_order_payment"),
                     "paiement cheque 3000 2027-04-30 n° 1234 gestion.bn");
    ck_assert_str_eq(test_db_str(&db, "SELECT actor || ' ' || event FROM cmcas_order_event"),
                     "gestion.bn Paiement en CMCAS enregistré : chèque, 30,00" TEST_NBSP "€ (n° 1234)");
    ck_assert_str_eq(test_db_str(&db, "SELECT event FROM registration_event"),
                     "Commande ABCDEFGHI payée");
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_outbox WHERE"
                                   " kind = 'payment_accepted' AND order_id = 1"), 1);
    ck_assert_str_eq(test_db_str(&db, "SELECT cmcas_code || ' ' || actor || ' ' || action"
                                      " || ' ' || object FROM cmcas_audit"),
                     "BN gestion.bn Paiement enregistré commande ABCDEFGHI");
    ck_assert_ptr_nonnull(strstr(test_db_str(&db, "SELECT after FROM cmcas_audit"),
                                 "Montant : 30,00" TEST_NBSP "€"));
    /* The expiry job leaves a paid order alone. */
    ck_assert_int_eq(cmcas_order_store_expired(&expired, &db.st, test_pool,
                                               "2030-01-01T00:00:00Z", &err), APR_SUCCESS);
    ck_assert_int_eq(expired->nelts, 0);
    /* Twice: a conflict, nothing more written. */
    ck_assert_int_eq(test_desk_record(&bn, "ABCDEFGHI", CMCAS_DESK_PAYMENT, "especes",
                                      "30"), CMCAS_RESULT_CONFLICT);
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_order_payment"), 1);
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_audit"), 1);
}
END_TEST

START_TEST(test_desk_cancelled_order)
{
    test_db_exec(&db, "UPDATE cmcas_order SET status = 'annulee'");
    ck_assert_int_eq(test_desk_record(&bn, "ABCDEFGHI", CMCAS_DESK_PAYMENT, "cheque", "30"),
                     CMCAS_RESULT_CONFLICT);
    ck_assert_int_eq(test_desk_record(&bn, "ABCDEFGHI", CMCAS_DESK_REFUND, "cheque", NULL),
                     CMCAS_RESULT_CONFLICT);
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_order_payment"), 0);
}
END_TEST

START_TEST(test_desk_refund)
{
    cmcas_order_t *order = NULL;
    apr_array_header_t *rows = NULL;
    const char *err = NULL;

    /* Paid by card when the registration no longer waited for it: to refund. */
    test_db_exec(&db, "UPDATE cmcas_order SET status = 'a_rembourser', method = 'paybox'");
    ck_assert_int_eq(test_desk_record(&bn, "ABCDEFGHI", CMCAS_DESK_PAYMENT, "cheque", "30"),
                     CMCAS_RESULT_CONFLICT);
    ck_assert_int_eq(test_desk_record(&to, "ABCDEFGHI", CMCAS_DESK_REFUND, "virement", NULL),
                     CMCAS_RESULT_NOT_FOUND);
    ck_assert_int_eq(cmcas_desk_store_list(&rows, &db.st, test_pool, "BN",
                                           CMCAS_DESK_STORE_TO_REFUND, &err), APR_SUCCESS);
    ck_assert_int_eq(rows->nelts, 1);
    ck_assert_int_eq(test_desk_record(&bn, "ABCDEFGHI", CMCAS_DESK_REFUND, "virement", NULL),
                     CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_db_str(&db, "SELECT status FROM cmcas_order"), "a_rembourser");
    ck_assert_str_eq(test_db_str(&db, "SELECT refunded_at FROM cmcas_order"),
                     "2027-05-01T10:00:00Z");
    ck_assert_str_eq(test_db_str(&db, "SELECT kind || ' ' || means || ' ' || amount"
                                      " FROM cmcas_order_payment"),
                     "remboursement virement 3000");
    ck_assert_str_eq(test_db_str(&db, "SELECT action FROM cmcas_audit"),
                     "Remboursement enregistré");
    /* The household is told how it was refunded, once. */
    ck_assert_str_eq(test_db_str(&db, "SELECT kind || ' ' || detail || ' ' || order_id"
                                      " FROM cmcas_outbox"), "refunded virement 1");
    /* The member reads « Remboursée ». */
    ck_assert_int_eq(cmcas_order_store_get(&order, &db.st, test_pool, "ABCDEFGHI", 1, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(cmcas_order_status_label(order), "Remboursée");
    ck_assert_int_eq(cmcas_desk_store_list(&rows, &db.st, test_pool, "BN",
                                           CMCAS_DESK_STORE_TO_REFUND, &err), APR_SUCCESS);
    ck_assert_int_eq(rows->nelts, 0);
    ck_assert_int_eq(cmcas_desk_store_list(&rows, &db.st, test_pool, "BN",
                                           CMCAS_DESK_STORE_REFUNDED, &err), APR_SUCCESS);
    ck_assert_int_eq(rows->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(rows, 0, cmcas_desk_store_row_t).refund_means, "virement");
    /* Once. */
    ck_assert_int_eq(test_desk_record(&bn, "ABCDEFGHI", CMCAS_DESK_REFUND, "especes", NULL),
                     CMCAS_RESULT_CONFLICT);
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_order_payment"), 1);
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_outbox"), 1);
}
END_TEST

/* The preview computes what the draw decides, and writes nothing. */
START_TEST(test_desk_draw_preview)
{
    static const cmcas_draw_change_rules_t rules = {24, 7, NULL};
    apr_array_header_t *entries = NULL;
    cmcas_activity_t *act = NULL;
    cmcas_result_t res;
    const char *err = NULL, *before;
    int places = 0, drawn = 0, i, h;

    test_db_exec(&db, "UPDATE activity SET capacity = 2 WHERE id = 2");
    for (h = 11; h <= 13; h++) {
        /* Distinct coefficients: the criteria decide, not the seed (which the preview
         * does not use). */
        test_db_exec(&db, Q("INSERT INTO household (id, cmcas_code, login, password, email,"
                            " coefficient) VALUES (%d, 'BN', 'h%d', 'x', 'h%d@example.org',"
                            " %d)", h, h, h, 1000 * h));
        test_db_exec(&db, Q("INSERT INTO person (id, household_id, role, last_name,"
                            " first_name, birth_date) VALUES (%d, %d, 'OD', 'NOM', 'P',"
                            " '1980-01-01')", h, h));
        test_db_exec(&db, Q("INSERT INTO registration (id, activity_id, household_id,"
                            " status, created_at, updated_at) VALUES (%d, 2, %d, 'validee',"
                            " '2027-04-01T10:00:00Z', '2027-04-01T10:00:00Z')", h, h));
        test_db_exec(&db, Q("INSERT INTO registration_person (id, registration_id,"
                            " person_id, confirmed) VALUES (%d, %d, %d, 1)", h, h, h));
        test_db_exec(&db, Q("INSERT INTO registration_option (registration_person_id,"
                            " option_id) VALUES (%d, 3)", h));
    }
    ck_assert_int_eq(cmcas_catalog_store_activity(&act, &db.st, test_pool, 2, &err),
                     APR_SUCCESS);
    before = test_db_str(&db, "SELECT group_concat(id || status || COALESCE(selection, '')"
                              " || COALESCE(draw_rank, ''), ',') FROM registration");
    ck_assert_int_eq(cmcas_draw_change_preview(&entries, &places, &db.st, test_pool, now, act,
                                               &rules, &err), APR_SUCCESS);
    ck_assert_int_eq(places, 2);
    ck_assert_int_eq(entries->nelts, 3);
    /* Nothing derived from the secret seed is shown before the draw. */
    for (i = 0; i < entries->nelts; i++) {
        ck_assert_str_eq(APR_ARRAY_IDX(entries, i, cmcas_draw_entry_t).tiebreak, "");
    }
    ck_assert_str_eq(test_db_str(&db, "SELECT group_concat(id || status ||"
                                      " COALESCE(selection, '') || COALESCE(draw_rank, ''),"
                                      " ',') FROM registration"), before);
    ck_assert_int_eq(test_desk_int("SELECT places_taken FROM activity WHERE id = 2"), 0);
    /* The staff's draw decides the same, with its audit line. */
    cmcas_draw_change_staff_run(&res, &drawn, &db.st, test_pool, now, &bn, 2, &rules);
    ck_assert_msg(res.kind == CMCAS_RESULT_DONE, "%s", res.err ? res.err : "");
    for (i = 0; i < entries->nelts; i++) {
        const cmcas_draw_entry_t *e = &APR_ARRAY_IDX(entries, i, cmcas_draw_entry_t);
        ck_assert_int_eq(test_desk_int(Q("SELECT draw_rank FROM registration WHERE id = %"
                                         APR_INT64_T_FMT, e->registration_id)), e->rank);
        ck_assert_str_eq(test_db_str(&db, Q("SELECT selection FROM registration WHERE id = %"
                                            APR_INT64_T_FMT, e->registration_id)),
                         e->result == CMCAS_DRAW_RETENUE ? "retenue" : "attente");
    }
    ck_assert_str_eq(test_db_str(&db, "SELECT action || ' ' || object FROM cmcas_audit"),
                     "Tour de rôle effectué activité 2");
    ck_assert_str_eq(test_db_str(&db, "SELECT after FROM cmcas_audit"),
                     "Demandes retenues : 2\nListe d'attente : 1\nAutres : 0");
    /* Again before publication: the same result, the places counted once. */
    cmcas_draw_change_staff_run(&res, &drawn, &db.st, test_pool, now, &bn, 2, &rules);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(test_desk_int("SELECT places_taken FROM activity WHERE id = 2"), 2);
    cmcas_draw_change_staff_publish(&res, &drawn, &db.st, test_pool, now, &bn, 2, &rules);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(drawn, 1);
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_audit WHERE"
                                   " action = 'Tour de rôle publié'"), 1);
    /* Published: no re-run. */
    cmcas_draw_change_staff_run(&res, &drawn, &db.st, test_pool, now, &bn, 2, &rules);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_CONFLICT);
    ck_assert_ptr_nonnull(strstr(res.message, "publiés"));
    ck_assert_int_eq(test_desk_int("SELECT COUNT(*) FROM cmcas_audit"), 3);
}
END_TEST

Suite *test_desk_suite(void)
{
    Suite *s = suite_create("desk");
    TCase *tc = tcase_create("input");
    TCase *tcf = tcase_create("flows");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_desk_amounts);
    tcase_add_test(tc, test_desk_entries);
    tcase_add_test(tc, test_desk_refunded_label);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(tcf, test_desk_setup, test_desk_teardown);
    tcase_add_test(tcf, test_desk_payment);
    tcase_add_test(tcf, test_desk_cancelled_order);
    tcase_add_test(tcf, test_desk_refund);
    tcase_add_test(tcf, test_desk_draw_preview);
    suite_add_tcase(s, tcf);
    return s;
}
