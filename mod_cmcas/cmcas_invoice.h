/* An invoice (« facture ») or a credit note (« avoir ») as issued: every value frozen at
 * its issue, so that rendering it again later gives the same document whatever changed
 * since (prices, the household's address, the CMCAS's settings). No httpd types.
 * Issued by cmcas_invoice_store (in the transaction that records the payment, or the
 * refund), rendered to PDF by cmcas_invoice_pdf. Money in cents, dates ISO. */
#ifndef cmcas_invoice_h
#define cmcas_invoice_h

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct {
    const char *person;             /* « Prénom NOM » */
    const char *label;              /* the option (« Atelier gourmand ») */
    apr_int64_t price;              /* full price: amount + participation */
    apr_int64_t participation;      /* the CMCAS's share */
    apr_int64_t amount;             /* paid by the household */
} cmcas_invoice_line_t;

typedef struct {
    const char *due;                /* ISO date of the instalment */
    apr_int64_t amount;
} cmcas_invoice_instalment_t;

typedef struct {
    const char *kind;               /* "facture" or "avoir" */
    const char *number;             /* per organising CMCAS, e.g. "BN-2026-00042" */
    const char *issued_on;          /* ISO date */
    const char *order_reference;
    const char *credited_number;    /* an avoir: the invoice it cancels (else NULL) */
    /* The seller: the organising CMCAS, as its <CMCAS> block said at the issue. */
    const char *cmcas_code, *cmcas_name, *cmcas_street, *cmcas_postcode, *cmcas_city,
               *cmcas_phone, *cmcas_email;
    const char *legal;              /* its legal mentions (lines), or NULL */
    /* The buyer: the household's billing address at the issue. */
    const char *household_name, *street, *postcode, *city, *country;
    const char *activity_title;
    const char *activity_start, *activity_end;     /* ISO dates */
    apr_array_header_t *lines;      /* cmcas_invoice_line_t */
    apr_int64_t total_price, total_participation, total_amount;
    const char *method;             /* in French: « Carte bancaire (Paybox) », « Chèque » */
    apr_array_header_t *instalments;    /* cmcas_invoice_instalment_t; one when paid at once */
} cmcas_invoice_t;

/* The seller as the organising CMCAS's <CMCAS> block says now (CMCASName, CMCASAddress,
 * CMCASPhone, CMCASEmail, CMCASInvoiceLegal): what an issue freezes. Absent values NULL. */
typedef struct {
    const char *code, *name, *street, *postcode, *city, *phone, *email;
    const char *legal;              /* lines separated by '\n', or NULL */
} cmcas_invoice_seller_t;

#endif
