/* The statuses of registrations and orders, named once: their database codes, their
 * French labels, and the transitions the flows may make. No httpd types. */
#ifndef cmcas_status_h
#define cmcas_status_h

typedef enum {
    CMCAS_STATUS_REG_BROUILLON,     /* a draft: holds nothing */
    CMCAS_STATUS_REG_VALIDEE,       /* validated: places held (or the request recorded) */
    CMCAS_STATUS_REG_PAYEE,
    CMCAS_STATUS_REG_ANNULEE,
    CMCAS_STATUS_REG_COUNT
} cmcas_status_reg_t;

typedef enum {
    CMCAS_STATUS_ORDER_ATTENTE_CMCAS,   /* waits for the desk */
    CMCAS_STATUS_ORDER_ATTENTE_CB,      /* sent to the bank's page */
    CMCAS_STATUS_ORDER_REFUSEE,         /* the card was refused: may be paid again */
    CMCAS_STATUS_ORDER_PAYEE,
    CMCAS_STATUS_ORDER_ANNULEE,
    CMCAS_STATUS_ORDER_A_REMBOURSER,    /* paid when it no longer could pay: refund */
    CMCAS_STATUS_ORDER_COUNT
} cmcas_status_order_t;

/* Database codes ("validee", "attente_cb"…) and back; an unknown code reads as -1. */
const char *cmcas_status_reg_code(cmcas_status_reg_t s);
int cmcas_status_reg_parse(const char *code);
const char *cmcas_status_order_code(cmcas_status_order_t s);
int cmcas_status_order_parse(const char *code);

/* « Validée », « Paiement accepté »… */
const char *cmcas_status_reg_label(cmcas_status_reg_t s);
const char *cmcas_status_order_label(cmcas_status_order_t s);

/* 1 when a flow may move from `from` to `to` (staying is allowed where an event is
 * recorded without a change, e.g. a person added to a draft). */
int cmcas_status_reg_allowed(cmcas_status_reg_t from, cmcas_status_reg_t to);
int cmcas_status_order_allowed(cmcas_status_order_t from, cmcas_status_order_t to);
/* The moves only the CMCAS's staff make, besides those: a paid registration cancelled
 * (« Annulée par la CMCAS »), its paid order then to refund; a paid registration changed
 * (an event: it stays paid). */
int cmcas_status_reg_staff_allowed(cmcas_status_reg_t from, cmcas_status_reg_t to);
int cmcas_status_order_staff_allowed(cmcas_status_order_t from, cmcas_status_order_t to);

/* An order that waits for its payment (one per registration at most). */
int cmcas_status_order_waiting(cmcas_status_order_t s);
/* An order that still holds its registration's places until its hold ends: waiting,
 * or refused (the member may pay again). */
int cmcas_status_order_holds(cmcas_status_order_t s);

#endif
