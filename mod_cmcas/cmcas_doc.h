/* The page data document: a libxml2 tree owned by a pool, and the blocks every page has. */
#ifndef cmcas_doc_h
#define cmcas_doc_h

#include <apr_pools.h>
#include <libxml/tree.h>

/* What a page shows of a CMCAS (the portal's, from its <CMCAS> block). */
typedef struct {
    const char *code;
    const char *name;
    const char *street;
    const char *postcode;
    const char *city;
    const char *phone;
    const char *email;
} cmcas_doc_site_t;

/* A new document <page name="..." lang="fr">, freed with the pool. */
xmlDocPtr cmcas_doc_new(apr_pool_t *p, const char *page_name, xmlNodePtr *proot);

/* <name>text</name> under parent, text escaped by libxml2; no child when text is NULL. */
xmlNodePtr cmcas_doc_text(xmlNodePtr parent, const char *name, const char *text);
xmlNodePtr cmcas_doc_elem(xmlNodePtr parent, const char *name);
void cmcas_doc_attr(xmlNodePtr node, const char *name, const char *value);
void cmcas_doc_attr_int(xmlNodePtr node, const char *name, apr_int64_t value);
/* <name iso="2026-05-17">17/05/2026</name>; nothing when iso is not a valid date. */
xmlNodePtr cmcas_doc_date(xmlNodePtr parent, const char *name, const char *iso,
                          apr_pool_t *p);
/* <name cents="3000">30,00 €</name> */
xmlNodePtr cmcas_doc_money(xmlNodePtr parent, const char *name, apr_int64_t cents,
                           apr_pool_t *p);

/* The blocks at the top of every page. `user_login`/`user_name` may be NULL (no user);
 * `theme` is the selected theme code or NULL. */
void cmcas_doc_site(xmlNodePtr root, const cmcas_doc_site_t *site);
void cmcas_doc_user(xmlNodePtr root, const char *user_login, const char *user_name);
void cmcas_doc_themes(xmlNodePtr root, const char *theme);

#endif
