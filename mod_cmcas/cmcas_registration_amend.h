/* A paid registration changed by the CMCAS's staff at the member's request (issue 11): a
 * person or an option added or removed, never silently. In one transaction under the
 * registration's lock: the registration is priced before (what was paid: a paid
 * registration has paid its current lines) and after; an added person takes its place
 * by the conditional update of the registration store (refused, nothing written, when
 * none is left), a removed one gives it back; the difference becomes an adjustment order
 * (cmcas_order_t.adjustment, 014_order_adjustment.sql) — owed at the desk (« En attente
 * de paiement en CMCAS », the household gets the message order_desk with the reason) or
 * « Remboursement à effectuer », with its credit note (cmcas_invoice_store, the seller
 * rules->seller) — and none when it is zero. The registration stays paid
 * and records « Modifiée par la CMCAS : motif — changes »; the audit log gets its line.
 * Then, for a published « tour de rôle » that got places back, the waiting list is
 * promoted (its own transaction, as cmcas_staff_cancel.h). No httpd types. */
#ifndef cmcas_registration_amend_h
#define cmcas_registration_amend_h

#include "cmcas_draw_change.h"
#include "cmcas_order.h"
#include "cmcas_registration_amend_input.h"
#include "cmcas_result.h"
#include "cmcas_staff.h"
#include "cmcas_store.h"

/* The registration as the page shows it. */
typedef struct {
    cmcas_activity_t *act;
    apr_array_header_t *options;            /* cmcas_activity_option_t */
    cmcas_registration_t *reg;
    apr_array_header_t *persons;            /* the household (cmcas_household_person_t) */
    apr_int64_t total;                      /* paid: the price of its current lines */
    const char *waiting;                    /* an adjustment waiting for its payment */
} cmcas_registration_amend_view_t;

typedef struct {
    cmcas_result_t res;
    apr_int64_t activity_id;                /* the registration's (0 when not found) */
    apr_int64_t before, after;              /* totals, cents */
    apr_int64_t paid;                       /* of `before`, what the household paid */
    const char *replaced;                   /* the waiting adjustment it replaced, or NULL */
    cmcas_order_t *order;                   /* the adjustment made, NULL when none */
    const char *changes;                    /* what changed, in French */
    int echo_guest;                         /* refused for the typed guest: show it again */
    int promoted;                           /* requests promoted from the waiting list */
    const char *fill_err;                   /* the promotions failed (the job tries again) */
} cmcas_registration_amend_outcome_t;

/* Reads registration `id` of `staff`'s CMCAS for the page. NOT_FOUND for another CMCAS's
 * or none; CONFLICT (with the French reason) when it is not paid: the member changes it
 * from « Mes inscriptions ». */
void cmcas_registration_amend_load(cmcas_result_t *res, cmcas_registration_amend_view_t *v,
                                   cmcas_store_t *st, apr_pool_t *p,
                                   const cmcas_staff_t *staff, apr_int64_t id);

/* Applies `in` to registration `id` at `now` (`today`: the guest's birth date check).
 * NOT_FOUND, CONFLICT (not paid; an adjustment waits; no place left), REFUSED (a rule:
 * ages, options, guests, nobody left), BAD_INPUT (a form that does not match, no reason,
 * nothing to change), ERROR (nothing written). `rules`: the CMCAS's draw rules. */
void cmcas_registration_amend_run(cmcas_registration_amend_outcome_t *out,
                                  cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                                  const cmcas_date_t *today, const cmcas_staff_t *staff,
                                  apr_int64_t id, const cmcas_registration_amend_input_t *in,
                                  const cmcas_draw_change_rules_t *rules);

#endif
