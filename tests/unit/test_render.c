#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <libxml/parser.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_render.h"
#include "../../mod_cmcas/cmcas_doc.h"

static const cmcas_doc_site_t test_render_site = {
    "BN", "CMCAS Berry-Nivernais", "3 rue Marcel Paul", "18022", "Bourges",
    "02 48 00 00 00", "contact@cmcas-bn.example"
};

START_TEST(test_render_samples)
{
    cmcas_render_t *render;
    const char *err = NULL, *out;
    apr_size_t len;
    const char *const *name;

    ck_assert_int_eq(cmcas_render_load(&render, test_pool, CMCAS_SRCDIR "/xslt", &err),
                     APR_SUCCESS);
    /* Every page renders its sample document to HTML. */
    for (name = cmcas_render_pages; *name; name++) {
        const char *path = apr_pstrcat(test_pool, CMCAS_SRCDIR "/tests/data/pages/",
                                       *name, ".xml", NULL);
        xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
        ck_assert_msg(doc != NULL, "cannot read %s", path);
        ck_assert_int_eq(cmcas_render_html(&out, &len, render, doc, test_pool, &err),
                         APR_SUCCESS);
        ck_assert_msg(strstr(out, "<html") != NULL, "%s: no html", *name);
        ck_assert_msg(strstr(out, "CMCAS Berry-Nivernais") != NULL, "%s: no CMCAS", *name);
        xmlFreeDoc(doc);
    }
}
END_TEST

START_TEST(test_render_escapes)
{
    cmcas_render_t *render;
    const char *err = NULL, *out;
    apr_size_t len;
    xmlNodePtr root, msg;
    xmlDocPtr doc;

    ck_assert_int_eq(cmcas_render_load(&render, test_pool, CMCAS_SRCDIR "/xslt", &err),
                     APR_SUCCESS);
    doc = cmcas_doc_new(test_pool, "erreur", &root);
    cmcas_doc_site(root, &test_render_site);
    cmcas_doc_themes(root, NULL);
    msg = cmcas_doc_elem(root, "erreur");
    cmcas_doc_attr(msg, "status", "404");
    cmcas_doc_text(msg, "title", "Page introuvable");
    cmcas_doc_text(msg, "message", "<script>alert(1)</script> & \"x\"");
    ck_assert_int_eq(cmcas_render_html(&out, &len, render, doc, test_pool, &err),
                     APR_SUCCESS);
    ck_assert_ptr_null(strstr(out, "<script>alert"));
    ck_assert_ptr_nonnull(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt; &amp;"));
    ck_assert_int_eq(cmcas_render_xml(&out, &len, doc, test_pool), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(out, "&lt;script&gt;"));
}
END_TEST

/* A directory whose stylesheets are broken fails with a message naming the file. */
START_TEST(test_render_bad_dir)
{
    cmcas_render_t *render;
    const char *err = NULL;
    char tmpl[] = "/tmp/cmcas-render-XXXXXX";
    const char *const *name;
    const char *dir = mkdtemp(tmpl);

    ck_assert_ptr_nonnull(dir);
    ck_assert_int_ne(cmcas_render_load(&render, test_pool, dir, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(err, "catalogue.xsl"));
    for (name = cmcas_render_pages; *name; name++) {
        FILE *f = fopen(apr_pstrcat(test_pool, dir, "/", *name, ".xsl", NULL), "w");
        fputs("<xsl:stylesheet version=\"1.0\" "
              "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
              "<xsl:template match=\"/\"><xsl:value-of select=\"@@\"/></xsl:template>"
              "</xsl:stylesheet>", f);
        fclose(f);
    }
    ck_assert_int_ne(cmcas_render_load(&render, test_pool, dir, &err), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(err, "does not compile"));
    for (name = cmcas_render_pages; *name; name++) {
        remove(apr_pstrcat(test_pool, dir, "/", *name, ".xsl", NULL));
    }
    rmdir(dir);
}
END_TEST

Suite *test_render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("render");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_render_samples);
    tcase_add_test(tc, test_render_escapes);
    tcase_add_test(tc, test_render_bad_dir);
    suite_add_tcase(s, tc);
    return s;
}
