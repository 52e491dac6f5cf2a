/* The member's own contact and billing address, as typed in « Mes informations » and
 * « Mes adresses »: checked and normalised here (no httpd types, no database). Each
 * checker returns NULL when the value holds (with *pout normalised) or the French
 * message for the member. */
#ifndef cmcas_account_input_h
#define cmcas_account_input_h

#include <apr_pools.h>

#include "cmcas_form.h"

#define CMCAS_ACCOUNT_INPUT_EMAIL_MAX 254       /* RFC 5321's path limit */
#define CMCAS_ACCOUNT_INPUT_STREET_MAX 100      /* characters, each line */
#define CMCAS_ACCOUNT_INPUT_CITY_MAX 60
#define CMCAS_ACCOUNT_INPUT_COUNTRY_MAX 60      /* the schema's CHECK on country */

/* The contact: e-mail (required), phone (may be ""). */
typedef struct {
    const char *email;
    const char *phone;
    const char *email_error;    /* French, NULL when the field holds */
    const char *phone_error;
} cmcas_account_input_contact_t;

/* The billing address: street on one or two lines (stored joined by "\n"). */
typedef struct {
    const char *street1;
    const char *street2;        /* "" when none */
    const char *postcode;
    const char *city;
    const char *country;
    const char *street_error;   /* French, NULL when the field holds */
    const char *postcode_error;
    const char *city_error;
    const char *country_error;
} cmcas_account_input_address_t;

/* An e-mail address: local@domain, ASCII, at most 254 characters, a dotted domain. */
const char *cmcas_account_input_email(const char *in, apr_pool_t *p, const char **pout);
/* A phone: French formats (« 0612345678 », « 06.12.34.56.78 », « +33 6 12 34 56 78 »,
 * « 0033… ») normalised to « 06 12 34 56 78 »; an international « +CC… » kept as its
 * digits; "" (or blanks) is no phone. */
const char *cmcas_account_input_phone(const char *in, apr_pool_t *p, const char **pout);
/* A postal code: 5 digits when the country is France, else 1 to 10 letters, digits,
 * blanks or hyphens. */
const char *cmcas_account_input_postcode(const char *in, const char *country,
                                         apr_pool_t *p, const char **pout);
/* One line of text of 1 (0 when `optional`) to `max` characters, valid UTF-8 without
 * control characters, trimmed. `what` names it in the message (« La ville »). */
const char *cmcas_account_input_line(const char *in, apr_size_t max, int optional,
                                     const char *what, apr_pool_t *p, const char **pout);
/* Whether a country names France (« France », « FRANCE », « france »). */
int cmcas_account_input_is_france(const char *country);

/* The posted forms (fields email, telephone; rue1, rue2, code_postal, ville, pays).
 * Returns the number of fields that do not hold (their *_error set, the values echoed
 * as typed); 0 when all hold (the values normalised). A form no page of ours sends
 * (a field repeated) counts as an error on that field. */
int cmcas_account_input_contact(cmcas_account_input_contact_t *c, apr_pool_t *p,
                                cmcas_form_t *form);
int cmcas_account_input_address(cmcas_account_input_address_t *a, apr_pool_t *p,
                                cmcas_form_t *form);
/* The street as stored: the lines joined by "\n". */
const char *cmcas_account_input_street(const cmcas_account_input_address_t *a,
                                       apr_pool_t *p);

#endif
