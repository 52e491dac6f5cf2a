#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_money.h"

START_TEST(test_money_format)
{
    ck_assert_str_eq(cmcas_money_format(test_pool, 0), "0,00 €");
    ck_assert_str_eq(cmcas_money_format(test_pool, 5), "0,05 €");
    ck_assert_str_eq(cmcas_money_format(test_pool, 3000), "30,00 €");
    ck_assert_str_eq(cmcas_money_format(test_pool, 7050), "70,50 €");
    ck_assert_str_eq(cmcas_money_format(test_pool, 100000), "1 000,00 €");
    ck_assert_str_eq(cmcas_money_format(test_pool, 185000), "1 850,00 €");
    ck_assert_str_eq(cmcas_money_format(test_pool, 123456789), "1 234 567,89 €");
    ck_assert_str_eq(cmcas_money_format(test_pool, -150), "-1,50 €");
    ck_assert_str_eq(cmcas_money_format(test_pool, INT64_MIN),
                     "-92 233 720 368 547 758,08 €");
}
END_TEST

Suite *test_money_suite(void)
{
    Suite *s = suite_create("money");
    TCase *tc = tcase_create("format");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_money_format);
    suite_add_tcase(s, tc);
    return s;
}
