"""The « tour de rôle » from the back-office (issue 11): /gestion/activite/{id}/tirage.

Before the draw, a preview of what it would decide now (each household's criteria and
would-be rank), computed as the draw computes it and written nowhere; « Effectuer » runs
it (again while unpublished, the previous one undone), « Publier » publishes it; a re-run
after publication is refused; another CMCAS's staff get 404, and every button needs the
CSRF token. Both engines."""

import re

import pytest

from cmcas_httpd import DEMO_PASSWORD, settle_first_jobs
from test_7_helpers import (GAEL, KARIM, MARTINE, P_GAEL, P_KARIM, P_LEA, P_LOUANE,
                            P_MARTINE, P_PIERRE, Db, Member)

from test_10_helpers import STAFF_SECTIONS, XML, staff_session

CMCAS_SERVER = {"sections": STAFF_SECTIONS}
ACTIVITY = 2            # « Journée Cité des Sciences II », tour de rôle, BN
OPTION = 2


def staff(login):
    return staff_session((login, DEMO_PASSWORD))


@pytest.fixture(scope="module")
def db(server):
    # The demo's closed « tour de rôle » drawn and published first, kept so by the
    # resets: the job does not draw it again in the middle of a test.
    settle_first_jobs(server)
    return Db(server)


@pytest.fixture
def requests_made(server, db, sql):
    """5 places, closing date still ahead; GAEL (2 persons, coefficient 5000), MARTINE
    (3, 9000), KARIM (1, 12000): by coefficient GAEL and MARTINE would be selected, KARIM
    would wait."""
    for t in ("cmcas_audit", "cmcas_outbox", "cmcas_order_notice", "cmcas_order_event",
              "cmcas_invoice_line", "cmcas_invoice", "cmcas_order_line", "cmcas_order"):
        sql(f"DELETE FROM {t}")
    db.reset()
    sql("UPDATE activity SET places_taken = 0")
    sql("UPDATE activity SET draw_done_at = NULL, draw_published_at = NULL WHERE id = ?",
        (ACTIVITY,))
    sql("UPDATE activity SET capacity = 5 WHERE id = ?", (ACTIVITY,))
    sql("UPDATE household SET coefficient = CASE id WHEN 1 THEN 5000 WHEN 2 THEN 9000"
        " WHEN 3 THEN 12000 END")
    members = {GAEL: Member(server, GAEL), MARTINE: Member(server, MARTINE),
               KARIM: Member(server, KARIM)}
    members[GAEL].register(ACTIVITY, [P_GAEL, P_LOUANE], option=OPTION)
    members[MARTINE].register(ACTIVITY, [P_MARTINE, P_PIERRE, P_LEA], option=OPTION)
    members[KARIM].register(ACTIVITY, [P_KARIM], option=OPTION)
    yield members
    for m in members.values():
        m.close()


@pytest.fixture
def bn(server):
    with staff("gestion.bn") as s:
        yield s


def page(s, server, activity=ACTIVITY):
    return s.get(server.url(f"/gestion/activite/{activity}/tirage"), headers=XML)


def requests_of(xml):
    return [(d.group(1), d.group(2)) for d in
            re.finditer(r'<demande registration="\d+"[^>]*rank="(\d+)" result="(\w+)"', xml)]


def token(s, server):
    return re.search(r'<staff [^>]*csrf="([^"]+)"', page(s, server).text).group(1)


def post(s, server, action, tok=None, activity=ACTIVITY):
    return s.post(server.url(f"/gestion/activite/{activity}/tirage/{action}"),
                  data={"csrf": tok if tok is not None else token(s, server)},
                  allow_redirects=False)


def drawn(sql):
    return sql("SELECT household_id, selection, draw_rank, places_held FROM registration"
               " WHERE activity_id = ? ORDER BY household_id", (ACTIVITY,))


def state(sql):
    return {"reg": sql("SELECT * FROM registration ORDER BY id"),
            "act": sql("SELECT places_taken, draw_done_at, draw_published_at"
                       " FROM activity WHERE id = ?", (ACTIVITY,)),
            "audit": sql("SELECT * FROM cmcas_audit ORDER BY id"),
            "outbox": sql("SELECT * FROM cmcas_outbox ORDER BY id")}


def test_preview_shows_each_request_and_writes_nothing(server, sql, requests_made, bn):
    before = state(sql)
    r = page(bn, server)
    assert r.status_code == 200, r.text[:500]
    x = r.text
    assert '<tirage etat="apercu"' in x and '<demandes places="5">' in x
    assert requests_of(x) == [("1", "retenue"), ("2", "retenue"), ("3", "attente")]
    # The criteria of each household, its name, eligibility and persons asked.
    assert re.search(r'eligible="1" rank="1" result="retenue" persons="2" '
                     r'history="0.000000" coefficient="5000"', x)
    # Nothing derived from the seed, secret until the draw (only its hash is public).
    assert "tiebreak=" not in x
    seed = sql("SELECT draw_seed FROM activity WHERE id = ?", (ACTIVITY,))[0][0]
    assert seed and seed not in x
    assert 'coefficient="9000"' in x and 'waiting="1"' in x
    assert "<foyer id=\"1\">Gael CLASSEN</foyer>" in x
    html = bn.get(server.url(f"/gestion/activite/{ACTIVITY}/tirage")).text
    assert "Résultat si tiré maintenant" in html and "Effectuer le tour de rôle" in html
    assert state(sql) == before
    # Linked from the dashboard.
    assert f'href="/gestion/activite/{ACTIVITY}/tirage"' in bn.get(server.url("/gestion/")).text


def test_run_rerun_publish(server, sql, requests_made, bn):
    gael = requests_made[GAEL]
    r = post(bn, server, "lancer")
    assert r.status_code == 303, r.text[:500]
    assert r.headers["Location"].endswith(f"/gestion/activite/{ACTIVITY}/tirage?fait=lance")
    first = drawn(sql)
    assert [(h, s, p) for h, s, _, p in first] == [(1, "retenue", 2), (2, "retenue", 3),
                                                   (3, "attente", 0)]
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,)) == [(5,)]
    assert sql("SELECT draw_published_at FROM activity WHERE id = ?",
               (ACTIVITY,))[0][0] in (None, "")
    assert sql("SELECT actor, action, object FROM cmcas_audit") == \
        [("gestion.bn", "Tour de rôle effectué", f"activité {ACTIVITY}")]
    x = page(bn, server).text
    assert '<tirage etat="fait"' in x
    assert requests_of(x) == [("1", "retenue"), ("2", "retenue"), ("3", "attente")]
    # Members see nothing before publication.
    mine = gael.xml(f"/mes-inscriptions/{sql('SELECT id FROM registration WHERE household_id = 1 AND activity_id = ?', (ACTIVITY,))[0][0]}")
    assert mine.find("inscription/tirage/resultat") is None
    # Again before publication: the same result, the places counted once.
    assert post(bn, server, "lancer").status_code == 303
    assert drawn(sql) == first
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,)) == [(5,)]
    # Published: members read their result, every household is told.
    r = post(bn, server, "publier")
    assert r.status_code == 303
    assert sql("SELECT draw_published_at FROM activity WHERE id = ?",
               (ACTIVITY,))[0][0] not in (None, "")
    reg = sql("SELECT id FROM registration WHERE household_id = 1 AND activity_id = ?",
              (ACTIVITY,))[0][0]
    res = gael.xml(f"/mes-inscriptions/{reg}").find("inscription/tirage/resultat")
    assert res.get("selection") == "retenue" and res.get("rank") == "1"
    assert sql("SELECT COUNT(*) FROM cmcas_outbox WHERE kind IN ('selected', 'waiting')"
               )[0][0] == 3
    assert [a[0] for a in sql("SELECT action FROM cmcas_audit ORDER BY id")] == \
        ["Tour de rôle effectué", "Tour de rôle effectué", "Tour de rôle publié"]
    assert '<tirage etat="publie"' in page(bn, server).text
    # No re-run, no second publication: 409, nothing changed.
    before = state(sql)
    r = post(bn, server, "lancer")
    assert r.status_code == 409 and "ne peut plus être refait" in r.text
    r = post(bn, server, "publier")
    assert r.status_code == 409 and "déjà publiés" in r.text
    assert state(sql) == before


def test_publish_before_the_draw_is_409(server, sql, requests_made, bn):
    before = state(sql)
    r = post(bn, server, "publier")
    assert r.status_code == 409 and "pas encore effectué" in r.text
    assert state(sql) == before


def test_other_cmcas_and_other_modes_are_404(server, sql, requests_made, bn):
    before = state(sql)
    with staff("gestion.touraine") as t:
        assert page(t, server).status_code == 404
        tok = re.search(r'<staff [^>]*csrf="([^"]+)"',
                        t.get(server.url("/gestion/"), headers=XML).text).group(1)
        assert post(t, server, "lancer", tok).status_code == 404
        assert post(t, server, "publier", tok).status_code == 404
    # « Paiement immédiat » and a missing activity answer the same.
    assert page(bn, server, 1).status_code == 404
    assert page(bn, server, 999999).status_code == 404
    assert post(bn, server, "lancer", activity=1).status_code == 404
    assert state(sql) == before


def test_csrf_is_required(server, sql, requests_made, bn, expect_log):
    expect_log(r"CMCAS31: form refused for user 'gestion.bn' .*invalid or expired token")
    before = state(sql)
    assert post(bn, server, "lancer", "0.bad").status_code == 403
    assert post(bn, server, "publier", "0.bad").status_code == 403
    assert state(sql) == before
    assert bn.get(server.url(f"/gestion/activite/{ACTIVITY}/tirage/lancer")).status_code \
        in (404, 405)
