/* The document of the page « Modifier l'inscription » (gestion-inscription-modifier):
 * the paid registration's participants with their options as check boxes and
 * « Retirer », the persons of the household not registered and « Invité(s) » when
 * allowed, the options a new person may take, what was paid, and the adjustment just
 * made. No httpd types. */
#ifndef cmcas_registration_amend_doc_h
#define cmcas_registration_amend_doc_h

#include <libxml/tree.h>

#include "cmcas_registration_amend.h"

/* <modification>; `done`: the adjustment order just made (its reference, NULL when the
 * change cost nothing), shown as the result of the post. */
xmlNodePtr cmcas_registration_amend_doc(xmlNodePtr root,
                                        const cmcas_registration_amend_view_t *v,
                                        const char *base, const cmcas_order_t *done,
                                        int changed, apr_pool_t *p);

#endif
