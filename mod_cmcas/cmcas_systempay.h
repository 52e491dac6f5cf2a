/* Systempay / PayZen (Lyra): the signature of requests and returns: the values of the
 * vads_* fields sorted by name, joined by '+', then '+' and the key, HMAC-SHA-256 with
 * that key, Base64. No httpd types. */
#ifndef cmcas_systempay_h
#define cmcas_systempay_h

#include <apr_pools.h>
#include <apr_tables.h>

/* The signature of the vads_* fields of `fields` (other fields are ignored). */
const char *cmcas_systempay_signature(apr_pool_t *p, const char *key,
                                      const apr_table_t *fields);

/* 1 when `fields` holds exactly one "signature" equal, in constant time, to the
 * signature of its vads_* fields. */
int cmcas_systempay_verify(apr_pool_t *p, const char *key, const apr_table_t *fields);

#endif
