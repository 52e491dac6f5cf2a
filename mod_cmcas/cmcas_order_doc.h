/* The payment and order page documents (`paiement`, `commandes`, `commande`). */
#ifndef cmcas_order_doc_h
#define cmcas_order_doc_h

#include <libxml/tree.h>

#include "cmcas_doc.h"
#include "cmcas_order.h"
#include "cmcas_store.h"

typedef struct {
    const char *code;           /* "cmcas" or "cb" */
    int instalments;            /* cb: 1..4 */
    int hold_days;              /* cmcas: days the places stay held */
} cmcas_order_doc_method_t;

typedef struct {
    apr_int64_t registration_id;
    const cmcas_activity_t *act;
    const apr_array_header_t *lines;        /* cmcas_order_line_t */
    const cmcas_doc_site_t *payee;
    const char *cgv_url;                    /* NULL: none */
    const apr_array_header_t *methods;      /* cmcas_order_doc_method_t */
    const char *waiting_ref;                /* an order already waits, or NULL */
    int retry;                              /* ...and the member pays it again */
    const char *hold_until;                 /* an order holds the places until then */
    const char *csrf;
    const char *base;
} cmcas_order_doc_payment_t;

xmlNodePtr cmcas_order_doc_payment(xmlNodePtr root, const cmcas_order_doc_payment_t *d,
                                   apr_pool_t *p);
/* « Mes commandes » (orders: cmcas_order_t). */
void cmcas_order_doc_list(xmlNodePtr root, const apr_array_header_t *orders,
                          const char *base, apr_pool_t *p);
/* One order; csrf NULL when it can no longer be changed. */
xmlNodePtr cmcas_order_doc_order(xmlNodePtr root, const cmcas_order_t *order,
                                 const cmcas_doc_site_t *payee, const char *csrf,
                                 int confirmation, const char *base, apr_pool_t *p);

#endif
