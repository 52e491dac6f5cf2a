#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_query.h"

static const cmcas_query_limits_t limits = {8, 20, 0};

START_TEST(test_query_parse)
{
    apr_table_t *t;
    const char *err;

    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "q=th%C3%A9%C3%A2tre+de+rue&page=2",
                                       &limits, &err), APR_SUCCESS);
    ck_assert_str_eq(apr_table_get(t, "q"), "théâtre de rue");
    ck_assert_str_eq(apr_table_get(t, "page"), "2");
    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, NULL, &limits, &err), APR_SUCCESS);
    ck_assert_int_eq(apr_table_elts(t)->nelts, 0);
    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "a&&=x&b=%26%3D", &limits, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(apr_table_get(t, "a"), "");
    ck_assert_str_eq(apr_table_get(t, "b"), "&=");
}
END_TEST

START_TEST(test_query_reject)
{
    apr_table_t *t;
    const char *err;

    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "q=a&q=b", &limits, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "plusieurs fois"));
    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "q=%zz", &limits, &err), APR_EINVAL);
    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "q=%4", &limits, &err), APR_EINVAL);
    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "q=%00", &limits, &err), APR_EINVAL);
    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "q=%C3", &limits, &err), APR_EINVAL);
    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "q=%FF%FE", &limits, &err),
                     APR_EINVAL);
    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "q=123456789012345678901",
                                       &limits, &err), APR_EINVAL);
    ck_assert_int_eq(cmcas_query_parse(&t, test_pool, "a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1",
                                       &limits, &err), APR_EINVAL);
}
END_TEST

Suite *test_query_suite(void)
{
    Suite *s = suite_create("query");
    TCase *tc = tcase_create("query");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_query_parse);
    tcase_add_test(tc, test_query_reject);
    suite_add_tcase(s, tc);
    return s;
}
