"""A household belongs to its CMCAS (issue 14): on the portal of another CMCAS, its
member (authenticated by the server's shared login) gets a 403 page in French that names
their CMCAS and links to its portal (CMCASPortalURL), logged once at info (CMCAS255),
unless that portal's <CMCAS> block welcomes their CMCAS (CMCASWelcomeMembersOf).

Two CMCAS in one server: BN at the server level (a portal of its own households only),
TOURAINE in its own <VirtualHost> (its block there too) welcoming BN's households."""

import re
import time

import pytest

from test_10_helpers import html_member as session
from cmcas_httpd import BN, cmcas_block
from cmcas_pages import parse_html, xml_doc
from test_7_helpers import cheap_hash

TOURAINE_URL = "https://activites.cmcas-touraine.example/"
TOURAINE_BLOCK = cmcas_block("TOURAINE", "CMCAS Touraine").replace(
    "</CMCAS>", f"    CMCASPortalURL {TOURAINE_URL}\n    CMCASWelcomeMembersOf BN\n</CMCAS>")

CMCAS_SERVER = {
    "sections": {"cmcas": cmcas_block(**BN)},
    "extra": "<VirtualHost *>\n    ServerName localhost\n</VirtualHost>\n"
             "<VirtualHost *>\n    ServerName touraine.test\n"
             + "".join(f"    {l}\n" for l in TOURAINE_BLOCK.splitlines())
             + "    CMCASPortal TOURAINE\n</VirtualHost>\n",
}
TOURAINE = {"Host": "touraine.test"}
TITLE = "Ce portail n'est pas celui de votre CMCAS"


@pytest.fixture(scope="module")
def sophie(server):
    """Sophie MARTIN, of CMCAS Touraine."""
    with session("sophie.martin") as s:
        yield s


@pytest.fixture(scope="module")
def gael(server):
    """Gael CLASSEN, of CMCAS Berry-Nivernais."""
    with session("gael.classen") as s:
        yield s


@pytest.fixture(scope="module")
def nord(server):
    """A household of CMCAS NORD, in the database but declared by no <CMCAS> block."""
    server.sql("INSERT INTO cmcas (code, name) VALUES ('NORD', 'CMCAS Nord')"
               " ON CONFLICT DO NOTHING")
    server.sql("INSERT INTO household (id, cmcas_code, login, password, email)"
               " VALUES (91, 'NORD', 'nord.membre', ?, 'nord@example.org')"
               " ON CONFLICT DO NOTHING", (cheap_hash(),))
    server.sql("INSERT INTO person (id, household_id, role, last_name, first_name,"
               " birth_date) VALUES (91, 91, 'OD', 'NORD', 'Anne', '1970-01-01')"
               " ON CONFLICT DO NOTHING")
    with session("nord.membre") as s:
        yield s
    server.sql("DELETE FROM person WHERE id = 91")
    server.sql("DELETE FROM household WHERE id = 91")
    server.sql("DELETE FROM cmcas WHERE code = 'NORD'")


def log_lines(server, pattern):
    with open(server.error_log.path, encoding="utf-8", errors="replace") as f:
        return [l for l in f.read().splitlines() if re.search(pattern, l)]


def wait_lines(server, pattern, count, timeout=30):
    """The lines matching, once there are `count` (the log is written asynchronously
    from the answer's point of view: polled, generous deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = log_lines(server, pattern)
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_members_use_their_own_portal(gael, sophie, server):
    r = gael.get(server.url("/"))
    assert r.status_code == 200 and "CMCAS Berry-Nivernais" in r.text
    r = sophie.get(server.url("/"), headers=TOURAINE)
    assert r.status_code == 200, r.text
    assert parse_html(r.text).find("span", cls="brand-name").text == "CMCAS Touraine"
    assert parse_html(r.text).find("p", cls="member-cmcas") is None


@pytest.mark.parametrize("path", ["/", "/activite/41", "/compte", "/inscriptions",
                                  "/commandes", "/compte/informations"])
def test_another_cmcas_member_gets_a_403_naming_their_portal(sophie, server, path):
    before = len(log_lines(server, r"CMCAS255: "))
    r = sophie.get(server.url(path))
    assert r.status_code == 403, (path, r.status_code)
    doc = parse_html(r.text)
    assert TITLE in r.text
    text = r.text
    assert "Votre foyer est rattaché à la CMCAS Touraine" in text
    assert "ce portail est celui de la CMCAS Berry-Nivernais" in text
    assert f'href="{TOURAINE_URL}"' in text and "Portail de la CMCAS Touraine" in text
    assert doc.find("html").attrs.get("lang") == "fr"
    # nothing of the household's is read, beyond the name the header shows to log out
    assert "Hugo" not in text and "HUGO" not in text
    lines = wait_lines(server, r"CMCAS255: ", before + 1)
    assert len(lines) == before + 1, lines[before:]
    line = lines[-1]
    assert "[cmcas:info]" in line and "user 'sophie.martin'" in line
    assert "household of CMCAS TOURAINE" in line and "portal of CMCAS BN" in line
    assert TOURAINE_URL in line


def test_the_refusal_as_xml(sophie, server):
    r = sophie.get(server.url("/"), headers={"Accept": "application/xml"})
    assert r.status_code == 403
    e = xml_doc(r.content).find("erreur")
    assert e.get("status") == "403" and e.findtext("title") == TITLE
    assert e.find("lien").get("href") == TOURAINE_URL
    assert "CMCAS Touraine" in e.findtext("message")


def test_a_refused_member_changes_nothing(sophie, server):
    """Nothing of BN's is written for a member it does not serve (a form posted is
    refused before: no token from a page of this portal)."""
    count = server.sql("SELECT COUNT(*) FROM registration")[0][0]
    r = sophie.post(server.url("/activite/3/inscription"),
                    data={"action": "ajouter", "personne": "9"})
    assert r.status_code == 403
    assert server.sql("SELECT COUNT(*) FROM registration")[0][0] == count


def test_a_welcomed_member_is_served(gael, server):
    """TOURAINE's block welcomes BN's households: Gael sees Touraine's portal, with BN's
    activities as « Nos activités » (as for any member of another CMCAS there)."""
    r = gael.get(server.url("/"), headers=TOURAINE)
    assert r.status_code == 200, r.text
    doc = parse_html(r.text)
    assert doc.find("span", cls="brand-name").text == "CMCAS Touraine"
    note = doc.find("p", cls="member-cmcas")
    assert note is not None and "CMCAS Berry-Nivernais" in note.text


def test_a_member_of_an_undeclared_cmcas(nord, server):
    """A household whose CMCAS no block declares: refused, named by its code, no link."""
    r = nord.get(server.url("/"))
    assert r.status_code == 403 and "rattaché à la CMCAS NORD" in r.text
    r = nord.get(server.url("/"), headers={"Accept": "application/xml"})
    assert xml_doc(r.content).find("erreur/lien") is None
    r = nord.get(server.url("/"), headers=TOURAINE)
    assert r.status_code == 403 and "celui de la CMCAS Touraine" in r.text
    lines = wait_lines(server, r"CMCAS255: user 'nord.membre'", 3)
    assert len(lines) == 3 and "no CMCASPortalURL" in lines[0]
