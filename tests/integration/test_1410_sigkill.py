"""An Apache child killed with SIGKILL in the middle of a transaction (issue 13,
« Faults »): a registration's « Valider », and a bank's payment notification. The moment
is made certain, not raced: a trigger makes one statement of the transaction slow (after
the transaction's first writes), the test waits until the request is inside it (SQLite:
the database's write lock is held; PostgreSQL: a backend sleeps in the trigger), then
kills the only child (one process: the parent starts another).

Then: the transaction is absent (nothing of it in any table; places_taken what the
registrations hold; SQLite's `PRAGMA integrity_check` ok), the member's same post
succeeds, and the bank's next notification (the gateways send it again when they got
no answer) pays the order exactly once. And the child running the background jobs
killed: the next one runs them."""

import os
import signal
import sqlite3
import threading
import time

import pytest
import requests

from cmcas_httpd import ENGINE, one_process_mpm, settle_first_jobs, utc_day
from test_7_helpers import P_GAEL, Db, Member, cheap_hash
from test_8_helpers import (NOTIFY_OPEN, PAYBOX_SIMULATOR, PAYBOX_START_WARN, PayboxFlow,
                            paybox_block, reset_payments, running_bank)

NAME = "test_1410_sigkill"
KILLED = r"AH00052: child pid \d+ exit signal Killed \(9\)"


@pytest.fixture(scope="module")
def bank():
    with running_bank(PAYBOX_SIMULATOR, NAME) as b:
        yield b


@pytest.fixture(scope="module")
def srv(make_server, bank):
    s = make_server("one", sections={"cmcas": paybox_block(bank), "mpm": one_process_mpm()},
                    extra=NOTIFY_OPEN, expect_at_start=PAYBOX_START_WARN)
    s.sql("UPDATE household SET password = ?", (cheap_hash(),))
    # Its first run (the demo's closed draw) before the tests' snapshots.
    settle_first_jobs(s)
    return s


@pytest.fixture(scope="module")
def db(srv):
    return Db(srv)


@pytest.fixture(autouse=True)
def clean(srv, bank):
    reset_payments(srv, bank)
    yield


# ----------------------------------------------------------------------------------
# A slow statement, and the kill

# SQLite has no sleep: ~2 s of work (no WITH in a trigger), memory freed between steps.
SLOW_SQLITE = ("CREATE TRIGGER fault_slow BEFORE UPDATE ON {table} WHEN {when} BEGIN "
               + "SELECT length(replace(hex(randomblob(20000000)), 'A', 'BC')); " * 8
               + "END")
SLOW_PGSQL = ["CREATE FUNCTION fault_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              " PERFORM pg_sleep(3); RETURN NEW; END; $$",
              "CREATE TRIGGER fault_slow BEFORE UPDATE ON {table} FOR EACH ROW"
              " WHEN ({when}) EXECUTE FUNCTION fault_slow()"]


class Slow:
    """The trigger, for the time of a `with`."""

    def __init__(self, srv, table, when):
        self.srv, self.table, self.when = srv, table, when

    def __enter__(self):
        for s in SLOW_PGSQL if ENGINE == "pgsql" else [SLOW_SQLITE]:
            self.srv.sql(s.format(table=self.table, when=self.when))
        return self

    def __exit__(self, *exc):
        if ENGINE == "pgsql":
            self.srv.sql(f"DROP TRIGGER fault_slow ON {self.table}")
            self.srv.sql("DROP FUNCTION fault_slow()")
        else:
            self.srv.sql("DROP TRIGGER fault_slow")


def in_transaction(srv):
    """Whether a request is inside the slow statement (SQLite: someone holds the write
    lock; PostgreSQL: a backend sleeps in the trigger)."""
    if ENGINE == "pgsql":
        return srv.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = "
                       "'PgSleep' AND datname = current_database()")[0][0] > 0
    with srv._as_run_user():
        db = sqlite3.connect(srv.db_path, timeout=0, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as e:
        assert "locked" in str(e), e
        return True
    finally:
        db.close()


def children(srv):
    parent = srv.pid or srv._read_pid()
    with open(f"/proc/{parent}/task/{parent}/children") as f:
        return [int(x) for x in f.read().split()]


def kill_in_transaction(srv, work):
    """Runs `work` in a thread; once its request is inside the slow statement, kills the
    only child with SIGKILL. Returns what `work` returned or raised, and the time from
    the start of the request to the kill."""
    [child] = children(srv)
    out = {}

    def run():
        try:
            out["result"] = work()
        except Exception as e:          # the connection reset: expected
            out["result"] = e
    t = threading.Thread(target=run, daemon=True)
    t0 = time.monotonic()
    t.start()
    deadline = t0 + 60
    while not in_transaction(srv):
        assert time.monotonic() < deadline and t.is_alive(), out
        time.sleep(0.02)
    if ENGINE == "sqlite3":
        # the lock is taken by the transaction's first write: half a second later it
        # is in the slow statement (the others take milliseconds)
        time.sleep(0.5)
        assert in_transaction(srv) and t.is_alive(), out
    os.kill(child, signal.SIGKILL)
    killed_after = time.monotonic() - t0
    t.join(60)
    assert not t.is_alive()
    # the parent starts another child, which answers
    deadline = time.monotonic() + 30
    while children(srv) in ([], [child]) or not srv.is_live():
        assert time.monotonic() < deadline, "no new child"
        time.sleep(0.1)
    # the killed transaction is over (PostgreSQL: its backend ends the sleep, then sees
    # its client gone and rolls back)
    deadline = time.monotonic() + 30
    while in_transaction(srv):
        assert time.monotonic() < deadline, "the killed transaction is still there"
        time.sleep(0.1)
    return out.get("result"), killed_after


def integrity(srv):
    if ENGINE == "sqlite3":
        assert srv.sql("PRAGMA integrity_check") == [("ok",)]
        assert srv.sql("PRAGMA foreign_key_check") == []


def places_consistent(srv):
    """Each activity's places_taken is what its registrations hold."""
    rows = srv.sql("SELECT a.id, a.places_taken, (SELECT coalesce(sum(r.places_held), 0) "
                   "FROM registration r WHERE r.activity_id = a.id) FROM activity a "
                   "WHERE a.places_taken <> (SELECT coalesce(sum(r.places_held), 0) "
                   "FROM registration r WHERE r.activity_id = a.id)")
    assert rows == [], rows


# ----------------------------------------------------------------------------------


def test_killed_during_a_validation(srv, db, expect_log):
    expect_log(KILLED, must_appear=False)   # notice: below the LogLevel here
    gael = Member(srv)
    [p] = gael.register(1, [P_GAEL], option=1, validate=False)
    ins = gael.ins(1)
    before = db.snapshot()
    with Slow(srv, "activity", "NEW.places_taken <> OLD.places_taken"):
        result, after = kill_in_transaction(
            srv, lambda: gael.post(1, gael.state(ins) + [("action", "valider")]))
    assert isinstance(result, requests.ConnectionError), result
    # nothing of it: the registration still a draft, no place taken, no event
    assert db.snapshot() == before
    assert db.registration(1)["status"] == "brouillon"
    places_consistent(srv)
    integrity(srv)
    # the member posts again: validated, once
    gael.do(1, "valider", ins=gael.ins(1))
    assert db.registration(1)["status"] == "validee" and db.places(1) == 1
    places_consistent(srv)
    gael.close()
    print(f"\nvalidation: child killed {after:.2f} s into the post; nothing kept; the "
          "same post then validated")


def test_killed_during_a_payment_notification(srv, bank, expect_log):
    expect_log(KILLED, must_appear=False)   # notice: below the LogLevel here
    flow = PayboxFlow(srv, bank).validate()
    bank.set_notify(False)             # the payment made, its notification held back
    ref, _, url = flow.pay()
    assert flow.order_status(ref) == "attente_cb"
    before = flow.snapshot()
    notices_before = srv.sql("SELECT count(*) FROM cmcas_order_notice")[0][0]
    with Slow(srv, "cmcas_order", "NEW.status <> OLD.status"):
        result, after = kill_in_transaction(srv, lambda: bank.notify(ref=ref))
    assert result["status"] is None and result["error"], result     # no answer
    # the order neither paid nor half-paid: no notice kept (a retry would be taken as
    # a replay), no event, the registration as it was
    assert flow.snapshot() == before
    assert srv.sql("SELECT count(*) FROM cmcas_order_notice")[0][0] == notices_before
    places_consistent(srv)
    integrity(srv)
    # the bank sends it again: paid, once
    again = bank.replay(result["n"])
    assert again["status"] == 200, again
    assert flow.order_status(ref) == "payee"
    assert flow.registration()[0] == "payee"
    assert [e for e in flow.order_events(ref) if e[1] == "payee"].__len__() == 1
    # and once more (the bank may repeat itself): nothing changes
    paid = flow.snapshot()
    assert bank.replay(result["n"])["status"] == 200
    assert flow.snapshot() == paid
    assert srv.sql("SELECT count(*) FROM cmcas_invoice")[0][0] <= 1
    places_consistent(srv)
    flow.back(url)
    print(f"\nnotification: child killed {after:.2f} s into it; nothing kept; the next "
          "notification paid the order once")


def test_the_jobs_survive_a_killed_child(make_server, expect_log):
    """The child running the background jobs (mod_watchdog's singleton, and its lock)
    killed: the next child takes them over; a draw whose closing date passes afterwards
    is made."""
    expect_log(KILLED, must_appear=False)
    jobs = make_server("jobs", sections={"mpm": one_process_mpm()},
                       extra="CMCASExpiryInterval 1")
    jobs.sql("UPDATE household SET password = ?", (cheap_hash(),))
    deadline = time.monotonic() + 30
    while "CMCAS92" not in jobs.error_log.tail(50):     # the jobs run in that child
        assert time.monotonic() < deadline, jobs.error_log.tail()
        time.sleep(0.2)
    gael = Member(jobs)
    gael.register(2, [P_GAEL], option=2)                # « tour de rôle »: a request
    gael.close()
    [child] = children(jobs)
    os.kill(child, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while children(jobs) in ([], [child]) or not jobs.is_live():
        assert time.monotonic() < deadline, "no new child"
        time.sleep(0.1)
    jobs.sql("UPDATE activity SET closing_date = ? WHERE id = 2", (utc_day(-1),))
    deadline = time.monotonic() + 60
    while not jobs.sql("SELECT draw_published_at FROM activity WHERE id = 2")[0][0]:
        assert time.monotonic() < deadline, "the jobs did not survive the kill:\n" \
            + jobs.error_log.tail()
        time.sleep(0.2)
    assert jobs.sql("SELECT selection FROM registration WHERE activity_id = 2") \
        == [("retenue",)]
