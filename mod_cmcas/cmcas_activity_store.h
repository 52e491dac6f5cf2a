/* The back-office's writes of activities and their options (« prestations »), and what
 * an edit must know first: which options registrations chose. Every write of an activity
 * names the staff member's CMCAS; the conditional ones (capacity, mode, amounts of a
 * chosen option) are the rules themselves, so that a registration arriving between the
 * check and the write cannot be wronged: they change no row (*pone = 0) instead. */
#ifndef cmcas_activity_store_h
#define cmcas_activity_store_h

#include "cmcas_activity.h"
#include "cmcas_store.h"

extern const cmcas_store_stmt_t cmcas_activity_store_statements[];

/* A new activity of CMCAS act->cmcas_code (not published); *pid its id. */
apr_status_t cmcas_activity_store_insert(apr_int64_t *pid, const cmcas_store_t *st,
                                         apr_pool_t *p, const cmcas_activity_t *act,
                                         const char **perr);

/* Writes the activity's fields (not its places taken, publication, image nor draw),
 * provided it is of act->cmcas_code, its places taken fit the new capacity, and the
 * mode changes only without a registration that is not cancelled. */
apr_status_t cmcas_activity_store_update(int *pone, const cmcas_store_t *st, apr_pool_t *p,
                                         const cmcas_activity_t *act, const char **perr);

/* Publishes (`at`: the ISO day) or unpublishes (`at` NULL) the activity, when it is of that
 * CMCAS and not already so. */
apr_status_t cmcas_activity_store_publish(int *pone, const cmcas_store_t *st, apr_pool_t *p,
                                          apr_int64_t id, const char *cmcas_code,
                                          const char *at, const char **perr);

/* Points the activity's picture at `image` (a URL path; NULL: none). */
apr_status_t cmcas_activity_store_set_image(int *pone, const cmcas_store_t *st,
                                            apr_pool_t *p, apr_int64_t id,
                                            const char *cmcas_code, const char *image,
                                            const char **perr);

/* A new option of the activity; *pid its id. */
apr_status_t cmcas_activity_store_option_insert(apr_int64_t *pid, const cmcas_store_t *st,
                                                apr_pool_t *p, apr_int64_t activity_id,
                                                const cmcas_activity_option_t *o,
                                                apr_int64_t position, const char **perr);
/* Writes an option, unless its amounts change while a registration that is not
 * cancelled chose it. */
apr_status_t cmcas_activity_store_option_update(int *pone, const cmcas_store_t *st,
                                                apr_pool_t *p, apr_int64_t activity_id,
                                                const cmcas_activity_option_t *o,
                                                apr_int64_t position, const char **perr);
/* Deletes an option no registration ever chose. */
apr_status_t cmcas_activity_store_option_delete(int *pone, const cmcas_store_t *st,
                                                apr_pool_t *p, apr_int64_t activity_id,
                                                apr_int64_t option_id, const char **perr);

/* How many registrations chose each option of the activity. */
typedef struct {
    apr_int64_t option_id;
    apr_int64_t active;         /* registrations not cancelled */
    apr_int64_t all;            /* cancelled ones too */
} cmcas_activity_store_usage_t;

/* The activity's options with their use (array of cmcas_activity_store_usage_t). */
apr_status_t cmcas_activity_store_usage(apr_array_header_t **pusage,
                                        const cmcas_store_t *st, apr_pool_t *p,
                                        apr_int64_t activity_id, const char **perr);

/* The activity's registrations that are not cancelled. */
apr_status_t cmcas_activity_store_registrations(apr_int64_t *pcount,
                                                const cmcas_store_t *st, apr_pool_t *p,
                                                apr_int64_t activity_id, const char **perr);

#endif
