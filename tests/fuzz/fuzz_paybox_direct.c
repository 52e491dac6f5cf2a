/* libFuzzer harness: Paybox Direct (cmcas_paybox_direct.h), the server-to-server check
 * of a notified payment: the bank's answer as read (cmcas_paybox_direct_parse) and
 * judged (cmcas_paybox_direct_judge), and the question built from what a notification
 * said (its reference, chosen by the payer; its transaction, call and authorisation).
 *
 * Input: a flags byte (question type, production account, call and authorisation
 * notified or not), then NUL-separated: the answer's body, the reference, the
 * transaction number, the call number, the authorisation.
 *
 * Properties: a parsed answer has 1 to 64 variables with names [A-Z0-9_-]{1,32}, each
 * once, values within 512 bytes; a judgement is CONFIRMED, DENIED or UNAVAILABLE with a
 * reason in printable ASCII (it goes to the log and the order's history), and CONFIRMED
 * only for code 00000, our question number, our SITE and RANG, the notified NUMTRANS,
 * and for an inquiry a status « Autorisé »/« Capturé » (no other letter folded) with, on
 * a production account, a real authorisation, and the notified one byte for byte; a question built holds exactly its variables, the reference read
 * back unchanged (nothing typed adds a variable). */
#include <stdint.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "../../mod_cmcas/cmcas_gateway.h"
#include "../../mod_cmcas/cmcas_paybox_direct.h"
#include "../../mod_cmcas/cmcas_query.h"
#include "fuzz_common.h"

static apr_pool_t *fuzz_root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same number, leading zeros aside. */
static int fuzz_same(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b || strspn(a, "0123456789") != strlen(a)
        || strspn(b, "0123456789") != strlen(b)) {
        return 0;
    }
    while (*a == '0' && a[1]) a++;
    while (*b == '0' && b[1]) b++;
    return !strcmp(a, b);
}

static void fuzz_parsed(const apr_table_t *ans)
{
    const apr_array_header_t *elts = apr_table_elts(ans);
    int i, j;

    fuzz_common_assert(elts->nelts >= 1 && elts->nelts <= CMCAS_PAYBOX_DIRECT_MAX_PAIRS);
    for (i = 0; i < elts->nelts; i++) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(elts, i, apr_table_entry_t);
        size_t n = strlen(e->key);
        fuzz_common_assert(n >= 1 && n <= 32 && strspn(e->key, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                        "0123456789_-") == n);
        fuzz_common_assert(strlen(e->val) <= CMCAS_PAYBOX_DIRECT_MAX_VALUE);
        for (j = 0; j < i; j++) {
            fuzz_common_assert(strcmp(APR_ARRAY_IDX(elts, j, apr_table_entry_t).key, e->key));
        }
    }
}

static void fuzz_judge(apr_pool_t *p, const cmcas_paybox_direct_account_t *acc,
                       const char *type, const cmcas_paybox_direct_tx_t *tx,
                       const apr_table_t *ans)
{
    const char *why = NULL, *c, *status, *auth;
    cmcas_gateway_check_t r = cmcas_paybox_direct_judge(p, acc, type, tx, 1234567, ans, &why);

    fuzz_common_assert(r == CMCAS_GATEWAY_CHECK_CONFIRMED || r == CMCAS_GATEWAY_CHECK_DENIED
                || r == CMCAS_GATEWAY_CHECK_UNAVAILABLE);
    fuzz_common_assert(why && *why);
    for (c = why; *c; c++) {
        fuzz_common_assert(*c >= 0x20 && *c < 0x7f);
    }
    if (r != CMCAS_GATEWAY_CHECK_CONFIRMED) {
        return;
    }
    fuzz_common_assert(!strcmp(apr_table_get(ans, "CODEREPONSE"), "00000"));
    fuzz_common_assert(fuzz_same(apr_table_get(ans, "NUMQUESTION"), "1234567"));
    fuzz_common_assert(fuzz_same(apr_table_get(ans, "SITE"), acc->site)
                && fuzz_same(apr_table_get(ans, "RANG"), acc->rang));
    fuzz_common_assert(fuzz_same(apr_table_get(ans, "NUMTRANS"), tx->trans));
    if (strcmp(type, CMCAS_PAYBOX_DIRECT_INQUIRY)) {
        return;
    }
    status = apr_table_get(ans, "STATUS");
    /* The word, its last letter an e with or without its accent (Latin-1 or UTF-8). */
    fuzz_common_assert(status && (!strncasecmp(status, "Autoris", 7) || !strncasecmp(status, "Captur", 6)));
    status += tolower((unsigned char)*status) == 'a' ? 7 : 6;
    fuzz_common_assert(!strcasecmp(status, "e") || !strcmp(status, "\xe9") || !strcmp(status, "\xc9")
                || !strcmp(status, "\xc3\xa9") || !strcmp(status, "\xc3\x89"));
    auth = apr_table_get(ans, "AUTORISATION");
    fuzz_common_assert(!acc->production || (auth && *auth && strcmp(auth, "XXXXXX")));
    fuzz_common_assert(!tx->authorization || !auth || !*auth || !strcmp(auth, tx->authorization));
}

static void fuzz_question(apr_pool_t *p, const cmcas_paybox_direct_account_t *acc,
                          const char *type, const cmcas_paybox_direct_tx_t *tx)
{
    const char *body = NULL, *err = NULL;
    char *copy, *pair, *last = NULL;
    int n = 0, seen_ref = 0;

    if (APR_SUCCESS != cmcas_paybox_direct_question(&body, p, acc, type, tx, 1234567,
                                                    "28112026101403", &err)) {
        fuzz_common_assert(err && *err && !body);
        return;
    }
    fuzz_common_assert(strspn(body, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                             "0123456789-_.~%&=") == strlen(body));
    copy = apr_pstrdup(p, body);
    for (pair = apr_strtok(copy, "&", &last); pair; pair = apr_strtok(NULL, "&", &last)) {
        char *eq = strchr(pair, '=');
        apr_size_t len;
        fuzz_common_assert(eq && eq != pair && !strchr(eq + 1, '='));
        *eq = '\0';
        fuzz_common_assert(APR_SUCCESS == cmcas_query_unescape(eq + 1, &len));
        if (!strcmp(pair, "REFERENCE")) {
            fuzz_common_assert(!strcmp(eq + 1, tx->reference));
            seen_ref++;
        }
        n++;
    }
    /* CLE DATEQ IDENTIFIANT NUMQUESTION RANG SITE TYPE VERSION, and for an inquiry
     * NUMTRANS [NUMAPPEL], for the other DEVISE MONTANT REFERENCE. */
    fuzz_common_assert(seen_ref == !strcmp(type, CMCAS_PAYBOX_DIRECT_EXISTS));
    fuzz_common_assert(n == (seen_ref ? 11 : 9 + (tx->call != NULL)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    const char *values[5] = {"", "BN-2026-000042", "0012345678", "0000004567", "123456"};
    cmcas_paybox_direct_account_t acc = {"1999888", "32", "107904482", NULL, "1999888I", 0};
    cmcas_paybox_direct_tx_t tx;
    apr_table_t *ans = NULL;
    const char *err = NULL, *type;
    size_t at = 1, i;
    uint8_t flags;

    if (!fuzz_root) {
        apr_initialize();
        apr_pool_create(&fuzz_root, NULL);
    }
    if (!size) {
        return 0;
    }
    apr_pool_create(&p, fuzz_root);
    flags = data[0];
    for (i = 0; i < 5 && at <= size; i++) {
        size_t len = strnlen((const char *)data + at, size - at);
        values[i] = apr_pstrmemdup(p, (const char *)data + at, len);
        at += len + 1;
    }
    type = flags & 1 ? CMCAS_PAYBOX_DIRECT_EXISTS : CMCAS_PAYBOX_DIRECT_INQUIRY;
    acc.production = (flags >> 1) & 1;
    tx.reference = values[1];
    tx.amount = 7000;
    tx.trans = values[2];
    tx.call = flags & 4 ? values[3] : NULL;
    tx.authorization = flags & 8 ? values[4] : NULL;

    if (APR_SUCCESS == cmcas_paybox_direct_parse(&ans, p, values[0], strlen(values[0]), &err)) {
        fuzz_parsed(ans);
        fuzz_judge(p, &acc, type, &tx, ans);
    }
    else {
        fuzz_common_assert(err && *err && !ans);
    }
    /* The whole input as an answer too (a NUL in it is refused). */
    if (APR_SUCCESS == cmcas_paybox_direct_parse(&ans, p, (const char *)data, size, &err)) {
        fuzz_common_assert(!memchr(data, 0, size));
        fuzz_parsed(ans);
    }
    fuzz_question(p, &acc, type, &tx);
    apr_pool_destroy(p);
    return 0;
}
