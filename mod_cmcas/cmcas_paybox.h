/* Paybox System: the signed request to the bank's hosted page (PBX_HMAC, HMAC-SHA-512
 * over the raw NAME=value pairs in form order, hex key decoded, upper-case hex) and the
 * verification of its returns (RSA-SHA1 signature K over the raw received query, cut
 * before "&<name of K>="). No httpd types. */
#ifndef cmcas_paybox_h
#define cmcas_paybox_h

#include <apr_pools.h>
#include <apr_tables.h>
#include <openssl/evp.h>

#include "cmcas_gateway.h"

typedef struct {
    const char *name;
    const char *value;      /* raw: never URL-encoded before signing */
} cmcas_paybox_field_t;

/* PBX_HMAC of `fields` (cmcas_paybox_field_t, in the order they are posted, PBX_HMAC
 * not among them) with the hex key of the merchant account. APR_EINVAL with *perr when
 * the key is not an even number of hex digits. */
apr_status_t cmcas_paybox_hmac(const char **phmac, apr_pool_t *p, const char *hex_key,
                               const apr_array_header_t *fields, const char **perr);

/* The string that PBX_HMAC signs: "NAME=value&NAME=value". */
const char *cmcas_paybox_signed_string(apr_pool_t *p, const apr_array_header_t *fields);

/* What a payment request says. */
typedef struct {
    const char *site, *rang, *identifiant;  /* the payee's merchant account */
    const char *hex_key;                    /* its HMAC key */
    const char *reference;                  /* PBX_CMD: the order's reference */
    const char *email;                      /* PBX_PORTEUR */
    int count;                              /* instalments, 1..4 */
    const apr_int64_t *amounts;             /* cents: [0] now, then one a month */
    const char *const *dates;               /* JJ/MM/AAAA of amounts[1..] */
    const char *valmax;                     /* AAMM of the last one (PBX_DATEVALMAX) */
    const char *url_done, *url_refused, *url_cancelled, *url_pending, *url_notify;
    const char *first_name, *last_name, *street, *postcode, *city;   /* 3-D Secure */
    int quantity;                           /* persons (PBX_SHOPPINGCART), 1..99 */
    const char *time;                       /* PBX_TIME, ISO 8601 with offset */
} cmcas_paybox_request_t;

/* What PBX_RETOUR asks the bank to return; K (the signature) is last. */
#define CMCAS_PAYBOX_RETOUR "Mt:M;Ref:R;Auto:A;Appel:T;Trans:S;Erreur:E;Sign:K"

/* The posted fields of the request, in order, PBX_HMAC last. */
apr_status_t cmcas_paybox_request(apr_array_header_t **pfields, apr_pool_t *p,
                                  const cmcas_paybox_request_t *req, const char **perr);

/* Reads a PEM public key (SubjectPublicKeyInfo); freed with the pool. */
apr_status_t cmcas_paybox_load_key(EVP_PKEY **pkey, apr_pool_t *p, const char *path,
                                   const char **perr);

/* 1 when the raw query `query` (as received, still URL-encoded) carries, as its last
 * variable `sign_name`, a valid RSA-SHA1 signature by `key` of everything before
 * "&<sign_name>=". 0 otherwise (missing, malformed or wrong signature). */
int cmcas_paybox_verify(EVP_PKEY *key, const char *query, const char *sign_name,
                        apr_pool_t *p);

/* What a response code (PBX_RETOUR letter E) means: 00000 paid, 001xx refused by the
 * card's bank, 00001 cancelled by the member, 99999 pending, anything else an error. */
cmcas_gateway_outcome_t cmcas_paybox_outcome(const char *code);
/* The member's explanation of a code, in French. */
const char *cmcas_paybox_message(apr_pool_t *p, const char *code);

/* Reads a verified return (decoded arguments of CMCAS_PAYBOX_RETOUR): APR_EINVAL when
 * Ref, Mt or Erreur is missing or Mt is not a number. */
apr_status_t cmcas_paybox_result(cmcas_gateway_result_t *res, apr_table_t *args,
                                 apr_pool_t *p);

#endif
