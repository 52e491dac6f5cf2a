#include <apr_strings.h>
#include <apr_hash.h>
#include <apr_file_info.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/security.h>
#include <libxslt/xsltutils.h>
#include <libexslt/exslt.h>

#include "cmcas_render.h"

const char *const cmcas_render_pages[] = {
    "catalogue", "activite", "erreur", "connexion", "informations", "compte", "adresses",
    "conditions",
    "inscription", "inscriptions", "consultation", "paiement", "commandes", "commande",
    "banque", "gestion", "gestion-journal", "gestion-activite",
    "gestion-inscriptions", "gestion-commandes", "gestion-tirage", "gestion-erreur",
    "gestion-inscription-modifier", NULL
};

struct cmcas_render_t {
    apr_hash_t *sheets;             /* page name -> xsltStylesheetPtr */
    xsltSecurityPrefsPtr prefs;     /* stylesheets may read and write nothing */
};

typedef struct {
    apr_pool_t *pool;
    char *text;
} cmcas_render_errors_t;

/* libxml2/libxslt report errors in pieces; keep them all for one message. */
static void cmcas_render_collect(void *ctx, const char *fmt, ...)
{
    cmcas_render_errors_t *errs = ctx;
    va_list ap;
    char *piece;

    va_start(ap, fmt);
    piece = apr_pvsprintf(errs->pool, fmt, ap);
    va_end(ap);
    if (!errs->text || strlen(errs->text) < 2000) {
        errs->text = apr_pstrcat(errs->pool, errs->text ? errs->text : "", piece, NULL);
    }
}

static const char *cmcas_render_trim(apr_pool_t *p, const char *text)
{
    char *t = apr_pstrdup(p, text ? text : "unknown error");
    char *c;
    apr_size_t n = strlen(t);

    while (n && (t[n - 1] == '\n' || t[n - 1] == ' ')) {
        t[--n] = '\0';
    }
    for (c = t; *c; c++) {
        if (*c == '\n') *c = ' ';   /* one log line */
    }
    return t;
}

static apr_status_t cmcas_render_free_sheet(void *sheet)
{
    xsltFreeStylesheet(sheet);
    return APR_SUCCESS;
}

static apr_status_t cmcas_render_free_prefs(void *prefs)
{
    xsltFreeSecurityPrefs(prefs);
    return APR_SUCCESS;
}

apr_status_t cmcas_render_load(cmcas_render_t **prender, apr_pool_t *p, const char *dir,
                               const char **perr)
{
    cmcas_render_t *render = apr_pcalloc(p, sizeof(*render));
    cmcas_render_errors_t errs = {p, NULL};
    const char *const *name;
    apr_status_t rv = APR_SUCCESS;

    *prender = NULL;
    *perr = NULL;
    exsltRegisterAll();
    render->sheets = apr_hash_make(p);
    render->prefs = xsltNewSecurityPrefs();
    apr_pool_cleanup_register(p, render->prefs, cmcas_render_free_prefs,
                              apr_pool_cleanup_null);
    xsltSetSecurityPrefs(render->prefs, XSLT_SECPREF_READ_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(render->prefs, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(render->prefs, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
    xsltSetSecurityPrefs(render->prefs, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(render->prefs, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);

    xmlSetGenericErrorFunc(&errs, cmcas_render_collect);
    xsltSetGenericErrorFunc(&errs, cmcas_render_collect);
    for (name = cmcas_render_pages; *name; name++) {
        const char *path = apr_pstrcat(p, dir, "/", *name, ".xsl", NULL);
        apr_finfo_t finfo;
        xmlDocPtr sheet_doc;
        xsltStylesheetPtr sheet;

        if (APR_SUCCESS != (rv = apr_stat(&finfo, path, APR_FINFO_TYPE, p))) {
            *perr = apr_psprintf(p, "stylesheet %s cannot be read", path);
            goto leave;
        }
        /* No entity expansion and no network while parsing the stylesheet. */
        sheet_doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
        if (!sheet_doc) {
            *perr = apr_psprintf(p, "stylesheet %s is not well-formed XML: %s", path,
                                 cmcas_render_trim(p, errs.text));
            rv = APR_EINVAL;
            goto leave;
        }
        errs.text = NULL;
        sheet = xsltParseStylesheetDoc(sheet_doc);
        /* libxslt counts an unknown xsl: element as a warning and then ignores it at
         * run time: anything it reports while compiling fails the start. */
        if (!sheet || sheet->errors || sheet->warnings || errs.text) {
            *perr = apr_psprintf(p, "stylesheet %s does not compile: %s", path,
                                 cmcas_render_trim(p, errs.text));
            if (sheet) {
                xsltFreeStylesheet(sheet);
            }
            else {
                xmlFreeDoc(sheet_doc);
            }
            rv = APR_EINVAL;
            goto leave;
        }
        apr_pool_cleanup_register(p, sheet, cmcas_render_free_sheet,
                                  apr_pool_cleanup_null);
        apr_hash_set(render->sheets, *name, APR_HASH_KEY_STRING, sheet);
    }
leave:
    xmlSetGenericErrorFunc(NULL, NULL);
    xsltSetGenericErrorFunc(NULL, NULL);
    if (APR_SUCCESS == rv) {
        *prender = render;
    }
    return rv;
}

apr_status_t cmcas_render_html(const char **pout, apr_size_t *plen,
                               const cmcas_render_t *render, xmlDocPtr doc,
                               apr_pool_t *p, const char **perr)
{
    cmcas_render_errors_t errs = {p, NULL};
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlChar *name = root ? xmlGetProp(root, BAD_CAST "name") : NULL;
    xsltStylesheetPtr sheet = name
        ? apr_hash_get(render->sheets, (const char *)name, APR_HASH_KEY_STRING) : NULL;
    xsltTransformContextPtr ctxt = NULL;
    xmlDocPtr result = NULL;
    xmlChar *buf = NULL;
    int len = 0;
    apr_status_t rv = APR_SUCCESS;

    *pout = NULL;
    *plen = 0;
    *perr = NULL;
    if (!sheet) {
        *perr = apr_psprintf(p, "no stylesheet for page '%s'",
                             name ? (const char *)name : "(none)");
        rv = APR_NOTFOUND;
        goto leave;
    }
    ctxt = xsltNewTransformContext(sheet, doc);
    if (!ctxt) {
        *perr = "cannot create a transformation context";
        rv = APR_ENOMEM;
        goto leave;
    }
    xsltSetCtxtSecurityPrefs(render->prefs, ctxt);
    xsltSetTransformErrorFunc(ctxt, &errs, cmcas_render_collect);
    result = xsltApplyStylesheetUser(sheet, doc, NULL, NULL, NULL, ctxt);
    if (!result || ctxt->state != XSLT_STATE_OK) {
        *perr = apr_psprintf(p, "transformation of page '%s' failed: %s",
                             (const char *)name, cmcas_render_trim(p, errs.text));
        rv = APR_EGENERAL;
        goto leave;
    }
    if (0 != xsltSaveResultToString(&buf, &len, result, sheet) || !buf) {
        *perr = "cannot serialise the page";
        rv = APR_EGENERAL;
        goto leave;
    }
    *pout = apr_pstrmemdup(p, (const char *)buf, (apr_size_t)len);
    *plen = (apr_size_t)len;
leave:
    if (buf) xmlFree(buf);
    if (result) xmlFreeDoc(result);
    if (ctxt) xsltFreeTransformContext(ctxt);
    if (name) xmlFree(name);
    return rv;
}

apr_status_t cmcas_render_xml(const char **pout, apr_size_t *plen, xmlDocPtr doc,
                              apr_pool_t *p)
{
    xmlChar *buf = NULL;
    int len = 0;

    xmlDocDumpFormatMemoryEnc(doc, &buf, &len, "UTF-8", 1);
    if (!buf) {
        *pout = NULL;
        *plen = 0;
        return APR_ENOMEM;
    }
    *pout = apr_pstrmemdup(p, (const char *)buf, (apr_size_t)len);
    *plen = (apr_size_t)len;
    xmlFree(buf);
    return APR_SUCCESS;
}
