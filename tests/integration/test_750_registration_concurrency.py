"""Places are never exceeded: 50 households, each with a draft of one person on an
activity of 10 places, validate at the same instant; exactly 10 win, 40 are refused
(409) with a clear message, and the counts agree. Three rounds, three activities. Also
the same registration validated by several posts at once takes its places once."""

import concurrent.futures
import os
import threading
import time

import pytest

from cmcas_httpd import ENGINE, GEN_DIR
from cmcas_pages import main_text
from test_7_helpers import Db, Member, P_GAEL, P_AARON, cheap_hash, message, pid

N = 50
CAPACITY = 10
FIRST_HOUSEHOLD = 101
# (activity, option): immediat, open, BN, one option each
ROUNDS = [(1, 1), (9, 12), (24, 25)]

# One database connection per httpd child (DBDMax 1): with the documented settings
# (several connections per child and PRAGMA busy_timeout = 5000), concurrent posts hang
# (apr_dbd_sqlite3 holds a process-wide mutex while SQLite waits for the write lock,
# and the thread holding that lock waits for the mutex): see
# test_760_registration_busy_timeout.py. Here the rules on places are tested.
_DB = os.path.join(GEN_DIR, "test_750_registration_concurrency", "db", "cmcas.sqlite")
# On PostgreSQL, the harness's own pool (several connections per child).
CMCAS_SERVER = {} if ENGINE == "pgsql" else {
    "sections": {"dbd": "\n".join([
        "DBDriver sqlite3",
        f"DBDParams {_DB}",
        'DBDInitSQL "PRAGMA busy_timeout = 5000"',
        "DBDMin 0",
        "DBDKeep 1",
        "DBDMax 1",
    ])},
}
# 50 connections at once: the small test server says it is full (an [mpm_event:error])
FULL = r"AH00484: server reached MaxRequestWorkers"


@pytest.fixture(scope="module")
def db(server):
    return Db(server)


@pytest.fixture(autouse=True)
def clean(db):
    db.reset()


def create_households(db, n=N):
    """n households with one OD each (logins menage101…), password demo2026."""
    h = cheap_hash()
    rows_h = ", ".join(
        f"({i}, 'BN', 'menage{i}', '{h}', 'menage{i}@example.org')"
        for i in range(FIRST_HOUSEHOLD, FIRST_HOUSEHOLD + n))
    rows_p = ", ".join(
        f"({1000 + i}, {i}, 'OD', 'MENAGE', 'Ouvrant{i}', '1980-01-01')"
        for i in range(FIRST_HOUSEHOLD, FIRST_HOUSEHOLD + n))
    db.server.sql_script(
        "BEGIN;\n"
        f"INSERT INTO household (id, cmcas_code, login, password, email) VALUES {rows_h};\n"
        f"INSERT INTO person (id, household_id, role, last_name, first_name, birth_date)"
        f" VALUES {rows_p};\n"
        "COMMIT;\n")
    return [(i, f"menage{i}", 1000 + i) for i in range(FIRST_HOUSEHOLD,
                                                       FIRST_HOUSEHOLD + n)]


def overlap(intervals):
    """The largest number of intervals (start, end) open at one instant."""
    points = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    cur = best = 0
    for _, d in points:
        cur += d
        best = max(best, cur)
    return best


def member(server, login):
    """A member whose every request has its own connection: the small test server,
    stopping an idle child or over its connection limit, closes idle keep-alive
    connections, and a request sent on one at that instant would fail."""
    m = Member(server, login)
    m.s.headers["Connection"] = "close"
    return m


def prepare(server, households, activity_id, option):
    """Each household, through HTTP: a draft with its OD and the option ticked; returns
    (member, fields of its « valider » post) with a pre-fetched CSRF token."""
    def one(h):
        hid, login, person = h
        m = member(server, login)
        p = m.add(activity_id, person)
        ins = m.ins(activity_id)
        fields = m.state(ins, options={p: [option]}) + [("action", "valider")]
        return m, fields
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, households))


def fire(prepared, activity_id, timeout=30):
    """All the posts at once: every thread waits at a barrier, then posts. Returns
    (response or the exception, (start, end)) in order."""
    barrier = threading.Barrier(len(prepared))

    def one(item):
        m, fields = item
        barrier.wait(timeout=60)
        t0 = time.monotonic()
        try:
            resp = m.post(activity_id, fields, timeout=timeout)
        except Exception as e:      # a timeout: reported by the caller
            resp = e
        return resp, (t0, time.monotonic())

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(prepared)) as pool:
        return list(pool.map(one, prepared))


@pytest.mark.parametrize("activity_id,option", ROUNDS)
def test_fifty_households_ten_places(server, db, expect_log, activity_id, option):
    expect_log(FULL, must_appear=False)
    households = create_households(db)
    db.sql("UPDATE activity SET capacity = ?, places_taken = 0 WHERE id = ?",
           (CAPACITY, activity_id))
    prepared = prepare(server, households, activity_id, option)
    assert db.sql("SELECT count(*) FROM registration WHERE activity_id = ? AND "
                  "status = 'brouillon'", (activity_id,)) == [(N,)]
    results = fire(prepared, activity_id)
    try:
        statuses = [getattr(r, "status", 0) for r, _ in results]
        assert sorted(statuses) == [303] * CAPACITY + [409] * (N - CAPACITY), results
        # really concurrent: many posts were in flight together
        assert overlap([t for _, t in results]) >= 5
        for r, _ in results:
            if r.status == 409:
                assert r.page == "inscription"
                assert message(r.ins) == (
                    "Il n'y a plus assez de places pour 1 personne : votre inscription "
                    "n'est pas validée, votre brouillon est conservé.")
                assert r.ins.get("status") == "brouillon"
            else:
                assert r.location.endswith(f"/activite/{activity_id}/inscription"
                                           "?info=valider")
        assert db.places(activity_id) == CAPACITY
        assert db.sql("SELECT sum(places_held), count(*) FROM registration WHERE "
                      "activity_id = ? AND status = 'validee'", (activity_id,)) \
            == [(CAPACITY, CAPACITY)]
        assert db.sql("SELECT sum(places_held) FROM registration WHERE activity_id = ?",
                      (activity_id,)) == [(CAPACITY,)]
        assert db.sql("SELECT count(*) FROM registration WHERE activity_id = ? AND "
                      "status = 'brouillon' AND places_held = 0",
                      (activity_id,)) == [(N - CAPACITY,)]
        assert db.sql("SELECT count(*) FROM registration_person rp JOIN registration r "
                      "ON r.id = rp.registration_id WHERE r.activity_id = ? AND "
                      "rp.confirmed = 1", (activity_id,)) == [(CAPACITY,)]
        # the winners are the ones whose post answered 303
        winners = sorted(m.login for (m, _), (r, _) in zip(prepared, results)
                         if r.status == 303)
        assert winners == sorted(r[0] for r in db.sql(
            "SELECT h.login FROM registration r JOIN household h ON h.id = r.household_id"
            " WHERE r.activity_id = ? AND r.status = 'validee'", (activity_id,)))
        # every draft kept its option
        assert db.sql("SELECT count(*) FROM registration_option ro JOIN "
                      "registration_person rp ON rp.id = ro.registration_person_id JOIN "
                      "registration r ON r.id = rp.registration_id WHERE r.activity_id = ?",
                      (activity_id,)) == [(N,)]
        viewer = prepared[0][0]
        assert "Nombre de places restantes : 0" in main_text(
            viewer.html(f"/activite/{activity_id}"))
        assert viewer.xml(f"/activite/{activity_id}").find(
            "activite/remaining").text == "0"
    finally:
        for m, _ in prepared:
            m.close()


def test_one_registration_validated_by_many_posts_at_once(server, db, expect_log):
    """A double (here: 8-fold) click on « Valider »: the places are taken once."""
    expect_log(FULL, must_appear=False)
    gael = member(server, "gael.classen")
    try:
        g = gael.add(1, P_GAEL)
        a = gael.add(1, P_AARON)
        ins = gael.ins(1)
        fields = gael.state(ins, options={g: [1], a: [1]}) + [("action", "valider")]
        results = fire([(gael, fields)] * 8, 1)
        assert all(getattr(r, "status", r) == 303 for r, _ in results), results
        assert db.places(1) == 2
        reg = db.registration(1)
        assert (reg["status"], reg["places_held"]) == ("validee", 2)
        events = [e[3] for e in db.events(reg["id"])]
        assert events.count("Inscription validée (2 personnes)") == 1
        # and as many cancellations at once give them back once
        ins = gael.ins(1)
        fields = gael.state(ins) + [("action", "annuler")]
        results = fire([(gael, fields)] * 8, 1)
        assert all(getattr(r, "status", r) == 303 for r, _ in results), results
        assert db.places(1) == 0
        assert db.registration(1)["status"] == "annulee"
    finally:
        gael.close()


def test_concurrent_adds_of_one_household(server, db, expect_log):
    """The same person added by several posts at once is added once; distinct persons
    all are."""
    expect_log(FULL, must_appear=False)
    gael = member(server, "gael.classen")
    try:
        token = gael.token(1)
        posts = [[("csrf", token), ("action", "ajouter"), ("personne", str(p))]
                 for p in (1, 1, 1, 2, 3, 4)]
        results = fire([(gael, f) for f in posts], 1)
        statuses = sorted(getattr(r, "status", 0) for r, _ in results)
        assert statuses == [303, 303, 303, 303, 409, 409], statuses
        reg = db.registration(1)
        assert sorted(r["person_id"] for r in db.participants(reg["id"])) == [1, 2, 3, 4]
        assert db.sql("SELECT count(*) FROM registration WHERE household_id = 1") == [(1,)]
        assert pid(gael.ins(1), "Gael")
    finally:
        gael.close()
