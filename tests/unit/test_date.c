#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_date.h"

START_TEST(test_date_parse)
{
    cmcas_date_t d;
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "2020-05-17"), APR_SUCCESS);
    ck_assert_int_eq(d.y, 2020);
    ck_assert_int_eq(d.m, 5);
    ck_assert_int_eq(d.d, 17);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "2024-02-29"), APR_SUCCESS);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "2023-02-29"), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "1900-02-29"), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "2000-02-29"), APR_SUCCESS);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "2020-13-01"), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "2020-04-31"), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "2020-5-17"), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "+020-05-17"), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, "2020-05-17 "), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, ""), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_iso(&d, NULL), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_fr(&d, "17/05/2020"), APR_SUCCESS);
    ck_assert_int_eq(d.d, 17);
    ck_assert_int_eq(cmcas_date_parse_fr(&d, "31/06/2020"), APR_EINVAL);
    ck_assert_int_eq(cmcas_date_parse_fr(&d, "1/05/2020"), APR_EINVAL);
}
END_TEST

START_TEST(test_date_format)
{
    ck_assert_str_eq(cmcas_date_iso_to_fr(test_pool, "2020-05-17"), "17/05/2020");
    ck_assert_ptr_null(cmcas_date_iso_to_fr(test_pool, "2020-05-32"));
}
END_TEST

START_TEST(test_date_days)
{
    cmcas_date_t d = {1970, 1, 1}, back;
    long n;
    ck_assert_int_eq(cmcas_date_to_days(&d), 0);
    d.y = 2000; d.m = 3; d.d = 1;
    ck_assert_int_eq(cmcas_date_to_days(&d), 11017);
    /* Every day from 1900 to 2100 round-trips and follows the previous one. */
    for (n = -25567; n < 47482; n++) {
        cmcas_date_from_days(&back, n);
        ck_assert(cmcas_date_valid(back.y, back.m, back.d));
        ck_assert_int_eq(cmcas_date_to_days(&back), n);
    }
}
END_TEST

START_TEST(test_date_age)
{
    cmcas_date_t birth = {2012, 5, 17}, on = {2020, 5, 16};
    ck_assert_int_eq(cmcas_date_age_on(&birth, &on), 7);
    on.d = 17;
    ck_assert_int_eq(cmcas_date_age_on(&birth, &on), 8);
    birth.y = 2012; birth.m = 2; birth.d = 29;
    on.y = 2021; on.m = 2; on.d = 28;
    ck_assert_int_eq(cmcas_date_age_on(&birth, &on), 8);
    on.m = 3; on.d = 1;
    ck_assert_int_eq(cmcas_date_age_on(&birth, &on), 9);
    ck_assert_int_lt(cmcas_date_cmp(&birth, &on), 0);
    ck_assert_int_eq(cmcas_date_cmp(&on, &on), 0);
}
END_TEST

Suite *test_date_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("date");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_date_parse);
    tcase_add_test(tc, test_date_format);
    tcase_add_test(tc, test_date_days);
    tcase_add_test(tc, test_date_age);
    suite_add_tcase(s, tc);
    return s;
}
