"""The back-office (/gestion): who gets in, and the CMCAS boundary (issue 11).

Staff are authenticated by Apache against cmcas_staff (the harness's <Location /gestion>,
like the demo's); the module then lets only a cmcas_staff login in, and only on its own
CMCAS's data. The demo data has gestion.bn (Berry-Nivernais) and gestion.touraine.
"""
import re

import pytest
import requests

from cmcas_httpd import DEMO_PASSWORD
from test_10_helpers import BN_STAFF, STAFF_SECTIONS, T_STAFF
from test_10_helpers import staff_session as session

CMCAS_SERVER = {"sections": STAFF_SECTIONS}


@pytest.fixture(scope="module")
def bn(server):
    with session(BN_STAFF) as s:
        yield s


@pytest.fixture(scope="module")
def touraine(server):
    with session(T_STAFF) as s:
        yield s


def activity_ids(html):
    return {int(i) for i in re.findall(r'<tr data-id="(\d+)"', html)}


def test_dashboard_lists_the_staff_cmcas_activities_only(server, bn, touraine, sql):
    bn_ids = {r[0] for r in sql("SELECT id FROM activity WHERE cmcas_code = 'BN'")}
    t_ids = {r[0] for r in sql("SELECT id FROM activity WHERE cmcas_code = 'TOURAINE'")}
    assert bn_ids and t_ids
    r = bn.get(server.base_url + "/gestion/")
    assert r.status_code == 200, r.text
    assert "Tableau de bord" in r.text and "Hélène FAURE" in r.text
    assert activity_ids(r.text) == bn_ids
    r = touraine.get(server.base_url + "/gestion")
    assert r.status_code == 200
    assert activity_ids(r.text) == t_ids
    assert "CMCAS Touraine" in r.text


def test_dashboard_counts_what_waits(server, bn, sql):
    r = bn.get(server.base_url + "/gestion/", headers={"Accept": "application/xml"})
    assert r.status_code == 200
    m = re.search(r'<compteurs a-payer="(\d+)" paiements-cmcas="(\d+)" '
                  r'a-rembourser="(\d+)"', r.text)
    assert m, r.text[:2000]
    desk = sql("SELECT COUNT(*) FROM cmcas_order WHERE cmcas_code = 'BN' "
               "AND status = 'attente_cmcas'")[0][0]
    assert int(m.group(2)) == desk


def test_a_member_is_not_staff(server, expect_log):
    # Apache refuses the member's password against the staff table.
    with session(("gael.classen", DEMO_PASSWORD)) as s:
        r = s.get(server.base_url + "/gestion/")
    assert r.status_code == 401
    expect_log(r"AH01618: user gael.classen not found")


def test_staff_cannot_use_the_members_pages(server, expect_log):
    with session(BN_STAFF) as s:
        r = s.get(server.base_url + "/mes-inscriptions")
    assert r.status_code == 401
    expect_log(r"AH01618: user gestion.bn not found")


def test_unknown_back_office_page_is_404(server, bn):
    r = bn.get(server.base_url + "/gestion/nimportequoi")
    assert r.status_code == 404


def test_staff_login_page_is_open(server):
    r = requests.get(server.base_url + "/gestion/connexion")
    assert r.status_code == 200
    assert "Espace de gestion" in r.text
    assert 'action="/gestion/connexion/valider"' in r.text


def test_journal_starts_empty_and_is_the_cmcas_own(server, bn, sql):
    sql("INSERT INTO cmcas_audit (cmcas_code, at, actor, action, object, before, after) "
        "VALUES ('TOURAINE', '2026-01-01T00:00:00Z', 'gestion.touraine', "
        "'Activité modifiée', 'activité 41', 'Titre : A', 'Titre : <b>B</b>')")
    r = bn.get(server.base_url + "/gestion/journal")
    assert r.status_code == 200
    assert "Aucune modification enregistrée" in r.text
    with session(T_STAFF) as s:
        r = s.get(server.base_url + "/gestion/journal")
    assert "activité 41" in r.text
    assert "&lt;b&gt;B&lt;/b&gt;" in r.text and "<b>B</b>" not in r.text


def test_journal_bad_page_argument_is_400(server, bn):
    r = bn.get(server.base_url + "/gestion/journal?avant=abc")
    assert r.status_code == 400


def test_back_office_is_get_only_where_nothing_is_posted(server, bn):
    r = bn.post(server.base_url + "/gestion/journal", data={"x": "1"})
    assert r.status_code == 405


# The module's own check, whatever Apache lets through: a configuration that
# authenticates the back-office against the households lets members past Apache, and
# the module still shows them nothing.
LOOSE = """<Location /gestion>
    AuthDBDUserPWQuery "SELECT password FROM household WHERE login = %s"
</Location>
"""


def test_module_refuses_a_login_that_is_not_staff(make_server, expect_log):
    srv = make_server("loose", extra=LOOSE, sections=CMCAS_SERVER["sections"])
    with session(("gael.classen", DEMO_PASSWORD)) as s:
        r = s.get(srv.base_url + "/gestion/")
        assert r.status_code == 404
        assert "Tableau de bord" not in r.text
        r = s.get(srv.base_url + "/gestion/journal")
        assert r.status_code == 404
    expect_log(r"CMCAS122: user 'gael.classen' is not CMCAS staff")


def test_module_refuses_an_open_back_office(make_server, expect_log):
    srv = make_server("open", extra="<Location /gestion>\n    Require all granted\n"
                                     "</Location>\n")
    r = requests.get(srv.base_url + "/gestion/")
    assert r.status_code == 404
    expect_log(r"CMCAS121: no authenticated user for /gestion/")


def test_staff_of_an_undeclared_cmcas_gets_nothing(server, sql, expect_log):
    sql("INSERT INTO cmcas (code, name) VALUES ('NORD', 'CMCAS Nord')")
    sql("INSERT INTO cmcas_staff (login, password, cmcas_code, name) "
        "SELECT 'gestion.nord', password, 'NORD', 'Nord' FROM cmcas_staff "
        "WHERE login = 'gestion.bn'")
    with session(("gestion.nord", DEMO_PASSWORD)) as s:
        r = s.get(server.base_url + "/gestion/")
    assert r.status_code == 404
    expect_log(r"CMCAS123: staff 'gestion.nord' belongs to CMCAS NORD")
