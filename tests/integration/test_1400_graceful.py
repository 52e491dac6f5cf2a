"""`apachectl graceful` several times in the middle of a load (issue 13, « Faults »):
households validating their registrations, the bank notifying payments, members reading
pages, all at once, while Apache replaces its children three times.

What a client may see, and what it may do about it: a graceful restart lets the old
children finish every request they have begun, but closes their idle keep-alive
connections; a request sent on such a connection at that instant meets a closed socket.
A browser sends the request again on a new connection then: any GET (the members' pages
here), and a POST only when the connection was a reused one closed before any answer
(the server cannot have read it). Half the validations are posted so, after their page
on the same connection (the resends are counted: a post that had been taken would then
answer 409); the other half each on a connection of its own, where a reset would be a
failed request, as each bank notification (the simulator opens one for each). No
request may fail:
every validation answers 303, every notification 200, every page 200. And nothing is
lost or doubled: each registration validated once with its event, places_taken equal to
what the registrations hold, each order paid once (one notice, one « payée » event)."""

import concurrent.futures
import random
import re
import threading
import time

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from cmcas_httpd import DEMO_PASSWORD, ENGINE
from test_7_helpers import Db, Member, cheap_hash
from test_750_registration_concurrency import create_households
from test_8_helpers import (NOTIFY_OPEN, PAYBOX_SIMULATOR, PAYBOX_START_WARN, PayboxFlow,
                            csrf, paybox_block, reset_payments, running_bank, session)

NAME = "test_1400_graceful"
N_REG, N_PAY, N_GET = 30, 10, 120
GRACEFULS = 3
ACTIVITY, OPTION = 1, 1
# Old children finishing their requests while new ones start: room for both.
MPM = "\n".join(["StartServers 2", "ServerLimit 8", "ThreadLimit 8", "ThreadsPerChild 8",
                 "MaxRequestWorkers 16", "MinSpareThreads 1", "MaxSpareThreads 16"])
PAGES = ["/", "/activite/1", "/mes-inscriptions", "/mes-commandes", "/mes-informations"]


@pytest.fixture(scope="module")
def bank():
    with running_bank(PAYBOX_SIMULATOR, NAME) as b:
        yield b


@pytest.fixture(scope="module")
def srv(make_server, bank):
    s = make_server("load", sections={"cmcas": paybox_block(bank), "mpm": MPM},
                    extra=NOTIFY_OPEN, expect_at_start=PAYBOX_START_WARN)
    s.sql("UPDATE household SET password = ?", (cheap_hash(),))
    return s


# A little time in each validation's transaction (after its first writes): requests are
# always in flight when the children are replaced.
SLOW_SQLITE = ("CREATE TRIGGER fault_slow BEFORE UPDATE ON activity WHEN "
               "NEW.places_taken <> OLD.places_taken BEGIN "
               "SELECT length(replace(hex(randomblob(10000000)), 'A', 'BC')); END")
SLOW_PGSQL = ["CREATE FUNCTION fault_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              " PERFORM pg_sleep(0.15); RETURN NEW; END; $$",
              "CREATE TRIGGER fault_slow BEFORE UPDATE ON activity FOR EACH ROW WHEN"
              " (NEW.places_taken <> OLD.places_taken) EXECUTE FUNCTION fault_slow()"]


def browser_session(login):
    """A member's browser: keep-alive, and a GET sent again on a new connection when
    the one it reused was closed under it (as browsers do)."""
    s = requests.Session()
    s.auth = (login, DEMO_PASSWORD)
    retry = Retry(total=3, connect=3, read=3, status=0, allowed_methods={"GET"},
                  backoff_factor=0.05, raise_on_status=False)
    s.mount("http://", HTTPAdapter(max_retries=retry))
    return s


# A reused connection the server closed before answering anything.
CLOSED_UNANSWERED = re.compile(r"RemoteDisconnected|ConnectionResetError|BrokenPipeError")


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.retries = 0
        self.resent = 0

    def add_resent(self):
        with self.lock:
            self.resent += 1

    def add_retries(self, r):
        with self.lock:
            self.retries += len(r.raw.retries.history) if r.raw.retries else 0


def prepare_payments(srv, bank, households):
    """Each household validated on the activity and paid at the bank, the notification
    held back: (household id, order reference)."""
    bank.set_notify(False)
    out = []
    for hid, login, person in households:
        m = Member(srv, login)
        m.register(ACTIVITY, [person], option=OPTION)
        m.close()
        flow = PayboxFlow(srv, bank)
        flow.s.close()
        flow.s = session(login)
        flow.tok = csrf(flow.s, srv)
        flow.reg = srv.sql("SELECT id FROM registration WHERE household_id = ?", (hid,))[0][0]
        ref, _, _ = flow.pay()
        flow.s.close()
        out.append((hid, ref))
    return out


def prepare_validations(srv, households):
    """Each household's draft (its OD, the option ticked): (login, the « valider » post)."""
    def one(h):
        hid, login, person = h
        m = Member(srv, login)
        m.s.headers["Connection"] = "close"
        p = m.add(ACTIVITY, person)
        fields = m.state(m.ins(ACTIVITY), options={p: [OPTION]}) + [("action", "valider")]
        m.close()
        return login, fields
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, households))


def test_graceful_restarts_under_load(srv, bank, expect_log):
    # Apache's own notices of the restarts are below warn; a child over its limits is not
    expect_log(r"AH00484: server reached MaxRequestWorkers", must_appear=False)
    expect_log(PAYBOX_START_WARN[0])           # the configuration is read again: said again
    db = Db(srv)
    reset_payments(srv, bank)
    db.reset()
    srv.sql("UPDATE activity SET capacity = 500 WHERE id = ?", (ACTIVITY,))
    households = create_households(db, N_REG + N_PAY)
    payments = prepare_payments(srv, bank, households[N_REG:])
    posts = prepare_validations(srv, households[:N_REG])
    places_before = db.places(ACTIVITY)
    for s in SLOW_PGSQL if ENGINE == "pgsql" else [SLOW_SQLITE]:
        srv.sql(s)
    counter = Counter()
    browsers = [browser_session(login) for _, login, _ in households[:6]]
    bank.set_notify(True)

    def validate(item):
        i, (login, fields) = item
        url = srv.url(f"/activite/{ACTIVITY}/inscription")
        if i % 2 == 0:
            # a connection of its own: a reset would be a failed request
            r = requests.post(url, data=fields, auth=(login, DEMO_PASSWORD),
                              allow_redirects=False, timeout=120,
                              headers={"Accept": "application/xml", "Connection": "close"})
            return ("valider", login, r.status_code)
        # a browser: the form's page, a pause, the post on the same keep-alive
        # connection; sent again on a new one only if that reused connection was closed
        # before any answer (what browsers do, for a POST too: the server cannot have
        # read it). A post that had been taken would then answer 409, not 303.
        with requests.Session() as b:
            b.auth = (login, DEMO_PASSWORD)
            assert b.get(url, timeout=120).status_code == 200
            time.sleep(rnd.uniform(0, 0.8))
            try:
                r = b.post(url, data=fields, allow_redirects=False, timeout=120,
                           headers={"Accept": "application/xml"})
            except requests.ConnectionError as e:
                if not CLOSED_UNANSWERED.search(repr(e)):
                    raise
                counter.add_resent()
                r = b.post(url, data=fields, allow_redirects=False, timeout=120,
                           headers={"Accept": "application/xml", "Connection": "close"})
        return ("valider", login, r.status_code)

    def notify(item):
        hid, ref = item
        rec = bank.notify(ref=ref)
        return ("notification", ref, rec["status"] or rec["error"])

    def page(i):
        b = browsers[i % len(browsers)]
        r = b.get(srv.url(PAGES[i % len(PAGES)]), headers={"Accept": "text/html"},
                  timeout=120)
        counter.add_retries(r)
        return ("page", PAGES[i % len(PAGES)], r.status_code)

    rnd = random.Random(1400)
    tasks = ([(validate, p) for p in enumerate(posts)] + [(notify, p) for p in payments]
             + [(page, i) for i in range(N_GET)])
    random.Random(13).shuffle(tasks)    # every kind of request all along the load
    restarts = []
    try:
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            futures = [pool.submit(fn, arg) for fn, arg in tasks]
            t0 = time.monotonic()
            for _ in range(GRACEFULS):
                time.sleep(0.7)
                pids_before = srv._read_pid()
                assert srv.graceful() == 0
                restarts.append(time.monotonic() - t0)
                assert srv._read_pid() == pids_before      # the same parent
            results = [f.result(timeout=300) for f in futures]
            took = time.monotonic() - t0
    finally:
        for b in browsers:
            b.close()
        srv.sql("DROP TRIGGER fault_slow" + (" ON activity" if ENGINE == "pgsql" else ""))
        if ENGINE == "pgsql":
            srv.sql("DROP FUNCTION fault_slow()")
    failed = [r for r in results if r[2] not in (200, 303)]
    assert not failed, failed
    assert all(r[2] == 303 for r in results if r[0] == "valider")
    assert all(r[2] == 200 for r in results if r[0] != "valider")
    # the restarts happened during the load
    assert restarts[-1] < took, (restarts, took)

    # nothing lost, nothing doubled
    ids = tuple(h for h, _, _ in households)
    rows = db.sql(f"SELECT household_id, status, places_held FROM registration WHERE "
                  f"activity_id = {ACTIVITY} AND household_id IN {ids} ORDER BY household_id")
    assert [r[0] for r in rows] == list(ids)            # one registration each
    assert all(s == "validee" and held == 1 for _, s, held in rows[:N_REG]), rows
    assert all(s == "payee" and held == 1 for _, s, held in rows[N_REG:]), rows
    assert db.places(ACTIVITY) == places_before + N_REG
    assert db.sql(f"SELECT coalesce(sum(places_held), 0) FROM registration WHERE "
                  f"activity_id = {ACTIVITY}") == [(db.places(ACTIVITY),)]
    validated = db.sql(f"SELECT r.household_id, count(*) FROM registration_event e JOIN "
                       f"registration r ON r.id = e.registration_id WHERE e.status = "
                       f"'validee' AND r.household_id IN {ids} GROUP BY r.household_id")
    assert sorted(validated)[:N_REG] == [(h, 1) for h in ids[:N_REG]], validated
    for hid, ref in payments:
        assert db.sql("SELECT o.status, (SELECT count(*) FROM cmcas_order_notice n WHERE "
                      "n.order_id = o.id), (SELECT count(*) FROM cmcas_order_event e WHERE "
                      "e.order_id = o.id AND e.status = 'payee') FROM cmcas_order o WHERE "
                      "o.reference = ?", (ref,)) == [("payee", 1, 1)], ref
    print(f"\n{len(results) + N_REG // 2} requests ({N_REG} validations, {N_PAY} "
          f"notifications, {N_GET + N_REG // 2} pages) in {took:.1f} s, {GRACEFULS} graceful restarts at "
          f"{', '.join(f'{t:.1f}' for t in restarts)} s: none failed; {counter.retries} "
          f"page(s) and {counter.resent} post(s) sent again by the browser after a "
          "keep-alive connection was closed")
