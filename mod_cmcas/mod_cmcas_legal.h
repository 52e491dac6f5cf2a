/* « Conditions d'utilisation » and the CGV of each CMCAS: pages of the texts the
 * administrator provides (CMCASTermsFile, CMCASCGVFile), read at start-up. */
#ifndef mod_cmcas_legal_h
#define mod_cmcas_legal_h

#include "mod_cmcas_request.h"

/* Whether `path` (below the portal's prefix) is one of these pages: /conditions-utilisation,
 * /cgv, /cgv/{CODE}. */
int mod_cmcas_legal_path(const char *path);

/* GET the page of `path`; 404 when the CMCAS is not declared or has no such text. */
int mod_cmcas_legal_page(mod_cmcas_request_t *rq, const char *path);

#endif
