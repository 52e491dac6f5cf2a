"""« Montant total de votre inscription »: computed by the server from the database
prices, never from posted amounts; the tutorial's flow (Gael, Aaron, the guest PETIT
Michel, Aaron removed, the photo opt-out, « Valider ») done with the HTML form only."""

import pytest

from cmcas_pages import main_text
from test_7_helpers import (Browser, Db, Member, P_GAEL, P_AARON, participants, pid,
                            total)
from test_7_helpers import db, clean, gael, browser  # noqa: F401 (fixtures)


def test_tutorial_flow_with_the_html_form(browser, gael, db):
    b = browser
    b.open(1)
    assert b.total_text() == "Total : 0,00 €"
    # Gael (OD) + the option: 30,00 €
    b.form.set("personne", str(P_GAEL))
    b.click("ajouter")
    g = b.participant_id("Gael")
    assert b.total_text() == "Total : 0,00 €"
    b.form.check(f"options-{g}", "1")
    b.click("enregistrer")
    assert b.total_text() == "Total : 30,00 €"
    # Aaron + the option: 60,00 € (his box ticked, then « Mettre à jour le total »)
    b.form.set("personne", str(P_AARON))
    b.click("ajouter")
    a = b.participant_id("Aaron")
    b.form.check(f"options-{a}", "1")
    b.click("enregistrer")
    assert b.total_text() == "Total : 60,00 €"
    # the guest PETIT Michel + the option (40,00 €, no participation): 100,00 €
    b.form.set("personne", "invite")
    b.form.set("invite-nom", "PETIT").set("invite-prenom", "Michel")
    b.form.set("invite-naissance", "05/07/1975")
    b.click("ajouter")
    m = b.participant_id("Michel")
    assert b.form.checked(f"options-{g}", "1") and b.form.checked(f"options-{a}", "1")
    b.form.check(f"options-{m}", "1")
    b.click("enregistrer")
    assert b.total_text() == "Total : 100,00 €"
    assert "Montant pour cette personne : 40,00 €" in b.article("Michel").text
    assert "Pas de participation CMCAS" in b.article("Michel").text
    # « Retirer » Aaron: 70,00 €
    b.click(f"retirer-{a}")
    assert b.total_text() == "Total : 70,00 €"
    assert [x["name"] for x in participants(gael.ins(1))] == ["Gael CLASSEN",
                                                              "Michel PETIT"]
    # the photo opt-out, then « Valider votre inscription »
    b.form.check(f"photo-{g}")
    b.click("valider")
    assert b.alerts("info") == ["Votre inscription est validée : vos places sont "
                                "réservées."]
    assert b.total_text() == "Total : 70,00 €"
    text = main_text(b.doc)
    assert "Montant total de votre inscription" in text
    assert "Validée" in b.doc.find("span", cls="status-validee").text
    ins = gael.ins(1)
    assert ins.get("status") == "validee" and ins.get("status-label") == "Validée"
    assert ins.find("total").get("cents") == "7000"
    assert ins.find("total").text == "70,00\u00a0€"
    parts = participants(ins)
    assert [(x["name"], x["kind"], x["options"], x["photo"], x["confirmed"], x["amount"])
            for x in parts] == [("Gael CLASSEN", "OD", [1], True, True, 3000),
                                ("Michel PETIT", "guest", [1], False, True, 4000)]
    # in the database
    reg = db.registration(1)
    assert (reg["status"], reg["places_held"]) == ("validee", 2)
    assert db.places(1) == 2
    rows = db.participants(reg["id"])
    assert [(r["person_id"], r["last_name"], r["first_name"], r["birth_date"],
             r["photo_optout"], r["confirmed"], r["options"]) for r in rows] == [
        (P_GAEL, None, None, None, 1, 1, [1]),
        (None, "PETIT", "Michel", "1975-07-05", 0, 1, [1])]
    # « Nombre de places restantes » follows at once
    assert "Nombre de places restantes : 8" in main_text(gael.html("/activite/1"))


def test_total_follows_the_database_prices(gael, db):
    g, _ = gael.register(1, [P_GAEL, P_AARON], option=1, validate=False)
    gael.add(1, "invite", nom="PETIT", prenom="Michel", naissance="05/07/1975")
    m = pid(gael.ins(1), "Michel")
    gael.tick(1, {m: [1]})
    gael.do(1, "valider")
    assert total(gael.ins(1)) == 3000 + 3000 + 4000
    db.sql("UPDATE activity_option SET price_beneficiary = 3550, "
           "participation_beneficiary = 1200, price_guest = 4125 WHERE id = 1")
    ins = gael.ins(1)
    assert total(ins) == 3550 + 3550 + 4125
    assert ins.find("total").text == "112,25\u00a0€"
    opt = ins.find("participant/option")
    assert (opt.findtext("price"), opt.findtext("participation")) == ("35,50\u00a0€", "12,00\u00a0€")
    assert ins.findall("participant")[2].find("option/price").text == "41,25\u00a0€"
    doc = gael.html("/activite/1/inscription")
    assert doc.find("p", cls="total").text == "Total : 112,25 €"
    # the registration's own page too
    reg_id = db.registration(1)["id"]
    cons = gael.xml(f"/mes-inscriptions/{reg_id}").find("inscription")
    assert total(cons) == 11225
    assert gael.html(f"/mes-inscriptions/{reg_id}").find("p", cls="total").text \
        == "Total : 112,25 €"
    # an option becoming free
    db.sql("UPDATE activity_option SET price_beneficiary = 0, price_guest = 0 WHERE id = 1")
    assert total(gael.ins(1)) == 0


def test_total_counts_only_ticked_options(gael, db):
    g = gael.add(3, P_GAEL)
    m = gael.add(3, "invite", nom="PETIT", prenom="Michel", naissance="05/07/1975")
    # activity 3: 185000/240000, 32000/32000, 21000/26000
    gael.tick(3, {g: [3, 5], m: [3, 4, 5]})
    ins = gael.ins(3)
    assert [x["amount"] for x in participants(ins)] == [185000 + 21000,
                                                        240000 + 32000 + 26000]
    assert total(ins) == 185000 + 21000 + 240000 + 32000 + 26000
    assert ins.find("total").text == "5\u00a0040,00\u00a0€"
    gael.tick(3, {g: [], m: [4]})
    assert total(gael.ins(3)) == 32000


@pytest.mark.parametrize("forged", [
    [("total", "1")], [("price", "0")], [("total", "0"), ("price", "0"), ("montant", "0")],
    [("amount", "1")], [("prix", "0"), ("participation", "99999")]])
def test_posted_amounts_change_nothing(gael, db, forged):
    g = gael.add(1, P_GAEL)
    gael.tick(1, {g: [1]})
    for action in ("enregistrer", "valider"):
        ins = gael.ins(1)
        fields = gael.state(ins) + [("action", action)] + forged
        resp = gael.post(1, fields)
        assert resp.status in (303, 400), resp
        ins = gael.ins(1)
        assert total(ins) == 3000
        assert ins.find("total").text == "30,00\u00a0€"
    assert db.sql("SELECT price_beneficiary, participation_beneficiary, price_guest "
                  "FROM activity_option WHERE id = 1") == [(3000, 1000, 4000)]


def test_enregistrer_recomputes_without_other_change(gael, db):
    g = gael.add(1, P_GAEL)
    before = db.snapshot(updated_at=False)
    gael.do(1, "enregistrer")
    assert db.snapshot(updated_at=False) == before
    gael.do(1, "enregistrer", options={g: [1]})
    assert total(gael.ins(1)) == 3000
    assert db.registration(1)["status"] == "brouillon"
