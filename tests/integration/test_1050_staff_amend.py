"""A paid registration changed by the CMCAS's staff at the member's request (issue 11):
GET/POST /gestion/inscription/{id}/modifier. An option added makes an adjustment order
of the difference that waits at the desk (the registration stays paid) and that staff
then record as paid; a person removed makes an order « Remboursement à effectuer » and
gives the place back; the member reads both in « Mes commandes ». The CMCAS boundary
(404, nothing changed), CSRF (403), bad input (400), no place left and not paid (409).
Both engines."""

import re

import pytest

from test_10_helpers import BN_STAFF, REGISTRATION_TABLES, STAFF_SECTIONS, T_STAFF
from test_10_helpers import desk_order, staff_token, today_fr
from test_10_helpers import staff_session as staff

# The expiry job runs every second: it must leave the adjustment orders alone.
CMCAS_SERVER = {"sections": STAFF_SECTIONS, "extra": "CMCASExpiryInterval 1"}


@pytest.fixture
def paid(server, sql):
    """Gael CLASSEN and the guest Michel PETIT on « Atelier gourmand » (« Atelier »,
    30 € + 40 €), which gets a second option « Repas » (15 €, guests 20 €); paid at the
    desk: (member session, registration id, {name: participant id}, repas option id)."""
    for t in REGISTRATION_TABLES:
        sql(f"DELETE FROM {t}")
    sql("DELETE FROM activity_option WHERE activity_id = 1 AND label = 'Repas'")
    sql("INSERT INTO activity_option (activity_id, position, label, price_beneficiary,"
        " participation_beneficiary, price_guest, participation_guest)"
        " VALUES (1, 2, 'Repas', 1500, 0, 2000, 0)")
    repas = sql("SELECT id FROM activity_option WHERE activity_id = 1 AND label = 'Repas'")[0][0]
    s, reg, ids, ref = desk_order(server, sql)
    with staff(BN_STAFF) as bn:
        assert pay(server, bn, ref, "70,00").status_code == 303
    assert sql("SELECT status FROM registration") == [("payee",)]
    yield s, reg, {"gael": ids[0], "michel": ids[1]}, str(repas)
    s.close()


@pytest.fixture
def bn(server):
    with staff(BN_STAFF) as s:
        yield s


def pay(server, s, ref, amount):
    return s.post(server.url(f"/gestion/commande/{ref}/paiement"),
                  data={"csrf": staff_token(s, server), "moyen": "cheque",
                        "montant": amount, "date": today_fr(), "note": ""},
                  allow_redirects=False)


def snapshot(sql):
    return {t: sql(f"SELECT * FROM {t} ORDER BY 1, 2")
            for t in ("cmcas_order", "cmcas_order_line", "cmcas_order_event",
                      "registration", "registration_person", "registration_option",
                      "registration_event", "cmcas_audit", "cmcas_outbox", "activity")}


def amend(server, s, reg, ids, repas, tok=None, **extra):
    """Posts the form: both participants « Atelier », plus `extra`."""
    data = {"csrf": tok if tok is not None else staff_token(s, server),
            "participant": [ids["gael"], ids["michel"]],
            "options-" + ids["gael"]: "1", "options-" + ids["michel"]: "1",
            "motif": "Demande de l'adhérent par téléphone"}
    data.update(extra)
    return s.post(server.url(f"/gestion/inscription/{reg}/modifier"), data=data,
                  allow_redirects=False)


def test_add_an_option_then_pay_its_difference(server, sql, paid, bn):
    s, reg, ids, repas = paid
    lst = bn.get(server.url("/gestion/activite/1/inscriptions")).text
    assert f'href="/gestion/inscription/{reg}/modifier"' in lst
    page = bn.get(server.url(f"/gestion/inscription/{reg}/modifier"))
    assert page.status_code == 200, page.text[:500]
    assert "Michel" in page.text and "70,00\u00a0€" in page.text and 'name="motif"' in page.text
    assert f'name="retirer-{ids["michel"]}"' in page.text
    x = bn.get(server.url(f"/gestion/inscription/{reg}/modifier"),
               headers={"Accept": "application/xml"}).text
    assert '<person id="2" role="AD">' in x and "<guest/>" in x
    r = amend(server, bn, reg, ids, repas, **{"options-" + ids["gael"]: ["1", repas]})
    assert r.status_code == 303, r.text[:800]
    ref = re.search(r"modifiee=([A-Z]{9})$", r.headers["Location"]).group(1)
    assert sql("SELECT status, total, method, adjustment FROM cmcas_order"
               " WHERE reference = ?", (ref,)) == [("attente_cmcas", 1500, "cmcas", 1)]
    assert sql("SELECT person, option_label, amount FROM cmcas_order_line l"
               " JOIN cmcas_order o ON o.id = l.order_id WHERE o.reference = ?", (ref,)) \
        == [("Gael CLASSEN", "Repas", 1500)]
    assert sql("SELECT status FROM registration") == [("payee",)]
    assert sql("SELECT actor, event FROM registration_event ORDER BY id")[-1] == \
        ("gestion.bn", "Modifiée par la CMCAS : Demande de l'adhérent par téléphone — "
                       "Gael CLASSEN : + Repas")
    assert sql("SELECT action, object FROM cmcas_audit ORDER BY id")[-1] == \
        ("Inscription modifiée", f"inscription {reg}")
    assert sql("SELECT kind, detail FROM cmcas_outbox ORDER BY id")[-1] == \
        ("order_desk", "Demande de l'adhérent par téléphone")
    done = bn.get(r.headers["Location"]).text
    assert ref in done and "15,00\u00a0€" in done
    # The member: the order to pay in « Mes commandes », not to cancel; « Repas » on the
    # registration; nothing to pay on the registration itself.
    assert ref in s.get(server.url("/mes-commandes")).text
    o = s.get(server.url(f"/mes-commandes/{ref}"), headers={"Accept": "application/xml"}).text
    assert 'status="attente_cmcas"' in o and 'cancel="0"' in o and 'adjustment="1"' in o
    assert "Repas" in s.get(server.url(f"/mes-inscriptions/{reg}")).text
    # The hold of an adjustment is « now »: the expiry job (every second) must not end it.
    import time
    time.sleep(2.5)
    assert sql("SELECT status FROM cmcas_order WHERE reference = ?", (ref,)) == \
        [("attente_cmcas",)]
    # The page says that a new change would replace it; the same choices posted again
    # change nothing (400), and it still waits.
    page = bn.get(server.url(f"/gestion/inscription/{reg}/modifier")).text
    assert ref in page and "la remplace" in page
    same = amend(server, bn, reg, ids, repas, **{"options-" + ids["gael"]: ["1", repas]})
    assert same.status_code == 400
    assert sql("SELECT status FROM cmcas_order WHERE reference = ?", (ref,)) == \
        [("attente_cmcas",)]
    # The desk records it: paid, the registration still paid.
    assert ref in bn.get(server.url("/gestion/commandes")).text
    r = pay(server, bn, ref, "15,00")
    assert r.status_code == 303, r.text[:800]
    assert sql("SELECT status FROM cmcas_order WHERE reference = ?", (ref,)) == [("payee",)]
    assert sql("SELECT status FROM registration") == [("payee",)]
    assert "Paiement accepté" in s.get(server.url("/mes-commandes")).text


def test_remove_a_person_refunds_and_gives_the_place_back(server, sql, paid, bn):
    s, reg, ids, repas = paid
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(2,)]
    r = amend(server, bn, reg, ids, repas, **{"retirer-" + ids["michel"]: "1"})
    assert r.status_code == 303, r.text[:800]
    ref = re.search(r"modifiee=([A-Z]{9})$", r.headers["Location"]).group(1)
    assert sql("SELECT status, total, adjustment FROM cmcas_order WHERE reference = ?",
               (ref,)) == [("a_rembourser", 4000, 1)]
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(1,)]
    assert sql("SELECT places_held FROM registration") == [(1,)]
    assert sql("SELECT COUNT(*) FROM registration_person") == [(1,)]
    x = bn.get(server.url("/gestion/commandes?etat=a-rembourser"),
               headers={"Accept": "application/xml"}).text
    assert f'<commande ref="{ref}" status="a_rembourser"' in x
    assert "Remboursement à effectuer" in s.get(server.url("/mes-commandes")).text
    oid = sql("SELECT id FROM cmcas_order WHERE reference = ?", (ref,))[0][0]
    told = "SELECT kind, detail FROM cmcas_outbox WHERE order_id = ? ORDER BY id"
    assert sql(told, (oid,)) == [("refund_due", "Demande de l'adhérent par téléphone")]
    r = bn.post(server.url(f"/gestion/commande/{ref}/remboursement"),
                data={"csrf": staff_token(bn, server), "moyen": "virement",
                      "date": today_fr(), "note": ""}, allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    assert "Remboursée" in s.get(server.url("/mes-commandes")).text
    assert sql(told, (oid,)) == [("refund_due", "Demande de l'adhérent par téléphone"),
                                 ("refunded", "virement")]


def test_nothing_changes_when_refused(server, sql, paid, bn, expect_log):
    _, reg, ids, repas = paid
    expect_log(r"CMCAS31: form refused for user 'gestion.bn' .*invalid or expired token")
    before = snapshot(sql)
    add_repas = {"options-" + ids["gael"]: ["1", repas]}
    # Another CMCAS's staff: 404, as for a missing one.
    with staff(T_STAFF) as t:
        assert t.get(server.url(f"/gestion/inscription/{reg}/modifier")).status_code == 404
        assert amend(server, t, reg, ids, repas, **add_repas).status_code == 404
    assert bn.get(server.url("/gestion/inscription/999999/modifier")).status_code == 404
    # CSRF.
    assert amend(server, bn, reg, ids, repas, tok="0.bad", **add_repas).status_code == 403
    # Bad input: no reason, a malformed id, nothing to change, an unknown option.
    assert amend(server, bn, reg, ids, repas, motif="", **add_repas).status_code == 400
    assert amend(server, bn, reg, ids, repas, personne="abc").status_code == 400
    assert amend(server, bn, reg, ids, repas).status_code == 400
    assert amend(server, bn, reg, ids, repas,
                 **{"options-" + ids["gael"]: "999999"}).status_code == 400
    # No place left for Aaron: 409.
    sql("UPDATE activity SET capacity = places_taken WHERE id = 1")
    before = snapshot(sql)
    r = amend(server, bn, reg, ids, repas, personne="2", **{"options-nouveau": "1"})
    assert r.status_code == 409 and "plus de place" in r.text
    assert snapshot(sql) == before
    # Not paid: the member changes it.
    sql("UPDATE registration SET status = 'validee'")
    r = bn.get(server.url(f"/gestion/inscription/{reg}/modifier"))
    assert r.status_code == 409 and "Mes inscriptions" in r.text
