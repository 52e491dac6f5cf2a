/* The back-office's registrations against a real SQLite database (no httpd): the list
 * of an activity (persons, options, orders, another CMCAS's orders left out), the
 * filters, the CSV export, and the cancellation by staff: places back, paid order to
 * refund, history, message and audit line in one transaction (all or nothing), the
 * waiting list of a « tour de rôle » promoted, another CMCAS's registration unknown. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_catalog_store.h"
#include "../../mod_cmcas/cmcas_mail.h"
#include "../../mod_cmcas/cmcas_order.h"
#include "../../mod_cmcas/cmcas_staff_cancel.h"
#include "../../mod_cmcas/cmcas_staff_registration.h"
#include "../../mod_cmcas/cmcas_staff_registration_store.h"

static test_db_t db;
static apr_time_t now;          /* 2027-05-20T10:00:00Z */
static const cmcas_staff_t bn = {"gestion.bn", "BN", "Hélène FAURE"};
static const cmcas_staff_t to = {"gestion.touraine", "TO", "Paul LEROY"};
static const cmcas_draw_change_rules_t rules = {24, 7, NULL};

#define Q(...) apr_psprintf(test_pool, __VA_ARGS__)

static apr_int64_t I(const char *sql)
{
    return test_db_int(&db, sql);
}

static const char *S(const char *sql)
{
    return test_db_str(&db, sql);
}

/* Registration 40: household 1 on activity 1, paid, Gael (Atelier) and a guest Zoé
 * (Place enfant, refuses photos), 2 places held, its paid order ABCDEFGHI. A draft of
 * household 2. */
static void test_staff_registration_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
    now = apr_time_from_sec(1810807200);    /* 2027-05-20T10:00:00Z */
    test_db_exec(&db,
        "UPDATE activity SET places_taken = 2 WHERE id = 1;"
        "INSERT INTO registration (id, activity_id, household_id, status, observations,"
        " places_held, created_at, updated_at) VALUES (40, 1, 1, 'payee',"
        " '=HYPERLINK(\"http://x\")', 2, '2027-05-01T10:00:00Z', '2027-05-01T10:00:00Z'),"
        " (41, 1, 2, 'brouillon', '', 0, '2027-05-02T10:00:00Z', '2027-05-02T10:00:00Z');"
        "INSERT INTO registration_person (id, registration_id, person_id, last_name,"
        " first_name, birth_date, photo_optout, confirmed) VALUES"
        " (400, 40, 1, NULL, NULL, NULL, 0, 1),"
        " (401, 40, NULL, 'ÉTIENNE', 'Zoé', '2019-07-01', 1, 1),"
        " (410, 41, 3, NULL, NULL, NULL, 0, 0);"
        "INSERT INTO registration_option (registration_person_id, option_id) VALUES"
        " (400, 1), (401, 2);"
        "INSERT INTO cmcas_order (id, reference, registration_id, household_id, cmcas_code,"
        " total, method, status, hold_until, created_at, updated_at) VALUES"
        " (1, 'ABCDEFGHI', 40, 1, 'BN', 4500, 'paybox', 'payee', 'x',"
        " '2027-05-01T10:05:00Z', 'x');");
}

static void test_staff_registration_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

static apr_array_header_t *test_staff_registration_list(cmcas_activity_t **pact,
                                                        apr_array_header_t **popts,
                                                        apr_int64_t activity_id)
{
    apr_array_header_t *list = NULL;
    const char *err = NULL;

    ck_assert_int_eq(APR_SUCCESS, cmcas_catalog_store_activity(pact, &db.st, test_pool,
                                                                activity_id, &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_catalog_store_options(popts, &db.st, test_pool,
                                                               activity_id, &err));
    ck_assert_int_eq(APR_SUCCESS, cmcas_staff_registration_store_list(
                                      &list, &db.st, test_pool, activity_id, "BN", &err));
    cmcas_staff_registration_rank_waiting(list);
    return list;
}

START_TEST(test_staff_registration_list_and_filters)
{
    cmcas_activity_t *act;
    apr_array_header_t *opts, *list = test_staff_registration_list(&act, &opts, 1), *sel;
    const cmcas_staff_registration_t *r;
    const cmcas_registration_participant_t *zoe;
    const char *code;

    /* An order of another payee is not the CMCAS's to show. */
    test_db_exec(&db, "INSERT INTO cmcas_order (id, reference, registration_id,"
                      " household_id, cmcas_code, total, method, status, hold_until,"
                      " created_at, updated_at) VALUES (2, 'ZZZZZZZZZ', 40, 1, 'TO', 100,"
                      " 'cmcas', 'annulee', 'x', 'x', 'x')");
    list = test_staff_registration_list(&act, &opts, 1);
    ck_assert_int_eq(list->nelts, 2);
    r = &APR_ARRAY_IDX(list, 0, cmcas_staff_registration_t);
    ck_assert_int_eq(r->reg.id, 40);
    ck_assert_str_eq(r->login, "gael");
    ck_assert_str_eq(r->od_first_name, "Gael");
    ck_assert_int_eq(r->reg.participants->nelts, 2);
    zoe = &APR_ARRAY_IDX(r->reg.participants, 1, cmcas_registration_participant_t);
    ck_assert_str_eq(zoe->kind, "guest");
    ck_assert_int_eq(zoe->photo_optout, 1);
    ck_assert_int_eq(cmcas_staff_registration_age(act, zoe->birth_date), 7);
    ck_assert_str_eq(cmcas_staff_registration_options(test_pool, opts, zoe),
                     "Place enfant (< 12 ans)");
    ck_assert_int_eq(r->orders->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(r->orders, 0, cmcas_order_t).reference, "ABCDEFGHI");
    ck_assert_str_eq(cmcas_staff_registration_label(test_pool, &code, act, r), "Payée");
    /* Filters: drafts only on demand. */
    ck_assert_int_eq(cmcas_staff_registration_filter_parse(NULL),
                     CMCAS_STAFF_REGISTRATION_ALL_BUT_DRAFTS);
    ck_assert_int_eq(cmcas_staff_registration_filter_parse("payee"),
                     CMCAS_STAFF_REGISTRATION_PAID);
    ck_assert_int_eq(cmcas_staff_registration_filter_parse("nimporte"), -1);
    sel = cmcas_staff_registration_select(test_pool, act, opts, list,
                                          CMCAS_STAFF_REGISTRATION_ALL_BUT_DRAFTS);
    ck_assert_int_eq(sel->nelts, 1);
    sel = cmcas_staff_registration_select(test_pool, act, opts, list,
                                          CMCAS_STAFF_REGISTRATION_DRAFT);
    ck_assert_int_eq(sel->nelts, 1);
    ck_assert_int_eq(APR_ARRAY_IDX(sel, 0, cmcas_staff_registration_t).reg.id, 41);
    ck_assert_int_eq(cmcas_staff_registration_select(test_pool, act, opts, list,
                                                     CMCAS_STAFF_REGISTRATION_TO_PAY)->nelts,
                     0);
    ck_assert_int_eq(cmcas_staff_registration_select(test_pool, act, opts, list,
                                                     CMCAS_STAFF_REGISTRATION_ALL)->nelts, 2);
}
END_TEST

START_TEST(test_staff_registration_csv_lines)
{
    cmcas_activity_t *act;
    apr_array_header_t *opts, *list = test_staff_registration_list(&act, &opts, 1);
    apr_size_t len = 0;
    const char *csv;

    list = cmcas_staff_registration_select(test_pool, act, opts, list,
                                           CMCAS_STAFF_REGISTRATION_ALL_BUT_DRAFTS);
    csv = cmcas_staff_registration_csv(test_pool, &len, act, opts, list, 0);
    ck_assert(!strncmp(csv, "\xEF\xBB\xBFInscription;Statut;Foyer;", 25));
    ck_assert_ptr_nonnull(strstr(csv, "\r\n40;Payée;Gael CLASSEN;gael;gael@example.org;;"
                                      "CLASSEN;Gael;Non;Non;04/05/1980;47;Atelier;30,00;"
                                      "\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"));
    ck_assert_ptr_nonnull(strstr(csv, "\r\n40;Payée;Gael CLASSEN;gael;gael@example.org;;"
                                      "ÉTIENNE;Zoé;Oui;Oui;01/07/2019;7;"
                                      "Place enfant (< 12 ans);15,00;"));
    ck_assert_ptr_null(strstr(csv, "Martine"));
    /* The opt-outs alone. */
    csv = cmcas_staff_registration_csv(test_pool, &len, act, opts, list, 1);
    ck_assert_ptr_null(strstr(csv, ";Gael;"));
    ck_assert_ptr_nonnull(strstr(csv, ";Zoé;"));
}
END_TEST

START_TEST(test_staff_cancel_reason)
{
    char longer[CMCAS_STAFF_CANCEL_REASON_MAX * 2 + 3];
    int i;

    ck_assert_str_eq(cmcas_staff_cancel_reason(test_pool, "  Car en panne\r\nreporté "),
                     "Car en panne  reporté");
    ck_assert_ptr_null(cmcas_staff_cancel_reason(test_pool, NULL));
    ck_assert_ptr_null(cmcas_staff_cancel_reason(test_pool, " \n\t "));
    /* 500 characters of two bytes each: kept; 501: refused. */
    for (i = 0; i < CMCAS_STAFF_CANCEL_REASON_MAX; i++) {
        memcpy(longer + 2 * i, "\xC3\xA9", 2);
    }
    longer[2 * CMCAS_STAFF_CANCEL_REASON_MAX] = '\0';
    ck_assert_ptr_nonnull(cmcas_staff_cancel_reason(test_pool, longer));
    strcat(longer, "x");
    ck_assert_ptr_null(cmcas_staff_cancel_reason(test_pool, longer));
}
END_TEST

START_TEST(test_staff_cancel_paid_registration)
{
    cmcas_staff_cancel_outcome_t out;

    cmcas_staff_cancel_run(&out, &db.st, test_pool, now, &bn, 40,
                           " Activité annulée par le prestataire ", &rules);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(out.activity_id, 1);
    ck_assert_int_eq(out.refunds, 1);
    ck_assert_str_eq(S("SELECT status || '/' || places_held FROM registration"
                       " WHERE id = 40"), "annulee/0");
    ck_assert_int_eq(I("SELECT places_taken FROM activity WHERE id = 1"), 0);
    ck_assert_int_eq(I("SELECT COUNT(*) FROM registration_person WHERE registration_id = 40"
                       " AND confirmed = 1"), 0);
    /* The paid order: to refund, so that the dashboard lists it. */
    ck_assert_str_eq(S("SELECT status FROM cmcas_order WHERE id = 1"), "a_rembourser");
    ck_assert_str_eq(S("SELECT actor || ' | ' || event FROM cmcas_order_event"
                       " WHERE order_id = 1 ORDER BY id DESC LIMIT 1"),
                     "gestion.bn | Inscription annulée par la CMCAS : remboursement à "
                     "effectuer");
    ck_assert_str_eq(S("SELECT actor || ' | ' || status || ' | ' || event FROM"
                       " registration_event WHERE registration_id = 40 ORDER BY id DESC"
                       " LIMIT 1"),
                     "gestion.bn | annulee | Annulée par la CMCAS : Activité annulée par le "
                     "prestataire");
    ck_assert_str_eq(S("SELECT kind || ' | ' || household_id || ' | ' || registration_id"
                       " || ' | ' || detail FROM cmcas_outbox"),
                     "cancelled | 1 | 40 | Activité annulée par le prestataire");
    ck_assert_str_eq(S("SELECT cmcas_code || ' | ' || actor || ' | ' || action || ' | '"
                       " || object FROM cmcas_audit"),
                     "BN | gestion.bn | Inscription annulée | inscription 40");
    ck_assert_str_eq(S("SELECT before FROM cmcas_audit"),
                     "Commande ABCDEFGHI : Paiement accepté\nStatut : Payée\n"
                     "Places réservées : 2");
    ck_assert_str_eq(S("SELECT after FROM cmcas_audit"),
                     "Commande ABCDEFGHI : Remboursement à effectuer\nStatut : Annulée\n"
                     "Places réservées : 0\nMotif : Activité annulée par le prestataire");
    /* Twice: 409, nothing more written. */
    cmcas_staff_cancel_run(&out, &db.st, test_pool, now, &bn, 40, "encore", &rules);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_CONFLICT);
    ck_assert_str_eq(out.res.message, "L'inscription 40 est déjà annulée : rien n'a été "
                                      "modifié.");
    ck_assert_int_eq(I("SELECT COUNT(*) FROM cmcas_audit"), 1);
    ck_assert_int_eq(I("SELECT COUNT(*) FROM cmcas_outbox"), 1);
}
END_TEST

START_TEST(test_staff_cancel_other_cmcas_and_bad_reason)
{
    cmcas_staff_cancel_outcome_t out;

    cmcas_staff_cancel_run(&out, &db.st, test_pool, now, &to, 40, "motif", &rules);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_NOT_FOUND);
    cmcas_staff_cancel_run(&out, &db.st, test_pool, now, &bn, 999, "motif", &rules);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_NOT_FOUND);
    cmcas_staff_cancel_run(&out, &db.st, test_pool, now, &bn, 40, "   ", &rules);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_BAD_INPUT);
    ck_assert_ptr_nonnull(strstr(out.res.message, "motif"));
    ck_assert_str_eq(S("SELECT status FROM registration WHERE id = 40"), "payee");
    ck_assert_int_eq(I("SELECT places_taken FROM activity WHERE id = 1"), 2);
    ck_assert_int_eq(I("SELECT COUNT(*) FROM cmcas_audit"), 0);
}
END_TEST

START_TEST(test_staff_cancel_rolls_back)
{
    cmcas_staff_cancel_outcome_t out;

    test_db_exec(&db, "CREATE TRIGGER no_audit BEFORE INSERT ON cmcas_audit"
                      " BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    test_db_reconnect(&db);
    cmcas_staff_cancel_run(&out, &db.st, test_pool, now, &bn, 40, "motif", &rules);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_ERROR);
    ck_assert_ptr_nonnull(strstr(out.res.err, "disk full"));
    /* Nothing of it: status, places, order, history, message. */
    ck_assert_str_eq(S("SELECT status || '/' || places_held FROM registration"
                       " WHERE id = 40"), "payee/2");
    ck_assert_int_eq(I("SELECT places_taken FROM activity WHERE id = 1"), 2);
    ck_assert_int_eq(I("SELECT COUNT(*) FROM registration_person WHERE registration_id = 40"
                       " AND confirmed = 1"), 2);
    ck_assert_str_eq(S("SELECT status FROM cmcas_order WHERE id = 1"), "payee");
    ck_assert_int_eq(I("SELECT COUNT(*) FROM cmcas_order_event"), 0);
    ck_assert_int_eq(I("SELECT COUNT(*) FROM registration_event"), 0);
    ck_assert_int_eq(I("SELECT COUNT(*) FROM cmcas_outbox"), 0);
}
END_TEST

START_TEST(test_staff_cancel_waiting_order_and_draft)
{
    cmcas_staff_cancel_outcome_t out;

    /* Validated, an order waiting for the card: the order ends, no refund. */
    test_db_exec(&db, "UPDATE registration SET status = 'validee' WHERE id = 40;"
                      "UPDATE cmcas_order SET status = 'attente_cb' WHERE id = 1");
    cmcas_staff_cancel_run(&out, &db.st, test_pool, now, &bn, 40, "Doublon", &rules);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(out.refunds, 0);
    ck_assert_str_eq(S("SELECT status FROM cmcas_order WHERE id = 1"), "annulee");
    ck_assert_int_eq(I("SELECT places_taken FROM activity WHERE id = 1"), 0);
    /* A draft: cancelled, nobody mailed (it told nobody anything). */
    cmcas_staff_cancel_run(&out, &db.st, test_pool, now, &bn, 41, "Doublon", &rules);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_DONE);
    ck_assert_str_eq(S("SELECT status FROM registration WHERE id = 41"), "annulee");
    ck_assert_int_eq(I("SELECT COUNT(*) FROM cmcas_outbox WHERE registration_id = 41"), 0);
    ck_assert_int_eq(I("SELECT COUNT(*) FROM cmcas_audit"), 2);
}
END_TEST

START_TEST(test_staff_cancel_promotes_the_waiting_list)
{
    cmcas_staff_cancel_outcome_t out;
    cmcas_activity_t *act;
    apr_array_header_t *opts, *list;
    const char *code;

    /* Activity 2 drawn and published, full: household 1 selected (2 places, paid),
     * household 2 waiting (1 person). */
    test_db_exec(&db,
        "UPDATE activity SET capacity = 2, places_taken = 2, draw_done_at = 'x',"
        " draw_published_at = '2027-05-10T00:00:00Z' WHERE id = 2;"
        "INSERT INTO registration (id, activity_id, household_id, status, places_held,"
        " selection, draw_rank, draw_persons, pay_by, created_at, updated_at) VALUES"
        " (50, 2, 1, 'payee', 2, 'retenue', 1, 2, '2027-05-17', 'x', 'x'),"
        " (51, 2, 2, 'validee', 0, 'attente', 2, 1, NULL, 'x', 'x');"
        "INSERT INTO registration_person (id, registration_id, person_id, confirmed) VALUES"
        " (500, 50, 1, 1), (501, 50, 2, 1), (510, 51, 3, 1);"
        "INSERT INTO registration_option (registration_person_id, option_id) VALUES"
        " (500, 3), (501, 3), (510, 3);");
    list = test_staff_registration_list(&act, &opts, 2);
    ck_assert_str_eq(cmcas_staff_registration_label(
                         test_pool, &code, act,
                         &APR_ARRAY_IDX(list, 1, cmcas_staff_registration_t)),
                     "Liste d'attente (position 1)");
    ck_assert_int_eq(cmcas_staff_registration_select(test_pool, act, opts, list,
                                                     CMCAS_STAFF_REGISTRATION_WAITING)->nelts,
                     1);
    cmcas_staff_cancel_run(&out, &db.st, test_pool, now, &bn, 50, "Raison médicale",
                           &rules);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(out.promoted, 1);
    ck_assert_ptr_null(out.fill_err);
    ck_assert_str_eq(S("SELECT status FROM registration WHERE id = 50"), "annulee");
    ck_assert_str_eq(S("SELECT selection || '/' || places_held || '/' || pay_by FROM"
                       " registration WHERE id = 51"), "retenue/1/2027-05-27");
    ck_assert_int_eq(I("SELECT places_taken FROM activity WHERE id = 2"), 1);
    ck_assert_str_eq(S("SELECT group_concat(kind || ':' || household_id, ',') FROM"
                       " (SELECT kind, household_id FROM cmcas_outbox ORDER BY id)"),
                     "cancelled:1,promoted:2");
    list = test_staff_registration_list(&act, &opts, 2);
    ck_assert_int_eq(cmcas_staff_registration_select(test_pool, act, opts, list,
                                                     CMCAS_STAFF_REGISTRATION_SELECTED)->nelts,
                     1);
}
END_TEST

/* The household's message carries the reason the outbox row holds (its detail); a
 * member's own cancellation (no detail) says nothing of the CMCAS. */
static const char *test_staff_cancel_mail(const char *detail)
{
    cmcas_mail_t m;
    const char *msg = NULL, *err = NULL;
    char *flat, *o;
    const char *c;

    memset(&m, 0, sizeof(m));
    m.kind = "cancelled";
    m.event_key = "cancelled:40:0:cmcas:1";
    m.date = now;
    m.from_name = "CMCAS Berry-Nivernais";
    m.from_email = "contact@cmcas-bn.example";
    m.to_email = "gael@example.org";
    m.portal_url = "https://activites.cmcas-bn.example/";
    m.registration_id = 40;
    m.activity_title = "Atelier gourmand";
    m.detail = detail;
    ck_assert_int_eq(APR_SUCCESS, cmcas_mail_compose(&msg, test_pool, &m, &err));
    /* Quoted-printable's soft line breaks out. */
    flat = o = apr_pstrdup(test_pool, msg);
    for (c = msg; *c; c++) {
        if (c[0] == '=' && c[1] == '\n') {
            c++;
            continue;
        }
        *o++ = *c;
    }
    *o = '\0';
    return flat;
}

START_TEST(test_staff_cancel_mail_carries_the_reason)
{
    const char *msg = test_staff_cancel_mail("Car en panne <le jour meme>");

    ck_assert_ptr_nonnull(strstr(msg, "motif suivant : Car en panne <le jour meme>"));
    ck_assert_ptr_nonnull(strstr(msg, "motif suivant : Car en panne &lt;le jour meme&gt;"));
    ck_assert_ptr_null(strstr(test_staff_cancel_mail(NULL), "motif"));
}
END_TEST

Suite *test_staff_registration_suite(void)
{
    Suite *s = suite_create("staff_registration");
    TCase *tc = tcase_create("staff_registration");

    tcase_add_checked_fixture(tc, test_staff_registration_setup,
                              test_staff_registration_teardown);
    tcase_add_test(tc, test_staff_registration_list_and_filters);
    tcase_add_test(tc, test_staff_registration_csv_lines);
    tcase_add_test(tc, test_staff_cancel_reason);
    tcase_add_test(tc, test_staff_cancel_paid_registration);
    tcase_add_test(tc, test_staff_cancel_other_cmcas_and_bad_reason);
    tcase_add_test(tc, test_staff_cancel_rolls_back);
    tcase_add_test(tc, test_staff_cancel_waiting_order_and_draft);
    tcase_add_test(tc, test_staff_cancel_promotes_the_waiting_list);
    tcase_add_test(tc, test_staff_cancel_mail_carries_the_reason);
    suite_add_tcase(s, tc);
    return s;
}
