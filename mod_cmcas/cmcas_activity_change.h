/* The back-office's changes of an activity: create, edit (with its options), publish,
 * unpublish, give it a picture. Each runs in one transaction with its audit line (the
 * fields that changed, before and after), only on an activity of the staff member's
 * CMCAS (another's id is "not found", like a missing one). An edit never changes what
 * registered households owe: the amounts of an option a registration that is not
 * cancelled chose stay, such an option stays, the mode stays once a registration exists,
 * and the capacity never goes below the places taken. No httpd types. */
#ifndef cmcas_activity_change_h
#define cmcas_activity_change_h

#include "cmcas_activity_input.h"
#include "cmcas_image.h"
#include "cmcas_result.h"
#include "cmcas_staff.h"
#include "cmcas_store.h"

/* Creates the activity of `in` (checked: no in->errors) with its options, unpublished;
 * *pid its id. */
cmcas_result_kind_t cmcas_activity_change_create(cmcas_result_t *res, apr_int64_t *pid,
                                                 cmcas_store_t *st, apr_pool_t *p,
                                                 const cmcas_staff_t *staff, apr_time_t now,
                                                 const cmcas_activity_input_t *in);

/* Writes `in` over activity `id`. A rule the registrations impose adds its message to
 * in->errors and answers REFUSED, nothing written; an option row of another activity is
 * BAD_INPUT. */
cmcas_result_kind_t cmcas_activity_change_update(cmcas_result_t *res, cmcas_store_t *st,
                                                 apr_pool_t *p, const cmcas_staff_t *staff,
                                                 apr_time_t now, apr_int64_t id,
                                                 cmcas_activity_input_t *in);

/* Publishes (publish = 1) or unpublishes the activity; CONFLICT when it is so already. */
cmcas_result_kind_t cmcas_activity_change_publish(cmcas_result_t *res, cmcas_store_t *st,
                                                  apr_pool_t *p, const cmcas_staff_t *staff,
                                                  apr_time_t now, apr_int64_t id,
                                                  int publish);

/* Keeps the picture (checked by cmcas_image_check) and makes it the activity's. */
cmcas_result_kind_t cmcas_activity_change_image(cmcas_result_t *res, cmcas_store_t *st,
                                                apr_pool_t *p, const cmcas_staff_t *staff,
                                                apr_time_t now, apr_int64_t id,
                                                const cmcas_image_t *img,
                                                const unsigned char *data, apr_size_t len);

/* The options of activity `id` of the CMCAS with the registrations that chose each (for
 * the form): *pact NULL and NOT_FOUND when it is not the CMCAS's. */
cmcas_result_kind_t cmcas_activity_change_read(cmcas_result_t *res, cmcas_activity_t **pact,
                                               apr_array_header_t **poptions,
                                               apr_array_header_t **pusage,
                                               apr_int64_t *pregistrations,
                                               cmcas_store_t *st, apr_pool_t *p,
                                               const char *cmcas_code, apr_int64_t id);

#endif
