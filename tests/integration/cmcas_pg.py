"""A throw-away PostgreSQL cluster for the tests (issue 9): initialised with Debian's
postgresql package in a temporary directory (under /tmp: the `postgres` system user, who
must own it since initdb refuses root, may not reach the checkout), on a free port,
stopped and deleted afterwards (its log copied to tests/gen/<name>/postgres.log).
Schemas load through psql; the tests' own statements through one psycopg2 connection per
database (a psql process per statement made the suite on PostgreSQL three times slower)."""

import csv
import glob
import io
import os
import shutil
import subprocess
import tempfile
import time

from cmcas_httpd import GEN_DIR, REPO, free_port

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:] or [""]
PG_BIN = PG_BIN[0]
PG_USER = "postgres"
MIGRATIONS = os.path.join(REPO, "sql", "pgsql")


def available():
    return bool(PG_BIN) and os.path.exists(os.path.join(PG_BIN, "initdb"))


def migrations():
    """The PostgreSQL schema and its migrations, in version order (NNN_*.sql)."""
    return sorted(glob.glob(os.path.join(MIGRATIONS, "[0-9][0-9][0-9]_*.sql")))


class PgCluster:
    """One cluster with one database `cmcas` owned by the role `cmcas` (not a superuser:
    the schema must load as the portal's own role, as docs/operations.md says)."""

    def __init__(self, name):
        self.name = name
        self.root = tempfile.mkdtemp(prefix=f"cmcas-pg-{name}-")
        self.data = os.path.join(self.root, "data")
        self.sock = os.path.join(self.root, "run")
        self.log = os.path.join(self.root, "postgres.log")
        self.kept_log = os.path.join(GEN_DIR, name, "postgres.log")
        self.port = free_port()
        self.host = "127.0.0.1"
        self.started = False

    def _as_postgres(self, args, **kw):
        cmd = args if os.geteuid() != 0 else ["runuser", "-u", PG_USER, "--"] + args
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)

    def start(self):
        os.makedirs(self.sock)
        if os.geteuid() == 0:
            shutil.chown(self.root, PG_USER, PG_USER)
            shutil.chown(self.sock, PG_USER, PG_USER)
        r = self._as_postgres([os.path.join(PG_BIN, "initdb"), "-D", self.data, "-U", "postgres",
                               "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        if r.returncode:
            raise RuntimeError(f"initdb failed: {r.stdout}{r.stderr}")
        self._pg_ctl_start()
        self.psql("CREATE ROLE cmcas LOGIN", db="postgres", user="postgres")
        self.psql("CREATE DATABASE cmcas OWNER cmcas", db="postgres", user="postgres")
        return self

    def _pg_ctl_start(self):
        r = self._as_postgres([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-l", self.log,
                               "-w", "-t", "60", "-o",
                               f"-p {self.port} -k {self.sock} -c listen_addresses={self.host}",
                               "start"])
        if r.returncode:
            raise RuntimeError(f"pg_ctl start failed: {r.stdout}{r.stderr}")
        self.started = True

    def halt(self):
        """Stops the server as an administrator would (`pg_ctl stop -m fast`: sessions
        ended), keeping its data for start_again() (test_990)."""
        forget(self)
        r = self._as_postgres([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-m", "fast",
                               "-w", "stop"])
        if r.returncode:
            raise RuntimeError(f"pg_ctl stop failed: {r.stdout}{r.stderr}")
        self.started = False

    def start_again(self):
        """Starts a halted server again, same data, same port."""
        self._pg_ctl_start()

    def stop(self):
        forget(self)
        if self.started:
            self._as_postgres([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-m", "fast",
                               "-w", "stop"])
            self.started = False
        if os.path.exists(self.log):
            os.makedirs(os.path.dirname(self.kept_log), exist_ok=True)
            shutil.copyfile(self.log, self.kept_log)
        shutil.rmtree(self.root, ignore_errors=True)

    def psql(self, sql, db="cmcas", user="cmcas", check=True):
        """Runs SQL (several statements allowed); returns the rows as lists of strings."""
        r = subprocess.run(
            [os.path.join(PG_BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv",
             "-t", "-h", self.host, "-p", str(self.port), "-U", user, "-d", db],
            input=sql, capture_output=True, text=True, timeout=120)
        if check and r.returncode:
            raise RuntimeError(f"psql failed ({r.returncode}): {r.stderr.strip()}\n{sql[:500]}")
        if r.returncode:
            return PgError(r.stderr.strip())
        return [row for row in csv.reader(io.StringIO(r.stdout)) if row]

    def load_schema(self):
        for path in migrations():
            with open(path, encoding="utf-8") as f:
                self.psql(f.read())


class PgError(str):
    """What psql said when a statement failed (check=False)."""


# -- the integration suite on PostgreSQL (CMCAS_ENGINE=pgsql) ------------------------

_shared = None


def shared():
    """One cluster for the whole test run, started on first use, stopped at exit."""
    global _shared
    if _shared is None:
        import atexit
        _shared = PgCluster("pg-suite").start()
        atexit.register(_shared.stop)
    return _shared


def literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def bind(statement, params):
    """The statement with each ? (outside quotes) replaced by its parameter, quoted."""
    out, it, quote = [], iter(params), None
    for ch in statement:
        if quote:
            quote = None if ch == quote else quote
            out.append(ch)
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append(literal(next(it)))
        else:
            out.append(ch)
    return "".join(out)


def returns_rows(statement):
    s = statement.lstrip().upper()
    return s.startswith(("SELECT", "WITH", "VALUES")) or " RETURNING " in f" {s} "


_connections = {}


def connection(cluster, db):
    """A connection to `db` as the portal's role, kept for the run (autocommit: each
    statement is its own transaction, like sqlite3 with isolation_level=None)."""
    import psycopg2
    key = (cluster.port, db)
    conn = _connections.get(key)
    if conn is None or conn.closed:
        conn = psycopg2.connect(host=cluster.host, port=cluster.port, dbname=db, user="cmcas")
        conn.autocommit = True
        _connections[key] = conn
    return conn


def forget(cluster, db=None):
    """Closes the kept connections to `db` (all of the cluster's if None): before the
    database is dropped, or after the server was restarted."""
    for key in [k for k in _connections if k[0] == cluster.port and db in (None, k[1])]:
        try:
            _connections.pop(key).close()
        except Exception:  # already broken: nothing to close
            pass


def execute(cluster, db, sql):
    """Runs SQL (one or several statements, no parameters); returns the rows or []. A
    connection the server dropped (restart tests) is opened again once."""
    import psycopg2
    for attempt in (0, 1):
        try:
            with connection(cluster, db).cursor() as cur:
                cur.execute(sql)
                return cur.fetchall() if cur.description else []
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            forget(cluster, db)
            if attempt:
                raise
        except psycopg2.Error as e:
            raise RuntimeError(f"PostgreSQL: {str(e).strip()}\n{sql[:500]}") from None
    return []


def script(cluster, db, sql, timeout=60):
    """Runs a script of the tests. One that is a whole transaction (BEGIN ... COMMIT)
    gives way to the server's jobs: its statements take rows in no order of the
    product's (a reset restores every activity, each bumping the catalog's version row),
    so with a job drawing meanwhile each could wait for the other and PostgreSQL would
    roll one back, maybe the job's (logged, CMCAS116). Waiting for a lock 200 ms at most,
    the script gives up first, and runs again."""
    import psycopg2
    body = sql.lstrip()
    if body[:6].upper() != "BEGIN;":
        return execute(cluster, db, sql)
    sql = "BEGIN; SET LOCAL lock_timeout = 200;" + body[6:]
    deadline = time.monotonic() + timeout
    while True:
        try:
            return execute(cluster, db, sql)
        except (psycopg2.errors.LockNotAvailable, RuntimeError) as e:
            execute(cluster, db, "ROLLBACK")
            if "lock timeout" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def query(cluster, db, statement, params=()):
    """sqlite3's execute(...).fetchall() on PostgreSQL: a list of tuples of Python values
    (numbers as numbers, NULL as None, timestamps as text), through JSON."""
    import json
    sql = bind(statement, params).strip().rstrip(";")
    if not returns_rows(sql):
        execute(cluster, db, sql)
        return []
    rows = execute(cluster, db, f"WITH x AS ({sql}) SELECT coalesce(json_agg(row_to_json(x)), "
                   "'[]')::text FROM x")
    data = json.loads(rows[0][0], object_pairs_hook=lambda pairs: tuple(v for _, v in pairs))
    return [tuple(r) for r in data]


def create_database(cluster, name):
    forget(cluster, name)
    cluster.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', db="postgres",
                 user="postgres")
    cluster.psql(f'CREATE DATABASE "{name}" OWNER cmcas', db="postgres", user="postgres")
    for path in migrations():
        with open(path, encoding="utf-8") as f:
            cluster.psql(f.read(), db=name)


def copy_from_sqlite(cluster, name, sqlite_path):
    r = subprocess.run([os.path.join(REPO, "scripts", "cmcas-sqlite-to-pgsql"), sqlite_path,
                        "-h", cluster.host, "-p", str(cluster.port), "-U", "cmcas", name],
                       capture_output=True, text=True, timeout=120)
    if r.returncode:
        raise RuntimeError(f"copy to PostgreSQL failed: {r.stderr}")
