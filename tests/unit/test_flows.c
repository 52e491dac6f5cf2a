/* The flows that change registrations, orders and payments, against a real SQLite
 * database through apr_dbd (no httpd): every transition and every refusal, races
 * included. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_catalog.h"
#include "../../mod_cmcas/cmcas_catalog_store.h"
#include "../../mod_cmcas/cmcas_order_change.h"
#include "../../mod_cmcas/cmcas_order_store.h"
#include "../../mod_cmcas/cmcas_payment.h"
#include "../../mod_cmcas/cmcas_registration_change.h"
#include "../../mod_cmcas/cmcas_session_store.h"
#include "../../mod_cmcas/cmcas_status.h"

static test_db_t db;
static apr_time_t now;      /* 2027-05-01 10:00 UTC: registrations are open */
static cmcas_date_t today;

static void test_flows_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
    now = apr_time_from_sec(1809165600);
    cmcas_date_today(&today, now);
}

static void test_flows_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

#define Q(...) apr_psprintf(test_pool, __VA_ARGS__)

/* ------------------------------------------------------------------------------- */
/* The member's side, as the registration page posts it */

static const char *const test_flows_logins[] = {NULL, "gael", "martine", "sophie"};

static cmcas_registration_change_who_t *test_flows_who(apr_int64_t household,
                                                       apr_int64_t activity)
{
    cmcas_registration_change_who_t *who = apr_pcalloc(test_pool, sizeof(*who));
    cmcas_household_t *hh = NULL;
    apr_array_header_t *persons = NULL, *options = NULL;
    cmcas_activity_t *act = NULL;
    const char *err = NULL;

    ck_assert_int_eq(cmcas_store_household_by_login(&hh, &db.st, test_pool,
                                                    test_flows_logins[household], &err),
                     APR_SUCCESS);
    ck_assert_int_eq(cmcas_store_persons(&persons, &db.st, test_pool, hh->id, &err),
                     APR_SUCCESS);
    ck_assert_int_eq(cmcas_catalog_store_activity(&act, &db.st, test_pool, activity, &err),
                     APR_SUCCESS);
    ck_assert_int_eq(cmcas_catalog_store_options(&options, &db.st, test_pool, activity, &err),
                     APR_SUCCESS);
    who->household = hh;
    who->persons = persons;
    who->act = act;
    who->options = options;
    who->today = &today;
    who->actor = hh->login;
    who->now = now;
    return who;
}

static cmcas_registration_input_t *test_flows_input(cmcas_registration_input_action_t action)
{
    cmcas_registration_input_t *in = apr_pcalloc(test_pool, sizeof(*in));
    in->action = action;
    in->code = "test";
    in->choices = apr_array_make(test_pool, 2, sizeof(cmcas_registration_input_choice_t));
    return in;
}

/* The registration_person id of a household person (or a guest by first name). */
static apr_int64_t test_flows_participant(apr_int64_t person_id)
{
    return test_db_int(&db, Q("SELECT id FROM registration_person WHERE person_id = %"
                              APR_INT64_T_FMT, person_id));
}

static void test_flows_tick(cmcas_registration_input_t *in, apr_int64_t participant,
                            apr_int64_t option)
{
    cmcas_registration_input_choice_t *c = apr_array_push(in->choices);
    c->participant_id = participant;
    c->options = apr_array_make(test_pool, 1, sizeof(apr_int64_t));
    c->photo_optout = 0;
    if (option) {
        *(apr_int64_t *)apr_array_push(c->options) = option;
    }
}

static cmcas_result_kind_t test_flows_post(apr_int64_t household, apr_int64_t activity,
                                           const cmcas_registration_input_t *in,
                                           cmcas_registration_change_outcome_t *pout)
{
    cmcas_registration_change_outcome_t out;
    cmcas_registration_change_post(pout ? pout : &out, &db.st, test_pool,
                                   test_flows_who(household, activity), in);
    return (pout ? pout : &out)->res.kind;
}

static cmcas_result_kind_t test_flows_add(apr_int64_t household, apr_int64_t activity,
                                          apr_int64_t person_id)
{
    cmcas_registration_input_t *in = test_flows_input(CMCAS_REGISTRATION_INPUT_ADD);
    in->person_id = person_id;
    return test_flows_post(household, activity, in, NULL);
}

/* Validates with one option ticked for each (person, option) pair given. */
static cmcas_result_kind_t test_flows_validate(apr_int64_t household, apr_int64_t activity,
                                               int n, const apr_int64_t *pairs,
                                               cmcas_registration_change_outcome_t *pout)
{
    cmcas_registration_input_t *in = test_flows_input(CMCAS_REGISTRATION_INPUT_VALIDATE);
    int i;
    for (i = 0; i < n; i++) {
        test_flows_tick(in, test_flows_participant(pairs[2 * i]), pairs[2 * i + 1]);
    }
    return test_flows_post(household, activity, in, pout);
}

static const char *test_flows_reg_status(apr_int64_t household, apr_int64_t activity)
{
    return test_db_str(&db, Q("SELECT status FROM registration WHERE household_id = %"
                              APR_INT64_T_FMT " AND activity_id = %" APR_INT64_T_FMT,
                              household, activity));
}

/* The messages of this kind in the outbox (written with the change they report). */
static apr_int64_t test_flows_mails(const char *kind)
{
    return test_db_int(&db, Q("SELECT COUNT(*) FROM cmcas_outbox WHERE kind = '%s'", kind));
}

static apr_int64_t test_flows_places(apr_int64_t activity)
{
    return test_db_int(&db, Q("SELECT places_taken FROM activity WHERE id = %"
                              APR_INT64_T_FMT, activity));
}

/* Gael alone on activity 1, validated with « Atelier » (30,00 €). */
static void test_flows_gael_validated(void)
{
    static const apr_int64_t gael_atelier[] = {1, 1};
    ck_assert_int_eq(test_flows_add(1, 1, 1), CMCAS_RESULT_DONE);
    ck_assert_int_eq(test_flows_validate(1, 1, 1, gael_atelier, NULL), CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_reg_status(1, 1), "validee");
}

/* Every statement of the registry prepares against the schema (test_db_open asserts
 * each one and that no label is used twice); here, that none is forgotten. */
START_TEST(test_flows_registry)
{
    int i, n = 0;
    const cmcas_store_stmt_t *s;

    for (i = 0; cmcas_store_registry[i]; i++) {
        for (s = cmcas_store_registry[i]; s->label; s++) {
            ck_assert_msg(!strncmp(s->label, "cmcas_", 6), "%s: not prefixed", s->label);
            n++;
        }
    }
    ck_assert_int_eq(apr_hash_count(db.st.prepared), n);
    ck_assert_ptr_nonnull(apr_hash_get(db.st.prepared, "cmcas_ord_notice",
                                       APR_HASH_KEY_STRING));
    ck_assert_ptr_nonnull(apr_hash_get(db.st.prepared, "cmcas_catalog_own",
                                       APR_HASH_KEY_STRING));
}
END_TEST

/* The catalog chosen, ordered, counted and searched in the database. */
START_TEST(test_flows_catalog_page)
{
    cmcas_catalog_store_query_t q;
    apr_array_header_t *acts = NULL;
    const char *err = NULL;
    int total = -1;

    memset(&q, 0, sizeof(q));
    q.own_code = "BN";
    q.today = "2027-05-01";
    q.limit = 1;
    ck_assert_int_eq(cmcas_catalog_store_page(&acts, &total, &db.st, test_pool, &q, &err),
                     APR_SUCCESS);
    ck_assert_int_eq(total, 2);
    ck_assert_int_eq(acts->nelts, 1);
    ck_assert_int_eq(APR_ARRAY_IDX(acts, 0, cmcas_activity_t).id, 1);
    ck_assert_ptr_null(APR_ARRAY_IDX(acts, 0, cmcas_activity_t).description);
    q.offset = 1;
    cmcas_catalog_store_page(&acts, &total, &db.st, test_pool, &q, &err);
    ck_assert_int_eq(APR_ARRAY_IDX(acts, 0, cmcas_activity_t).id, 2);
    /* accents and case aside, every word begins a word */
    q.offset = 0;
    q.limit = 10;
    q.match = cmcas_catalog_match(test_pool, "CITE scien");
    cmcas_catalog_store_page(&acts, &total, &db.st, test_pool, &q, &err);
    ck_assert_int_eq(total, 1);
    ck_assert_int_eq(APR_ARRAY_IDX(acts, 0, cmcas_activity_t).id, 2);
    q.match = cmcas_catalog_match(test_pool, "ciences");
    cmcas_catalog_store_page(&acts, &total, &db.st, test_pool, &q, &err);
    ck_assert_int_eq(total, 0);
    /* the index follows a renamed activity (triggers) */
    test_db_exec(&db, "UPDATE activity SET title = 'Musée du Louvre' WHERE id = 2");
    q.match = cmcas_catalog_match(test_pool, "musee");
    cmcas_catalog_store_page(&acts, &total, &db.st, test_pool, &q, &err);
    ck_assert_int_eq(total, 1);
    /* the other tab: Touraine's activity is not open to others */
    q.match = NULL;
    q.own_code = "TO";
    q.others = 1;
    cmcas_catalog_store_page(&acts, &total, &db.st, test_pool, &q, &err);
    ck_assert_int_eq(total, 1);                     /* activity 1, open to others */
    q.theme = "SPORT";
    cmcas_catalog_store_page(&acts, &total, &db.st, test_pool, &q, &err);
    ck_assert_int_eq(total, 0);
}
END_TEST

/* Sessions past their end are deleted by the job; live ones stay. */
START_TEST(test_flows_session_purge)
{
    const char *err = NULL;
    int deleted = -1;

    test_db_exec(&db, "INSERT INTO cmcas_session (id, data, expiry, deadline) VALUES"
                      " ('old', 'x', 1000, 2000), ('live', 'y', 5000000, 9000000)");
    ck_assert_int_eq(cmcas_session_store_purge(&deleted, &db.st, test_pool, 4000, &err),
                     APR_SUCCESS);
    ck_assert_int_eq(deleted, 1);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_session"), 1);
    ck_assert_str_eq(test_db_str(&db, "SELECT id FROM cmcas_session"), "live");
}
END_TEST

START_TEST(test_flows_statuses)
{
    int i;
    for (i = 0; i < CMCAS_STATUS_REG_COUNT; i++) {
        ck_assert_int_eq(cmcas_status_reg_parse(cmcas_status_reg_code(i)), i);
    }
    for (i = 0; i < CMCAS_STATUS_ORDER_COUNT; i++) {
        ck_assert_int_eq(cmcas_status_order_parse(cmcas_status_order_code(i)), i);
    }
    ck_assert_int_eq(cmcas_status_order_parse("rembourse"), -1);
    ck_assert_str_eq(cmcas_status_order_label(CMCAS_STATUS_ORDER_REFUSEE), "Paiement refusé");
    /* A paid order or registration never moves by a member's or a bank's flow. */
    for (i = 0; i < CMCAS_STATUS_ORDER_COUNT; i++) {
        /* (staying records an event, e.g. a second payment to refund) */
        ck_assert(!cmcas_status_order_allowed(CMCAS_STATUS_ORDER_PAYEE, i)
                  == (i != CMCAS_STATUS_ORDER_PAYEE));
    }
    for (i = 0; i < CMCAS_STATUS_REG_COUNT; i++) {
        ck_assert(!cmcas_status_reg_allowed(CMCAS_STATUS_REG_PAYEE, i));
    }
    ck_assert(cmcas_status_order_allowed(CMCAS_STATUS_ORDER_ANNULEE,
                                         CMCAS_STATUS_ORDER_A_REMBOURSER));
    ck_assert(!cmcas_status_order_allowed(CMCAS_STATUS_ORDER_ANNULEE,
                                          CMCAS_STATUS_ORDER_PAYEE));
    ck_assert(cmcas_status_order_holds(CMCAS_STATUS_ORDER_REFUSEE));
    ck_assert(!cmcas_status_order_waiting(CMCAS_STATUS_ORDER_REFUSEE));
}
END_TEST

START_TEST(test_flows_registration_lifecycle)
{
    static const apr_int64_t none[] = {1, 0};
    static const apr_int64_t adult_child_option[] = {1, 2};
    static const apr_int64_t both[] = {1, 1, 2, 2};
    cmcas_registration_change_outcome_t out;
    cmcas_registration_input_t *in;

    /* Validating nothing stores nothing. */
    ck_assert_int_eq(test_flows_validate(1, 1, 0, NULL, &out), CMCAS_RESULT_REFUSED);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM registration"), 0);
    /* The first person makes a draft. */
    ck_assert_int_eq(test_flows_add(1, 1, 1), CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_reg_status(1, 1), "brouillon");
    ck_assert_int_eq(test_flows_add(1, 1, 1), CMCAS_RESULT_REFUSED);    /* twice */
    /* Validation needs an option per person. */
    ck_assert_int_eq(test_flows_validate(1, 1, 1, none, &out), CMCAS_RESULT_REFUSED);
    ck_assert_str_eq(test_flows_reg_status(1, 1), "brouillon");
    /* An adult cannot take the children's option: refused, nothing written. */
    ck_assert_int_eq(test_flows_validate(1, 1, 1, adult_child_option, &out),
                     CMCAS_RESULT_REFUSED);
    ck_assert_ptr_nonnull(strstr(out.res.message, "Gael CLASSEN ne peut pas la choisir"));
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM registration_option"), 0);
    ck_assert_int_eq(test_flows_places(1), 0);
    /* Louane (8 on the day) may: both validated, two places. */
    ck_assert_int_eq(test_flows_add(1, 1, 2), CMCAS_RESULT_DONE);
    ck_assert_int_eq(test_flows_validate(1, 1, 2, both, &out), CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_reg_status(1, 1), "validee");
    ck_assert_int_eq(test_flows_places(1), 2);
    ck_assert_int_eq(test_db_int(&db, "SELECT places_held FROM registration"), 2);
    /* Validating again changes nothing and writes nothing. */
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM registration_event"), 3);
    ck_assert_int_eq(test_flows_validate(1, 1, 2, both, &out), CMCAS_RESULT_DONE);
    ck_assert_int_eq(test_flows_places(1), 2);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM registration_event"), 3);
    /* « Retirer » Louane gives her place back. */
    in = test_flows_input(CMCAS_REGISTRATION_INPUT_REMOVE);
    in->remove_id = test_flows_participant(2);
    ck_assert_int_eq(test_flows_post(1, 1, in, NULL), CMCAS_RESULT_DONE);
    ck_assert_int_eq(test_flows_places(1), 1);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM registration_person"), 1);
    ck_assert_int_eq(test_flows_participant(2), -1);
    /* « Annuler »: the last place back. */
    ck_assert_int_eq(test_flows_post(1, 1, test_flows_input(CMCAS_REGISTRATION_INPUT_CANCEL),
                                     NULL), CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_reg_status(1, 1), "annulee");
    ck_assert_int_eq(test_flows_places(1), 0);
    /* Its persons stay: validating again takes the place again. */
    ck_assert_int_eq(test_flows_add(1, 1, 1), CMCAS_RESULT_REFUSED);
    ck_assert_int_eq(test_flows_validate(1, 1, 1, both, &out), CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_reg_status(1, 1), "validee");
    ck_assert_int_eq(test_flows_places(1), 1);
}
END_TEST

START_TEST(test_flows_registration_refusals)
{
    static const apr_int64_t martine[] = {3, 1};
    cmcas_registration_change_outcome_t out;
    cmcas_registration_input_t *in;

    /* Places run out between the page and « Valider »: the draft is kept. */
    ck_assert_int_eq(test_flows_add(2, 1, 3), CMCAS_RESULT_DONE);
    test_db_exec(&db, "UPDATE activity SET places_taken = 3 WHERE id = 1");
    ck_assert_int_eq(test_flows_validate(2, 1, 1, martine, &out), CMCAS_RESULT_CONFLICT);
    ck_assert_str_eq(test_flows_reg_status(2, 1), "brouillon");
    ck_assert_int_eq(test_flows_places(1), 3);
    /* Nothing of the validation stays. */
    ck_assert_int_eq(test_db_int(&db, "SELECT places_held FROM registration WHERE "
                                      "household_id = 2 AND activity_id = 1"), 0);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM registration_person "
                                      "WHERE confirmed = 1"), 0);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM registration_event WHERE "
                                      "event LIKE 'Inscription valid%'"), 0);
    /* ...but the option ticked with it is kept. */
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM registration_option"), 1);
    test_db_exec(&db, "UPDATE activity SET places_taken = 0 WHERE id = 1");

    /* Someone else's participant in the form: malformed, nothing written. */
    ck_assert_int_eq(test_flows_add(1, 1, 1), CMCAS_RESULT_DONE);
    in = test_flows_input(CMCAS_REGISTRATION_INPUT_SAVE);
    test_flows_tick(in, test_flows_participant(3), 1);
    ck_assert_int_eq(test_flows_post(1, 1, in, NULL), CMCAS_RESULT_BAD_INPUT);
    /* A person of another household. */
    ck_assert_int_eq(test_flows_add(1, 1, 3), CMCAS_RESULT_BAD_INPUT);
    /* An option of another activity. */
    in = test_flows_input(CMCAS_REGISTRATION_INPUT_SAVE);
    test_flows_tick(in, test_flows_participant(1), 3);
    ck_assert_int_eq(test_flows_post(1, 1, in, NULL), CMCAS_RESULT_BAD_INPUT);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM registration_option"), 1);

    /* Touraine's own activity is not open to a Berry-Nivernais household. */
    ck_assert_int_eq(test_flows_add(1, 3, 1), CMCAS_RESULT_REFUSED);
    ck_assert_ptr_null(test_flows_reg_status(1, 3));
    /* A Touraine member may take a BN activity open to others. */
    ck_assert_int_eq(test_flows_add(3, 1, 4), CMCAS_RESULT_DONE);
    /* A refused guest (no birth date) on a new registration leaves nothing behind. */
    in = test_flows_input(CMCAS_REGISTRATION_INPUT_ADD);
    in->guest = 1;
    in->guest_last = "PETIT";
    in->guest_first = "Michel";
    in->guest_birth = "";
    ck_assert_int_eq(test_flows_post(2, 2, in, &out), CMCAS_RESULT_BAD_INPUT);
    ck_assert(out.echo_guest);
    ck_assert_ptr_null(test_flows_reg_status(2, 2));
    /* After the closing date, nothing changes any more. */
    test_db_exec(&db, "UPDATE activity SET closing_date = '2027-04-30' WHERE id = 1");
    ck_assert_int_eq(test_flows_post(1, 1, test_flows_input(CMCAS_REGISTRATION_INPUT_CANCEL),
                                     NULL), CMCAS_RESULT_REFUSED);
}
END_TEST

START_TEST(test_flows_tour_de_role)
{
    static const apr_int64_t gael[] = {1, 3};
    ck_assert_int_eq(test_flows_add(1, 2, 1), CMCAS_RESULT_DONE);
    ck_assert_int_eq(test_flows_validate(1, 2, 1, gael, NULL), CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_reg_status(1, 2), "validee");
    ck_assert_int_eq(test_flows_places(2), 0);      /* a request: no place taken */
    /* The member is told the request is recorded, with the draw's date. */
    ck_assert_int_eq(test_flows_mails("request"), 1);
    ck_assert_int_eq(test_flows_mails("validated"), 0);
    ck_assert_str_eq(test_db_str(&db, "SELECT detail FROM cmcas_outbox"), "2027-06-02");
}
END_TEST

/* ------------------------------------------------------------------------------- */
/* Orders */

static cmcas_order_t *test_flows_order(const char *method, cmcas_result_kind_t expect)
{
    cmcas_registration_change_who_t *who = test_flows_who(1, 1);
    cmcas_order_change_choice_t choice;
    cmcas_order_t *order = NULL;
    cmcas_result_t res;

    choice.method = method;
    choice.instalments = 1;
    choice.hold = apr_time_from_sec(strcmp(method, "cmcas") ? 1800 : 7 * 86400);
    cmcas_order_change_create(&res, &order, &db.st, test_pool, "gael", now, 1, who->act,
                              who->options, "BN", &choice);
    ck_assert_int_eq(res.kind, expect);
    return order;
}

static const char *test_flows_order_status(const char *ref)
{
    return test_db_str(&db, Q("SELECT status FROM cmcas_order WHERE reference = '%s'", ref));
}

START_TEST(test_flows_orders)
{
    cmcas_order_t *desk, *card, *again;
    cmcas_result_t res;

    /* Nothing to pay before validation. */
    test_flows_order("cmcas", CMCAS_RESULT_NOT_FOUND);
    ck_assert_int_eq(test_flows_add(1, 1, 1), CMCAS_RESULT_DONE);
    test_flows_order("cmcas", CMCAS_RESULT_NOT_FOUND);
    {
        static const apr_int64_t gael_atelier[] = {1, 1};
        ck_assert_int_eq(test_flows_validate(1, 1, 1, gael_atelier, NULL), CMCAS_RESULT_DONE);
    }
    desk = test_flows_order("cmcas", CMCAS_RESULT_DONE);
    ck_assert_int_eq(desk->total, 3000);
    ck_assert_str_eq(desk->hold_until, cmcas_date_stamp(test_pool,
                                                        now + apr_time_from_sec(7 * 86400)));
    /* While it waits, the registration is frozen but can be cancelled. */
    ck_assert_int_eq(test_flows_add(1, 1, 2), CMCAS_RESULT_CONFLICT);
    /* Paying by card instead replaces it and keeps its hold: a retry never extends. */
    card = test_flows_order("paybox", CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_order_status(desk->reference), "annulee");
    ck_assert_str_eq(test_flows_order_status(card->reference), "attente_cb");
    ck_assert_str_eq(card->hold_until, desk->hold_until);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_order WHERE status IN "
                                      "('attente_cmcas', 'attente_cb')"), 1);
    /* A refused card still holds the places; trying again replaces it. */
    test_db_exec(&db, Q("UPDATE cmcas_order SET status = 'refusee' WHERE reference = '%s'",
                        card->reference));
    again = test_flows_order("paybox", CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_order_status(card->reference), "annulee");
    ck_assert_str_eq(again->hold_until, desk->hold_until);
    /* Another household cannot cancel it. */
    cmcas_order_change_cancel(&res, &db.st, test_pool, "martine", now, 2, again->reference);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_NOT_FOUND);
    /* The member's « Annuler la commande »: the registration and its place go too. */
    cmcas_order_change_cancel(&res, &db.st, test_pool, "gael", now, 1, again->reference);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_order_status(again->reference), "annulee");
    ck_assert_str_eq(test_flows_reg_status(1, 1), "annulee");
    ck_assert_int_eq(test_flows_places(1), 0);
    cmcas_order_change_cancel(&res, &db.st, test_pool, "gael", now, 1, again->reference);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_CONFLICT);
    /* Mailed: the validation, the desk order (not the card ones), the cancellation. */
    ck_assert_int_eq(test_flows_mails("validated"), 1);
    ck_assert_int_eq(test_flows_mails("order_desk"), 1);
    ck_assert_int_eq(test_db_int(&db, Q("SELECT order_id FROM cmcas_outbox WHERE kind = "
                                        "'order_desk'")), desk->id);
    ck_assert_int_eq(test_flows_mails("cancelled"), 1);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_outbox"), 3);
}
END_TEST

START_TEST(test_flows_expiry)
{
    cmcas_order_t *order;
    apr_array_header_t *expired = NULL;
    apr_int64_t places = 0;
    cmcas_result_t res;
    const char *err = NULL;
    int ended = 0;

    test_flows_gael_validated();
    order = test_flows_order("paybox", CMCAS_RESULT_DONE);
    ck_assert_int_eq(cmcas_order_store_expired(&expired, &db.st, test_pool,
                                               cmcas_date_stamp(test_pool, now), &err),
                     APR_SUCCESS);
    ck_assert_int_eq(expired->nelts, 0);
    ck_assert_int_eq(cmcas_order_store_expired(&expired, &db.st, test_pool,
                                               cmcas_date_stamp(test_pool, now + apr_time_from_sec(3600)),
                                               &err), APR_SUCCESS);
    ck_assert_int_eq(expired->nelts, 1);
    /* A payment arriving first wins: the job then finds nothing to end. */
    test_db_exec(&db, Q("UPDATE cmcas_order SET status = 'payee' WHERE id = %" APR_INT64_T_FMT,
                        order->id));
    cmcas_order_change_expire(&res, &ended, &places, &db.st, test_pool, now,
                              &APR_ARRAY_IDX(expired, 0, cmcas_order_t));
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(ended, 0);
    ck_assert_int_eq(test_flows_places(1), 1);
    test_db_exec(&db, Q("UPDATE cmcas_order SET status = 'attente_cb' WHERE id = %"
                        APR_INT64_T_FMT, order->id));
    cmcas_order_change_expire(&res, &ended, &places, &db.st, test_pool, now,
                              &APR_ARRAY_IDX(expired, 0, cmcas_order_t));
    ck_assert_int_eq(ended, 1);
    ck_assert_int_eq(places, 1);
    ck_assert_str_eq(test_flows_order_status(order->reference), "annulee");
    ck_assert_str_eq(test_flows_reg_status(1, 1), "annulee");
    ck_assert_int_eq(test_flows_places(1), 0);
    /* Told once, naming the order; the job's second look writes nothing more. */
    cmcas_order_change_expire(&res, &ended, &places, &db.st, test_pool, now,
                              &APR_ARRAY_IDX(expired, 0, cmcas_order_t));
    ck_assert_int_eq(ended, 0);
    ck_assert_int_eq(test_flows_mails("released"), 1);
    ck_assert_int_eq(test_db_int(&db, "SELECT order_id FROM cmcas_outbox WHERE kind = "
                                      "'released'"), order->id);
}
END_TEST

START_TEST(test_flows_release_unpaid)
{
    cmcas_result_t res;
    int released = 0;

    test_flows_gael_validated();
    test_flows_order("cmcas", CMCAS_RESULT_DONE);
    /* An order holds it: not released. */
    cmcas_registration_change_release(&res, &released, &db.st, test_pool, now, 1, 1);
    ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    ck_assert_int_eq(released, 0);
    test_db_exec(&db, "UPDATE cmcas_order SET status = 'annulee'");
    cmcas_registration_change_release(&res, &released, &db.st, test_pool, now, 1, 1);
    ck_assert_int_eq(released, 1);
    ck_assert_str_eq(test_flows_reg_status(1, 1), "annulee");
    ck_assert_int_eq(test_flows_places(1), 0);
    ck_assert_int_eq(test_flows_mails("released"), 1);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_outbox WHERE kind = "
                                      "'released' AND order_id IS NULL"), 1);
}
END_TEST

/* ------------------------------------------------------------------------------- */
/* The bank's word */

static cmcas_payment_payee_t test_flows_payee;

static cmcas_gateway_result_t *test_flows_bank(const cmcas_order_t *order,
                                               cmcas_gateway_outcome_t outcome,
                                               const char *code, const char *trans,
                                               const char *auth)
{
    cmcas_gateway_result_t *r = apr_pcalloc(test_pool, sizeof(*r));
    r->reference = order->reference;
    r->amount = order->total;
    r->amount_is_total = 1;
    r->outcome = outcome;
    r->code = code;
    r->message = "Banque";
    r->transaction = trans;
    r->authorization = auth;
    return r;
}

static cmcas_payment_outcome_t *test_flows_notify(const cmcas_gateway_result_t *bank)
{
    cmcas_payment_outcome_t *out = apr_pcalloc(test_pool, sizeof(*out));
    cmcas_payment_notify(out, &db.st, test_pool, bank, &test_flows_payee, now);
    return out;
}

static apr_int64_t test_flows_events(const cmcas_order_t *order)
{
    return test_db_int(&db, Q("SELECT COUNT(*) FROM cmcas_order_event WHERE order_id = %"
                              APR_INT64_T_FMT, order->id));
}

static void test_flows_payment_setup(void)
{
    test_flows_setup();
    memset(&test_flows_payee, 0, sizeof(test_flows_payee));
    test_flows_payee.gateway = "paybox";
    test_flows_payee.payee_code = "BN";
}

START_TEST(test_flows_payment_paid_once)
{
    cmcas_order_t *order;
    cmcas_payment_outcome_t *out;
    apr_int64_t events;

    test_flows_gael_validated();
    order = test_flows_order("paybox", CMCAS_RESULT_DONE);
    /* Refused, then accepted on the bank's page: paid. */
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_REFUSED, "00105", "1", NULL));
    ck_assert_int_eq(out->res.kind, CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_flows_order_status(order->reference), "refusee");
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "2", "A1B2C3"));
    ck_assert_int_eq(out->order->status, CMCAS_STATUS_ORDER_PAYEE);
    ck_assert_str_eq(test_flows_reg_status(1, 1), "payee");
    ck_assert_int_eq(test_flows_places(1), 1);
    /* The same notification again: nothing written. */
    events = test_flows_events(order);
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "2", "A1B2C3"));
    ck_assert(out->replay);
    ck_assert(!out->refund_due);
    ck_assert_int_eq(test_flows_events(order), events);
    /* A second, distinct transaction for the paid order: refund, still paid. */
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "3", "D4E5F6"));
    ck_assert(out->refund_due);
    ck_assert_str_eq(test_flows_order_status(order->reference), "payee");
    /* One message for the refusal, one for the payment, whatever the bank sent again. */
    ck_assert_int_eq(test_flows_mails("payment_refused"), 1);
    ck_assert_int_eq(test_flows_mails("payment_accepted"), 1);
}
END_TEST

START_TEST(test_flows_payment_untrusted)
{
    cmcas_order_t *order;
    cmcas_payment_outcome_t *out;
    cmcas_gateway_result_t *bank;
    apr_int64_t events;

    test_flows_gael_validated();
    order = test_flows_order("paybox", CMCAS_RESULT_DONE);
    events = test_flows_events(order);
    /* The test platform's payment (XXXXXX) on a production account: not money. */
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "7", "XXXXXX"));
    ck_assert_ptr_nonnull(out->not_taken);
    ck_assert_str_eq(test_flows_order_status(order->reference), "attente_cb");
    ck_assert_str_eq(test_flows_reg_status(1, 1), "validee");
    ck_assert_int_eq(test_flows_events(order), events + 1);     /* recorded for staff */
    /* Replayed: nothing more. */
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "7", "XXXXXX"));
    ck_assert(out->replay);
    ck_assert_int_eq(test_flows_events(order), events + 1);
    /* No authorisation number at all. */
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "8", NULL));
    ck_assert_ptr_nonnull(out->not_taken);
    /* The bank says this merchant account does not hold it. */
    test_flows_payee.check = CMCAS_GATEWAY_CHECK_DENIED;
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "9", "ZZ9Z9Z"));
    ck_assert_ptr_nonnull(out->not_taken);
    /* The bank cannot be asked: nothing written, the bank is told to retry. */
    test_flows_payee.check = CMCAS_GATEWAY_CHECK_UNAVAILABLE;
    events = test_flows_events(order);
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "10", "ZZ9Z9Z"));
    ck_assert(out->retry_later);
    ck_assert_int_eq(test_flows_events(order), events);
    /* Systempay: another shop or the TEST mode is not this payee's money. */
    test_flows_payee.check = CMCAS_GATEWAY_CHECK_NONE;
    test_flows_payee.merchant = "12345678";
    test_flows_payee.mode = "PRODUCTION";
    bank = test_flows_bank(order, CMCAS_GATEWAY_PAID, "AUTHORISED", "11", "123456");
    bank->merchant = "87654321";
    bank->mode = "PRODUCTION";
    ck_assert_ptr_nonnull(test_flows_notify(bank)->not_taken);
    bank = test_flows_bank(order, CMCAS_GATEWAY_PAID, "AUTHORISED", "12", "123456");
    bank->merchant = "12345678";
    bank->mode = "TEST";
    ck_assert_ptr_nonnull(test_flows_notify(bank)->not_taken);
    ck_assert_str_eq(test_flows_order_status(order->reference), "attente_cb");
    /* A payee on the test platform on purpose takes XXXXXX. */
    test_flows_payee.merchant = test_flows_payee.mode = NULL;
    test_flows_payee.test_platform = 1;
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "13", "XXXXXX"));
    ck_assert_ptr_null(out->not_taken);
    ck_assert_str_eq(test_flows_order_status(order->reference), "payee");
}
END_TEST

START_TEST(test_flows_payment_wrong)
{
    cmcas_order_t *order;
    cmcas_gateway_result_t *bank;
    cmcas_payment_outcome_t *out;
    apr_int64_t events;

    test_flows_gael_validated();
    order = test_flows_order("paybox", CMCAS_RESULT_DONE);
    bank = test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "1", "A1B2C3");
    bank->amount = 100;
    ck_assert_int_eq(test_flows_notify(bank)->res.kind, CMCAS_RESULT_CONFLICT);
    bank = test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000", "1", "A1B2C3");
    bank->reference = "AAAAAAAAA";
    ck_assert_int_eq(test_flows_notify(bank)->res.kind, CMCAS_RESULT_NOT_FOUND);
    test_flows_payee.payee_code = "TO";     /* by Touraine's return path */
    ck_assert_int_eq(test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_PAID, "00000",
                                                       "1", "A1B2C3"))->res.kind,
                     CMCAS_RESULT_NOT_FOUND);
    test_flows_payee.payee_code = "BN";
    ck_assert_str_eq(test_flows_order_status(order->reference), "attente_cb");
    /* A cancellation at the bank, replayed: one line of history. */
    events = test_flows_events(order);
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_CANCELLED, "00001", "?", NULL));
    ck_assert(!out->replay);
    out = test_flows_notify(test_flows_bank(order, CMCAS_GATEWAY_CANCELLED, "00001", "?", NULL));
    ck_assert(out->replay);
    ck_assert_int_eq(test_flows_events(order), events + 1);
    ck_assert_str_eq(test_flows_order_status(order->reference), "attente_cb");
}
END_TEST

START_TEST(test_flows_payment_late)
{
    cmcas_order_t *first, *second;
    cmcas_payment_outcome_t *out;
    apr_int64_t places = 0;
    cmcas_result_t res;
    int ended = 0;

    test_flows_gael_validated();
    /* Two tabs: the first order is replaced by a retry, which is paid... */
    first = test_flows_order("paybox", CMCAS_RESULT_DONE);
    second = test_flows_order("paybox", CMCAS_RESULT_DONE);
    out = test_flows_notify(test_flows_bank(second, CMCAS_GATEWAY_PAID, "00000", "1", "A1"));
    ck_assert_str_eq(test_flows_order_status(second->reference), "payee");
    /* ...then the first one is paid too: refunded, no second place. */
    out = test_flows_notify(test_flows_bank(first, CMCAS_GATEWAY_PAID, "00000", "2", "B2"));
    ck_assert(out->refund_due);
    ck_assert_str_eq(test_flows_order_status(first->reference), "a_rembourser");
    ck_assert_int_eq(test_flows_places(1), 1);

    /* A payment after the hold ran out and the places went back: refunded. */
    test_db_exec(&db, "DELETE FROM cmcas_order_notice; DELETE FROM cmcas_order_event;"
                      " DELETE FROM cmcas_invoice_line; DELETE FROM cmcas_invoice;"
                      " DELETE FROM cmcas_order_line; DELETE FROM cmcas_order;"
                      " DELETE FROM registration_event; DELETE FROM registration_option;"
                      " DELETE FROM registration_person; DELETE FROM registration;"
                      " UPDATE activity SET places_taken = 0");
    test_flows_gael_validated();
    first = test_flows_order("paybox", CMCAS_RESULT_DONE);
    cmcas_order_change_expire(&res, &ended, &places, &db.st, test_pool, now, first);
    ck_assert_int_eq(ended, 1);
    out = test_flows_notify(test_flows_bank(first, CMCAS_GATEWAY_PAID, "00000", "3", "C3"));
    ck_assert(out->refund_due);
    ck_assert_str_eq(test_flows_order_status(first->reference), "a_rembourser");
    ck_assert_str_eq(test_flows_reg_status(1, 1), "annulee");
    ck_assert_int_eq(test_flows_places(1), 0);
}
END_TEST

Suite *test_flows_suite(void)
{
    Suite *s = suite_create("flows");
    TCase *tc = tcase_create("registration and orders");
    TCase *pay = tcase_create("payment");

    tcase_add_checked_fixture(tc, test_flows_setup, test_flows_teardown);
    tcase_add_test(tc, test_flows_registry);
    tcase_add_test(tc, test_flows_catalog_page);
    tcase_add_test(tc, test_flows_session_purge);
    tcase_add_test(tc, test_flows_statuses);
    tcase_add_test(tc, test_flows_registration_lifecycle);
    tcase_add_test(tc, test_flows_registration_refusals);
    tcase_add_test(tc, test_flows_tour_de_role);
    tcase_add_test(tc, test_flows_orders);
    tcase_add_test(tc, test_flows_expiry);
    tcase_add_test(tc, test_flows_release_unpaid);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(pay, test_flows_payment_setup, test_flows_teardown);
    tcase_add_test(pay, test_flows_payment_paid_once);
    tcase_add_test(pay, test_flows_payment_untrusted);
    tcase_add_test(pay, test_flows_payment_wrong);
    tcase_add_test(pay, test_flows_payment_late);
    suite_add_tcase(s, pay);
    return s;
}
