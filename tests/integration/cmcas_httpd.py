"""Test harness for mod_cmcas: a real Apache httpd on a free port, in a generated server root.

One `CmcasHttpd` is one server: its own directory under tests/gen/<name>/ (conf/, logs/,
db/, htdocs/), its own httpd.conf rendered from the template below, its own SQLite
database loaded with the schema and the demo data. The conftest starts one per test
module; a test module may start more (another configuration) or only render a
configuration and run `apache2 -t` on it (`config_test`).

The configuration is made of named sections (see CONF_TEMPLATE). A test replaces a
section by passing `sections={"name": "text"}` and appends text with `extra=`.

Error-log policing: `ErrorLog.take()` reads what a server wrote since the last reading,
and `problems()` keeps the lines at level warn or above (and crashes, and raw library
output) that no expectation covers. The conftest reads every running server's log after
each test and fails the test on such lines, and checks the start-up and the last lines
of each server too.
"""

import base64
import grp
import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import sqlite3
import string
import subprocess
import time
from contextlib import contextmanager

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GEN_DIR = os.path.join(REPO, "tests", "gen")
# The engine under test: sqlite3 (default) or pgsql (CMCAS_ENGINE=pgsql: each server gets
# its own database in one PostgreSQL started for the run; issue 9).
ENGINE = os.environ.get("CMCAS_ENGINE", "sqlite3")
MODULE_SO = os.path.join(REPO, ".libs", "mod_cmcas.so")
XSLT_DIR = os.path.join(REPO, "xslt")
SCHEMA_DIR = os.path.join(REPO, "sql", "sqlite")


def schema_files():
    """The schema and its migrations, in version order (NNN_*.sql)."""
    return sorted(os.path.join(SCHEMA_DIR, f) for f in os.listdir(SCHEMA_DIR)
                  if re.match(r"\d{3}_.*\.sql$", f))
DEMO_SQL = os.path.join(REPO, "sql", "demo", "demo.sql")

DEMO_PASSWORD = "demo2026"
RUN_USER = "www-data"
RUN_GROUP = "www-data"

# The BN block of the demo (sql/demo/README.md): its values are checked by the tests.
BN = {
    "code": "BN",
    "name": "CMCAS Berry-Nivernais",
    "street": "3 rue Marcel Paul",
    "postcode": "18022",
    "city": "Bourges",
    "phone": "02 48 00 00 00",
    "email": "contact@cmcas-bn.example",
}


def cmcas_block(code, name, street=None, postcode=None, city=None, phone=None, email=None):
    """A <CMCAS code> block."""
    lines = [f"<CMCAS {code}>", f'    CMCASName "{name}"']
    if street:
        lines.append(f'    CMCASAddress "{street}" "{postcode}" "{city}"')
    if phone:
        lines.append(f'    CMCASPhone "{phone}"')
    if email:
        lines.append(f"    CMCASEmail {email}")
    lines.append("</CMCAS>")
    return "\n".join(lines) + "\n"


# The lock timeout docs/operations.md puts in a PostgreSQL DBDParams (without it the module
# warns, CMCAS300): a request meeting a long lock answers 503 instead of waiting.
PG_LOCK_TIMEOUT = "options='-c lock_timeout=5000'"

# The demo's BN portal also serves CMCAS Touraine's households (sophie.martin, the tests
# of a member of another CMCAS): by default a portal serves its own CMCAS's only.
BN_BLOCK = cmcas_block(**BN).replace("</CMCAS>",
                                     "    CMCASWelcomeMembersOf TOURAINE\n</CMCAS>")

# The banks' test keys: `apache2 -t` refuses key files other users may read (git
# checks them out 0644).
KEYS_DIR = os.path.join(REPO, "tests", "gateway", "keys")


def protect_test_keys():
    for name in os.listdir(KEYS_DIR):
        path = os.path.join(KEYS_DIR, name)
        try:
            if os.path.isfile(path) and os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except OSError:
            pass        # not ours to change: `apache2 -t` then says which file


protect_test_keys()

# ----------------------------------------------------------------------------------
# Discovery of the installed httpd


def _apxs(var):
    try:
        out = subprocess.run(["apxs", "-q", var], capture_output=True, text=True,
                             check=True, timeout=10).stdout.strip()
        return out or None
    except (OSError, subprocess.SubprocessError):
        return None


class HttpdInstall:
    """Where the installed httpd and its modules are (found once, through apxs)."""
    _cache = None

    def __init__(self):
        sbindir = _apxs("SBINDIR") or "/usr/sbin"
        target = _apxs("TARGET") or "apache2"
        self.binary = os.path.join(sbindir, target)
        if not os.access(self.binary, os.X_OK):
            found = shutil.which("apache2") or shutil.which("httpd")
            if not found:
                raise RuntimeError(f"no httpd binary (tried {self.binary})")
            self.binary = found
        self.modules_dir = _apxs("LIBEXECDIR") or "/usr/lib/apache2/modules"

    @classmethod
    def get(cls):
        if cls._cache is None:
            cls._cache = cls()
        return cls._cache

    def module_path(self, name):
        path = os.path.join(self.modules_dir, f"mod_{name}.so")
        if not os.path.exists(path):
            raise RuntimeError(f"httpd module {name} not found: {path}")
        return path


# The httpd modules every generated server loads, in this order, before mod_cmcas.
BASE_MODULES = ["mpm_event", "authz_core", "authn_core", "auth_basic", "authz_user",
                "authn_file", "authn_dbd", "dbd", "alias", "mime", "reqtimeout"]

DEMO_CONF = os.path.join(REPO, "conf", "demo", "httpd.conf.in")
# The login forms and sessions the demo and the example configurations include.
LOGIN_CONF = os.path.join(REPO, "conf", "cmcas-login.conf")

# ----------------------------------------------------------------------------------
# Sanitizers: a module built with `./configure --enable-sanitizers` (docs/operations.md)
# runs in an httpd started through scripts/lib/with-sanitizers (the runtime preloaded);
# each server's reports land in tests/gen/sanitizer/<name>/sanitizer.<pid>, outside its
# server root (which a restart recreates), and the conftest fails a test on any new one.

WITH_SANITIZERS = os.path.join(REPO, "scripts", "lib", "with-sanitizers")
SANITIZER_DIR = os.path.join(GEN_DIR, "sanitizer")
_sanitized = {}


def module_sanitized(path=MODULE_SO):
    """Whether the module was built with --enable-sanitizers: its constructors call
    __asan_init (an undefined dynamic symbol of the .so)."""
    if path not in _sanitized:
        try:
            out = subprocess.run(["nm", "-D", "--undefined-only", path], capture_output=True,
                                 text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        _sanitized[path] = bool(re.search(r"\s__asan_init$", out, re.M))
    return _sanitized[path]


def sanitizer_argv(report_dir):
    """The command prefix that starts httpd (or `apache2 -t`) with the sanitizers'
    runtime when the module is sanitized; nothing otherwise."""
    return [WITH_SANITIZERS, MODULE_SO, report_dir] if module_sanitized() else []


class SanitizerReports:
    """The sanitizer report files (sanitizer.<pid>) under a directory: `take()` returns
    the text of each new one, once."""

    def __init__(self, top):
        self.top = top
        self.seen = set()

    def take(self):
        found = []
        for root, _dirs, files in os.walk(self.top):
            for name in sorted(files):
                path = os.path.join(root, name)
                if not re.match(r"sanitizer\.\d+$", name) or path in self.seen:
                    continue
                self.seen.add(path)
                try:
                    with open(path, encoding="utf-8", errors="replace") as f:
                        text = f.read()
                except OSError as e:
                    text = f"(unreadable: {e})"
                found.append(f"{os.path.relpath(path, GEN_DIR)}:\n{text}")
        return found


def demo_request_read_timeout():
    """The RequestReadTimeout lines of the demo's configuration: every generated server
    bounds slow clients as the shipped configuration does (test_910 checks them)."""
    with open(DEMO_CONF, encoding="utf-8") as f:
        return "\n".join(line.strip() for line in f
                         if re.match(r"\s*RequestReadTimeout\s", line))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def running_as_root():
    return os.geteuid() == 0


def empty_sqlite(name):
    """An empty SQLite file (no schema) the server's user may write: `apache2 -t`
    refuses a DBDParams naming no file, but mod_dbd cannot prepare the module's
    statements on this one (AH00632), so it gives no connection, as without a database.
    Tests then close its directory to the workers (`out_of_reach`): an empty database
    alone would be « no schema » (503 before anything, test_1520)."""
    d = os.path.join(GEN_DIR, f"{name}-db")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "cmcas.sqlite")
    if os.path.exists(path):
        os.unlink(path)
    open(path, "w").close()
    CmcasHttpd.give_to_run_user(d)
    return path


def out_of_reach(path):
    """The database's directory closed to the workers once the server runs (root's,
    0700): SQLite cannot open the file, as when a database server is down."""
    if running_as_root():
        os.chown(os.path.dirname(path), 0, 0)
        os.chmod(os.path.dirname(path), 0o700)


# mod_dbd's lines while it has no usable database: connections refused or failing to
# prepare the statements.
NO_DB_LINES = r"\[dbd:(error|crit)\].*AH006(29|32|33|36):"
# The expiry job's first run without it (a second after the start), said once an outage.
NO_DB_JOB_LINE = r"\[cmcas:error\].*CMCAS(62|89): expired orders not checked"


def wait_for(what, timeout=20, step=0.2):
    """Polls `what()` until it gives something true, and returns that; fails the test
    after `timeout` seconds, naming what it waited for (its docstring, else itself)."""
    deadline = time.monotonic() + timeout
    while True:
        v = what()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"still not, after {timeout} s: {what.__doc__ or what}")
        time.sleep(step)


def wait_for_line(server, regex, timeout=10):
    """Whether a line matching `regex` is in the server's error log within `timeout`
    seconds."""
    deadline = time.monotonic() + timeout
    while True:
        with open(server.error_log_path, encoding="utf-8", errors="replace") as f:
            if re.search(regex, f.read()):
                return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def settle_first_jobs(server, timeout=60):
    """Waits for the expiry job's first run, a second after the server's (or a new
    child's) start: its lease taken and the « tour de rôle » activities already closed
    drawn (the demo's « Week-end au Puy du Fou »), so that it changes nothing in the middle
    of a test that compares the database before and after. Whether the draws were done."""
    deadline = time.monotonic() + timeout
    while server.sql("SELECT COUNT(*) FROM cmcas_job WHERE name = 'expiry' AND "
                     "lease_until > ?", (int(time.time()),))[0][0] == 0:
        if time.monotonic() > deadline:
            raise AssertionError(f"{server.name}: the expiry job did not run in {timeout} s")
        time.sleep(0.2)
    while closed_draws_left(server):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def closed_draws_left(server):
    """The « tour de rôle » activities whose closing date passed and whose results are not
    published yet: the expiry job draws them."""
    import datetime
    today = datetime.date.today().isoformat()
    return server.sql("SELECT COUNT(*) FROM activity WHERE mode = 'tour_de_role' AND "
                      "closing_date < ? AND draw_published_at IS NULL", (today,))[0][0]


def server_without_database(make_server, prefix):
    """A started server whose SQLite database the workers cannot open (empty_sqlite, then
    out_of_reach); members authenticated by a file, so that requests reach the module."""
    path = empty_sqlite(f"{prefix}-nodb")
    srv = make_server(
        "nodb",
        sections={"dbd": f"DBDriver sqlite3\nDBDParams {path}\n"
                          "DBDMin 1\nDBDKeep 1\nDBDMax 1"},
        auth_providers="file",
        htpasswd={"gael.classen": DEMO_PASSWORD},
        load_demo=False,
        ignore=[NO_DB_LINES, NO_DB_JOB_LINE],
        expect_at_start=[r"\[dbd:(error|crit)\]"],
    )
    out_of_reach(path)
    return srv


# ----------------------------------------------------------------------------------
# The configuration

CONF_TEMPLATE = string.Template("""\
# Generated by tests/integration/cmcas_httpd.py for "${name}": do not edit.
ServerRoot ${server_root}
DefaultRuntimeDir ${server_root}/logs
PidFile ${server_root}/logs/httpd.pid
ErrorLog ${server_root}/logs/error_log
LogLevel ${log_level}
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
DocumentRoot ${server_root}/htdocs
${user}

# --- section: modules
${modules}
# --- section: mpm
${mpm}
# --- section: mime
${mime}
# --- section: timeouts
${timeouts}
# --- section: dbd
${dbd}
# --- section: templates
${templates}
# --- section: cache
${cache}
# --- section: secret
${secret}
# --- section: cmcas
${cmcas}
# --- section: portal
${portal}
# --- section: auth
${auth}
# --- section: static
${static}
# --- section: extra
${extra}
""")


def one_process_mpm(threads=8):
    """An `mpm` section: one child of `threads` threads (a page or a queue a request leaves
    behind is the one the next request meets)."""
    return "\n".join([
        "StartServers 1",
        "ServerLimit 1",
        f"ThreadLimit {threads}",
        f"ThreadsPerChild {threads}",
        f"MaxRequestWorkers {threads}",
        "MinSpareThreads 1",
        f"MaxSpareThreads {threads}",
    ])


def utc_day(days=0):
    """The ISO date `days` from today in UTC (the module's today), for tests' SQL on
    either engine (SQLite's date('now', ...) does not exist on PostgreSQL)."""
    import datetime
    return (datetime.datetime.now(datetime.timezone.utc).date()
            + datetime.timedelta(days=days)).isoformat()


class CmcasHttpd:
    """One generated httpd with mod_cmcas and its database."""

    def __init__(self, name, *, sections=None, extra="", htpasswd=None, log_level=None,
                 load_demo=True, auth_providers="dbd", ignore=()):
        self.install = HttpdInstall.get()
        self.name = name
        self.server_root = os.path.join(GEN_DIR, name)
        self.conf_dir = os.path.join(self.server_root, "conf")
        self.logs_dir = os.path.join(self.server_root, "logs")
        self.db_dir = os.path.join(self.server_root, "db")
        self.htdocs_dir = os.path.join(self.server_root, "htdocs")
        self.conf_path = os.path.join(self.conf_dir, "httpd.conf")
        self.pid_path = os.path.join(self.logs_dir, "httpd.pid")
        self.error_log_path = os.path.join(self.logs_dir, "error_log")
        self.db_path = os.path.join(self.db_dir, "cmcas.sqlite")
        self.htpasswd_path = os.path.join(self.conf_dir, "htpasswd")
        self.secret_path = os.path.join(self.conf_dir, "forms.key")
        self.sanitizer_dir = os.path.join(SANITIZER_DIR, name)
        self.port = free_port()
        self.host = "127.0.0.1"
        self.engine = ENGINE
        self.pg_db = re.sub(r"[^a-z0-9_]", "_", name.lower())[:60]
        self.base_url = f"http://{self.host}:{self.port}"
        self.htpasswd = htpasswd or {}
        self.load_demo = load_demo
        self.log_level = log_level or "warn cmcas:info"
        self.extra = extra
        self.auth_providers = auth_providers
        self.sections = self.default_sections()
        self.sections.update(sections or {})
        self.error_log = ErrorLog(self.error_log_path, ignore)
        self.pid = None

    # -- configuration ------------------------------------------------------------

    def load_module_lines(self, modules=None, cmcas=True):
        lines = [f"LoadModule {m}_module {self.install.module_path(m)}"
                 for m in (BASE_MODULES if modules is None else modules)]
        if cmcas:
            lines.append(f"LoadModule cmcas_module {MODULE_SO}")
        return "\n".join(lines)

    def default_sections(self):
        return {
            "modules": self.load_module_lines(),
            "mpm": "\n".join([
                "StartServers 1",
                "ServerLimit 2",
                "ThreadLimit 8",
                "ThreadsPerChild 8",
                "MaxRequestWorkers 16",
                "MinSpareThreads 1",
                "MaxSpareThreads 16",
            ]),
            "mime": "TypesConfig /etc/mime.types",
            "timeouts": demo_request_read_timeout(),
            "dbd": self.pg_dbd_section() if ENGINE == "pgsql" else "\n".join([
                "DBDriver sqlite3",
                f"DBDParams {self.db_path}",
                # As shipped (docs/operations.md: nothing else works there).
                'DBDInitSQL "PRAGMA busy_timeout = 5000"',
                # One SQLite connection per child: see docs/operations.md.
                "DBDMin 1",
                "DBDKeep 1",
                "DBDMax 1",
            ]),
            # Pages are kept (the cache is on, as shipped) but never show outdated
            # places: tests change places_taken and look at once. test_950 tests the
            # shipped 1 s.
            "templates": f"CMCASTemplateDir {XSLT_DIR}",
            "cache": "CMCASPageCache 0",
            "secret": f"CMCASSecretFile {self.secret_path}",
            "cmcas": BN_BLOCK,
            "portal": "CMCASPortal BN",
            "auth": self.auth_section(self.auth_providers),
            "static": "\n".join([
                f"Alias /static/ {XSLT_DIR}/static/",
                "<Location /static/>",
                "    SetHandler none",
                "    Require all granted",
                "</Location>",
                f"<Directory {XSLT_DIR}/static>",
                "    Require all granted",
                "</Directory>",
            ]),
        }

    def pg_dbd_section(self):
        import cmcas_pg
        pg = cmcas_pg.shared()
        return "\n".join([
            "DBDriver pgsql",
            f'DBDParams "host={pg.host} port={pg.port} dbname={self.pg_db} user=cmcas '
            f'{PG_LOCK_TIMEOUT}"',
            # PostgreSQL: several connections per child (no SQLite-driver deadlock)
            "DBDMin 1",
            "DBDKeep 2",
            "DBDMax 4",
        ])

    def auth_section(self, providers="dbd"):
        """<Location /> of the portal: Basic authentication and the cmcas handler."""
        lines = [
            "<Location />",
            "    SetHandler cmcas",
            "    AuthType Basic",
            '    AuthName "CMCAS"',
            f"    AuthBasicProvider {providers}",
        ]
        if "file" in providers.split():
            lines.append(f"    AuthUserFile {self.htpasswd_path}")
        if "dbd" in providers.split():
            lines.append('    AuthDBDUserPWQuery '
                         '"SELECT password FROM household WHERE login = %s"')
        lines += [
            "    Require valid-user",
            "</Location>",
            "<Location /connexion>",
            "    Require all granted",
            "</Location>",
        ]
        if "dbd" in providers.split():
            # The back-office: staff logins only (cmcas_staff), as the demo's.
            lines += [
                "<Location /gestion>",
                '    AuthName "CMCAS gestion"',
                "    AuthBasicProvider dbd",
                '    AuthDBDUserPWQuery "SELECT password FROM cmcas_staff WHERE login = %s"',
                "    Require valid-user",
                "</Location>",
                "<Location /gestion/connexion>",
                "    Require all granted",
                "</Location>",
            ]
        return "\n".join(lines)

    def conf_text(self):
        user = ""
        if running_as_root():
            user = f"User {RUN_USER}\nGroup {RUN_GROUP}"
        values = dict(self.sections)
        values.setdefault("extra", "")
        values["extra"] = (values["extra"] + "\n" + self.extra).strip("\n")
        return CONF_TEMPLATE.substitute(name=self.name, server_root=self.server_root,
                                        port=self.port, log_level=self.log_level,
                                        user=user, **values)

    # -- files --------------------------------------------------------------------

    def write_files(self):
        """(Re)creates the server root, the configuration, the database."""
        if os.path.isdir(self.server_root):
            shutil.rmtree(self.server_root)
        for d in (self.conf_dir, self.logs_dir, self.db_dir, self.htdocs_dir):
            os.makedirs(d)
        with open(os.path.join(self.htdocs_dir, "index.html"), "w") as f:
            f.write("<p>mod_cmcas test server</p>\n")
        with open(os.open(self.secret_path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write(base64.b64encode(os.urandom(48)).decode() + "\n")
        if self.htpasswd:
            self.write_htpasswd(self.htpasswd)
        if self.load_demo:
            self.create_db()
        else:
            # `apache2 -t` refuses a DBDParams naming no file (SQLite would create one).
            open(self.db_path, "a").close()
        with open(self.conf_path, "w") as f:
            f.write(self.conf_text())
        self.give_to_run_user(self.server_root)

    def write_htpasswd(self, users):
        """An htpasswd file (bcrypt) for AuthBasicProvider file."""
        if os.path.exists(self.htpasswd_path):
            os.unlink(self.htpasswd_path)
        for i, (user, password) in enumerate(users.items()):
            args = ["htpasswd", "-b", "-B", "-C", "4"]
            if i == 0:
                args.append("-c")
            subprocess.run(args + [self.htpasswd_path, user, password], check=True,
                           capture_output=True, timeout=30)

    def create_db(self, path=None):
        """A database with the schema and the demo data (at `path`: the server's)."""
        schema = ""
        for schema_file in schema_files():
            with open(schema_file, encoding="utf-8") as f:
                schema += f.read()
        with open(DEMO_SQL, encoding="utf-8") as f:
            demo = f.read()
        db = sqlite3.connect(path or self.db_path, isolation_level=None)
        try:
            db.executescript(schema)
            db.executescript(demo)
            db.execute("PRAGMA journal_mode=WAL")
        finally:
            db.close()
        if ENGINE == "pgsql" and not path:
            import cmcas_pg
            cmcas_pg.create_database(cmcas_pg.shared(), self.pg_db)
            cmcas_pg.copy_from_sqlite(cmcas_pg.shared(), self.pg_db, self.db_path)

    @staticmethod
    def give_to_run_user(top):
        """httpd's children run as www-data: SQLite must write the db directory."""
        if not running_as_root():
            return
        uid = pwd.getpwnam(RUN_USER).pw_uid
        gid = grp.getgrnam(RUN_GROUP).gr_gid
        for root, dirs, files in os.walk(top):
            os.chown(root, uid, gid)
            for name in files:
                os.chown(os.path.join(root, name), uid, gid)

    # -- database -----------------------------------------------------------------

    @contextmanager
    def _as_run_user(self):
        """SQLite creates -wal/-shm files: create them as the children's user."""
        if not running_as_root():
            yield
            return
        uid = pwd.getpwnam(RUN_USER).pw_uid
        gid = grp.getgrnam(RUN_GROUP).gr_gid
        os.setegid(gid)
        os.seteuid(uid)
        try:
            yield
        finally:
            os.seteuid(0)
            os.setegid(0)

    def pg_cluster(self):
        """The PostgreSQL cluster that holds this server's database (pg_db)."""
        import cmcas_pg
        return cmcas_pg.shared()

    def sql(self, statement, params=()):
        """Runs one statement on the test database; returns all rows (tuples)."""
        if self.engine == "pgsql":
            import cmcas_pg
            return cmcas_pg.query(self.pg_cluster(), self.pg_db, statement, params)
        with self._as_run_user():
            db = sqlite3.connect(self.db_path, timeout=10, isolation_level=None)
            try:
                db.execute("PRAGMA foreign_keys = ON")
                return db.execute(statement, params).fetchall()
            finally:
                db.close()

    def columns(self, table):
        """The table's columns in order (the schema's, on either engine; PostgreSQL's
        generated search column left out)."""
        if self.engine == "pgsql":
            return [r[0] for r in self.sql(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND column_name <> 'search' ORDER BY ordinal_position", (table,))]
        return [r[1] for r in self.sql(f"PRAGMA table_info({table})")]

    def sql_script(self, script):
        if self.engine == "pgsql":
            import cmcas_pg
            cmcas_pg.script(self.pg_cluster(), self.pg_db, script)
            return
        with self._as_run_user():
            db = sqlite3.connect(self.db_path, timeout=10, isolation_level=None)
            try:
                db.executescript(script)
            finally:
                db.close()

    # -- life cycle ---------------------------------------------------------------

    def _run(self, *args, timeout=30):
        env = dict(os.environ)
        env["TZ"] = "UTC"       # the demo's dates are SQLite's date('now'): UTC
        proc = subprocess.run([*sanitizer_argv(self.sanitizer_dir), self.install.binary,
                               "-f", self.conf_path, *args],
                              capture_output=True, text=True, env=env, timeout=timeout)
        return proc.returncode, proc.stdout + proc.stderr

    def config_test(self):
        """Writes the files and runs `apache2 -t`: (exit code, output)."""
        self.write_files()
        return self._run("-t")

    def start(self, timeout=10):
        self.write_files()
        if module_sanitized():
            timeout *= 3        # ASan: a slower start (stylesheets, fonts)
        self.error_log.mark()
        rc, out = self._run("-k", "start")
        if rc != 0:
            raise RuntimeError(f"httpd {self.name} did not start (exit {rc}):\n{out}\n"
                               f"{self.error_log.tail()}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.is_live():
                self.pid = self._read_pid()
                return
            time.sleep(0.1)
        raise RuntimeError(f"httpd {self.name} does not answer on port {self.port} "
                           f"after {timeout}s:\n{self.error_log.tail()}")

    def graceful(self):
        """`-k graceful`: new children (and new database connections), same config."""
        rc, out = self._run("-k", "graceful")
        return rc

    def _read_pid(self):
        try:
            with open(self.pid_path) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def connection(self, timeout):
        """An http.client connection to the server (a server on TLS overrides it)."""
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def is_live(self):
        try:
            conn = self.connection(1)
            conn.request("GET", "/static/cmcas.css")
            conn.getresponse().read()
            conn.close()
            return True
        except (OSError, http.client.HTTPException):
            return False

    @staticmethod
    def _pid_alive(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("State:"):
                        return "Z" not in line.split()[1]
        except OSError:
            return False
        return True

    def stop(self, timeout=10):
        pid = self.pid or self._read_pid()
        rc, out = self._run("-k", "stop")
        if pid is None:
            return rc
        if rc != 0 and self._pid_alive(pid):
            # `-k stop` reads the configuration first: a module or stylesheet being
            # rebuilt at that moment makes it fail. Signal our own httpd directly.
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._pid_alive(pid):
                self.pid = None
                return 0
            time.sleep(0.1)
        raise RuntimeError(f"httpd {self.name} (pid {pid}) still running {timeout}s after "
                           f"-k stop: {out}")

    # -- requests -----------------------------------------------------------------

    def url(self, path):
        return self.base_url + path

    def raw(self, method, target, headers=None, body=None, auth=("gael.classen",
                                                                DEMO_PASSWORD)):
        """A request whose target is sent byte for byte (bad %-escapes, invalid UTF-8):
        returns an http.client response with its body read into `.body`/`.text`."""
        hdrs = dict(headers or {})
        if auth:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            hdrs["Authorization"] = f"Basic {token}"
        conn = self.connection(30)
        try:
            conn.putrequest(method, target, skip_accept_encoding=True)
            for k, v in hdrs.items():
                conn.putheader(k, v)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            resp.body = resp.read()
            resp.text = resp.body.decode("utf-8", "replace")
            return resp
        finally:
            conn.close()


class DemoPgCluster:
    """The PostgreSQL cluster `scripts/demo --pgsql --prepare` started for a demo server
    (its port is in the demo's httpd.conf): what cmcas_pg's functions need to reach it."""

    def __init__(self, port):
        self.host = "127.0.0.1"
        self.port = port


class DemoHttpd(CmcasHttpd):
    """The demo server itself: conf/demo/httpd.conf.in rendered by `scripts/demo --prepare`
    into tests/gen/<name>/ on a free port (login form, sessions, everything as shipped).
    The bank simulator it names is not started. On PostgreSQL (engine "pgsql", by default
    when CMCAS_ENGINE=pgsql) the demo runs on its own cluster, which `scripts/demo` starts
    in <server root>/pgsql and stop() stops (<server root>/pgsql-stop); sql() goes there.
    `data`: a SQLite database file served instead of the demo data (scripts/demo's
    CMCAS_DEMO_DATA: copied, or moved into the cluster on PostgreSQL)."""

    def __init__(self, name, ignore=(), engine=None, data=None):
        super().__init__(name, ignore=ignore)
        self.engine = engine or ENGINE
        self.data = data
        self.pg_db = "cmcas"
        self._pg = None
        self.conf_path = os.path.join(self.server_root, "httpd.conf")
        self.pid_path = os.path.join(self.server_root, "run", "httpd.pid")
        self.db_path = os.path.join(self.server_root, "db", "cmcas.sqlite")
        self.pg_stop_path = os.path.join(self.server_root, "pgsql-stop")
        self.error_log_path = os.path.join(self.server_root, "logs", "error.log")
        self.error_log = ErrorLog(self.error_log_path, ignore)

    def pg_dbd_section(self):
        return ""           # the demo's configuration is scripts/demo's, not rendered here

    def pg_cluster(self):
        if self._pg is None:
            m = re.search(r"^Define CMCAS_DEMO_PGSQL_PORT (\d+)$", self.conf_text(), re.M)
            if not m:
                raise RuntimeError(f"{self.conf_path}: not a PostgreSQL demo")
            self._pg = DemoPgCluster(int(m.group(1)))
        return self._pg

    def conf_text(self):
        with open(self.conf_path, encoding="utf-8") as f:
            return f.read()

    def write_files(self):
        self.stop_database()            # an earlier run's, if it was left running
        if os.path.isdir(self.server_root):
            shutil.rmtree(self.server_root)
        os.makedirs(self.server_root)
        os.chmod(self.server_root, 0o755)
        env = dict(os.environ, CMCAS_DEMO_ADDRESS=self.host,
                   CMCAS_DEMO_SIM_PORT=str(free_port()), CMCAS_DEMO_ENGINE=self.engine)
        env.pop("CMCAS_DEMO_PG_PORT", None)
        env["CMCAS_SANITIZER_DIR"] = self.sanitizer_dir     # its `apache2 -t`'s reports
        env.pop("CMCAS_DEMO_DATA", None)
        if self.data:
            env["CMCAS_DEMO_DATA"] = self.data
        proc = subprocess.run([os.path.join(REPO, "scripts", "demo"), "--prepare",
                               self.server_root, str(self.port)],
                              capture_output=True, text=True, env=env, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError("scripts/demo --prepare failed:\n"
                               + proc.stdout + proc.stderr)

    def start(self, timeout=10):
        try:
            super().start(timeout)
        except BaseException:
            self.stop_database()
            raise

    def stop(self, timeout=10):
        try:
            return super().stop(timeout)
        finally:
            self.stop_database()

    def stop_database(self):
        """Stops the demo's PostgreSQL, if it has one (its files are kept, as the
        server root's)."""
        if self._pg is not None:
            import cmcas_pg
            cmcas_pg.forget(self._pg)
            self._pg = None
        if os.path.exists(self.pg_stop_path):
            proc = subprocess.run([self.pg_stop_path], capture_output=True, text=True,
                                  timeout=90)
            if proc.returncode != 0:
                raise RuntimeError(f"{self.pg_stop_path} failed:\n{proc.stdout}{proc.stderr}")


# ----------------------------------------------------------------------------------
# Error log

# "[Sat Nov 28 10:23:10.123456 2026] [cmcas:warn] [pid 1:tid 2] [client ...] CMCAS14: ..."
RE_LOG_LINE = re.compile(r"^\[[^\]]*\] \[(?P<module>[^:\]]*):(?P<level>[a-z0-9]+)\]")
BAD_LEVELS = {"warn", "error", "crit", "alert", "emerg"}
# Problems httpd logs below warn: a child that crashed ("[core:notice] AH00052: child pid
# 123 exit signal Segmentation fault (11)").
ALWAYS_BAD = re.compile(r"AH00052: child pid \d+ exit signal")
# A sanitizer that wrote to stderr (the error log) instead of its report file: never
# expected, whatever a test declares.
# (UBSan's lines start with the source's position: libxslt's own "runtime error: file X
# line N" is a stylesheet's error, not a sanitizer's.)
SANITIZER_LINE = re.compile(r"\.(c|h):\d+:\d+: runtime error:"
                            r"|ERROR: (Address|Leak|UndefinedBehavior)Sanitizer")


class ErrorLog:
    """Reads a server's error log piece by piece: `take()` returns the complete lines
    written since the previous `take()` (or `mark()`), so no line goes unread."""

    def __init__(self, path, ignore=()):
        self.path = path
        self.offset = 0
        self.ignore = list(ignore)     # regexes of lines expected all the server's life

    def _size(self):
        try:
            return os.path.getsize(self.path)
        except OSError:
            return 0

    def mark(self):
        """Skips what is written so far."""
        self.offset = self._size()

    def _read(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return b""
        return data[:data.rfind(b"\n") + 1]    # complete lines only

    def lines_since_mark(self):
        return self._read().decode("utf-8", "replace").splitlines()

    def take(self):
        """The complete lines since the mark; moves the mark after them."""
        data = self._read()
        self.offset += len(data)
        return data.decode("utf-8", "replace").splitlines()

    def problems(self, lines, expected=()):
        """Lines at warn level or above, a child's crash, or lines not in httpd's format
        (a library writing to stderr), matching none of the `expected` regexes."""
        out = []
        for line in lines:
            if not line.strip():
                continue
            m = RE_LOG_LINE.match(line)
            # a line not in httpd's format was written to stderr by a library: count it
            if m and m.group("level") not in BAD_LEVELS and not ALWAYS_BAD.search(line):
                continue
            if (any(re.search(rx, line) for rx in [*expected, *self.ignore])
                    and not SANITIZER_LINE.search(line)):
                continue
            out.append(line)
        return out

    def problems_since_mark(self, expected=()):
        return self.problems(self.lines_since_mark(), expected)

    def tail(self, n=30):
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return "(no error log)"
