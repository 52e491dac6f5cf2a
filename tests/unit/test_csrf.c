#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <apr_strings.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_csrf.h"
#include "../../mod_cmcas/cmcas_form.h"

static const cmcas_csrf_key_t test_csrf_key = {
    (const unsigned char *)"0123456789abcdef0123456789abcdef", 32
};

START_TEST(test_csrf_tokens)
{
    apr_time_t now = apr_time_from_sec(1800000000);
    apr_interval_time_t day = apr_time_from_sec(86400);
    const char *t = cmcas_csrf_token(test_pool, &test_csrf_key, "gael.classen", now);
    cmcas_csrf_key_t other = {(const unsigned char *)"x123456789abcdef0123456789abcdef", 32};
    char *tampered;

    ck_assert(cmcas_csrf_verify(test_pool, &test_csrf_key, t, "gael.classen", now, day));
    ck_assert(cmcas_csrf_verify(test_pool, &test_csrf_key, t, "gael.classen",
                                now + apr_time_from_sec(3600), day));
    /* Bound to the user, the key, the time. */
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key, t, "martine.dupont", now, day));
    ck_assert(!cmcas_csrf_verify(test_pool, &other, t, "gael.classen", now, day));
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key, t, "gael.classen",
                                 now + day + apr_time_from_sec(1), day));
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key, t, "gael.classen",
                                 now - apr_time_from_sec(120), day));
    tampered = apr_pstrdup(test_pool, t);
    tampered[0] = tampered[0] == '6' ? '7' : '6';
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key, tampered, "gael.classen", now,
                                 day));
    tampered = apr_pstrdup(test_pool, t);
    tampered[strlen(tampered) - 1] ^= 1;
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key, tampered, "gael.classen", now,
                                 day));
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key, "", "gael.classen", now, day));
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key, NULL, "gael.classen", now, day));
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key, "abc.def", "gael.classen", now,
                                 day));
}
END_TEST

/* A token as the module signs it, for any issued-at text (what only the key holder makes). */
static const char *test_csrf_signed(const char *login, const char *issued)
{
    static const char hex[] = "0123456789abcdef";
    const char *msg = apr_pstrcat(test_pool, login, "\n", issued, NULL);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0, i;
    char out[65];

    HMAC(EVP_sha256(), test_csrf_key.key, (int)test_csrf_key.key_len,
         (const unsigned char *)msg, strlen(msg), mac, &len);
    for (i = 0; i < 32; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[64] = '\0';
    return apr_pstrcat(test_pool, issued, ".", out, NULL);
}

/* fuzz_csrf: an issued-at of 16 hex digits above 2^63 overflowed the age's signed
 * subtraction (undefined behaviour); "ffffffffffffffff" read as -1 s, 101 s before a
 * clock at 100 s: accepted. */
START_TEST(test_csrf_huge_issued)
{
    apr_time_t early = apr_time_from_sec(100), now = apr_time_from_sec(1800000000);
    apr_interval_time_t day = apr_time_from_sec(86400);

    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key,
                                 test_csrf_signed("m", "ffffffffffffffff"), "m", early, day));
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key,
                                 test_csrf_signed("m", "8000000000000000"), "m", now, day));
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key,
                                 test_csrf_signed("m", "7fffffffffffffff"), "m", now, day));
    /* The same signing accepts a real instant, leading zeros or not. */
    ck_assert(cmcas_csrf_verify(test_pool, &test_csrf_key,
                                test_csrf_signed("m", "6b49d200"), "m", now, day));
    ck_assert(cmcas_csrf_verify(test_pool, &test_csrf_key,
                                test_csrf_signed("m", "000000006b49d200"), "m", now, day));
    ck_assert(cmcas_csrf_verify(test_pool, &test_csrf_key,
                                test_csrf_signed("m", "6b49d23c"), "m", now, day));  /* +60 s */
    ck_assert(!cmcas_csrf_verify(test_pool, &test_csrf_key,
                                 test_csrf_signed("m", "6b49d23d"), "m", now, day));
}
END_TEST

START_TEST(test_csrf_key_file)
{
    cmcas_csrf_key_t key;
    const char *err = NULL;
    char path[] = "/tmp/cmcas-key-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");

    fputs("short\n", f);
    fclose(f);
    ck_assert_int_eq(cmcas_csrf_key_load(&key, test_pool, path, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "32"));
    f = fopen(path, "w");
    fputs("0123456789abcdef0123456789abcdefXYZ\n", f);
    fclose(f);
    ck_assert_int_eq(cmcas_csrf_key_load(&key, test_pool, path, &err), APR_SUCCESS);
    ck_assert_int_eq((int)key.key_len, 35);
    unlink(path);
    ck_assert_int_eq(cmcas_csrf_key_load(&key, test_pool, path, &err), APR_EINVAL);
}
END_TEST

START_TEST(test_form_fields)
{
    cmcas_form_t *form;
    const char *err = NULL;
    const char body[] = "csrf=x&participant=12&participant=13&options-12=1&options-12=7"
                        "&observations=Merci+%C3%A0+vous&action=valider";
    apr_array_header_t *all;

    ck_assert_int_eq(cmcas_form_parse(&form, test_pool, body, sizeof(body) - 1, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(cmcas_form_single(form, "observations", 2000), "Merci à vous");
    ck_assert_ptr_null(cmcas_form_single(form, "observations", 5));    /* too long */
    ck_assert_ptr_nonnull(form->err);
    form->err = NULL;
    ck_assert_ptr_null(cmcas_form_single(form, "participant", 20));    /* repeated */
    ck_assert_ptr_nonnull(strstr(form->err, "plusieurs"));
    all = cmcas_form_all(form, "options-12");
    ck_assert_int_eq(all->nelts, 2);
    ck_assert_str_eq(APR_ARRAY_IDX(all, 1, const char *), "7");
    ck_assert_int_eq(cmcas_form_all(form, "options-13")->nelts, 0);
    ck_assert_int_eq(cmcas_form_parse(&form, test_pool, "a=1\0b=2", 7, &err), APR_EINVAL);
    ck_assert_int_eq(cmcas_form_parse(&form, test_pool, "a=%ZZ", 5, &err), APR_EINVAL);
    ck_assert_int_eq(cmcas_form_id("12"), 12);
    ck_assert_int_eq(cmcas_form_id("012"), 0);
    ck_assert_int_eq(cmcas_form_id("-1"), 0);
    ck_assert_int_eq(cmcas_form_id("1e3"), 0);
    ck_assert_int_eq(cmcas_form_id("999999999999999"), 999999999999999LL);
    ck_assert_int_eq(cmcas_form_id("9999999999999999"), 0);
    ck_assert_int_eq(cmcas_form_id(""), 0);
    ck_assert_int_eq(cmcas_form_id(NULL), 0);
}
END_TEST

Suite *test_csrf_suite(void)
{
    Suite *s = suite_create("csrf and forms");
    TCase *tc = tcase_create("csrf");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_csrf_tokens);
    tcase_add_test(tc, test_csrf_huge_issued);
    tcase_add_test(tc, test_csrf_key_file);
    tcase_add_test(tc, test_form_fields);
    suite_add_tcase(s, tc);
    return s;
}
