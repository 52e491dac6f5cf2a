/* The registrations of one activity as the CMCAS's staff see them (issue 11): each
 * household's registration with its persons, options, photo/video opt-outs,
 * observations, status as the member reads it, and orders; the status filters of the
 * list, and its CSV export for the organisers. Plain values (the store reads them);
 * no httpd types. */
#ifndef cmcas_staff_registration_h
#define cmcas_staff_registration_h

#include <apr_pools.h>
#include <apr_tables.h>

#include "cmcas_activity.h"
#include "cmcas_registration.h"

typedef struct {
    cmcas_registration_t reg;       /* participants with their options, the draw */
    const char *login;              /* the household's */
    const char *email;
    const char *phone;              /* NULL when none */
    const char *od_first_name;      /* its ouvrant droit */
    const char *od_last_name;
    apr_array_header_t *orders;     /* cmcas_order_t paid to the CMCAS, oldest first */
} cmcas_staff_registration_t;

/* The list's filters (?statut=...). */
typedef enum {
    CMCAS_STAFF_REGISTRATION_ALL_BUT_DRAFTS,    /* no ?statut */
    CMCAS_STAFF_REGISTRATION_ALL,               /* toutes */
    CMCAS_STAFF_REGISTRATION_DRAFT,             /* brouillon */
    CMCAS_STAFF_REGISTRATION_VALIDATED,         /* validee */
    CMCAS_STAFF_REGISTRATION_TO_PAY,            /* attente-paiement */
    CMCAS_STAFF_REGISTRATION_PAID,              /* payee */
    CMCAS_STAFF_REGISTRATION_CANCELLED,         /* annulee */
    CMCAS_STAFF_REGISTRATION_REQUEST,           /* demande: « tour de rôle », not drawn */
    CMCAS_STAFF_REGISTRATION_SELECTED,          /* retenue */
    CMCAS_STAFF_REGISTRATION_WAITING,           /* liste-attente */
    CMCAS_STAFF_REGISTRATION_NOT_SELECTED,      /* non-retenue */
    CMCAS_STAFF_REGISTRATION_FILTER_COUNT
} cmcas_staff_registration_filter_t;

/* The filter of a ?statut value (NULL or "": the default); -1 when it is none. */
int cmcas_staff_registration_filter_parse(const char *value);
/* Its ?statut value ("" for the default) and its French label. */
const char *cmcas_staff_registration_filter_code(cmcas_staff_registration_filter_t f);
const char *cmcas_staff_registration_filter_label(cmcas_staff_registration_filter_t f);

/* Sets each waiting request's place on the waiting list (reg.draw.waiting), in rank
 * order, as the member's page counts it. */
void cmcas_staff_registration_rank_waiting(apr_array_header_t *list);

/* The status as the member reads it (cmcas_registration_label), and its code. */
const char *cmcas_staff_registration_label(apr_pool_t *p, const char **pcode,
                                           const cmcas_activity_t *act,
                                           const cmcas_staff_registration_t *r);

/* Whether the registration is shown under the filter. */
int cmcas_staff_registration_matches(const cmcas_activity_t *act,
                                     const apr_array_header_t *options,
                                     const cmcas_staff_registration_t *r,
                                     cmcas_staff_registration_filter_t f);

/* The registrations of `list` the filter shows (array of cmcas_staff_registration_t). */
apr_array_header_t *cmcas_staff_registration_select(apr_pool_t *p,
                                                    const cmcas_activity_t *act,
                                                    const apr_array_header_t *options,
                                                    const apr_array_header_t *list,
                                                    cmcas_staff_registration_filter_t f);

/* Age in full years on the activity's first day; -1 when a date is unknown. */
int cmcas_staff_registration_age(const cmcas_activity_t *act, const char *birth_iso);

/* The labels of the participant's options, « , » between them ("" when none). */
const char *cmcas_staff_registration_options(apr_pool_t *p,
                                             const apr_array_header_t *options,
                                             const cmcas_registration_participant_t *pa);

/* The export (cmcas_csv.h): a header line, then one line per person of the registrations
 * of `list` (already filtered); with `optouts_only`, only the persons who refuse photos
 * and videos. */
const char *cmcas_staff_registration_csv(apr_pool_t *p, apr_size_t *plen,
                                         const cmcas_activity_t *act,
                                         const apr_array_header_t *options,
                                         const apr_array_header_t *list,
                                         int optouts_only);

#endif
