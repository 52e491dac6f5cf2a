/* « Mes informations » and « Mes adresses »: the contact and billing address a member
 * types are checked and normalised (e-mail, French phone, postal code, country, lengths,
 * control characters, UTF-8); the change writes that household's row only, with its
 * audit line, and nothing on bad input. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_account_input.h"
#include "../../mod_cmcas/cmcas_account_change.h"
#include "../../mod_cmcas/cmcas_account_store.h"
#include "../../mod_cmcas/cmcas_legal.h"
#include "../../mod_cmcas/cmcas_doc.h"

static test_db_t db;

static cmcas_form_t *test_account_form(const char *body)
{
    cmcas_form_t *form;
    const char *err = NULL;

    ck_assert_int_eq(APR_SUCCESS, cmcas_form_parse(&form, test_pool, body, strlen(body),
                                                   &err));
    return form;
}

START_TEST(test_account_email)
{
    const char *out;
    char big[300];

    ck_assert_ptr_null(cmcas_account_input_email("  gael.classen@example.org ", test_pool,
                                                 &out));
    ck_assert_str_eq("gael.classen@example.org", out);
    ck_assert_ptr_null(cmcas_account_input_email("a+tag@sub.cmcas-bn.fr", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("", test_pool, &out));
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(cmcas_account_input_email("gael", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("gael@localhost", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("@example.org", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("a@@example.org", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("a@b@example.org", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email(".a@example.org", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("a..b@example.org", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("a@-example.org", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("a@example..org", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("a@1.2.3.4", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("a b@example.org", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("a@example.org\nBcc: x@y.fr",
                                                    test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("gaël@example.org", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_email("a@ex\xC3\x28.org", test_pool, &out));
    /* 255 characters: too long. */
    memset(big, 'a', sizeof(big));
    memcpy(big + 240, "@example.org", 12);
    big[255] = '\0';
    ck_assert_ptr_nonnull(cmcas_account_input_email(big, test_pool, &out));
}
END_TEST

START_TEST(test_account_phone)
{
    const char *out;

    ck_assert_ptr_null(cmcas_account_input_phone("0612345678", test_pool, &out));
    ck_assert_str_eq("06 12 34 56 78", out);
    ck_assert_ptr_null(cmcas_account_input_phone("06.12.34.56.78", test_pool, &out));
    ck_assert_str_eq("06 12 34 56 78", out);
    ck_assert_ptr_null(cmcas_account_input_phone("02-48-00-00-00", test_pool, &out));
    ck_assert_str_eq("02 48 00 00 00", out);
    ck_assert_ptr_null(cmcas_account_input_phone("+33 6 12 34 56 78", test_pool, &out));
    ck_assert_str_eq("06 12 34 56 78", out);
    ck_assert_ptr_null(cmcas_account_input_phone("+33 (0)6 12 34 56 78", test_pool, &out));
    ck_assert_str_eq("06 12 34 56 78", out);
    ck_assert_ptr_null(cmcas_account_input_phone("0033612345678", test_pool, &out));
    ck_assert_str_eq("06 12 34 56 78", out);
    ck_assert_ptr_null(cmcas_account_input_phone("+44 20 7946 0958", test_pool, &out));
    ck_assert_str_eq("+442079460958", out);
    ck_assert_ptr_null(cmcas_account_input_phone("  ", test_pool, &out));
    ck_assert_str_eq("", out);
    ck_assert_ptr_nonnull(cmcas_account_input_phone("061234567", test_pool, &out));
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(cmcas_account_input_phone("06123456789", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_phone("0012345678", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_phone("06 12 34 56 7a", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_phone("+", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_phone("06+12345678", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_phone("+33 6 12 34", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_phone("06\n12345678", test_pool, &out));
}
END_TEST

START_TEST(test_account_postcode_country_lines)
{
    const char *out;

    ck_assert_ptr_null(cmcas_account_input_postcode(" 18000 ", "France", test_pool, &out));
    ck_assert_str_eq("18000", out);
    ck_assert_ptr_nonnull(cmcas_account_input_postcode("1800", "France", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_postcode("18000A", "FRANCE", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_postcode("", "Belgique", test_pool, &out));
    ck_assert_ptr_null(cmcas_account_input_postcode("SW1A 1AA", "Royaume-Uni", test_pool,
                                                    &out));
    ck_assert_ptr_null(cmcas_account_input_postcode("1000", "Belgique", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_postcode("12345678901", "Belgique", test_pool,
                                                       &out));
    ck_assert_ptr_nonnull(cmcas_account_input_postcode("1000;", "Belgique", test_pool,
                                                       &out));
    ck_assert(cmcas_account_input_is_france("france"));
    ck_assert(!cmcas_account_input_is_france("Francfort"));
    /* Lines: trimmed, bounded in characters (not bytes), no controls, UTF-8. */
    ck_assert_ptr_null(cmcas_account_input_line("  Saint-Étienne ", 60, 0, "La ville",
                                                test_pool, &out));
    ck_assert_str_eq("Saint-Étienne", out);
    ck_assert_ptr_null(cmcas_account_input_line("éééééééééé", 10, 0, "La ville", test_pool,
                                                &out));
    ck_assert_ptr_nonnull(cmcas_account_input_line("ééééééééééé", 10, 0, "La ville",
                                                   test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_line("", 10, 0, "La ville", test_pool, &out));
    ck_assert_ptr_null(cmcas_account_input_line("", 10, 1, "Le complément", test_pool,
                                                &out));
    ck_assert_str_eq("", out);
    ck_assert_ptr_nonnull(cmcas_account_input_line("a\tb\x01", 10, 0, "X", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_line("a\nb", 10, 0, "X", test_pool, &out));
    ck_assert_ptr_nonnull(cmcas_account_input_line("a\xC2\x85" "b", 10, 0, "X", test_pool,
                                                   &out));
    ck_assert_ptr_nonnull(cmcas_account_input_line("\xC3", 10, 0, "X", test_pool, &out));
}
END_TEST

START_TEST(test_account_forms)
{
    cmcas_account_input_contact_t c;
    cmcas_account_input_address_t a;

    ck_assert_int_eq(0, cmcas_account_input_contact(&c, test_pool, test_account_form(
                         "email=+g%40example.org&telephone=0612345678")));
    ck_assert_str_eq("g@example.org", c.email);
    ck_assert_str_eq("06 12 34 56 78", c.phone);
    ck_assert_int_eq(2, cmcas_account_input_contact(&c, test_pool, test_account_form(
                         "email=nope&telephone=12")));
    ck_assert_str_eq("nope", c.email);       /* echoed as typed */
    ck_assert_ptr_nonnull(c.email_error);
    ck_assert_ptr_nonnull(c.phone_error);
    ck_assert_int_eq(1, cmcas_account_input_contact(&c, test_pool, test_account_form(
                         "email=a%40b.fr&email=c%40d.fr&telephone=")));
    ck_assert_ptr_nonnull(c.email_error);

    ck_assert_int_eq(0, cmcas_account_input_address(&a, test_pool, test_account_form(
                         "rue1=12+rue+des+Tanneurs&rue2=B%C3%A2t.+B&code_postal=18000"
                         "&ville=Bourges&pays=")));
    ck_assert_str_eq("France", a.country);
    ck_assert_str_eq("12 rue des Tanneurs\nBât. B", cmcas_account_input_street(&a,
                                                                               test_pool));
    ck_assert_int_eq(0, cmcas_account_input_address(&a, test_pool, test_account_form(
                         "rue1=Rue+Haute+1&rue2=&code_postal=1000&ville=Bruxelles"
                         "&pays=Belgique")));
    ck_assert_str_eq("Rue Haute 1", cmcas_account_input_street(&a, test_pool));
    ck_assert_int_eq(3, cmcas_account_input_address(&a, test_pool, test_account_form(
                         "rue1=&code_postal=1000&ville=&pays=France")));
    ck_assert_ptr_nonnull(a.street_error);
    ck_assert_ptr_nonnull(a.postcode_error);
    ck_assert_ptr_nonnull(a.city_error);
    ck_assert_ptr_null(a.country_error);
    ck_assert_str_eq("1000", a.postcode);
}
END_TEST

static void test_account_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
}

static void test_account_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

static cmcas_household_t test_account_gael = {1, "BN", "gael", "gael@example.org", NULL,
                                              NULL, NULL, NULL, "Gael", "CLASSEN"};

START_TEST(test_account_change_contact_own_row_only)
{
    cmcas_account_input_contact_t c;
    cmcas_result_t res;

    ck_assert_int_eq(0, cmcas_account_input_contact(&c, test_pool, test_account_form(
                         "email=nouveau%40example.org&telephone=%2B33612345678")));
    ck_assert_int_eq(CMCAS_RESULT_DONE, cmcas_account_change_contact(&res, &db.st, test_pool,
                         &test_account_gael, &c, apr_time_now()));
    ck_assert_str_eq("nouveau@example.org", test_db_str(&db,
                         "SELECT email FROM household WHERE id = 1"));
    ck_assert_str_eq("06 12 34 56 78", test_db_str(&db,
                         "SELECT phone FROM household WHERE id = 1"));
    ck_assert_str_eq("m@example.org", test_db_str(&db,
                         "SELECT email FROM household WHERE id = 2"));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM cmcas_audit WHERE"
                                         " object = 'foyer gael' AND actor = 'gael'"
                                         " AND cmcas_code = 'BN'"));
    ck_assert_str_eq("E-mail : nouveau@example.org\nTéléphone : 06 12 34 56 78",
                     test_db_str(&db, "SELECT after FROM cmcas_audit"));
    /* Empty phone: none (NULL), and the same again writes no audit line. */
    ck_assert_int_eq(0, cmcas_account_input_contact(&c, test_pool, test_account_form(
                         "email=nouveau%40example.org&telephone=")));
    ck_assert_int_eq(CMCAS_RESULT_DONE, cmcas_account_change_contact(&res, &db.st, test_pool,
                         &test_account_gael, &c, apr_time_now()));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM household WHERE id = 1"
                                         " AND phone IS NULL"));
    ck_assert_int_eq(CMCAS_RESULT_DONE, cmcas_account_change_contact(&res, &db.st, test_pool,
                         &test_account_gael, &c, apr_time_now()));
    ck_assert_int_eq(2, test_db_int(&db, "SELECT count(*) FROM cmcas_audit"));
}
END_TEST

START_TEST(test_account_change_address_and_bad_input)
{
    cmcas_account_input_address_t a;
    cmcas_account_store_t *acc;
    cmcas_household_t gone = test_account_gael;
    cmcas_result_t res;
    const char *err = NULL;

    ck_assert_int_eq(1, cmcas_account_input_address(&a, test_pool, test_account_form(
                         "rue1=1+rue+X&code_postal=abc&ville=Bourges&pays=France")));
    ck_assert_int_eq(CMCAS_RESULT_BAD_INPUT, cmcas_account_change_address(&res, &db.st,
                         test_pool, &test_account_gael, &a, apr_time_now()));
    ck_assert_int_eq(0, test_db_int(&db, "SELECT count(*) FROM cmcas_audit"));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM household WHERE street"
                                         " IS NULL AND id = 1"));

    ck_assert_int_eq(0, cmcas_account_input_address(&a, test_pool, test_account_form(
                         "rue1=12+rue+des+Tanneurs&rue2=B%C3%A2t.+B&code_postal=18000"
                         "&ville=Bourges&pays=France")));
    ck_assert_int_eq(CMCAS_RESULT_DONE, cmcas_account_change_address(&res, &db.st,
                         test_pool, &test_account_gael, &a, apr_time_now()));
    ck_assert_int_eq(APR_SUCCESS, cmcas_account_store_get(&acc, &db.st, test_pool, 1, &err));
    ck_assert_str_eq("12 rue des Tanneurs\nBât. B", acc->street);
    ck_assert_str_eq("18000", acc->postcode);
    ck_assert_str_eq("Bourges", acc->city);
    ck_assert_str_eq("France", acc->country);
    ck_assert_int_eq(2, test_db_int(&db, "SELECT count(*) FROM household WHERE street"
                                         " IS NULL"));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM cmcas_audit WHERE action ="
                                         " 'Adresse modifiée par le foyer'"));
    /* A household that went: 404, nothing written. */
    gone.id = 99;
    ck_assert_int_eq(CMCAS_RESULT_NOT_FOUND, cmcas_account_change_address(&res, &db.st,
                         test_pool, &gone, &a, apr_time_now()));
    ck_assert_int_eq(1, test_db_int(&db, "SELECT count(*) FROM cmcas_audit"));
}
END_TEST

/* A node's text, copied into the test pool (libxml2's copy freed). */
static const char *test_account_text(xmlNodePtr n)
{
    xmlChar *c = xmlNodeGetContent(n);
    const char *s = apr_pstrdup(test_pool, (const char *)c);

    xmlFree(c);
    return s;
}

/* The administrator's texts: headings, paragraphs, lists, everything else is text. */
START_TEST(test_account_legal_text)
{
    static const char text[] =
        "# Article 1 - Objet\r\n"
        "Les présentes conditions <b>régissent</b>\n"
        "l'usage du portail & ses inscriptions.\n"
        "\n\n"
        "- un élément\n"
        "  qui continue\n"
        "- un autre\n"
        "\n"
        "#pas un titre\n";
    xmlNodePtr root, n;
    cmcas_doc_new(test_pool, "conditions", &root);

    cmcas_legal_doc(root, text, test_pool);
    n = root->children;
    ck_assert_str_eq("titre", (const char *)n->name);
    ck_assert_str_eq("Article 1 - Objet", test_account_text(n));
    n = n->next;
    ck_assert_str_eq("p", (const char *)n->name);
    ck_assert_str_eq("Les présentes conditions <b>régissent</b> l'usage du portail & ses "
                     "inscriptions.", test_account_text(n));
    n = n->next;
    ck_assert_str_eq("liste", (const char *)n->name);
    ck_assert_str_eq("un élément qui continue",
                     test_account_text(n->children));
    ck_assert_str_eq("un autre", test_account_text(n->children->next));
    n = n->next;
    ck_assert_str_eq("p", (const char *)n->name);
    ck_assert_str_eq("#pas un titre", test_account_text(n));
    ck_assert_ptr_null(n->next);

    ck_assert_ptr_null(cmcas_legal_check("Texte.", 6));
    ck_assert_ptr_nonnull(cmcas_legal_check(" \n\r\n", 4));
    ck_assert_ptr_nonnull(cmcas_legal_check("a\x01", 2));
    ck_assert_ptr_nonnull(cmcas_legal_check("\xC3\x28", 2));
}
END_TEST

Suite *test_account_suite(void)
{
    Suite *s = suite_create("account");
    TCase *tc = tcase_create("input");
    TCase *tcs = tcase_create("change");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_account_email);
    tcase_add_test(tc, test_account_phone);
    tcase_add_test(tc, test_account_postcode_country_lines);
    tcase_add_test(tc, test_account_forms);
    tcase_add_test(tc, test_account_legal_text);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(tcs, test_account_setup, test_account_teardown);
    tcase_add_test(tcs, test_account_change_contact_own_row_only);
    tcase_add_test(tcs, test_account_change_address_and_bad_input);
    suite_add_tcase(s, tcs);
    return s;
}
