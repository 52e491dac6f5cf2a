#include <string.h>
#include <apr_strings.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_paybox.h"
#include "../../mod_cmcas/cmcas_instalment.h"
#include "../../mod_cmcas/cmcas_systempay.h"

/* The shared key of the Paybox pre-production accounts. */
#define TEST_PAYBOX_KEY "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" \
                        "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define TEST_PAYBOX_PUBKEY CMCAS_SRCDIR "/conf/paybox-pubkey.pem"

static apr_array_header_t *test_payment_h1(const char *porteur)
{
    static const char *const pairs[][2] = {
        {"PBX_SITE", "1999888"}, {"PBX_RANG", "32"}, {"PBX_IDENTIFIANT", "107904482"},
        {"PBX_TOTAL", "1000"}, {"PBX_DEVISE", "978"}, {"PBX_CMD", "3"},
        {"PBX_PORTEUR", NULL},
        {"PBX_RETOUR", "Mt:M;Id:R;Ref:A;Erreur:E;sign:K"},
        {"PBX_TIME", "2014-12-09T22:37:34+00:00"},
    };
    apr_array_header_t *fields = apr_array_make(test_pool, 9, sizeof(cmcas_paybox_field_t));
    size_t i;
    for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        cmcas_paybox_field_t *f = apr_array_push(fields);
        f->name = pairs[i][0];
        f->value = pairs[i][1] ? pairs[i][1] : porteur;
    }
    return fields;
}

START_TEST(test_payment_paybox_hmac)
{
    const char *mac, *err;

    ck_assert_int_eq(cmcas_paybox_hmac(&mac, test_pool, TEST_PAYBOX_KEY,
                                       test_payment_h1("test@paybox.com"), &err),
                     APR_SUCCESS);
    ck_assert_str_eq(mac, "309CF65B9A4381B44DAC7D8979208FCC4E0F3E819A00E1C5602B419FD7E4C238"
                          "9468E679F30522581752B8FD26A8816004B6A17EFCDD2BEAD8F16A26D092EA98");
    /* Lower-case hex key: the same key. */
    ck_assert_int_eq(cmcas_paybox_hmac(&mac, test_pool,
                                       apr_pstrdup(test_pool, "0123456789abcdef0123456789abcdef"
                                                   "0123456789abcdef0123456789abcdef"
                                                   "0123456789abcdef0123456789abcdef"
                                                   "0123456789abcdef0123456789abcdef"),
                                       test_payment_h1("test@paybox.com"), &err),
                     APR_SUCCESS);
    ck_assert(!strncmp(mac, "309CF65B", 8));
    /* URL-encoded values are other bytes: another MAC (the classic mistake). */
    ck_assert_int_eq(cmcas_paybox_hmac(&mac, test_pool, TEST_PAYBOX_KEY,
                                       test_payment_h1("test%40paybox.com"), &err),
                     APR_SUCCESS);
    ck_assert(strncmp(mac, "309CF65B", 8));
    ck_assert_int_eq(cmcas_paybox_hmac(&mac, test_pool, "ABC", test_payment_h1("x"), &err),
                     APR_EINVAL);
    ck_assert_int_eq(cmcas_paybox_hmac(&mac, test_pool, "GG", test_payment_h1("x"), &err),
                     APR_EINVAL);
    ck_assert_str_eq(cmcas_paybox_signed_string(test_pool, test_payment_h1("a@b.c")),
                     "PBX_SITE=1999888&PBX_RANG=32&PBX_IDENTIFIANT=107904482&PBX_TOTAL=1000"
                     "&PBX_DEVISE=978&PBX_CMD=3&PBX_PORTEUR=a@b.c"
                     "&PBX_RETOUR=Mt:M;Id:R;Ref:A;Erreur:E;sign:K"
                     "&PBX_TIME=2014-12-09T22:37:34+00:00");
}
END_TEST

#define TEST_R1_SIGN "jRk0xXxO6wGwyL9G0K5oj5Xihxbr0s0gxhBkXT7D0k0KAFKywaqy1xd%2BorpeU1hM2" \
    "Dq5KvDP42byaRzEIx3ymVvAP%2FCtM7jzTXO58tbvsXojPvLGEqz4q9QhrCH%2BOmQL6AfXt6lXImzjTgrKDIvI" \
    "u6EX%2BNpp5sbcot%2BafOrTVkQ%3D"
/* R3's Base64 signature, URL-encoded as the bank sends it. */
#define TEST_R3_SIGN "QnhlnuOpcbfUruOU7kKG%2FZmDPsDzM31VrpMIObQomYwEE%2FafhJiDPkWVN9%2Br3JV" \
    "FXBsFnqo3VlOVzxQVVahXpF7eWiJoAe5LcIoqSvms96SFFv9LfndS%2F3zAO5fF%2FtR4Us3rOSUwT1Hs2AS17R3" \
    "B9ATwBMhKt1l3DPw9hClpFw0%3D"

START_TEST(test_payment_paybox_verify)
{
    EVP_PKEY *key;
    const char *err;

    ck_assert_int_eq(cmcas_paybox_load_key(&key, test_pool, TEST_PAYBOX_PUBKEY, &err),
                     APR_SUCCESS);
    ck_assert(cmcas_paybox_verify(key, "Mt=100&Id=47&Ref=601957&Erreur=00000&sign="
                                  TEST_R1_SIGN, "sign", test_pool));
    /* Tampered amount, reference, or code. */
    ck_assert(!cmcas_paybox_verify(key, "Mt=1000&Id=47&Ref=601957&Erreur=00000&sign="
                                   TEST_R1_SIGN, "sign", test_pool));
    ck_assert(!cmcas_paybox_verify(key, "Mt=100&Id=47&Ref=601957&Erreur=00001&sign="
                                   TEST_R1_SIGN, "sign", test_pool));
    ck_assert(cmcas_paybox_verify(key, "Mt=1000&Ref=CMD1349338388&Auto=XXXXXX&Erreur=00000"
                                  "&sign=" TEST_R3_SIGN, "sign", test_pool));
    ck_assert(!cmcas_paybox_verify(key, "Mt=1000&Ref=CMD1349338389&Auto=XXXXXX&Erreur=00000"
                                   "&sign=" TEST_R3_SIGN, "sign", test_pool));
    /* Signature over other bytes: re-encoded data is not what was signed. */
    ck_assert(!cmcas_paybox_verify(key, "Mt=100&Id=47&Ref=601957&Erreur=00000&x=1&sign="
                                   TEST_R1_SIGN, "sign", test_pool));
    /* No K, K not last, another name, broken Base64. */
    ck_assert(!cmcas_paybox_verify(key, "Mt=100&Id=47&Ref=601957&Erreur=00000", "sign",
                                   test_pool));
    ck_assert(!cmcas_paybox_verify(key, "Mt=100&Id=47&Ref=601957&Erreur=00000&sign="
                                   TEST_R1_SIGN "&z=1", "sign", test_pool));
    ck_assert(!cmcas_paybox_verify(key, "Mt=100&Id=47&Ref=601957&Erreur=00000&sign="
                                   TEST_R1_SIGN, "K", test_pool));
    ck_assert(!cmcas_paybox_verify(key, "Mt=100&Id=47&Ref=601957&Erreur=00000&sign=%ZZ",
                                   "sign", test_pool));
    ck_assert(!cmcas_paybox_verify(key, "Mt=100&Id=47&Ref=601957&Erreur=00000&sign=",
                                   "sign", test_pool));
    ck_assert(!cmcas_paybox_verify(key, "sign=" TEST_R1_SIGN, "sign", test_pool));
    ck_assert(!cmcas_paybox_verify(NULL, "Mt=1&sign=" TEST_R1_SIGN, "sign", test_pool));
    ck_assert_int_eq(cmcas_paybox_load_key(&key, test_pool, "/nonexistent.pem", &err),
                     APR_EINVAL);
    ck_assert_int_eq(cmcas_paybox_load_key(&key, test_pool, CMCAS_SRCDIR "/README.md", &err),
                     APR_EINVAL);
}
END_TEST

START_TEST(test_payment_paybox_codes)
{
    ck_assert_int_eq(cmcas_paybox_outcome("00000"), CMCAS_GATEWAY_PAID);
    ck_assert_int_eq(cmcas_paybox_outcome("00114"), CMCAS_GATEWAY_REFUSED);
    ck_assert_int_eq(cmcas_paybox_outcome("00151"), CMCAS_GATEWAY_REFUSED);
    ck_assert_int_eq(cmcas_paybox_outcome("99999"), CMCAS_GATEWAY_PENDING);
    ck_assert_int_eq(cmcas_paybox_outcome("00001"), CMCAS_GATEWAY_CANCELLED);
    ck_assert_int_eq(cmcas_paybox_outcome("00040"), CMCAS_GATEWAY_ERROR);
    ck_assert_int_eq(cmcas_paybox_outcome("0000"), CMCAS_GATEWAY_ERROR);
    ck_assert_int_eq(cmcas_paybox_outcome("0000a"), CMCAS_GATEWAY_ERROR);
    ck_assert_int_eq(cmcas_paybox_outcome(NULL), CMCAS_GATEWAY_ERROR);
    ck_assert_str_eq(cmcas_paybox_message(test_pool, "00114"), "Numéro de carte invalide.");
    ck_assert_ptr_nonnull(strstr(cmcas_paybox_message(test_pool, "00177"), "00177"));
    ck_assert_ptr_nonnull(strstr(cmcas_paybox_message(test_pool, "00042"), "erreur 00042"));
}
END_TEST

START_TEST(test_payment_instalments)
{
    cmcas_date_t today = {2026, 11, 30}, jan31 = {2027, 1, 31}, d;
    cmcas_instalment_plan_t plan;
    apr_int64_t total;
    int n;

    ck_assert_int_eq(cmcas_instalment_plan(&plan, 7000, 3, &today), APR_SUCCESS);
    ck_assert_int_eq(plan.amounts[0], 2334);
    ck_assert_int_eq(plan.amounts[1], 2333);
    ck_assert_int_eq(plan.amounts[2], 2333);
    ck_assert_int_eq(plan.dates[1].m, 12);
    ck_assert_int_eq(plan.dates[1].d, 30);
    ck_assert_int_eq(plan.dates[2].y, 2027);
    ck_assert_int_eq(plan.dates[2].m, 1);
    /* Every total: exact sum, first the largest, the others equal, within a cent. */
    for (total = 3; total < 200000; total += 97) {
        for (n = 1; n <= 4; n++) {
            apr_int64_t sum = 0;
            int i;
            if (total < n) continue;
            ck_assert_int_eq(cmcas_instalment_plan(&plan, total, n, &today), APR_SUCCESS);
            for (i = 0; i < n; i++) {
                sum += plan.amounts[i];
                ck_assert_int_ge(plan.amounts[0], plan.amounts[i]);
                ck_assert_int_le(plan.amounts[0] - plan.amounts[i], n - 1);
                ck_assert_int_gt(plan.amounts[i], 0);
            }
            ck_assert_int_eq(sum, total);
        }
    }
    ck_assert_int_eq(cmcas_instalment_plan(&plan, 2, 3, &today), APR_EINVAL);
    ck_assert_int_eq(cmcas_instalment_plan(&plan, 7000, 0, &today), APR_EINVAL);
    ck_assert_int_eq(cmcas_instalment_plan(&plan, 7000, 5, &today), APR_EINVAL);
    /* Months: the day is clamped to the month's last. */
    cmcas_date_add_months(&d, &jan31, 1);
    ck_assert(d.y == 2027 && d.m == 2 && d.d == 28);
    jan31.y = 2028;
    cmcas_date_add_months(&d, &jan31, 1);
    ck_assert(d.m == 2 && d.d == 29);
    cmcas_date_add_months(&d, &jan31, 11);
    ck_assert(d.y == 2028 && d.m == 12 && d.d == 31);
    cmcas_date_add_months(&d, &jan31, 12);
    ck_assert(d.y == 2029 && d.m == 1 && d.d == 31);
}
END_TEST

START_TEST(test_payment_systempay)
{
    /* Expected value computed independently (Python hmac + base64). */
    apr_table_t *f = apr_table_make(test_pool, 16);
    apr_table_set(f, "vads_site_id", "12345678");
    apr_table_set(f, "vads_action_mode", "INTERACTIVE");
    apr_table_set(f, "vads_amount", "7000");
    apr_table_set(f, "vads_ctx_mode", "TEST");
    apr_table_set(f, "vads_currency", "978");
    apr_table_set(f, "vads_order_id", "HTLIINGLE");
    apr_table_set(f, "vads_page_action", "PAYMENT");
    apr_table_set(f, "vads_payment_config", "SINGLE");
    apr_table_set(f, "vads_trans_date", "20261128101403");
    apr_table_set(f, "vads_trans_id", "000001");
    apr_table_set(f, "vads_version", "V2");
    apr_table_set(f, "vads_cust_email", "gael.classen@example.org");
    apr_table_set(f, "other", "ignored");
    ck_assert_str_eq(cmcas_systempay_signature(test_pool, "1122334455667788", f),
                     "Sd0xe+F3Njak5uIaOJmIk+tdnoAPApZ3UJY2KtGiLEo=");
    ck_assert(!cmcas_systempay_verify(test_pool, "1122334455667788", f));   /* none */
    apr_table_set(f, "signature", "Sd0xe+F3Njak5uIaOJmIk+tdnoAPApZ3UJY2KtGiLEo=");
    ck_assert(cmcas_systempay_verify(test_pool, "1122334455667788", f));
    ck_assert(!cmcas_systempay_verify(test_pool, "1122334455667789", f));
    apr_table_set(f, "vads_amount", "700");
    ck_assert(!cmcas_systempay_verify(test_pool, "1122334455667788", f));
    apr_table_set(f, "vads_amount", "7000");
    apr_table_add(f, "signature", "x");
    ck_assert(!cmcas_systempay_verify(test_pool, "1122334455667788", f));
}
END_TEST

START_TEST(test_payment_systempay_request)
{
    cmcas_systempay_request_t req;
    cmcas_gateway_result_t res;
    apr_table_t *f;

    memset(&req, 0, sizeof(req));
    req.site_id = "12345678";
    req.mode = "TEST";
    req.key = "1122334455667788";
    req.reference = "HTLIINGLE";
    req.email = "gael.classen@example.org";
    req.total = 7000;
    req.count = 3;
    req.first = 2334;
    req.trans_id = "000042";
    req.trans_date = "20261128101403";
    req.url_check = "https://p.example/paiement/notification/systempay/BN";
    req.url_success = req.url_refused = req.url_cancel = req.url_return = "https://p.example/r";
    f = cmcas_systempay_request(test_pool, &req);
    ck_assert_str_eq(apr_table_get(f, "vads_amount"), "7000");
    ck_assert_str_eq(apr_table_get(f, "vads_payment_config"),
                     "MULTI:first=2334;count=3;period=30");
    ck_assert_str_eq(apr_table_get(f, "vads_return_mode"), "GET");
    ck_assert(cmcas_systempay_verify(test_pool, "1122334455667788", f));
    /* What the bank returns, read. */
    apr_table_set(f, "vads_trans_status", "AUTHORISED");
    ck_assert_int_eq(cmcas_systempay_result(&res, f, test_pool), APR_SUCCESS);
    ck_assert_int_eq(res.outcome, CMCAS_GATEWAY_PAID);
    ck_assert_int_eq(res.amount, 7000);
    ck_assert(res.amount_is_total);
    ck_assert_str_eq(res.reference, "HTLIINGLE");
    apr_table_set(f, "vads_trans_status", "REFUSED");
    cmcas_systempay_result(&res, f, test_pool);
    ck_assert_int_eq(res.outcome, CMCAS_GATEWAY_REFUSED);
    apr_table_set(f, "vads_trans_status", "ABANDONED");
    cmcas_systempay_result(&res, f, test_pool);
    ck_assert_int_eq(res.outcome, CMCAS_GATEWAY_CANCELLED);
    apr_table_set(f, "vads_amount", "70.00");
    ck_assert_int_eq(cmcas_systempay_result(&res, f, test_pool), APR_EINVAL);
}
END_TEST

Suite *test_payment_suite(void)
{
    Suite *s = suite_create("payment");
    TCase *tc = tcase_create("payment");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_payment_paybox_hmac);
    tcase_add_test(tc, test_payment_paybox_verify);
    tcase_add_test(tc, test_payment_paybox_codes);
    tcase_add_test(tc, test_payment_instalments);
    tcase_add_test(tc, test_payment_systempay);
    tcase_add_test(tc, test_payment_systempay_request);
    suite_add_tcase(s, tc);
    return s;
}
