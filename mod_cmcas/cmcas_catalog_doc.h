/* The catalog's parts of a page document: the list (<catalogue>) and an activity's
 * detail (<activite>). No httpd types. */
#ifndef cmcas_catalog_doc_h
#define cmcas_catalog_doc_h

#include <libxml/tree.h>

#include "cmcas_catalog.h"

/* Adds <catalogue>: the activities of the requested page (`page`, at most a page size of
 * them) out of `total`; APR_NOTFOUND when the requested page is past the last one. */
apr_status_t cmcas_catalog_doc_list(xmlNodePtr root, const cmcas_catalog_query_t *query,
                                    const apr_array_header_t *page, int total,
                                    const cmcas_catalog_ctx_t *ctx, apr_pool_t *p);
/* Adds <activite> with its options (array of cmcas_activity_option_t); links start
 * with the portal's URL prefix `base`. */
/* <tirage> of a « tour de rôle » activity (NULL for others): its date, the seed's
 * SHA-256 until the results are published, then the seed itself (@published) and the
 * link to its data (@data, cmcas_draw_csv.h), and the rule in French with the
 * organiser's window. */
xmlNodePtr cmcas_catalog_doc_draw(xmlNodePtr parent, const cmcas_activity_t *act,
                                  int window_months, const char *base, apr_pool_t *p);
void cmcas_catalog_doc_detail(xmlNodePtr root, const cmcas_activity_t *act,
                              const apr_array_header_t *options,
                              const cmcas_catalog_ctx_t *ctx, const char *base,
                              apr_pool_t *p);

#endif
