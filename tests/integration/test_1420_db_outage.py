"""The database locked or away for a while (issue 13, « Faults »), then back, without
restarting Apache:

- SQLite busy: another process (an operator's `sqlite3` shell, a backup) holds the write
  lock longer than the busy timeout. Pages still read (WAL), every write answers 503
  with the site's error page once the busy timeout has run out (not a 500, not a hang),
  logged once per request at error level with what was being done (6.7 s with the
  documented 5000 ms: the module spreads it over apr-util's 16 tries, 82 s before).
- PostgreSQL stopped, then started again (its own cluster, in the CMCAS_ENGINE=pgsql
  pass): test_990 checks every page and prepared statement; here, what the outage does
  to the work in progress, and that each job says it once and backs off. And a table
  locked by another session: 503 after the `lock_timeout` of DBDParams.

In both: an e-mail waiting in the outbox before the outage is delivered afterwards, once
(the mail job), and the background jobs keep running across it (a draw whose closing
date passed during the outage is drawn afterwards; the expiry job ends an order whose
hold ran out). The jobs run every second here."""

import email
import email.policy
import glob
import os
import re
import sqlite3
import threading
import time

import pytest

import cmcas_pg
from cmcas_httpd import (BN_BLOCK, ENGINE, GEN_DIR, REPO, running_as_root, utc_day,
                         wait_for)
from test_300_errors import check_error_page
from test_7_helpers import GAEL, KARIM, MARTINE, P_GAEL, P_KARIM, P_MARTINE, Db, Member
from test_990_pg_restart import DBD_LINES, RestartHttpd

UNAVAILABLE = ("Le service est momentanément indisponible. Merci de réessayer dans "
               "quelques minutes.")
NAME = "test_1420_db_outage"
CTL = os.path.join(GEN_DIR, f"{NAME}-ctl")
MAIL_DIR = os.path.join(CTL, "mail")
FAIL_FLAG = os.path.join(CTL, "fail")
WRAPPER = os.path.join(CTL, "sendmail")
CAPTURE = os.path.join(REPO, "scripts", "cmcas-mail-to-folder")
DRAW_ACTIVITY, DRAW_OPTION = 2, 2       # « tour de rôle » (test_860)
RETRY = r"CMCAS98: e-mail \d+ .* not sent, attempt \d+: .*exited with status 75"
# What the jobs say while the database is locked (each run) or away (once an outage).
JOB_LINES = (r"\[cmcas:error\].*CMCAS(62|63|72|89|100|101|103|105|106|107|116|117|118|"
             r"301): ")
EXTRA = (f'CMCASMailCommand "{WRAPPER} -t -i"\nCMCASMailInterval 1\n'
         "CMCASExpiryInterval 1\n")
CARD_BLOCK = BN_BLOCK.replace("</CMCAS>", "    CMCASPortalURL https://activites.cmcas-bn"
                              ".example/\n</CMCAS>")


def write_wrapper():
    """A sendmail-compatible command: fails with 75 (« try again later ») while FAIL_FLAG
    exists, else keeps the message in MAIL_DIR."""
    os.makedirs(MAIL_DIR, exist_ok=True)
    for f in glob.glob(os.path.join(MAIL_DIR, "*.eml")):
        os.unlink(f)
    with open(WRAPPER, "w") as f:
        f.write(f"#!/bin/sh\n[ -e {FAIL_FLAG} ] && exit 75\nexec {CAPTURE} {MAIL_DIR} \"$@\"\n")
    os.chmod(WRAPPER, 0o755)
    if running_as_root():
        import pwd
        pw = pwd.getpwnam("www-data")
        for d in (CTL, MAIL_DIR):
            os.chown(d, pw.pw_uid, pw.pw_gid)


def messages():
    return sorted(glob.glob(os.path.join(MAIL_DIR, "*.eml")))


def subject(path):
    """« To: Subject » of a kept message."""
    with open(path, "rb") as f:
        msg = email.message_from_bytes(f.read(), policy=email.policy.default)
    return f"{msg['To'].addresses[0].addr_spec}: {msg['Subject']}"


def prepare(srv, db):
    """Before the outage: an e-mail waiting in the outbox (the command failing), a
    « tour de rôle » request, an order whose hold will run out; a draft to post."""
    for t in ("cmcas_order_notice", "cmcas_order_event", "cmcas_invoice_line",
              "cmcas_invoice", "cmcas_order_line", "cmcas_order", "cmcas_outbox"):
        srv.sql(f"DELETE FROM {t}")
    db.reset()
    srv.sql("UPDATE activity SET places_taken = 0, draw_done_at = NULL, "
            "draw_published_at = NULL")
    open(FAIL_FLAG, "w").close()
    gael, martine, karim = Member(srv, GAEL), Member(srv, MARTINE), Member(srv, KARIM)
    gael.register(1, [P_GAEL], option=1)
    wait_for(lambda: srv.sql("SELECT attempts FROM cmcas_outbox")[0][0] >= 1)
    martine.register(DRAW_ACTIVITY, [P_MARTINE], option=DRAW_OPTION)
    # an order at the desk, whose hold the test ends (the expiry job cancels it)
    reg = srv.sql("SELECT id FROM registration WHERE household_id = 1")[0][0]
    tok = gael.token(1)
    r = gael.s.post(srv.url(f"/mes-inscriptions/{reg}/paiement"),
                    data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    karim.tick(1, {karim.add(1, P_KARIM): [1]})
    return {"gael": gael, "martine": martine, "karim": karim, "ins": karim.ins(1)}


class Page:
    """check_error_page's view of a requests response."""

    def __init__(self, r):
        self.status, self.text, self.headers = r.status_code, r.text, r.headers

    def getheader(self, name, default=None):
        return self.headers.get(name, default)


def after(srv, db, work):
    """Back: a write works at once, the e-mail is delivered once, the draw is made, the
    expired order is ended (the jobs ran through the outage)."""
    karim = work["karim"]
    karim.do(1, "valider")
    assert db.registration(1, household_id=3)["status"] == "validee"
    wait_for(lambda: srv.sql("SELECT sent_at FROM cmcas_outbox WHERE household_id = 1 "
                             "AND kind = 'validated'")[0][0], timeout=30)
    wait_for(lambda: srv.sql("SELECT draw_published_at FROM activity WHERE id = ?",
                             (DRAW_ACTIVITY,))[0][0], timeout=30)
    wait_for(lambda: srv.sql("SELECT status FROM cmcas_order")[0][0] == "annulee",
             timeout=30)
    assert srv.sql("SELECT count(*) FROM cmcas_outbox WHERE household_id = 1 "
                   "AND kind = 'validated'") == [(1,)]
    assert [subject(m) for m in messages()].count(
        "gael.classen@example.org: Inscription validée : Atelier gourmand") == 1
    for m in work.values():
        if isinstance(m, Member):
            m.close()


DEADLINES = [
    # the draw's closing date and the order's hold in the past
    f"UPDATE activity SET closing_date = '{utc_day(-1)}' WHERE id = {DRAW_ACTIVITY}",
    "UPDATE cmcas_order SET hold_until = '2000-01-01T00:00:00Z'",
]


# ----------------------------------------------------------------------------------
# SQLite: another process holds the lock

sqlite_only = pytest.mark.skipif(ENGINE != "sqlite3",
                                 reason="SQLite's file lock: PostgreSQL has none (its "
                                        "outage is test_postgresql_stopped_then_started)")


class Locker(threading.Thread):
    """Another process's connection holding the write lock (BEGIN IMMEDIATE) until
    release; its `statements` are committed then (the deadlines pass during the outage).
    Readers cannot be shut out of a WAL database while Apache has it open (a lock in
    exclusive locking mode is never granted then): pages always read."""

    def __init__(self, srv, statements=()):
        super().__init__(daemon=True)
        self.srv, self.statements = srv, statements
        self.held, self.done = threading.Event(), threading.Event()
        self.error = None

    def run(self):
        try:
            with self.srv._as_run_user():
                db = sqlite3.connect(self.srv.db_path, timeout=30, isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            for statement in self.statements:
                db.execute(statement)
            self.held.set()
            self.done.wait(300)
            db.execute("COMMIT")
            db.close()
        except Exception as e:      # shown by the test
            self.error = e
            self.held.set()

    def __enter__(self):
        self.start()
        assert self.held.wait(30) and self.error is None, self.error
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.join(30)
        assert self.error is None, self.error


@pytest.fixture(scope="module")
def lite(make_server):
    if ENGINE != "sqlite3":
        pytest.skip("SQLite only")
    write_wrapper()
    return make_server("sqlite", sections={"cmcas": CARD_BLOCK}, extra=EXTRA)


@pytest.fixture(scope="module")
def lite_db(lite):
    return Db(lite)


def timed_post(member, ins, action="valider"):
    t0 = time.monotonic()
    resp = member.post(1, member.state(ins) + [("action", action)], accept="text/html",
                       timeout=180)
    return resp, time.monotonic() - t0


def timed_get(member, path):
    t0 = time.monotonic()
    r = member.s.get(member.server.url(path), headers={"Accept": "text/html"}, timeout=180)
    return r, time.monotonic() - t0


REFUSED = r"\[cmcas:error\].*CMCAS12: database error on .* for /activite/1/inscription: "


@sqlite_only
def test_sqlite_write_lock_held_past_the_busy_timeout(lite, lite_db, expect_log):
    expect_log(RETRY, must_appear=False)
    expect_log(REFUSED + r".*(locked|busy)")
    expect_log(JOB_LINES, must_appear=False)
    work = prepare(lite, lite_db)
    before = lite_db.snapshot()
    with Locker(lite, DEADLINES):
        os.unlink(FAIL_FLAG)            # the command works again: the database does not
        # pages are read (WAL: readers never wait for the writer)
        r, read_took = timed_get(work["gael"], "/mes-inscriptions")
        assert r.status_code == 200
        resp, took = timed_post(work["karim"], work["ins"])
        check_error_page(Page(resp.r), 503, UNAVAILABLE)
        assert lite_db.snapshot() == before
        time.sleep(2)                   # the jobs meet the lock too
    refused = [ln for ln in lite.error_log.lines_since_mark() if re.search(REFUSED, ln)]
    assert len(refused) == 1 and "database is locked" in refused[0], refused
    print(f"\nSQLite write lock: a page read in {read_took:.2f} s, the post answered 503 "
          f"after {took:.1f} s")
    after(lite, lite_db, work)


# ----------------------------------------------------------------------------------
# PostgreSQL stopped, then started again (a cluster of its own, on either engine)

pg_only = pytest.mark.skipif(ENGINE != "pgsql" or not cmcas_pg.available(),
                             reason="PostgreSQL's outages: in the CMCAS_ENGINE=pgsql pass "
                                    "(on a cluster of their own, the engine set aside)")


@pytest.fixture(scope="module")
def cluster():
    c = cmcas_pg.PgCluster(NAME).start()
    try:
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def pgsrv(cluster, start_server):
    write_wrapper()
    return start_server(RestartHttpd(f"{NAME}-pgsql", cluster,
                                     sections={"cmcas": CARD_BLOCK}, extra=EXTRA))


@pg_only
def test_postgresql_stopped_then_started(pgsrv, cluster, expect_log):
    expect_log(RETRY, must_appear=False)
    expect_log(DBD_LINES, must_appear=False)
    expect_log(r"\[cmcas:error\].*CMCAS(11|88): ")
    expect_log(JOB_LINES, must_appear=False)
    db = Db(pgsrv)
    work = prepare(pgsrv, db)
    for statement in DEADLINES:     # the jobs may see them just before the stop
        pgsrv.sql(statement)
    before = db.snapshot()
    cluster.halt()
    stopped = time.monotonic()
    try:
        os.unlink(FAIL_FLAG)
        r, read_took = timed_get(work["gael"], "/mes-inscriptions")
        check_error_page(Page(r), 503, UNAVAILABLE)
        resp, took = timed_post(work["karim"], work["ins"])
        check_error_page(Page(resp.r), 503, UNAVAILABLE)
        time.sleep(6)                   # the jobs (every second) meet the outage
    finally:
        cluster.start_again()
    down = time.monotonic() - stopped
    assert db.snapshot() == before
    after(pgsrv, db, work)
    # each job said it once, backing off meanwhile, and said when it was over
    lines = pgsrv.error_log.lines_since_mark()
    # (CMCAS301 when the stop came in the middle of the job's run)
    said = {job: len([ln for ln in lines if re.search(rf"\[cmcas:error\].*CMCAS({codes}): ",
                                                      ln)])
            for job, codes in (("expiry", "62|89|301: the expiry"),
                               ("mail", "101|301: the mail"))}
    assert said == {"expiry": 1, "mail": 1}, said
    wait_for(lambda: len(re.findall(r"CMCAS230: the (expiry|mail) job reaches the "
                                    r"database again after \d+ s without it",
                                    "\n".join(pgsrv.error_log.lines_since_mark()))) == 2)
    dbd = len([ln for ln in lines if re.search(r"\[dbd:error\]", ln)])
    print(f"\nPostgreSQL stopped {down:.1f} s: a page answered 503 in {read_took:.2f} s, "
          f"a post in {took:.2f} s; the jobs logged {said}, mod_dbd {dbd} line(s)")


@pg_only
def test_postgresql_stopped_during_a_jobs_run(pgsrv, cluster, expect_log):
    """The server stops while the expiry job is in the middle of its run (waiting for a
    lock on the orders, the first of its steps): the job says so once (CMCAS301) and
    leaves the rest of its run, rather than one error per step that follows (unpaid
    registrations of each CMCAS, the draws, the waiting lists, the sessions: CI met six
    lines for one outage); then it backs off, and says when it is back."""
    expect_log(DBD_LINES, must_appear=False)
    # a connection mod_dbd opens meanwhile: preparing a statement that reads the locked
    # table waits too, and fails at the stop (mod_dbd's own line)
    expect_log(r"\[dbd:error\].*AH00632: failed to prepare SQL statements: FATAL: +"
               r"terminating connection", must_appear=False)
    expect_log(r"\[cmcas:error\].*CMCAS301: the expiry job lost the database during its "
               r"run, the rest of the run waits for it: cmcas_\w+: .*terminating connection")
    # the mail job meets the outage at its next run (or in its own run: the same line)
    expect_log(r"\[cmcas:error\].*CMCAS(101: e-mails not sent this time|301: the mail "
               r"job lost the database)", must_appear=False)
    held = threading.Event()

    def hold():
        held.set()
        cluster.psql("BEGIN; LOCK TABLE cmcas_order IN ACCESS EXCLUSIVE MODE; "
                     "SELECT pg_sleep(60); COMMIT;", db=pgsrv.pg_db, check=False)
    t = threading.Thread(target=hold, daemon=True)
    t.start()
    assert held.wait(10)
    # the job's run (every second) waiting for the lock, in its first step (its query,
    # not a new connection preparing its statements: that waits for the lock too)
    wait_for(lambda: pgsrv.sql(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
        "query LIKE '%o.adjustment = 0 AND o.hold_until < $1 ORDER BY o.id LIMIT 50'"
    )[0][0], timeout=10)
    cluster.halt()
    try:
        time.sleep(4)                   # the jobs' next runs meet the outage
    finally:
        cluster.start_again()
    t.join(30)
    wait_for(lambda: re.search(r"CMCAS230: the expiry job reaches the database again",
                               "\n".join(pgsrv.error_log.lines_since_mark())), timeout=90)
    lines = [ln for ln in pgsrv.error_log.lines_since_mark() if "[cmcas:error]" in ln]
    expiry = [ln for ln in lines if "CMCAS301: the expiry job" in ln]
    mail = [ln for ln in lines if re.search(r"CMCAS(101|301): (e-mails|the mail job)", ln)]
    assert len(expiry) == 1 and len(mail) <= 1 and len(lines) == len(expiry) + len(mail), \
        lines


# ----------------------------------------------------------------------------------
# PostgreSQL: a table locked by another session (a migration, VACUUM FULL), with the
# lock_timeout that docs/operations.md sets in DBDParams (without it, every request that
# needs the table waits as long as the lock lasts)

LOCK_TIMEOUT_MS = 3000


@pytest.fixture(scope="module")
def pglocked(cluster, start_server):
    write_wrapper()
    srv = RestartHttpd(f"{NAME}-pglock", cluster, sections={"cmcas": CARD_BLOCK},
                       extra=EXTRA)
    srv.sections["dbd"] = srv.sections["dbd"].replace("lock_timeout=5000",
                                                      f"lock_timeout={LOCK_TIMEOUT_MS}")
    assert f"lock_timeout={LOCK_TIMEOUT_MS}" in srv.sections["dbd"]
    return start_server(srv)


@pg_only
def test_postgresql_table_locked(pglocked, expect_log):
    expect_log(RETRY, must_appear=False)
    expect_log(r"\[cmcas:error\].*CMCAS12: database error on .*: .*lock timeout")
    # the jobs' queries that need the table, each time they run
    expect_log(r"\[cmcas:error\].*CMCAS(6\d|7\d|10\d|11\d): .*lock timeout",
               must_appear=False)
    # a new connection cannot prepare the statements that read the table
    expect_log(r"\[dbd:error\].*(AH00632|AH02655)", must_appear=False)
    expect_log(r"\[cmcas:error\].*CMCAS11: ", must_appear=False)
    expect_log(JOB_LINES, must_appear=False)
    srv = pglocked
    db = Db(srv)
    work = prepare(srv, db)
    for statement in DEADLINES:
        srv.sql(statement)
    before = db.snapshot()
    done = threading.Event()

    def lock():
        srv.cluster.psql("BEGIN; LOCK TABLE registration IN ACCESS EXCLUSIVE MODE; "
                         f"SELECT pg_sleep({3 * LOCK_TIMEOUT_MS / 1000 + 4}); COMMIT;",
                         db=srv.pg_db)
        done.set()
    t = threading.Thread(target=lock, daemon=True)
    t.start()
    wait_for(lambda: srv.sql("SELECT count(*) FROM pg_locks l JOIN pg_class c ON "
                             "c.oid = l.relation WHERE c.relname = 'registration' AND "
                             "l.mode = 'AccessExclusiveLock' AND l.granted")[0][0])
    os.unlink(FAIL_FLAG)
    resp, took = timed_post(work["karim"], work["ins"])
    check_error_page(Page(resp.r), 503, UNAVAILABLE)
    r, read_took = timed_get(work["gael"], "/mes-inscriptions")
    check_error_page(Page(r), 503, UNAVAILABLE)
    assert not done.is_set()                    # answered while the lock was held
    t.join(60)
    assert db.snapshot() == before
    after(srv, db, work)
    print(f"\nPostgreSQL table locked, lock_timeout {LOCK_TIMEOUT_MS} ms: a post answered "
          f"503 after {took:.1f} s, a page after {read_took:.1f} s")
