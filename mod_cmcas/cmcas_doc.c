#include <stdlib.h>
#include <apr_strings.h>

#include "cmcas_doc.h"
#include "cmcas_date.h"
#include "cmcas_money.h"
#include "cmcas_text.h"
#include "cmcas_theme.h"

static apr_status_t cmcas_doc_free(void *doc)
{
    xmlFreeDoc(doc);
    return APR_SUCCESS;
}

xmlDocPtr cmcas_doc_new(apr_pool_t *p, const char *page_name, xmlNodePtr *proot)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "page", NULL);

    xmlDocSetRootElement(doc, root);
    xmlNewProp(root, BAD_CAST "name", BAD_CAST page_name);
    xmlNewProp(root, BAD_CAST "lang", BAD_CAST "fr");
    apr_pool_cleanup_register(p, doc, cmcas_doc_free, apr_pool_cleanup_null);
    *proot = root;
    return doc;
}

xmlNodePtr cmcas_doc_text(xmlNodePtr parent, const char *name, const char *text)
{
    xmlNodePtr node;
    char *clean;

    if (!text) {
        return NULL;
    }
    /* xmlNewTextChild escapes; xmlNewChild would take '&' as an entity start. */
    if (cmcas_text_xml_valid(text, strlen(text))) {
        return xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST text);
    }
    /* Data that is not XML text (bad bytes in the database) must not make the
     * document ill-formed: show U+FFFD instead. */
    clean = cmcas_text_xml_clean(text);
    node = xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST (clean ? clean : ""));
    free(clean);
    return node;
}

xmlNodePtr cmcas_doc_elem(xmlNodePtr parent, const char *name)
{
    return xmlNewChild(parent, NULL, BAD_CAST name, NULL);
}

void cmcas_doc_attr(xmlNodePtr node, const char *name, const char *value)
{
    char *clean;

    if (!value) {
        return;
    }
    if (cmcas_text_xml_valid(value, strlen(value))) {
        xmlNewProp(node, BAD_CAST name, BAD_CAST value);
        return;
    }
    clean = cmcas_text_xml_clean(value);
    xmlNewProp(node, BAD_CAST name, BAD_CAST (clean ? clean : ""));
    free(clean);
}

void cmcas_doc_attr_int(xmlNodePtr node, const char *name, apr_int64_t value)
{
    char buf[32];
    apr_snprintf(buf, sizeof(buf), "%" APR_INT64_T_FMT, value);
    xmlNewProp(node, BAD_CAST name, BAD_CAST buf);
}

xmlNodePtr cmcas_doc_date(xmlNodePtr parent, const char *name, const char *iso,
                          apr_pool_t *p)
{
    const char *fr = cmcas_date_iso_to_fr(p, iso);
    xmlNodePtr node;

    if (!fr) {
        return NULL;
    }
    node = cmcas_doc_text(parent, name, fr);
    cmcas_doc_attr(node, "iso", iso);
    return node;
}

xmlNodePtr cmcas_doc_money(xmlNodePtr parent, const char *name, apr_int64_t cents,
                           apr_pool_t *p)
{
    xmlNodePtr node = cmcas_doc_text(parent, name, cmcas_money_format(p, cents));
    cmcas_doc_attr_int(node, "cents", cents);
    return node;
}

void cmcas_doc_site(xmlNodePtr root, const cmcas_doc_site_t *site)
{
    xmlNodePtr cmcas = cmcas_doc_elem(cmcas_doc_elem(root, "site"), "cmcas");

    cmcas_doc_attr(cmcas, "code", site->code);
    cmcas_doc_text(cmcas, "name", site->name);
    cmcas_doc_text(cmcas, "street", site->street);
    cmcas_doc_text(cmcas, "postcode", site->postcode);
    cmcas_doc_text(cmcas, "city", site->city);
    cmcas_doc_text(cmcas, "phone", site->phone);
    cmcas_doc_text(cmcas, "email", site->email);
}

void cmcas_doc_user(xmlNodePtr root, const char *user_login, const char *user_name)
{
    xmlNodePtr user;
    if (!user_login) {
        return;
    }
    user = cmcas_doc_elem(root, "user");
    cmcas_doc_attr(user, "login", user_login);
    cmcas_doc_text(user, "name", user_name);
}

void cmcas_doc_themes(xmlNodePtr root, const char *theme)
{
    xmlNodePtr themes = cmcas_doc_elem(root, "themes");
    const cmcas_theme_t *t;

    for (t = cmcas_theme_all; t->code; t++) {
        xmlNodePtr node = cmcas_doc_text(themes, "theme", t->label);
        cmcas_doc_attr(node, "code", t->code);
        if (theme && !strcmp(theme, t->code)) {
            cmcas_doc_attr(node, "selected", "1");
        }
    }
}
