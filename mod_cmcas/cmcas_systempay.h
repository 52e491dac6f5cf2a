/* Systempay / PayZen (Lyra): the signature of requests and returns: the values of the
 * vads_* fields sorted by name, joined by '+', then '+' and the key, HMAC-SHA-256 with
 * that key, Base64. No httpd types. */
#ifndef cmcas_systempay_h
#define cmcas_systempay_h

#include <apr_pools.h>
#include <apr_tables.h>

#include "cmcas_gateway.h"

/* The signature of the vads_* fields of `fields` (other fields are ignored). */
const char *cmcas_systempay_signature(apr_pool_t *p, const char *key,
                                      const apr_table_t *fields);

/* 1 when `fields` holds exactly one "signature" equal, in constant time, to the
 * signature of its vads_* fields. */
int cmcas_systempay_verify(apr_pool_t *p, const char *key, const apr_table_t *fields);

/* What a payment request says. */
typedef struct {
    const char *site_id, *mode, *key;       /* the payee's shop, TEST|PRODUCTION, its key */
    const char *reference;                  /* vads_order_id: the order's reference */
    const char *email;
    apr_int64_t total;                      /* cents: vads_amount is always the total */
    int count;                              /* instalments, 1..4 */
    apr_int64_t first;                      /* the first instalment when count > 1 */
    const char *trans_id;                   /* 6 digits, unique for the shop that day */
    const char *trans_date;                 /* YYYYMMDDHHMMSS, UTC */
    const char *url_check, *url_success, *url_refused, *url_cancel, *url_return;
} cmcas_systempay_request_t;

/* The vads_* fields of the request and their signature (a table in posted order). */
apr_table_t *cmcas_systempay_request(apr_pool_t *p, const cmcas_systempay_request_t *req);

/* Reads a verified return: APR_EINVAL when vads_order_id, vads_amount or
 * vads_trans_status is missing or the amount is not a number. */
apr_status_t cmcas_systempay_result(cmcas_gateway_result_t *res, const apr_table_t *fields,
                                    apr_pool_t *p);

#endif
