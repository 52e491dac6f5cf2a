/* What the operators' status page reads from the database (mod_cmcas_status.c): the
 * schema version, the background jobs' leases, and per CMCAS the work waiting (desk
 * orders, refunds due, draws due, e-mails not sent) and the last draw and payment.
 * No httpd types; run only for the status page's own requests. */
#ifndef cmcas_status_store_h
#define cmcas_status_store_h

#include <apr_pools.h>
#include <apr_tables.h>

#include "cmcas_store.h"

/* One CMCAS of the table `cmcas`. */
typedef struct {
    const char *code;
    apr_int64_t desk_orders;    /* orders waiting at the desk (« attente_cmcas ») */
    apr_int64_t refunds_due;    /* « a_rembourser », not yet refunded */
    apr_int64_t draws_due;      /* « tour de rôle » closed, published, not drawn */
    apr_int64_t outbox_unsent;  /* e-mails of its households not sent yet, */
    apr_int64_t outbox_failed;  /* of which at least one attempt failed */
    const char *last_draw;      /* ISO 8601 UTC, NULL: never */
    const char *last_payment;   /* the last order paid (card or desk), NULL: never */
} cmcas_status_store_cmcas_t;

/* One background job's lease (table `cmcas_job`). */
typedef struct {
    const char *name;
    const char *owner;          /* "" before any server ran it */
    apr_int64_t lease_until;    /* seconds since the epoch */
} cmcas_status_store_job_t;

typedef struct {
    apr_int64_t schema_version;     /* 0: no row */
    apr_array_header_t *jobs;       /* of cmcas_status_store_job_t */
    apr_array_header_t *cmcas;      /* of cmcas_status_store_cmcas_t, by code */
} cmcas_status_store_report_t;

extern const cmcas_store_stmt_t cmcas_status_store_statements[];

/* Reads the whole report; `today` (YYYY-MM-DD, UTC) decides which draws are due.
 * APR_SUCCESS, or an error with *perr (the driver's message). */
apr_status_t cmcas_status_store_read(cmcas_status_store_report_t *rep,
                                     const cmcas_store_t *st, apr_pool_t *p,
                                     const char *today, const char **perr);

/* What a draw decided for activity `activity_id`: requests selected, waiting, not
 * selected (for the draw job's debug line). */
apr_status_t cmcas_status_store_draw_counts(int counts[3], const cmcas_store_t *st,
                                            apr_pool_t *p, apr_int64_t activity_id,
                                            const char **perr);

#endif
