"""The back-office's registrations (issue 11): an activity's registrations as staff see
them (households, persons, options, photo/video opt-outs, observations, status,
payments), the status filters, the CSV export for the organisers, and the cancellation
of a registration by staff with a reason (places back, refund due, waiting list
promoted, the household told, history and audit log). The CMCAS boundary (404), CSRF
and escaping. Registrations are made by a member through the member's pages.
"""
import xml.etree.ElementTree as ET

import pytest

from test_7_helpers import Member, cheap_hash, P_GAEL, P_MARTINE, MARTINE

from test_10_helpers import BN_STAFF, STAFF_SECTIONS, T_STAFF
from test_10_helpers import staff_session as staff

CMCAS_SERVER = {"sections": STAFF_SECTIONS}
ACT = 1             # Atelier gourmand (BN, paiement immédiat, guests allowed)
OPTION = 1          # its only option: 30,00 € (beneficiary), 40,00 € (guest)
TDR = 34            # Week-end au Puy du Fou (BN, tour de rôle, closed)
XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'

RESET = """
DELETE FROM cmcas_order_notice;
DELETE FROM cmcas_order_payment;
DELETE FROM cmcas_order_event;
DELETE FROM cmcas_invoice_line;
DELETE FROM cmcas_invoice;
DELETE FROM cmcas_order_line;
DELETE FROM cmcas_order;
DELETE FROM registration_option;
DELETE FROM registration_event;
DELETE FROM registration_person;
DELETE FROM registration;
DELETE FROM cmcas_outbox;
DELETE FROM cmcas_audit;
"""


@pytest.fixture(scope="module")
def setup(server):
    server.sql("UPDATE household SET password = ?", (cheap_hash(),))
    server.sql("UPDATE cmcas_staff SET password = ?", (cheap_hash(),))
    cols = "capacity, places_taken, draw_done_at, draw_published_at"
    return {a: server.sql(f"SELECT {cols} FROM activity WHERE id = ?", (a,))[0]
            for a in (ACT, TDR)}


@pytest.fixture(autouse=True)
def clean(server, setup):
    script = "BEGIN;\n" + RESET
    for a, (cap, taken, done, pub) in setup.items():
        q = lambda v: "NULL" if v is None else f"'{v}'"  # noqa: E731
        script += (f"UPDATE activity SET capacity = {cap}, places_taken = {taken}, "
                   f"draw_done_at = {q(done)}, draw_published_at = {q(pub)} "
                   f"WHERE id = {a};\n")
    server.sql_script(script + "COMMIT;\n")


@pytest.fixture
def bn(server):
    with staff(BN_STAFF) as s:
        yield s


@pytest.fixture
def touraine(server):
    with staff(T_STAFF) as s:
        yield s


def register_gael(server, observations=FORMULA, validate=True):
    """Gael registers himself and a guest (who refuses photos) on ACT through the
    member's pages; returns the registration id."""
    m = Member(server)
    try:
        me = m.add(ACT, P_GAEL)
        guest = m.add(ACT, "invite", nom="ÉTIENNE", prenom="Zoé", naissance="01/07/2019")
        m.do(ACT, "enregistrer", options={me: [OPTION], guest: [OPTION]},
             photo={guest: True}, observations=observations)
        if validate:
            m.do(ACT, "valider")
    finally:
        m.close()
    return server.sql("SELECT id FROM registration WHERE activity_id = ? AND "
                      "household_id = 1", (ACT,))[0][0]


def page_xml(s, server, path, status=200):
    r = s.get(server.url(path), headers={"Accept": "application/xml"})
    assert r.status_code == status, r.text[:2000]
    return ET.fromstring(r.content) if status == 200 else None


def csrf(s, server):
    return page_xml(s, server, "/gestion/").find("staff").get("csrf")


def snapshot(server):
    return {t: server.sql(f"SELECT * FROM {t} ORDER BY 1") for t in
            ("registration", "registration_event", "cmcas_order", "cmcas_outbox",
             "cmcas_audit")} | {"places": server.sql("SELECT id, places_taken FROM activity "
                                                     "ORDER BY id")}


# ----------------------------------------------------------------------------------
# The list


def test_dashboard_links_each_activity_to_its_registrations(server, bn):
    r = bn.get(server.url("/gestion/"))
    assert f'href="/gestion/activite/{ACT}/inscriptions"' in r.text


def test_list_shows_what_the_member_registered(server, bn):
    rid = register_gael(server, observations="Allergie aux arachides")
    r = bn.get(server.url(f"/gestion/activite/{ACT}/inscriptions"))
    assert r.status_code == 200, r.text[:2000]
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    t = r.text
    for text in ("Atelier gourmand", "Gael CLASSEN", "gael.classen",
                 "gael.classen@example.org", "06 12 34 56 78", "ÉTIENNE", "Zoé",
                 "(invité)", "01/07/2019", "Refus photo/vidéo", "Allergie aux arachides",
                 "Validée", "70,00\u00a0€", "Places prises", f'data-id="{rid}"'):
        assert text in t, text
    cap = server.sql("SELECT capacity FROM activity WHERE id = ?", (ACT,))[0][0]
    assert f"<strong>2 / {cap}</strong>" in t
    doc = page_xml(bn, server, f"/gestion/activite/{ACT}/inscriptions")
    ins = doc.find("inscriptions/inscription")
    assert ins.get("id") == str(rid) and ins.get("status") == "validee"
    assert ins.findtext("statut") == "Validée"
    persons = {p.findtext("first-name"): p for p in ins.findall("personne")}
    assert persons["Zoé"].get("photo-optout") == "1"
    assert persons["Zoé"].get("kind") == "guest"
    assert persons["Gael"].get("photo-optout") == "0"
    assert persons["Gael"].findtext("option") == "Atelier gourmand"
    assert persons["Gael"].get("age").isdigit()
    assert doc.find("inscriptions/compteurs").get("refus-photo") == "1"
    assert [p.findtext("first-name") for p in
            doc.findall("inscriptions/refus-photo/personne")] == ["Zoé"]


def test_list_shows_the_payments(server, bn):
    rid = register_gael(server)
    server.sql("INSERT INTO cmcas_order (reference, registration_id, household_id, "
               "cmcas_code, total, method, status, hold_until, created_at, updated_at) "
               "VALUES ('ABCDEFGHI', ?, 1, 'BN', 7000, 'cmcas', 'attente_cmcas', "
               "'2099-01-01T00:00:00Z', '2026-05-01T10:00:00Z', 'x')", (rid,))
    doc = page_xml(bn, server, f"/gestion/activite/{ACT}/inscriptions")
    o = doc.find("inscriptions/inscription/commande")
    assert o.get("reference") == "ABCDEFGHI" and o.get("status") == "attente_cmcas"
    assert o.findtext("total") == "70,00\u00a0€"
    assert o.findtext("status-label") == "En attente de paiement en CMCAS"
    r = bn.get(server.url(f"/gestion/activite/{ACT}/inscriptions"))
    assert "ABCDEFGHI" in r.text and "En CMCAS" in r.text


def test_filters(server, bn):
    rid = register_gael(server)
    m = Member(server, MARTINE)
    try:
        m.add(ACT, P_MARTINE)           # a draft
    finally:
        m.close()

    def ids(statut):
        doc = page_xml(bn, server, f"/gestion/activite/{ACT}/inscriptions?statut={statut}")
        return [int(i.get("id")) for i in doc.findall("inscriptions/inscription")]

    draft = server.sql("SELECT id FROM registration WHERE household_id = 2")[0][0]
    assert ids("") == [rid]
    assert ids("validee") == [rid]
    assert ids("attente-paiement") == [rid]
    assert ids("payee") == []
    assert ids("annulee") == []
    assert ids("brouillon") == [draft]
    assert sorted(ids("toutes")) == sorted([rid, draft])


@pytest.mark.parametrize("query", ["statut=nimporte", "statut=PAYEE", "refus-photo=2",
                                   "statut=payee%00"])
def test_bad_filter_is_400(server, bn, query):
    r = bn.get(server.url(f"/gestion/activite/{ACT}/inscriptions?{query}"))
    assert r.status_code in (400,), r.text[:500]
    r = bn.get(server.url(f"/gestion/activite/{ACT}/inscriptions.csv?{query}"))
    assert r.status_code == 400


def test_observations_are_escaped(server, bn):
    register_gael(server, observations=XSS)
    r = bn.get(server.url(f"/gestion/activite/{ACT}/inscriptions"))
    assert r.status_code == 200
    assert XSS not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


# ----------------------------------------------------------------------------------
# The CSV export


def test_csv_export(server, bn):
    rid = register_gael(server)
    r = bn.get(server.url(f"/gestion/activite/{ACT}/inscriptions.csv"))
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"] == \
        f'attachment; filename="inscriptions-activite-{ACT}.csv"'
    body = r.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body[3:].decode("utf-8").split("\r\n")
    assert lines[-1] == "" and all("\n" not in ln for ln in lines)
    head = lines[0].split(";")
    assert head[:3] == ["Inscription", "Statut", "Foyer"]
    assert "Refus photo/vidéo" in head and "Observations" in head
    rows = [ln.split(";") for ln in lines[1:-1]]
    assert len(rows) == 2
    by_first = {row[head.index("Prénom")]: row for row in rows}
    zoe = by_first["Zoé"]
    assert zoe[0] == str(rid) and zoe[1] == "Validée"
    assert zoe[head.index("Nom")] == "ÉTIENNE"
    assert zoe[head.index("Invité")] == "Oui"
    assert zoe[head.index("Refus photo/vidéo")] == "Oui"
    assert zoe[head.index("Date de naissance")] == "01/07/2019"
    assert zoe[head.index("Prestations")] == "Atelier gourmand"
    assert zoe[head.index("Montant (€)")] == "40,00"
    assert by_first["Gael"][head.index("Refus photo/vidéo")] == "Non"
    # The member's formula is text for the spreadsheet: quoted, « ' » first.
    assert zoe[head.index("Observations")] == '"\'=HYPERLINK(""http://x"")"'
    assert "ÉTIENNE".encode("utf-8") in body


def test_csv_of_the_opt_outs_and_a_filter(server, bn):
    register_gael(server)
    r = bn.get(server.url(f"/gestion/activite/{ACT}/inscriptions.csv?refus-photo=1"))
    assert r.status_code == 200
    assert "refus-photo" in r.headers["Content-Disposition"]
    text = r.content.decode("utf-8-sig")
    assert "Zoé" in text and ";Gael;" not in text
    r = bn.get(server.url(f"/gestion/activite/{ACT}/inscriptions.csv?statut=payee"))
    assert r.content.decode("utf-8-sig").count("\r\n") == 1     # the header only


# ----------------------------------------------------------------------------------
# Cancellation by staff


def cancel(s, server, rid, motif="Activité annulée par le prestataire", token=None,
           **kw):
    data = {"motif": motif} if motif is not None else {}
    if token is not False:
        data["csrf"] = token or csrf(s, server)
    return s.post(server.url(f"/gestion/inscription/{rid}/annuler"), data=data,
                  allow_redirects=False, **kw)


def test_cancel_gives_places_back_and_tells_the_household(server, bn):
    rid = register_gael(server)
    assert server.sql("SELECT places_taken FROM activity WHERE id = ?", (ACT,))[0][0] == 2
    r = cancel(bn, server, rid)
    assert r.status_code == 303, r.text[:2000]
    assert r.headers["Location"].endswith(
        f"/gestion/activite/{ACT}/inscriptions?annulee={rid}")
    assert server.sql("SELECT status, places_held FROM registration WHERE id = ?",
                      (rid,)) == [("annulee", 0)]
    assert server.sql("SELECT places_taken FROM activity WHERE id = ?", (ACT,))[0][0] == 0
    events = server.sql("SELECT actor, status, event FROM registration_event WHERE "
                        "registration_id = ? ORDER BY id", (rid,))
    assert events[-1] == ("gestion.bn", "annulee",
                          "Annulée par la CMCAS : Activité annulée par le prestataire")
    assert server.sql("SELECT kind, household_id, detail FROM cmcas_outbox WHERE "
                      "registration_id = ? AND kind = 'cancelled'", (rid,)) == [
        ("cancelled", 1, "Activité annulée par le prestataire")]
    audit = server.sql("SELECT cmcas_code, actor, action, object, before, after "
                       "FROM cmcas_audit")
    assert len(audit) == 1
    code, actor, action, obj, before, after = audit[0]
    assert (code, actor, action, obj) == ("BN", "gestion.bn", "Inscription annulée",
                                          f"inscription {rid}")
    assert "Statut : Validée" in before and "Statut : Annulée" in after
    assert "Motif : Activité annulée par le prestataire" in after
    # The page after the redirect, and the journal.
    page = bn.get(r.headers["Location"])
    assert f"L'inscription {rid} est annulée" in page.text
    assert "Annulée" in page.text
    j = bn.get(server.url("/gestion/journal"))
    assert f"inscription {rid}" in j.text and "Activité annulée par le prestataire" in j.text
    # The member sees it cancelled.
    m = Member(server)
    try:
        mine = m.get("/mes-inscriptions", accept="text/html").text
    finally:
        m.close()
    assert "Annulée" in mine
    # Twice: 409, nothing more.
    before_snap = snapshot(server)
    r = cancel(bn, server, rid)
    assert r.status_code == 409
    assert "déjà annulée" in r.text
    assert snapshot(server) == before_snap


def test_cancel_a_paid_registration_makes_a_refund_due(server, bn):
    rid = register_gael(server)
    server.sql("UPDATE registration SET status = 'payee' WHERE id = ?", (rid,))
    server.sql("INSERT INTO cmcas_order (reference, registration_id, household_id, "
               "cmcas_code, total, method, status, hold_until, created_at, updated_at) "
               "VALUES ('PAYEPAYEP', ?, 1, 'BN', 7000, 'paybox', 'payee', 'x', "
               "'2026-05-01T10:00:00Z', 'x')", (rid,))
    r = cancel(bn, server, rid, motif="Raison médicale")
    assert r.status_code == 303, r.text[:2000]
    assert server.sql("SELECT status FROM cmcas_order WHERE reference = 'PAYEPAYEP'") == [
        ("a_rembourser",)]
    dash = page_xml(bn, server, "/gestion/")
    assert dash.find("tableau-de-bord/compteurs").get("a-rembourser") == "1"
    after = server.sql("SELECT after FROM cmcas_audit")[0][0]
    assert "Commande PAYEPAYEP : Remboursement à effectuer" in after


def test_cancel_promotes_the_waiting_list(server, bn):
    """« Tour de rôle »: the published draw's waiting list gets the places back."""
    server.sql_script(
        "BEGIN;\n"
        f"UPDATE activity SET capacity = 2, places_taken = 2, draw_done_at = "
        f"'2026-01-01T00:00:00Z', draw_published_at = '2026-01-01T00:00:00Z' "
        f"WHERE id = {TDR};\n"
        "INSERT INTO registration (id, activity_id, household_id, status, places_held, "
        "selection, draw_rank, draw_persons, pay_by, created_at, updated_at) VALUES "
        f"(900, {TDR}, 1, 'validee', 2, 'retenue', 1, 2, '2099-01-01', 'x', 'x'), "
        f"(901, {TDR}, 2, 'validee', 0, 'attente', 2, 1, NULL, 'x', 'x');\n"
        "INSERT INTO registration_person (id, registration_id, person_id, confirmed) "
        "VALUES (9000, 900, 1, 1), (9001, 900, 2, 1), (9010, 901, 5, 1);\n"
        "INSERT INTO registration_option (registration_person_id, option_id) VALUES "
        "(9000, 37), (9001, 37), (9010, 37);\n"
        "COMMIT;\n")
    doc = page_xml(bn, server, f"/gestion/activite/{TDR}/inscriptions?statut=liste-attente")
    assert [i.get("id") for i in doc.findall("inscriptions/inscription")] == ["901"]
    assert doc.find("inscriptions/inscription").findtext("statut") == \
        "Liste d'attente (position 1)"
    r = cancel(bn, server, 900, motif="Désistement signalé par téléphone")
    assert r.status_code == 303, r.text[:2000]
    assert server.sql("SELECT status FROM registration WHERE id = 900") == [("annulee",)]
    assert server.sql("SELECT selection, places_held FROM registration WHERE id = 901") == [
        ("retenue", 1)]
    assert server.sql("SELECT places_taken FROM activity WHERE id = ?", (TDR,))[0][0] == 1
    assert server.sql("SELECT kind, household_id FROM cmcas_outbox ORDER BY id") == [
        ("cancelled", 1), ("promoted", 2)]
    doc = page_xml(bn, server, f"/gestion/activite/{TDR}/inscriptions?statut=retenue")
    assert [i.get("id") for i in doc.findall("inscriptions/inscription")] == ["901"]


def test_cancel_needs_a_reason(server, bn):
    rid = register_gael(server)
    before = snapshot(server)
    for motif in (None, "", "   ", "x" * 501):
        r = cancel(bn, server, rid, motif=motif)
        assert r.status_code == 400, (motif, r.status_code)
    assert snapshot(server) == before


def test_cancel_without_csrf_is_403(server, bn, expect_log):
    rid = register_gael(server)
    before = snapshot(server)
    r = cancel(bn, server, rid, token=False)
    assert r.status_code == 403
    r = cancel(bn, server, rid, token="0." + "0" * 64)
    assert r.status_code == 403
    assert snapshot(server) == before
    expect_log(r"CMCAS31: form refused for user 'gestion.bn'")


def test_get_on_the_cancel_action_is_not_found(server, bn):
    rid = register_gael(server)
    r = bn.get(server.url(f"/gestion/inscription/{rid}/annuler"))
    assert r.status_code in (404, 405)
    assert server.sql("SELECT status FROM registration WHERE id = ?", (rid,)) == [
        ("validee",)]


# ----------------------------------------------------------------------------------
# The CMCAS boundary


def test_other_cmcas_gets_404_and_changes_nothing(server, touraine):
    rid = register_gael(server)
    before = snapshot(server)
    for path in (f"/gestion/activite/{ACT}/inscriptions",
                 f"/gestion/activite/{ACT}/inscriptions.csv",
                 f"/gestion/activite/{ACT}/inscriptions?statut=nimporte"):
        r = touraine.get(server.url(path))
        assert r.status_code == 404, path
        assert "CLASSEN" not in r.text
    r = cancel(touraine, server, rid)
    assert r.status_code == 404
    assert snapshot(server) == before


def test_unknown_ids_are_404(server, bn):
    for path in ("/gestion/activite/999999/inscriptions",
                 "/gestion/activite/999999/inscriptions.csv",
                 "/gestion/activite/0/inscriptions", "/gestion/activite/abc/inscriptions",
                 "/gestion/activite/1/inscriptions/x"):
        assert bn.get(server.url(path)).status_code == 404, path
    assert cancel(bn, server, 999999).status_code == 404
