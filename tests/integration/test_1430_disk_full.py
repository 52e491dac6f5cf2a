"""The SQLite database on a full disk (issue 13, « Faults »): a small tmpfs holds the
database, and a file fills what is left of it.

A write then fails (SQLite: « database or disk is full »): the member gets the site's
503 page (« Service indisponible », try again later: the same answer as any database
that cannot take a write now; 507 is WebDAV's and says nothing more to a member),
CMCAS12 is logged once at error level with what was being done and SQLite's message;
nothing of the transaction is kept and `PRAGMA integrity_check` stays ok. Pages still
read. Once space is freed, the same post succeeds, without restarting Apache.

Root only (mount), SQLite only (PostgreSQL's disk is the database server's)."""

import os
import subprocess

import pytest

from cmcas_httpd import ENGINE, GEN_DIR, RUN_GROUP, RUN_USER, CmcasHttpd, running_as_root
from test_300_errors import check_error_page
from test_7_helpers import P_GAEL, Db, Member

pytestmark = [
    pytest.mark.skipif(ENGINE != "sqlite3",
                       reason="SQLite's file: PostgreSQL's disk is its server's"),
    pytest.mark.skipif(not running_as_root(), reason="mounting a tmpfs needs root"),
]

NAME = "test_1430_disk_full"
MOUNT = os.path.join(GEN_DIR, f"{NAME}-fs")
FILLER = os.path.join(MOUNT, "filler")
SIZE = "4m"                 # the demo database is ~350 kB
UNAVAILABLE = ("Le service est momentanément indisponible. Merci de réessayer dans "
               "quelques minutes.")


def umount():
    if os.path.ismount(MOUNT):
        r = subprocess.run(["umount", MOUNT], capture_output=True, text=True, timeout=60)
        if r.returncode:        # still busy: detached now, freed when the last file closes
            subprocess.run(["umount", "-l", MOUNT], check=True, timeout=60)


@pytest.fixture(scope="module")
def mount():
    umount()                    # an earlier run's, interrupted
    os.makedirs(MOUNT, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0755", "tmpfs", MOUNT],
                   check=True, timeout=60)
    try:
        import grp
        import pwd
        os.chown(MOUNT, pwd.getpwnam(RUN_USER).pw_uid, grp.getgrnam(RUN_GROUP).gr_gid)
        yield MOUNT
    finally:
        umount()


class FullDiskHttpd(CmcasHttpd):
    """The harness's server, its database on the tmpfs (owned by the children's user)."""

    def write_files(self):
        super().write_files()
        self.give_to_run_user(os.path.dirname(self.db_path))


@pytest.fixture(scope="module")
def srv(mount, start_server):
    db_path = os.path.join(mount, "cmcas.sqlite")
    s = FullDiskHttpd(NAME, sections={"dbd": "\n".join([
        "DBDriver sqlite3",
        f"DBDParams {db_path}",
        'DBDInitSQL "PRAGMA busy_timeout = 5000"',
        "DBDMin 1",
        "DBDKeep 1",
        "DBDMax 1",
    ])})
    s.db_path = db_path
    return start_server(s)          # stopped before the tmpfs is unmounted


@pytest.fixture(scope="module")
def db(srv):
    return Db(srv)


def fill():
    """Fills the file system (root: tmpfs keeps no space back)."""
    with open(FILLER, "wb") as f:
        chunk = b"\0" * 65536
        try:
            while True:
                f.write(chunk)
                f.flush()
        except OSError:
            pass
    try:
        with open(FILLER, "ab") as f:       # the last bytes
            while True:
                f.write(b"\0")
                f.flush()
    except OSError:
        pass


def free():
    os.unlink(FILLER)


def test_full_disk_then_space_freed(srv, db, expect_log):
    expect_log(r"\[cmcas:error\].*CMCAS12: database error on .* for /activite/1/inscription"
               r": .*(disk is full|disk I/O error)")
    # the expiry job, if it writes meanwhile
    expect_log(r"\[cmcas:error\].*CMCAS(60|62|63|72|89): ", must_appear=False)
    db.reset()
    gael = Member(srv)
    [p] = gael.register(1, [P_GAEL], option=1, validate=False)
    ins = gael.ins(1)
    srv.sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db.snapshot()
    fill()
    try:
        df = os.statvfs(MOUNT)
        assert df.f_bavail == 0, df
        # a page reads
        assert gael.get("/mes-inscriptions", accept="text/html").status_code == 200
        # a write: the site's 503 page, nothing kept
        resp = gael.post(1, gael.state(ins) + [("action", "valider")], accept="text/html")
        page = type("P", (), {"status": resp.status, "text": resp.r.text,
                              "getheader": staticmethod(
                                  lambda n, d=None: resp.r.headers.get(n, d))})
        check_error_page(page, 503, UNAVAILABLE)
        assert db.snapshot() == before
        assert srv.sql("PRAGMA integrity_check") == [("ok",)]
        said = [ln for ln in srv.error_log.lines_since_mark() if "CMCAS12" in ln]
        assert len(said) == 1 and "database or disk is full" in said[0], said
    finally:
        free()
    # space again: the same post validates, without a restart
    resp = gael.post(1, gael.state(ins) + [("action", "valider")])
    assert resp.status == 303, resp
    assert db.registration(1)["status"] == "validee" and db.places(1) == 1
    assert srv.sql("PRAGMA integrity_check") == [("ok",)]
    gael.close()
