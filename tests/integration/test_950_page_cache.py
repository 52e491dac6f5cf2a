"""The page cache (CMCASPageCache, docs/directives.md): the catalog and the activities'
pages are kept rendered per process and filled with each member's own name, escaped; any
change but the places is seen at once; the places may lag by the configured seconds and
no more; Off renders every request.

The servers here run one process, so that a page kept by one request is the one the next
request finds."""

import re
import time
import pytest

from test_10_helpers import html_member as session
from cmcas_httpd import cmcas_block, one_process_mpm
from test_7_helpers import cheap_hash
from cmcas_pages import parse_html, xml_doc

ONE_PROCESS = one_process_mpm(8)
LAG = 2     # seconds of CMCASPageCache on the server of these tests
SERVER = {"sections": {"mpm": ONE_PROCESS, "cache": f"CMCASPageCache {LAG}"},
          "extra": cmcas_block("TOURAINE", "CMCAS Touraine")}


@pytest.fixture(scope="module")
def server(make_server):
    srv = make_server("lag", **SERVER)
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    return srv


@pytest.fixture(scope="module")
def members(server):
    out = {login: session(login) for login in
           ("gael.classen", "martine.dupont", "sophie.martin")}
    yield out
    for s in out.values():
        s.close()


def user_name(text):
    span = parse_html(text).find("span", cls="user-name")
    return span.text if span else None


def remaining(text):
    doc = parse_html(text)
    return [t for t in doc.text.split("\n") if "Places restantes" in t] or doc.text


def activity_xml(member, server, act_id):
    r = member.get(server.url(f"/activite/{act_id}"), headers={"Accept": "application/xml"})
    assert r.status_code == 200
    return xml_doc(r.text).find("activite")


def test_each_member_sees_their_own_name(server, members):
    for _ in range(3):
        for login, name in (("gael.classen", "Gael CLASSEN"),
                            ("martine.dupont", "Martine DUPONT")):
            for path in ("/", "/activite/1", "/?theme=SPORT"):
                r = members[login].get(server.url(path))
                assert r.status_code == 200
                assert user_name(r.text) == name


def test_no_placeholder_reaches_a_member(server, members):
    for path in ("/", "/activite/1", "/?q=atelier", "/?page=2", "/?onglet=autres"):
        for accept in ("text/html", "application/xml"):
            r = members["gael.classen"].get(server.url(path), headers={"Accept": accept})
            assert r.status_code == 200
            assert not re.search(r"cmcas[0-9a-f]{32}h", r.text), (path, accept)


def test_the_name_is_escaped_in_a_kept_page(server, members):
    hostile = '<img src=x onerror=alert(1)> "Zoé" & Co'
    (old,) = server.sql("SELECT first_name FROM person WHERE household_id = 2 AND role = 'OD'")
    try:
        members["gael.classen"].get(server.url("/"))        # the page is kept
        server.sql("UPDATE person SET first_name = ? WHERE household_id = 2 AND role = 'OD'",
                   (hostile,))
        r = members["martine.dupont"].get(server.url("/"))
        assert r.status_code == 200
        assert "<img src=x" not in r.text
        assert user_name(r.text) == hostile + " DUPONT"
        x = members["martine.dupont"].get(server.url("/"),
                                          headers={"Accept": "application/xml"})
        user = xml_doc(x.text).find("user")
        assert user.get("login") == "martine.dupont"
        assert user.find("name").text == hostile + " DUPONT"
    finally:
        server.sql("UPDATE person SET first_name = ? WHERE household_id = 2 AND role = 'OD'",
                   old)


def test_html_and_xml_are_kept_apart(server, members):
    m = members["gael.classen"]
    for _ in range(2):
        h = m.get(server.url("/activite/1"))
        x = m.get(server.url("/activite/1"), headers={"Accept": "application/xml"})
        assert h.headers["Content-Type"].startswith("text/html")
        assert h.text.startswith("<!DOCTYPE html>")
        assert x.headers["Content-Type"].startswith("application/xml")
        assert x.text.startswith("<?xml")
        assert h.headers["Cache-Control"] == "no-store"
        assert x.headers["Cache-Control"] == "no-store"


def test_each_cmcas_sees_its_own_catalog_and_visibility(server, members):
    # Activity 45 is TOURAINE's, not open to others: its page exists for a TOURAINE
    # member on this portal and for no BN member, whoever asked first.
    for _ in range(2):
        assert members["sophie.martin"].get(server.url("/activite/45")).status_code == 200
        assert members["gael.classen"].get(server.url("/activite/45")).status_code == 404
    nos_bn = xml_doc(members["gael.classen"].get(
        server.url("/"), headers={"Accept": "application/xml"}).text)
    nos_to = xml_doc(members["sophie.martin"].get(
        server.url("/"), headers={"Accept": "application/xml"}).text)
    orgs_bn = {a.find("organiser").get("code") for a in nos_bn.find("catalogue").findall("activity")}
    orgs_to = {a.find("organiser").get("code") for a in nos_to.find("catalogue").findall("activity")}
    assert orgs_bn == {"BN"}
    assert orgs_to == {"TOURAINE"}


def test_any_change_but_the_places_is_seen_at_once(server, members):
    m = members["gael.classen"]
    (title,) = server.sql("SELECT title FROM activity WHERE id = 1")[0]
    try:
        assert activity_xml(m, server, 1).find("title").text == title
        server.sql("UPDATE activity SET title = 'Atelier renommé' WHERE id = 1")
        assert activity_xml(m, server, 1).find("title").text == "Atelier renommé"
        cards = m.get(server.url("/"), params={"q": "renommé"})
        assert "Atelier renommé" in cards.text
        server.sql("UPDATE activity_option SET label = 'Option renommée' WHERE activity_id = 1")
        assert "Option renommée" in m.get(server.url("/activite/1")).text
    finally:
        server.sql("UPDATE activity SET title = ? WHERE id = 1", (title,))


def test_places_lag_by_the_configured_seconds_at_most(server, members):
    m = members["gael.classen"]
    (taken,) = server.sql("SELECT places_taken FROM activity WHERE id = 2")[0]
    try:
        # a page kept earlier could expire between the two requests below: make it out
        # of date, so that the page read next is rendered after `started`
        server.sql("UPDATE activity SET title = title WHERE id = 2")   # the triggers count it
        started = time.monotonic()
        before = activity_xml(m, server, 2).find("remaining").text
        server.sql("UPDATE activity SET places_taken = places_taken + 3 WHERE id = 2")
        soon = activity_xml(m, server, 2).find("remaining").text
        if time.monotonic() - started < LAG - 0.5:
            # the kept page (this process rendered it an instant ago)
            assert soon == before
        time.sleep(LAG + 0.2)
        assert int(activity_xml(m, server, 2).find("remaining").text) == int(before) - 3
    finally:
        server.sql("UPDATE activity SET places_taken = ? WHERE id = 2", (taken,))


def test_off_renders_every_request(make_server):
    srv = make_server("off", sections={"mpm": ONE_PROCESS, "cache": "CMCASPageCache Off"})
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    m = session("gael.classen")
    try:
        before = int(activity_xml(m, srv, 2).find("remaining").text)
        srv.sql("UPDATE activity SET places_taken = places_taken + 1 WHERE id = 2")
        assert int(activity_xml(m, srv, 2).find("remaining").text) == before - 1
    finally:
        m.close()


def test_a_member_sees_their_own_change_at_once(server):
    """After a change (a POST answered by a redirect), the member's next pages show the
    places as they are, on any server: a cookie of a few seconds, nothing else in it."""
    from test_7_helpers import Db, Member, P_GAEL
    db = Db(server)
    db.reset()
    m = Member(server)
    other = session("martine.dupont")
    try:
        before = int(m.xml("/activite/1").find("activite/remaining").text)   # kept
        a = m.add(1, P_GAEL)
        r = m.do(1, "valider", options={a: [1]})    # an option is required
        cookie = r.r.headers.get("Set-Cookie", "")
        assert "cmcas-fresh=1" in cookie and "HttpOnly" in cookie, cookie
        # within the lag allowed to others, the member who validated sees it
        assert int(m.xml("/activite/1").find("activite/remaining").text) == before - 1
        # someone else may still see the kept page, no older than the lag
        seen = int(xml_doc(other.get(server.url("/activite/1"),
                                     headers={"Accept": "application/xml"}).text)
                   .find("activite/remaining").text)
        assert seen in (before, before - 1)
        # without the cookie, the member would have seen the kept page too
        m.s.cookies.clear()
        assert int(m.xml("/activite/1").find("activite/remaining").text) in (before,
                                                                            before - 1)
    finally:
        other.close()
        m.close()
        db.reset()
