/* What a card gateway's return says, whatever the bank: the common result that the
 * Paybox and Systempay readers fill in. No httpd types. */
#ifndef cmcas_gateway_h
#define cmcas_gateway_h

#include <apr_pools.h>

typedef enum {
    CMCAS_GATEWAY_PAID,         /* the payment is accepted */
    CMCAS_GATEWAY_REFUSED,      /* refused by the card's bank: the member may try again */
    CMCAS_GATEWAY_PENDING,      /* waiting for the bank */
    CMCAS_GATEWAY_CANCELLED,    /* the member left the bank's page */
    CMCAS_GATEWAY_ERROR         /* anything else, unknown codes included */
} cmcas_gateway_outcome_t;

typedef struct {
    const char *reference;      /* the order's reference */
    apr_int64_t amount;         /* cents, as returned */
    int amount_is_total;        /* 1: the order's total; 0: its first instalment */
    cmcas_gateway_outcome_t outcome;
    const char *code;           /* the bank's own code, for the history */
    const char *message;        /* the member's explanation, in French */
    const char *transaction;    /* the bank's transaction number, or "?" */
    const char *call;           /* Paybox's call number (Appel), or NULL */
    const char *authorization;  /* the bank's authorisation number, or NULL when absent
                                 * (Paybox's test platform always says "XXXXXX") */
    const char *mode;           /* Systempay's vads_ctx_mode (TEST, PRODUCTION), or NULL */
    const char *merchant;       /* Systempay's vads_site_id, or NULL */
} cmcas_gateway_result_t;

/* What the payee's bank said when asked, server to server, about an accepted payment
 * (the signature of a return proves who signed, not that money reached this merchant). */
typedef enum {
    CMCAS_GATEWAY_CHECK_NONE,           /* not configured for this gateway or payee */
    CMCAS_GATEWAY_CHECK_CONFIRMED,      /* this merchant account holds it, same amount */
    CMCAS_GATEWAY_CHECK_DENIED,         /* unknown to this account, or not the same */
    CMCAS_GATEWAY_CHECK_UNAVAILABLE     /* the bank could not be asked: try later */
} cmcas_gateway_check_t;

#endif
