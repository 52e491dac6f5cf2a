#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <apr_strings.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_paybox_direct.h"

/* The shared key of the Paybox pre-production accounts. */
#define KEY "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" \
            "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define NUMQ 123456789UL
#define DATEQ "28112026120000"

static cmcas_paybox_direct_account_t test_paybox_direct_account(int production)
{
    cmcas_paybox_direct_account_t acc = {"1999888", "32", "107904482", KEY, NULL,
                                         production};
    return acc;
}

static cmcas_paybox_direct_tx_t test_paybox_direct_tx(void)
{
    cmcas_paybox_direct_tx_t tx = {"ABCDEFGHI", 7000, "20001234", "10005678", "A1B2C3"};
    return tx;
}

/* An answer of the bank to question NUMQ about test_paybox_direct_tx(), with
 * `change` ("NAME=value&...", a value "-" removes the variable) applied. */
static apr_table_t *test_paybox_direct_answer(const char *status, const char *change)
{
    const char *body = apr_pstrcat(test_pool,
        "NUMTRANS=0020001234&NUMAPPEL=0010005678&NUMQUESTION=0123456789&SITE=1999888&"
        "RANG=32&AUTORISATION=A1B2C3&CODEREPONSE=00000&"
        "COMMENTAIRE=Demande trait\xe9" "e avec succ\xe8s&REFABONNE=&PORTEUR=&STATUS=",
        status, "\n", NULL);
    apr_table_t *ans = NULL, *delta = NULL;
    const char *err = NULL;
    const apr_array_header_t *arr;
    int i;

    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, body, strlen(body), &err),
                     APR_SUCCESS);
    if (change) {
        ck_assert_int_eq(cmcas_paybox_direct_parse(&delta, test_pool, change,
                                                   strlen(change), &err), APR_SUCCESS);
        arr = apr_table_elts(delta);
        for (i = 0; i < arr->nelts; i++) {
            const apr_table_entry_t *e = &APR_ARRAY_IDX(arr, i, apr_table_entry_t);
            if (!strcmp(e->val, "-")) {
                apr_table_unset(ans, e->key);
            }
            else {
                apr_table_set(ans, e->key, e->val);
            }
        }
    }
    return ans;
}

static cmcas_gateway_check_t test_paybox_direct_judge(const char *type, int production,
                                               apr_table_t *ans, const char **why)
{
    cmcas_paybox_direct_account_t acc = test_paybox_direct_account(production);
    cmcas_paybox_direct_tx_t tx = test_paybox_direct_tx();
    *why = NULL;
    return cmcas_paybox_direct_judge(test_pool, &acc, type, &tx, NUMQ, ans, why);
}

#define INQ CMCAS_PAYBOX_DIRECT_INQUIRY
#define EXI CMCAS_PAYBOX_DIRECT_EXISTS

/* ------------------------------------------------------------------------- questions */

START_TEST(test_paybox_direct_inquiry_hmac)
{
    cmcas_paybox_direct_account_t acc = test_paybox_direct_account(1);
    cmcas_paybox_direct_tx_t tx = test_paybox_direct_tx();
    const char *body = NULL, *err = NULL;

    ck_assert_int_eq(cmcas_paybox_direct_question(&body, test_pool, &acc, INQ, &tx,
                                                  NUMQ, DATEQ, &err),
                     APR_SUCCESS);
    /* Names in order, numbers on 10 digits, rang on 3, HMAC-SHA-512 (recomputed with
     * Python's hmac) of the raw pairs before it, last. */
    ck_assert_str_eq(body,
        "DATEQ=28112026120000&HASH=SHA512&IDENTIFIANT=107904482&NUMAPPEL=0010005678&"
        "NUMQUESTION=0123456789&NUMTRANS=0020001234&RANG=032&SITE=1999888&TYPE=00017&"
        "VERSION=00103&HMAC="
        "FDAB78F14F042E3A1A9778DF5525DEE766EC9DD2A1E2EBE8CD3F29721BF11292"
        "1F5D914A7FFD7EC6424BD85AA6B3CF57AA61D39CF02578B6C2D64CC6005334D4");
    /* Without a call number: NUMTRANS only. */
    tx.call = NULL;
    ck_assert_int_eq(cmcas_paybox_direct_question(&body, test_pool, &acc, INQ, &tx,
                                                  NUMQ, DATEQ, &err),
                     APR_SUCCESS);
    ck_assert_ptr_null(strstr(body, "NUMAPPEL"));
    ck_assert_ptr_nonnull(strstr(body, "&NUMTRANS=0020001234&"));
}
END_TEST

START_TEST(test_paybox_direct_exists_hmac_signs_raw_values)
{
    cmcas_paybox_direct_account_t acc = test_paybox_direct_account(1);
    cmcas_paybox_direct_tx_t tx = test_paybox_direct_tx();
    const char *body = NULL, *err = NULL;

    tx.reference = "A B&C=D";
    ck_assert_int_eq(cmcas_paybox_direct_question(&body, test_pool, &acc, EXI, &tx,
                                                  NUMQ, DATEQ, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(body,
        "DATEQ=28112026120000&DEVISE=978&HASH=SHA512&IDENTIFIANT=107904482&"
        "MONTANT=0000007000&NUMQUESTION=0123456789&RANG=032&REFERENCE=A%20B%26C%3DD&"
        "SITE=1999888&TYPE=00011&VERSION=00103&HMAC="
        "7B00436DFC1E075B1ED7715F929B26A4EE4A61BC2022F05147895A3E260DD7061620EA2D7D1CC6C3"
        "BC202850E8E4B488E758A2260E0EF61A10B5654D573BBC54");
}
END_TEST

START_TEST(test_paybox_direct_question_with_cle)
{
    cmcas_paybox_direct_account_t acc = test_paybox_direct_account(1);
    cmcas_paybox_direct_tx_t tx = test_paybox_direct_tx();
    const char *body = NULL, *err = NULL;

    acc.hex_key = NULL;
    acc.cle = "1999888I";
    acc.identifiant = NULL;
    acc.rang = "032";
    tx.reference = "R\xc3\xa9" "f 1/2";
    ck_assert_int_eq(cmcas_paybox_direct_question(&body, test_pool, &acc, EXI, &tx,
                                                  NUMQ, DATEQ, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(body,
        "CLE=1999888I&DATEQ=28112026120000&DEVISE=978&MONTANT=0000007000&"
        "NUMQUESTION=0123456789&RANG=032&REFERENCE=R%C3%A9f%201%2F2&SITE=1999888&"
        "TYPE=00011&VERSION=00103");
}
END_TEST

START_TEST(test_paybox_direct_question_refuses_what_it_cannot_send)
{
    cmcas_paybox_direct_account_t acc = test_paybox_direct_account(1);
    cmcas_paybox_direct_tx_t tx;
    const char *body = "x", *err = NULL;

#define BAD(type, numq, dateq) do { \
        err = NULL; \
        ck_assert_int_eq(cmcas_paybox_direct_question(&body, test_pool, &acc, type, &tx, \
                                                      numq, dateq, &err), APR_EINVAL); \
        ck_assert_ptr_null(body); \
        ck_assert_ptr_nonnull(err); \
        ck_assert_ptr_null(strstr(err, KEY)); \
    } while (0)

    tx = test_paybox_direct_tx();
    BAD("00001", NUMQ, DATEQ);
    BAD(INQ, 0UL, DATEQ);
    BAD(INQ, 2147483648UL, DATEQ);
    BAD(INQ, NUMQ, "2811202612000");
    BAD(INQ, NUMQ, "28112026I20000");
    tx.trans = "?";                     /* a notification without Trans */
    BAD(INQ, NUMQ, DATEQ);
    tx.trans = "12345678901";
    BAD(INQ, NUMQ, DATEQ);
    tx = test_paybox_direct_tx();
    tx.call = "12a";
    BAD(INQ, NUMQ, DATEQ);
    tx = test_paybox_direct_tx();
    tx.reference = "";
    BAD(EXI, NUMQ, DATEQ);
    tx.reference = "AB\nC";
    BAD(EXI, NUMQ, DATEQ);
    tx = test_paybox_direct_tx();
    tx.amount = 0;
    BAD(EXI, NUMQ, DATEQ);
    tx = test_paybox_direct_tx();
    acc.site = "199988";
    BAD(INQ, NUMQ, DATEQ);
    acc = test_paybox_direct_account(1);
    acc.hex_key = NULL;
    BAD(INQ, NUMQ, DATEQ);
    acc.hex_key = "ABC";
    BAD(INQ, NUMQ, DATEQ);
#undef BAD
}
END_TEST

START_TEST(test_paybox_direct_numquestion_and_dateq)
{
    apr_time_t t = apr_time_from_sec(86400 * 20000 + 3600);

    ck_assert_uint_eq(cmcas_paybox_direct_numquestion(t, 42), 36000043UL);
    ck_assert_uint_eq(cmcas_paybox_direct_numquestion(t, 10042), 36000043UL);
    ck_assert_uint_eq(cmcas_paybox_direct_numquestion(apr_time_from_sec(86399), 9999),
                      864000000UL);
    ck_assert_uint_eq(cmcas_paybox_direct_numquestion(apr_time_from_sec(0), 0), 1UL);
    setenv("TZ", "UTC", 1);
    tzset();
    /* 2026-11-28 12:34:56 UTC */
    ck_assert_str_eq(cmcas_paybox_direct_dateq(test_pool, apr_time_from_sec(1795869296)),
                     "28112026123456");
}
END_TEST

/* ------------------------------------------------------------------------- answers */

START_TEST(test_paybox_direct_parse_the_bank_answer)
{
    static const char body[] =
        "NUMTRANS=0005329117&NUMAPPEL=0010244812&NUMQUESTION=0000000042&SITE=1999888&"
        "RANG=32&AUTORISATION=XXXXXX&CODEREPONSE=00000&COMMENTAIRE=Demande trait\xe9" "e "
        "avec succ\xe8s&REFABONNE=&PORTEUR=&STATUS=Captur%E9\r\n";
    apr_table_t *ans = NULL;
    const char *err = NULL;

    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, body, sizeof(body) - 1,
                                               &err), APR_SUCCESS);
    ck_assert_str_eq(apr_table_get(ans, "CODEREPONSE"), "00000");
    ck_assert_str_eq(apr_table_get(ans, "COMMENTAIRE"),
                     "Demande trait\xe9" "e avec succ\xe8s");
    ck_assert_str_eq(apr_table_get(ans, "STATUS"), "Captur\xe9");
    ck_assert_str_eq(apr_table_get(ans, "REFABONNE"), "");
    ck_assert_str_eq(apr_table_get(ans, "NUMTRANS"), "0005329117");
}
END_TEST

START_TEST(test_paybox_direct_parse_refuses_malformed_answers)
{
    static const char *const bad[] = {
        "", "\r\n", "CODEREPONSE", "=00000", "codereponse=00000",
        "CODEREPONSE=00000&CODEREPONSE=00018", "CODEREPONSE=%zz", "CODEREPONSE=00%00",
        "A=1&B", "NAME_LONGER_THAN_THIRTY_TWO_CHARS_=1",
    };
    apr_table_t *ans = NULL;
    const char *err = NULL;
    char *big, *nul = apr_pstrdup(test_pool, "CODEREPONSE=00000&X=1");
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err = NULL;
        ck_assert_msg(cmcas_paybox_direct_parse(&ans, test_pool, bad[i], strlen(bad[i]),
                                                &err) == APR_EINVAL,
                      "accepted: %s", bad[i]);
        ck_assert_ptr_null(ans);
        ck_assert_ptr_nonnull(err);
    }
    /* A NUL inside the answer. */
    nul[17] = '\0';
    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, nul, 21, &err), APR_EINVAL);
    /* fuzz_paybox_direct: a NUL at the end was trimmed as if it were a newline (strchr
     * finds the string's own terminator), and the answer then accepted. */
    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, "1=\0", 3, &err), APR_EINVAL);
    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, "A=1\r\n\0\n", 6, &err),
                     APR_EINVAL);
    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, "A=1\r\n", 5, &err),
                     APR_SUCCESS);
    /* Too large, too many variables, a value too long. */
    big = apr_palloc(test_pool, CMCAS_PAYBOX_DIRECT_MAX_ANSWER + 2);
    memset(big, 'A', CMCAS_PAYBOX_DIRECT_MAX_ANSWER + 1);
    memcpy(big, "X=", 2);
    big[CMCAS_PAYBOX_DIRECT_MAX_ANSWER + 1] = '\0';
    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, big, strlen(big), &err),
                     APR_EINVAL);
    big[CMCAS_PAYBOX_DIRECT_MAX_VALUE + 3] = '\0';      /* X= and 513 bytes */
    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, big, strlen(big), &err),
                     APR_EINVAL);
    big[CMCAS_PAYBOX_DIRECT_MAX_VALUE + 2] = '\0';      /* 512: the limit */
    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, big, strlen(big), &err),
                     APR_SUCCESS);
    big = apr_pstrdup(test_pool, "");
    for (i = 0; i < CMCAS_PAYBOX_DIRECT_MAX_PAIRS + 1; i++) {
        big = apr_psprintf(test_pool, "%s%sV%d=1", big, i ? "&" : "", (int)i);
    }
    ck_assert_int_eq(cmcas_paybox_direct_parse(&ans, test_pool, big, strlen(big), &err),
                     APR_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------------- judgement */

START_TEST(test_paybox_direct_confirmed)
{
    apr_table_t *ans = test_paybox_direct_answer("Captur\xe9", NULL);
    const char *why;

    ck_assert_int_eq(test_paybox_direct_judge(INQ, 1, ans, &why),
                     CMCAS_GATEWAY_CHECK_CONFIRMED);
    ck_assert_str_eq(why, "Paybox Direct: transaction 20001234 is 'Capture' in merchant "
                          "account 1999888/32, authorisation A1B2C3");
    /* « Autorisé » in UTF-8, without a call number, the rang answered on 3 digits. */
    ans = test_paybox_direct_answer("Autoris\xc3\xa9", "NUMAPPEL=-&RANG=032");
    ck_assert_int_eq(test_paybox_direct_judge(INQ, 1, ans, &why),
                     CMCAS_GATEWAY_CHECK_CONFIRMED);
    /* Without the accent, or in capitals (Latin-1 or UTF-8). */
    ans = test_paybox_direct_answer("AUTORIS\xc9", NULL);
    ck_assert_int_eq(test_paybox_direct_judge(INQ, 1, ans, &why),
                     CMCAS_GATEWAY_CHECK_CONFIRMED);
    ans = test_paybox_direct_answer("capture", NULL);
    ck_assert_int_eq(test_paybox_direct_judge(INQ, 1, ans, &why),
                     CMCAS_GATEWAY_CHECK_CONFIRMED);
    ans = test_paybox_direct_answer("CAPTUR\xc3\x89", NULL);
    ck_assert_int_eq(test_paybox_direct_judge(INQ, 1, ans, &why),
                     CMCAS_GATEWAY_CHECK_CONFIRMED);
    ans = test_paybox_direct_answer("-", "STATUS=-");
    ck_assert_int_eq(test_paybox_direct_judge(EXI, 1, ans, &why),
                     CMCAS_GATEWAY_CHECK_CONFIRMED);
    ck_assert_str_eq(why, "Paybox Direct: order ABCDEFGHI for 7000 cents is transaction "
                          "20001234 in merchant account 1999888/32");
}
END_TEST

START_TEST(test_paybox_direct_denied)
{
    static const struct {
        const char *type, *status, *change, *why;
    } cases[] = {
        {INQ, "Captur\xe9", "CODEREPONSE=00018&NUMTRANS=&STATUS=-",
         "Paybox Direct: transaction 20001234 is unknown to merchant account 1999888/32 "
         "(00018)"},
        {EXI, "-", "CODEREPONSE=00018&NUMTRANS=&STATUS=-",
         "Paybox Direct: order ABCDEFGHI for 7000 cents is unknown to merchant account "
         "1999888/32 (00018)"},
        {INQ, "Captur\xe9", "SITE=1234567",
         "Paybox Direct answered about merchant account 1234567/32, not merchant account "
         "1999888/32"},
        {INQ, "Captur\xe9", "RANG=01", "Paybox Direct answered about merchant account "
         "1999888/01, not merchant account 1999888/32"},
        {INQ, "Captur\xe9", "NUMTRANS=0020009999",
         "Paybox Direct: transaction 20001234 is transaction 0020009999 in merchant "
         "account 1999888/32, not the notified 20001234"},
        {EXI, "-", "NUMTRANS=0020009999&STATUS=-",
         "Paybox Direct: order ABCDEFGHI for 7000 cents is transaction 0020009999 in "
         "merchant account 1999888/32, not the notified 20001234"},
        {INQ, "Captur\xe9", "NUMAPPEL=0010009999",
         "Paybox Direct: transaction 20001234 has call number 0010009999 in merchant "
         "account 1999888/32, not the notified 10005678"},
        {INQ, "Rembours\xe9", NULL, "Paybox Direct: transaction 20001234 is 'Rembourse' in "
         "merchant account 1999888/32, not authorised"},
        {INQ, "Refus\xe9", NULL, NULL},
        {INQ, "Annul\xc3\xa9", NULL, NULL},
        {INQ, "Rejet support", NULL, NULL},
        /* fuzz_paybox_direct: any Latin-1 letter folded to ASCII before comparing, so
         * « AuÞorisé » (thorn read as T) or « Captüré » passed for authorised. */
        {INQ, "Au\xdeoris\xe9", NULL, NULL},
        {INQ, "Capt\xfcr\xe9", NULL, NULL},
        {INQ, "Autoris\xc3\xa8", NULL, NULL},
        {INQ, "Autoris\xe9\xe9", NULL, NULL},
        {INQ, "Captur\xe9", "AUTORISATION=A1B2%C73", NULL},         /* « A1B2Ç3 » */
        {INQ, "Captur\xe9", "AUTORISATION=XXXXXX",
         "Paybox Direct: transaction 20001234 has the test platform's authorisation XXXXXX "
         "in merchant account 1999888/32, a production account"},
        {INQ, "Captur\xe9", "AUTORISATION=",
         "Paybox Direct: transaction 20001234 has no authorisation number in merchant "
         "account 1999888/32, a production account"},
        {INQ, "Captur\xe9", "AUTORISATION=ZZ9999",
         "Paybox Direct: transaction 20001234 has authorisation ZZ9999 in merchant account "
         "1999888/32, not the notified A1B2C3"},
    };
    const char *why;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        apr_table_t *ans = test_paybox_direct_answer(cases[i].status, cases[i].change);
        ck_assert_msg(test_paybox_direct_judge(cases[i].type, 1, ans, &why)
                      == CMCAS_GATEWAY_CHECK_DENIED, "case %d not denied: %s", (int)i, why);
        if (cases[i].why) {
            ck_assert_str_eq(why, cases[i].why);
        }
    }
}
END_TEST

START_TEST(test_paybox_direct_test_platform)
{
    cmcas_paybox_direct_account_t acc = test_paybox_direct_account(0);
    cmcas_paybox_direct_tx_t tx = test_paybox_direct_tx();
    apr_table_t *ans = test_paybox_direct_answer("Captur\xe9", "AUTORISATION=XXXXXX");
    const char *why;

    /* CMCASPayboxPlatform test: the test platform always says XXXXXX, and so did the
     * notification; another authorisation than notified is still refused. */
    ck_assert_int_eq(test_paybox_direct_judge(INQ, 0, ans, &why),
                     CMCAS_GATEWAY_CHECK_DENIED);
    tx.authorization = "XXXXXX";
    ck_assert_int_eq(cmcas_paybox_direct_judge(test_pool, &acc, INQ, &tx, NUMQ, ans, &why),
                     CMCAS_GATEWAY_CHECK_CONFIRMED);
    acc.production = 1;
    ck_assert_int_eq(cmcas_paybox_direct_judge(test_pool, &acc, INQ, &tx, NUMQ, ans, &why),
                     CMCAS_GATEWAY_CHECK_DENIED);
}
END_TEST

START_TEST(test_paybox_direct_unavailable)
{
    static const struct {
        const char *type, *change, *why;
    } cases[] = {
        {INQ, "CODEREPONSE=-", "Paybox Direct: an answer without a response code"},
        {INQ, "CODEREPONSE=0", NULL},
        {INQ, "NUMQUESTION=0123456790",
         "Paybox Direct: the answer (00000) is not to our question"},
        {INQ, "NUMQUESTION=-", NULL},
        {INQ, "CODEREPONSE=00006&COMMENTAIRE=Acc\xe8s refus\xe9 ou site/rang/cl\xe9 "
              "invalide",
         "Paybox Direct error 00006 (Acces refuse ou site/rang/cle invalide) about "
         "transaction 20001234"},
        {EXI, "CODEREPONSE=00001&COMMENTAIRE=", "Paybox Direct error 00001 () about order "
         "ABCDEFGHI for 7000 cents"},
        {INQ, "CODEREPONSE=00003", NULL},
        {INQ, "CODEREPONSE=00097", NULL},
        {INQ, "CODEREPONSE=00099", NULL},
        {INQ, "CODEREPONSE=00015", NULL},
        {INQ, "SITE=-", "Paybox Direct: an answer (00000) without SITE or RANG"},
        {INQ, "CODEREPONSE=00018&RANG=-", NULL},
        {INQ, "NUMTRANS=", "Paybox Direct: an answer (00000) without NUMTRANS"},
        {INQ, "STATUS=-", "Paybox Direct: an answer (00000) without STATUS"},
    };
    const char *why;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        apr_table_t *ans = test_paybox_direct_answer("Captur\xe9", cases[i].change);
        ck_assert_msg(test_paybox_direct_judge(cases[i].type, 1, ans, &why)
                      == CMCAS_GATEWAY_CHECK_UNAVAILABLE,
                      "case %d not unavailable: %s", (int)i, why);
        if (cases[i].why) {
            ck_assert_str_eq(why, cases[i].why);
        }
    }
}
END_TEST

START_TEST(test_paybox_direct_reasons_are_printable)
{
    cmcas_paybox_direct_account_t acc = test_paybox_direct_account(1);
    cmcas_paybox_direct_tx_t tx = test_paybox_direct_tx();
    apr_table_t *ans = test_paybox_direct_answer("-", "CODEREPONSE=00018&STATUS=-");
    const char *why, *c;

    /* A payer chose the reference: no line break or control byte reaches the log. */
    tx.reference = "AB\r\nCMCAS99: forged \xff line";
    ck_assert_int_eq(cmcas_paybox_direct_judge(test_pool, &acc, EXI, &tx, NUMQ, ans, &why),
                     CMCAS_GATEWAY_CHECK_DENIED);
    for (c = why; *c; c++) {
        ck_assert_msg((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7F, "%s", why);
    }
}
END_TEST

Suite *test_paybox_direct_suite(void)
{
    Suite *s = suite_create("paybox_direct");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_paybox_direct_inquiry_hmac);
    tcase_add_test(tc, test_paybox_direct_exists_hmac_signs_raw_values);
    tcase_add_test(tc, test_paybox_direct_question_with_cle);
    tcase_add_test(tc, test_paybox_direct_question_refuses_what_it_cannot_send);
    tcase_add_test(tc, test_paybox_direct_numquestion_and_dateq);
    tcase_add_test(tc, test_paybox_direct_parse_the_bank_answer);
    tcase_add_test(tc, test_paybox_direct_parse_refuses_malformed_answers);
    tcase_add_test(tc, test_paybox_direct_confirmed);
    tcase_add_test(tc, test_paybox_direct_denied);
    tcase_add_test(tc, test_paybox_direct_test_platform);
    tcase_add_test(tc, test_paybox_direct_unavailable);
    tcase_add_test(tc, test_paybox_direct_reasons_are_printable);
    suite_add_tcase(s, tc);
    return s;
}
