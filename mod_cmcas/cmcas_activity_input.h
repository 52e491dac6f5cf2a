/* What the back-office's activity form asks for (« gestion-activite »): read, bounded and
 * checked before any database work, into the values to store and, for the form shown
 * again, the text as typed. Two kinds of problems: a form no page of ours can send (an
 * unknown theme, a repeated field: the parse's answer, 400) and a value the staff member
 * can correct (a date typed wrong, an end before the start: messages tied to their
 * fields, the form shown again). No httpd types. */
#ifndef cmcas_activity_input_h
#define cmcas_activity_input_h

#include <apr_pools.h>
#include <apr_tables.h>

#include "cmcas_activity.h"
#include "cmcas_form.h"

/* Bounds of the form's values (characters). */
#define CMCAS_ACTIVITY_INPUT_TITLE_MAX 200
#define CMCAS_ACTIVITY_INPUT_PLACE_MAX 200
#define CMCAS_ACTIVITY_INPUT_DESCRIPTION_MAX 4000
#define CMCAS_ACTIVITY_INPUT_LABEL_MAX 200
#define CMCAS_ACTIVITY_INPUT_CAPACITY_MAX 100000
/* The largest amount an option may have: 100 000,00 €. */
#define CMCAS_ACTIVITY_INPUT_AMOUNT_MAX 10000000
/* Option rows the form may post (option.1 ... option.N). */
#define CMCAS_ACTIVITY_INPUT_OPTIONS_MAX 40

/* A message for the staff member, tied to the form's field it is about. */
typedef struct {
    const char *field;          /* "end_date", "option.2.price_guest"... */
    const char *message;        /* French */
} cmcas_activity_input_error_t;

/* One row of the option editor. */
typedef struct {
    int row;                    /* N of its option.N.* fields */
    apr_int64_t id;             /* 0: a new option */
    int remove;                 /* « supprimer » ticked */
    /* As typed (amounts in euros, e.g. "30,00"; ages; position). */
    const char *label, *price_beneficiary, *participation_beneficiary, *price_guest,
        *participation_guest, *min_age, *max_age, *position;
    cmcas_activity_option_t value;  /* parsed: cents, ages (-1: none) */
    apr_int64_t position_value;
} cmcas_activity_input_option_t;

typedef struct {
    /* As typed (dates JJ/MM/AAAA), shown again with the messages. */
    const char *theme, *title, *description, *place, *start_date, *end_date,
        *closing_date, *capacity, *mode, *max_guests, *min_age, *max_age;
    int open_to_others, guests_allowed;
    /* Parsed: ISO dates, numbers, -1 for "none" (only meaningful without errors). */
    cmcas_activity_t value;
    apr_array_header_t *options;    /* cmcas_activity_input_option_t, rows not empty */
    apr_array_header_t *errors;     /* cmcas_activity_input_error_t */
} cmcas_activity_input_t;

/* Reads the posted form into *in and checks every value on its own and against the
 * others (in->errors). Returns NULL, or why the form is malformed (English, for the
 * log) with *pmessage (French). */
const char *cmcas_activity_input_parse(cmcas_activity_input_t *in, apr_pool_t *p,
                                       cmcas_form_t *form, const char **pmessage);

/* The form of a stored activity and its options, as a staff member would type it. */
void cmcas_activity_input_from(cmcas_activity_input_t *in, apr_pool_t *p,
                               const cmcas_activity_t *act,
                               const apr_array_header_t *options);

/* An empty form for a new activity (mode « paiement immédiat », guests allowed). */
void cmcas_activity_input_empty(cmcas_activity_input_t *in, apr_pool_t *p);

/* Adds a message about `field`. */
void cmcas_activity_input_error(cmcas_activity_input_t *in, const char *field,
                                const char *message);

/* An amount typed in euros, as cmcas_money_parse reads it, up to
 * CMCAS_ACTIVITY_INPUT_AMOUNT_MAX: APR_SUCCESS, APR_ERANGE or APR_EINVAL. */
apr_status_t cmcas_activity_input_money(apr_int64_t *pcents, const char *text);

#endif
