/* The member's own household row: its contact and billing address, read and changed by
 * the household's id only (the login's, never a form's). */
#ifndef cmcas_account_store_h
#define cmcas_account_store_h

#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_account_store_statements[];

typedef struct {
    const char *email;
    const char *phone;          /* "" when none */
    const char *street;         /* lines joined by "\n"; "" when none */
    const char *postcode;
    const char *city;
    const char *country;
} cmcas_account_store_t;

/* The household's contact and address (APR_NOTFOUND when no such household). */
apr_status_t cmcas_account_store_get(cmcas_account_store_t **pacc, const cmcas_store_t *st,
                                     apr_pool_t *p, apr_int64_t household_id,
                                     const char **perr);
/* Sets the e-mail and phone ("" stored as NULL); *pone = 1 when the row changed. */
apr_status_t cmcas_account_store_contact(int *pone, const cmcas_store_t *st, apr_pool_t *p,
                                         apr_int64_t household_id, const char *email,
                                         const char *phone, const char **perr);
/* Sets the billing address; *pone = 1 when the row changed. */
apr_status_t cmcas_account_store_address(int *pone, const cmcas_store_t *st,
                                         apr_pool_t *p, apr_int64_t household_id,
                                         const char *street, const char *postcode,
                                         const char *city, const char *country,
                                         const char **perr);

#endif
