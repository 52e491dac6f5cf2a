#include <stdlib.h>
#include <apr_strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cmcas_systempay.h"

static int cmcas_systempay_by_name(const void *a, const void *b)
{
    return strcmp(((const apr_table_entry_t *)a)->key, ((const apr_table_entry_t *)b)->key);
}

const char *cmcas_systempay_signature(apr_pool_t *p, const char *key,
                                      const apr_table_t *fields)
{
    const apr_array_header_t *all = apr_table_elts(fields);
    apr_array_header_t *vads = apr_array_make(p, all->nelts, sizeof(apr_table_entry_t));
    apr_array_header_t *values = apr_array_make(p, all->nelts + 1, sizeof(const char *));
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    const char *msg;
    char *out;
    int i;

    for (i = 0; i < all->nelts; i++) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(all, i, apr_table_entry_t);
        if (!strncmp(e->key, "vads_", 5)) {
            *(apr_table_entry_t *)apr_array_push(vads) = *e;
        }
    }
    qsort(vads->elts, (size_t)vads->nelts, sizeof(apr_table_entry_t),
          cmcas_systempay_by_name);
    for (i = 0; i < vads->nelts; i++) {
        *(const char **)apr_array_push(values) = APR_ARRAY_IDX(vads, i, apr_table_entry_t).val;
    }
    *(const char **)apr_array_push(values) = key;
    msg = apr_array_pstrcat(p, values, '+');
    HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)msg, strlen(msg), mac,
         &mac_len);
    out = apr_palloc(p, 4 * ((mac_len + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)out, mac, (int)mac_len);
    return out;
}

typedef struct {
    int count;
    const char *value;
} cmcas_systempay_scan_t;

static int cmcas_systempay_count(void *data, const char *key, const char *value)
{
    cmcas_systempay_scan_t *scan = data;
    (void)key;
    scan->count++;
    scan->value = value;
    return 1;
}

int cmcas_systempay_verify(apr_pool_t *p, const char *key, const apr_table_t *fields)
{
    cmcas_systempay_scan_t scan = {0, NULL};
    const char *expected;

    apr_table_do(cmcas_systempay_count, &scan, fields, "signature", NULL);
    if (scan.count != 1) {
        return 0;
    }
    expected = cmcas_systempay_signature(p, key, fields);
    return strlen(expected) == strlen(scan.value)
        && CRYPTO_memcmp(expected, scan.value, strlen(expected)) == 0;
}

apr_table_t *cmcas_systempay_request(apr_pool_t *p, const cmcas_systempay_request_t *req)
{
    apr_table_t *f = apr_table_make(p, 24);

    apr_table_setn(f, "vads_action_mode", "INTERACTIVE");
    apr_table_setn(f, "vads_amount", apr_psprintf(p, "%" APR_INT64_T_FMT, req->total));
    apr_table_setn(f, "vads_ctx_mode", req->mode);
    apr_table_setn(f, "vads_currency", "978");
    apr_table_setn(f, "vads_cust_email", req->email ? req->email : "");
    apr_table_setn(f, "vads_order_id", req->reference);
    apr_table_setn(f, "vads_page_action", "PAYMENT");
    /* Instalments a month apart; the first takes the rounding remainder. */
    apr_table_setn(f, "vads_payment_config", req->count > 1
                   ? apr_psprintf(p, "MULTI:first=%" APR_INT64_T_FMT ";count=%d;period=30",
                                  req->first, req->count)
                   : "SINGLE");
    apr_table_setn(f, "vads_return_mode", "GET");
    apr_table_setn(f, "vads_site_id", req->site_id);
    apr_table_setn(f, "vads_trans_date", req->trans_date);
    apr_table_setn(f, "vads_trans_id", req->trans_id);
    apr_table_setn(f, "vads_url_cancel", req->url_cancel);
    apr_table_setn(f, "vads_url_check", req->url_check);
    apr_table_setn(f, "vads_url_refused", req->url_refused);
    apr_table_setn(f, "vads_url_return", req->url_return);
    apr_table_setn(f, "vads_url_success", req->url_success);
    apr_table_setn(f, "vads_version", "V2");
    apr_table_setn(f, "signature", cmcas_systempay_signature(p, req->key, f));
    return f;
}

apr_status_t cmcas_systempay_result(cmcas_gateway_result_t *res, const apr_table_t *fields,
                                    apr_pool_t *p)
{
    const char *amount = apr_table_get(fields, "vads_amount");
    const char *status = apr_table_get(fields, "vads_trans_status"), *c;

    memset(res, 0, sizeof(*res));
    res->reference = apr_table_get(fields, "vads_order_id");
    if (!res->reference || !amount || !*amount || !status) {
        return APR_EINVAL;
    }
    for (c = amount; *c; c++) {
        if (*c < '0' || *c > '9' || c - amount > 12) {
            return APR_EINVAL;
        }
    }
    res->amount = apr_atoi64(amount);
    res->amount_is_total = 1;       /* vads_amount: the total, also in instalments */
    res->code = status;
    res->transaction = apr_table_get(fields, "vads_trans_id")
                       ? apr_table_get(fields, "vads_trans_id") : "?";
    res->authorization = apr_table_get(fields, "vads_auth_number");
    if (res->authorization && !*res->authorization) {
        res->authorization = NULL;
    }
    res->mode = apr_table_get(fields, "vads_ctx_mode");
    res->merchant = apr_table_get(fields, "vads_site_id");
    if (!strcmp(status, "AUTHORISED") || !strcmp(status, "CAPTURED")) {
        res->outcome = CMCAS_GATEWAY_PAID;
        res->message = "Paiement accepté.";
    }
    else if (!strcmp(status, "REFUSED")) {
        res->outcome = CMCAS_GATEWAY_REFUSED;
        res->message = "Paiement refusé par votre banque.";
    }
    else if (!strcmp(status, "ABANDONED") || !strcmp(status, "CANCELLED")) {
        res->outcome = CMCAS_GATEWAY_CANCELLED;
        res->message = "Paiement annulé.";
    }
    else if (!strcmp(status, "UNDER_VERIFICATION") || !strcmp(status, "WAITING_AUTHORISATION")
             || !strcmp(status, "AUTHORISED_TO_VALIDATE")) {
        res->outcome = CMCAS_GATEWAY_PENDING;
        res->message = "Paiement en attente de confirmation par la banque.";
    }
    else {
        res->outcome = CMCAS_GATEWAY_ERROR;
        res->message = apr_psprintf(p, "Le paiement n'a pas pu aboutir (%s).", status);
    }
    return APR_SUCCESS;
}
