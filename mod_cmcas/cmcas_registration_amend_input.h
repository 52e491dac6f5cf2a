/* What staff post on the page « Modifier l'inscription » of a paid registration (issue
 * 11), read and bounded before any database work: per listed participant the options
 * checked and « Retirer »; the person or guest to add with its options; the reason (the
 * member's request). No httpd types. */
#ifndef cmcas_registration_amend_input_h
#define cmcas_registration_amend_input_h

#include <apr_pools.h>
#include <apr_tables.h>

#include "cmcas_form.h"

/* The check boxes of one listed participant. */
typedef struct {
    apr_int64_t participant_id;
    apr_array_header_t *options;        /* apr_int64_t option ids, as posted */
    int remove;                         /* « Retirer » */
} cmcas_registration_amend_choice_t;

typedef struct {
    apr_array_header_t *choices;        /* cmcas_registration_amend_choice_t */
    apr_int64_t person_id;              /* a person of the household to add, or 0 */
    int guest;                          /* a guest to add, with the typed fields: */
    const char *guest_last, *guest_first, *guest_birth;
    apr_array_header_t *new_options;    /* the added person's options (apr_int64_t) */
    const char *reason;                 /* « motif », as posted (NULL: none) */
} cmcas_registration_amend_input_t;

/* Reads `form` into *in. Returns NULL, or why it is malformed (English, for the log)
 * with *pmessage for staff (French). */
const char *cmcas_registration_amend_input_parse(cmcas_registration_amend_input_t *in,
                                                 apr_pool_t *p, cmcas_form_t *form,
                                                 const char **pmessage);

/* 1 when the post asks to add someone. */
int cmcas_registration_amend_input_adds(const cmcas_registration_amend_input_t *in);

#endif
