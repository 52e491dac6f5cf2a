#include <string.h>

#include "test_cmcas.h"
#include "../../mod_cmcas/cmcas_catalog.h"
#include "../../mod_cmcas/cmcas_catalog_doc.h"
#include "../../mod_cmcas/cmcas_doc.h"

static cmcas_activity_t test_catalog_act(apr_int64_t id, const char *title,
                                               const char *desc)
{
    cmcas_activity_t a;
    memset(&a, 0, sizeof(a));
    a.id = id;
    a.cmcas_code = "BN";
    a.cmcas_name = "CMCAS Berry-Nivernais";
    a.theme = "LOISIR";
    a.title = title;
    a.description = desc;
    a.start_date = "2026-12-17";
    a.end_date = "2026-12-17";
    a.closing_date = "2026-12-10";
    a.published_at = "2026-11-20";
    a.capacity = 10;
    a.places_taken = 3;
    a.mode = "immediat";
    return a;
}

static cmcas_catalog_ctx_t test_catalog_ctx(void)
{
    cmcas_catalog_ctx_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.portal_code = "BN";
    ctx.today.y = 2026;
    ctx.today.m = 11;
    ctx.today.d = 28;
    ctx.new_days = 15;
    ctx.page_size = 2;
    return ctx;
}

START_TEST(test_catalog_parse)
{
    cmcas_catalog_query_t q;
    const char *err;
    apr_table_t *args = apr_table_make(test_pool, 4);

    ck_assert_int_eq(cmcas_catalog_parse(&q, args, &err), APR_SUCCESS);
    ck_assert_int_eq(q.page, 1);
    ck_assert_int_eq(q.others, 0);
    ck_assert_ptr_null(q.theme);
    apr_table_set(args, "onglet", "autres");
    apr_table_set(args, "theme", "SANTE-PREVOYANCE");
    apr_table_set(args, "q", "   ");
    apr_table_set(args, "page", "3");
    ck_assert_int_eq(cmcas_catalog_parse(&q, args, &err), APR_SUCCESS);
    ck_assert_int_eq(q.others, 1);
    ck_assert_str_eq(q.theme, "SANTE-PREVOYANCE");
    ck_assert_ptr_null(q.q);
    ck_assert_int_eq(q.page, 3);
    apr_table_set(args, "page", "0");
    ck_assert_int_eq(cmcas_catalog_parse(&q, args, &err), APR_EINVAL);
    apr_table_set(args, "page", "-1");
    ck_assert_int_eq(cmcas_catalog_parse(&q, args, &err), APR_EINVAL);
    apr_table_set(args, "page", "99999999999999999999");
    ck_assert_int_eq(cmcas_catalog_parse(&q, args, &err), APR_EINVAL);
    apr_table_set(args, "page", "1");
    apr_table_set(args, "theme", "sport");
    ck_assert_int_eq(cmcas_catalog_parse(&q, args, &err), APR_EINVAL);
    apr_table_set(args, "theme", "SPORT");
    apr_table_set(args, "onglet", "toutes");
    ck_assert_int_eq(cmcas_catalog_parse(&q, args, &err), APR_EINVAL);
}
END_TEST

START_TEST(test_catalog_rules)
{
    cmcas_catalog_ctx_t ctx = test_catalog_ctx();
    cmcas_activity_t a = test_catalog_act(1, "Atelier", "");

    ck_assert(cmcas_catalog_is_open(&a, &ctx.today));
    a.closing_date = "2026-11-28";      /* the closing day itself is still open */
    ck_assert(cmcas_catalog_is_open(&a, &ctx.today));
    a.closing_date = "2026-11-27";
    ck_assert(!cmcas_catalog_is_open(&a, &ctx.today));
    ck_assert(cmcas_catalog_is_new(&a, &ctx));           /* 8 days ago */
    a.published_at = "2026-11-14";                       /* 14 days ago */
    ck_assert(cmcas_catalog_is_new(&a, &ctx));
    a.published_at = "2026-11-13";                       /* 15 days ago */
    ck_assert(!cmcas_catalog_is_new(&a, &ctx));
    ck_assert(cmcas_catalog_is_visible(&a, &ctx));
    a.published_at = "2026-11-29";
    ck_assert(!cmcas_catalog_is_visible(&a, &ctx));
    ck_assert(!cmcas_catalog_is_new(&a, &ctx));
    a.published_at = NULL;
    ck_assert(!cmcas_catalog_is_visible(&a, &ctx));
    a.published_at = "2026-11-01";
    a.cmcas_code = "TOURAINE";
    ck_assert(!cmcas_catalog_is_visible(&a, &ctx));
    a.open_to_others = 1;
    ck_assert(cmcas_catalog_is_visible(&a, &ctx));
    ck_assert_int_eq(cmcas_catalog_remaining(&a), 7);
    a.places_taken = 12;
    ck_assert_int_eq(cmcas_catalog_remaining(&a), 0);
    ck_assert_int_eq(cmcas_catalog_pages(0, 12), 1);
    ck_assert_int_eq(cmcas_catalog_pages(12, 12), 1);
    ck_assert_int_eq(cmcas_catalog_pages(13, 12), 2);
}
END_TEST

START_TEST(test_catalog_search_and_page)
{
    cmcas_catalog_ctx_t ctx = test_catalog_ctx();
    apr_array_header_t *acts = apr_array_make(test_pool, 4, sizeof(cmcas_activity_t));
    apr_array_header_t *m;
    cmcas_catalog_query_t q;
    xmlNodePtr root, cat;
    xmlDocPtr doc;
    xmlChar *total;

    *(cmcas_activity_t *)apr_array_push(acts) =
        test_catalog_act(1, "Randonnée dans le Morvan", "Grand air");
    *(cmcas_activity_t *)apr_array_push(acts) =
        test_catalog_act(2, "Théâtre", "Une pièce à l'Opéra");
    *(cmcas_activity_t *)apr_array_push(acts) =
        test_catalog_act(3, "Pâtisserie", "RANDONNEE gourmande");

    /* The search, as a full-text query: words quoted, each a prefix, syntax inert. */
    ck_assert_str_eq(cmcas_catalog_match(test_pool, "randonnee"), "\"randonnee\"*");
    ck_assert_str_eq(cmcas_catalog_match(test_pool, "  OPÉRA théâtre "),
                     "\"OPÉRA\"* \"théâtre\"*");
    ck_assert_str_eq(cmcas_catalog_match(test_pool, "« Gestes » & postures"),
                     "\"Gestes\"* \"postures\"*");
    ck_assert_str_eq(cmcas_catalog_match(test_pool, "\"; DROP TABLE x; --"),
                     "\"DROP\"* \"TABLE\"* \"x\"*");
    ck_assert_str_eq(cmcas_catalog_match(test_pool, "l'eau*"), "\"l\"* \"eau\"*");
    ck_assert_ptr_null(cmcas_catalog_match(test_pool, "  % _ « » € "));
    ck_assert_ptr_null(cmcas_catalog_match(test_pool, NULL));
    ck_assert_str_eq(cmcas_catalog_match(test_pool, "a\xff\xfe" "b"), "\"a\"* \"b\"*");
    m = apr_array_make(test_pool, 1, sizeof(cmcas_activity_t));
    *(cmcas_activity_t *)apr_array_push(m) = APR_ARRAY_IDX(acts, 2, cmcas_activity_t);

    memset(&q, 0, sizeof(q));
    q.page = 2;
    doc = cmcas_doc_new(test_pool, "catalogue", &root);
    ck_assert_int_eq(cmcas_catalog_doc_list(root, &q, m, 3, &ctx, test_pool), APR_SUCCESS);
    cat = root->children;
    total = xmlGetProp(cat, BAD_CAST "pages");
    ck_assert_str_eq((const char *)total, "2");
    xmlFree(total);
    ck_assert_int_eq((int)xmlChildElementCount(cat), 1);     /* 3 items, 2 a page */
    q.page = 3;
    doc = cmcas_doc_new(test_pool, "catalogue", &root);
    ck_assert_int_eq(cmcas_catalog_doc_list(root, &q, m, 3, &ctx, test_pool), APR_NOTFOUND);
    (void)doc;
}
END_TEST

Suite *test_catalog_suite(void)
{
    Suite *s = suite_create("catalog");
    TCase *tc = tcase_create("catalog");
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_catalog_parse);
    tcase_add_test(tc, test_catalog_rules);
    tcase_add_test(tc, test_catalog_search_and_page);
    suite_add_tcase(s, tc);
    return s;
}
