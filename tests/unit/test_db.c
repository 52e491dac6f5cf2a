/* A real SQLite database for the flow tests: a temporary file with the schema of
 * sql/sqlite/, a few rows, and an apr_dbd connection with every statement of the module
 * prepared, as mod_dbd would do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>
#include <apr_file_info.h>
#include <apr_file_io.h>
#include <sqlite3.h>

#include "test_db.h"

static int test_db_inited;

/* The schema files in version order (NNN_*.sql). */
static void test_db_schema(sqlite3 *db, apr_pool_t *p)
{
    apr_dir_t *dir;
    apr_finfo_t fi;
    apr_array_header_t *names = apr_array_make(p, 8, sizeof(const char *));
    const char *path = CMCAS_SRCDIR "/sql/sqlite";
    int i, j;

    ck_assert_int_eq(apr_dir_open(&dir, path, p), APR_SUCCESS);
    while (APR_SUCCESS == apr_dir_read(&fi, APR_FINFO_NAME, dir)) {
        if (strlen(fi.name) > 8 && fi.name[0] >= '0' && fi.name[0] <= '9'
            && !strcmp(fi.name + strlen(fi.name) - 4, ".sql")) {
            *(const char **)apr_array_push(names) = apr_pstrdup(p, fi.name);
        }
    }
    apr_dir_close(dir);
    for (i = 1; i < names->nelts; i++) {          /* a few files: insertion sort */
        for (j = i; j > 0 && strcmp(APR_ARRAY_IDX(names, j - 1, const char *),
                                    APR_ARRAY_IDX(names, j, const char *)) > 0; j--) {
            const char *t = APR_ARRAY_IDX(names, j, const char *);
            APR_ARRAY_IDX(names, j, const char *) = APR_ARRAY_IDX(names, j - 1, const char *);
            APR_ARRAY_IDX(names, j - 1, const char *) = t;
        }
    }
    for (i = 0; i < names->nelts; i++) {
        char *sql = NULL, *err = NULL;
        apr_size_t len;
        apr_file_t *f;
        apr_finfo_t info;
        const char *file = apr_pstrcat(p, path, "/", APR_ARRAY_IDX(names, i, const char *),
                                       NULL);

        ck_assert_int_eq(apr_file_open(&f, file, APR_FOPEN_READ, 0, p), APR_SUCCESS);
        ck_assert_int_eq(apr_file_info_get(&info, APR_FINFO_SIZE, f), APR_SUCCESS);
        len = (apr_size_t)info.size;
        sql = apr_pcalloc(p, len + 1);
        ck_assert_int_eq(apr_file_read_full(f, sql, len, NULL), APR_SUCCESS);
        apr_file_close(f);
        if (SQLITE_OK != sqlite3_exec(db, sql, NULL, NULL, &err)) {
            ck_abort_msg("%s: %s", file, err ? err : "?");
        }
    }
}

static const char test_db_rows[] =
    "INSERT INTO cmcas (code, name) VALUES ('BN', 'CMCAS Berry-Nivernais'),"
    " ('TO', 'CMCAS Touraine');"
    "INSERT INTO household (id, cmcas_code, login, password, email) VALUES"
    " (1, 'BN', 'gael', 'x', 'gael@example.org'), (2, 'BN', 'martine', 'x', 'm@example.org'),"
    " (3, 'TO', 'sophie', 'x', 's@example.org');"
    "INSERT INTO person (id, household_id, role, last_name, first_name, birth_date) VALUES"
    " (1, 1, 'OD', 'CLASSEN', 'Gael', '1980-05-04'),"
    " (2, 1, 'AD', 'CLASSEN', 'Louane', '2018-02-10'),"
    " (3, 2, 'OD', 'DUPONT', 'Martine', '1975-01-01'),"
    " (4, 3, 'OD', 'MARTIN', 'Sophie', '1979-03-03');"
    /* 1: paid at once, 3 places; 2: tour de rôle; 3: Touraine's, not open to others. */
    "INSERT INTO activity (id, cmcas_code, theme, title, start_date, end_date, closing_date,"
    " capacity, published_at, open_to_others, mode) VALUES"
    " (1, 'BN', 'LOISIR', 'Atelier gourmand', '2027-06-10', '2027-06-10', '2027-06-01', 3,"
    "  '2026-01-01', 1, 'immediat'),"
    " (2, 'BN', 'VOYAGE-SEJOUR', 'Cité des Sciences', '2027-06-10', '2027-06-10',"
    "  '2027-06-01', 10, '2026-01-01', 0, 'tour_de_role'),"
    " (3, 'TO', 'SPORT', 'Randonnée', '2027-06-10', '2027-06-10', '2027-06-01', 10,"
    "  '2026-01-01', 0, 'immediat');"
    "INSERT INTO activity_option (id, activity_id, position, label, price_beneficiary,"
    " participation_beneficiary, price_guest, participation_guest, min_age, max_age) VALUES"
    " (1, 1, 1, 'Atelier', 3000, 1000, 4000, 0, NULL, NULL),"
    " (2, 1, 2, 'Place enfant (< 12 ans)', 1000, 500, 1500, 0, NULL, 11),"
    " (3, 2, 1, 'Journée', 2000, 1000, 3000, 0, NULL, NULL),"
    " (4, 3, 1, 'Randonnée', 500, 0, 800, 0, NULL, NULL);";

/* A connection with every statement prepared, as mod_dbd makes one. */
static void test_db_connect(test_db_t *t)
{
    apr_pool_t *p = t->pool;
    int i, n = 0;

    ck_assert_int_eq(apr_dbd_open(t->st.driver, p, t->path, &t->st.handle), APR_SUCCESS);
    ck_assert_int_eq(apr_dbd_query(t->st.driver, t->st.handle, &n,
                                   "PRAGMA foreign_keys = ON"), 0);
    t->st.prepared = apr_hash_make(p);
    for (i = 0; cmcas_store_registry[i]; i++) {
        const cmcas_store_stmt_t *s;
        for (s = cmcas_store_registry[i]; s->label; s++) {
            apr_dbd_prepared_t *stmt = NULL;
            int rc = apr_dbd_prepare(t->st.driver, p, t->st.handle, s->sql, s->label, &stmt);
            ck_assert_msg(rc == 0, "%s does not prepare: %s", s->label,
                          apr_dbd_error(t->st.driver, t->st.handle, rc));
            ck_assert_ptr_null(apr_hash_get(t->st.prepared, s->label, APR_HASH_KEY_STRING));
            apr_hash_set(t->st.prepared, s->label, APR_HASH_KEY_STRING, stmt);
        }
    }
}

void test_db_reconnect(test_db_t *t)
{
    apr_dbd_close(t->st.driver, t->st.handle);
    test_db_connect(t);
}

void test_db_open(test_db_t *t, apr_pool_t *p)
{
    char path[] = "/tmp/cmcas-test-XXXXXX";
    sqlite3 *db;
    char *err = NULL;
    int fd;

    memset(t, 0, sizeof(*t));
    t->pool = p;
    if (!test_db_inited) {
        apr_dbd_init(p);
        test_db_inited = 1;
    }
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    t->path = apr_pstrdup(p, path);
    ck_assert_int_eq(sqlite3_open(t->path, &db), SQLITE_OK);
    test_db_schema(db, p);
    if (SQLITE_OK != sqlite3_exec(db, test_db_rows, NULL, NULL, &err)) {
        ck_abort_msg("rows: %s", err ? err : "?");
    }
    sqlite3_close(db);

    ck_assert_int_eq(apr_dbd_get_driver(p, "sqlite3", &t->st.driver), APR_SUCCESS);
    test_db_connect(t);
}

void test_db_close(test_db_t *t)
{
    apr_dbd_close(t->st.driver, t->st.handle);
    unlink(t->path);
}

apr_int64_t test_db_int(test_db_t *t, const char *sql)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    apr_int64_t v = -1;
    const char *s;

    ck_assert_int_eq(apr_dbd_select(t->st.driver, t->pool, t->st.handle, &res, sql, 0), 0);
    while (apr_dbd_get_row(t->st.driver, t->pool, res, &row, -1) == 0) {
        s = apr_dbd_get_entry(t->st.driver, row, 0);
        v = s ? apr_atoi64(s) : -1;
    }
    return v;
}

const char *test_db_str(test_db_t *t, const char *sql)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *v = NULL, *s;

    ck_assert_int_eq(apr_dbd_select(t->st.driver, t->pool, t->st.handle, &res, sql, 0), 0);
    while (apr_dbd_get_row(t->st.driver, t->pool, res, &row, -1) == 0) {
        s = apr_dbd_get_entry(t->st.driver, row, 0);
        v = s ? apr_pstrdup(t->pool, s) : NULL;
    }
    return v;
}

void test_db_exec(test_db_t *t, const char *sql)
{
    int n = 0;
    ck_assert_msg(apr_dbd_query(t->st.driver, t->st.handle, &n, sql) == 0, "%s: %s", sql,
                  apr_dbd_error(t->st.driver, t->st.handle, 1));
}
