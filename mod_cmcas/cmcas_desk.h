/* What CMCAS staff type when they record money taken at the desk (« Paiement en CMCAS »)
 * or given back (a refund): the means, the amount in euros, the day and a note, checked
 * into plain values with French messages. No httpd types, no database. */
#ifndef cmcas_desk_h
#define cmcas_desk_h

#include <apr_pools.h>
#include <apr_time.h>

/* The longest note (a cheque's number, a transfer's reference), in characters. */
#define CMCAS_DESK_NOTE_MAX 200

typedef enum {
    CMCAS_DESK_PAYMENT,         /* kind 'paiement' */
    CMCAS_DESK_REFUND           /* kind 'remboursement' */
} cmcas_desk_kind_t;

/* One entry of cmcas_order_payment, as staff typed it. */
typedef struct {
    cmcas_desk_kind_t kind;
    const char *means;          /* especes | cheque | cheques_vacances | virement | carte */
    apr_int64_t amount;         /* cents; -1 for a refund (the order's total is given back) */
    const char *on_date;        /* ISO date, not after today */
    const char *note;           /* "" when none */
} cmcas_desk_entry_t;

/* "paiement" / "remboursement". */
const char *cmcas_desk_kind_code(cmcas_desk_kind_t kind);

/* The French label of a means of payment (« chèque »), or NULL when `code` is not one
 * the kind takes (the desk takes cash, cheques and chèques-vacances; a refund may also
 * be a transfer or a card refund). */
const char *cmcas_desk_means_label(const char *code, cmcas_desk_kind_t kind);

/* An amount in euros as typed or pasted (cmcas_money_parse: "70", "70,5", "70.00",
 * "1 070,00 €"): cents, or -1 when it is not one (or above 1 000 000 €). */
apr_int64_t cmcas_desk_amount_parse(const char *s);

/* Checks what was typed (NULL for a field absent; `amount` is ignored for a refund) at
 * `now` (the day is the server's local day); fills *e and returns NULL, or returns the
 * French message of the first problem. */
const char *cmcas_desk_entry_read(cmcas_desk_entry_t *e, apr_pool_t *p,
                                  cmcas_desk_kind_t kind, const char *means,
                                  const char *amount, const char *date, const char *note,
                                  apr_time_t now);

/* The event of the order's history and the audit line's summary: « Paiement en CMCAS
 * enregistré : chèque, 70,00 € (n° 123) », « Remboursement enregistré : virement,
 * 70,00 € ». */
const char *cmcas_desk_entry_event(apr_pool_t *p, const cmcas_desk_entry_t *e,
                                   apr_int64_t amount);

#endif
