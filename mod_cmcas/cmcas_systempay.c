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
