/* An invoice or a credit note (cmcas_invoice_t) as an A4 PDF: cairo draws, pango lays
 * the text out (real, selectable text; the fonts embedded as subsets). No httpd types. */
#ifndef cmcas_invoice_pdf_h
#define cmcas_invoice_pdf_h

#include <apr_pools.h>

#include "cmcas_invoice.h"

/* Bounds of what is rendered: past them the invoice is refused, never allocated without
 * end (a real order has a few lines and one to a few instalments). */
#define CMCAS_INVOICE_PDF_MAX_LINES 2000
#define CMCAS_INVOICE_PDF_MAX_INSTALMENTS 36
#define CMCAS_INVOICE_PDF_MAX_TEXT 2000         /* bytes of one field */
#define CMCAS_INVOICE_PDF_MAX_BYTES (32u << 20)  /* of the PDF */

/* The font family (Debian: fonts-dejavu-core); fontconfig falls back to another one. */
#define CMCAS_INVOICE_PDF_FONT "DejaVu Sans"

/* Loads fontconfig's configuration once per process (a child's start), so that the
 * first download does not pay it. Safe to skip: the first render does it then. */
void cmcas_invoice_pdf_init(void);

/* Renders `inv` into *pdata (allocated from p) of *plen bytes: the title « FACTURE » or
 * « AVOIR » with its number and date, seller and buyer, the order and the activity,
 * the lines and totals, the payment and its instalments, the legal mentions and
 * « Page n / m » at the foot of each page; the table goes on over as many pages as it
 * needs, its header repeated. APR_EINVAL with *perr (English, for the log) when the
 * invoice is malformed or out of bounds; APR_EGENERAL when cairo failed. */
apr_status_t cmcas_invoice_pdf_render(const cmcas_invoice_t *inv, apr_pool_t *p,
                                      const char **pdata, apr_size_t *plen,
                                      const char **perr);

/* The file name a download proposes: "facture-BN-2026-00042.pdf" (characters outside
 * [A-Za-z0-9._-] of the number replaced by "_"). */
const char *cmcas_invoice_pdf_filename(apr_pool_t *p, const cmcas_invoice_t *inv);

#endif
