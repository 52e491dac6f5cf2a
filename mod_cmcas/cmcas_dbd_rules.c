#include <apr_strings.h>
#include <apr_lib.h>

#include "cmcas_dbd_rules.h"

/* Whether `sql` is the pragma `name` (any case and spacing). */
static int cmcas_dbd_rules_pragma(const char *sql, const char *name)
{
    apr_size_t n = strlen(name);

    while (apr_isspace(*sql)) {
        sql++;
    }
    if (strncasecmp(sql, "PRAGMA", 6) || !apr_isspace(sql[6])) {
        return 0;
    }
    sql += 6;
    while (apr_isspace(*sql)) {
        sql++;
    }
    return !strncasecmp(sql, name, n) && !apr_isalnum(sql[n]) && sql[n] != '_';
}

static const char *cmcas_dbd_rules_sqlite(apr_pool_t *p, const cmcas_dbd_rules_t *dbd)
{
    int i, n = dbd->init_sql ? dbd->init_sql->nelts : 0;

    /* apr-util's driver keeps its process-wide lock while SQLite waits for another
     * connection's write: two connections in one child stall each other. */
    if (dbd->threaded && dbd->max != 1) {
        return apr_psprintf(p, "with DBDriver sqlite3, each child must have one connection "
                            "(DBDMin 1, DBDKeep 1, DBDMax 1): %s lets two threads of a "
                            "child stall each other on SQLite's write lock",
                            dbd->max < 0 ? "mod_dbd's default DBDMax (10)"
                                         : apr_psprintf(p, "DBDMax %d", dbd->max));
    }
    for (i = 0; i < n; i++) {
        const char *sql = APR_ARRAY_IDX(dbd->init_sql, i, const char *);
        if (cmcas_dbd_rules_pragma(sql, "foreign_keys")) {
            return apr_psprintf(p, "DBDInitSQL \"%s\": mod_dbd runs it after preparing "
                                "the statements, which it expires, and apr-util never "
                                "prepares them again (every query would fail)", sql);
        }
        if (cmcas_dbd_rules_pragma(sql, "journal_mode")) {
            return apr_psprintf(p, "DBDInitSQL \"%s\": WAL mode is set once on the "
                                "database file (sqlite3 FILE 'PRAGMA journal_mode = WAL'), "
                                "and this statement returns a row, which makes mod_dbd "
                                "skip the DBDInitSQL after it", sql);
        }
        if (cmcas_dbd_rules_pragma(sql, "busy_timeout") && i < n - 1) {
            return apr_psprintf(p, "DBDInitSQL \"%s\" must be the last DBDInitSQL: it "
                                "returns a row, and mod_dbd then silently skips the ones "
                                "after it", sql);
        }
    }
    return NULL;
}

/* mod_dbd's defaults (DEFAULT_NMIN, DEFAULT_NKEEP, DEFAULT_NMAX in mod_dbd.c). */
#define CMCAS_DBD_RULES_MIN 1
#define CMCAS_DBD_RULES_KEEP 2
#define CMCAS_DBD_RULES_MAX 10

const char *cmcas_dbd_rules_check(apr_pool_t *p, const cmcas_dbd_rules_t *dbd)
{
    int i;
    int min = dbd->min >= 0 ? dbd->min : CMCAS_DBD_RULES_MIN;
    int keep = dbd->keep >= 0 ? dbd->keep : CMCAS_DBD_RULES_KEEP;
    int max = dbd->max >= 0 ? dbd->max : CMCAS_DBD_RULES_MAX;

    if (!dbd->driver) {
        return NULL;            /* mod_dbd itself refuses to start without one */
    }
    /* apr_reslist_create refuses these, and mod_dbd then opens no connection at all
     * (every page a 503), saying so only in the error log of each child. */
    if (dbd->threaded && (min > keep || keep > max || max < 1)) {
        return apr_psprintf(p, "DBDMin %d, DBDKeep %d, DBDMax %d: mod_dbd needs "
                            "DBDMin <= DBDKeep <= DBDMax and DBDMax >= 1 (the values "
                            "not set are its defaults: 1, 2, 10), or it opens no "
                            "connection at all", min, keep, max);
    }
    if (!strcmp(dbd->driver, "sqlite3")) {
        return cmcas_dbd_rules_sqlite(p, dbd);
    }
    if (strcmp(dbd->driver, "pgsql")) {
        return apr_psprintf(p, "DBDriver %s: the module's schema and statements are "
                            "written for sqlite3 and pgsql only", dbd->driver);
    }
    for (i = 0; dbd->init_sql && i < dbd->init_sql->nelts; i++) {
        const char *sql = APR_ARRAY_IDX(dbd->init_sql, i, const char *);
        if (!strncasecmp(sql + strspn(sql, " \t\r\n"), "PRAGMA", 6)) {
            return apr_psprintf(p, "DBDInitSQL \"%s\" is SQLite's: with DBDriver pgsql "
                                "it fails on every new connection", sql);
        }
    }
    return NULL;
}
