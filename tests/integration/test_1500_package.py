"""The Debian package (issue 14), as a hosting provider uses it.

Builds libapache2-mod-cmcas with `dpkg-buildpackage -us -uc -b` from a clean copy of the
sources (the files git knows, in a temporary directory: nothing is built in the
repository), installs it with apt-get, then runs Debian's apache2 in an instance of its
own (Debian's multi-instance layout: /etc/apache2-cmcastest, a copy of /etc/apache2, run by
apache2ctl with APACHE_CONFDIR) where `a2enmod cmcas` enables the module. The example site
listens on a free port of 127.0.0.1, reads a SQLite database made from the installed
schema (/usr/share/mod_cmcas/sql) and the demo's data, and uses the module's default
stylesheet directory (no CMCASTemplateDir) and the installed login snippet
(/usr/share/mod_cmcas/cmcas-login.conf): the login page, a member's login through the
form, the catalogue, the status page and a static file are fetched.

Afterwards the instance is stopped and removed (configuration, logs, run and lock
directories), and the package purged if it was not installed before the test (otherwise
the freshly built one stays installed): the default instance /etc/apache2 is never
touched. Needs root (it installs a package); skipped on PostgreSQL (the package does not
depend on the engine: once is enough) and under --enable-sanitizers (the package is built
without them). About a minute and a half, most of it the build.
"""

import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests

from cmcas_httpd import DEMO_PASSWORD, DEMO_SQL, ENGINE, REPO, free_port, module_sanitized
from cmcas_httpd import running_as_root

PACKAGE = "libapache2-mod-cmcas"
INSTANCE = "cmcastest"
CONFDIR = f"/etc/apache2-{INSTANCE}"
# What apache2ctl's envvars derive from the instance's name (the suffix -cmcastest).
INSTANCE_DIRS = [CONFDIR, f"/var/log/apache2-{INSTANCE}", f"/var/run/apache2-{INSTANCE}",
                 f"/var/lock/apache2-{INSTANCE}"]
PID_FILE = f"/var/run/apache2-{INSTANCE}/apache2.pid"
ERROR_LOG = f"/var/log/apache2-{INSTANCE}/error.log"
SHARE = "/usr/share/mod_cmcas"
DOC = f"/usr/share/doc/{PACKAGE}"

pytestmark = [
    pytest.mark.skipif(ENGINE != "sqlite3",
                       reason="the package does not depend on the engine: tested on SQLite"),
    pytest.mark.skipif(module_sanitized(),
                       reason="the package is built without the sanitizers"),
    pytest.mark.skipif(not running_as_root(), reason="installs a package: needs root"),
    pytest.mark.skipif(shutil.which("dpkg-buildpackage") is None
                       or not os.path.isdir(os.path.join(REPO, ".git"))
                       and not os.path.isfile(os.path.join(REPO, ".git")),
                       reason="needs dpkg-buildpackage and a git checkout"),
]

# The site: one CMCAS on SQLite, the members' login form, sessions in the database.
SITE = """\
# Written by tests/integration/test_1500_package.py: removed with the instance.
DBDriver sqlite3
DBDParams "{db}"
DBDInitSQL "PRAGMA busy_timeout = 5000"
DBDMin 1
DBDKeep 1
DBDMax 1

CMCASSecretFile "{work}/forms.key"
<CMCAS BN>
    CMCASName    "CMCAS Berry-Nivernais"
    CMCASAddress "3 rue Marcel Paul" 18022 Bourges
    CMCASPhone   "02 48 00 00 00"
    CMCASEmail   contact@cmcas-bn.example
    CMCASPortalURL http://127.0.0.1:{port}/
</CMCAS>
<CMCAS TOURAINE>
    CMCASName    "CMCAS Touraine"
    CMCASAddress "12 rue de la Démo" 37000 Tours
    CMCASPhone   "02 47 00 00 00"
    CMCASEmail   contact@cmcas-touraine.example
</CMCAS>
<CMCAS LIMOUSIN>
    CMCASName    "CMCAS Limousin"
    CMCASAddress "8 avenue de l'Exemple" 87000 Limoges
    CMCASPhone   "05 55 00 00 00"
    CMCASEmail   contact@cmcas-limousin.example
</CMCAS>

# The installed login snippet (conf/cmcas-login.conf): its passphrase files in {work};
# plain HTTP on 127.0.0.1 here, so its cookies without Secure.
Define CMCAS_LOGIN_SECRETS "{work}"
Define CMCAS_LOGIN_PLAIN_HTTP

<VirtualHost 127.0.0.1:{port}>
    ServerName 127.0.0.1
    CMCASPortal BN
    ErrorLog ${{APACHE_LOG_DIR}}/error.log
    LogLevel warn cmcas:info
    # mod_dir would turn / into /index.html (Debian enables it).
    DirectoryIndex disabled
    Include {share}/cmcas-login.conf

    <Location "/cmcas-status">
        SetHandler cmcas-status
        Session Off
        Require ip 127.0.0.1 ::1
    </Location>
    Alias "/static/" "{share}/xslt/static/"
    <Location "/static/">
        SetHandler none
        Session Off
        Require all granted
    </Location>
    <Directory "{share}/xslt/static">
        Require all granted
    </Directory>
</VirtualHost>
"""


def run(argv, timeout=120, env=None, cwd=None, check=True):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    if check and r.returncode != 0:
        pytest.fail(f"{' '.join(argv)} exited {r.returncode}:\n{r.stdout[-3000:]}\n"
                    f"{r.stderr[-3000:]}", pytrace=False)
    return r


def installed(package):
    r = run(["dpkg-query", "-W", "-f=${Status}", package], check=False)
    return r.returncode == 0 and r.stdout == "install ok installed"


def instance_env():
    # APACHE_STARTED_BY_SYSTEMD: apache2ctl starts httpd itself rather than asking systemd
    # for the apache2@cmcastest unit, the same with or without systemd.
    return dict(os.environ, APACHE_CONFDIR=CONFDIR, APACHE_STARTED_BY_SYSTEMD="true",
                DEBIAN_FRONTEND="noninteractive")


def instance_pid():
    try:
        with open(PID_FILE, encoding="ascii") as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def stop_instance():
    pid = instance_pid()
    if pid is None:
        return
    subprocess.run(["apache2ctl", "stop"], env=instance_env(), capture_output=True,
                   timeout=60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and instance_pid() == pid:
        time.sleep(0.2)
    if instance_pid() == pid:
        os.kill(pid, signal.SIGKILL)    # only the instance's own parent process


def remove_instance():
    stop_instance()
    for d in INSTANCE_DIRS:
        shutil.rmtree(d, ignore_errors=True)


def build_package(work):
    """The .deb built from the files git knows (committed or not) copied into `work`."""
    src = os.path.join(work, "src")
    os.makedirs(src)
    files = run(["git", "-C", REPO, "ls-files", "-z", "--cached", "--others",
                 "--exclude-standard"]).stdout.split("\0")
    files = [f for f in files if f and os.path.isfile(os.path.join(REPO, f))]
    tar = subprocess.run(["tar", "-C", REPO, "--null", "-T", "-", "-cf", "-"],
                         input="\0".join(files).encode(), capture_output=True, timeout=120)
    assert tar.returncode == 0, tar.stderr.decode(errors="replace")
    subprocess.run(["tar", "-C", src, "-xf", "-"], input=tar.stdout, check=True, timeout=120)
    # nocheck: make check (the unit tests) runs elsewhere in scripts/check.
    env = dict(os.environ, DEB_BUILD_OPTIONS="nocheck parallel=2")
    r = run(["nice", "-n", "10", "dpkg-buildpackage", "-us", "-uc", "-b"], timeout=900,
            env=env, cwd=src, check=False)
    if r.returncode != 0:
        pytest.fail(f"dpkg-buildpackage exited {r.returncode}:\n{r.stdout[-4000:]}\n"
                    f"{r.stderr[-4000:]}", pytrace=False)
    debs = [d for d in glob.glob(os.path.join(work, f"{PACKAGE}_*.deb"))]
    assert len(debs) == 1, debs
    return debs[0]


def make_database(work):
    """The database an operator makes: the installed schema in order, then the demo's data."""
    db_dir = os.path.join(work, "db")
    os.makedirs(db_dir)
    # SQLite's files in sql/ (or sql/sqlite/, each engine in a directory of its own).
    sql_dir = os.path.join(SHARE, "sql", "sqlite")
    if not os.path.isdir(sql_dir):
        sql_dir = os.path.join(SHARE, "sql")
    schema = sorted(glob.glob(os.path.join(sql_dir, "[0-9][0-9][0-9]_*.sql")))
    assert len(schema) >= 17, schema
    script = "PRAGMA journal_mode = WAL;\n"
    for path in schema + [DEMO_SQL]:
        with open(path, encoding="utf-8") as f:
            script += f.read() + "\n"
    db = os.path.join(db_dir, "cmcas.sqlite")
    r = subprocess.run(["sqlite3", "-batch", "-bail", db], input=script, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    shutil.chown(db_dir, "www-data", "www-data")
    shutil.chown(db, "www-data", "www-data")
    # The installed cmcas-migrate finds the installed schema by itself: up to date.
    r = run(["runuser", "-u", "www-data", "--", "/usr/bin/cmcas-migrate", "--params", db,
             "status"], check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    return db


def write_secrets(work):
    with open(os.path.join(work, "forms.key"), "w", encoding="ascii") as f:
        f.write(os.urandom(32).hex() + "\n")
    for who in ("site", "staff"):
        with open(os.path.join(work, f"{who}-passphrase.conf"), "w", encoding="ascii") as f:
            f.write(f'AuthFormSitePassphrase "{os.urandom(16).hex()}"\n')
    for name in ("forms.key", "site-passphrase.conf", "staff-passphrase.conf"):
        os.chmod(os.path.join(work, name), 0o600)


def make_instance(work, port):
    """/etc/apache2-cmcastest: Debian's configuration as installed, its own port and site,
    the module and the login form's modules enabled the Debian way."""
    env = instance_env()
    shutil.copytree("/etc/apache2", CONFDIR, symlinks=True)
    with open(os.path.join(CONFDIR, "ports.conf"), "w", encoding="ascii") as f:
        f.write(f"Listen 127.0.0.1:{port}\n")
    os.makedirs(f"/var/log/apache2-{INSTANCE}", exist_ok=True)
    run(["a2dismod", "-q", "-f", "cmcas"], env=env, check=False)
    run(["a2dissite", "-q", "000-default"], env=env, check=False)
    # The modules the login snippet names (conf/cmcas-login.conf).
    run(["a2enmod", "-q", "dbd", "authn_dbd", "authn_core", "authz_user", "request",
         "auth_form", "session", "session_dbd", "cmcas"], env=env)
    with open(os.path.join(CONFDIR, "sites-available", "cmcastest.conf"), "w",
              encoding="utf-8") as f:
        f.write(SITE.format(db=os.path.join(work, "db", "cmcas.sqlite"), work=work,
                            port=port, share=SHARE))
    run(["a2ensite", "-q", "cmcastest"], env=env)


@pytest.fixture(scope="module")
def site():
    """The package built and installed, the instance serving the site; all undone after."""
    was_installed = installed(PACKAGE)
    remove_instance()               # a previous run stopped half-way
    work = tempfile.mkdtemp(prefix="cmcas-package-")
    os.chmod(work, 0o755)           # www-data reaches the database below it
    try:
        deb = build_package(work)
        run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "--reinstall",
             "-o", "DPkg::Lock::Timeout=300", deb], timeout=600,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        assert installed(PACKAGE)
        make_database(work)
        write_secrets(work)
        port = free_port()
        make_instance(work, port)
        yield {"url": f"http://127.0.0.1:{port}", "work": work}
    finally:
        log = ""
        if os.path.exists(ERROR_LOG):
            with open(ERROR_LOG, encoding="utf-8", errors="replace") as f:
                log = f.read()
        remove_instance()
        shutil.rmtree(work, ignore_errors=True)
        if not was_installed and installed(PACKAGE):
            run(["apt-get", "purge", "-y", "-q", "-o", "DPkg::Lock::Timeout=300", PACKAGE],
                timeout=600, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        assert was_installed or not os.path.exists("/usr/lib/apache2/modules/mod_cmcas.so")
        print(log)


def test_package_contents(site):
    """What the package installed, where the documentation and cmcas.conf say."""
    for path in ["/usr/lib/apache2/modules/mod_cmcas.so",
                 "/etc/apache2/mods-available/cmcas.load",
                 "/etc/apache2/mods-available/cmcas.conf",
                 f"{SHARE}/xslt/layout.xsl", f"{SHARE}/xslt/static/cmcas.css",
                 f"{SHARE}/sql/pgsql/001_schema.sql",
                 f"{SHARE}/paybox-pubkey.pem", f"{SHARE}/cmcas-login.conf",
                 f"{DOC}/examples/sqlite-one-cmcas.conf", f"{DOC}/examples/pgsql-network.conf",
                 f"{DOC}/security.md",
                 f"{DOC}/README.md", f"{DOC}/directives.md", f"{DOC}/operations.md",
                 f"{DOC}/http-interface.md", f"{DOC}/copyright",
                 "/usr/bin/cmcas-draw", "/usr/bin/cmcas-sqlite-to-pgsql",
                 "/usr/bin/cmcas-migrate", "/usr/share/man/man1/cmcas-migrate.1.gz",
                 "/usr/share/man/man1/cmcas-draw.1.gz",
                 "/usr/share/man/man1/cmcas-sqlite-to-pgsql.1.gz"]:
        assert os.path.exists(path), path
    assert (os.path.exists(f"{SHARE}/sql/001_schema.sql")
            or os.path.exists(f"{SHARE}/sql/sqlite/001_schema.sql"))
    with open("/etc/apache2/mods-available/cmcas.load", encoding="utf-8") as f:
        load = f.read()
    assert "# Depends: dbd" in load
    assert "LoadModule cmcas_module /usr/lib/apache2/modules/mod_cmcas.so" in load
    # The files cmcas.conf's comments point at exist.
    with open("/etc/apache2/mods-available/cmcas.conf", encoding="utf-8") as f:
        conf = f.read()
    named = re.findall(r"(/usr/share/doc/\S+?\.md)\b", conf)
    assert named, "cmcas.conf names no installed document"
    for path in named:
        assert os.path.exists(path), f"cmcas.conf names {path}, not installed"
    # The commands run (usage: exit status 2).
    r = run(["/usr/bin/cmcas-draw"], check=False)
    assert r.returncode == 2 and "usage: cmcas-draw" in r.stderr
    # Dependencies: the DBD drivers, the Apache API, the libraries (shlibs).
    depends = run(["dpkg-query", "-W", "-f=${Depends}", PACKAGE]).stdout
    assert "libaprutil1-dbd-sqlite3 | libaprutil1-dbd-pgsql" in depends
    assert re.search(r"apache2-api-\d+", depends), depends
    assert "libxslt1.1" in depends and "libsqlite3-0" in depends
    # Installed, not enabled in the default instance (it needs a database first).
    assert not os.path.exists("/etc/apache2/mods-enabled/cmcas.load")


def test_a2enmod_and_configtest(site):
    """a2enmod cmcas enabled mod_dbd too; apache2ctl -t accepts the site."""
    assert os.path.islink(os.path.join(CONFDIR, "mods-enabled", "cmcas.load"))
    assert os.path.islink(os.path.join(CONFDIR, "mods-enabled", "cmcas.conf"))
    assert os.path.islink(os.path.join(CONFDIR, "mods-enabled", "dbd.load"))
    r = run(["apache2ctl", "configtest"], env=instance_env(), check=False)
    assert r.returncode == 0 and "Syntax OK" in r.stderr, r.stderr


def test_serves_the_site(site):
    """Debian's apache2 with the packaged module: login page, login, catalogue, CSS."""
    run(["apache2ctl", "start"], env=instance_env())
    url = site["url"]
    deadline = time.monotonic() + 60
    while True:
        try:
            r = requests.get(url + "/connexion", timeout=10)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    assert r.status_code == 200 and 'name="httpd_username"' in r.text
    assert "/static/cmcas.css" in r.text           # the installed stylesheets
    # Not logged in: to the login page.
    r = requests.get(url + "/", allow_redirects=False, timeout=30)
    assert r.status_code == 302 and r.headers["Location"].endswith("/connexion")
    # The login form, then the catalogue (the first page after login: no index.html).
    s = requests.Session()
    r = s.post(url + "/connexion/valider", allow_redirects=False, timeout=30,
               data={"httpd_username": "gael.classen", "httpd_password": DEMO_PASSWORD})
    assert r.status_code == 302 and r.headers["Location"].endswith("/")
    r = s.get(url + "/", timeout=30)
    assert r.status_code == 200, r.text[:500]
    assert "Atelier gourmand" in r.text
    r = s.get(url + "/activite/1", timeout=30)
    assert r.status_code == 200 and "Atelier gourmand" in r.text
    r = requests.get(url + "/cmcas-status?auto", timeout=30)
    assert r.status_code == 200 and "DatabaseReachable: yes" in r.text, r.text
    r = requests.get(url + "/static/cmcas.css", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/css")
    stop_instance()
    assert instance_pid() is None
    # Nothing at warn level or above, start and stop included.
    with open(ERROR_LOG, encoding="utf-8", errors="replace") as f:
        bad = [line for line in f if re.search(r"\[[a-z_]*:(warn|error|crit|alert|emerg)\]",
                                               line)]
    assert not bad, "".join(bad)
