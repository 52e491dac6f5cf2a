/* A registration cancelled by the CMCAS's staff, with a reason (issue 11). In one
 * transaction under the registration's lock: the orders that hold it end (« Annulée »),
 * a paid order becomes « Remboursement à effectuer » (the dashboard's refunds) with its
 * credit note (cmcas_invoice_store, the seller rules->seller), its places come back, its history records « Annulée par la CMCAS : motif », the household
 * gets the message « cancelled » with the reason, and the audit log its line. Then, for
 * a « tour de rôle » whose results are published, the places go to the waiting list
 * (cmcas_draw_change_fill, its own transaction: if it fails the cancellation stands and
 * the background job promotes at its next run). No httpd types. */
#ifndef cmcas_staff_cancel_h
#define cmcas_staff_cancel_h

#include "cmcas_draw_change.h"
#include "cmcas_result.h"
#include "cmcas_staff.h"
#include "cmcas_store.h"

#define CMCAS_STAFF_CANCEL_REASON_MAX 500       /* characters */

typedef struct {
    cmcas_result_t res;
    apr_int64_t activity_id;        /* the registration's (0 when not found) */
    int refunds;                    /* paid orders now to refund */
    int promoted;                   /* requests promoted from the waiting list */
    const char *fill_err;           /* the promotions failed (the job tries again) */
} cmcas_staff_cancel_outcome_t;

/* The reason as recorded: trimmed, on one line (line breaks and tabs become spaces);
 * NULL when empty, or longer than CMCAS_STAFF_CANCEL_REASON_MAX characters. */
const char *cmcas_staff_cancel_reason(apr_pool_t *p, const char *text);

/* Cancels registration `registration_id` of `staff`'s CMCAS at `now`. NOT_FOUND for a
 * registration of another CMCAS or none, BAD_INPUT for a reason that is none,
 * CONFLICT when it is cancelled already. `rules`: the CMCAS's draw rules (the pay-by
 * date of a promoted request). */
void cmcas_staff_cancel_run(cmcas_staff_cancel_outcome_t *out, cmcas_store_t *st,
                            apr_pool_t *p, apr_time_t now, const cmcas_staff_t *staff,
                            apr_int64_t registration_id, const char *reason,
                            const cmcas_draw_change_rules_t *rules);

#endif
