/* The member's invoices and credit notes as PDF downloads:
 * mes-commandes/{ref}/facture.pdf and mes-commandes/{ref}/avoir.pdf below the portal. */
#ifndef mod_cmcas_invoice_h
#define mod_cmcas_invoice_h

#include "mod_cmcas_request.h"

/* `rest` is what follows "/mes-commandes/": "facture" for "ABCDEFGHI/facture.pdf",
 * "avoir" for "ABCDEFGHI/avoir.pdf" (a well-formed reference), NULL otherwise. */
const char *mod_cmcas_invoice_kind(const char *rest);

/* Answers GET on such a `rest`: the PDF of the logged-in household's document, as an
 * attachment; 404 when that order of that household has none (another household's
 * order, a missing one and one not invoiced answer the same). */
int mod_cmcas_invoice_serve(mod_cmcas_request_t *rq, const char *rest);

/* child_init hook: fontconfig loaded once per process, before the first download. */
void mod_cmcas_invoice_child_init(apr_pool_t *p, server_rec *s);

#endif
