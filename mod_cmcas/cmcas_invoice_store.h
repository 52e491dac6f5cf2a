/* The invoices and credit notes issued, as stored (issue 12). No httpd types. */
#ifndef cmcas_invoice_store_h
#define cmcas_invoice_store_h

#include <apr_pools.h>

#include "cmcas_invoice.h"
#include "cmcas_store.h"

/* The invoice (`kind` "facture") or credit note ("avoir") of the order
 * `order_reference` of household `household_id`, frozen as issued. APR_NOTFOUND when
 * that order of that household has no document of that kind (another household's
 * order answers the same); another status with *perr on a database error. */
apr_status_t cmcas_invoice_store_get(cmcas_invoice_t **pinv, const cmcas_store_t *st,
                                     apr_pool_t *p, const char *order_reference,
                                     apr_int64_t household_id, const char *kind,
                                     const char **perr);

#endif
