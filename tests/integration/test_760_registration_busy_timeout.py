"""Concurrent registration posts with the documented database settings (docs/operations.md,
conf/demo/httpd.conf.in, and the harness's default: one connection per child, DBDMax 1,
and DBDInitSQL "PRAGMA busy_timeout = 5000").

Why one connection per child (this test failed with mod_dbd's default pool):

apr_dbd_sqlite3 holds one process-wide mutex while a statement runs, SQLite's busy wait
included. When a thread of a child holds SQLite's write lock (a registration post's
transaction) and another thread of the same child starts a write, the latter waits up to
5 s for the lock *holding the mutex*, and the former cannot run its next statement
without that mutex: every post of that child stalls, 5 s per retry (apr_dbd_sqlite3
retries 15 times). Concurrent « Valider » posts then go unanswered for more than 30 s,
and the stuck children do not even stop on SIGTERM.

With one connection per child (DBDMax 1, see test_750) or PRAGMA busy_timeout = 0
(apr_dbd_sqlite3's own retry loop releases the mutex while it sleeps), 50 such posts are
answered in ~0.2 s."""

import os
import signal
import time

import pytest

from test_7_helpers import Db
from test_750_registration_concurrency import create_households, fire, member, ROUNDS

N = 50


def kill(server):
    """Our own stuck httpd: its children then the parent, by pid."""
    parent = server.pid or server._read_pid()
    if not parent:
        return
    try:
        with open(f"/proc/{parent}/task/{parent}/children") as f:
            children = [int(x) for x in f.read().split()]
    except OSError:
        children = []
    for pid in children + [parent]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and server._pid_alive(parent):
        time.sleep(0.1)


def test_concurrent_validations_are_answered(server, expect_log):
    """Up to three rounds of 50 simultaneous « Valider » (the stall does not happen at
    every round): each post must be answered within 4 s (they take ~20 ms)."""
    expect_log(r"AH00484: server reached MaxRequestWorkers", must_appear=False)
    expect_log(r"\[(cmcas|dbd|authn_dbd):(error|warn)\]", must_appear=False)
    db = Db(server)
    for activity_id, option in ROUNDS:
        db.reset()
        db.sql("UPDATE activity SET capacity = 10 WHERE id = ?", (activity_id,))
        prepared = []
        for _, login, person in create_households(db, N):
            m = member(server, login)               # one after the other: no stall yet
            p = m.add(activity_id, person)
            prepared.append((m, m.state(m.ins(activity_id), options={p: [option]})
                             + [("action", "valider")]))
        t0 = time.monotonic()
        results = fire(prepared, activity_id, timeout=4)
        elapsed = time.monotonic() - t0
        for m, _ in prepared:
            m.close()
        unanswered = [r for r, _ in results if isinstance(r, Exception)]
        if unanswered:
            kill(server)        # stuck for minutes otherwise, deaf to -k stop
        assert not unanswered, (f"{len(unanswered)} of {N} posts unanswered after "
                                f"{elapsed:.1f} s")
        assert sorted(r.status for r, _ in results) == [303] * 10 + [409] * (N - 10)
        assert db.places(activity_id) == 10
