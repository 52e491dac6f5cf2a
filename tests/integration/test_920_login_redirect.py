"""The login form cannot send a member off the portal.

mod_auth_form redirects to a posted `httpd_location` after a successful login, in
preference to AuthFormLoginSuccessLocation: a page of another site could post the login
form with `httpd_location=//evil.example/` and the member, once logged in, would land
there. The demo's configuration (conf/demo/httpd.conf.in, rendered by `scripts/demo
--prepare`: the shipped file is what is tested) names the username field in
AuthFormLocation, so no posted field is ever a redirect target.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from cmcas_httpd import DEMO_PASSWORD, DemoHttpd

LOGIN = "gael.classen"
WRONG_PASSWORD_LOG = r"AH01807: user 'gael\.classen': authentication failure"

# Targets an attacker's page would post, and ways of spelling the field's name.
OFF_SITE = ["//evil.example/x", "https://evil.example/", "http://evil.example",
            "/\\evil.example/x", "\\\\evil.example", "https:evil.example",
            " //evil.example/x", "/deconnexion"]


@pytest.fixture(scope="module")
def demo():
    srv = DemoHttpd("test_920_login_redirect")
    srv.start()
    problems = srv.error_log.problems(srv.error_log.take())
    try:
        assert not problems, "the demo logged at start:\n" + "\n".join(problems)
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


def post_login(demo, path="/connexion/valider", password=DEMO_PASSWORD, fields=()):
    session = requests.Session()
    body = [("httpd_username", LOGIN), ("httpd_password", password), *fields]
    resp = session.post(demo.url(path), data=body, allow_redirects=False, timeout=30)
    return session, resp


def assert_on_portal(demo, location, path=None):
    """`location` stays on the portal: same scheme and host, a path from its root (and
    that path, when given)."""
    target = urlsplit(urljoin(demo.base_url + "/connexion/valider", location))
    portal = urlsplit(demo.base_url)
    assert (target.scheme, target.netloc) == (portal.scheme, portal.netloc), location
    assert location.startswith("/") and not location.startswith(("//", "/\\")) \
        or location.startswith(demo.base_url + "/"), location
    if path is not None:
        assert target.path == path, location


def assert_logged_in(demo, session):
    resp = session.get(demo.url("/"), allow_redirects=False, timeout=30)
    assert resp.status_code == 200, (resp.status_code, resp.headers.get("Location"))
    assert "Se déconnecter" in resp.text


def test_login_redirects_to_the_portal_with_a_session(demo):
    session, resp = post_login(demo)
    assert resp.status_code == 302
    assert_on_portal(demo, resp.headers["Location"], "/")
    assert re.match(r"cmcas_session=[^;]+;", resp.headers["Set-Cookie"])
    assert_logged_in(demo, session)


@pytest.mark.parametrize("target", OFF_SITE)
def test_posted_location_is_ignored(demo, target):
    session, resp = post_login(demo, fields=[("httpd_location", target)])
    assert resp.status_code == 302
    assert_on_portal(demo, resp.headers["Location"], "/")
    assert_logged_in(demo, session)


@pytest.mark.parametrize("body", [
    # the field's name spelt with escapes, given twice, or before the credentials
    "httpd%5Flocation=%2F%2Fevil.example%2F&httpd_username={u}&httpd_password={p}",
    "httpd_username={u}&httpd_password={p}&httpd_location=%2F%2Fevil.example%2F"
    "&httpd_location=https%3A%2F%2Fevil.example%2F",
    "httpd_location=https%3A%2F%2Fevil.example%2F&httpd_username={u}&httpd_password={p}"
    "&httpd_username={u}",
])
def test_posted_location_is_ignored_however_spelt(demo, body):
    resp = requests.post(demo.url("/connexion/valider"),
                         data=body.format(u=LOGIN, p=DEMO_PASSWORD),
                         headers={"Content-Type": "application/x-www-form-urlencoded"},
                         allow_redirects=False, timeout=30)
    assert resp.status_code == 302
    assert_on_portal(demo, resp.headers["Location"], "/")


def test_wrong_password_goes_back_to_the_login_page(demo, demo_log):
    demo_log.append(WRONG_PASSWORD_LOG)
    _, resp = post_login(demo, password="mauvais",
                         fields=[("httpd_location", "https://evil.example/")])
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/connexion?erreur=1"


@pytest.mark.parametrize("path", ["/", "/mes-inscriptions"])
def test_login_posted_to_another_page_does_not_leave_the_portal(demo, path):
    """mod_auth_form also takes a login posted to any protected URL, and followed the
    posted location there too."""
    _, resp = post_login(demo, path=path,
                               fields=[("httpd_location", "https://evil.example/")])
    if "Location" in resp.headers:
        assert_on_portal(demo, resp.headers["Location"])
    assert "evil.example" not in resp.text
