#include <apr_strings.h>
#include <apr_lib.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "cmcas_paybox.h"
#include "cmcas_query.h"
#include "cmcas_text.h"

const char *cmcas_paybox_signed_string(apr_pool_t *p, const apr_array_header_t *fields)
{
    apr_array_header_t *parts = apr_array_make(p, fields->nelts, sizeof(const char *));
    int i;

    for (i = 0; i < fields->nelts; i++) {
        const cmcas_paybox_field_t *f = &APR_ARRAY_IDX(fields, i, cmcas_paybox_field_t);
        *(const char **)apr_array_push(parts) = apr_pstrcat(p, f->name, "=", f->value, NULL);
    }
    return apr_array_pstrcat(p, parts, '&');
}

apr_status_t cmcas_paybox_hmac(const char **phmac, apr_pool_t *p, const char *hex_key,
                               const apr_array_header_t *fields, const char **perr)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t klen = strlen(hex_key), i;
    unsigned char *key, mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    const char *msg;
    char *out;

    *phmac = NULL;
    if (klen == 0 || klen % 2) {
        *perr = "the HMAC key must be an even number of hexadecimal digits";
        return APR_EINVAL;
    }
    /* The back office shows the key in hex: it is used decoded (the classic mistake
     * is to use the hex text itself). */
    key = apr_palloc(p, klen / 2);
    for (i = 0; i < klen; i += 2) {
        int hi = cmcas_query_hexval(hex_key[i]), lo = cmcas_query_hexval(hex_key[i + 1]);
        if (hi < 0 || lo < 0) {
            *perr = "the HMAC key must be hexadecimal";
            return APR_EINVAL;
        }
        key[i / 2] = (unsigned char)(hi * 16 + lo);
    }
    msg = cmcas_paybox_signed_string(p, fields);
    if (!HMAC(EVP_sha512(), key, (int)(klen / 2), (const unsigned char *)msg, strlen(msg),
              mac, &mac_len)) {
        *perr = "HMAC-SHA-512 failed";
        return APR_EGENERAL;
    }
    out = apr_palloc(p, 2 * mac_len + 1);
    for (i = 0; i < mac_len; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[2 * mac_len] = '\0';
    OPENSSL_cleanse(key, klen / 2);
    *phmac = out;
    return APR_SUCCESS;
}

static void cmcas_paybox_add(apr_array_header_t *fields, const char *name, const char *value)
{
    cmcas_paybox_field_t *f = apr_array_push(fields);
    f->name = name;
    f->value = value;
}

/* 3-D Secure data: ASCII upper case (the bank's character set), XML-escaped,
 * cut to `max` characters. */
static const char *cmcas_paybox_ans(apr_pool_t *p, const char *s, apr_size_t max)
{
    const char *folded = cmcas_text_fold(p, s ? s : "");
    char *out = apr_palloc(p, 6 * strlen(folded) + 1), *o = out;
    apr_size_t n = 0;

    for (; *folded && n < max; folded++, n++) {
        unsigned char c = (unsigned char)*folded;
        if (c >= 0x80 || c < 0x20) {
            *o++ = ' ';
        }
        else if (c == '&') {
            memcpy(o, "&amp;", 5);
            o += 5;
        }
        else if (c == '<') {
            memcpy(o, "&lt;", 4);
            o += 4;
        }
        else if (c == '>') {
            memcpy(o, "&gt;", 4);
            o += 4;
        }
        else {
            *o++ = (char)apr_toupper(c);
        }
    }
    *o = '\0';
    return out;
}

apr_status_t cmcas_paybox_request(apr_array_header_t **pfields, apr_pool_t *p,
                                  const cmcas_paybox_request_t *req, const char **perr)
{
    apr_array_header_t *fields = apr_array_make(p, 24, sizeof(cmcas_paybox_field_t));
    const char *hmac = NULL;
    apr_status_t rv;
    int i, quantity = req->quantity < 1 ? 1 : req->quantity > 99 ? 99 : req->quantity;

    *pfields = NULL;
    cmcas_paybox_add(fields, "PBX_SITE", req->site);
    cmcas_paybox_add(fields, "PBX_RANG", req->rang);
    cmcas_paybox_add(fields, "PBX_IDENTIFIANT", req->identifiant);
    /* Integer cents, at least 3 digits, as the bank's own modules send them. */
    cmcas_paybox_add(fields, "PBX_TOTAL", apr_psprintf(p, "%03" APR_INT64_T_FMT,
                                                       req->amounts[0]));
    cmcas_paybox_add(fields, "PBX_DEVISE", "978");
    cmcas_paybox_add(fields, "PBX_CMD", req->reference);
    cmcas_paybox_add(fields, "PBX_PORTEUR", req->email);
    cmcas_paybox_add(fields, "PBX_RETOUR", CMCAS_PAYBOX_RETOUR);
    cmcas_paybox_add(fields, "PBX_HASH", "SHA512");
    cmcas_paybox_add(fields, "PBX_TIME", req->time);
    cmcas_paybox_add(fields, "PBX_EFFECTUE", req->url_done);
    cmcas_paybox_add(fields, "PBX_REFUSE", req->url_refused);
    cmcas_paybox_add(fields, "PBX_ANNULE", req->url_cancelled);
    cmcas_paybox_add(fields, "PBX_ATTENTE", req->url_pending);
    cmcas_paybox_add(fields, "PBX_REPONDRE_A", req->url_notify);
    cmcas_paybox_add(fields, "PBX_SHOPPINGCART", apr_psprintf(p,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><shoppingcart><total><totalQuantity>%d"
        "</totalQuantity></total></shoppingcart>", quantity));
    cmcas_paybox_add(fields, "PBX_BILLING", apr_pstrcat(p,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Billing><Address><FirstName>",
        cmcas_paybox_ans(p, req->first_name, 22), "</FirstName><LastName>",
        cmcas_paybox_ans(p, req->last_name, 22), "</LastName><Address1>",
        cmcas_paybox_ans(p, req->street, 50), "</Address1><ZipCode>",
        cmcas_paybox_ans(p, req->postcode, 10), "</ZipCode><City>",
        cmcas_paybox_ans(p, req->city, 50), "</City><CountryCode>250</CountryCode>"
        "</Address></Billing>", NULL));
    for (i = 1; i < req->count; i++) {
        cmcas_paybox_add(fields, apr_psprintf(p, "PBX_2MONT%d", i),
                         apr_psprintf(p, "%03" APR_INT64_T_FMT, req->amounts[i]));
        cmcas_paybox_add(fields, apr_psprintf(p, "PBX_DATE%d", i), req->dates[i - 1]);
    }
    if (req->count > 1) {
        cmcas_paybox_add(fields, "PBX_DATEVALMAX", req->valmax);
    }
    if (APR_SUCCESS != (rv = cmcas_paybox_hmac(&hmac, p, req->hex_key, fields, perr))) {
        return rv;
    }
    cmcas_paybox_add(fields, "PBX_HMAC", hmac);
    *pfields = fields;
    return APR_SUCCESS;
}

static apr_status_t cmcas_paybox_free_key(void *key)
{
    EVP_PKEY_free(key);
    return APR_SUCCESS;
}

apr_status_t cmcas_paybox_load_key(EVP_PKEY **pkey, apr_pool_t *p, const char *path,
                                   const char **perr)
{
    BIO *bio = BIO_new_file(path, "r");
    EVP_PKEY *key = NULL;

    *pkey = NULL;
    if (!bio) {
        *perr = apr_psprintf(p, "cannot read %s", path);
        ERR_clear_error();
        return APR_EINVAL;
    }
    key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (!key) {
        *perr = apr_psprintf(p, "%s is not a PEM public key", path);
        ERR_clear_error();
        return APR_EINVAL;
    }
    apr_pool_cleanup_register(p, key, cmcas_paybox_free_key, apr_pool_cleanup_null);
    *pkey = key;
    return APR_SUCCESS;
}

int cmcas_paybox_verify(EVP_PKEY *key, const char *query, const char *sign_name,
                        apr_pool_t *p)
{
    const char *marker = apr_pstrcat(p, "&", sign_name, "=", NULL);
    const char *at = NULL, *next;
    char *sig64;
    apr_size_t sig64_len;
    unsigned char *sig;
    int siglen, ok;
    EVP_MD_CTX *ctx;

    if (!key || !query) {
        return 0;
    }
    /* The last occurrence: everything before it is what the bank signed. */
    for (next = strstr(query, marker); next; next = strstr(next + 1, marker)) {
        at = next;
    }
    if (!at || at == query) {
        return 0;
    }
    sig64 = apr_pstrdup(p, at + strlen(marker));
    /* K must be the last variable; its '+' are Base64, not spaces. */
    if (strchr(sig64, '&') || APR_SUCCESS != cmcas_query_unescape_raw(sig64, &sig64_len)) {
        return 0;
    }
    siglen = (int)strlen(sig64);
    if (siglen == 0 || siglen % 4 || siglen > 1024) {
        return 0;
    }
    sig = apr_palloc(p, (apr_size_t)siglen);
    siglen = EVP_DecodeBlock(sig, (const unsigned char *)sig64, siglen);
    if (siglen <= 0) {
        return 0;
    }
    /* EVP_DecodeBlock counts the '=' padding as zero bytes. */
    if (sig64[strlen(sig64) - 1] == '=') siglen--;
    if (sig64[strlen(sig64) - 2] == '=') siglen--;
    ctx = EVP_MD_CTX_new();
    ok = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_sha1(), NULL, key) == 1
         && EVP_DigestVerify(ctx, sig, (size_t)siglen, (const unsigned char *)query,
                             (size_t)(at - query)) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

cmcas_gateway_outcome_t cmcas_paybox_outcome(const char *code)
{
    int i;
    if (!code || strlen(code) != 5) {
        return CMCAS_GATEWAY_ERROR;
    }
    for (i = 0; i < 5; i++) {
        if (!apr_isdigit(code[i])) {
            return CMCAS_GATEWAY_ERROR;
        }
    }
    if (!strcmp(code, "00000")) return CMCAS_GATEWAY_PAID;
    if (!strcmp(code, "99999")) return CMCAS_GATEWAY_PENDING;
    if (!strcmp(code, "00001")) return CMCAS_GATEWAY_CANCELLED;
    if (!strncmp(code, "001", 3)) return CMCAS_GATEWAY_REFUSED;
    return CMCAS_GATEWAY_ERROR;
}

apr_status_t cmcas_paybox_result(cmcas_gateway_result_t *res, apr_table_t *args,
                                 apr_pool_t *p)
{
    const char *amount = apr_table_get(args, "Mt"), *c;

    memset(res, 0, sizeof(*res));
    res->reference = apr_table_get(args, "Ref");
    res->code = apr_table_get(args, "Erreur");
    if (!res->reference || !amount || !*amount || !res->code) {
        return APR_EINVAL;
    }
    for (c = amount; *c; c++) {
        if (!apr_isdigit(*c) || c - amount > 12) {
            return APR_EINVAL;
        }
    }
    res->amount = apr_atoi64(amount);
    res->amount_is_total = 0;       /* PBX_TOTAL: the first instalment */
    res->outcome = cmcas_paybox_outcome(res->code);
    res->message = cmcas_paybox_message(p, res->code);
    res->transaction = apr_table_get(args, "Trans") ? apr_table_get(args, "Trans") : "?";
    res->call = apr_table_get(args, "Appel");
    res->authorization = apr_table_get(args, "Auto");
    if (res->authorization && !*res->authorization) {
        res->authorization = NULL;
    }
    return APR_SUCCESS;
}

const char *cmcas_paybox_message(apr_pool_t *p, const char *code)
{
    static const struct { const char *code; const char *text; } known[] = {
        {"00000", "Paiement accepté."},
        {"00001", "Paiement annulé."},
        {"00004", "Numéro de carte ou cryptogramme visuel invalide."},
        {"00008", "Date de fin de validité de la carte invalide."},
        {"00021", "Carte non autorisée."},
        {"00030", "Le délai de paiement est dépassé (plus de 15 minutes sur la page de la "
                  "banque)."},
        {"00105", "Paiement refusé par votre banque."},
        {"00114", "Numéro de carte invalide."},
        {"00151", "Provision insuffisante."},
        {"00154", "Carte expirée."},
        {"00159", "Paiement refusé par votre banque (suspicion de fraude)."},
        {"99999", "Paiement en attente de confirmation par la banque."},
        {NULL, NULL}
    };
    int i;

    for (i = 0; code && known[i].code; i++) {
        if (!strcmp(known[i].code, code)) {
            return known[i].text;
        }
    }
    switch (cmcas_paybox_outcome(code)) {
    case CMCAS_GATEWAY_REFUSED:
        return apr_psprintf(p, "Paiement refusé par votre banque (code %s).", code);
    default:
        return apr_psprintf(p, "Le paiement n'a pas pu aboutir (erreur %s).",
                            code ? code : "inconnue");
    }
}
