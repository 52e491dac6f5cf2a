#include <apr_strings.h>

#include "cmcas_catalog_store.h"

#define CMCAS_CATALOG_STORE_COLUMNS \
    "SELECT a.id, a.cmcas_code, c.name, a.theme, a.title, a.description, a.image," \
    " a.place, a.start_date, a.end_date, a.closing_date, a.published_at, a.capacity," \
    " a.places_taken, a.open_to_others, a.mode, a.guests_allowed, a.max_guests," \
    " a.min_age, a.max_age, a.draw_seed, a.draw_done_at, a.draw_published_at," \
    " a.draw_places" \
    " FROM activity a JOIN cmcas c ON c.code = a.cmcas_code "

/* A list shows no description nor place: not read. */
#define CMCAS_CATALOG_STORE_LIST_COLUMNS \
    "SELECT a.id, a.cmcas_code, c.name, a.theme, a.title, NULL, a.image," \
    " NULL, a.start_date, a.end_date, a.closing_date, a.published_at, a.capacity," \
    " a.places_taken, a.open_to_others, a.mode, a.guests_allowed, a.max_guests," \
    " a.min_age, a.max_age, NULL, NULL, NULL, NULL" \
    " FROM activity a JOIN cmcas c ON c.code = a.cmcas_code "

#define CMCAS_CATALOG_STORE_OWN "WHERE a.cmcas_code = %s"
#define CMCAS_CATALOG_STORE_OTHERS "WHERE a.cmcas_code <> %s AND a.open_to_others = 1"
/* Listed: published, not finished, of a theme (or any: ''). */
#define CMCAS_CATALOG_STORE_LISTED \
    " AND a.published_at IS NOT NULL AND a.published_at <= %s AND a.end_date >= %s" \
    " AND (%s = '' OR a.theme = %s)"
/* Every word of the search (cmcas_catalog_match: "w1"* "w2"*). activity_search(q) is
 * SQLite's FTS5 table queried as a function, and on PostgreSQL a function of the same
 * name over the tsvector column (sql/pgsql/008_portable_search.sql): one SQL for both. */
#define CMCAS_CATALOG_STORE_SEARCHED \
    " AND a.id IN (SELECT rowid FROM activity_search(%s))"
/* The open ones ('1') or the closed ones ('0'), by start date: one page of them, read in
 * the order of the index activity_list_own or _others (no sort, no other row read).
 * Truths compared with truths: 0/1 on SQLite, booleans on PostgreSQL. */
#define CMCAS_CATALOG_STORE_PAGE \
    " AND (a.closing_date >= %s) = (%s = '1')" \
    " ORDER BY a.start_date, a.id LIMIT %d OFFSET %d"
/* How many are listed, and how many of them are open (from the index only). */
#define CMCAS_CATALOG_STORE_COUNT \
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.closing_date >= %s THEN 1 ELSE 0 END), 0)" \
    " FROM activity a "

const cmcas_store_stmt_t cmcas_catalog_store_statements[] = {
    {"cmcas_catalog_own", CMCAS_CATALOG_STORE_LIST_COLUMNS CMCAS_CATALOG_STORE_OWN
     CMCAS_CATALOG_STORE_LISTED CMCAS_CATALOG_STORE_PAGE},
    {"cmcas_catalog_others", CMCAS_CATALOG_STORE_LIST_COLUMNS CMCAS_CATALOG_STORE_OTHERS
     CMCAS_CATALOG_STORE_LISTED CMCAS_CATALOG_STORE_PAGE},
    {"cmcas_catalog_own_q", CMCAS_CATALOG_STORE_LIST_COLUMNS CMCAS_CATALOG_STORE_OWN
     CMCAS_CATALOG_STORE_LISTED CMCAS_CATALOG_STORE_SEARCHED CMCAS_CATALOG_STORE_PAGE},
    {"cmcas_catalog_others_q", CMCAS_CATALOG_STORE_LIST_COLUMNS CMCAS_CATALOG_STORE_OTHERS
     CMCAS_CATALOG_STORE_LISTED CMCAS_CATALOG_STORE_SEARCHED CMCAS_CATALOG_STORE_PAGE},
    {"cmcas_catalog_own_n", CMCAS_CATALOG_STORE_COUNT CMCAS_CATALOG_STORE_OWN
     CMCAS_CATALOG_STORE_LISTED},
    {"cmcas_catalog_others_n", CMCAS_CATALOG_STORE_COUNT CMCAS_CATALOG_STORE_OTHERS
     CMCAS_CATALOG_STORE_LISTED},
    {"cmcas_catalog_own_qn", CMCAS_CATALOG_STORE_COUNT CMCAS_CATALOG_STORE_OWN
     CMCAS_CATALOG_STORE_LISTED CMCAS_CATALOG_STORE_SEARCHED},
    {"cmcas_catalog_others_qn", CMCAS_CATALOG_STORE_COUNT CMCAS_CATALOG_STORE_OTHERS
     CMCAS_CATALOG_STORE_LISTED CMCAS_CATALOG_STORE_SEARCHED},
    {"cmcas_data_version", "SELECT catalog, places FROM cmcas_data_version WHERE id = 1"},
    {"cmcas_activity", CMCAS_CATALOG_STORE_COLUMNS "WHERE a.id = %lld"},
    {"cmcas_activity_options",
     "SELECT id, label, price_beneficiary, participation_beneficiary, price_guest,"
     " participation_guest, min_age, max_age FROM activity_option WHERE activity_id = %lld"
     " ORDER BY position, id"},
    {NULL, NULL}
};

static void cmcas_catalog_store_read_activity(void *elt, cmcas_store_cursor_t *cur,
                                              apr_dbd_row_t *row)
{
    cmcas_activity_t *a = elt;

    a->id = cmcas_store_int(cur, row, 0);
    a->cmcas_code = cmcas_store_str(cur, row, 1);
    a->cmcas_name = cmcas_store_str(cur, row, 2);
    a->theme = cmcas_store_str(cur, row, 3);
    a->title = cmcas_store_str(cur, row, 4);
    a->description = cmcas_store_str(cur, row, 5);
    a->image = cmcas_store_str(cur, row, 6);
    a->place = cmcas_store_str(cur, row, 7);
    a->start_date = cmcas_store_str(cur, row, 8);
    a->end_date = cmcas_store_str(cur, row, 9);
    a->closing_date = cmcas_store_str(cur, row, 10);
    a->published_at = cmcas_store_str(cur, row, 11);
    a->capacity = cmcas_store_int(cur, row, 12);
    a->places_taken = cmcas_store_int(cur, row, 13);
    a->open_to_others = cmcas_store_int(cur, row, 14) != 0;
    a->mode = cmcas_store_str(cur, row, 15);
    a->guests_allowed = cmcas_store_int(cur, row, 16) != 0;
    a->max_guests = cmcas_store_int_or(cur, row, 17, -1);
    a->min_age = cmcas_store_int_or(cur, row, 18, -1);
    a->max_age = cmcas_store_int_or(cur, row, 19, -1);
    a->draw_seed = cmcas_store_str(cur, row, 20);
    a->draw_done_at = cmcas_store_str(cur, row, 21);
    a->draw_published_at = cmcas_store_str(cur, row, 22);
    a->draw_places = cmcas_store_int_or(cur, row, 23, -1);
    if (a->image && !*a->image) {
        a->image = NULL;
    }
}

/* The arguments of the filter (after the first column's): CMCAS, dates, theme, search. */
static int cmcas_catalog_store_filter(const char **args, const cmcas_catalog_store_query_t *q)
{
    const char *theme = q->theme ? q->theme : "";
    int n = 0;

    args[n++] = q->own_code;
    args[n++] = q->today;
    args[n++] = q->today;
    args[n++] = theme;
    args[n++] = theme;
    if (q->match) {
        args[n++] = q->match;
    }
    return n;
}

/* Up to `limit` rows of one segment (open or closed) from `offset`, appended to *pacts. */
static apr_status_t cmcas_catalog_store_segment(apr_array_header_t **pacts,
                                                const cmcas_store_t *st, apr_pool_t *p,
                                                const char *label,
                                                const cmcas_catalog_store_query_t *q,
                                                int open, int limit, int offset,
                                                const char **perr)
{
    const char *args[10];
    apr_array_header_t *rows = NULL;
    apr_status_t rv;
    int n = cmcas_catalog_store_filter(args, q);

    args[n++] = q->today;
    args[n++] = open ? "1" : "0";
    args[n++] = apr_itoa(p, limit);
    args[n++] = apr_itoa(p, offset);
    rv = cmcas_store_all(&rows, st, p, label, n, args, sizeof(cmcas_activity_t),
                         cmcas_catalog_store_read_activity, perr);
    if (APR_SUCCESS == rv) {
        if (*pacts) {
            apr_array_cat(*pacts, rows);
        }
        else {
            *pacts = rows;
        }
    }
    return rv;
}

apr_status_t cmcas_catalog_store_page(apr_array_header_t **pacts, int *ptotal,
                                     const cmcas_store_t *st, apr_pool_t *p,
                                     const cmcas_catalog_store_query_t *q, const char **perr)
{
    const char *args[10];
    const char *label = apr_pstrcat(p, q->others ? "cmcas_catalog_others"
                                                 : "cmcas_catalog_own",
                                    q->match ? "_q" : "", NULL);
    apr_array_header_t *count = NULL;
    apr_int64_t listed, open;
    apr_status_t rv;
    int n;

    *pacts = NULL;
    *ptotal = 0;
    args[0] = q->today;
    n = 1 + cmcas_catalog_store_filter(args + 1, q);
    rv = cmcas_store_all(&count, st, p, apr_pstrcat(p, label, q->match ? "n" : "_n", NULL),
                         n, args, 2 * sizeof(apr_int64_t), cmcas_store_read_pair,
                         perr);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    listed = count->nelts ? ((apr_int64_t *)count->elts)[0] : 0;
    open = count->nelts ? ((apr_int64_t *)count->elts)[1] : 0;
    *ptotal = (int)listed;
    /* Open ones first: a page may straddle the two segments. */
    if (q->offset < open) {
        rv = cmcas_catalog_store_segment(pacts, st, p, label, q, 1, q->limit, q->offset,
                                         perr);
        if (APR_SUCCESS == rv && (*pacts)->nelts < q->limit && open < listed) {
            rv = cmcas_catalog_store_segment(pacts, st, p, label, q, 0,
                                             q->limit - (*pacts)->nelts, 0, perr);
        }
        return rv;
    }
    if (q->offset >= listed) {
        *pacts = apr_array_make(p, 1, sizeof(cmcas_activity_t));
        return APR_SUCCESS;
    }
    return cmcas_catalog_store_segment(pacts, st, p, label, q, 0, q->limit,
                                       q->offset - (int)open, perr);
}

apr_status_t cmcas_catalog_store_version(cmcas_page_cache_version_t *v,
                                         const cmcas_store_t *st, apr_pool_t *p,
                                         const char **perr)
{
    apr_array_header_t *rows = NULL;
    apr_status_t rv = cmcas_store_all(&rows, st, p, "cmcas_data_version", 0, NULL,
                                      2 * sizeof(apr_int64_t),
                                      cmcas_store_read_pair, perr);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    if (!rows->nelts) {
        *perr = "cmcas_data_version has no row (schema 007 not applied?)";
        return APR_NOTFOUND;
    }
    v->catalog = ((apr_int64_t *)rows->elts)[0];
    v->places = ((apr_int64_t *)rows->elts)[1];
    return APR_SUCCESS;
}

apr_status_t cmcas_catalog_store_activity(cmcas_activity_t **pact, const cmcas_store_t *st,
                                  apr_pool_t *p, apr_int64_t id, const char **perr)
{
    const char *arg = apr_psprintf(p, "%" APR_INT64_T_FMT, id);
    apr_array_header_t *rows = NULL;
    apr_status_t rv;

    *pact = NULL;
    rv = cmcas_store_all(&rows, st, p, "cmcas_activity", 1, &arg, sizeof(cmcas_activity_t),
                         cmcas_catalog_store_read_activity, perr);
    if (APR_SUCCESS != rv) {
        return rv;
    }
    *pact = rows->nelts ? &APR_ARRAY_IDX(rows, 0, cmcas_activity_t) : NULL;
    return *pact ? APR_SUCCESS : APR_NOTFOUND;
}

static void cmcas_catalog_store_read_option(void *elt, cmcas_store_cursor_t *cur,
                                            apr_dbd_row_t *row)
{
    cmcas_activity_option_t *o = elt;
    o->id = cmcas_store_int(cur, row, 0);
    o->label = cmcas_store_str(cur, row, 1);
    o->price_beneficiary = cmcas_store_int(cur, row, 2);
    o->participation_beneficiary = cmcas_store_int(cur, row, 3);
    o->price_guest = cmcas_store_int(cur, row, 4);
    o->participation_guest = cmcas_store_int(cur, row, 5);
    o->min_age = cmcas_store_int_or(cur, row, 6, -1);
    o->max_age = cmcas_store_int_or(cur, row, 7, -1);
}

apr_status_t cmcas_catalog_store_options(apr_array_header_t **popts, const cmcas_store_t *st,
                                 apr_pool_t *p, apr_int64_t activity_id,
                                 const char **perr)
{
    const char *arg = apr_psprintf(p, "%" APR_INT64_T_FMT, activity_id);
    return cmcas_store_all(popts, st, p, "cmcas_activity_options", 1, &arg,
                           sizeof(cmcas_activity_option_t),
                           cmcas_catalog_store_read_option, perr);
}
