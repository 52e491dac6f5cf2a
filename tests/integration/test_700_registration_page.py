"""The registration page (GET/POST /activite/{id}/inscription): the drop-down of the
household and « Invité(s) », the guest's fields and their errors, per person the option
check boxes with their prices, the photo opt-out, « Retirer », « Mes observations »; the
HTML form works without JavaScript (every action is a plain post of named fields)."""

import datetime

import pytest

from cmcas_pages import main_text
from test_7_helpers import (Browser, Db, Member, P_GAEL, P_AARON, P_LOUANE,
                            P_LAETITIA, RE_TOKEN, choices, message, page_form,
                            participants, pid, total)
from test_7_helpers import db, clean, gael, browser  # noqa: F401 (fixtures)


# ----------------------------------------------------------------------------------
# The drop-down


def test_dropdown_lists_the_household_then_guests(browser, gael):
    form = browser.open(1)
    select = browser.doc.find("select", name="personne")
    assert select.attrs["id"] == "personne"
    label = browser.doc.find("label", **{"for": "personne"})
    assert label.text == "Personne à inscrire"
    opts = [(o.attrs["value"], o.text) for o in select.find_all("option")]
    assert opts == [("1", "Gael CLASSEN"), ("2", "Aaron CLASSEN"), ("3", "Louane CLASSEN"),
                    ("4", "Laetitia BESSIERE"), ("invite", "Invité(s)")]
    assert form.value("personne") == "1"            # the OD first, selected by default
    # the data document: the OD, each AD, and <guest/>
    ins = gael.ins(1)
    ch = ins.find("choices")
    assert [(p.get("id"), p.get("role"), p.findtext("first-name"), p.findtext("last-name"))
            for p in ch.findall("person")] == [
        ("1", "OD", "Gael", "CLASSEN"), ("2", "AD", "Aaron", "CLASSEN"),
        ("3", "AD", "Louane", "CLASSEN"), ("4", "AD", "Laetitia", "BESSIERE")]
    assert ch.find("guest") is not None
    assert ins.get("status") == "nouvelle" and ins.get("id") is None
    assert RE_TOKEN.fullmatch(ins.get("csrf"))
    assert ins.get("action") == "/activite/1/inscription"
    assert participants(ins) == [] and total(ins) == 0


def test_guest_fields_are_labelled(browser):
    browser.open(1)
    fieldset = browser.doc.find("fieldset", cls="guest-fields")
    for name, label in (("invite-nom", "Nom"), ("invite-prenom", "Prénom"),
                        ("invite-naissance", "Date de naissance")):
        inp = fieldset.find("input", name=name)
        assert inp.attrs["type"] == "text"
        assert fieldset.find("label", **{"for": inp.attrs["id"]}).text == label
        assert inp.attrs["value"] == ""
    assert "jj/mm/aaaa" in fieldset.text.lower()


def test_a_person_added_is_not_offered_again(browser, gael, db):
    browser.open(1)
    browser.form.set("personne", str(P_AARON))
    browser.click("ajouter")
    # A draft is called a draft: nothing is registered until « Valider ».
    assert browser.alerts("info") == ["La personne a été ajoutée à votre brouillon : validez "
                                      "votre inscription pour la confirmer."]
    values = [o.attrs["value"] for o in browser.doc.find("select", name="personne")
              .find_all("option")]
    assert values == ["1", "3", "4", "invite"]
    assert "Aaron CLASSEN" in browser.article("Aaron").text
    ins = gael.ins(1)
    assert choices(ins) == [P_GAEL, P_LOUANE, P_LAETITIA, "invite"]
    # posting him again anyway: refused, nothing added
    before = db.snapshot(updated_at=False)
    resp = gael.do(1, "ajouter", extra=[("personne", str(P_AARON))], status=409)
    assert message(resp.ins) == "Aaron CLASSEN est déjà inscrit(e)."
    assert db.snapshot(updated_at=False) == before


def test_when_everyone_is_added_only_guests_remain(gael, browser):
    for p in (P_GAEL, P_AARON, P_LOUANE, P_LAETITIA):
        gael.add(1, p)
    browser.open(1)
    opts = browser.doc.find("select", name="personne").find_all("option")
    assert [(o.attrs["value"], o.text, "selected" in o.attrs) for o in opts] \
        == [("invite", "Invité(s)", True)]


# ----------------------------------------------------------------------------------
# Guests


@pytest.mark.parametrize("typed,iso", [("05/07/1975", "1975-07-05"),
                                       ("1975-07-05", "1975-07-05"),
                                       ("29/02/2000", "2000-02-29"),
                                       (" 01/01/1990 ", "1990-01-01")])
def test_guest_birth_date_formats(gael, db, typed, iso):
    p = gael.add(1, "invite", nom="PETIT", prenom="Michel", naissance=typed)
    ins = gael.ins(1)
    (guest,) = [x for x in participants(ins) if x["id"] == p]
    assert guest["kind"] == "guest" and guest["name"] == "Michel PETIT"
    assert guest["birth"] == iso
    assert guest["node"].find("birth").text == "/".join(reversed(iso.split("-")))
    row = db.participants(db.registration(1)["id"])[0]
    assert (row["person_id"], row["last_name"], row["first_name"], row["birth_date"]) \
        == (None, "PETIT", "Michel", iso)


def test_guest_names_up_to_100_characters(gael, db):
    last, first = "É" * 100, "a" * 100
    gael.add(1, "invite", nom=last, prenom=first, naissance="01/02/1990")
    row = db.participants(db.registration(1)["id"])[0]
    assert (row["last_name"], row["first_name"]) == (last, first)


def future(db):
    d = db.today() + datetime.timedelta(days=1)
    return d.strftime("%d/%m/%Y")


GUEST_ERRORS = [
    ("impossible-date", "PETIT", "Michel", "31/02/1971",
     "La date de naissance de l'invité n'est pas une date valide (format JJ/MM/AAAA)."),
    ("impossible-iso", "PETIT", "Michel", "1971-02-31", "n'est pas une date valide"),
    ("month-13", "PETIT", "Michel", "12/13/1990", "n'est pas une date valide"),
    ("not-a-date", "PETIT", "Michel", "hier", "n'est pas une date valide"),
    ("no-date", "PETIT", "Michel", "", "n'est pas une date valide"),
    ("future", "PETIT", "Michel", None, "La date de naissance de l'invité est dans le futur."),
    ("empty-last-name", "", "Michel", "05/07/1975",
     "Indiquez le nom de l'invité (1 à 100 caractères)."),
    ("blank-last-name", "   ", "Michel", "05/07/1975", "Indiquez le nom de l'invité"),
    ("empty-first-name", "PETIT", "", "05/07/1975",
     "Indiquez le prénom de l'invité (1 à 100 caractères)."),
    ("101-last-name", "P" * 101, "Michel", "05/07/1975", "Indiquez le nom de l'invité"),
    ("101-first-name", "PETIT", "é" * 101, "05/07/1975", "Indiquez le prénom de l'invité"),
]


@pytest.mark.parametrize("nom,prenom,naissance,msg", [g[1:] for g in GUEST_ERRORS],
                         ids=[g[0] for g in GUEST_ERRORS])
def test_guest_errors_answer_400_with_the_typed_values(gael, db, nom, prenom, naissance,
                                                       msg):
    gael.add(1, P_GAEL)
    if naissance is None:
        naissance = future(db)
    before = db.snapshot(updated_at=False)
    resp = gael.add(1, "invite", status=400, nom=nom, prenom=prenom, naissance=naissance)
    assert resp.page == "inscription"
    assert msg in message(resp.ins)
    # the field the message is about (the page ties them: aria-describedby)
    field = ("invite-nom" if "le nom" in msg else
             "invite-prenom" if "le prénom" in msg else "invite-naissance")
    assert resp.ins.find("message[@type='error']").get("field") == field
    gf = resp.ins.find("guest-form")
    assert (gf.get("nom"), gf.get("prenom"), gf.get("naissance")) == (nom, prenom, naissance)
    assert len(participants(resp.ins)) == 1         # the page, as it is
    assert db.snapshot(updated_at=False) == before


def test_guest_error_page_in_html(browser, db):
    browser.open(1)
    form = browser.form
    form.set("personne", "invite")
    form.set("invite-nom", "PETIT").set("invite-prenom", "Michel")
    form.set("invite-naissance", "31/02/1971")
    browser.click("ajouter", status=400)
    msg = "La date de naissance de l'invité n'est pas une date valide (format JJ/MM/AAAA)."
    # announced (role=alert), a link to its field, and said with the field itself
    summary = browser.doc.find("div", cls="error-summary")
    assert summary.attrs["role"] == "alert"
    assert [a.text for a in summary.find_all("a", href="#invite-naissance")] == [msg]
    field = browser.doc.find("input", id="invite-naissance")
    assert field.attrs["aria-invalid"] == "true"
    assert field.attrs["aria-describedby"].split() == ["invite-naissance-aide",
                                                      "invite-naissance-erreur"]
    assert browser.doc.find(id="invite-naissance-erreur").text == msg
    assert browser.doc.find("input", id="invite-nom").attrs.get("aria-invalid") is None
    form = browser.form
    assert form.value("invite-nom") == "PETIT"
    assert form.value("invite-prenom") == "Michel"
    assert form.value("invite-naissance") == "31/02/1971"
    assert form.value("personne") == "invite"       # « Invité(s) » stays selected
    assert db.registration(1) is None or db.participants(db.registration(1)["id"]) == []
    # corrected, it passes
    form.set("invite-naissance", "28/02/1971")
    browser.click("ajouter")
    assert "Invité(e) : Michel PETIT" in browser.article("Michel").text
    assert "Date de naissance : 28/02/1971" in browser.article("Michel").text


# ----------------------------------------------------------------------------------
# Per person: options, photo, « Retirer »


def test_each_person_has_option_boxes_with_prices(gael, browser):
    g = gael.add(1, P_GAEL)
    m = gael.add(1, "invite", nom="PETIT", prenom="Michel", naissance="05/07/1975")
    browser.open(1)
    for who, p, price, particip in (("Gael", g, "Montant : 30,00 €",
                                     "Participation CMCAS : 10,00 €"),
                                    ("Michel", m, "Montant : 40,00 €",
                                     "Pas de participation CMCAS")):
        art = browser.article(who)
        boxes = art.find("fieldset", cls="participant-options").find_all("input")
        assert [(b.attrs["type"], b.attrs["name"], b.attrs["value"]) for b in boxes] \
            == [("checkbox", f"options-{p}", "1")]
        assert "checked" not in boxes[0].attrs
        label = art.find("label", **{"for": boxes[0].attrs["id"]})
        assert "Atelier gourmand" in label.text
        assert price in label.text and particip in label.text
        photo = art.find("input", name=f"photo-{p}")
        assert (photo.attrs["type"], photo.attrs["value"]) == ("checkbox", "1")
        assert art.find("label", **{"for": photo.attrs["id"]}).text == (
            "Pas d'accord pour être pris en photo/vidéo et qu'elles soient diffusées")
        button = art.find("button", value=f"retirer-{p}")
        assert (button.attrs["name"], button.text) == ("action", "Retirer")
        assert art.find("input", name="participant").attrs["value"] == str(p)
    # the same in the data document
    ins = gael.ins(1)
    (pg, pm) = ins.findall("participant")
    assert pg.find("option/price").get("cents") == "3000"
    assert pg.find("option/participation").get("cents") == "1000"
    assert pm.find("option/price").get("cents") == "4000"
    assert pm.find("option/participation").get("cents") == "0"


def test_ticked_options_are_stored_and_shown(gael, browser, db):
    p = gael.add(1, P_GAEL)
    browser.open(1)
    browser.form.check(f"options-{p}", "1")
    browser.click("enregistrer")
    assert browser.alerts("info") == ["Votre brouillon est enregistré. Il n'est pas encore une "
                                      "inscription : cliquez sur « Valider votre "
                                      "inscription »."]
    assert page_form(browser.doc).checked(f"options-{p}", "1")
    assert db.participants(db.registration(1)["id"])[0]["options"] == [1]
    assert "Montant pour cette personne : 30,00 €" in browser.article("Gael").text
    # unticked (an unchecked box is not posted): stored as none
    browser.form.check(f"options-{p}", "1", on=False)
    browser.click("enregistrer")
    assert db.participants(db.registration(1)["id"])[0]["options"] == []
    assert not browser.form.checked(f"options-{p}", "1")


def test_photo_optout_is_stored_and_shown(gael, browser, db):
    g = gael.add(1, P_GAEL)
    a = gael.add(1, P_AARON)
    browser.open(1)
    browser.form.check(f"photo-{a}")
    browser.click("enregistrer")
    rows = {r["id"]: r["photo_optout"] for r in db.participants(db.registration(1)["id"])}
    assert rows == {g: 0, a: 1}
    assert browser.form.checked(f"photo-{a}") and not browser.form.checked(f"photo-{g}")
    ins = gael.ins(1)
    assert [(x["id"], x["photo"]) for x in participants(ins)] == [(g, False), (a, True)]
    # shown on the registration's own page too
    doc = gael.html(f"/mes-inscriptions/{db.registration(1)['id']}")
    arts = {a.find("h3").text: a.text for a in doc.find_all("article", cls="participant")}
    assert "Pas d'accord pour être photographié(e)" in arts["Aaron CLASSEN"]
    assert "Accepte d'être photographié(e)" in arts["Gael CLASSEN"]
    # and taken back
    browser.form.check(f"photo-{a}", on=False)
    browser.click("enregistrer")
    assert all(r["photo_optout"] == 0 for r in db.participants(db.registration(1)["id"]))


def test_retirer_removes_the_person(gael, browser, db):
    gael.add(1, P_GAEL)
    a = gael.add(1, P_AARON)
    browser.open(1)
    browser.click(f"retirer-{a}")
    assert browser.alerts("info") == ["La personne a été retirée de votre inscription."]
    assert [x["name"] for x in participants(gael.ins(1))] == ["Gael CLASSEN"]
    assert [r["person_id"] for r in db.participants(db.registration(1)["id"])] == [P_GAEL]
    # Aaron is offered again
    assert P_AARON in choices(gael.ins(1))


# ----------------------------------------------------------------------------------
# « Mes observations »


def test_observations_are_stored_and_shown(gael, browser, db):
    gael.add(1, P_GAEL)
    browser.open(1)
    assert browser.doc.find("label", **{"for": "observations"}).text == "Mes observations"
    text = "Allergie aux arachides.\r\nArrivée vers 10h15 — « merci » & <bonjour>"
    browser.form.set("observations", text)
    browser.click("enregistrer")
    stored = db.registration(1)["observations"]
    assert stored.replace("\r\n", "\n") == text.replace("\r\n", "\n")
    assert browser.form.value("observations").replace("\r\n", "\n").strip("\n") \
        == text.replace("\r\n", "\n")
    assert gael.ins(1).findtext("observations").replace("\r\n", "\n") \
        == text.replace("\r\n", "\n")


def test_observations_of_2000_characters_pass(gael, db):
    gael.add(1, P_GAEL)
    text = "é" * 2000                       # characters, not bytes
    gael.do(1, "enregistrer", observations=text)
    assert db.registration(1)["observations"] == text


def test_observations_over_2000_characters_are_refused(gael, db):
    gael.add(1, P_GAEL)
    gael.do(1, "enregistrer", observations="avant")
    before = db.snapshot()
    resp = gael.do(1, "enregistrer", observations="x" * 2001, status=400)
    assert resp.page == "erreur"
    assert resp.root.find("erreur").get("status") == "400"
    assert "observations" in resp.root.findtext("erreur/message")
    assert db.snapshot() == before
    assert db.registration(1)["observations"] == "avant"


# ----------------------------------------------------------------------------------
# Without JavaScript: one form, named fields, submit buttons


def test_the_form_is_plain_html(gael, browser):
    gael.add(1, P_GAEL)
    g = pid(gael.ins(1), "Gael")
    form = browser.open(1)
    assert form.method == "post" and form.action == "/activite/1/inscription"
    assert form.node.attrs.get("enctype") in (None, "application/x-www-form-urlencoded")
    csrf = form.node.find("input", name="csrf")
    assert csrf.attrs["type"] == "hidden" and RE_TOKEN.fullmatch(csrf.attrs["value"])
    buttons = {value: text for name, value, text in form.buttons() if name == "action"}
    assert buttons["ajouter"] == "Ajouter"
    assert buttons["valider"] == "Valider votre inscription"
    assert buttons["enregistrer"] == "Mettre à jour le total"
    assert buttons["annuler"] == "Annuler votre inscription"
    assert buttons[f"retirer-{g}"] == "Retirer"
    assert all(name == "action" for name, _, _ in form.buttons())
    # every control the contract names, and nothing that needs a script
    names = set(form.names())
    assert {"csrf", "action", "personne", "invite-nom", "invite-prenom",
            "invite-naissance", "participant", f"options-{g}", f"photo-{g}",
            "observations"} <= names
    for n in browser.doc.iter():
        assert not any(k.startswith("on") for k in n.attrs), n.attrs
        assert not (n.attrs.get("href") or "").startswith("javascript:")
    # the first submit button (Enter in a text field) is « Ajouter », never a removal
    assert form.buttons()[0][1] == "ajouter"
    assert "Montant total de votre inscription" in main_text(browser.doc)
    assert browser.total_text() == "Total : 0,00 €"


def test_without_anyone_to_add_enter_only_saves(gael, browser):
    for p in (P_GAEL, P_AARON, P_LOUANE, P_LAETITIA, "invite", "invite"):
        if p == "invite":
            gael.add(1, p, nom="PETIT", prenom="Michel", naissance="05/07/1975")
        else:
            gael.add(1, p)
    form = browser.open(1)
    assert browser.doc.find("select", name="personne") is None
    assert "Toutes les personnes de votre foyer sont inscrites." in browser.text()
    assert form.buttons()[0][1] == "enregistrer"


def test_empty_registration_page_stores_nothing(gael, db):
    for path in ("/activite/1/inscription", "/activite/2/inscription"):
        gael.xml(path)
        gael.html(path)
    assert db.snapshot()["registration"] == []
    assert gael.xml("/mes-inscriptions").find("inscriptions").findall("inscription") == []
