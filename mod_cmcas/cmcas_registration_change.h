/* The changes of a registration: the member's post on the registration page (add or
 * remove a person, options and photo choices, observations, validate, cancel), and its
 * release when a validated registration is never paid. Each runs in one transaction under
 * the registration's lock and returns a cmcas_result_t. No httpd types. */
#ifndef cmcas_registration_change_h
#define cmcas_registration_change_h

#include "cmcas_registration.h"
#include "cmcas_registration_input.h"
#include "cmcas_result.h"
#include "cmcas_store.h"

/* Who posts, and what the page knew when it read the activity. */
typedef struct {
    const cmcas_household_t *household;
    const apr_array_header_t *persons;      /* cmcas_household_person_t */
    const cmcas_activity_t *act;
    const apr_array_header_t *options;      /* cmcas_activity_option_t */
    const cmcas_date_t *today;
    const char *actor;
    apr_time_t now;
} cmcas_registration_change_who_t;

typedef struct {
    cmcas_result_t res;
    apr_int64_t registration_id;            /* 0 when none exists (yet) */
    int echo_guest;                         /* refused for the typed guest: show it again */
} cmcas_registration_change_outcome_t;

/* Applies the post `in`: the check boxes first, then the action. A refused action keeps
 * the check boxes (the member's choices are not lost) unless the registration did not
 * exist before: a refused first person leaves nothing behind. */
void cmcas_registration_change_post(cmcas_registration_change_outcome_t *out,
                                    cmcas_store_t *st, apr_pool_t *p,
                                    const cmcas_registration_change_who_t *who,
                                    const cmcas_registration_input_t *in);

/* Cancels a validated « paiement immédiat » registration never taken to payment (no
 * order holds it), under its lock; *preleased = 0 when it moved on meanwhile. */
void cmcas_registration_change_release(cmcas_result_t *res, int *preleased,
                                       cmcas_store_t *st, apr_pool_t *p, apr_time_t now,
                                       apr_int64_t activity_id, apr_int64_t household_id);

#endif
