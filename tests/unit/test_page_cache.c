/* The page cache (holes, versions, bounds), the database versions its triggers keep,
 * and the catalog's paging in two segments against one plain ordered query. */
#include <string.h>
#include <apr_strings.h>

#include "test_db.h"
#include "../../mod_cmcas/cmcas_page_cache.h"
#include "../../mod_cmcas/cmcas_catalog_store.h"

static const unsigned char test_page_cache_nonce[16] = {
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10
};

static cmcas_page_cache_t *test_page_cache_new(apr_size_t max_bytes)
{
    cmcas_page_cache_t *c = NULL;
    ck_assert_int_eq(APR_SUCCESS, cmcas_page_cache_create(&c, test_pool, max_bytes,
                                                          test_page_cache_nonce));
    return c;
}

/* A page with the name in a text and an attribute and the login once. */
static cmcas_page_cache_page_t test_page_cache_page(cmcas_page_cache_t *c, const char *tag)
{
    cmcas_page_cache_page_t page;
    const char *login = cmcas_page_cache_hole(c, CMCAS_PAGE_CACHE_LOGIN);
    const char *name = cmcas_page_cache_hole(c, CMCAS_PAGE_CACHE_NAME);

    page.status = 200;
    page.content_type = "text/html; charset=utf-8";
    page.body = apr_psprintf(test_pool, "<p>%s</p><span title=\"%s\">%s</span><i>%s</i>",
                             name, name, login, tag);
    page.len = strlen(page.body);
    return page;
}

START_TEST(test_page_cache_holes_escaped)
{
    cmcas_page_cache_t *c = test_page_cache_new(1 << 20);
    cmcas_page_cache_page_t page = test_page_cache_page(c, "x"), got;
    cmcas_page_cache_version_t v = {7, 3};
    const char *fills[] = {"gael&co", "<script>\"Zoé\" & 'Léa'</script>"};

    ck_assert_str_ne(cmcas_page_cache_hole(c, 0), cmcas_page_cache_hole(c, 1));
    ck_assert(!cmcas_page_cache_get(c, "k", &v, 100, 0, fills, test_pool, &got));
    cmcas_page_cache_put(c, "k", &v, 100, &page);
    ck_assert(cmcas_page_cache_get(c, "k", &v, 100, 0, fills, test_pool, &got));
    ck_assert_int_eq(200, got.status);
    ck_assert_str_eq("text/html; charset=utf-8", got.content_type);
    ck_assert_str_eq("<p>&lt;script&gt;&quot;Zoé&quot; &amp; 'Léa'&lt;/script&gt;</p>"
                     "<span title=\"&lt;script&gt;&quot;Zoé&quot; &amp; 'Léa'&lt;/script&gt;\">"
                     "gael&amp;co</span><i>x</i>", got.body);
    ck_assert_uint_eq(strlen(got.body), got.len);

    /* Bytes that are not XML text are shown as U+FFFD, as everywhere else. */
    {
        const char *bad[] = {"x\x01y", "Zo\xe9"};
        ck_assert(cmcas_page_cache_get(c, "k", &v, 100, 0, bad, test_pool, &got));
        ck_assert_str_eq("<p>Zo\xef\xbf\xbd</p><span title=\"Zo\xef\xbf\xbd\">"
                         "x\xef\xbf\xbdy</span><i>x</i>", got.body);
    }

    /* The page just rendered is filled the same way. */
    cmcas_page_cache_fill(c, &page, fills, test_pool, &got);
    ck_assert_str_eq("<p>&lt;script&gt;&quot;Zoé&quot; &amp; 'Léa'&lt;/script&gt;</p>"
                     "<span title=\"&lt;script&gt;&quot;Zoé&quot; &amp; 'Léa'&lt;/script&gt;\">"
                     "gael&amp;co</span><i>x</i>", got.body);
}
END_TEST

START_TEST(test_page_cache_versions)
{
    cmcas_page_cache_t *c = test_page_cache_new(1 << 20);
    cmcas_page_cache_page_t page = test_page_cache_page(c, "v"), got;
    cmcas_page_cache_version_t v = {7, 3}, catalog = {8, 3}, places = {7, 4};
    const char *fills[] = {"a", "b"};
    apr_time_t t0 = apr_time_from_sec(1000);
    apr_interval_time_t stale = apr_time_from_sec(1);

    cmcas_page_cache_put(c, "k", &v, t0, &page);
    ck_assert(cmcas_page_cache_get(c, "k", &v, t0 + apr_time_from_sec(3600), stale, fills,
                                   test_pool, &got));
    ck_assert(!cmcas_page_cache_get(c, "other", &v, t0, stale, fills, test_pool, &got));
    /* Anything but the places changed: never served. */
    ck_assert(!cmcas_page_cache_get(c, "k", &catalog, t0, stale, fills, test_pool, &got));
    /* The places changed: served while younger than the staleness allowed. */
    ck_assert(cmcas_page_cache_get(c, "k", &places, t0 + stale - 1, stale, fills, test_pool,
                                   &got));
    ck_assert(!cmcas_page_cache_get(c, "k", &places, t0 + stale, stale, fills, test_pool,
                                    &got));
    ck_assert(!cmcas_page_cache_get(c, "k", &places, t0, 0, fills, test_pool, &got));
    /* A clock gone backwards does not make an old page young. */
    ck_assert(!cmcas_page_cache_get(c, "k", &places, t0 - 1, stale, fills, test_pool, &got));
    /* A new page under the same key replaces the old one. */
    page = test_page_cache_page(c, "w");
    cmcas_page_cache_put(c, "k", &places, t0, &page);
    ck_assert(cmcas_page_cache_get(c, "k", &places, t0, 0, fills, test_pool, &got));
    ck_assert_str_eq("<p>b</p><span title=\"b\">a</span><i>w</i>", got.body);
}
END_TEST

START_TEST(test_page_cache_bounded)
{
    cmcas_page_cache_t *c = test_page_cache_new(64 * 1024);
    cmcas_page_cache_version_t v = {1, 1};
    cmcas_page_cache_page_t page = test_page_cache_page(c, ""), big, got;
    const char *fills[] = {"a", "b"};
    apr_size_t bytes = 0;
    int i, count = 0;
    char *body;

    for (i = 0; i < 5000; i++) {
        cmcas_page_cache_put(c, apr_itoa(test_pool, i), &v, 0, &page);
        cmcas_page_cache_size(c, &count, &bytes);
        ck_assert_uint_le(bytes, 64 * 1024);
        ck_assert_int_le(count, 2048);
    }
    /* The last one is there. */
    ck_assert(cmcas_page_cache_get(c, "4999", &v, 0, 0, fills, test_pool, &got));
    /* A page bigger than a quarter of the cache is not kept. */
    body = apr_palloc(test_pool, 20000);
    memset(body, 'x', 20000);
    big = page;
    big.body = body;
    big.len = 20000;
    cmcas_page_cache_put(c, "big", &v, 0, &big);
    ck_assert(!cmcas_page_cache_get(c, "big", &v, 0, 0, fills, test_pool, &got));
    /* Nor a page with a mark that names no hole (would be served unfilled). */
    page.body = apr_pstrcat(test_pool, "<p>", cmcas_page_cache_hole(c, 0), "</p>",
                            "cmcas0123456789abcdeffedcba9876543210h9", NULL);
    page.len = strlen(page.body);
    cmcas_page_cache_put(c, "bad", &v, 0, &page);
    ck_assert(!cmcas_page_cache_get(c, "bad", &v, 0, 0, fills, test_pool, &got));
}
END_TEST

static test_db_t db;

static void test_page_cache_db_setup(void)
{
    test_setup();
    test_db_open(&db, test_pool);
}

static void test_page_cache_db_teardown(void)
{
    test_db_close(&db);
    test_teardown();
}

static cmcas_page_cache_version_t test_page_cache_db_version(void)
{
    cmcas_page_cache_version_t v;
    const char *err = NULL;
    ck_assert_int_eq(APR_SUCCESS, cmcas_catalog_store_version(&v, &db.st, test_pool, &err));
    return v;
}

/* Every writer's change is counted: the places on their own, anything else as the
 * catalog's. */
START_TEST(test_page_cache_db_versions)
{
    cmcas_page_cache_version_t v0 = test_page_cache_db_version(), v;

    test_db_exec(&db, "UPDATE activity SET places_taken = places_taken + 1 WHERE id = 1");
    v = test_page_cache_db_version();
    ck_assert_int_eq(v0.catalog, v.catalog);
    ck_assert_int_eq(v0.places + 1, v.places);
    /* Setting the same number changes nothing anyone sees. */
    test_db_exec(&db, "UPDATE activity SET places_taken = places_taken WHERE id = 1");
    ck_assert_int_eq(v.places, test_page_cache_db_version().places);

    test_db_exec(&db, "UPDATE activity SET title = 'Atelier salé' WHERE id = 1");
    v0 = v;
    v = test_page_cache_db_version();
    ck_assert_int_eq(v0.catalog + 1, v.catalog);
    ck_assert_int_eq(v0.places, v.places);

    test_db_exec(&db, "UPDATE activity_option SET price_beneficiary = 1 WHERE id = 1");
    ck_assert_int_eq(v.catalog + 1, test_page_cache_db_version().catalog);
    test_db_exec(&db, "UPDATE cmcas SET name = 'CMCAS Berry' WHERE code = 'BN'");
    ck_assert_int_eq(v.catalog + 2, test_page_cache_db_version().catalog);
    test_db_exec(&db, "INSERT INTO activity (id, cmcas_code, theme, title, start_date,"
                      " end_date, closing_date, capacity, published_at, mode) VALUES (9, 'BN',"
                      " 'SPORT', 'Nouvelle', '2027-07-01', '2027-07-01', '2027-06-20', 5,"
                      " '2026-01-01', 'immediat')");
    ck_assert_int_eq(v.catalog + 3, test_page_cache_db_version().catalog);
}
END_TEST

/* The catalog read page by page (two segments: open, then closed) is the whole list in
 * the one order a plain sorting query gives, for every page size and straddle. */
START_TEST(test_page_cache_db_paging)
{
    static const char *const reference =
        "SELECT group_concat(id) FROM (SELECT id FROM activity WHERE cmcas_code = 'BN'"
        " AND published_at IS NOT NULL AND published_at <= '2026-12-01'"
        " AND end_date >= '2026-12-01' ORDER BY CASE WHEN closing_date >= '2026-12-01'"
        " THEN 0 ELSE 1 END, start_date, id)";
    cmcas_catalog_store_query_t q;
    const char *expected, *err = NULL;
    int i, size;

    /* 30 more BN activities: open and closed, same and different start dates, some
     * unpublished or finished (never listed). */
    for (i = 0; i < 30; i++) {
        test_db_exec(&db, apr_psprintf(test_pool,
            "INSERT INTO activity (id, cmcas_code, theme, title, start_date, end_date,"
            " closing_date, capacity, published_at, mode) VALUES (%d, 'BN', 'SPORT', 'A%d',"
            " '2027-0%d-01', '2027-09-01', '%s', 5, %s, 'immediat')", 100 + i, i, 1 + i % 7,
            i % 3 ? "2027-01-01" : "2026-11-01",
            i % 11 == 5 ? "NULL" : "'2026-01-01'"));
    }
    test_db_exec(&db, "UPDATE activity SET end_date = '2026-11-30', start_date = '2026-11-30'"
                      " WHERE id = 104");
    expected = test_db_str(&db, reference);
    ck_assert_ptr_nonnull(expected);
    for (size = 1; size <= 13; size++) {
        char *got = "";
        int page, total = 0, pages = 1;

        for (page = 1; page <= pages; page++) {
            apr_array_header_t *acts = NULL;
            memset(&q, 0, sizeof(q));
            q.own_code = "BN";
            q.today = "2026-12-01";
            q.limit = size;
            q.offset = (page - 1) * size;
            ck_assert_int_eq(APR_SUCCESS, cmcas_catalog_store_page(&acts, &total, &db.st,
                                                                   test_pool, &q, &err));
            pages = (total + size - 1) / size;
            ck_assert_int_le(acts->nelts, size);
            ck_assert(page == pages || acts->nelts == size);
            for (i = 0; i < acts->nelts; i++) {
                got = apr_psprintf(test_pool, "%s%s%" APR_INT64_T_FMT, got, *got ? "," : "",
                                   APR_ARRAY_IDX(acts, i, cmcas_activity_t).id);
            }
        }
        ck_assert_str_eq(expected, got);
    }
}
END_TEST

Suite *test_page_cache_suite(void)
{
    Suite *s = suite_create("page cache");
    TCase *tc = tcase_create("cache");
    TCase *tdb = tcase_create("database");

    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    tcase_add_test(tc, test_page_cache_holes_escaped);
    tcase_add_test(tc, test_page_cache_versions);
    tcase_add_test(tc, test_page_cache_bounded);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(tdb, test_page_cache_db_setup, test_page_cache_db_teardown);
    tcase_add_test(tdb, test_page_cache_db_versions);
    tcase_add_test(tdb, test_page_cache_db_paging);
    suite_add_tcase(s, tdb);
    return s;
}
