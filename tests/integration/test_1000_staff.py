"""The back-office (/gestion): who gets in, and the CMCAS boundary (issue 11).

Staff are authenticated by Apache against cmcas_staff (the harness's <Location /gestion>,
like the demo's); the module then lets only a cmcas_staff login in, and only on its own
CMCAS's data. The demo data has gestion.bn (Berry-Nivernais) and gestion.touraine.
"""
import re

import pytest
import requests

from cmcas_httpd import DEMO_PASSWORD, settle_first_jobs, utc_day
from test_10_helpers import BN_STAFF, STAFF_SECTIONS, T_STAFF
from test_10_helpers import staff_session as session

# The job drawing closed « tour de rôle » runs at start, then not again during the tests:
# an activity made « to draw » stays so.
CMCAS_SERVER = {"sections": STAFF_SECTIONS, "extra": "CMCASExpiryInterval 3600"}


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


def listed(s, server, query=""):
    r = s.get(server.url("/gestion" + query))
    assert r.status_code == 200, r.text
    return r


def test_each_counter_leads_to_the_activities_it_counts(server, bn, sql):
    """Each counter of the dashboard is a link to the list of what it counts (the
    registrations waiting for payment: the activities holding them), and that list has
    as many as the counter says; the list shown is marked."""
    settle_first_jobs(server)
    draws = [r[0] for r in sql("SELECT id FROM activity WHERE cmcas_code = 'BN' AND"
                               " mode = 'tour_de_role' AND published_at IS NOT NULL"
                               " ORDER BY id")]
    to_run, to_publish = draws[0], draws[1]
    saved = sql("SELECT id, closing_date, draw_done_at, draw_published_at FROM activity"
                " WHERE id IN (?, ?)", (to_run, to_publish))
    # A validated registration of a BN household, on an activity paid at once.
    to_pay = sql("SELECT a.id, h.id FROM activity a JOIN household h"
                 " ON h.cmcas_code = a.cmcas_code WHERE a.cmcas_code = 'BN'"
                 " AND a.mode = 'immediat' AND NOT EXISTS (SELECT 1 FROM registration r"
                 " WHERE r.activity_id = a.id AND r.household_id = h.id)"
                 " ORDER BY a.id, h.id LIMIT 1")[0]
    try:
        sql("INSERT INTO registration (activity_id, household_id, status, observations,"
            " places_held, created_at, updated_at) VALUES (?, ?, 'validee', '', 0,"
            " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", to_pay)
        sql("UPDATE activity SET closing_date = ?, draw_done_at = NULL,"
            " draw_published_at = NULL WHERE id = ?", (utc_day(-1), to_run))
        sql("UPDATE activity SET draw_done_at = '2026-01-01T00:00:00Z',"
            " draw_published_at = NULL WHERE id = ?", (to_publish,))
        x = bn.get(server.url("/gestion"), headers={"Accept": "application/xml"}).text
        counts = dict(re.findall(r'(a-payer|tirages-a-faire|tirages-a-publier)="(\d+)"',
                                 re.search(r"<compteurs [^>]*>", x).group(0)))
        html = listed(bn, server).text
        for code, counter in (("a-payer", "a-payer"), ("tirage-a-effectuer", "tirages-a-faire"),
                              ("tirage-a-publier", "tirages-a-publier")):
            assert f'href="/gestion?activites={code}#activites"' in html
            r = listed(bn, server, f"?activites={code}")
            assert re.search(rf'<a href="/gestion\?activites={code}#activites"'
                             r' aria-current="page">', r.text)
            ids = activity_ids(r.text)
            if code == "a-payer":
                held = sum(int(n) for n in re.findall(
                    r'\(dont\s*<a href="[^"]*\?statut=attente-paiement">(\d+) à payer', r.text))
                assert held == int(counts[counter]) > 0 and to_pay[0] in ids
            else:
                assert len(ids) == int(counts[counter]) > 0, (code, ids, counts)
        assert to_run in activity_ids(listed(bn, server, "?activites=tirage-a-effectuer").text)
        assert activity_ids(listed(bn, server, "?activites=tirage-a-publier").text) \
            == {to_publish}
        # The whole list again, marked as shown.
        r = listed(bn, server, "?activites=")
        assert '<a href="/gestion#activites" aria-current="page">Toutes</a>' in r.text
        assert len(activity_ids(r.text)) > len(ids)
    finally:
        sql("DELETE FROM registration WHERE activity_id = ? AND household_id = ?", to_pay)
        for (aid, closing, done, published) in saved:
            sql("UPDATE activity SET closing_date = ?, draw_done_at = ?,"
                " draw_published_at = ? WHERE id = ?", (closing, done, published, aid))


def test_an_empty_list_says_so_and_an_unknown_one_is_400(server, bn, sql):
    drawn = sql("SELECT id, draw_done_at FROM activity WHERE cmcas_code = 'BN'"
                " AND draw_done_at IS NOT NULL AND draw_published_at IS NULL")
    sql("UPDATE activity SET draw_done_at = NULL WHERE cmcas_code = 'BN'"
        " AND draw_published_at IS NULL")
    try:
        r = listed(bn, server, "?activites=tirage-a-publier")
        assert activity_ids(r.text) == set() and "Aucune activité dans cette liste." in r.text
    finally:
        for aid, done in drawn:
            sql("UPDATE activity SET draw_done_at = ? WHERE id = ?", (done, aid))
    r = bn.get(server.url("/gestion?activites=toutes"))
    assert r.status_code == 400 and "Ce filtre des activités n'existe pas." in r.text


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
