/* The back-office's reads of registrations: an activity's registrations with their
 * households, persons, options and orders (cmcas_staff_registration.h), and which
 * activity and household a registration id is. Every read takes the staff member's
 * CMCAS code: another CMCAS's registration reads as none. */
#ifndef cmcas_staff_registration_store_h
#define cmcas_staff_registration_store_h

#include "cmcas_store.h"
#include "cmcas_staff_registration.h"

extern const cmcas_store_stmt_t cmcas_staff_registration_store_statements[];

/* Every registration of activity `activity_id` (drafts included), by id (array of
 * cmcas_staff_registration_t), with its orders paid to `cmcas_code`. The caller has
 * checked that the activity is that CMCAS's. */
apr_status_t cmcas_staff_registration_store_list(apr_array_header_t **plist,
                                                 const cmcas_store_t *st, apr_pool_t *p,
                                                 apr_int64_t activity_id,
                                                 const char *cmcas_code, const char **perr);

/* The activity and household of registration `id`, when its activity is `cmcas_code`'s
 * (APR_NOTFOUND otherwise). */
apr_status_t cmcas_staff_registration_store_key(apr_int64_t *pactivity_id,
                                                apr_int64_t *phousehold_id,
                                                const cmcas_store_t *st, apr_pool_t *p,
                                                apr_int64_t id, const char *cmcas_code,
                                                const char **perr);

#endif
