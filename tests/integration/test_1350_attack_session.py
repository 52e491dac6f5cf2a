"""Attacks (issue 13) on sessions and on what the logs keep.

- « Se déconnecter » really ends the session, on the members' side and the back-office's:
  the cookie copied before it, replayed afterwards, gets the login page — for a page and
  for a post carrying a valid token (nothing changed);
- the cookies are HttpOnly and SameSite in the demo (which omits Secure only because it
  is plain HTTP on localhost, and says so), and Secure, HttpOnly and SameSite in the
  production example (conf/cmcas.conf);
- a server at `LogLevel debug cmcas:trace8` (every module at debug, the highest level
  up to which nothing may leak; Apache's own http module at trace4 and above dumps every
  request header, Authorization and Cookie included: docs/operations.md says never in
  production) through a whole registration and card payment, the
  account's e-mail and address changed: its log holds no password, Basic credentials,
  session cookie, CSRF token, form key, bank key, card number, e-mail address, phone,
  street or birth date (scripts/lib/check_logs.py does the same for every log of the
  suite, after it, in scripts/check).
"""

import os
import re
import sys

import pytest
import requests

from cmcas_httpd import BN_BLOCK, DEMO_PASSWORD, REPO
from test_7_helpers import cheap_hash
from test_8_helpers import CARD_3DS, reset_payments, running_bank
from test_13_helpers import diff, dump, remember_secret
from test_940_sessions import start_demo
import test_810_card_payment as pb

sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
import check_logs  # noqa: E402

MEMBER = ("gael.classen", "cmcas_session", "/connexion/valider", "/deconnexion",
          "/connexion")
STAFF = ("gestion.bn", "cmcas_gestion", "/gestion/connexion/valider",
         "/gestion/deconnexion", "/gestion/connexion")


@pytest.fixture(scope="module")
def demo():
    srv = start_demo("test_1350_attack_session")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(autouse=True)
def demo_log(request):
    """The demo's error log: nothing at warn or above unless a test says so."""
    expected = []
    yield expected
    if "demo" in request.fixturenames:
        srv = request.getfixturevalue("demo")
        problems = srv.error_log.problems(srv.error_log.take(), expected)
        assert not problems, "unexpected error-log lines:\n" + "\n".join(problems)


def login(demo, side):
    user, cookie, action, _, _ = side
    s = requests.Session()
    r = s.post(demo.url(action), data={"httpd_username": user, "httpd_password": DEMO_PASSWORD},
               allow_redirects=False, timeout=30)
    assert r.status_code == 302, r.text[:500]
    remember_secret(s.cookies[cookie])
    return s, r


def set_cookies(resp):
    return resp.raw.headers.getlist("Set-Cookie")


def attributes(header):
    """{name lowercased: value} of a Set-Cookie header's attributes."""
    parts = [p.strip() for p in header.split(";")[1:] if p.strip()]
    return {p.split("=")[0].lower(): (p.split("=", 1)[1] if "=" in p else True)
            for p in parts}


@pytest.mark.parametrize("side", [MEMBER, STAFF], ids=["member", "staff"])
def test_logout_ends_the_session_for_a_replayed_cookie(demo, side):
    user, cookie, _, logout, login_page = side
    s, _ = login(demo, side)
    captured = s.cookies[cookie]
    home = "/gestion/" if cookie == "cmcas_gestion" else "/mes-informations"
    page = s.get(demo.url(home), timeout=30)
    assert page.status_code == 200
    token = remember_secret(re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
                            if "csrf" in page.text else
                            re.search(r'csrf="([^"]+)"', s.get(
                                demo.url(home), headers={"Accept": "application/xml"},
                                timeout=30).text).group(1))
    r = s.get(demo.url(logout), allow_redirects=False, timeout=30)
    assert r.status_code == 307
    before = dump(demo)
    replay = requests.Session()
    replay.cookies.set(cookie, captured, path="/gestion" if cookie == "cmcas_gestion" else "/")
    for path in (home, "/gestion/commandes" if cookie == "cmcas_gestion" else "/mes-commandes"):
        r = replay.get(demo.url(path), allow_redirects=False, timeout=30)
        assert r.status_code == 302 and r.headers["Location"].endswith(login_page), \
            (path, r.status_code, r.headers)
    # a post with the token the page gave before the logout: the login page, no change
    target = "/gestion/activite/1/publier" if cookie == "cmcas_gestion" \
        else "/mes-informations"
    fields = {"csrf": token, "action": "depublier"} if cookie == "cmcas_gestion" \
        else {"csrf": token, "email": "pirate@evil.example", "telephone": ""}
    r = replay.post(demo.url(target), data=fields, allow_redirects=False, timeout=30)
    assert r.status_code in (302, 401), (r.status_code, r.text[:300])
    assert diff(before, dump(demo)) == {}


@pytest.mark.parametrize("side,samesite", [(MEMBER, "Lax"), (STAFF, "Strict")],
                         ids=["member", "staff"])
def test_demo_cookies_are_httponly_and_samesite(demo, side, samesite):
    s, r = login(demo, side)
    cookies = [c for c in set_cookies(r) if c.startswith(side[1] + "=")]
    assert cookies, r.headers
    for c in cookies:
        a = attributes(c)
        assert a.get("httponly") is True, c
        assert a.get("samesite") == samesite, c
        assert "secure" not in a, c     # plain HTTP: the comment of the conf says why
    r = s.get(demo.url(side[3]), allow_redirects=False, timeout=30)
    for c in set_cookies(r):
        a = attributes(c)
        assert a.get("httponly") is True and a.get("samesite") == samesite, c


def cookie_lines(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        text = f.read()
    return text, re.findall(r"^[# ]*SessionDBDCookieName (\S+) (\S+)$", text, re.M)


def test_the_production_example_sets_secure_httponly_samesite():
    text, lines = cookie_lines("conf/cmcas.conf")
    assert {n for n, _ in lines} == {"cmcas_session", "cmcas_gestion"}, lines
    for name, attrs in lines:
        a = {p.split("=")[0].lower() for p in attrs.split(";")}
        assert {"secure", "httponly", "samesite"} <= a, (name, attrs)


def test_the_login_snippet_is_secure_unless_told_plain_http():
    """conf/cmcas-login.conf (the demo's and the examples'): every cookie HttpOnly and
    SameSite; Secure unless CMCAS_LOGIN_PLAIN_HTTP is defined."""
    text, lines = cookie_lines("conf/cmcas-login.conf")
    assert {n for n, _ in lines} == {"cmcas_session", "cmcas_gestion"}, lines
    assert all("HttpOnly" in a and "SameSite=" in a for _, a in lines), lines
    for m in re.finditer(r"^ *SessionDBDCookieName \S+ (\S+)$", text, re.M):
        block = text[:m.start()].rstrip().splitlines()[-1].strip()
        secure = "Secure" in m.group(1).split(";")
        assert block == ("<IfDefine !CMCAS_LOGIN_PLAIN_HTTP>" if secure
                         else "<IfDefine CMCAS_LOGIN_PLAIN_HTTP>"), (block, m.group(0))


def test_the_demo_says_why_it_omits_secure():
    """The demo (plain http on localhost) defines CMCAS_LOGIN_PLAIN_HTTP, and says why;
    the example configurations do not."""
    with open(os.path.join(REPO, "conf/demo/httpd.conf.in"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^Define CMCAS_LOGIN_PLAIN_HTTP$", text, re.M)
    assert m
    comment = text[:m.start()][-600:]
    assert "Secure" in comment and "http" in comment.lower(), comment
    for example in ("sqlite-one-cmcas.conf", "pgsql-network.conf"):
        with open(os.path.join(REPO, "conf", "examples", example), encoding="utf-8") as f:
            assert not re.search(r"^\s*Define CMCAS_LOGIN_PLAIN_HTTP", f.read(), re.M)


# ----------------------------------------------------------------------------------
# The logs at trace8


@pytest.fixture(scope="module")
def bank():
    with running_bank(pb.SIMULATOR, "test_1350_attack_session") as b:
        yield b


def test_trace8_log_of_a_whole_registration_and_payment_holds_no_secret(make_server,
                                                                        bank, expect_log):
    expect_log(r"CMCAS31: form refused", must_appear=False)
    block = BN_BLOCK.replace("</CMCAS>", f"""\
    CMCASOnlinePayment On
    CMCASGateway paybox {bank.url("/cgi/MYchoix_pagepaiement.cgi")}
    CMCASPayboxAccount 1999888 32 107904482
    CMCASPayboxKeyFile {pb.HMAC_KEY_FILE}
    CMCASPayboxPublicKeyFile {pb.KEYS}/simulator-public.pem
    CMCASCGV /cgv
</CMCAS>""")
    srv = make_server("trace8", sections={"cmcas": block}, log_level="debug cmcas:trace8",
                      extra="<Location /paiement/notification>\n Require all granted\n"
                            "</Location>",
                      expect_at_start=[r"CMCAS81: <CMCAS BN> \(.*\) takes Paybox payments "
                                       r"without CMCASPayboxDirect"])
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    reset_payments(srv, bank)
    flow = pb.PayboxFlow(srv, bank).validate()
    remember_secret(flow.tok)
    ref, _, url = flow.pay(CARD_3DS)
    assert flow.order_status(ref) == "payee"
    flow.back(url)
    assert flow.s.get(srv.url(f"/mes-commandes/{ref}/facture.pdf")).status_code == 200
    new_mail = "nouvelle.adresse.gael@example.org"
    r = flow.s.post(srv.url("/mes-informations"), allow_redirects=False,
                    data={"csrf": flow.tok, "email": new_mail, "telephone": "06 99 88 77 66"})
    assert r.status_code == 303
    r = flow.s.post(srv.url("/mes-adresses"), allow_redirects=False,
                    data={"csrf": flow.tok, "rue1": "99 rue Secrète", "rue2": "",
                          "code_postal": "18000", "ville": "Bourges", "pays": ""})
    assert r.status_code == 303
    # a refused post and a bad one, with the personal data in them
    flow.s.post(srv.url("/mes-informations"), data={"csrf": "x", "email": new_mail})
    flow.s.post(srv.url("/mes-informations"), data={"csrf": flow.tok, "email": "pas une "
                                                    "adresse " + new_mail})
    flow.s.close()
    with open(srv.error_log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    assert ":debug]" in log, "not verbose?"
    table = check_logs.secrets(REPO)
    table.update({new_mail: "the e-mail typed", "06 99 88 77 66": "the phone typed",
                  "99 rue Secrète": "the street typed", "12/03/1971": "the guest's birth",
                  "1971-03-12": "the guest's birth", flow.tok: "the CSRF token"})
    with open(srv.secret_path, encoding="utf-8") as f:
        table[f.read().strip()] = "the form key"
    hits = [(what, line[:300]) for line in log.splitlines()
            for value, what in table.items() if value in line]
    assert hits == [], "\n".join(f"{w}: {l}" for w, l in hits[:20])
