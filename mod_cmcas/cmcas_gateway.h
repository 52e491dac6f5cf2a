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
} cmcas_gateway_result_t;

#endif
