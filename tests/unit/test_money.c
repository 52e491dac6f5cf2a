#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_money.h"

#define NB TEST_NBSP

START_TEST(test_money_format)
{
    ck_assert_str_eq(cmcas_money_format(test_pool, 0), "0,00" NB "€");
    ck_assert_str_eq(cmcas_money_format(test_pool, 5), "0,05" NB "€");
    ck_assert_str_eq(cmcas_money_format(test_pool, 3000), "30,00" NB "€");
    ck_assert_str_eq(cmcas_money_format(test_pool, 7050), "70,50" NB "€");
    ck_assert_str_eq(cmcas_money_format(test_pool, 99999), "999,99" NB "€");
    ck_assert_str_eq(cmcas_money_format(test_pool, 100000), "1" NB "000,00" NB "€");
    ck_assert_str_eq(cmcas_money_format(test_pool, 185000), "1" NB "850,00" NB "€");
    ck_assert_str_eq(cmcas_money_format(test_pool, 123456789),
                     "1" NB "234" NB "567,89" NB "€");
    ck_assert_str_eq(cmcas_money_format(test_pool, -150), "-1,50" NB "€");
    ck_assert_str_eq(cmcas_money_format(test_pool, INT64_MIN),
                     "-92" NB "233" NB "720" NB "368" NB "547" NB "758,08" NB "€");
}
END_TEST

START_TEST(test_money_plain)
{
    ck_assert_str_eq(cmcas_money_plain(test_pool, 0), "0,00");
    ck_assert_str_eq(cmcas_money_plain(test_pool, 3005), "30,05");
    ck_assert_str_eq(cmcas_money_plain(test_pool, 123456), "1234,56");
    ck_assert_str_eq(cmcas_money_plain(test_pool, -150), "-1,50");
    ck_assert_str_eq(cmcas_money_plain(test_pool, -5), "-0,05");
    ck_assert_str_eq(cmcas_money_plain(test_pool, INT64_MIN), "-92233720368547758,08");
}
END_TEST

/* cmcas_money_parse(text, max 100 000,00 €): APR_SUCCESS and the cents, or the error. */
static apr_int64_t test_money_parse(const char *text, apr_status_t want)
{
    apr_int64_t cents = -1;

    ck_assert_int_eq(want, cmcas_money_parse(&cents, text, 10000000));
    return cents;
}

START_TEST(test_money_parse_ok)
{
    ck_assert_int_eq(test_money_parse("30", APR_SUCCESS), 3000);
    ck_assert_int_eq(test_money_parse(" 30,5 ", APR_SUCCESS), 3050);
    ck_assert_int_eq(test_money_parse("30.05", APR_SUCCESS), 3005);
    ck_assert_int_eq(test_money_parse("0,99", APR_SUCCESS), 99);
    ck_assert_int_eq(test_money_parse("0", APR_SUCCESS), 0);
    ck_assert_int_eq(test_money_parse("-0", APR_SUCCESS), 0);
    ck_assert_int_eq(test_money_parse("1 234,56 €", APR_SUCCESS), 123456);
    ck_assert_int_eq(test_money_parse("1 234,56€", APR_SUCCESS), 123456);
    /* What the pages show, copied: no-break spaces; U+202F as other sites write it. */
    ck_assert_int_eq(test_money_parse("1" NB "234,56" NB "€", APR_SUCCESS), 123456);
    ck_assert_int_eq(test_money_parse("1\xE2\x80\xAF" "234,56\xE2\x80\xAF€", APR_SUCCESS),
                     123456);
    ck_assert_int_eq(test_money_parse(NB "70" NB "€" NB, APR_SUCCESS), 7000);
    ck_assert_int_eq(test_money_parse("100 000,00", APR_SUCCESS), 10000000);
}
END_TEST

START_TEST(test_money_parse_refused)
{
    apr_int64_t cents = 1;

    ck_assert_int_eq(APR_EINVAL, cmcas_money_parse(&cents, NULL, 100));
    ck_assert_int_eq(cents, 0);
    test_money_parse("", APR_EINVAL);
    test_money_parse(" ", APR_EINVAL);
    test_money_parse("€", APR_EINVAL);
    test_money_parse("trente", APR_EINVAL);
    test_money_parse("30,", APR_EINVAL);
    test_money_parse(",50", APR_EINVAL);
    test_money_parse("30,001", APR_EINVAL);
    test_money_parse("30,0 0", APR_EINVAL);      /* no group after the comma */
    test_money_parse("3e4", APR_EINVAL);
    test_money_parse("30 € 50", APR_EINVAL);
    test_money_parse("30 €€", APR_EINVAL);
    test_money_parse("30,00 EUR", APR_EINVAL);
    test_money_parse("30\xC2", APR_EINVAL);     /* a cut UTF-8 sequence */
    test_money_parse("30\xE2\x80", APR_EINVAL);
    test_money_parse("1 2,3,4", APR_EINVAL);
    test_money_parse("-5", APR_ERANGE);
    test_money_parse("-0,01", APR_ERANGE);
    test_money_parse("100 000,01", APR_ERANGE);
    test_money_parse("999999999999", APR_ERANGE);
    test_money_parse("9999999999999", APR_ERANGE);     /* 13 digits: never overflows */
}
END_TEST

/* What the pages show reads back as the same cents (staff paste amounts). */
START_TEST(test_money_round_trip)
{
    static const apr_int64_t cents[] = {0, 1, 99, 100, 3000, 99999, 100000, 123456,
                                        1000000, 9999999, 10000000};
    size_t i;

    for (i = 0; i < sizeof(cents) / sizeof(cents[0]); i++) {
        ck_assert_int_eq(test_money_parse(cmcas_money_format(test_pool, cents[i]),
                                          APR_SUCCESS), cents[i]);
    }
}
END_TEST

Suite *test_money_suite(void)
{
    Suite *s = suite_create("money");
    TCase *tc = tcase_create("format");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_money_format);
    tcase_add_test(tc, test_money_plain);
    tcase_add_test(tc, test_money_parse_ok);
    tcase_add_test(tc, test_money_parse_refused);
    tcase_add_test(tc, test_money_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
