#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_paybox_direct.h"
#include "cmcas_paybox.h"
#include "cmcas_query.h"

/* 1 when s is 1 to max digits. */
static int cmcas_paybox_direct_digits(const char *s, apr_size_t max)
{
    apr_size_t n = 0;
    if (!s || !*s) {
        return 0;
    }
    for (; s[n]; n++) {
        if (!apr_isdigit(s[n]) || n >= max) {
            return 0;
        }
    }
    return 1;
}

/* The same number written with or without leading zeros: the bank pads NUMTRANS and
 * NUMAPPEL to 10 digits and answers RANG "32" to "032". */
static int cmcas_paybox_direct_same(const char *a, const char *b)
{
    if (!cmcas_paybox_direct_digits(a, 20) || !cmcas_paybox_direct_digits(b, 20)) {
        return 0;
    }
    while (*a == '0' && a[1]) a++;
    while (*b == '0' && b[1]) b++;
    return !strcmp(a, b);
}

/* One Latin-1 letter without its accent (the bank's answers are ISO-8859-1). */
static char cmcas_paybox_direct_unaccent(unsigned char c)
{
    static const char folded[64 + 1] =
        "AAAAAAACEEEEIIII" "DNOOOOOxOUUUUYTs" "aaaaaaaceeeeiiii" "dnooooo/ouuuuyty";
    return c >= 0xC0 ? folded[c - 0xC0] : '?';
}

/* A value of the answer as short printable ASCII for a message: accents dropped (from
 * ISO-8859-1 or UTF-8), anything else '?', cut to `max` characters. */
static const char *cmcas_paybox_direct_ascii(apr_pool_t *p, const char *s, apr_size_t max)
{
    char *out = apr_palloc(p, max + 1), *o = out;
    const unsigned char *c = (const unsigned char *)(s ? s : "");

    for (; *c && (apr_size_t)(o - out) < max; c++) {
        if (*c == 0xC3 && c[1] >= 0x80 && c[1] <= 0xBF) {
            *o++ = cmcas_paybox_direct_unaccent((unsigned char)(c[1] + 0x40));
            c++;
        }
        else if (*c >= 0x80) {
            *o++ = cmcas_paybox_direct_unaccent(*c);
        }
        else {
            *o++ = (*c < 0x20 || *c == 0x7F) ? ' ' : (char)*c;
        }
    }
    *o = '\0';
    return out;
}

/* Whether a STATUS says « Autorisé » or « Capturé »: the word in any case, its final é
 * in ISO-8859-1 (the bank's), UTF-8 or without the accent; no other letter folded (a
 * thorn is not a T). */
static int cmcas_paybox_direct_authorised(const char *s)
{
    const char *end;

    if (!strncasecmp(s, "Autoris", 7)) {
        end = s + 7;
    }
    else if (!strncasecmp(s, "Captur", 6)) {
        end = s + 6;
    }
    else {
        return 0;
    }
    return !strcasecmp(end, "e") || !strcmp(end, "\xe9") || !strcmp(end, "\xc9")
           || !strcmp(end, "\xc3\xa9") || !strcmp(end, "\xc3\x89");
}

/* x-www-form-urlencoded: only unreserved characters are left as they are. */
static const char *cmcas_paybox_direct_escape(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, 3 * strlen(s) + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (apr_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            *o++ = (char)c;
        }
        else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

static void cmcas_paybox_direct_add(apr_array_header_t *fields, const char *name,
                                    const char *value)
{
    cmcas_paybox_field_t *f = apr_array_push(fields);
    f->name = name;
    f->value = value;
}

apr_status_t cmcas_paybox_direct_question(const char **pbody, apr_pool_t *p,
                                          const cmcas_paybox_direct_account_t *acc,
                                          const char *type,
                                          const cmcas_paybox_direct_tx_t *tx,
                                          unsigned long numquestion, const char *dateq,
                                          const char **perr)
{
    apr_array_header_t *fields = apr_array_make(p, 16, sizeof(cmcas_paybox_field_t));
    apr_array_header_t *parts;
    int inquiry, i;
    const char *c;

    *pbody = NULL;
    inquiry = !strcmp(type, CMCAS_PAYBOX_DIRECT_INQUIRY);
    if (!inquiry && strcmp(type, CMCAS_PAYBOX_DIRECT_EXISTS)) {
        *perr = apr_psprintf(p, "unknown question type %s", type);
        return APR_EINVAL;
    }
    if (!cmcas_paybox_direct_digits(acc->site, 7) || strlen(acc->site) != 7
        || !cmcas_paybox_direct_digits(acc->rang, 3)
        || (acc->identifiant && !cmcas_paybox_direct_digits(acc->identifiant, 10))) {
        *perr = "the merchant account is not site (7 digits), rang (up to 3 digits) and "
                "identifiant (digits)";
        return APR_EINVAL;
    }
    if (!acc->hex_key && (!acc->cle || !*acc->cle)) {
        *perr = "no HMAC key and no CLE";
        return APR_EINVAL;
    }
    if (numquestion < 1 || numquestion > 2147483647UL) {
        *perr = "the question number is not 1 to 2147483647";
        return APR_EINVAL;
    }
    if (!cmcas_paybox_direct_digits(dateq, 14) || strlen(dateq) != 14) {
        *perr = "DATEQ is not JJMMAAAAHHMMSS";
        return APR_EINVAL;
    }
    if (inquiry && (!cmcas_paybox_direct_digits(tx->trans, 10)
                    || (tx->call && !cmcas_paybox_direct_digits(tx->call, 10)))) {
        *perr = "the transaction or call number is not 1 to 10 digits";
        return APR_EINVAL;
    }
    if (!inquiry) {
        if (!tx->reference || !*tx->reference || strlen(tx->reference) > 250) {
            *perr = "the reference is not 1 to 250 characters";
            return APR_EINVAL;
        }
        for (c = tx->reference; *c; c++) {
            if ((unsigned char)*c < 0x20) {
                *perr = "the reference holds a control character";
                return APR_EINVAL;
            }
        }
        if (tx->amount < 1 || tx->amount > APR_INT64_C(9999999999)) {
            *perr = "the amount is not 1 to 9999999999 cents";
            return APR_EINVAL;
        }
    }

    /* In name order, as Verifone's own module sends them; PBX_HMAC-style signature of
     * the raw values in the posted order, HMAC last. */
    if (!acc->hex_key) {
        cmcas_paybox_direct_add(fields, "CLE", acc->cle);
    }
    cmcas_paybox_direct_add(fields, "DATEQ", dateq);
    if (!inquiry) {
        cmcas_paybox_direct_add(fields, "DEVISE", "978");
    }
    if (acc->hex_key) {
        cmcas_paybox_direct_add(fields, "HASH", "SHA512");
    }
    if (acc->identifiant) {
        cmcas_paybox_direct_add(fields, "IDENTIFIANT", acc->identifiant);
    }
    if (!inquiry) {
        cmcas_paybox_direct_add(fields, "MONTANT",
                                apr_psprintf(p, "%010" APR_INT64_T_FMT, tx->amount));
    }
    if (inquiry && tx->call) {
        cmcas_paybox_direct_add(fields, "NUMAPPEL",
                                apr_psprintf(p, "%010lu", strtoul(tx->call, NULL, 10)));
    }
    cmcas_paybox_direct_add(fields, "NUMQUESTION", apr_psprintf(p, "%010lu", numquestion));
    if (inquiry) {
        cmcas_paybox_direct_add(fields, "NUMTRANS",
                                apr_psprintf(p, "%010lu", strtoul(tx->trans, NULL, 10)));
    }
    /* Three digits, as the bank's modules send it (System takes it as issued). */
    cmcas_paybox_direct_add(fields, "RANG", apr_psprintf(p, "%03d", atoi(acc->rang)));
    if (!inquiry) {
        cmcas_paybox_direct_add(fields, "REFERENCE", tx->reference);
    }
    cmcas_paybox_direct_add(fields, "SITE", acc->site);
    cmcas_paybox_direct_add(fields, "TYPE", type);
    cmcas_paybox_direct_add(fields, "VERSION", CMCAS_PAYBOX_DIRECT_VERSION);
    if (acc->hex_key) {
        const char *mac = NULL;
        apr_status_t rv = cmcas_paybox_hmac(&mac, p, acc->hex_key, fields, perr);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        cmcas_paybox_direct_add(fields, "HMAC", mac);
    }

    parts = apr_array_make(p, fields->nelts, sizeof(const char *));
    for (i = 0; i < fields->nelts; i++) {
        const cmcas_paybox_field_t *f = &APR_ARRAY_IDX(fields, i, cmcas_paybox_field_t);
        *(const char **)apr_array_push(parts) =
            apr_pstrcat(p, f->name, "=", cmcas_paybox_direct_escape(p, f->value), NULL);
    }
    *pbody = apr_array_pstrcat(p, parts, '&');
    return APR_SUCCESS;
}

const char *cmcas_paybox_direct_dateq(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t tm;
    apr_time_exp_lt(&tm, t);
    return apr_psprintf(p, "%02d%02d%04d%02d%02d%02d", tm.tm_mday, tm.tm_mon + 1,
                        tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

unsigned long cmcas_paybox_direct_numquestion(apr_time_t t, unsigned int noise)
{
    unsigned long second = (unsigned long)(apr_time_sec(t) % 86400);
    return second * 10000UL + noise % 10000U + 1UL;
}

apr_status_t cmcas_paybox_direct_parse(apr_table_t **pans, apr_pool_t *p, const char *body,
                                       apr_size_t len, const char **perr)
{
    apr_table_t *ans;
    char *copy, *pair, *last = NULL;
    int pairs = 0;

    *pans = NULL;
    if (len > CMCAS_PAYBOX_DIRECT_MAX_ANSWER) {
        *perr = "the answer is too large";
        return APR_EINVAL;
    }
    /* The bank ends its answer with a newline (a NUL is no blank: strchr would find
     * its own terminator). */
    while (len && body[len - 1] && strchr("\r\n ", body[len - 1])) {
        len--;
    }
    if (!len) {
        *perr = "the answer is empty";
        return APR_EINVAL;
    }
    if (memchr(body, '\0', len)) {
        *perr = "the answer holds a NUL byte";
        return APR_EINVAL;
    }
    ans = apr_table_make(p, 16);
    copy = apr_pstrmemdup(p, body, len);
    for (pair = apr_strtok(copy, "&", &last); pair; pair = apr_strtok(NULL, "&", &last)) {
        char *eq = strchr(pair, '='), *n;
        apr_size_t vlen;

        if (++pairs > CMCAS_PAYBOX_DIRECT_MAX_PAIRS) {
            *perr = "the answer has too many variables";
            return APR_EINVAL;
        }
        if (!eq || eq == pair || eq - pair > 32) {
            *perr = "the answer has a variable without a name or '='";
            return APR_EINVAL;
        }
        *eq = '\0';
        for (n = pair; *n; n++) {
            if (!(apr_isupper(*n) || apr_isdigit(*n) || *n == '_' || *n == '-')) {
                *perr = "the answer has a variable name that is not A-Z, 0-9, '_' or '-'";
                return APR_EINVAL;
            }
        }
        if (APR_SUCCESS != cmcas_query_unescape(eq + 1, &vlen)) {
            *perr = "the answer has a bad %-escape";
            return APR_EINVAL;
        }
        if (vlen > CMCAS_PAYBOX_DIRECT_MAX_VALUE) {
            *perr = "the answer has a value too long";
            return APR_EINVAL;
        }
        if (apr_table_get(ans, pair)) {
            *perr = "the answer has a variable twice";
            return APR_EINVAL;
        }
        apr_table_setn(ans, pair, eq + 1);
    }
    if (!pairs) {
        *perr = "the answer has no variable";
        return APR_EINVAL;
    }
    *pans = ans;
    return APR_SUCCESS;
}

cmcas_gateway_check_t cmcas_paybox_direct_judge(apr_pool_t *p,
                                                const cmcas_paybox_direct_account_t *acc,
                                                const char *type,
                                                const cmcas_paybox_direct_tx_t *tx,
                                                unsigned long numquestion,
                                                const apr_table_t *ans, const char **pwhy)
{
    int inquiry = !strcmp(type, CMCAS_PAYBOX_DIRECT_INQUIRY);
    const char *code = apr_table_get(ans, "CODEREPONSE");
    const char *site = apr_table_get(ans, "SITE"), *rang = apr_table_get(ans, "RANG");
    const char *numtrans = apr_table_get(ans, "NUMTRANS");
    const char *numappel = apr_table_get(ans, "NUMAPPEL");
    const char *status = apr_table_get(ans, "STATUS");
    const char *auth = apr_table_get(ans, "AUTORISATION");
    const char *account = apr_psprintf(p, "merchant account %s/%s", acc->site, acc->rang);
    /* The notification's values are the bank's, but a payer chose the reference. */
    const char *trans = cmcas_paybox_direct_ascii(p, tx->trans, 12);
    const char *what = inquiry
        ? apr_psprintf(p, "transaction %s", trans)
        : apr_psprintf(p, "order %s for %" APR_INT64_T_FMT " cents",
                       cmcas_paybox_direct_ascii(p, tx->reference, 40), tx->amount);

    if (!cmcas_paybox_direct_digits(code, 5) || strlen(code) != 5) {
        *pwhy = "Paybox Direct: an answer without a response code";
        return CMCAS_GATEWAY_CHECK_UNAVAILABLE;
    }
    /* SITE, RANG and NUMQUESTION are echoed: an answer to another question is no answer. */
    if (!cmcas_paybox_direct_same(apr_table_get(ans, "NUMQUESTION"),
                                  apr_psprintf(p, "%lu", numquestion))) {
        *pwhy = apr_psprintf(p, "Paybox Direct: the answer (%s) is not to our question",
                             code);
        return CMCAS_GATEWAY_CHECK_UNAVAILABLE;
    }
    if (strcmp(code, "00000") && strcmp(code, "00018")) {
        *pwhy = apr_psprintf(p, "Paybox Direct error %s (%s) about %s", code,
                             cmcas_paybox_direct_ascii(p, apr_table_get(ans, "COMMENTAIRE"),
                                                       80), what);
        return CMCAS_GATEWAY_CHECK_UNAVAILABLE;
    }
    if (!site || !rang) {
        *pwhy = apr_psprintf(p, "Paybox Direct: an answer (%s) without SITE or RANG", code);
        return CMCAS_GATEWAY_CHECK_UNAVAILABLE;
    }
    if (!cmcas_paybox_direct_same(site, acc->site)
        || !cmcas_paybox_direct_same(rang, acc->rang)) {
        *pwhy = apr_psprintf(p, "Paybox Direct answered about merchant account %s/%s, "
                             "not %s", cmcas_paybox_direct_ascii(p, site, 10),
                             cmcas_paybox_direct_ascii(p, rang, 10), account);
        return CMCAS_GATEWAY_CHECK_DENIED;
    }
    if (!strcmp(code, "00018")) {
        *pwhy = apr_psprintf(p, "Paybox Direct: %s is unknown to %s (00018)", what,
                             account);
        return CMCAS_GATEWAY_CHECK_DENIED;
    }
    if (!numtrans || !*numtrans) {
        *pwhy = "Paybox Direct: an answer (00000) without NUMTRANS";
        return CMCAS_GATEWAY_CHECK_UNAVAILABLE;
    }
    if (!cmcas_paybox_direct_same(numtrans, tx->trans)) {
        *pwhy = apr_psprintf(p, "Paybox Direct: %s is transaction %s in %s, not the "
                             "notified %s", what,
                             cmcas_paybox_direct_ascii(p, numtrans, 12), account, trans);
        return CMCAS_GATEWAY_CHECK_DENIED;
    }
    if (tx->call && numappel && *numappel
        && !cmcas_paybox_direct_same(numappel, tx->call)) {
        *pwhy = apr_psprintf(p, "Paybox Direct: %s has call number %s in %s, not the "
                             "notified %s", what,
                             cmcas_paybox_direct_ascii(p, numappel, 12), account,
                             cmcas_paybox_direct_ascii(p, tx->call, 12));
        return CMCAS_GATEWAY_CHECK_DENIED;
    }
    if (!inquiry) {
        *pwhy = apr_psprintf(p, "Paybox Direct: %s is transaction %s in %s", what, trans,
                             account);
        return CMCAS_GATEWAY_CHECK_CONFIRMED;
    }
    if (!status || !*status) {
        *pwhy = "Paybox Direct: an answer (00000) without STATUS";
        return CMCAS_GATEWAY_CHECK_UNAVAILABLE;
    }
    if (!cmcas_paybox_direct_authorised(status)) {
        status = cmcas_paybox_direct_ascii(p, status, 40);
        *pwhy = apr_psprintf(p, "Paybox Direct: %s is '%s' in %s, not authorised", what,
                             status, account);
        return CMCAS_GATEWAY_CHECK_DENIED;
    }
    if (acc->production && (!auth || !*auth || !strcmp(auth, "XXXXXX"))) {
        *pwhy = apr_psprintf(p, "Paybox Direct: %s has %s in %s, a production account",
                             what, auth && *auth ? "the test platform's authorisation "
                                                   "XXXXXX" : "no authorisation number",
                             account);
        return CMCAS_GATEWAY_CHECK_DENIED;
    }
    status = cmcas_paybox_direct_ascii(p, status, 40);
    /* Compared as sent (made ASCII, « A1B2Ç3 » would pass for « A1B2C3 »). */
    if (tx->authorization && auth && *auth && strcmp(auth, tx->authorization)) {
        *pwhy = apr_psprintf(p, "Paybox Direct: %s has authorisation %s in %s, not the "
                             "notified %s", what, cmcas_paybox_direct_ascii(p, auth, 12),
                             account, cmcas_paybox_direct_ascii(p, tx->authorization, 12));
        return CMCAS_GATEWAY_CHECK_DENIED;
    }
    auth = auth && *auth ? cmcas_paybox_direct_ascii(p, auth, 12) : NULL;
    *pwhy = apr_psprintf(p, "Paybox Direct: %s is '%s' in %s, authorisation %s", what,
                         status, account, auth ? auth : "none");
    return CMCAS_GATEWAY_CHECK_CONFIRMED;
}
