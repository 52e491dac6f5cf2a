#include <string.h>

#include "cmcas_status.h"

static const struct {
    const char *code;
    const char *label;
} cmcas_status_regs[CMCAS_STATUS_REG_COUNT] = {
    {"brouillon", "Brouillon"},
    {"validee", "Validée"},
    {"payee", "Payée"},
    {"annulee", "Annulée"},
};

static const struct {
    const char *code;
    const char *label;
} cmcas_status_orders[CMCAS_STATUS_ORDER_COUNT] = {
    {"attente_cmcas", "En attente de paiement en CMCAS"},
    {"attente_cb", "En attente de paiement"},
    {"refusee", "Paiement refusé"},
    {"payee", "Paiement accepté"},
    {"annulee", "Annulée"},
    {"a_rembourser", "Remboursement à effectuer"},
};

/* Rows: from; columns: to. */

static const unsigned char cmcas_status_reg_moves[CMCAS_STATUS_REG_COUNT]
                                                [CMCAS_STATUS_REG_COUNT] = {
    /*               brouillon validee payee annulee */
    /* brouillon */ {1,        1,      0,    1},
    /* validee   */ {0,        1,      1,    1},
    /* payee     */ {0,        0,      0,    0},    /* changed by the CMCAS only */
    /* annulee   */ {1,        1,      0,    1},    /* reopened: a person added, « Valider » */
};


static const unsigned char cmcas_status_order_moves[CMCAS_STATUS_ORDER_COUNT]
                                                  [CMCAS_STATUS_ORDER_COUNT] = {
    /*                 att_cmcas att_cb refusee payee annulee a_remb */
    /* attente_cmcas */ {1,       0,     0,      1,    1,      0},
    /* attente_cb    */ {0,       1,     1,      1,    1,      1},
    /* refusee       */ {0,       0,     1,      1,    1,      1},
    /* payee         */ {0,       0,     0,      1,    0,      0},    /* events only */
    /* annulee       */ {0,       0,     0,      0,    1,      1},    /* a late payment */
    /* a_rembourser  */ {0,       0,     0,      0,    0,      1},
};

const char *cmcas_status_reg_code(cmcas_status_reg_t s)
{
    return (unsigned)s < CMCAS_STATUS_REG_COUNT ? cmcas_status_regs[s].code : "?";
}

const char *cmcas_status_reg_label(cmcas_status_reg_t s)
{
    return (unsigned)s < CMCAS_STATUS_REG_COUNT ? cmcas_status_regs[s].label : "?";
}

int cmcas_status_reg_parse(const char *code)
{
    int i;
    for (i = 0; code && i < CMCAS_STATUS_REG_COUNT; i++) {
        if (!strcmp(code, cmcas_status_regs[i].code)) {
            return i;
        }
    }
    return -1;
}

const char *cmcas_status_order_code(cmcas_status_order_t s)
{
    return (unsigned)s < CMCAS_STATUS_ORDER_COUNT ? cmcas_status_orders[s].code : "?";
}

const char *cmcas_status_order_label(cmcas_status_order_t s)
{
    return (unsigned)s < CMCAS_STATUS_ORDER_COUNT ? cmcas_status_orders[s].label : "?";
}

int cmcas_status_order_parse(const char *code)
{
    int i;
    for (i = 0; code && i < CMCAS_STATUS_ORDER_COUNT; i++) {
        if (!strcmp(code, cmcas_status_orders[i].code)) {
            return i;
        }
    }
    return -1;
}

int cmcas_status_reg_allowed(cmcas_status_reg_t from, cmcas_status_reg_t to)
{
    return (unsigned)from < CMCAS_STATUS_REG_COUNT && (unsigned)to < CMCAS_STATUS_REG_COUNT
           && cmcas_status_reg_moves[from][to];
}

int cmcas_status_order_allowed(cmcas_status_order_t from, cmcas_status_order_t to)
{
    return (unsigned)from < CMCAS_STATUS_ORDER_COUNT
           && (unsigned)to < CMCAS_STATUS_ORDER_COUNT && cmcas_status_order_moves[from][to];
}

int cmcas_status_reg_staff_allowed(cmcas_status_reg_t from, cmcas_status_reg_t to)
{
    return cmcas_status_reg_allowed(from, to)
           || (from == CMCAS_STATUS_REG_PAYEE && (to == CMCAS_STATUS_REG_ANNULEE
                                                  /* changed, or its adjustment paid */
                                                  || to == CMCAS_STATUS_REG_PAYEE));
}

int cmcas_status_order_staff_allowed(cmcas_status_order_t from, cmcas_status_order_t to)
{
    return cmcas_status_order_allowed(from, to)
           || (from == CMCAS_STATUS_ORDER_PAYEE && to == CMCAS_STATUS_ORDER_A_REMBOURSER);
}

int cmcas_status_order_waiting(cmcas_status_order_t s)
{
    return s == CMCAS_STATUS_ORDER_ATTENTE_CMCAS || s == CMCAS_STATUS_ORDER_ATTENTE_CB;
}

int cmcas_status_order_holds(cmcas_status_order_t s)
{
    return cmcas_status_order_waiting(s) || s == CMCAS_STATUS_ORDER_REFUSEE;
}
