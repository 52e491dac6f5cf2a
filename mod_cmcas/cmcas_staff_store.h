/* The back-office's reads: who a staff login is, and the dashboard of their CMCAS.
 * Every read of staff data takes the staff member's CMCAS code: nothing of another
 * CMCAS is ever read for them. */
#ifndef cmcas_staff_store_h
#define cmcas_staff_store_h

#include "cmcas_store.h"
#include "cmcas_staff.h"

extern const cmcas_store_stmt_t cmcas_staff_store_statements[];

/* The staff member of that login (APR_NOTFOUND when it is none). */
apr_status_t cmcas_staff_store_by_login(cmcas_staff_t **pstaff, const cmcas_store_t *st,
                                        apr_pool_t *p, const char *login,
                                        const char **perr);

/* An activity of the CMCAS as the dashboard lists it. */
typedef struct {
    apr_int64_t id;
    const char *title;
    const char *theme;
    const char *start_date, *end_date, *closing_date;    /* ISO */
    apr_int64_t capacity, places_taken;
    const char *published_at;           /* NULL: not published */
    const char *mode;                   /* immediat | tour_de_role */
    const char *draw_done_at, *draw_published_at;
    apr_int64_t registrations;          /* validated or paid */
    apr_int64_t awaiting_payment;       /* registrations the household still has to pay */
} cmcas_staff_store_activity_t;

/* The CMCAS's activities, the latest first (array of cmcas_staff_store_activity_t). */
apr_status_t cmcas_staff_store_activities(apr_array_header_t **pacts,
                                          const cmcas_store_t *st, apr_pool_t *p,
                                          const char *cmcas_code, const char **perr);

/* What waits for the CMCAS's staff. */
typedef struct {
    apr_int64_t awaiting_payment;   /* registrations to pay (validated, or selected) */
    apr_int64_t desk_orders;        /* orders « Paiement en CMCAS » waiting for the money */
    apr_int64_t to_refund;          /* orders « Remboursement à effectuer » not refunded */
    apr_int64_t draws_to_run;       /* « tour de rôle » closed and not drawn */
    apr_int64_t draws_to_publish;   /* drawn, not published */
} cmcas_staff_store_counts_t;

apr_status_t cmcas_staff_store_counts(cmcas_staff_store_counts_t *counts,
                                      const cmcas_store_t *st, apr_pool_t *p,
                                      const char *cmcas_code, const char *today,
                                      const char **perr);

#endif
