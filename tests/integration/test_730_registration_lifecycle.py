"""A registration's life: one per household and activity (coming back reopens it),
persons added after validation, « tour de rôle », places never exceeded, cancelling and
removing persons give places back, statuses and their history, « Mes inscriptions » and
a registration's own page."""

import datetime

import pytest

from cmcas_pages import main_text
from test_7_helpers import (Db, Member, GAEL, MARTINE, P_GAEL, P_AARON,
                            P_LOUANE, P_MARTINE, RE_STAMP, message, participants, pid,
                            total)
from test_7_helpers import db, clean, gael, martine  # noqa: F401 (fixtures)


def remaining(member, activity_id):
    xml = member.xml(f"/activite/{activity_id}").find("activite/remaining").text
    html = main_text(member.html(f"/activite/{activity_id}"))
    assert f"Nombre de places restantes : {xml}" in html
    return int(xml)


# ----------------------------------------------------------------------------------
# One registration per household and activity


def test_coming_back_reopens_the_same_registration(gael, martine, db):
    gael.add(1, P_GAEL)
    reg_id = db.registration(1)["id"]
    ins = gael.ins(1)
    assert ins.get("id") == str(reg_id) and ins.get("status") == "brouillon"
    assert [x["name"] for x in participants(ins)] == ["Gael CLASSEN"]
    gael.close()
    again = Member(gael.server)                     # another session, same household
    again.add(1, P_AARON)
    assert db.sql("SELECT count(*) FROM registration WHERE activity_id = 1 AND "
                  "household_id = 1") == [(1,)]
    assert [x["name"] for x in participants(again.ins(1))] == ["Gael CLASSEN",
                                                               "Aaron CLASSEN"]
    # another household has its own
    martine.add(1, P_MARTINE)
    assert db.registration(1, 2)["id"] != reg_id
    assert [x["name"] for x in participants(martine.ins(1))] == ["Martine DUPONT"]
    again.close()


def test_adding_to_a_validated_registration(gael, db):
    g = gael.register(1, [P_GAEL], option=1)[0]
    assert db.places(1) == 1 and remaining(gael, 1) == 9
    a = gael.add(1, P_AARON)
    ins = gael.ins(1)
    assert ins.get("status") == "validee"
    assert [(x["id"], x["confirmed"]) for x in participants(ins)] == [(g, True), (a, False)]
    assert ins.find("can").get("validate") == "1"
    doc = gael.html("/activite/1/inscription")
    assert "(en attente de validation)" in doc.find("h3", id=f"participant-{a}-nom").text
    assert "(en attente" not in doc.find("h3", id=f"participant-{g}-nom").text
    assert db.places(1) == 1 and db.registration(1)["places_held"] == 1
    # « Valider » again takes his place
    gael.do(1, "valider", options={a: [1]})
    ins = gael.ins(1)
    assert all(x["confirmed"] for x in participants(ins))
    assert ins.find("can").get("validate") == "0"
    assert db.places(1) == 2 and db.registration(1)["places_held"] == 2
    assert remaining(gael, 1) == 8
    assert total(ins) == 6000
    # validating a registration with nobody new: nothing more is taken
    gael.do(1, "valider")
    assert db.places(1) == 2


def test_tour_de_role_records_the_request_without_a_place(gael, db):
    g = gael.add(2, P_GAEL)
    gael.tick(2, {g: [2]})
    gael.do(2, "valider")
    doc = gael.html("/activite/2/inscription?info=valider")
    text = main_text(doc)
    assert ("Votre demande d'inscription est enregistrée. À la date de clôture, une "
            "sélection est faite ; un e-mail vous dira si vous êtes retenu(e).") in text
    assert "une sélection des participants est effectuée" in text
    reg = db.registration(2)
    assert (reg["status"], reg["places_held"]) == ("validee", 0)
    assert db.places(2) == 0 and remaining(gael, 2) == 50
    assert [x["confirmed"] for x in participants(gael.ins(2))] == [True]
    # cancelling gives nothing back (nothing was taken)
    gael.do(2, "annuler")
    assert db.places(2) == 0 and db.registration(2)["status"] == "annulee"


# ----------------------------------------------------------------------------------
# Capacity


def test_validation_takes_all_places_or_none(gael, db):
    db.sql("UPDATE activity SET capacity = 1 WHERE id = 1")
    pids = gael.register(1, [P_GAEL, P_AARON], option=1, validate=False)
    before = db.snapshot(updated_at=False)
    resp = gael.do(1, "valider", status=409)
    assert message(resp.ins) == ("Il n'y a plus assez de places pour 2 personnes : votre "
                                 "inscription n'est pas validée, votre brouillon est "
                                 "conservé.")
    assert db.snapshot(updated_at=False) == before
    reg = db.registration(1)
    assert (reg["status"], reg["places_held"]) == ("brouillon", 0)
    assert [(r["id"], r["confirmed"]) for r in db.participants(reg["id"])] \
        == [(pids[0], 0), (pids[1], 0)]
    assert db.places(1) == 0
    # the page keeps the draft
    ins = resp.ins
    assert [x["name"] for x in participants(ins)] == ["Gael CLASSEN", "Aaron CLASSEN"]
    assert ins.get("status") == "brouillon"
    # with one person it fits
    gael.do(1, f"retirer-{pids[1]}")
    gael.do(1, "valider")
    assert db.places(1) == 1 and remaining(gael, 1) == 0


def test_places_taken_by_others_count_at_once(gael, martine, db):
    db.sql("UPDATE activity SET capacity = 3 WHERE id = 1")
    assert remaining(gael, 1) == 3
    martine.register(1, [P_MARTINE, 6], option=1)
    assert remaining(gael, 1) == 1
    assert gael.xml("/").find(".//activity[@id='1']/remaining").text == "1"
    gael.register(1, [P_GAEL, P_AARON], option=1, validate=False)
    resp = gael.do(1, "valider", status=409)
    assert "plus assez de places" in message(resp.ins)
    assert db.places(1) == 2 and db.registration(1)["status"] == "brouillon"
    # martine cancels: now it fits
    martine.do(1, "annuler")
    assert remaining(gael, 1) == 3
    gael.do(1, "valider")
    assert db.places(1) == 2 and remaining(gael, 1) == 1


# ----------------------------------------------------------------------------------
# Cancelling, removing


def test_cancel_gives_the_places_back(gael, db):
    gael.register(1, [P_GAEL, P_AARON], option=1)
    assert db.places(1) == 2
    doc = gael.html("/activite/1/inscription")
    assert ("annuler", "Annuler votre inscription") in [
        (b.attrs.get("value"), b.text) for b in doc.find_all("button")]
    gael.do(1, "annuler")
    assert db.places(1) == 0
    reg = db.registration(1)
    assert (reg["status"], reg["places_held"]) == ("annulee", 0)
    assert all(r["confirmed"] == 0 for r in db.participants(reg["id"]))
    assert remaining(gael, 1) == 10
    ins = gael.ins(1)
    assert ins.get("status") == "annulee" and ins.get("status-label") == "Annulée"
    assert ins.find("can").get("cancel") == "0"
    doc = gael.html("/mes-inscriptions")
    row = doc.find("tbody").find("tr")
    assert row.find("td", data_label="Statut").text == "Annulée"
    info = gael.html("/activite/1/inscription?info=annuler")
    assert "Votre inscription est annulée." in main_text(info)
    # cancelling twice changes nothing
    before = db.snapshot(updated_at=False)
    gael.do(1, "annuler")
    assert db.snapshot(updated_at=False) == before


def test_cancel_of_a_draft(gael, db):
    gael.register(1, [P_GAEL], option=1, validate=False)
    gael.do(1, "annuler")
    assert db.registration(1)["status"] == "annulee" and db.places(1) == 0


def test_cancel_without_a_registration_stores_nothing(gael, db):
    before = db.snapshot()
    resp = gael.post(1, [("csrf", gael.token(1)), ("action", "annuler")])
    assert resp.status == 303
    assert db.snapshot() == before


def test_removing_a_confirmed_person_gives_one_place_back(gael, db):
    g, a = gael.register(1, [P_GAEL, P_AARON], option=1)
    assert db.places(1) == 2
    gael.do(1, f"retirer-{a}")
    reg = db.registration(1)
    assert (reg["status"], reg["places_held"]) == ("validee", 1)
    assert db.places(1) == 1 and remaining(gael, 1) == 9
    # the last one: the registration is cancelled
    gael.do(1, f"retirer-{g}")
    reg = db.registration(1)
    assert (reg["status"], reg["places_held"]) == ("annulee", 0)
    assert db.places(1) == 0
    assert db.participants(reg["id"]) == []


def test_removing_an_unconfirmed_person_gives_nothing_back(gael, db):
    gael.register(1, [P_GAEL], option=1)
    a = gael.add(1, P_AARON)
    gael.do(1, f"retirer-{a}")
    reg = db.registration(1)
    assert (reg["status"], reg["places_held"]) == ("validee", 1) and db.places(1) == 1


def test_adding_after_cancel_reopens_a_draft(gael, db):
    gael.register(1, [P_GAEL], option=1)
    gael.do(1, "annuler")
    reg_id = db.registration(1)["id"]
    a = gael.add(1, P_AARON)
    reg = db.registration(1)
    assert reg["id"] == reg_id
    assert (reg["status"], reg["places_held"]) == ("brouillon", 0)
    assert gael.ins(1).get("status") == "brouillon"
    gael.do(1, "valider", options={a: [1]})
    reg = db.registration(1)
    assert (reg["status"], reg["places_held"]) == ("validee", 2)
    assert db.places(1) == 2


# ----------------------------------------------------------------------------------
# History


def test_every_status_change_is_recorded(gael, db):
    t0 = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    gael.register(1, [P_GAEL], option=1)
    a = gael.add(1, P_AARON)
    gael.do(1, f"retirer-{a}")
    gael.do(1, "annuler")
    gael.add(1, P_LOUANE)
    t1 = datetime.datetime.now(datetime.timezone.utc)
    reg_id = db.registration(1)["id"]
    hist = gael.xml(f"/mes-inscriptions/{reg_id}").find("inscription/history")
    events = [(e.get("actor"), e.get("status"), e.text) for e in hist.findall("event")]
    assert events == [
        (GAEL, "brouillon", "Ajout de Gael CLASSEN"),
        (GAEL, "validee", "Inscription validée (1 personne)"),
        (GAEL, "validee", "Ajout de Aaron CLASSEN"),
        (GAEL, "validee", "Retrait de Aaron CLASSEN"),
        (GAEL, "annulee", "Inscription annulée"),
        (GAEL, "brouillon", "Ajout de Louane CLASSEN"),
    ]
    for e in hist.findall("event"):
        assert RE_STAMP.fullmatch(e.get("at")), e.get("at")
        at = datetime.datetime.strptime(e.get("at"), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
        assert t0 - datetime.timedelta(seconds=1) <= at <= t1
        assert e.get("local") == at.strftime("%d/%m/%Y %H:%M")     # the tests run in UTC
    assert [tuple(r) for r in db.events(reg_id)] == [
        (e.get("at"), e.get("actor"), e.get("status"), e.text)
        for e in hist.findall("event")]
    # shown on the page too
    doc = gael.html(f"/mes-inscriptions/{reg_id}")
    table = doc.find("table", cls="history-table")
    assert "Inscription annulée" in table.text and "Ajout de Louane CLASSEN" in table.text


# ----------------------------------------------------------------------------------
# « Mes inscriptions » and « Consulter »


def test_mes_inscriptions_lists_the_registrations(gael, martine, db):
    gael.register(1, [P_GAEL], option=1)
    gael.register(2, [P_GAEL], option=2, validate=False)
    gael.register(10, [P_GAEL])
    gael.do(10, "annuler")
    martine.register(1, [P_MARTINE], option=1)
    doc = gael.html("/mes-inscriptions")
    table = doc.find("table", cls="inscriptions-table")
    assert [th.text for th in table.find("thead").find_all("th")] == [
        "ID inscription", "Date de création de l'inscription", "Activité", "Statut",
        "Action(s)"]
    rows = table.find("tbody").find_all("tr")
    regs = {a: db.registration(a) for a in (1, 2, 10)}
    shown = []
    for tr in rows:
        tds = tr.find_all("td")
        link = tds[4].find("a")
        shown.append((tds[0].text, tds[1].text, tds[2].text, tds[3].text, link.text,
                      link.attrs["href"], tds[2].find("a").attrs["href"]))
    expected = []
    for a, title, label in ((10, None, "Annulée"), (2, "Journée Cité des Sciences II",
                                                    "Brouillon"),
                            (1, "Atelier gourmand", "Validée")):
        r = regs[a]
        title = title or db.sql("SELECT title FROM activity WHERE id = 10")[0][0]
        y, m, d = r["created_at"][:10].split("-")
        expected.append((str(r["id"]), f"{d}/{m}/{y}", title, label, "Consulter",
                         f"/mes-inscriptions/{r['id']}", f"/activite/{a}"))
    assert shown == expected                        # newest first, only this household
    root = gael.xml("/mes-inscriptions").find("inscriptions")
    assert [(i.get("id"), i.get("status"), i.find("activite").get("id"),
             i.find("created").get("iso")) for i in root.findall("inscription")] == [
        (str(regs[a]["id"]), regs[a]["status"], str(a), regs[a]["created_at"][:10])
        for a in (10, 2, 1)]


def test_mes_inscriptions_document_has_the_totals(gael, db):
    gael.register(1, [P_GAEL, P_AARON], option=1)
    item = gael.xml("/mes-inscriptions").find("inscriptions/inscription")
    assert item.find("total").get("cents") == "6000"
    assert item.find("total").text == "60,00\u00a0€"
    db.sql("UPDATE activity_option SET price_beneficiary = 3100 WHERE id = 1")
    item = gael.xml("/mes-inscriptions").find("inscriptions/inscription")
    assert item.find("total").get("cents") == "6200"


def test_payment_is_offered_only_when_due(gael, db):
    """« Procéder au paiement »: validated, paiement immédiat, total above zero."""
    gael.register(1, [P_GAEL], option=1, validate=False)     # draft
    gael.register(2, [P_GAEL], option=2)                     # tour de rôle
    gael.register(10, [P_GAEL])                              # free
    gael.register(3, [P_GAEL], option=3)                     # tour de rôle, 1 850 €
    assert gael.ins(1).find("pay") is None
    items = {i.find("activite").get("id"): i
             for i in gael.xml("/mes-inscriptions").findall("inscriptions/inscription")}
    assert all(i.find("pay") is None for i in items.values())
    gael.do(1, "valider")
    reg_id = db.registration(1)["id"]
    href = f"/mes-inscriptions/{reg_id}/paiement"
    assert gael.ins(1).find("pay").get("href") == href
    items = {i.find("activite").get("id"): i
             for i in gael.xml("/mes-inscriptions").findall("inscriptions/inscription")}
    assert items["1"].find("pay").get("href") == href
    assert [i for a, i in items.items() if a != "1" and i.find("pay") is not None] == []
    doc = gael.html("/activite/1/inscription")
    assert [a.attrs["href"] for a in doc.find_all("a") if a.text == "Procéder au paiement"] \
        == [href]
    doc = gael.html("/mes-inscriptions")
    assert [a.attrs["href"] for a in doc.find_all("a") if a.text == "Procéder au paiement"] \
        == [href]
    gael.do(1, "annuler")
    assert gael.ins(1).find("pay") is None


def test_consulter_shows_the_registration(gael, db):
    g, a = gael.register(1, [P_GAEL, P_AARON], option=1, validate=False)
    gael.do(1, "ajouter", extra=[("personne", "invite"), ("invite-nom", "PETIT"),
                                 ("invite-prenom", "Michel"),
                                 ("invite-naissance", "05/07/1975")])
    m = pid(gael.ins(1), "Michel")
    gael.do(1, "valider", options={m: [1]}, photo={a: True},
            observations="Végétarien.")
    reg_id = db.registration(1)["id"]
    doc = gael.html(f"/mes-inscriptions/{reg_id}")
    text = main_text(doc)
    assert doc.find("main").find("form") is None        # read-only
    arts = {x.find("h3").text: x.text for x in doc.find_all("article", cls="participant")}
    assert set(arts) == {"Gael CLASSEN", "Aaron CLASSEN", "Invité(e) : Michel PETIT"}
    assert "Pas d'accord pour être photographié(e)" in arts["Aaron CLASSEN"]
    assert "Accepte d'être photographié(e)" in arts["Gael CLASSEN"]
    for t in arts.values():
        assert "Atelier gourmand" in t
    assert "Montant : 40,00 €" in arts["Invité(e) : Michel PETIT"]
    assert "Date de naissance : 05/07/1975" in arts["Invité(e) : Michel PETIT"]
    assert "Végétarien." in text
    assert doc.find("p", cls="total").text == "Total : 100,00 €"
    assert "Validée" in text
    root = gael.xml(f"/mes-inscriptions/{reg_id}")
    assert root.get("name") == "consultation"
    ins = root.find("inscription")
    assert ins.get("id") == str(reg_id) and ins.get("status") == "validee"
    assert ins.get("csrf") is None and ins.get("action") is None
    assert ins.find("choices") is None and ins.find("can") is None
    assert total(ins) == 10000
    assert [(x["name"], x["photo"], x["options"]) for x in participants(ins)] == [
        ("Gael CLASSEN", False, [1]), ("Aaron CLASSEN", True, [1]),
        ("Michel PETIT", False, [1])]
    assert ins.findtext("observations") == "Végétarien."
    # the list links to it
    links = [x.attrs["href"] for x in gael.html("/mes-inscriptions").find_all("a")
             if x.text == "Consulter"]
    assert links == [f"/mes-inscriptions/{reg_id}"]


@pytest.mark.parametrize("path", ["/mes-inscriptions/0", "/mes-inscriptions/999",
                                  "/mes-inscriptions/abc", "/mes-inscriptions/-1"])
def test_unknown_registration_is_not_found(gael, path):
    gael.get(path, status=404)
