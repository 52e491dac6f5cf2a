/* Invoices and credit notes (issue 12) against a real SQLite database: numbered per
 * CMCAS without gap or duplicate across payments and connections, issued once per
 * order with the payment (a rollback consumes no number), frozen (later changes of
 * prices, addresses or the CMCAS's settings do not reach them), and the credit notes of
 * a staff cancellation of a paid order and of a refunding change. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_date.h"
#include "../../mod_cmcas/cmcas_desk_change.h"
#include "../../mod_cmcas/cmcas_form.h"
#include "../../mod_cmcas/cmcas_invoice_store.h"
#include "../../mod_cmcas/cmcas_order_store.h"
#include "../../mod_cmcas/cmcas_payment.h"
#include "../../mod_cmcas/cmcas_registration_amend.h"
#include "../../mod_cmcas/cmcas_staff_cancel.h"

#define Q(...) apr_psprintf(test_pool, __VA_ARGS__)

static test_db_t db;
static apr_time_t now;      /* 2027-05-01 10:00 UTC */
static const cmcas_staff_t bn = {"gestion.bn", "BN", "Hélène FAURE"};
static cmcas_invoice_seller_t seller = {
    "BN", "CMCAS Berry-Nivernais", "2 rue de la Gare", "18000", "Bourges",
    "02 48 00 00 00", "bn@example.org", "SIRET 123 456 789 00012\nTVA non applicable"
};

/* Registration `id` of household `hh` on activity `act`, validated, and its order `ref`
 * of 30 € (« Atelier », 10 € of participation) waiting for the desk. */
static void test_invoice_order(int id, int hh, int act, const char *ref)
{
    test_db_exec(&db, Q("INSERT INTO registration (id, activity_id, household_id, status,"
                        " places_held, created_at, updated_at) VALUES (%d, %d, %d,"
                        " 'validee', 1, '2027-04-20T10:00:00Z', '2027-04-20T10:00:00Z')",
                        id, act, hh));
    test_db_exec(&db, Q("INSERT INTO cmcas_order (id, reference, registration_id,"
                        " household_id, cmcas_code, total, method, instalments, status,"
                        " hold_until, created_at, updated_at) VALUES (%d, '%s', %d, %d,"
                        " 'BN', 3000, 'cmcas', 1, 'attente_cmcas', '2027-05-27T10:00:00Z',"
                        " '2027-04-20T10:00:00Z', '2027-04-20T10:00:00Z')", id, ref, id, hh));
    test_db_exec(&db, Q("INSERT INTO cmcas_order_line (order_id, position, person,"
                        " option_label, amount, participation) VALUES (%d, 1,"
                        " 'Gael CLASSEN', 'Atelier', 3000, 1000)", id));
}

static void test_invoice_setup(void)
{
    int i;

    test_setup();
    test_db_open(&db, test_pool);
    now = apr_time_from_sec(1809165600);
    test_db_exec(&db, "UPDATE household SET street = '1 rue des Lilas', postcode = '18000',"
                      " city = 'Bourges' WHERE id = 1");
    /* Households 10..29 of BN, for many payments. */
    for (i = 10; i < 30; i++) {
        test_db_exec(&db, Q("INSERT INTO household (id, cmcas_code, login, password, email)"
                            " VALUES (%d, 'BN', 'h%d', 'x', 'h%d@example.org')", i, i, i));
        test_db_exec(&db, Q("INSERT INTO person (household_id, role, last_name, first_name,"
                            " birth_date) VALUES (%d, 'OD', 'NOM%d', 'Prénom', '1980-01-01')",
                            i, i));
    }
    test_invoice_order(1, 1, 1, "ABCDEFGHI");
    test_db_exec(&db, "UPDATE activity SET places_taken = 1 WHERE id = 1");
}

static void test_invoice_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

/* A desk payment of 30 € by cheque for order `ref`, through connection `st`. */
static cmcas_result_kind_t test_invoice_pay(cmcas_store_t *st, const char *ref)
{
    cmcas_desk_entry_t e;
    cmcas_order_t *order = NULL;
    cmcas_result_t res;

    ck_assert_ptr_null(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "cheque",
                                             "30", "30/04/2027", "n° 12", now));
    cmcas_desk_change_record(&res, &order, st, test_pool, now, &bn, ref, &e, &seller);
    ck_assert_msg(res.kind != CMCAS_RESULT_ERROR, "%s", res.err ? res.err : "");
    return res.kind;
}

/* A second connection to the same file, its statements prepared (another server). */
static void test_invoice_second(cmcas_store_t *st)
{
    int i, n = 0;

    memset(st, 0, sizeof(*st));
    st->driver = db.st.driver;
    ck_assert_int_eq(apr_dbd_open(st->driver, test_pool, db.path, &st->handle), APR_SUCCESS);
    apr_dbd_query(st->driver, st->handle, &n, "PRAGMA busy_timeout = 5000");
    st->prepared = apr_hash_make(test_pool);
    for (i = 0; cmcas_store_registry[i]; i++) {
        const cmcas_store_stmt_t *s;
        for (s = cmcas_store_registry[i]; s->label; s++) {
            apr_dbd_prepared_t *stmt = NULL;
            ck_assert_int_eq(0, apr_dbd_prepare(st->driver, test_pool, st->handle, s->sql,
                                                s->label, &stmt));
            apr_hash_set(st->prepared, s->label, APR_HASH_KEY_STRING, stmt);
        }
    }
}

static cmcas_invoice_t *test_invoice_get(const char *ref, apr_int64_t hh, const char *kind)
{
    cmcas_invoice_t *inv = NULL;
    const char *err = NULL;

    ck_assert_msg(APR_SUCCESS == cmcas_invoice_store_get(&inv, &db.st, test_pool, ref, hh,
                                                         kind, &err), "%s", err ? err : "?");
    return inv;
}

START_TEST(test_invoice_number_format)
{
    ck_assert_str_eq(cmcas_invoice_store_number(test_pool, "BN", "facture", 2026, 42),
                     "BN-2026-00042");
    ck_assert_str_eq(cmcas_invoice_store_number(test_pool, "TO", "avoir", 2027, 3),
                     "TO-AV-2027-00003");
    ck_assert_str_eq(cmcas_invoice_store_number(test_pool, "BN", "facture", 2026, 123456),
                     "BN-2026-123456");
}
END_TEST

/* A desk payment issues the invoice with everything frozen; read back as issued. */
START_TEST(test_invoice_issued_with_payment)
{
    cmcas_invoice_t *inv;
    cmcas_order_t *order = NULL;
    const cmcas_invoice_line_t *l;
    const cmcas_invoice_instalment_t *i;
    apr_array_header_t *all = NULL;
    const char *err = NULL;
    cmcas_invoice_t *none = NULL;

    ck_assert_int_eq(test_invoice_pay(&db.st, "ABCDEFGHI"), CMCAS_RESULT_DONE);
    inv = test_invoice_get("ABCDEFGHI", 1, "facture");
    ck_assert_str_eq(inv->kind, "facture");
    ck_assert_str_eq(inv->number, "BN-2027-00001");
    ck_assert_str_eq(inv->issued_on, "2027-05-01");
    ck_assert_str_eq(inv->order_reference, "ABCDEFGHI");
    ck_assert_ptr_null(inv->credited_number);
    ck_assert_str_eq(inv->cmcas_code, "BN");
    ck_assert_str_eq(inv->cmcas_name, "CMCAS Berry-Nivernais");
    ck_assert_str_eq(inv->cmcas_street, "2 rue de la Gare");
    ck_assert_str_eq(inv->cmcas_postcode, "18000");
    ck_assert_str_eq(inv->cmcas_city, "Bourges");
    ck_assert_str_eq(inv->cmcas_phone, "02 48 00 00 00");
    ck_assert_str_eq(inv->cmcas_email, "bn@example.org");
    ck_assert_str_eq(inv->legal, "SIRET 123 456 789 00012\nTVA non applicable");
    ck_assert_str_eq(inv->household_name, "Gael CLASSEN");
    ck_assert_str_eq(inv->street, "1 rue des Lilas");
    ck_assert_str_eq(inv->postcode, "18000");
    ck_assert_str_eq(inv->city, "Bourges");
    ck_assert_str_eq(inv->country, "France");
    ck_assert_str_eq(inv->activity_title, "Atelier gourmand");
    ck_assert_str_eq(inv->activity_start, "2027-06-10");
    ck_assert_str_eq(inv->activity_end, "2027-06-10");
    ck_assert_int_eq(inv->lines->nelts, 1);
    l = &APR_ARRAY_IDX(inv->lines, 0, cmcas_invoice_line_t);
    ck_assert_str_eq(l->person, "Gael CLASSEN");
    ck_assert_str_eq(l->label, "Atelier");
    ck_assert_int_eq(l->price, 4000);
    ck_assert_int_eq(l->participation, 1000);
    ck_assert_int_eq(l->amount, 3000);
    ck_assert_int_eq(inv->total_price, 4000);
    ck_assert_int_eq(inv->total_participation, 1000);
    ck_assert_int_eq(inv->total_amount, 3000);
    ck_assert_str_eq(inv->method, "En CMCAS : chèque");
    ck_assert_int_eq(inv->instalments->nelts, 1);
    i = &APR_ARRAY_IDX(inv->instalments, 0, cmcas_invoice_instalment_t);
    ck_assert_str_eq(i->due, "2027-05-01");
    ck_assert_int_eq(i->amount, 3000);
    /* The order knows its invoice (« Mes commandes »). */
    ck_assert_int_eq(cmcas_order_store_get(&order, &db.st, test_pool, "ABCDEFGHI", 1, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(order->invoice_number, "BN-2027-00001");
    ck_assert_ptr_null(order->credit_number);
    /* Another household's: none, as for a missing one. */
    ck_assert_int_eq(cmcas_invoice_store_get(&none, &db.st, test_pool, "ABCDEFGHI", 2,
                                             "facture", &err), APR_NOTFOUND);
    ck_assert_int_eq(cmcas_invoice_store_list(&all, &db.st, test_pool, "ABCDEFGHI", 2, &err),
                     APR_SUCCESS);
    ck_assert_int_eq(all->nelts, 0);
    ck_assert_int_eq(cmcas_invoice_store_list(&all, &db.st, test_pool, "ABCDEFGHI", 1, &err),
                     APR_SUCCESS);
    ck_assert_int_eq(all->nelts, 1);
    /* Paid again: refused, no second invoice, no number used. */
    ck_assert_int_eq(test_invoice_pay(&db.st, "ABCDEFGHI"), CMCAS_RESULT_CONFLICT);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_invoice"), 1);
    ck_assert_int_eq(test_db_int(&db, "SELECT last FROM cmcas_invoice_counter"), 1);
}
END_TEST

/* Nothing issued changes with the prices, the address, the CMCAS's settings. */
START_TEST(test_invoice_frozen)
{
    cmcas_invoice_t *inv;

    ck_assert_int_eq(test_invoice_pay(&db.st, "ABCDEFGHI"), CMCAS_RESULT_DONE);
    test_db_exec(&db, "UPDATE activity_option SET price_beneficiary = 9900");
    test_db_exec(&db, "UPDATE cmcas_order_line SET amount = 9900, participation = 0");
    test_db_exec(&db, "UPDATE household SET street = '9 avenue Neuve', city = 'Nevers',"
                      " country = 'Belgique' WHERE id = 1");
    test_db_exec(&db, "UPDATE person SET last_name = 'AUTRE' WHERE id = 1");
    test_db_exec(&db, "UPDATE activity SET title = 'Autre titre', start_date = '2027-07-01',"
                      " end_date = '2027-07-02' WHERE id = 1");
    test_db_exec(&db, "UPDATE cmcas SET name = 'CMCAS Renommée' WHERE code = 'BN'");
    seller.name = "CMCAS Renommée";
    inv = test_invoice_get("ABCDEFGHI", 1, "facture");
    seller.name = "CMCAS Berry-Nivernais";
    ck_assert_str_eq(inv->cmcas_name, "CMCAS Berry-Nivernais");
    ck_assert_str_eq(inv->household_name, "Gael CLASSEN");
    ck_assert_str_eq(inv->street, "1 rue des Lilas");
    ck_assert_str_eq(inv->city, "Bourges");
    ck_assert_str_eq(inv->country, "France");
    ck_assert_str_eq(inv->activity_title, "Atelier gourmand");
    ck_assert_str_eq(inv->activity_start, "2027-06-10");
    ck_assert_int_eq(APR_ARRAY_IDX(inv->lines, 0, cmcas_invoice_line_t).amount, 3000);
    ck_assert_int_eq(inv->total_price, 4000);
    ck_assert_int_eq(inv->total_amount, 3000);
}
END_TEST

/* Many payments through two connections taking turns (two servers): 1..n, in order. */
START_TEST(test_invoice_sequence_two_connections)
{
    cmcas_store_t other;
    char ref[10];
    int i;

    test_invoice_second(&other);
    for (i = 10; i < 30; i++) {
        apr_snprintf(ref, sizeof(ref), "REFAAAA%c%c", 'A' + (i / 26), 'A' + (i % 26));
        test_invoice_order(i, i, 1, ref);
    }
    for (i = 10; i < 30; i++) {
        apr_snprintf(ref, sizeof(ref), "REFAAAA%c%c", 'A' + (i / 26), 'A' + (i % 26));
        ck_assert_int_eq(test_invoice_pay(i % 2 ? &other : &db.st, ref), CMCAS_RESULT_DONE);
        ck_assert_str_eq(test_invoice_get(ref, i, "facture")->number,
                         Q("BN-2027-%05d", i - 9));
    }
    /* A refused payment (not the order's total) consumes no number. */
    {
        cmcas_desk_entry_t e;
        cmcas_order_t *order = NULL;
        cmcas_result_t res;
        ck_assert_ptr_null(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT, "cheque",
                                                 "29", "30/04/2027", "", now));
        cmcas_desk_change_record(&res, &order, &db.st, test_pool, now, &bn, "ABCDEFGHI", &e,
                                 &seller);
        ck_assert_int_eq(res.kind, CMCAS_RESULT_BAD_INPUT);
    }
    ck_assert_int_eq(test_invoice_pay(&other, "ABCDEFGHI"), CMCAS_RESULT_DONE);
    ck_assert_str_eq(test_invoice_get("ABCDEFGHI", 1, "facture")->number, "BN-2027-00021");
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(DISTINCT number) FROM cmcas_invoice"), 21);
    apr_dbd_close(other.driver, other.handle);
}
END_TEST

/* Issued inside a transaction that rolls back: the number is given back; issued twice
 * in one: the same invoice. */
START_TEST(test_invoice_rollback_and_once)
{
    cmcas_registration_store_change_t ch;
    cmcas_registration_t *reg = NULL;
    cmcas_order_t *order = NULL;
    const char *err = NULL, *a = NULL, *b = NULL;

    ck_assert_int_eq(cmcas_order_store_get(&order, &db.st, test_pool, "ABCDEFGHI", 1, &err),
                     APR_SUCCESS);
    cmcas_registration_store_change_init(&ch, &db.st, test_pool, "test", now);
    ck_assert_int_eq(cmcas_registration_store_lock(&reg, &ch, 1, 1, 0), APR_SUCCESS);
    ck_assert_int_eq(cmcas_invoice_store_issue(&a, &ch, order, "facture", &seller),
                     APR_SUCCESS);
    ck_assert_str_eq(a, "BN-2027-00001");
    cmcas_registration_store_finish(&ch, 0);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_invoice"), 0);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_invoice_counter"), 0);

    cmcas_registration_store_change_init(&ch, &db.st, test_pool, "test", now);
    ck_assert_int_eq(cmcas_registration_store_lock(&reg, &ch, 1, 1, 0), APR_SUCCESS);
    ck_assert_int_eq(cmcas_invoice_store_issue(&a, &ch, order, "facture", &seller),
                     APR_SUCCESS);
    ck_assert_int_eq(cmcas_invoice_store_issue(&b, &ch, order, "facture", &seller),
                     APR_SUCCESS);
    ck_assert_int_eq(cmcas_registration_store_finish(&ch, 1), APR_SUCCESS);
    ck_assert_str_eq(a, "BN-2027-00001");
    ck_assert_str_eq(b, "BN-2027-00001");
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_invoice"), 1);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_invoice_line"), 1);
}
END_TEST

/* The CMCAS cancels a paid registration: the order to refund gets its credit note. */
START_TEST(test_invoice_staff_cancel)
{
    cmcas_staff_cancel_outcome_t c;
    cmcas_draw_change_rules_t rules = {24, 7, &seller};
    cmcas_invoice_t *av;
    cmcas_order_t *order = NULL;
    const char *err = NULL;

    ck_assert_int_eq(test_invoice_pay(&db.st, "ABCDEFGHI"), CMCAS_RESULT_DONE);
    cmcas_staff_cancel_run(&c, &db.st, test_pool, now, &bn, 1, "Activité annulée", &rules);
    ck_assert_msg(c.res.kind == CMCAS_RESULT_DONE, "%s", c.res.err ? c.res.err : "");
    ck_assert_int_eq(c.refunds, 1);
    av = test_invoice_get("ABCDEFGHI", 1, "avoir");
    ck_assert_str_eq(av->number, "BN-AV-2027-00001");
    ck_assert_str_eq(av->credited_number, "BN-2027-00001");
    ck_assert_str_eq(av->method, "Remboursement par la CMCAS");
    ck_assert_int_eq(av->total_amount, 3000);
    ck_assert_int_eq(av->lines->nelts, 1);
    ck_assert_str_eq(av->cmcas_name, "CMCAS Berry-Nivernais");
    ck_assert_int_eq(cmcas_order_store_get(&order, &db.st, test_pool, "ABCDEFGHI", 1, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(order->invoice_number, "BN-2027-00001");
    ck_assert_str_eq(order->credit_number, "BN-AV-2027-00001");
    /* The invoice itself is untouched. */
    ck_assert_str_eq(test_invoice_get("ABCDEFGHI", 1, "facture")->number, "BN-2027-00001");
}
END_TEST

/* A change that refunds part of a paid registration: a credit note of the difference,
 * naming the registration's invoice; a change that costs more is invoiced when paid. */
START_TEST(test_invoice_amend_refund)
{
    cmcas_registration_amend_input_t in;
    cmcas_registration_amend_outcome_t out;
    cmcas_draw_change_rules_t rules = {24, 7, &seller};
    cmcas_form_t *form = NULL;
    cmcas_invoice_t *av;
    const char *err = NULL, *message = NULL, *body;
    cmcas_date_t today;

    /* Paid at the desk: Gael « Atelier » and Louane « Place enfant », 40 €; then Louane
     * is removed by the CMCAS. */
    test_db_exec(&db, "INSERT INTO registration_person (id, registration_id, person_id,"
                      " confirmed) VALUES (1, 1, 1, 1), (2, 1, 2, 1)");
    test_db_exec(&db, "INSERT INTO registration_option (registration_person_id, option_id)"
                      " VALUES (1, 1), (2, 2)");
    test_db_exec(&db, "UPDATE registration SET places_held = 2 WHERE id = 1");
    test_db_exec(&db, "UPDATE activity SET places_taken = 2 WHERE id = 1");
    test_db_exec(&db, "UPDATE cmcas_order SET total = 4000 WHERE id = 1");
    test_db_exec(&db, "INSERT INTO cmcas_order_line (order_id, position, person,"
                      " option_label, amount, participation) VALUES (1, 2,"
                      " 'Louane CLASSEN', 'Place enfant (< 12 ans)', 1000, 500)");
    {
        cmcas_desk_entry_t e;
        cmcas_order_t *order = NULL;
        cmcas_result_t res;
        ck_assert_ptr_null(cmcas_desk_entry_read(&e, test_pool, CMCAS_DESK_PAYMENT,
                                                 "especes", "40", "30/04/2027", "", now));
        cmcas_desk_change_record(&res, &order, &db.st, test_pool, now, &bn, "ABCDEFGHI", &e,
                                 &seller);
        ck_assert_int_eq(res.kind, CMCAS_RESULT_DONE);
    }
    ck_assert_str_eq(test_invoice_get("ABCDEFGHI", 1, "facture")->method,
                     "En CMCAS : espèces");
    ck_assert_int_eq(test_invoice_get("ABCDEFGHI", 1, "facture")->lines->nelts, 2);
    body = "participant=1&options-1=1&participant=2&options-2=2&retirer-2=1"
           "&motif=Louane+ne+vient+plus";
    ck_assert_int_eq(cmcas_form_parse(&form, test_pool, body, strlen(body), &err),
                     APR_SUCCESS);
    ck_assert_ptr_null(cmcas_registration_amend_input_parse(&in, test_pool, form, &message));
    cmcas_date_today(&today, now);
    cmcas_registration_amend_run(&out, &db.st, test_pool, now, &today, &bn, 1, &in, &rules);
    ck_assert_msg(out.res.kind == CMCAS_RESULT_DONE, "%d %s %s", out.res.kind, out.res.why ? out.res.err : "",
                  out.res.message ? out.res.message : "");
    ck_assert_ptr_nonnull(out.order);
    ck_assert_int_eq(out.order->status, CMCAS_STATUS_ORDER_A_REMBOURSER);
    av = test_invoice_get(out.order->reference, 1, "avoir");
    ck_assert_str_eq(av->number, "BN-AV-2027-00001");
    ck_assert_str_eq(av->credited_number, "BN-2027-00001");
    ck_assert_int_eq(av->total_amount, 1000);
    ck_assert_int_eq(av->lines->nelts, 1);
    ck_assert_str_eq(APR_ARRAY_IDX(av->lines, 0, cmcas_invoice_line_t).person,
                     "Louane CLASSEN");
    /* No invoice for an order nobody paid. */
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_invoice"
                                      " WHERE kind = 'facture'"), 1);
}
END_TEST

/* The bank's accepted payment of a card order in 3 instalments: invoiced with the
 * bank's plan; a late payment the registration no longer waited for is not. */
START_TEST(test_invoice_card_payment)
{
    cmcas_payment_payee_t payee;
    cmcas_gateway_result_t bank;
    cmcas_payment_outcome_t out;
    cmcas_invoice_t *inv;
    apr_int64_t sum = 0;
    int i;

    test_db_exec(&db, "UPDATE cmcas_order SET method = 'paybox', instalments = 3,"
                      " status = 'attente_cb' WHERE id = 1");
    memset(&payee, 0, sizeof(payee));
    payee.gateway = "paybox";
    payee.payee_code = "BN";
    payee.seller = &seller;
    memset(&bank, 0, sizeof(bank));
    bank.reference = "ABCDEFGHI";
    bank.amount = 1000;                 /* the first of 3 instalments of 30 € */
    bank.outcome = CMCAS_GATEWAY_PAID;
    bank.code = "00000";
    bank.message = "Banque";
    bank.transaction = "1";
    bank.authorization = "A1B2C3";
    cmcas_payment_notify(&out, &db.st, test_pool, &bank, &payee, now);
    ck_assert_msg(out.res.kind == CMCAS_RESULT_DONE, "%s", out.res.err ? out.res.err : "");
    ck_assert_int_eq(out.order->status, CMCAS_STATUS_ORDER_PAYEE);
    inv = test_invoice_get("ABCDEFGHI", 1, "facture");
    ck_assert_str_eq(inv->number, "BN-2027-00001");
    ck_assert_str_eq(inv->method, "Carte bancaire (Paybox), en 3 fois");
    ck_assert_int_eq(inv->instalments->nelts, 3);
    for (i = 0; i < 3; i++) {
        sum += APR_ARRAY_IDX(inv->instalments, i, cmcas_invoice_instalment_t).amount;
    }
    ck_assert_int_eq(sum, 3000);
    ck_assert_str_eq(APR_ARRAY_IDX(inv->instalments, 0, cmcas_invoice_instalment_t).due,
                     "2027-05-01");
    ck_assert_str_eq(APR_ARRAY_IDX(inv->instalments, 2, cmcas_invoice_instalment_t).due,
                     "2027-07-01");

    /* Household 2's card order, its registration cancelled meanwhile: money to refund,
     * no invoice and no number used. */
    test_invoice_order(2, 2, 1, "BCDEFGHIJ");
    test_db_exec(&db, "UPDATE registration SET status = 'annulee', places_held = 0"
                      " WHERE id = 2");
    test_db_exec(&db, "UPDATE cmcas_order SET method = 'paybox', status = 'attente_cb'"
                      " WHERE id = 2");
    bank.reference = "BCDEFGHIJ";
    bank.amount = 3000;
    bank.transaction = "2";
    cmcas_payment_notify(&out, &db.st, test_pool, &bank, &payee, now);
    ck_assert_int_eq(out.res.kind, CMCAS_RESULT_DONE);
    ck_assert(out.refund_due);
    ck_assert_int_eq(test_db_int(&db, "SELECT COUNT(*) FROM cmcas_invoice"), 1);
    ck_assert_int_eq(test_db_int(&db, "SELECT last FROM cmcas_invoice_counter"), 1);
}
END_TEST

Suite *test_invoice_suite(void)
{
    Suite *s = suite_create("invoice");
    TCase *tc = tcase_create("issue");

    /* Check's 4 s default: the two-connection test (SQLite busy waits) once ran out of it
     * in `make distcheck` on a machine also fuzzing on both cores. */
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, test_invoice_setup, test_invoice_teardown);
    tcase_add_test(tc, test_invoice_number_format);
    tcase_add_test(tc, test_invoice_issued_with_payment);
    tcase_add_test(tc, test_invoice_frozen);
    tcase_add_test(tc, test_invoice_sequence_two_connections);
    tcase_add_test(tc, test_invoice_rollback_and_once);
    tcase_add_test(tc, test_invoice_staff_cancel);
    tcase_add_test(tc, test_invoice_amend_refund);
    tcase_add_test(tc, test_invoice_card_payment);
    suite_add_tcase(s, tc);
    return s;
}
