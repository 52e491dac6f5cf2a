/* The CSV of the organisers' exports: BOM, « ; », CRLF, quoting, formula injection
 * neutralised (OWASP), UTF-8 kept byte for byte. */
#include <string.h>
#include <apr_strings.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_csv.h"

START_TEST(test_csv_plain_and_quoted)
{
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "Gael"), "Gael");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, NULL), "");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, ""), "");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "a;b"), "\"a;b\"");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "il a dit \"oui\""),
                     "\"il a dit \"\"oui\"\"\"");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "ligne 1\nligne 2"), "\"ligne 1\nligne 2\"");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "a\r\nb"), "\"a\r\nb\"");
    /* A comma is no separator here. */
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "Atelier, Place enfant"),
                     "Atelier, Place enfant");
}
END_TEST

START_TEST(test_csv_formula_injection)
{
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "=HYPERLINK(\"http://x\")"),
                     "\"'=HYPERLINK(\"\"http://x\"\")\"");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "=1+1"), "'=1+1");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "+33 6 12"), "'+33 6 12");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "-2+3"), "'-2+3");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "@SUM(A1)"), "'@SUM(A1)");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "\tcmd"), "'\tcmd");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "\r=1"), "\"'\r=1\"");
    /* Only the first character counts. */
    ck_assert_str_eq(cmcas_csv_quote(test_pool, "a=1"), "a=1");
    ck_assert_str_eq(cmcas_csv_quote(test_pool, " =1"), " =1");
}
END_TEST

START_TEST(test_csv_file)
{
    cmcas_csv_t *csv = cmcas_csv_new(test_pool);
    const char *text;
    apr_size_t len = 0;

    cmcas_csv_field(csv, "Nom");
    cmcas_csv_field(csv, "Prénom");
    cmcas_csv_int(csv, 40);
    cmcas_csv_end_line(csv);
    cmcas_csv_field(csv, "BESSIÈRE");
    cmcas_csv_field(csv, NULL);
    cmcas_csv_field(csv, "Léa; Zoé");
    cmcas_csv_end_line(csv);
    text = cmcas_csv_text(csv, &len);
    ck_assert_uint_eq(len, strlen(text));
    ck_assert_str_eq(text, "\xEF\xBB\xBF" "Nom;Prénom;40\r\nBESSIÈRE;;\"Léa; Zoé\"\r\n");
    /* UTF-8 kept as bytes: « È » is C3 88. */
    ck_assert_ptr_nonnull(strstr(text, "BESSI\xC3\x88RE"));
}
END_TEST

START_TEST(test_csv_empty_file_is_the_bom)
{
    apr_size_t len = 0;
    const char *text = cmcas_csv_text(cmcas_csv_new(test_pool), &len);

    ck_assert_uint_eq(len, 3);
    ck_assert_str_eq(text, CMCAS_CSV_BOM);
}
END_TEST

Suite *test_csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("csv");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_csv_plain_and_quoted);
    tcase_add_test(tc, test_csv_formula_injection);
    tcase_add_test(tc, test_csv_file);
    tcase_add_test(tc, test_csv_empty_file_is_the_bom);
    suite_add_tcase(s, tc);
    return s;
}
