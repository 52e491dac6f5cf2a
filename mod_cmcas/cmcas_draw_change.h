/* The « tour de rôle » changes of state (issue 10): the draw of an activity after its
 * closing date, the publication of its results, the promotions from the waiting list
 * into places that come free, the release of a selected request not paid in time, and
 * « Je renonce ». Each runs in one transaction (a crash leaves all of it or none) and
 * returns a cmcas_result_t. No httpd types: the background job and the pages call them. */
#ifndef cmcas_draw_change_h
#define cmcas_draw_change_h

#include "cmcas_activity.h"
#include "cmcas_invoice.h"
#include "cmcas_result.h"
#include "cmcas_staff.h"
#include "cmcas_store.h"

/* The organising CMCAS's settings (CMCASDrawWindow, CMCASDrawPayDays, and its <CMCAS>
 * block for the credit notes a cancellation or a change issues). */
typedef struct {
    int window_months;          /* how far back obtained activities count */
    int pay_days;               /* days a selected household has to pay */
    const cmcas_invoice_seller_t *seller;   /* NULL: the order's CMCAS code only */
} cmcas_draw_change_rules_t;

/* Draws activity `activity_id` at `now`: each validated request gets its rank, the
 * values of the criteria and its result; the selected ones take their places. With
 * `publish`, the results are published in the same transaction (see below). An
 * activity already drawn is left alone unless `rerun` (its results not published yet:
 * the previous draw is undone first). *pdrawn = 1 when this call drew it. */
void cmcas_draw_change_run(cmcas_result_t *res, int *pdrawn, cmcas_store_t *st,
                           apr_pool_t *p, apr_time_t now, const char *actor,
                           apr_int64_t activity_id, const cmcas_draw_change_rules_t *rules,
                           int publish, int rerun);

/* Publishes a drawn activity's results: members see them, each request's history
 * records its result, selected ones get their pay-by date (today + pay_days) and every
 * household its message. *pdone = 0 when there was nothing to publish. */
void cmcas_draw_change_publish(cmcas_result_t *res, int *pdone, cmcas_store_t *st,
                               apr_pool_t *p, apr_time_t now, const char *actor,
                               apr_int64_t activity_id,
                               const cmcas_draw_change_rules_t *rules);

/* What a staff member's draw or publication writes in the audit log, in its
 * transaction. */
typedef struct {
    const char *cmcas_code;     /* the staff member's CMCAS: the activity's */
    const char *action;         /* « Tour de rôle effectué » */
} cmcas_draw_change_audit_t;

/* From the back-office (the caller checked that the activity is a « tour de rôle » of
 * the staff member's CMCAS): draws it now, or again while its results are not published
 * (cmcas_draw_change_run with rerun, unpublished), with its audit line « Tour de rôle
 * effectué »; CONFLICT (French message) once its results are published. */
void cmcas_draw_change_staff_run(cmcas_result_t *res, int *pdrawn, cmcas_store_t *st,
                                 apr_pool_t *p, apr_time_t now, const cmcas_staff_t *staff,
                                 apr_int64_t activity_id,
                                 const cmcas_draw_change_rules_t *rules);
/* Publishes, with its audit line « Tour de rôle publié » (*pdone = 0: nothing to
 * publish, nothing written). */
void cmcas_draw_change_staff_publish(cmcas_result_t *res, int *pdone, cmcas_store_t *st,
                                     apr_pool_t *p, apr_time_t now,
                                     const cmcas_staff_t *staff, apr_int64_t activity_id,
                                     const cmcas_draw_change_rules_t *rules);

/* What the draw of `act` would decide at `now` (its free places, the requests not drawn
 * yet, read as the draw reads them), computed by cmcas_draw_run and written nowhere:
 * *pentries in rank order (cmcas_draw_entry_t), *pplaces the places it would give.
 * The activity's seed is not used (it stays secret until the draw): households equal on
 * every criterion are ordered at random, and no entry has a tiebreak. */
apr_status_t cmcas_draw_change_preview(apr_array_header_t **pentries, int *pplaces,
                                       cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                                       const cmcas_activity_t *act,
                                       const cmcas_draw_change_rules_t *rules,
                                       const char **perr);

/* Gives the places free of a published activity to its waiting list, in rank order:
 * each request that fits whole is promoted (its pay-by date, its message); one that
 * does not fit stays first. *ppromoted: how many were. */
void cmcas_draw_change_fill(cmcas_result_t *res, int *ppromoted, cmcas_store_t *st,
                            apr_pool_t *p, apr_time_t now, apr_int64_t activity_id,
                            const cmcas_draw_change_rules_t *rules);

/* Releases the household's selected request of the activity when its pay-by date has
 * passed with no order waiting or paid (*preleased = 0 when it moved on meanwhile). */
void cmcas_draw_change_release(cmcas_result_t *res, int *preleased, cmcas_store_t *st,
                               apr_pool_t *p, apr_time_t now, apr_int64_t activity_id,
                               apr_int64_t household_id);

/* « Je renonce »: the household gives up its place (selected) or its rank (waiting);
 * an order waiting for payment ends with it. The caller then fills the places. */
void cmcas_draw_change_renounce(cmcas_result_t *res, cmcas_store_t *st, apr_pool_t *p,
                                apr_time_t now, const char *actor, apr_int64_t activity_id,
                                apr_int64_t household_id);

#endif
