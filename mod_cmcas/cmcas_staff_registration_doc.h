/* The page document of the back-office's list of an activity's registrations
 * (« gestion-inscriptions »; docs/http-interface.md). No httpd types. */
#ifndef cmcas_staff_registration_doc_h
#define cmcas_staff_registration_doc_h

#include <libxml/tree.h>

#include "cmcas_staff_registration.h"

/* <inscriptions statut="..."> under `root`: the activity, the filters, the counts, the
 * registrations of `list` (already filtered) and the persons who refuse photos. */
void cmcas_staff_registration_doc(xmlNodePtr root, apr_pool_t *p,
                                  const cmcas_activity_t *act,
                                  const apr_array_header_t *options,
                                  const apr_array_header_t *list,
                                  cmcas_staff_registration_filter_t filter);

#endif
