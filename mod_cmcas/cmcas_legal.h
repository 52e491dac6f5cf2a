/* The texts the administrator provides per CMCAS (CMCASTermsFile, CMCASCGVFile): plain
 * text made into a page's elements (no httpd types). The subset: paragraphs separated by
 * blank lines; a paragraph « # Titre » is a heading; lines « - élément » a list. Nothing
 * else has a meaning: every character is text, escaped by the stylesheet. */
#ifndef cmcas_legal_h
#define cmcas_legal_h

#include <apr_pools.h>
#include <libxml/tree.h>

#define CMCAS_LEGAL_MAX_BYTES (256 * 1024)

/* What is wrong with a text as a file gave it (English, for apachectl -t), or NULL:
 * empty, larger than CMCAS_LEGAL_MAX_BYTES, not UTF-8, or characters XML does not allow. */
const char *cmcas_legal_check(const char *text, apr_size_t len);

/* Appends the text's blocks to `parent`: <titre>, <p>, <liste><item/></liste>, in order.
 * Lines of a paragraph are joined by a space; "\r" is ignored. */
void cmcas_legal_doc(xmlNodePtr parent, const char *text, apr_pool_t *p);

#endif
