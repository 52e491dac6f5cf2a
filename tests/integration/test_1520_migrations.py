"""Schema migrations (issue 14): `cmcas-migrate` and the module's check of the schema
version, on the engine under test (CMCAS_ENGINE).

A portal started on a database made by 001_schema.sql alone answers the 503 page and logs
once « database schema 1 is older than the module's N: run cmcas-migrate apply »;
`cmcas-migrate status` says 1 and lists 002..N; `apply` brings it to N, and the same
portal, without a restart, serves the catalogue once the demo's data are in; `apply`
again changes nothing. A broken migration stops `apply` at the last good version (exit
non-zero, the broken file's changes rolled back), and a database with rows at an
intermediate version keeps them through the upgrade."""

import os
import re
import shutil
import sqlite3
import subprocess
import time

import pytest
import requests

from cmcas_httpd import (CmcasHttpd, DEMO_PASSWORD, DEMO_SQL, ENGINE, GEN_DIR, REPO,
                         RUN_GROUP, RUN_USER, running_as_root)

MIGRATE = os.path.join(REPO, "cmcas-migrate")
ENGINE_DIR = "pgsql" if ENGINE == "pgsql" else "sqlite"
SCHEMA_DIR = os.path.join(REPO, "sql", ENGINE_DIR)
FILES = sorted(f for f in os.listdir(SCHEMA_DIR) if re.match(r"\d{3}_.*\.sql$", f))
LATEST = len(FILES)

# While the database is older than the module, mod_dbd cannot prepare the module's
# statements: its own lines (AH00632 and the like) and the background jobs' say so, at
# start and whenever a job runs. They are mod_dbd's and the jobs', not what is tested.
OLD_SCHEMA_NOISE = [r"AH0063\d", r"\[dbd:", r"CMCAS(11|62|87|89|90|101)\b",
                    r"background job", r"no database connection"]


def run_as_user():
    """SQLite's files (-wal, -shm) are created as Apache's user, as documented."""
    return dict(user=RUN_USER, group=RUN_GROUP) if running_as_root() else {}


def pg_params(db):
    import cmcas_pg
    pg = cmcas_pg.shared()
    return f"host={pg.host} port={pg.port} dbname={db} user=cmcas"


def migrate(params, command, schema_dir=SCHEMA_DIR):
    """cmcas-migrate as the operator runs it (DBDriver and DBDParams of httpd.conf)."""
    driver = "pgsql" if ENGINE == "pgsql" else "sqlite3"
    return subprocess.run([MIGRATE, "--driver", driver, "--params", params,
                           "--schema-dir", schema_dir, command],
                          capture_output=True, text=True, timeout=120, **run_as_user())


def files_up_to(version, schema_dir=SCHEMA_DIR):
    return [os.path.join(schema_dir, f) for f in FILES[:version]]


def make_database(where, version):
    """A database made by the migrations 001..version only (SQLite: the file `where`;
    PostgreSQL: the database named `where`); returns cmcas-migrate's --params."""
    if ENGINE == "pgsql":
        import cmcas_pg
        pg = cmcas_pg.shared()
        cmcas_pg.forget(pg, where)
        pg.psql(f'DROP DATABASE IF EXISTS "{where}" WITH (FORCE)', db="postgres",
                user="postgres")
        pg.psql(f'CREATE DATABASE "{where}" OWNER cmcas', db="postgres", user="postgres")
        for path in files_up_to(version):
            with open(path, encoding="utf-8") as f:
                pg.psql(f.read(), db=where)
        return pg_params(where)
    os.makedirs(os.path.dirname(where), exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(where + suffix):
            os.unlink(where + suffix)
    db = sqlite3.connect(where, isolation_level=None)
    try:
        for path in files_up_to(version):
            with open(path, encoding="utf-8") as f:
                db.executescript(f.read())
        if version:
            db.execute("PRAGMA journal_mode=WAL")   # (an empty file: init sets it)
    finally:
        db.close()
    CmcasHttpd.give_to_run_user(os.path.dirname(where))
    return where


def query(where, statement):
    """Rows of a statement on a database make_database made."""
    if ENGINE == "pgsql":
        import cmcas_pg
        return cmcas_pg.query(cmcas_pg.shared(), where, statement)
    db = sqlite3.connect(where, isolation_level=None)
    try:
        return db.execute(statement).fetchall()
    finally:
        db.close()


def script(where, text):
    if ENGINE == "pgsql":
        import cmcas_pg
        cmcas_pg.execute(cmcas_pg.shared(), where, text)
        return
    db = sqlite3.connect(where, isolation_level=None)
    try:
        db.executescript(text)
    finally:
        db.close()


class OldSchemaHttpd(CmcasHttpd):
    """A portal whose database the first `version` migrations alone made (no data)."""

    def __init__(self, name, version=1, **kwargs):
        self.version = version
        super().__init__(name, **kwargs)

    def create_db(self, path=None):
        make_database(self.pg_db if ENGINE == "pgsql" else self.db_path, self.version)

    def params(self):
        return pg_params(self.pg_db) if ENGINE == "pgsql" else self.db_path

    def load_demo_data(self):
        """The demo's rows, into the migrated database (the harness's own way: SQLite's
        demo.sql, copied to PostgreSQL by scripts/cmcas-sqlite-to-pgsql)."""
        if ENGINE == "pgsql":
            import cmcas_pg
            copy = os.path.join(self.server_root, "demo-copy.sqlite")
            CmcasHttpd.create_db(self, path=copy)
            cmcas_pg.copy_from_sqlite(cmcas_pg.shared(), self.pg_db, copy)
            return
        with open(DEMO_SQL, encoding="utf-8") as f:
            self.sql_script(f.read())


@pytest.fixture(scope="module")
def old(start_server):
    srv = OldSchemaHttpd("test_1520_migrations", ignore=OLD_SCHEMA_NOISE,
                         extra="CMCASExpiryInterval 1")
    return start_server(srv)


def get_catalogue(srv):
    return requests.get(srv.url("/"), auth=("gael.classen", DEMO_PASSWORD),
                        headers={"Accept": "text/html"}, timeout=30)


def test_old_database_answers_503_and_says_why(old, expect_log):
    expect_log(r"CMCAS240: database schema 1 is older than the module's "
               rf"{LATEST}: run cmcas-migrate apply")
    for _ in range(3):
        r = get_catalogue(old)
        assert r.status_code == 503
        assert "momentanément indisponible" in r.text
    # Not the login page: it reads only the configuration (a load balancer's health
    # check of Apache itself); logging in (mod_auth_form's handler) is closed.
    assert requests.get(old.url("/connexion"), timeout=30).status_code == 200
    # Static files are Apache's: still served (the 503 page has its stylesheet).
    assert requests.get(old.url("/static/cmcas.css"), timeout=30).status_code == 200
    # The background jobs do not run on it either (said once, then backing off).
    job = r"CMCAS89: expired orders not checked: the database's schema 1 is older"
    expect_log(job)
    deadline = time.monotonic() + 60
    while (time.monotonic() < deadline
           and not any(re.search(job, l) for l in old.error_log.lines_since_mark())):
        time.sleep(0.5)
    lines = [l for l in old.error_log.lines_since_mark() if "CMCAS240" in l]
    assert 1 <= len(lines) <= 2, lines    # once per child (the harness runs up to 2)


def test_status_lists_the_pending_migrations(old):
    r = migrate(old.params(), "status")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "database schema: 1\n" in r.stdout
    assert f"schema files: {LATEST} " in r.stdout
    assert f"module schema: {LATEST}\n" in r.stdout
    pending = re.findall(r"^(?:pending:)?\s+(\d{3}_\S+\.sql)$", r.stdout, re.M)
    assert pending == FILES[1:]
    assert "state: behind" in r.stdout


def test_apply_brings_it_up_to_date_and_the_portal_serves(old, expect_log):
    r = migrate(old.params(), "apply")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.findall(r"^applied (\S+)$", r.stdout, re.M) == FILES[1:]
    assert f"database schema: {LATEST} (up to date)" in r.stdout
    assert old.sql("SELECT max(version) FROM cmcas_schema_version") == [(LATEST,)]
    assert migrate(old.params(), "status").returncode == 0
    old.load_demo_data()
    # No restart: each child reads the version again within seconds.
    deadline = time.monotonic() + 60
    while True:
        r = get_catalogue(old)
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert r.status_code == 200, r.text[:500]
    assert "Atelier gourmand" in r.text


def test_apply_again_changes_nothing(old):
    before = old.sql("SELECT version, applied_at FROM cmcas_schema_version ORDER BY version")
    r = migrate(old.params(), "apply")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "applied" not in r.stdout and "nothing to apply" in r.stdout
    assert old.sql("SELECT version, applied_at FROM cmcas_schema_version "
                   "ORDER BY version") == before
    # And init refuses a database that has the schema.
    r = migrate(old.params(), "init")
    assert r.returncode == 4 and "cmcas-migrate apply" in r.stderr


def extra_database(name):
    """Where a database of this module's own goes (not a portal's)."""
    if ENGINE == "pgsql":
        return f"test_1520_{name}"
    return os.path.join(GEN_DIR, "test_1520_migrations-extra", f"{name}.sqlite")


def test_broken_migration_stops_at_the_last_good_version():
    where = extra_database("broken")
    params = make_database(where, 1)
    schema = os.path.join(GEN_DIR, "test_1520_migrations-extra", "schema")
    shutil.rmtree(schema, ignore_errors=True)
    shutil.copytree(SCHEMA_DIR, schema)
    os.chmod(schema, 0o755)
    broken = FILES[9]                   # 010_*.sql: 002..009 apply, 010 does not
    with open(os.path.join(schema, broken), "a", encoding="utf-8") as f:
        f.write("\nCREATE TABLE migration_half_done (x INTEGER);\n"
                "INSERT INTO no_such_table VALUES (1);\n")
    r = migrate(params, "apply", schema_dir=schema)
    assert r.returncode == 4, r.stdout + r.stderr
    assert re.findall(r"^applied (\S+)$", r.stdout, re.M) == FILES[1:9]
    assert broken in r.stderr and "no_such_table" in r.stderr
    assert "stays at schema 9" in r.stderr
    assert query(where, "SELECT max(version) FROM cmcas_schema_version") == [(9,)]
    if ENGINE == "pgsql":
        left = query(where, "SELECT count(*) FROM pg_catalog.pg_tables "
                            "WHERE tablename = 'migration_half_done'")
    else:
        left = query(where, "SELECT count(*) FROM sqlite_master "
                            "WHERE name = 'migration_half_done'")
    assert left == [(0,)]               # the broken file's changes rolled back
    r = migrate(params, "status", schema_dir=schema)
    assert r.returncode == 1 and "database schema: 9\n" in r.stdout
    # The file repaired, the upgrade goes on from there.
    shutil.copy(os.path.join(SCHEMA_DIR, broken), os.path.join(schema, broken))
    r = migrate(params, "apply", schema_dir=schema)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.findall(r"^applied (\S+)$", r.stdout, re.M) == FILES[9:]
    # A database newer than the files is refused, and so is a file-less directory.
    r = migrate(params, "apply", schema_dir=os.path.join(SCHEMA_DIR, "..", "demo"))
    assert r.returncode == 4 and "no migration" in r.stderr
    os.unlink(os.path.join(schema, FILES[-1]))
    r = migrate(params, "apply", schema_dir=schema)
    assert r.returncode == 3 and "newer than the schema files" in r.stderr
    assert migrate(params, "status", schema_dir=schema).returncode == 3


# Rows a CMCAS had at version 10 (the columns of that version only).
V10_ROWS = """
INSERT INTO cmcas (code, name) VALUES ('BN', 'CMCAS Berry-Nivernais');
INSERT INTO household (id, cmcas_code, login, password, email) VALUES
    (7, 'BN', 'ancien.membre', 'x', 'ancien@example.org');
INSERT INTO person (id, household_id, role, last_name, first_name, birth_date) VALUES
    (70, 7, 'OD', 'ANCIEN', 'Membre', '1970-01-02');
INSERT INTO activity (id, cmcas_code, theme, title, start_date, end_date, closing_date,
    capacity, published_at, open_to_others, mode) VALUES
    (5, 'BN', 'LOISIR', 'Sortie d''avant', '2027-06-10', '2027-06-10', '2027-06-01', 12,
     '2026-01-01', 1, 'immediat');
INSERT INTO activity_option (id, activity_id, position, label, price_beneficiary,
    participation_beneficiary, price_guest, participation_guest) VALUES
    (9, 5, 1, 'Journée', 3000, 1000, 4000, 0);
"""


def test_rows_of_an_intermediate_version_survive_the_upgrade():
    where = extra_database("v10")
    params = make_database(where, 10)
    script(where, V10_ROWS)
    tables = ["cmcas", "household", "person", "activity", "activity_option"]
    before = {t: query(where, f"SELECT * FROM {t} ORDER BY 1") for t in tables}
    r = migrate(params, "status")
    assert r.returncode == 1 and "database schema: 10\n" in r.stdout
    r = migrate(params, "apply")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.findall(r"^applied (\S+)$", r.stdout, re.M) == FILES[10:]
    assert query(where, "SELECT max(version) FROM cmcas_schema_version") == [(LATEST,)]
    for t in tables:
        after = query(where, f"SELECT * FROM {t} ORDER BY 1")
        assert len(after) == len(before[t]) == 1, t
        # Later versions add columns (at the end): the old ones keep their values.
        assert after[0][:len(before[t][0])] == before[t][0], t
    assert query(where, "SELECT title FROM activity WHERE id = 5") == [("Sortie d'avant",)]


def test_a_database_without_the_schema_is_told(start_server, expect_log):
    """An empty database (DBDParams naming the wrong one, init not run): the 503 page,
    the login's included, and CMCAS243 rather than « schema 0 is older »."""
    empty = start_server(OldSchemaHttpd("test_1520_migrations-empty", version=0,
                                        ignore=OLD_SCHEMA_NOISE))
    expect_log(r"CMCAS243: the (sqlite3|pgsql) database has no mod_cmcas schema .*"
               r"cmcas-migrate init")
    assert get_catalogue(empty).status_code == 503
    r = requests.get(empty.url("/"), headers={"Accept": "application/xml"},
                     auth=("gael.classen", DEMO_PASSWORD), timeout=30)
    assert r.status_code == 503 and "<erreur" in r.text
    r = migrate(empty.params(), "apply")
    assert r.returncode == 4 and "cmcas-migrate init" in r.stderr
    r = migrate(empty.params(), "status")
    assert r.returncode == 1 and "database schema: 0 (no mod_cmcas schema" in r.stdout
    r = migrate(empty.params(), "init")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.findall(r"^applied (\S+)$", r.stdout, re.M) == FILES
    if ENGINE != "pgsql":
        assert empty.sql("PRAGMA journal_mode") == [("wal",)]
