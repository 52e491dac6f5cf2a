"""Members' sessions in the database (mod_session_dbd), as the demo configures them.

The demo's configuration (conf/demo/httpd.conf.in, rendered by `scripts/demo --prepare`:
the shipped file is what is tested) keeps each session as a row of `cmcas_session`
(sql/sqlite/005_sessions.sql) and gives the browser only its id:
- the cookie is a random UUID, replaced at each login; the row holds no password;
- « Se déconnecter » deletes the row: a cookie copied before opens nothing afterwards;
- a session that did not change is read, not rewritten, on each request
  (SessionExpiryUpdateInterval): no UPDATE, no Set-Cookie, until its expiry would move by
  the interval;
- idle end (SessionMaxAge) and absolute end (the row's deadline, 8 h after the login);
- no session at all on the static files, the CGV, the login page and the bank's
  notifications: no cookie sent, no row made, the table not even read.
"""

import os
import re
import socket
import threading
import time

import pytest
import requests

from cmcas_httpd import DEMO_PASSWORD, DemoHttpd, settle_first_jobs

LOGIN = "gael.classen"
COOKIE = "cmcas_session"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
USEC = 1_000_000
MAX_AGE = 3600                  # SessionMaxAge
UPDATE_INTERVAL = 300           # SessionExpiryUpdateInterval
ABSOLUTE = 8 * 3600             # the deadline, after the login
WRONG_PASSWORD_LOG = r"AH01807: user 'gael\.classen': authentication failure"
BAD_SIGNATURE_LOG = r"CMCAS50: payment return refused: no valid bank signature"

# Paths served without a session, and a path that needs one to show anything.
SESSIONLESS = ["/static/cmcas.css", "/cgv.html", "/connexion", "/connexion?erreur=1",
               "/connexion?deconnecte=1", "/paiement/notification/paybox/BN?Mt=100&Ref=x"]


def start_demo(name, engine=None):
    """The demo on CMCAS_ENGINE's engine (or `engine`), started; fails on a warning."""
    srv = DemoHttpd(name, engine=engine)
    srv.start()
    problems = srv.error_log.problems(srv.error_log.take())
    if problems:
        srv.stop()
        pytest.fail("the demo logged at start:\n" + "\n".join(problems))
    return srv


@pytest.fixture(scope="module")
def demo():
    srv = start_demo("test_940_sessions")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(autouse=True)
def demo_log(demo):
    """Regexes of the error-log lines (warn and above) a test expects: others fail it."""
    expected = []
    yield expected
    problems = demo.error_log.problems(demo.error_log.take(), expected)
    assert not problems, "unexpected error-log lines:\n" + "\n".join(problems)


@pytest.fixture(autouse=True)
def no_sessions_left(demo):
    """Every test starts with an empty session table."""
    demo.sql("DELETE FROM cmcas_session")


def rows(demo):
    """The session table: {id: (data, expiry, deadline)}."""
    return {r[0]: r[1:] for r in demo.sql("SELECT id, data, expiry, deadline "
                                          "FROM cmcas_session")}


def set_cookies(resp):
    """The Set-Cookie headers of a response (one string each)."""
    return resp.raw.headers.getlist("Set-Cookie")


def login(demo, password=DEMO_PASSWORD, session=None):
    session = session or requests.Session()
    resp = session.post(demo.url("/connexion/valider"), allow_redirects=False, timeout=30,
                        data={"httpd_username": LOGIN, "httpd_password": password})
    return session, resp


def logged_in(demo, session_id, path="/"):
    """GET `path` with only this session id: True if it is served, False if it sends to
    the login page."""
    resp = requests.get(demo.url(path), cookies={COOKIE: session_id},
                        allow_redirects=False, timeout=30)
    if resp.status_code == 302 and resp.headers["Location"].endswith("/connexion"):
        return False
    assert resp.status_code == 200, (path, resp.status_code, resp.headers)
    return True


def now_usec():
    return int(time.time() * USEC)


# --------------------------------------------------------------------------------------
# Login


def test_login_gives_an_opaque_id_and_a_row(demo):
    before = now_usec()
    session, resp = login(demo)
    assert resp.status_code == 302 and resp.headers["Location"] == "/"

    cookies = set_cookies(resp)
    assert cookies, resp.headers
    name, _, rest = cookies[0].partition("=")
    value, _, attributes = rest.partition(";")
    assert name == COOKIE
    assert UUID4.match(value), value        # random (version 4), nothing else in it
    attrs = {a.strip().split("=")[0].lower(): a.strip() for a in attributes.split(";")
             if a.strip()}
    assert {"httponly", "path", "samesite", "max-age"} <= set(attrs), cookies[0]
    assert attrs["path"] == "path=/" and attrs["samesite"] == "SameSite=Lax"
    assert attrs["max-age"] == f"Max-Age={MAX_AGE}"

    table = rows(demo)
    assert list(table) == [value]
    data, expiry, deadline = table[value]
    assert f"CMCAS-user={LOGIN}&" in data
    # idle end an hour from now, absolute end 8 hours from now
    assert before + MAX_AGE * USEC <= expiry <= now_usec() + MAX_AGE * USEC
    assert deadline - expiry == (ABSOLUTE - MAX_AGE) * USEC

    resp = session.get(demo.url("/"), allow_redirects=False, timeout=30)
    assert resp.status_code == 200 and "Gael CLASSEN" in resp.text


def test_the_row_holds_no_password(demo):
    _, resp = login(demo)
    assert resp.status_code == 302
    (data, _, _), = rows(demo).values()
    assert DEMO_PASSWORD not in data
    # mod_auth_form's entries: the login, the site passphrase's hash, the password as '*'
    assert re.search(r"(^|&)CMCAS-pw=\*(&|$)", data), data
    assert re.search(r"(^|&)CMCAS-site=[0-9a-f]{32}(&|$)", data), data


def test_a_failed_login_makes_no_session(demo, demo_log):
    demo_log.append(WRONG_PASSWORD_LOG)
    _, resp = login(demo, password="mauvais")
    assert resp.status_code == 302 and resp.headers["Location"] == "/connexion?erreur=1"
    assert not set_cookies(resp)
    assert rows(demo) == {}


def test_each_login_gets_a_new_id(demo):
    """An id known before the login (planted by someone else, or the member's previous
    session) is not the id after it."""
    session, first = login(demo)
    old_id = session.cookies[COOKIE]
    session, again = login(demo, session=session)
    new_id = session.cookies[COOKIE]
    assert again.status_code == 302 and new_id != old_id
    assert list(rows(demo)) == [new_id]     # the same row, under its new id
    assert not logged_in(demo, old_id)
    assert logged_in(demo, new_id)


# --------------------------------------------------------------------------------------
# Logout


def test_logout_deletes_the_session(demo):
    session, _ = login(demo)
    captured = session.cookies[COOKIE]
    assert logged_in(demo, captured)

    resp = session.get(demo.url("/deconnexion"), allow_redirects=False, timeout=30)
    assert resp.status_code == 307
    assert resp.headers["Location"] == "/connexion?deconnecte=1"
    assert rows(demo) == {}
    # the browser is told to drop its cookie
    cookies = set_cookies(resp)
    assert cookies and all(c.startswith(COOKIE + "=") and "Max-Age=0;" in c
                           for c in cookies), cookies
    assert COOKIE not in session.cookies

    # the cookie copied before « Se déconnecter » opens nothing afterwards
    for path in ("/", "/mes-inscriptions", "/mes-informations"):
        assert not logged_in(demo, captured, path), path
    assert rows(demo) == {}


def test_logout_ends_only_that_session(demo):
    """The same household logged in twice (two browsers): two rows, one ended."""
    one, _ = login(demo)
    two, _ = login(demo)
    assert len(rows(demo)) == 2
    one.get(demo.url("/deconnexion"), allow_redirects=False, timeout=30)
    assert list(rows(demo)) == [two.cookies[COOKIE]]
    assert logged_in(demo, two.cookies[COOKIE])


def test_logout_deletes_an_expired_row_too(demo):
    session, _ = login(demo)
    demo.sql("UPDATE cmcas_session SET expiry = ?", (now_usec() - USEC,))
    session.get(demo.url("/deconnexion"), allow_redirects=False, timeout=30)
    assert rows(demo) == {}


def test_logins_then_logouts_leave_no_row(demo):
    for _ in range(25):
        session, resp = login(demo)
        assert resp.status_code == 302
        assert session.get(demo.url("/"), timeout=30).status_code == 200
        session.get(demo.url("/deconnexion"), allow_redirects=False, timeout=30)
    assert rows(demo) == {}


def test_logout_without_a_session_makes_none(demo):
    resp = requests.get(demo.url("/deconnexion"), allow_redirects=False, timeout=30)
    assert resp.status_code == 307
    assert rows(demo) == {}


# --------------------------------------------------------------------------------------
# Reading without writing


def test_an_unchanged_session_is_not_rewritten(demo):
    session, _ = login(demo)
    before = rows(demo)
    for path in ("/", "/mes-inscriptions", "/", "/mes-informations"):
        resp = session.get(demo.url(path), allow_redirects=False, timeout=30)
        assert resp.status_code == 200, path
        assert not set_cookies(resp), (path, resp.headers)
    assert rows(demo) == before             # same id, same data, same expiry


def test_a_session_is_refreshed_once_its_expiry_would_move_by_the_interval(demo):
    """As if the last write were 6 minutes old: the next request writes the session back
    (same id, new expiry) and sends the cookie again; the one after does not."""
    session, _ = login(demo)
    (sid, (data, expiry, deadline)), = rows(demo).items()
    older = expiry - (UPDATE_INTERVAL + 60) * USEC
    demo.sql("UPDATE cmcas_session SET data = replace(data, ?, ?), expiry = ?",
             (f"expiry={expiry}", f"expiry={older}", older))

    before = now_usec()
    resp = session.get(demo.url("/"), allow_redirects=False, timeout=30)
    assert resp.status_code == 200
    cookies = set_cookies(resp)
    assert cookies and cookies[0].startswith(f"{COOKIE}={sid};"), cookies
    (sid2, (data2, expiry2, deadline2)), = rows(demo).items()
    assert sid2 == sid and deadline2 == deadline
    assert before + MAX_AGE * USEC <= expiry2 <= now_usec() + MAX_AGE * USEC
    assert f"expiry={expiry2}" in data2

    resp = session.get(demo.url("/"), allow_redirects=False, timeout=30)
    assert not set_cookies(resp)
    assert rows(demo)[sid][1] == expiry2


# --------------------------------------------------------------------------------------
# Timeouts


def test_an_idle_session_ends(demo):
    session, _ = login(demo)
    sid = session.cookies[COOKIE]
    demo.sql("UPDATE cmcas_session SET expiry = ?", (now_usec() - USEC,))
    assert not logged_in(demo, sid)
    assert not logged_in(demo, sid, "/mes-inscriptions")


def test_an_active_session_ends_at_its_deadline(demo):
    """Nearly 8 hours after the login, with the last write 6 minutes ago: the next write
    stops the expiry at the deadline, and the session ends there, however active."""
    session, _ = login(demo)
    (sid, (data, expiry, _)), = rows(demo).items()
    now = now_usec()
    deadline = now + 3 * USEC
    last = now + (MAX_AGE - UPDATE_INTERVAL - 60) * USEC
    demo.sql("UPDATE cmcas_session SET deadline = ?, data = replace(data, ?, ?), "
             "expiry = ?", (deadline, f"expiry={expiry}", f"expiry={last}", deadline))

    assert logged_in(demo, sid)             # writes the session back...
    (data2, expiry2, deadline2), = rows(demo).values()
    assert deadline2 == deadline
    assert expiry2 == deadline              # ...but not past its deadline
    time.sleep(max(0, (deadline - now_usec()) / USEC) + 0.5)
    assert not logged_in(demo, sid)


# --------------------------------------------------------------------------------------
# No session where none is needed


def test_anonymous_requests_make_no_session(demo, demo_log):
    demo_log.append(BAD_SIGNATURE_LOG)
    for path in ["/", "/mes-inscriptions", "/activite/1"] + SESSIONLESS:
        resp = requests.get(demo.url(path), allow_redirects=False, timeout=30)
        assert not set_cookies(resp), (path, resp.headers)
    assert rows(demo) == {}


def test_sessionless_paths_ignore_a_members_session(demo, demo_log):
    """With a member's cookie (due for a write back), the static files, the CGV, the
    login page and the bank's notification neither send a cookie nor write the row."""
    demo_log.append(BAD_SIGNATURE_LOG)
    session, _ = login(demo)
    (sid, (data, expiry, _)), = rows(demo).items()
    older = expiry - (UPDATE_INTERVAL + 60) * USEC
    demo.sql("UPDATE cmcas_session SET data = replace(data, ?, ?), expiry = ?",
             (f"expiry={expiry}", f"expiry={older}", older))
    before = rows(demo)
    for path in SESSIONLESS:
        resp = session.get(demo.url(path), allow_redirects=False, timeout=30)
        assert resp.status_code in (200, 403), (path, resp.status_code)
        assert not set_cookies(resp), (path, resp.headers)
    assert rows(demo) == before
    # ...whereas a page of the portal would have written it back
    resp = session.get(demo.url("/"), allow_redirects=False, timeout=30)
    assert set_cookies(resp)


def test_the_bank_return_keeps_the_members_session(demo, demo_log):
    """/paiement/retour/ is where the member's browser comes back from the bank: it needs
    the session (here the return is refused for its signature, after the login)."""
    demo_log.append(BAD_SIGNATURE_LOG)
    path = "/paiement/retour/paybox/BN/effectue?Mt=100&Ref=x"
    resp = requests.get(demo.url(path), allow_redirects=False, timeout=30)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/connexion")
    session, _ = login(demo)
    resp = session.get(demo.url(path), allow_redirects=False, timeout=30)
    assert resp.status_code == 403


def test_sessionless_paths_do_not_read_the_table():
    """On a demo server whose session table is gone: the paths without a session still
    answer, without an error; a page of the portal, which reads the session, fails."""
    srv = start_demo("test_940_sessions-no-table")
    try:
        # the job's first run (a second after the start) done before the table goes: its
        # purge of the sessions would say it cannot (its next run: in 15 s)
        settle_first_jobs(srv)
        _, resp = login(srv)
        sid = resp.cookies[COOKIE]
        # (dropped: PostgreSQL would still find a renamed table through the statements
        # mod_dbd prepared before, by its oid)
        srv.sql("DROP TABLE cmcas_session")
        for path in SESSIONLESS[:-1]:
            resp = requests.get(srv.url(path), cookies={COOKIE: sid},
                                allow_redirects=False, timeout=30)
            assert resp.status_code == 200, (path, resp.status_code)
            assert not set_cookies(resp), (path, resp.headers)
        resp = requests.get(srv.url(SESSIONLESS[-1]), cookies={COOKIE: sid},
                            allow_redirects=False, timeout=30)
        assert resp.status_code == 403
        lines = srv.error_log.take()
        problems = srv.error_log.problems(lines, [BAD_SIGNATURE_LOG])
        assert not problems, "\n".join(problems)

        # the control: the portal's pages read the session, and cannot here
        resp = requests.get(srv.url("/"), cookies={COOKIE: sid}, allow_redirects=False,
                            timeout=30)
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/connexion")
        time.sleep(0.2)
        lines = srv.error_log.take()
        if srv.engine == "pgsql":
            # apr-util's pgsql driver reads rows asynchronously and ends them at the failed
            # statement: mod_session_dbd sees no session and logs nothing. PostgreSQL does.
            with open(os.path.join(srv.server_root, "pgsql", "postgresql.log"),
                      encoding="utf-8", errors="replace") as f:
                pg_log = f.read()
            assert 'relation "cmcas_session" does not exist' in pg_log, pg_log[-2000:]
        else:
            assert any("AH01854" in line for line in lines), "\n".join(lines)
    finally:
        srv.stop()


# --------------------------------------------------------------------------------------
# The session's database connection and a slow form


def test_a_slow_form_does_not_block_the_other_members(demo):
    """As tests/integration/test_930_slow_form.py, on the demo and its sessions: one
    member's registration form sent a byte every half second, another member's pages.
    mod_session_dbd keeps the request's connection from authentication to the end, so
    the module reads the form before authentication (mod_cmcas_request_early_form)."""
    slow, _ = login(demo)
    other = requests.Session()
    other.post(demo.url("/connexion/valider"), allow_redirects=False, timeout=30,
               data={"httpd_username": "martine.dupont", "httpd_password": DEMO_PASSWORD})
    assert other.get(demo.url("/"), allow_redirects=False, timeout=10).status_code == 200
    body = b"csrf=x&action=enregistrer&observations=" + b"a" * 60
    head = (f"POST /activite/1/inscription HTTP/1.1\r\nHost: {demo.host}:{demo.port}\r\n"
            f"Cookie: {COOKIE}={slow.cookies[COOKIE]}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    stop = threading.Event()

    def drip():
        with socket.create_connection((demo.host, demo.port), timeout=30) as s:
            s.sendall(head)
            for i in range(len(body)):
                if stop.is_set():
                    return
                try:
                    s.sendall(body[i:i + 1])
                except OSError:
                    return
                time.sleep(0.5)

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        time.sleep(1.5)         # the slow request is in the handler, reading its body
        for path in ("/", "/activite/1", "/mes-inscriptions"):
            t0 = time.monotonic()
            resp = other.get(demo.url(path), allow_redirects=False, timeout=40)
            elapsed = time.monotonic() - t0
            assert resp.status_code == 200, path
            assert elapsed < 3, f"{path} waited {elapsed:.1f} s behind the slow form"
    finally:
        stop.set()
        dripper.join(40)
        # the slow form, once whole, is refused for its CSRF token (CMCAS30/31, info/warn)
        time.sleep(0.2)


def test_static_files_are_cached_long_when_versioned(demo):
    """The stylesheet linked with its version is kept a year; without it, a day; Apache
    answers a revalidation with 304."""
    s, _ = login(demo)
    page = s.get(demo.url("/"), timeout=10)
    assert "no-store" in page.headers["Cache-Control"]
    href = re.search(r'href="(/static/cmcas\.css\?v=[0-9a-f]{8})"', page.text).group(1)
    r = requests.get(demo.url(href), timeout=10)
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert requests.get(demo.url(href), headers={"If-None-Match": r.headers["ETag"]},
                        timeout=10).status_code == 304
    r = requests.get(demo.url("/static/img/logo.svg"), timeout=10)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "public, max-age=86400"
