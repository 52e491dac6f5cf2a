#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_ratelimit.h"

START_TEST(test_ratelimit_burst_then_count)
{
    cmcas_ratelimit_t *rl = NULL;
    apr_time_t t0 = apr_time_from_sec(1800000000);
    apr_interval_time_t min = apr_time_from_sec(60);
    unsigned n = 99;
    int i, written = 0;

    ck_assert_int_eq(APR_SUCCESS, cmcas_ratelimit_create(&rl, test_pool, 10, 3, min));
    for (i = 0; i < 200; i++) {
        written += cmcas_ratelimit_take(rl, 4, t0 + apr_time_from_sec(i % 50), &n);
    }
    ck_assert_int_eq(written, 3);
    /* Another kind has its own budget. */
    ck_assert(cmcas_ratelimit_take(rl, 5, t0, &n));
    ck_assert_uint_eq(n, 0);
    /* The next window: written again, with the count of what was left out. */
    ck_assert(cmcas_ratelimit_take(rl, 4, t0 + min, &n));
    ck_assert_uint_eq(n, 197);
    ck_assert(cmcas_ratelimit_take(rl, 4, t0 + min + 1, &n));
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_ratelimit_edges)
{
    cmcas_ratelimit_t *rl = NULL;
    apr_time_t t0 = apr_time_from_sec(1800000000);
    unsigned n = 7;

    /* No limiter, or a kind out of range: always written. */
    ck_assert(cmcas_ratelimit_take(NULL, 1, t0, &n));
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(APR_SUCCESS, cmcas_ratelimit_create(&rl, test_pool, 2, 1,
                                                         apr_time_from_sec(60)));
    ck_assert(cmcas_ratelimit_take(rl, 2, t0, &n));
    ck_assert(cmcas_ratelimit_take(rl, -1, t0, &n));
    ck_assert(cmcas_ratelimit_take(rl, 1, t0, &n));
    ck_assert(!cmcas_ratelimit_take(rl, 1, t0 + 1, &n));
    /* The clock going back opens a new window rather than silencing the kind. */
    ck_assert(cmcas_ratelimit_take(rl, 1, t0 - apr_time_from_sec(3600), &n));
    ck_assert_uint_eq(n, 1);
}
END_TEST

Suite *test_ratelimit_suite(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_ratelimit_burst_then_count);
    tcase_add_test(tc, test_ratelimit_edges);
    suite_add_tcase(s, tc);
    return s;
}
