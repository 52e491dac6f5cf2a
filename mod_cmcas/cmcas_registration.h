/* Registration rules: who may be added, what must hold to validate, what it costs.
 * Plain values only (no httpd, no database): the store reads and writes these types. */
#ifndef cmcas_registration_h
#define cmcas_registration_h

#include <apr_pools.h>
#include <apr_tables.h>

#include "cmcas_activity.h"
#include "cmcas_date.h"
#include "cmcas_household.h"
#include "cmcas_status.h"

#define CMCAS_REGISTRATION_NAME_MAX 100         /* characters of a guest's name */
#define CMCAS_REGISTRATION_OBSERVATIONS_MAX 2000

typedef struct {
    apr_int64_t id;             /* registration_person id */
    apr_int64_t person_id;      /* 0 for a guest */
    const char *kind;           /* "OD", "AD" or "guest" */
    const char *first_name;
    const char *last_name;
    const char *birth_date;     /* ISO */
    int photo_optout;
    int confirmed;              /* holds its place (or is part of the validated request) */
    apr_array_header_t *options;    /* apr_int64_t option ids, ascending */
} cmcas_registration_participant_t;

/* What the « tour de rôle » draw decided for a request, and why (cmcas_draw.h); shown
 * to the member once the activity's results are published. */
typedef struct {
    const char *selection;      /* NULL: not drawn; "retenue", "attente", "non_retenue",
                                 * "liberee" (not paid in time), "renonce" (declined) */
    apr_int64_t rank;           /* in the priority order; 0 when not drawn */
    double history;             /* the weighted activities obtained recently */
    apr_int64_t coefficient;    /* coefficient social; -1: unknown */
    const char *tiebreak;       /* SHA-256("seed:id"), hex */
    apr_int64_t persons;        /* places it asked for */
    const char *pay_by;         /* ISO date, for a selected one */
    apr_int64_t waiting;        /* its place on the waiting list now (1-based), or 0 */
} cmcas_registration_draw_t;

typedef struct {
    apr_int64_t id;             /* 0: not stored yet */
    apr_int64_t activity_id;
    apr_int64_t household_id;
    cmcas_status_reg_t status;
    const char *observations;
    const char *created_at;     /* ISO 8601 UTC */
    apr_int64_t places_held;
    apr_array_header_t *participants;   /* cmcas_registration_participant_t */
    cmcas_registration_draw_t draw;
} cmcas_registration_t;

/* An empty, unstored registration of a household for an activity. */
cmcas_registration_t *cmcas_registration_new(apr_pool_t *p, apr_int64_t activity_id,
                                             apr_int64_t household_id);

cmcas_registration_participant_t *cmcas_registration_find(const cmcas_registration_t *reg,
                                                          apr_int64_t participant_id);
int cmcas_registration_has_person(const cmcas_registration_t *reg, apr_int64_t person_id);
int cmcas_registration_guests(const cmcas_registration_t *reg);
int cmcas_registration_unconfirmed(const cmcas_registration_t *reg);
int cmcas_registration_has_option(const cmcas_registration_participant_t *pa,
                                  apr_int64_t option_id);

/* The option with this id among `options` (cmcas_activity_option_t), or NULL. */
const cmcas_activity_option_t *cmcas_registration_option(const apr_array_header_t *options,
                                                      apr_int64_t option_id);
/* What a participant pays for an option, and the CMCAS's participation, by category. */
apr_int64_t cmcas_registration_price(const cmcas_registration_participant_t *pa,
                                     const cmcas_activity_option_t *opt);
apr_int64_t cmcas_registration_participation(const cmcas_registration_participant_t *pa,
                                             const cmcas_activity_option_t *opt);
/* Sum of the selected options' prices for one participant, and for all. */
apr_int64_t cmcas_registration_amount(const cmcas_registration_participant_t *pa,
                                      const apr_array_header_t *options);
apr_int64_t cmcas_registration_total(const cmcas_registration_t *reg,
                                     const apr_array_header_t *options);

/* Is payment due? A validated registration with a total above zero, of a « paiement
 * immédiat » activity or selected by a « tour de rôle » draw (`selection` "retenue"). */
int cmcas_registration_payment_due(cmcas_status_reg_t status, const char *mode,
                                   const char *selection, apr_int64_t total);
/* What the draw decided, as members may know it: NULL until the activity's results are
 * published (`published_at`). */
const char *cmcas_registration_selection(const cmcas_registration_draw_t *draw,
                                         const char *published_at);

/* A « tour de rôle » activity is drawn the day after its closing date (ISO date). */
const char *cmcas_registration_draw_date(apr_pool_t *p, const char *closing_date);

/* Where a registration stands, for the member: *pcode gets a code for the page
 * ("brouillon", "validee", "payee", "annulee", or for a « tour de rôle » request
 * "demande", "retenue", "attente", "non_retenue", "liberee", "renonce") and the French
 * label is returned: never « Validée » for a request that holds no place.
 * `selection` as cmcas_registration_selection gives it. */
const char *cmcas_registration_label(apr_pool_t *p, const char **pcode,
                                     cmcas_status_reg_t status, const char *mode,
                                     const char *selection,
                                     const cmcas_registration_draw_t *draw,
                                     const char *closing_date);

/* Each check returns NULL when allowed, else the reason in French for the member. */

/* Registrations are open until the closing date included. */
const char *cmcas_registration_check_open(apr_pool_t *p, const cmcas_activity_t *act,
                                          const cmcas_date_t *today);
/* A household of `household_cmcas` may register only for its CMCAS's activities or
 * for those open to other CMCAS. */
const char *cmcas_registration_check_household(apr_pool_t *p,
                                               const cmcas_activity_t *act,
                                               const char *household_cmcas);
/* Age limits on the activity's start date, for a person named `name`. */
const char *cmcas_registration_check_age(apr_pool_t *p, const cmcas_activity_t *act,
                                         const char *name, const char *birth_iso);
/* Options reserved to an age range (« Place enfant (< 12 ans) »): whether a person born
 * on `birth_iso` may take `opt` (age on the activity's start date), and the reason,
 * naming the person, when not. */
int cmcas_registration_option_fits(const cmcas_activity_t *act,
                                   const cmcas_activity_option_t *opt,
                                   const char *birth_iso);
const char *cmcas_registration_check_option(apr_pool_t *p, const cmcas_activity_t *act,
                                            const cmcas_activity_option_t *opt,
                                            const char *name, const char *birth_iso);
/* Whether one more guest may be added. */
const char *cmcas_registration_check_guest_slot(apr_pool_t *p,
                                                const cmcas_activity_t *act,
                                                const cmcas_registration_t *reg);
/* Validation: at least one participant, and one option each when there are options. */
const char *cmcas_registration_check_complete(apr_pool_t *p,
                                              const cmcas_registration_t *reg,
                                              const apr_array_header_t *options,
                                              int confirmed_only);

/* « Mes observations » with CRLF and CR made LF; NULL when longer than
 * CMCAS_REGISTRATION_OBSERVATIONS_MAX characters then. */
const char *cmcas_registration_observations(apr_pool_t *p, const char *text);

/* Checks a guest's typed fields: names of 1 to 100 characters (trimmed), a birth date
 * as JJ/MM/AAAA or AAAA-MM-JJ, real and not after today. On success fills *pfirst,
 * *plast and *pbirth_iso. */
const char *cmcas_registration_parse_guest(apr_pool_t *p, const char *last,
                                           const char *first, const char *birth,
                                           const cmcas_date_t *today,
                                           const char **plast, const char **pfirst,
                                           const char **pbirth_iso);

/* The form field a refused guest is about, in the order cmcas_registration_parse_guest
 * checks them: "invite-nom", "invite-prenom" or "invite-naissance" (ties the message to
 * its field on the page). */
const char *cmcas_registration_guest_field(apr_pool_t *p, const char *last,
                                           const char *first);

#endif
