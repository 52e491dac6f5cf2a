"""Several Apache servers on one PostgreSQL (issue 9): two servers on different ports
share one database, one form secret, one session passphrase and the demo's login form
with sessions in the database, as docs/operations.md (« Several servers ») says to run
them behind a load balancer. Any server answers any request:

- a member logged in on one server is logged in on the other (the session is a row);
- 200 households validating at once, through both servers, for the last 10 places never
  take more than 10;
- the bank's notification for an order started on one server is taken by the other;
- the background job (unpaid orders, expired sessions) runs on one server at a time,
  and the other takes it over when that one stops.

PostgreSQL only: two servers on one SQLite file is not a supported set-up (one machine,
one Apache: docs/operations.md)."""

import concurrent.futures
import re
import threading
import time

import pytest
import requests

from cmcas_httpd import (BASE_MODULES, DEMO_PASSWORD, ENGINE, LOGIN_CONF, MODULE_SO,
                         HttpdInstall)
from test_7_helpers import Member, cheap_hash, message
from test_8_helpers import (CARD_3DS, PAYBOX_SIMULATOR, PAYBOX_START_WARN, PayboxFlow, paybox_block,
                            reset_payments, running_bank)

pytestmark = pytest.mark.skipif(ENGINE != "pgsql", reason=(
    "PostgreSQL only: several servers share a PostgreSQL database (run the suite with "
    "CMCAS_ENGINE=pgsql; scripts/check does)"))

PASSPHRASE = "one-passphrase-for-every-server-of-the-portal"
# 200 connections at once on two small test servers: they say they are full.
FULL = r"AH00484: server reached MaxRequestWorkers"
HOUSEHOLDS = 200
LAST_PLACES = 10
FIRST_HOUSEHOLD = 301
SESSION_MODULES = ["request", "auth_form", "session", "session_dbd"]


def demo_session_section():
    """The shipped login form and sessions (conf/cmcas-login.conf, from mod_session_dbd's
    statements to the end of « /deconnexion »), with one passphrase for both servers and
    cookies without `Secure` (plain http): the shipped text is what is tested."""
    with open(LOGIN_CONF, encoding="utf-8") as f:
        text = f.read()
    start = text.index('DBDPrepareSQL "SELECT data FROM cmcas_session')
    end = text.index("</Location>", text.index('<Location "/deconnexion">'))
    section = text[start:end + len("</Location>")]
    include = 'Include "${CMCAS_LOGIN_SECRETS}/site-passphrase.conf"'
    assert include in section
    return "Define CMCAS_LOGIN_PLAIN_HTTP\n" + section.replace(
        include, f'AuthFormSitePassphrase "{PASSPHRASE}"')


@pytest.fixture(scope="module")
def bank():
    with running_bank(PAYBOX_SIMULATOR, "test_995_scale_out") as b:
        yield b


@pytest.fixture(scope="module")
def servers(make_server, bank):
    """(a, b): a creates the database; b shares it, and a's form secret."""
    block = paybox_block(bank)
    warn = PAYBOX_START_WARN
    common = dict(extra="CMCASExpiryInterval 1\n<Location /paiement/notification>\n"
                        "    Session Off\n    Require all granted\n</Location>",
                  log_level="warn cmcas:debug", expect_at_start=warn)

    def sections(srv_modules, dbd=None, secret=None):
        s = {"cmcas": block, "auth": demo_session_section()}
        s["modules"] = srv_modules
        if dbd:
            s["dbd"], s["secret"] = dbd, secret
        return s

    install = HttpdInstall.get()
    modules = "\n".join([f"LoadModule {m}_module {install.module_path(m)}"
                         for m in BASE_MODULES + SESSION_MODULES]
                        + [f"LoadModule cmcas_module {MODULE_SO}"])
    a = make_server("a", sections=sections(modules), **common)
    a.sql("UPDATE household SET password = ?", (cheap_hash(),))
    b = make_server("b", load_demo=False,
                    sections=sections(modules, a.sections["dbd"],
                                      a.sections["secret"]), **common)
    b.pg_db = a.pg_db          # b.sql(...) reads the one database too
    return a, b


def login(srv, login="gael.classen"):
    """A browser logged in through srv's login form (its session cookie)."""
    s = requests.Session()
    r = s.post(srv.url("/connexion/valider"), allow_redirects=False, timeout=30,
               data={"httpd_username": login, "httpd_password": DEMO_PASSWORD})
    assert r.status_code == 302 and r.headers["Location"].endswith("/"), r.headers
    assert "cmcas_session" in s.cookies
    return s


def log_lines(srv, regex):
    with open(srv.error_log_path, encoding="utf-8", errors="replace") as f:
        return [line for line in f if re.search(regex, line)]


def test_a_session_opened_on_one_server_works_on_the_other(servers):
    a, b = servers
    s = login(a)
    for srv in (b, a, b):
        r = s.get(srv.url("/mes-commandes"), allow_redirects=False, timeout=30)
        assert r.status_code == 200 and "CLASSEN" in r.text, (srv.name, r.status_code)
    # a form's token from one server is accepted by the other (one CMCASSecretFile)
    token = re.search(r'name="csrf" value="([^"]+)"',
                      s.get(a.url("/activite/1/inscription"), timeout=30).text).group(1)
    r = s.post(b.url("/activite/1/inscription"), allow_redirects=False, timeout=30,
               data={"csrf": token, "action": "ajouter", "personne": "1"})
    assert r.status_code == 303, r.text[:500]
    assert a.sql("SELECT count(*) FROM registration_person rp JOIN registration r ON "
                 "r.id = rp.registration_id WHERE r.household_id = 1") == [(1,)]
    # logging out on one ends it on both
    s.get(b.url("/deconnexion"), allow_redirects=False, timeout=30)
    r = requests.get(a.url("/mes-commandes"), allow_redirects=False, timeout=30,
                     cookies={"cmcas_session": s.cookies.get("cmcas_session") or "gone"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/connexion")
    a.sql("DELETE FROM registration_option")
    a.sql("DELETE FROM registration_person")
    a.sql("DELETE FROM registration_event")
    a.sql("DELETE FROM registration")


def create_households(srv, n):
    h = cheap_hash()
    ids = range(FIRST_HOUSEHOLD, FIRST_HOUSEHOLD + n)
    srv.sql_script(
        "BEGIN;\n"
        "INSERT INTO household (id, cmcas_code, login, password, email) VALUES "
        + ", ".join(f"({i}, 'BN', 'menage{i}', '{h}', 'menage{i}@example.org')" for i in ids)
        + ";\nINSERT INTO person (id, household_id, role, last_name, first_name, "
        "birth_date) VALUES "
        + ", ".join(f"({1000 + i}, {i}, 'OD', 'MENAGE', 'Ouvrant{i}', '1980-01-01')"
                    for i in ids)
        + ";\nCOMMIT;\n")
    return [(i, f"menage{i}", 1000 + i) for i in ids]


def test_two_hundred_households_on_two_servers_never_oversell(servers, expect_log):
    a, b = servers
    expect_log(FULL, must_appear=False)
    activity, option = 9, 12
    households = create_households(a, HOUSEHOLDS)
    # the last 10 places: 15 of 25 already taken
    a.sql("UPDATE activity SET capacity = 25, places_taken = 15 WHERE id = ?", (activity,))

    def prepare(i_h):
        i, (hid, name, person) = i_h
        srv = (a, b)[i % 2]
        m = Member(srv, name)
        m.s.auth = None
        m.s.cookies = login(srv, name).cookies
        m.s.headers["Connection"] = "close"
        p = m.add(activity, person)
        fields = m.state(m.ins(activity), options={p: [option]}) + [("action", "valider")]
        # the validation goes to the other server than the one that made the draft
        m.server = (b, a)[i % 2]
        return m, fields

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        prepared = list(pool.map(prepare, enumerate(households)))
    barrier = threading.Barrier(len(prepared))

    def fire(item):
        m, fields = item
        barrier.wait(timeout=120)
        try:
            return m.post(activity, fields, timeout=120)
        except Exception as e:      # reported below
            return e

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(prepared)) as pool:
            results = list(pool.map(fire, prepared))
        statuses = [getattr(r, "status", r) for r in results]
        assert sorted(statuses, key=str) == sorted(
            [303] * LAST_PLACES + [409] * (HOUSEHOLDS - LAST_PLACES), key=str), statuses
        for r in results:
            if r.status == 409:
                assert message(r.ins) == (
                    "Il n'y a plus assez de places pour 1 personne : votre inscription "
                    "n'est pas validée, votre brouillon est conservé.")
        assert a.sql("SELECT places_taken FROM activity WHERE id = ?", (activity,)) == [(25,)]
        assert a.sql("SELECT count(*), sum(places_held) FROM registration WHERE "
                     "activity_id = ? AND status = 'validee'", (activity,)) \
            == [(LAST_PLACES, LAST_PLACES)]
        # each server answered its half (which one wins a place is the database's call)
        answered = {}
        for (m, _), r in zip(prepared, results):
            answered[m.server.name] = answered.get(m.server.name, 0) + 1
        assert sorted(answered.values()) == [HOUSEHOLDS // 2] * 2, answered
    finally:
        for m, _ in prepared:
            m.close()
        a.sql_script("BEGIN; DELETE FROM registration_option; DELETE FROM "
                     "registration_person; DELETE FROM registration_event; DELETE FROM "
                     "registration; UPDATE activity SET places_taken = 0; "
                     f"DELETE FROM cmcas_session; DELETE FROM person WHERE household_id >= "
                     f"{FIRST_HOUSEHOLD}; DELETE FROM household WHERE id >= "
                     f"{FIRST_HOUSEHOLD}; COMMIT;")


def unpaid_card_order(srv, bank):
    """Gael's registration (no other order), paid by card at the bank, whose notification
    the bank keeps for the test to send: (flow, reference, the fields sent to the bank)."""
    reset_payments(srv, bank)
    flow = PayboxFlow(srv, bank)
    flow.s = login(srv)
    flow.validate()
    bank.set_notify(False)
    ref, fields, _ = flow.pay(CARD_3DS)
    return flow, ref, fields


def test_the_banks_notification_reaches_the_other_server(servers, bank):
    a, b = servers
    flow, ref, fields = unpaid_card_order(a, bank)
    assert flow.order_status(ref) == "attente_cb"
    # the bank calls the address the order gave, which the load balancer sends to b
    target = fields["PBX_REPONDRE_A"].replace(a.base_url, b.base_url)
    assert target.startswith(b.base_url + "/paiement/notification/")
    rec = bank.notify(ref=ref, url=target)
    assert (rec["code"], rec["status"]) == ("00000", 200), rec
    assert flow.order_status(ref) == "payee"
    assert flow.registration() == ("payee", 2)
    # the member, back on either server, sees it paid
    assert "Paiement accepté" in flow.s.get(b.url("/mes-commandes"), timeout=30).text
    # the same notification again, on the first server: taken once
    rec = bank.notify(ref=ref, url=fields["PBX_REPONDRE_A"])
    assert rec["status"] == 200
    assert [e[1] for e in flow.order_events(ref)] == ["attente_cb", "payee"]
    bank.set_notify(True)
    reset_payments(a, bank)


def holder(srv):
    return srv.sql("SELECT owner FROM cmcas_job WHERE name = 'expiry'")[0][0]


def test_the_background_job_runs_on_one_server_then_moves(servers, bank):
    """Both servers try every second; one holds the lease and does the work, the other
    leaves it (CMCAS93) and takes over once the holder stops renewing."""
    a, b = servers
    by_root = {srv.server_root: srv for srv in (a, b)}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not holder(a):
        time.sleep(0.2)
    owner = holder(a)
    running = by_root[owner.split(":", 1)[1]]
    other = b if running is a else a
    # the other one saw it held, and never took it
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not log_lines(other, r"CMCAS93: .*left to"):
        time.sleep(0.2)
    assert log_lines(other, r"CMCAS93: background jobs left to " + re.escape(owner))
    assert len(log_lines(running, r"CMCAS92: ")) == 1
    assert log_lines(other, r"CMCAS92: ") == []
    # an unpaid order past its hold: ended once, by the server holding the job
    flow, ref, _ = unpaid_card_order(a, bank)
    a.sql("UPDATE cmcas_order SET hold_until = '2000-01-01T00:00:00Z' WHERE reference = ?",
          (ref,))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and flow.order_status(ref) != "annulee":
        time.sleep(0.2)
    assert flow.order_status(ref) == "annulee"
    assert len(log_lines(running, "CMCAS61: order " + ref)) == 1
    assert log_lines(other, "CMCAS61: order " + ref) == []
    bank.set_notify(True)
    reset_payments(a, bank)
    # the holder stops: within its lease (3 s) and a run, the other one takes over
    running.stop()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and holder(other) == owner:
        time.sleep(0.2)
    assert holder(other).endswith(":" + other.server_root)
    assert log_lines(other, r"CMCAS92: this server \(.*\) now runs the background jobs, "
                            r"after " + re.escape(owner))
