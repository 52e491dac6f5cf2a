/* cmcas-migrate: the database's schema version, and the migrations that bring it to the
 * module's (docs/operations.md, « Upgrading »). A C program on apr_dbd, as the module:
 * the same drivers and the same DBDriver/DBDParams on both engines, and no sqlite3 or
 * psql client needed on the server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_file_info.h>
#include <apr_strings.h>
#include <apr_dbd.h>

#include "../mod_cmcas/cmcas_schema.h"
#include "../mod_cmcas/cmcas_sqlite_wait.h"

#ifndef CMCAS_DEFAULT_SQL_DIR
#define CMCAS_DEFAULT_SQL_DIR "/usr/share/mod_cmcas/sql"
#endif

/* Exit codes (documented in --help). */
#define CMCAS_MIGRATE_OK 0
#define CMCAS_MIGRATE_BEHIND 1
#define CMCAS_MIGRATE_USAGE 2
#define CMCAS_MIGRATE_AHEAD 3
#define CMCAS_MIGRATE_FAILED 4

static const char cmcas_migrate_help[] =
"usage: cmcas-migrate [--driver sqlite3|pgsql] --params PARAMS [--schema-dir DIR]\n"
"                     status|apply|init\n"
"\n"
"Tells the schema version of mod_cmcas's database and applies the migrations that bring\n"
"it to the version of the installed schema files (one file per version, NNN_*.sql).\n"
"\n"
"Commands:\n"
"  status   prints the database's version, the schema files' version, the version this\n"
"           build of mod_cmcas is made for, and the migrations not applied yet\n"
"  apply    applies the pending migrations in order, each in a transaction of its own;\n"
"           stops at the first that fails, the database left at the last version that\n"
"           succeeded; does nothing when the database is up to date; refuses a database\n"
"           newer than the files, and one without mod_cmcas's schema (see init)\n"
"  init     creates the schema in a new, empty database (every migration from 001);\n"
"           on SQLite, creates the file (in WAL mode) if it does not exist\n"
"\n"
"Options (as httpd.conf's mod_dbd directives):\n"
"  --driver NAME      DBDriver: sqlite3 (the default) or pgsql\n"
"  --params PARAMS    DBDParams: SQLite's database file, or PostgreSQL's connection\n"
"                     string (\"host=... dbname=cmcas user=cmcas\"; the password in a\n"
"                     passfile, as for Apache)\n"
"  --schema-dir DIR   the migrations (default " CMCAS_DEFAULT_SQL_DIR "/sqlite or\n"
"                     " CMCAS_DEFAULT_SQL_DIR "/pgsql, by driver)\n"
"  --help             this text\n"
"  --version          the schema version this build of mod_cmcas is made for\n"
"\n"
"Back the database up first. On SQLite, run it as Apache's user (www-data), so that the\n"
"files SQLite creates beside the database stay Apache's; Apache may keep running: the\n"
"portal answers 503 pages while its database is older than the module, and serves again\n"
"within seconds of the migration, without a restart.\n"
"\n"
"Exit status: 0 up to date (status) or done (apply, init); 1 migrations pending\n"
"(status); 2 bad usage; 3 the database is newer than the schema files; 4 a failure\n"
"(no connection, unreadable schema files, a migration failed, init on a database that\n"
"has the schema, apply on one that has none).\n";

typedef struct {
    const char *driver_name;
    const char *params;
    const char *schema_dir;
    const char *command;
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_array_header_t *files;
    apr_int64_t db_version;
} cmcas_migrate_t;

static int cmcas_migrate_usage(const char *why)
{
    fprintf(stderr, "cmcas-migrate: %s\n(cmcas-migrate --help tells how to use it)\n", why);
    return CMCAS_MIGRATE_USAGE;
}

/* An option's value, given as "--name value" or "--name=value"; NULL: not this one. */
static const char *cmcas_migrate_option(const char *name, int argc, const char *const *argv,
                                        int *pi)
{
    size_t n = strlen(name);

    if (strncmp(argv[*pi], name, n)) {
        return NULL;
    }
    if (argv[*pi][n] == '=') {
        return argv[*pi] + n + 1;
    }
    if (argv[*pi][n] == '\0' && *pi + 1 < argc) {
        return argv[++*pi];
    }
    return NULL;
}

static int cmcas_migrate_args(cmcas_migrate_t *m, apr_pool_t *p, int argc,
                              const char *const *argv)
{
    int i;

    memset(m, 0, sizeof(*m));
    m->driver_name = "sqlite3";
    for (i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(cmcas_migrate_help, stdout);
            exit(CMCAS_MIGRATE_OK);
        }
        if (!strcmp(argv[i], "--version")) {
            printf("cmcas-migrate: mod_cmcas schema %d\n", CMCAS_SCHEMA_VERSION);
            exit(CMCAS_MIGRATE_OK);
        }
        if ((v = cmcas_migrate_option("--driver", argc, argv, &i))) {
            m->driver_name = v;
        }
        else if ((v = cmcas_migrate_option("--params", argc, argv, &i))) {
            m->params = v;
        }
        else if ((v = cmcas_migrate_option("--schema-dir", argc, argv, &i))) {
            m->schema_dir = v;
        }
        else if (argv[i][0] == '-' || m->command) {
            return cmcas_migrate_usage(apr_psprintf(p, "unexpected argument « %s »",
                                                    argv[i]));
        }
        else {
            m->command = argv[i];
        }
    }
    if (!m->command || (strcmp(m->command, "status") && strcmp(m->command, "apply")
                        && strcmp(m->command, "init"))) {
        return cmcas_migrate_usage("a command is needed: status, apply or init");
    }
    if (!cmcas_schema_engine_dir(m->driver_name)) {
        return cmcas_migrate_usage("--driver is sqlite3 or pgsql");
    }
    if (!m->params || !*m->params) {
        return cmcas_migrate_usage("--params is needed (httpd.conf's DBDParams)");
    }
    if (!m->schema_dir) {
        m->schema_dir = apr_pstrcat(p, CMCAS_DEFAULT_SQL_DIR, "/",
                                    cmcas_schema_engine_dir(m->driver_name), NULL);
    }
    return CMCAS_MIGRATE_OK;
}

static int cmcas_migrate_connect(cmcas_migrate_t *m, apr_pool_t *p)
{
    const char *err = NULL;
    apr_finfo_t fi;
    apr_status_t rv;
    int sqlite = !strcmp(m->driver_name, "sqlite3");

    /* SQLite creates a missing file: only init may (a wrong path must not become a new,
     * empty database). */
    if (sqlite && strcmp(m->command, "init")
        && APR_SUCCESS != apr_stat(&fi, m->params, APR_FINFO_TYPE, p)) {
        fprintf(stderr, "cmcas-migrate: no database file %s (cmcas-migrate init creates "
                "a new one)\n", m->params);
        return CMCAS_MIGRATE_FAILED;
    }
    apr_dbd_init(p);
    if (sqlite) {
        cmcas_sqlite_wait_install(p, 30000);     /* the portal may be writing */
    }
    if (APR_SUCCESS != (rv = apr_dbd_get_driver(p, m->driver_name, &m->driver))) {
        fprintf(stderr, "cmcas-migrate: apr_dbd has no %s driver%s\n", m->driver_name,
                sqlite ? " (Debian: libaprutil1-dbd-sqlite3)"
                       : " (Debian: libaprutil1-dbd-pgsql)");
        return CMCAS_MIGRATE_FAILED;
    }
    if (APR_SUCCESS != apr_dbd_open_ex(m->driver, p, m->params, &m->handle, &err)) {
        fprintf(stderr, "cmcas-migrate: cannot connect to the %s database: %s\n",
                m->driver_name, err ? err : "(no message)");
        return CMCAS_MIGRATE_FAILED;
    }
    /* Foreign keys off (SQLite's default, made sure of): a table a migration rebuilds
     * is dropped and created again, which the references must not follow. */
    if (sqlite && APR_SUCCESS != cmcas_schema_exec(m->driver, m->handle,
                                                   "PRAGMA foreign_keys = OFF", p, &err)) {
        fprintf(stderr, "cmcas-migrate: %s\n", err);
        return CMCAS_MIGRATE_FAILED;
    }
    if (APR_SUCCESS != cmcas_schema_db_version(&m->db_version, m->driver, m->handle, p,
                                               &err)) {
        fprintf(stderr, "cmcas-migrate: cannot read the database's schema version: %s\n",
                err);
        return CMCAS_MIGRATE_FAILED;
    }
    return CMCAS_MIGRATE_OK;
}

static int cmcas_migrate_files_version(const cmcas_migrate_t *m)
{
    return APR_ARRAY_IDX(m->files, m->files->nelts - 1, cmcas_schema_file_t).version;
}

static int cmcas_migrate_status(cmcas_migrate_t *m)
{
    int files = cmcas_migrate_files_version(m), i, pending = 0;

    printf("database: %s%s%s\n", m->driver_name,
           strcmp(m->driver_name, "sqlite3") ? "" : " ",
           strcmp(m->driver_name, "sqlite3") ? "" : m->params);
    printf("database schema: %" APR_INT64_T_FMT "%s\n", m->db_version,
           m->db_version ? "" : " (no mod_cmcas schema: cmcas-migrate init creates it)");
    printf("schema files: %d (%s)\n", files, m->schema_dir);
    printf("module schema: %d\n", CMCAS_SCHEMA_VERSION);
    for (i = 0; i < m->files->nelts; i++) {
        const cmcas_schema_file_t *f = &APR_ARRAY_IDX(m->files, i, cmcas_schema_file_t);
        if (f->version > m->db_version) {
            printf("%s %s\n", pending++ ? "        " : "pending:", f->name);
        }
    }
    if (m->db_version > files) {
        printf("state: ahead: the database is newer than the schema files (another "
               "--schema-dir, or a newer mod_cmcas installed elsewhere?)\n");
        return CMCAS_MIGRATE_AHEAD;
    }
    if (pending) {
        printf("state: behind: %d migration(s) to apply (cmcas-migrate %s)\n", pending,
               m->db_version ? "apply" : "init");
        return CMCAS_MIGRATE_BEHIND;
    }
    printf("state: up to date\n");
    return CMCAS_MIGRATE_OK;
}

static int cmcas_migrate_apply(cmcas_migrate_t *m, apr_pool_t *p)
{
    int files = cmcas_migrate_files_version(m), init = !strcmp(m->command, "init"), i;
    int applied = 0;
    const char *err = NULL;

    if (m->db_version > files) {
        fprintf(stderr, "cmcas-migrate: the database is at schema %" APR_INT64_T_FMT ", "
                "newer than the schema files (%d, %s): nothing done\n", m->db_version,
                files, m->schema_dir);
        return CMCAS_MIGRATE_AHEAD;
    }
    if (init && m->db_version) {
        fprintf(stderr, "cmcas-migrate: the database has mod_cmcas's schema already "
                "(version %" APR_INT64_T_FMT "): cmcas-migrate apply upgrades it\n",
                m->db_version);
        return CMCAS_MIGRATE_FAILED;
    }
    if (!init && !m->db_version) {
        fprintf(stderr, "cmcas-migrate: the database has no mod_cmcas schema (no table "
                "cmcas_schema_version): is --params the right database? cmcas-migrate "
                "init creates the schema in a new one\n");
        return CMCAS_MIGRATE_FAILED;
    }
    /* WAL is the file's, set once, outside any transaction (docs/operations.md). */
    if (init && !strcmp(m->driver_name, "sqlite3")
        && APR_SUCCESS != cmcas_schema_exec(m->driver, m->handle,
                                            "PRAGMA journal_mode = WAL", p, &err)) {
        fprintf(stderr, "cmcas-migrate: cannot set WAL mode: %s\n", err);
        return CMCAS_MIGRATE_FAILED;
    }
    for (i = 0; i < m->files->nelts; i++) {
        const cmcas_schema_file_t *f = &APR_ARRAY_IDX(m->files, i, cmcas_schema_file_t);
        if (f->version <= m->db_version) {
            continue;
        }
        if (APR_SUCCESS != cmcas_schema_apply(m->driver, m->handle, f, p, &err)) {
            fprintf(stderr, "cmcas-migrate: %s\ncmcas-migrate: stopped; the database "
                    "stays at schema %" APR_INT64_T_FMT "\n", err, m->db_version);
            return CMCAS_MIGRATE_FAILED;
        }
        m->db_version = f->version;
        applied++;
        printf("applied %s\n", f->name);
    }
    printf("database schema: %" APR_INT64_T_FMT " (up to date%s)\n", m->db_version,
           applied ? "" : ", nothing to apply");
    return CMCAS_MIGRATE_OK;
}

int main(int argc, const char *const *argv)
{
    cmcas_migrate_t m;
    const char *err = NULL;
    apr_pool_t *p;
    int rc;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&p, NULL);
    if (CMCAS_MIGRATE_OK != (rc = cmcas_migrate_args(&m, p, argc, argv))) {
        goto end;
    }
    if (APR_SUCCESS != cmcas_schema_files(&m.files, m.schema_dir, p, &err)) {
        fprintf(stderr, "cmcas-migrate: %s (--schema-dir names another directory)\n", err);
        rc = CMCAS_MIGRATE_FAILED;
        goto end;
    }
    if (CMCAS_MIGRATE_OK != (rc = cmcas_migrate_connect(&m, p))) {
        goto end;
    }
    rc = !strcmp(m.command, "status") ? cmcas_migrate_status(&m) : cmcas_migrate_apply(&m, p);
    apr_dbd_close(m.driver, m.handle);
end:
    apr_pool_destroy(p);
    apr_terminate();
    return rc;
}
