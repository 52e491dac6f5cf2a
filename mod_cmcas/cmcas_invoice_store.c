/* Replaced by the issuing helper's implementation at merge. */
/* TEMPORARY: no invoice is issued yet, so none is ever found. Only here so that the
 * download route (mod_cmcas_invoice.c) links and answers 404 until then. */
#include "cmcas_invoice_store.h"

apr_status_t cmcas_invoice_store_get(cmcas_invoice_t **pinv, const cmcas_store_t *st,
                                     apr_pool_t *p, const char *order_reference,
                                     apr_int64_t household_id, const char *kind,
                                     const char **perr)
{
    (void)st;
    (void)p;
    (void)order_reference;
    (void)household_id;
    (void)kind;
    *pinv = NULL;
    *perr = NULL;
    return APR_NOTFOUND;
}
