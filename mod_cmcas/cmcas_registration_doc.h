/* The registration page documents (`inscription`, `inscriptions`, `consultation`). */
#ifndef cmcas_registration_doc_h
#define cmcas_registration_doc_h

#include <libxml/tree.h>

#include "cmcas_catalog.h"
#include "cmcas_registration.h"
#include "cmcas_registration_store.h"

typedef struct {
    const cmcas_activity_t *act;
    const apr_array_header_t *options;      /* cmcas_activity_option_t */
    const cmcas_registration_t *reg;
    const apr_array_header_t *persons;      /* the household (cmcas_household_person_t) */
    const cmcas_catalog_ctx_t *ctx;
    const char *base;                       /* the portal's URL prefix */
    const char *csrf;                       /* NULL: read-only page */
    const char *renounce_csrf;              /* « Je renonce » offered when set */
    int window_months;                      /* the organiser's CMCASDrawWindow */
} cmcas_registration_doc_t;

/* <inscription> with the activity, the choices, the participants and the total.
 * Returns the element so that the caller can add a message. */
xmlNodePtr cmcas_registration_doc_page(xmlNodePtr root, const cmcas_registration_doc_t *d,
                                       apr_pool_t *p);
/* <tirage> of a « tour de rôle » activity: its date, the seed's commitment (the seed
 * itself once published), the rule in French, and, once published, why the
 * registration got its result (<resultat>). Nothing for other activities. */
void cmcas_registration_doc_draw(xmlNodePtr ins, const cmcas_registration_doc_t *d,
                                 apr_pool_t *p);
/* <message type="error|info">text</message> */
xmlNodePtr cmcas_registration_doc_message(xmlNodePtr ins, const char *type, const char *text);
/* <inscriptions> of « Mes inscriptions » (rows: cmcas_registration_store_row_t). */
void cmcas_registration_doc_list(xmlNodePtr root, const apr_array_header_t *rows,
                                 const char *base, apr_pool_t *p);
/* <history> of a registration (events: cmcas_store_event_t), each event
 * with its UTC time (@at) and the server's local time for display (@local). */
void cmcas_registration_doc_history(xmlNodePtr ins, const apr_array_header_t *events,
                                    apr_pool_t *p);

#endif
