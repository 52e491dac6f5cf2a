/* A household: the ouvrant droit's account and its persons, as the rules and pages see
 * them (the store reads them; nothing here knows the database). */
#ifndef cmcas_household_h
#define cmcas_household_h

#include <apr.h>

typedef struct {
    apr_int64_t id;
    const char *cmcas_code;
    const char *login;
    const char *email;
    const char *phone;
    const char *street;
    const char *postcode;
    const char *city;
    const char *od_first_name;
    const char *od_last_name;
} cmcas_household_t;

typedef struct {
    apr_int64_t id;
    const char *role;           /* "OD" or "AD" */
    const char *first_name;
    const char *last_name;
    const char *birth_date;     /* ISO */
} cmcas_household_person_t;

#endif
