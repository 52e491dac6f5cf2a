#include <stdlib.h>
#include <string.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_text.h"

#define UTF8_OK(s) cmcas_text_utf8_valid(s, sizeof(s) - 1)

START_TEST(test_text_utf8)
{
    ck_assert(UTF8_OK("Séjour Afrique du Sud"));
    ck_assert(UTF8_OK("€ 😀"));
    ck_assert(!UTF8_OK("\xC3"));            /* truncated */
    ck_assert(!UTF8_OK("\xC3\x28"));        /* bad continuation */
    ck_assert(!UTF8_OK("\xC0\xAF"));        /* overlong '/' */
    ck_assert(!UTF8_OK("\xE0\x80\xAF"));    /* overlong */
    ck_assert(!UTF8_OK("\xED\xA0\x80"));    /* surrogate */
    ck_assert(!UTF8_OK("\xF4\x90\x80\x80"));/* past U+10FFFF */
    ck_assert(!UTF8_OK("\xFF"));
    ck_assert(!cmcas_text_utf8_valid("a\0b", 3));
}
END_TEST

START_TEST(test_text_fold)
{
    ck_assert_str_eq(cmcas_text_fold(test_pool, "Théâtre À L'ŒUVRE"), "theatre a l'oeuvre");
    ck_assert_str_eq(cmcas_text_fold(test_pool, "Pâtisserie Ça Déçoit Ñ Ü ß Æ"),
                     "patisserie ca decoit n u ss ae");
    ck_assert_str_eq(cmcas_text_fold(test_pool, "l’Opéra"), "l'opera");
    ck_assert_str_eq(cmcas_text_fold(test_pool, "€ 😀 x"), "€ 😀 x");
    ck_assert_str_eq(cmcas_text_fold(test_pool, "ŠKODA Łódź"), "skoda lodz");
}
END_TEST

START_TEST(test_text_bad_bytes)
{
    char *clean;
    /* A lone lead byte at the end must not make folding run past the string. */
    ck_assert_str_eq(cmcas_text_fold(test_pool, "Assembl\xE9"), "assembl?");
    ck_assert_str_eq(cmcas_text_fold(test_pool, "\xE9t\xE9"), "?t?");
    ck_assert_str_eq(cmcas_text_fold(test_pool, "\xF0\x9F"), "??");
    ck_assert(!cmcas_text_xml_valid("a\x01" "b", 3));
    ck_assert(!cmcas_text_xml_valid("\xEF\xBF\xBE", 3));     /* U+FFFE */
    ck_assert(cmcas_text_xml_valid("a\tb\nc\r", 6));
    clean = cmcas_text_xml_clean("a\x01" "b\xE9");
    ck_assert_str_eq(clean, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    free(clean);
}
END_TEST

Suite *test_text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("text");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_text_utf8);
    tcase_add_test(tc, test_text_fold);
    tcase_add_test(tc, test_text_bad_bytes);
    suite_add_tcase(s, tc);
    return s;
}
