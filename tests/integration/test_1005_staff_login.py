"""The back-office's login, as the demo configures it (conf/demo/httpd.conf.in rendered by
`scripts/demo --prepare`: the shipped file is what is tested).

Staff log in with their own form at /gestion/connexion, checked against cmcas_staff, and
get their own session cookie (cmcas_gestion, path /gestion) under their own passphrase:
- a staff login opens the dashboard of its CMCAS;
- a member's password is refused there, and a member's session opens nothing of it
  (not even with the member's cookie value sent as the staff cookie);
- a staff session opens none of the members' pages;
- « Se déconnecter » ends the staff session (its row deleted).
"""
import pytest
import requests

from cmcas_httpd import DEMO_PASSWORD
from test_940_sessions import start_demo

STAFF_COOKIE = "cmcas_gestion"
MEMBER_COOKIE = "cmcas_session"
WRONG_PASSWORD_LOG = r"AH01807: user '[a-z.]+': authentication failure|AH01808|AH01809"


@pytest.fixture(scope="module")
def demo():
    srv = start_demo("test_1005_staff_login")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(autouse=True)
def demo_log(demo):
    expected = []
    yield expected
    problems = demo.error_log.problems(demo.error_log.take(), expected)
    assert not problems, "unexpected error-log lines:\n" + "\n".join(problems)


def staff_login(demo, login="gestion.bn", password=DEMO_PASSWORD):
    s = requests.Session()
    r = s.post(demo.url("/gestion/connexion/valider"), allow_redirects=False, timeout=30,
               data={"httpd_username": login, "httpd_password": password})
    return s, r


def member_login(demo):
    s = requests.Session()
    r = s.post(demo.url("/connexion/valider"), allow_redirects=False, timeout=30,
               data={"httpd_username": "gael.classen", "httpd_password": DEMO_PASSWORD})
    assert r.status_code == 302 and r.headers["Location"].endswith("/")
    return s


def test_login_page_and_unauthenticated_redirect(demo):
    r = requests.get(demo.url("/gestion/"), allow_redirects=False, timeout=30)
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/gestion/connexion")
    r = requests.get(demo.url("/gestion/connexion"), timeout=30)
    assert r.status_code == 200 and "Espace de gestion" in r.text
    assert "Set-Cookie" not in r.headers


def test_staff_login_opens_their_dashboard(demo):
    s, r = staff_login(demo)
    assert r.status_code == 302 and r.headers["Location"].endswith("/gestion/")
    cookie = r.raw.headers.getlist("Set-Cookie")
    assert any(c.startswith(STAFF_COOKIE + "=") and "path=/gestion" in c for c in cookie)
    r = s.get(demo.url("/gestion/"), timeout=30)
    assert r.status_code == 200
    assert "Tableau de bord" in r.text and "Hélène FAURE" in r.text
    # Touraine's staff see Touraine's activities, not Berry-Nivernais's.
    t, _ = staff_login(demo, "gestion.touraine")
    r = t.get(demo.url("/gestion/"), timeout=30)
    assert "CMCAS Touraine" in r.text and "Paul LEROY" in r.text


def test_wrong_password_goes_back_to_the_form(demo, demo_log):
    demo_log.append(WRONG_PASSWORD_LOG)
    _, r = staff_login(demo, password="faux")
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/gestion/connexion?erreur=1")


def test_a_member_password_is_not_a_staff_login(demo, demo_log):
    demo_log.append(r"AH01807|AH01808|AH01809|user 'gael.classen' not found|AH01618")
    _, r = staff_login(demo, "gael.classen")
    assert r.headers["Location"].endswith("/gestion/connexion?erreur=1")


def test_a_member_session_opens_no_back_office(demo):
    m = member_login(demo)
    r = m.get(demo.url("/gestion/"), allow_redirects=False, timeout=30)
    assert r.status_code == 302 and r.headers["Location"].endswith("/gestion/connexion")
    # The member's own session id, sent as the staff cookie: another passphrase.
    sid = m.cookies.get(MEMBER_COOKIE)
    r = requests.get(demo.url("/gestion/"), cookies={STAFF_COOKIE: sid},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 302 and r.headers["Location"].endswith("/gestion/connexion")


def test_a_staff_session_opens_no_member_page(demo):
    s, _ = staff_login(demo)
    sid = s.cookies.get(STAFF_COOKIE)
    r = requests.get(demo.url("/mes-inscriptions"), cookies={MEMBER_COOKIE: sid},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 302 and r.headers["Location"].endswith("/connexion")


def test_logout_ends_the_staff_session(demo):
    s, _ = staff_login(demo)
    sid = s.cookies.get(STAFF_COOKIE)
    assert demo.sql("SELECT count(*) FROM cmcas_session WHERE id = ?", (sid,)) == [(1,)]
    r = s.get(demo.url("/gestion/deconnexion"), allow_redirects=False, timeout=30)
    assert r.status_code == 307         # mod_auth_form's redirect after a logout
    assert r.headers["Location"] == "/gestion/connexion?deconnecte=1"
    assert demo.sql("SELECT count(*) FROM cmcas_session WHERE id = ?", (sid,)) == [(0,)]
    r = requests.get(demo.url("/gestion/"), cookies={STAFF_COOKIE: sid},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 302
