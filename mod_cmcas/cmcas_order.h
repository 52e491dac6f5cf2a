/* Orders: what a household pays for a registration, to the CMCAS that organises it.
 * Plain values only; the store reads and writes these types. */
#ifndef cmcas_order_h
#define cmcas_order_h

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "cmcas_registration.h"

#define CMCAS_ORDER_REFERENCE_LEN 9

typedef struct {
    const char *person;         /* « Prénom NOM » */
    const char *option;
    apr_int64_t amount;         /* cents */
    apr_int64_t participation;
} cmcas_order_line_t;

typedef struct {
    apr_int64_t id;
    const char *reference;
    apr_int64_t registration_id;
    apr_int64_t household_id;
    const char *cmcas_code;     /* the payee: the organising CMCAS */
    apr_int64_t total;
    const char *method;         /* "cmcas", "paybox", "systempay" */
    int instalments;
    cmcas_status_order_t status;
    const char *hold_until;     /* ISO 8601 UTC */
    const char *created_at;
    apr_int64_t activity_id;
    const char *activity_title;
    const char *refunded_at;    /* « à rembourser » and refunded (ISO 8601 UTC), or NULL */
    int adjustment;             /* the difference of a paid registration changed by the
                                 * CMCAS (cmcas_registration_amend.h): holds nothing */
    apr_array_header_t *lines;  /* cmcas_order_line_t */
    const char *invoice_number; /* its invoice (« facture »), or NULL (cmcas_invoice_store) */
    const char *credit_number;  /* its credit note (« avoir »), or NULL */
} cmcas_order_t;

/* A new reference: 9 upper-case letters drawn uniformly from a cryptographic random
 * source (hard to guess, 26^9 of them). APR_EGENERAL when the source fails. */
apr_status_t cmcas_order_reference(char out[CMCAS_ORDER_REFERENCE_LEN + 1]);
/* 1 when s is 9 upper-case letters. */
int cmcas_order_reference_ok(const char *s);

/* The lines of an order for a registration: one per participant and selected option,
 * priced for the participant's category (array of cmcas_order_line_t). */
apr_array_header_t *cmcas_order_lines(apr_pool_t *p, const cmcas_registration_t *reg,
                                      const apr_array_header_t *options);
apr_int64_t cmcas_order_total(const apr_array_header_t *lines);

/* The state the member reads: the status's label, except that an order « à rembourser »
 * whose refund the CMCAS recorded reads « Remboursée » (its status stays a_rembourser). */
const char *cmcas_order_status_label(const cmcas_order_t *order);

/* « En CMCAS », « Paybox ». */
const char *cmcas_order_method_label(const char *method);

#endif
