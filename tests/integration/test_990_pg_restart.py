"""PostgreSQL restarted while Apache runs (issue 9): the portal answers a clear 503 while
the server is away (never a 500, an empty reply or a crash), and every request answers
normally within seconds after it is back, prepared statements included: ours, and
mod_authn_dbd's login on the same pooled connections.

The trap: apr-util's pgsql check_conn, which mod_dbd runs on every connection it hands
out, calls PQreset() on a broken connection and reports success, while mod_dbd prepares
the statements only when it opens a connection; the new session has none of them, and
every statement on it fails « prepared statement ... does not exist », for ever.

Runs on either CMCAS_ENGINE: its own PostgreSQL cluster (stopped and started again),
which no other module shares."""

import concurrent.futures
import time

import pytest

import cmcas_pg
from cmcas_httpd import DEMO_PASSWORD, PG_LOCK_TIMEOUT, CmcasHttpd
from test_300_errors import check_error_page
from test_7_helpers import Db, Member, P_GAEL

pytestmark = pytest.mark.skipif(not cmcas_pg.available(), reason="no PostgreSQL server")

UNAVAILABLE = ("Le service est momentanément indisponible. Merci de réessayer dans "
               "quelques minutes.")
PAGES = ["/", "/activite/1", "/mes-informations", "/mon-compte", "/?theme=SPORT",
         "/activite/1/inscription", "/mes-inscriptions"]
# What mod_dbd itself says while the server is away (its lines, not ours).
DBD_LINES = r"\[dbd:(error|crit)\].*AH0(0629|0633|0636|0639|2655)"


class RestartHttpd(CmcasHttpd):
    """The harness's server on a cluster of its own (the harness's pg_dbd_section and
    create_database, pointed at it)."""

    def __init__(self, name, cluster, **kwargs):
        self.cluster = cluster
        super().__init__(name, **kwargs)
        self.sections["dbd"] = "\n".join([
            "DBDriver pgsql",
            f'DBDParams "host={cluster.host} port={cluster.port} dbname={self.pg_db} '
            f'user=cmcas connect_timeout=2 {PG_LOCK_TIMEOUT}"',
            # several connections per child, several children: each must come back
            "DBDMin 1",
            "DBDKeep 2",
            "DBDMax 4",
        ])
        self.sections["mpm"] = "\n".join([
            "StartServers 2",
            "ServerLimit 2",
            "ThreadLimit 16",
            "ThreadsPerChild 16",
            "MaxRequestWorkers 32",
            "MinSpareThreads 1",
            "MaxSpareThreads 32",
        ])

    def create_db(self, path=None):
        super().create_db(path or self.db_path)     # SQLite first, as the harness does
        if not path:
            cmcas_pg.create_database(self.cluster, self.pg_db)
            cmcas_pg.copy_from_sqlite(self.cluster, self.pg_db, self.db_path)

    def sql(self, statement, params=()):
        return cmcas_pg.query(self.cluster, self.pg_db, statement, params)

    def sql_script(self, script):
        cmcas_pg.script(self.cluster, self.pg_db, script)

    def columns(self, table):
        return [r[0] for r in self.sql(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND column_name <> 'search' ORDER BY ordinal_position", (table,))]


@pytest.fixture(autouse=True)
def full_may_be_said(expect_log):
    """16 clients at once on a server whose MaxRequestWorkers is every thread it has: when
    both children stop accepting for a moment (their workers waiting for the few pooled
    connections while these prepare their statements again), mpm_event counts no idle
    thread and says it is full, an [mpm_event:error] of the load (met once by CI); the
    statuses are what each test checks."""
    expect_log(r"AH00484: server reached MaxRequestWorkers", must_appear=False)


@pytest.fixture(scope="module")
def cluster():
    c = cmcas_pg.PgCluster("test_990_pg_restart").start()
    try:
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def pgsrv(cluster, start_server):
    return start_server(RestartHttpd("test_990_pg_restart", cluster))


@pytest.fixture(scope="module")
def db(pgsrv):
    return Db(pgsrv)       # cheap password hashes: many logins below


def get(srv, path, auth=("gael.classen", DEMO_PASSWORD)):
    return srv.raw("GET", path, auth=auth)


def many(srv, n=160, workers=12, paths=PAGES):
    """n requests from `workers` clients at once (new connections: both children, every
    thread, every pooled connection); their statuses."""
    def one(i):
        return get(srv, paths[i % len(paths)]).status
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, range(n)))


def test_pages_and_login_before(pgsrv, db, expect_log):
    expect_log(r"AH01617: user gael\.classen: authentication failure")
    assert set(many(pgsrv, n=40)) == {200}
    assert get(pgsrv, "/", auth=("gael.classen", "wrong")).status == 401


def test_database_away_is_service_unavailable(pgsrv, db, cluster, expect_log):
    expect_log(DBD_LINES, must_appear=False)
    expect_log(r"\[cmcas:error\].*CMCAS(11|88): ")
    # the expiry job, if it runs meanwhile
    expect_log(r"\[cmcas:error\].*CMCAS(62|63|89|301): ", must_appear=False)
    member = Member(pgsrv)
    ins = member.ins(1)         # a form shown before, posted during the outage
    cluster.halt()
    statuses = many(pgsrv, n=60)
    assert set(statuses) == {503}, statuses
    for path in ("/", "/activite/1"):
        check_error_page(get(pgsrv, path), 503, UNAVAILABLE)
    # a login (mod_authn_dbd) during the outage: our 503 page, not its 500
    check_error_page(get(pgsrv, "/", auth=("gael.classen", "wrong")), 503, UNAVAILABLE)
    # a write: refused as clearly
    resp = member.post(1, member.state(ins) + [("action", "ajouter"),
                                               ("personne", str(P_GAEL))],
                       accept="text/html")
    assert resp.status == 503, resp
    member.close()


def test_everything_answers_once_the_database_is_back(pgsrv, db, cluster, expect_log):
    expect_log(DBD_LINES, must_appear=False)
    expect_log(r"\[cmcas:error\].*CMCAS(11|88): ", must_appear=False)
    expect_log(r"\[cmcas:error\].*CMCAS(62|63|89|301): ", must_appear=False)
    expect_log(r"AH01617: user gael\.classen: authentication failure")
    cluster.start_again()
    back = time.monotonic()
    deadline = back + 10
    while get(pgsrv, "/").status != 200:
        assert time.monotonic() < deadline, "not back 10 s after PostgreSQL"
        time.sleep(0.2)
    # then every request, on every child and pooled connection: no second of grace
    statuses = many(pgsrv, n=240, workers=16)
    assert set(statuses) == {200}, statuses
    assert get(pgsrv, "/", auth=("gael.classen", "wrong")).status == 401
    # a registration: writes work too
    db.reset()
    member = Member(pgsrv)
    member.register(1, [P_GAEL], option=1)
    member.close()
    assert db.registration(1) is not None


def test_statements_come_back_on_old_connections(pgsrv, db, cluster, expect_log):
    """The same again without any request during the outage: the pooled connections
    are reset by mod_dbd's check (the trap) at their first use after it."""
    expect_log(DBD_LINES, must_appear=False)
    expect_log(r"\[cmcas:error\].*CMCAS(11|88|62|63|89|301): ", must_appear=False)
    assert set(many(pgsrv, n=60)) == {200}
    cluster.halt()
    cluster.start_again()
    statuses = many(pgsrv, n=240, workers=16)
    assert set(statuses) == {200}, statuses


def test_statements_that_no_longer_prepare_are_tried_again(pgsrv, db, cluster, expect_log):
    """A restart while the schema no longer fits some statements (a table renamed away):
    the pages that need them answer 503, the others work, and all come back with the
    table (the statements that did prepare are not in the way)."""
    expect_log(DBD_LINES, must_appear=False)
    expect_log(r"\[cmcas:error\].*CMCAS87: \d+ statements of a pgsql connection prepared "
               r"again after a reconnection, not all: cmcas_\w+: ERROR: +relation "
               r"\"activity\" does not exist")
    expect_log(r"\[cmcas:error\].*CMCAS12: database error on the registrations for "
               r"/mes-inscriptions: cmcas_\w+: ERROR: +prepared statement")
    expect_log(r"\[cmcas:error\].*CMCAS(11|88|62|63|89|301): ", must_appear=False)
    assert set(many(pgsrv, n=40)) == {200}
    pgsrv.sql("ALTER TABLE activity RENAME TO activity_away")
    try:
        cluster.halt()
        cluster.start_again()
        # (the catalog and the activities' pages may come from the page cache)
        assert set(many(pgsrv, n=40, paths=["/mes-inscriptions"])) == {503}
        assert set(many(pgsrv, n=40, paths=["/mes-informations"])) == {200}
    finally:
        pgsrv.sql("ALTER TABLE activity_away RENAME TO activity")
    time.sleep(1.1)         # the repair is tried again a second after a failure
    statuses = many(pgsrv, n=240, workers=16)
    assert set(statuses) == {200}, statuses
