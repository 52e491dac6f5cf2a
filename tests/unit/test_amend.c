/* A paid registration changed by the CMCAS at the member's request (issue 11), against a
 * real SQLite database: the difference owed or refunded through an adjustment order that
 * holds nothing, places taken by the conditional update (never oversold) or given back,
 * history, audit and the household's message; nothing written when refused or when a
 * statement fails half-way. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_date.h"
#include "../../mod_cmcas/cmcas_desk_change.h"
#include "../../mod_cmcas/cmcas_form.h"
#include "../../mod_cmcas/cmcas_order_change.h"
#include "../../mod_cmcas/cmcas_order_store.h"
#include "../../mod_cmcas/cmcas_registration_amend.h"
#include "../../mod_cmcas/cmcas_staff_cancel.h"

#define Q(...) apr_psprintf(test_pool, __VA_ARGS__)

static test_db_t db;
static apr_time_t now;      /* 2027-05-01 10:00 UTC */
static const cmcas_staff_t bn = {"gestion.bn", "BN", "Hélène FAURE"};
static const cmcas_staff_t to = {"gestion.to", "TO", "Tom"};
static cmcas_registration_amend_outcome_t out;

static void test_amend_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
    now = apr_time_from_sec(1809165600);
    /* Activity 1 gets an option any age may take: « Repas », 15 € (guest 20 €). */
    test_db_exec(&db, "INSERT INTO activity_option (id, activity_id, position, label,"
                      " price_beneficiary, participation_beneficiary, price_guest,"
                      " participation_guest) VALUES (5, 1, 3, 'Repas', 1500, 0, 2000, 0)");
    /* Gael's registration 1, paid: Gael « Atelier » (30 €), one place. */
    test_db_exec(&db, "INSERT INTO registration (id, activity_id, household_id, status,"
                      " places_held, created_at, updated_at) VALUES (1, 1, 1, 'payee', 1,"
                      " '2027-04-20T10:00:00Z', '2027-04-20T10:00:00Z')");
    test_db_exec(&db, "INSERT INTO registration_person (id, registration_id, person_id,"
                      " confirmed) VALUES (1, 1, 1, 1)");
    test_db_exec(&db, "INSERT INTO registration_option (registration_person_id, option_id)"
                      " VALUES (1, 1)");
    test_db_exec(&db, "UPDATE activity SET places_taken = 1 WHERE id = 1");
    test_db_exec(&db, "INSERT INTO cmcas_order (id, reference, registration_id,"
                      " household_id, cmcas_code, total, method, instalments, status,"
                      " hold_until, created_at, updated_at) VALUES (1, 'ABCDEFGHI', 1, 1,"
                      " 'BN', 3000, 'cmcas', 1, 'payee', '2027-04-27T10:00:00Z',"
                      " '2027-04-20T10:00:00Z', '2027-04-20T10:00:00Z')");
}

static void test_amend_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

static apr_int64_t test_amend_int(const char *sql)
{
    return test_db_int(&db, sql);
}

/* Posts `body` (urlencoded, the reason appended) as `staff` on registration `id`. */
static cmcas_result_kind_t test_amend_post(const cmcas_staff_t *staff, apr_int64_t id,
                                           const char *body)
{
    cmcas_registration_amend_input_t in;
    cmcas_draw_change_rules_t rules;
    cmcas_form_t *form = NULL;
    const char *err = NULL, *message = NULL;
    cmcas_date_t today;

    memset(&rules, 0, sizeof(rules));
    ck_assert_int_eq(cmcas_form_parse(&form, test_pool, body, strlen(body), &err),
                     APR_SUCCESS);
    ck_assert_ptr_null(cmcas_registration_amend_input_parse(&in, test_pool, form,
                                                            &message));
    cmcas_date_today(&today, now);
    cmcas_registration_amend_run(&out, &db.st, test_pool, now, &today, staff, id, &in,
                                 &rules);
    return out.res.kind;
}

/* Nothing of a change was written: one person, one order, no audit, one place. */
static void test_amend_untouched(void)
{
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM registration_person"), 1);
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM registration_option"), 1);
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM cmcas_order"), 1);
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM cmcas_audit"), 0);
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM cmcas_outbox"), 0);
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM registration_event"), 0);
    ck_assert_int_eq(test_amend_int("SELECT places_taken FROM activity WHERE id = 1"), 1);
    ck_assert_int_eq(test_amend_int("SELECT places_held FROM registration WHERE id = 1"), 1);
    ck_assert_str_eq(test_db_str(&db, "SELECT status FROM registration WHERE id = 1"),
                     "payee");
}

START_TEST(test_amend_add_option)
{
    cmcas_registration_amend_view_t v;
    cmcas_desk_entry_t e;
    cmcas_order_t *paid = NULL;
    cmcas_result_t res;
    const char *ref;

    cmcas_registration_amend_load(&res, &v, &db.st, test_pool, &bn, 1);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(v.total, 3000);
    ck_assert_int_eq(v.reg->participants->nelts, 1);
    ck_assert_ptr_null(v.waiting);
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&options-1=5"
                                              "&motif=Repas+demand%C3%A9+par+t%C3%A9l%C3%A9phone"),
                     CMCAS_RESULT_DONE);
    ck_assert_int_eq(out.before, 3000);
    ck_assert_int_eq(out.after, 4500);
    ck_assert_str_eq(out.changes, "Gael CLASSEN : + Repas");
    ck_assert_ptr_nonnull(out.order);
    ref = out.order->reference;
    /* An order of the difference waits at the desk; the registration stays paid. */
    ck_assert_str_eq(test_db_str(&db, Q("SELECT status || ' ' || total || ' ' || method ||"
                                        " ' ' || adjustment FROM cmcas_order"
                                        " WHERE reference = '%s'", ref)),
                     "attente_cmcas 1500 cmcas 1");
    ck_assert_str_eq(test_db_str(&db, Q("SELECT l.person || ' / ' || l.option_label || ' / '"
                                        " || l.amount FROM cmcas_order_line l JOIN"
                                        " cmcas_order o ON o.id = l.order_id"
                                        " WHERE o.reference = '%s'", ref)),
                     "Gael CLASSEN / Repas / 1500");
    ck_assert_str_eq(test_db_str(&db, "SELECT status FROM registration WHERE id = 1"),
                     "payee");
    ck_assert_str_eq(test_db_str(&db, "SELECT actor || ' | ' || event FROM"
                                      " registration_event WHERE registration_id = 1"),
                     "gestion.bn | Modifiée par la CMCAS : Repas demandé par téléphone — "
                     "Gael CLASSEN : + Repas");
    ck_assert_str_eq(test_db_str(&db, "SELECT action || ' | ' || object FROM cmcas_audit"),
                     "Inscription modifiée | inscription 1");
    ck_assert_ptr_nonnull(strstr(test_db_str(&db, "SELECT after FROM cmcas_audit"),
                                 "Gael CLASSEN (Atelier, Repas)"));
    ck_assert_ptr_nonnull(strstr(test_db_str(&db, "SELECT after FROM cmcas_audit"), ref));
    ck_assert_str_eq(test_db_str(&db, "SELECT kind || ' ' || detail FROM cmcas_outbox"),
                     "order_desk Repas demandé par téléphone");
    ck_assert_int_eq(test_amend_int("SELECT places_taken FROM activity WHERE id = 1"), 1);
    /* The member's pages: not the registration's payment, not the member's to cancel. */
    {
        const char *waiting = NULL, *err = NULL;
        ck_assert_int_eq(cmcas_order_store_waiting(&waiting, &db.st, test_pool, 1, &err),
                         APR_SUCCESS);
        ck_assert_ptr_null(waiting);
    }
    cmcas_order_change_cancel(&res, &db.st, test_pool, "gael", now, 1, ref);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_CONFLICT);
    /* A second change before that is paid replaces it: undoing the first owes nothing
     * and refunds nothing (what was paid is still 30,00 €). */
    cmcas_registration_amend_load(&res, &v, &db.st, test_pool, &bn, 1);
    ck_assert_str_eq(v.waiting, ref);
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&motif=Annul%C3%A9"),
                     CMCAS_RESULT_DONE);
    ck_assert_int_eq(out.paid, 3000);
    ck_assert_int_eq(out.after, 3000);
    ck_assert_ptr_null(out.order);
    ck_assert_str_eq(test_db_str(&db, Q("SELECT status FROM cmcas_order WHERE reference ="
                                        " '%s'", ref)), "annulee");
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM cmcas_order WHERE adjustment = 1"
                                    " AND status <> 'annulee'"), 0);
    ck_assert_ptr_nonnull(strstr(test_db_str(&db, "SELECT after FROM cmcas_audit"
                                                  " ORDER BY id DESC LIMIT 1"),
                                 "Commande d'ajustement remplacée : annulée"));
    /* Added again, then another option too: one order of both, which takes over. */
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&options-1=5"
                                              "&motif=Repas"), CMCAS_RESULT_DONE);
    ref = out.order->reference;
    ck_assert_int_eq(out.order->total, 1500);
    /* The desk takes its payment: paid, the registration still paid. */
    ck_assert_ptr_null(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "cheque",
                                             "15,00", "30/04/2027", NULL, now));
    cmcas_desk_change_record(&res, &paid, &db.st, test_pool, now, &bn, ref, &e, NULL);
    ck_assert_msg(res.kind == CMCAS_RESULT_DONE, "%s %s", res.why ? res.why : "",
                  res.err ? res.err : "");
    ck_assert_str_eq(test_db_str(&db, Q("SELECT status FROM cmcas_order WHERE reference ="
                                        " '%s'", ref)), "payee");
    ck_assert_str_eq(test_db_str(&db, "SELECT status FROM registration WHERE id = 1"),
                     "payee");
    /* Then it may change again: taking the option off is refunded. */
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&motif=Finalement+non"),
                     CMCAS_RESULT_DONE);
    ck_assert_int_eq(out.order->total, 1500);
    ck_assert_int_eq(out.order->status, CMCAS_STATUS_ORDER_A_REMBOURSER);
    ck_assert_str_eq(test_db_str(&db, Q("SELECT option_label FROM cmcas_order_line l JOIN"
                                        " cmcas_order o ON o.id = l.order_id WHERE"
                                        " o.reference = '%s'", out.order->reference)),
                     "Retrait : Repas");
}
END_TEST

START_TEST(test_amend_remove_person)
{
    cmcas_desk_entry_t e;
    cmcas_order_t *done = NULL;
    cmcas_result_t res;

    /* Louane (8) « Place enfant » (10 €) is in it too: two places. */
    test_db_exec(&db, "INSERT INTO registration_person (id, registration_id, person_id,"
                      " confirmed) VALUES (2, 1, 2, 1)");
    test_db_exec(&db, "INSERT INTO registration_option (registration_person_id, option_id)"
                      " VALUES (2, 2)");
    test_db_exec(&db, "UPDATE activity SET places_taken = 2 WHERE id = 1");
    test_db_exec(&db, "UPDATE registration SET places_held = 2 WHERE id = 1");
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&participant=2"
                                              "&options-2=2&retirer-2=1&motif=Malade"),
                     CMCAS_RESULT_DONE);
    ck_assert_str_eq(out.changes, "retrait de Louane CLASSEN");
    ck_assert_int_eq(out.after - out.before, -1000);
    ck_assert_str_eq(test_db_str(&db, Q("SELECT status || ' ' || total || ' ' || adjustment"
                                        " FROM cmcas_order WHERE reference = '%s'",
                                        out.order->reference)), "a_rembourser 1000 1");
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM registration_person"), 1);
    ck_assert_int_eq(test_amend_int("SELECT places_taken FROM activity WHERE id = 1"), 1);
    ck_assert_int_eq(test_amend_int("SELECT places_held FROM registration WHERE id = 1"), 1);
    /* The household is told of the refund to come, with the staff's reason. */
    ck_assert_str_eq(test_db_str(&db, "SELECT kind || ' ' || detail FROM cmcas_outbox"),
                     "refund_due Malade");
    ck_assert_ptr_null(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_REFUND, "virement",
                                             NULL, "30/04/2027", "", now));
    cmcas_desk_change_record(&res, &done, &db.st, test_pool, now, &bn,
                             out.order->reference, &e, NULL);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_str_eq(cmcas_order_status_label(done), "Remboursée");
    ck_assert_str_eq(test_db_str(&db, "SELECT group_concat(kind || ' ' || detail, ', ')"
                                      " FROM (SELECT * FROM cmcas_outbox ORDER BY id)"),
                     "refund_due Malade, refunded virement");
}
END_TEST

START_TEST(test_amend_add_guest)
{
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&personne=invite"
                                              "&invite-nom=Durand&invite-prenom=Paul"
                                              "&invite-naissance=01%2F02%2F1990"
                                              "&options-nouveau=1&motif=Un+ami"),
                     CMCAS_RESULT_DONE);
    ck_assert_str_eq(out.changes, "ajout de Paul Durand (invité)");
    ck_assert_int_eq(out.order->total, 4000);          /* the guest's price */
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM registration_person"
                                    " WHERE person_id IS NULL AND confirmed = 1"), 1);
    ck_assert_int_eq(test_amend_int("SELECT places_taken FROM activity WHERE id = 1"), 2);
    ck_assert_int_eq(test_amend_int("SELECT places_held FROM registration WHERE id = 1"), 2);
    /* Its order waits at the desk; the guest taken off again before paying: that order
     * is cancelled, nothing owed or refunded, the place back. */
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&participant=2"
                                              "&options-2=1&retirer-2=1&motif=x"),
                     CMCAS_RESULT_DONE);
    ck_assert_ptr_null(out.order);
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM cmcas_order WHERE adjustment = 1"
                                    " AND status = 'annulee'"), 1);
    ck_assert_int_eq(test_amend_int("SELECT places_taken FROM activity WHERE id = 1"), 1);
}
END_TEST

START_TEST(test_amend_refusals)
{
    /* No place left: refused, nothing written. */
    test_db_exec(&db, "UPDATE activity SET capacity = 1 WHERE id = 1");
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&personne=2"
                                              "&options-nouveau=2&motif=Sa+fille"),
                     CMCAS_RESULT_CONFLICT);
    ck_assert_ptr_nonnull(strstr(out.res.message, "plus de place"));
    test_amend_untouched();
    test_db_exec(&db, "UPDATE activity SET capacity = 3 WHERE id = 1");
    /* Rules: an option outside its age range, a person without option, nobody left. */
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=2&motif=x"),
                     CMCAS_RESULT_REFUSED);
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&personne=2"
                                              "&motif=x"), CMCAS_RESULT_REFUSED);
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&retirer-1=1"
                                              "&motif=x"), CMCAS_RESULT_REFUSED);
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&personne=3"
                                              "&options-nouveau=1&motif=x"),
                     CMCAS_RESULT_BAD_INPUT);       /* another household's person */
    /* No reason, nothing to change, a form that does not list everyone. */
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&options-1=5"
                                              "&motif=+"), CMCAS_RESULT_BAD_INPUT);
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&motif=x"),
                     CMCAS_RESULT_BAD_INPUT);
    ck_assert_int_eq(test_amend_post(&bn, 1, "personne=2&options-nouveau=2&motif=x"),
                     CMCAS_RESULT_BAD_INPUT);
    /* Another CMCAS's staff: not found. */
    ck_assert_int_eq(test_amend_post(&to, 1, "participant=1&options-1=1&options-1=5"
                                              "&motif=x"), CMCAS_RESULT_NOT_FOUND);
    ck_assert_int_eq(test_amend_post(&bn, 99, "participant=1&motif=x"),
                     CMCAS_RESULT_NOT_FOUND);
    test_amend_untouched();
    /* Not paid: the member changes it. */
    test_db_exec(&db, "UPDATE registration SET status = 'validee' WHERE id = 1");
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&options-1=5"
                                              "&motif=x"), CMCAS_RESULT_CONFLICT);
    ck_assert_ptr_nonnull(strstr(out.res.message, "Mes inscriptions"));
    ck_assert_int_eq(test_amend_int("SELECT COUNT(*) FROM registration_option"), 1);
}
END_TEST

START_TEST(test_amend_rollback)
{
    /* The audit line fails, last: nothing of the change stays. */
    test_db_exec(&db, "CREATE TRIGGER test_amend_no_audit BEFORE INSERT ON cmcas_audit"
                      " BEGIN SELECT RAISE(ABORT, 'no audit'); END");
    test_db_reconnect(&db);
    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&personne=2"
                                              "&options-nouveau=2&motif=Sa+fille"),
                     CMCAS_RESULT_ERROR);
    test_amend_untouched();
}
END_TEST

START_TEST(test_amend_expiry)
{
    apr_array_header_t *expired = NULL;
    const char *err = NULL;
    cmcas_order_t *o = NULL;
    cmcas_result_t res;
    apr_int64_t places = 0;
    int ended = 1;

    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&options-1=5"
                                              "&motif=Repas"), CMCAS_RESULT_DONE);
    /* A week later, its hold long past: the expiry job does not see it. */
    ck_assert_int_eq(cmcas_order_store_expired(&expired, &db.st, test_pool,
                                               "2027-05-08T10:00:00Z", &err), APR_SUCCESS);
    ck_assert_int_eq(expired->nelts, 0);
    /* Even handed to it, it ends nothing. */
    ck_assert_int_eq(cmcas_order_store_get(&o, &db.st, test_pool, out.order->reference, 1,
                                           &err), APR_SUCCESS);
    ck_assert_int_eq(o->adjustment, 1);
    cmcas_order_change_expire(&res, &ended, &places, &db.st, test_pool,
                              now + apr_time_from_sec(7 * 86400), o);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(ended, 0);
    ck_assert_str_eq(test_db_str(&db, "SELECT status FROM registration WHERE id = 1"),
                     "payee");
    ck_assert_str_eq(test_db_str(&db, Q("SELECT status FROM cmcas_order WHERE reference ="
                                        " '%s'", o->reference)), "attente_cmcas");
    ck_assert_int_eq(test_amend_int("SELECT places_taken FROM activity WHERE id = 1"), 1);
}
END_TEST

START_TEST(test_amend_then_cancelled)
{
    cmcas_staff_cancel_outcome_t c;
    cmcas_draw_change_rules_t rules;

    ck_assert_int_eq(test_amend_post(&bn, 1, "participant=1&options-1=1&options-1=5"
                                              "&motif=Repas"), CMCAS_RESULT_DONE);
    /* Cancelled by the CMCAS while the adjustment waits: it ends with the registration,
     * the first order paid is to refund. */
    memset(&rules, 0, sizeof(rules));
    cmcas_staff_cancel_run(&c, &db.st, test_pool, now, &bn, 1, "Annulation", &rules);
    ck_assert_int_eq(c.res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(c.refunds, 1);
    ck_assert_str_eq(test_db_str(&db, Q("SELECT status FROM cmcas_order WHERE reference ="
                                        " '%s'", out.order->reference)), "annulee");
    ck_assert_str_eq(test_db_str(&db, "SELECT status FROM cmcas_order WHERE id = 1"),
                     "a_rembourser");
    ck_assert_int_eq(test_amend_int("SELECT places_taken FROM activity WHERE id = 1"), 0);
}
END_TEST

Suite *test_amend_suite(void)
{
    Suite *s = suite_create("amend");
    TCase *tc = tcase_create("flows");

    tcase_add_checked_fixture(tc, test_amend_setup, test_amend_teardown);
    tcase_add_test(tc, test_amend_add_option);
    tcase_add_test(tc, test_amend_remove_person);
    tcase_add_test(tc, test_amend_add_guest);
    tcase_add_test(tc, test_amend_refusals);
    tcase_add_test(tc, test_amend_rollback);
    tcase_add_test(tc, test_amend_expiry);
    tcase_add_test(tc, test_amend_then_cancelled);
    suite_add_tcase(s, tc);
    return s;
}
