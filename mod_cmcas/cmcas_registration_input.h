/* What a posted registration form asks for, read and bounded before any database work:
 * the action, the check boxes of the participants the page listed, the observations,
 * and the person or guest to add. No httpd types. */
#ifndef cmcas_registration_input_h
#define cmcas_registration_input_h

#include <apr_pools.h>
#include <apr_tables.h>

#include "cmcas_form.h"

typedef enum {
    CMCAS_REGISTRATION_INPUT_ADD,       /* « Ajouter » */
    CMCAS_REGISTRATION_INPUT_REMOVE,    /* « Retirer » */
    CMCAS_REGISTRATION_INPUT_SAVE,      /* « Enregistrer » */
    CMCAS_REGISTRATION_INPUT_VALIDATE,  /* « Valider votre inscription » */
    CMCAS_REGISTRATION_INPUT_CANCEL     /* « Annuler votre inscription » */
} cmcas_registration_input_action_t;

/* The check boxes of one listed participant. */
typedef struct {
    apr_int64_t participant_id;
    apr_array_header_t *options;        /* apr_int64_t option ids, as posted */
    int photo_optout;
} cmcas_registration_input_choice_t;

typedef struct {
    cmcas_registration_input_action_t action;
    const char *code;                   /* "ajouter", "retirer"…: the page's info */
    apr_array_header_t *choices;        /* cmcas_registration_input_choice_t */
    const char *observations;           /* CRLF made LF; NULL: not posted */
    apr_int64_t remove_id;              /* REMOVE: the participant */
    apr_int64_t person_id;              /* ADD: a person of the household, or 0 */
    int guest;                          /* ADD: a guest, with the typed fields: */
    const char *guest_last, *guest_first, *guest_birth;
} cmcas_registration_input_t;

/* Reads `form` into *in. Returns NULL, or why it is malformed (English, for the log)
 * with *pmessage for the member (French). */
const char *cmcas_registration_input_parse(cmcas_registration_input_t *in, apr_pool_t *p,
                                           cmcas_form_t *form, const char **pmessage);

#endif
