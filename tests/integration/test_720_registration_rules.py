"""Who may register: guests (allowed, limit per household), ages on the start date, at
least one option per person to validate, the closing date, members of other CMCAS; and
the detail page showing that eligibility. A refusal answers the registration page with
409 and a French message, and changes nothing."""

import re

import pytest

from cmcas_httpd import utc_day
from cmcas_pages import main_text
from test_7_helpers import (Db, Member, SOPHIE, P_GAEL, P_AARON, P_LOUANE,
                            P_SOPHIE, P_HUGO, choices, message, participants)
from test_7_helpers import db, clean, gael, sophie  # noqa: F401 (fixtures)


def refused(member, db, activity_id, action, extra=(), status=409, **changes):
    """Posts an action that a rule refuses: the page with `status`, nothing changed.
    Returns the error message."""
    before = db.snapshot(updated_at=False)
    resp = member.do(activity_id, action, extra=extra, status=status, **changes)
    assert resp.page == "inscription"
    msg = message(resp.ins)
    assert msg, resp
    assert db.snapshot(updated_at=False) == before
    return msg


def guest(n):
    return [("personne", "invite"), ("invite-nom", f"INVITE{n}"),
            ("invite-prenom", "Jean"), ("invite-naissance", "01/01/1980")]


# ----------------------------------------------------------------------------------
# Guests


def test_at_most_two_guests_on_the_atelier(gael, db, server):
    gael.add(1, P_GAEL)
    gael.do(1, "ajouter", extra=guest(1))
    assert "invite" in choices(gael.ins(1))
    gael.do(1, "ajouter", extra=guest(2))
    ins = gael.ins(1)
    assert "invite" not in choices(ins)
    assert [x["kind"] for x in participants(ins)] == ["OD", "guest", "guest"]
    doc = gael.html("/activite/1/inscription")
    assert "invite" not in [o.attrs["value"] for o in
                            doc.find("select", name="personne").find_all("option")]
    assert doc.find("fieldset", cls="guest-fields") is None
    msg = refused(gael, db, 1, "ajouter", extra=guest(3))
    assert msg == "Cette activité accepte au plus 2 invités par foyer."


def test_one_guest_on_activity_13(gael, db):
    gael.add(13, P_GAEL)
    gael.do(13, "ajouter", extra=guest(1))
    msg = refused(gael, db, 13, "ajouter", extra=guest(2))
    assert msg == "Cette activité accepte au plus 1 invité par foyer."


def test_no_guests_on_activity_9(gael, db):
    gael.add(9, P_GAEL)
    ins = gael.ins(9)
    assert "invite" not in choices(ins)
    doc = gael.html("/activite/9/inscription")
    values = [o.attrs["value"] for o in doc.find("select", name="personne")
              .find_all("option")]
    assert "invite" not in values and values
    assert "Invité(s)" not in main_text(doc).replace("Invité(s) :", "")
    assert doc.find("input", name="invite-nom") is None
    msg = refused(gael, db, 9, "ajouter", extra=guest(1))
    assert msg == "Cette activité n'accepte pas d'invités."


def test_a_refused_first_post_stores_no_registration(gael, db):
    before = db.snapshot()
    resp = gael.post(9, [("csrf", gael.token(9)), ("action", "ajouter")] + guest(1))
    assert resp.status == 409
    assert db.snapshot() == before
    assert gael.xml("/mes-inscriptions").find("inscriptions/inscription") is None


# ----------------------------------------------------------------------------------
# Ages on the activity's start date


def test_ages_6_to_12_on_activity_32(gael, db):
    louane = gael.add(32, P_LOUANE)
    assert [x["id"] for x in participants(gael.ins(32))] == [louane]
    msg = refused(gael, db, 32, "ajouter", extra=[("personne", str(P_AARON))])
    assert msg == ("Aaron CLASSEN aura 14 ans le jour de l'activité, qui est ouverte "
                   "jusqu'à 12 ans.")
    msg = refused(gael, db, 32, "ajouter", extra=[("personne", str(P_GAEL))])
    assert msg.startswith("Gael CLASSEN aura 45 ans")
    # a guest too is checked on his birth date
    msg = refused(gael, db, 32, "ajouter", extra=[
        ("personne", "invite"), ("invite-nom", "PETIT"), ("invite-prenom", "Paul"),
        ("invite-naissance", "01/01/2022")])
    assert msg == ("Paul PETIT aura 4 ans le jour de l'activité, qui est ouverte "
                   "à partir de 6 ans.")
    gael.do(32, "ajouter", extra=[("personne", "invite"), ("invite-nom", "PETIT"),
                                  ("invite-prenom", "Zoé"), ("invite-naissance",
                                                            "2016-05-01")])


def test_age_on_the_start_date_not_today(gael, db):
    """Someone who turns 12 between today and the start date is 12 on the start date."""
    start = db.sql("SELECT start_date FROM activity WHERE id = 32")[0][0]
    y, m, d = start.split("-")
    gael.add(32, P_LOUANE)
    born_13_years_before = f"{d}/{m}/{int(y) - 13}"     # 13 on the start date: refused
    born_12_years_before = f"{d}/{m}/{int(y) - 12}"     # 12 on the start date: accepted
    msg = refused(gael, db, 32, "ajouter", extra=[
        ("personne", "invite"), ("invite-nom", "A"), ("invite-prenom", "Treize"),
        ("invite-naissance", born_13_years_before)])
    assert "aura 13 ans" in msg
    gael.do(32, "ajouter", extra=[("personne", "invite"), ("invite-nom", "A"),
                                  ("invite-prenom", "Douze"),
                                  ("invite-naissance", born_12_years_before)])


def test_adults_only_on_activity_42_of_another_cmcas(gael, db):
    gael.add(42, P_GAEL)
    msg = refused(gael, db, 42, "ajouter", extra=[("personne", str(P_AARON))])
    assert msg == ("Aaron CLASSEN aura 14 ans le jour de l'activité, qui est ouverte "
                   "à partir de 18 ans.")
    assert "invite" not in choices(gael.ins(42))


def test_minimum_age_12_on_activity_13(gael, db):
    gael.add(13, P_AARON)
    msg = refused(gael, db, 13, "ajouter", extra=[("personne", str(P_LOUANE))])
    assert "Louane CLASSEN aura 8 ans" in msg and "à partir de 12 ans" in msg


# ----------------------------------------------------------------------------------
# Options


def test_validation_needs_an_option_per_person(gael, db):
    g = gael.add(1, P_GAEL)
    a = gael.add(1, P_AARON)
    gael.tick(1, {g: [1]})
    msg = refused(gael, db, 1, "valider")
    assert msg == "Choisissez au moins une option pour Aaron CLASSEN."
    assert db.registration(1)["status"] == "brouillon" and db.places(1) == 0
    gael.do(1, "valider", options={a: [1]})         # ticked in the same post: saved first
    assert db.registration(1)["status"] == "validee" and db.places(1) == 2


def test_validation_needs_someone(gael, db):
    g = gael.add(1, P_GAEL)
    gael.do(1, f"retirer-{g}")
    msg = refused(gael, db, 1, "valider")
    assert msg == "Ajoutez au moins une personne avant de valider votre inscription."


def test_activity_without_options_validates_without_any(gael, db):
    gael.add(10, P_GAEL)
    assert participants(gael.ins(10))[0]["offered"] == []
    gael.do(10, "valider")
    assert db.registration(10)["status"] == "validee" and db.places(10) == 1


def test_a_validated_person_keeps_an_option(gael, db):
    g = gael.register(1, [P_GAEL], option=1)[0]
    msg = refused(gael, db, 1, "enregistrer", options={g: []})
    assert msg == "Choisissez au moins une option pour Gael CLASSEN."
    assert db.participants(db.registration(1)["id"])[0]["options"] == [1]


# ----------------------------------------------------------------------------------
# Closing date


@pytest.mark.parametrize("activity_id", [20, 26])
def test_closed_activity_page_is_read_only(gael, activity_id):
    doc = gael.html(f"/activite/{activity_id}/inscription")
    main = doc.find("main")
    assert doc.find("form", id="inscription-form") is None
    assert main.find("form") is None
    assert main.find("select") is None and main.find("button") is None
    assert main.find("input") is None and main.find("textarea") is None
    assert "Les inscriptions sont closes." in main_text(doc)
    ins = gael.ins(activity_id)
    assert ins.find("activite").get("open") == "0"
    assert ins.find("choices") is None
    assert (ins.find("can").get("validate"), ins.find("can").get("cancel")) == ("0", "0")


@pytest.mark.parametrize("activity_id", [20, 26])
@pytest.mark.parametrize("action,extra", [
    ("ajouter", [("personne", "1")]),
    ("ajouter", [("personne", "invite"), ("invite-nom", "A"), ("invite-prenom", "B"),
                 ("invite-naissance", "01/01/1980")]),
    ("enregistrer", []), ("valider", []), ("annuler", []), ("retirer-1", [])])
def test_closed_activity_refuses_every_post(gael, db, activity_id, action, extra):
    msg = refused(gael, db, activity_id, action, extra=extra)
    closing = db.sql("SELECT closing_date FROM activity WHERE id = ?",
                     (activity_id,))[0][0]
    y, m, d = closing.split("-")
    assert "sont closes" in msg and f"{d}/{m}/{y}" in msg
    assert db.registration(activity_id) is None


def test_closed_activity_keeps_an_existing_registration(gael, db):
    """A registration validated before the closing date: nothing may change it."""
    db.sql("UPDATE activity SET places_taken = 1 WHERE id = 26")
    db.sql("INSERT INTO registration (id, activity_id, household_id, status, places_held,"
           " created_at, updated_at) VALUES (77, 26, 1, 'validee', 1, "
           "'2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z')")
    db.sql("INSERT INTO registration_person (id, registration_id, person_id, confirmed) "
           "VALUES (770, 77, 1, 1)")
    ins = gael.ins(26)
    assert ins.get("id") == "77" and ins.get("status") == "validee"
    assert [x["name"] for x in participants(ins)] == ["Gael CLASSEN"]
    doc = gael.html("/activite/26/inscription")
    assert doc.find("main").find("form") is None and "Gael CLASSEN" in main_text(doc)
    for action in ("annuler", "retirer-770", "valider", "enregistrer"):
        msg = refused(gael, db, 26, action)
        assert "sont closes" in msg
    assert db.registration(26)["status"] == "validee" and db.places(26) == 1


def test_closing_day_itself_is_open(gael, db):
    db.sql("UPDATE activity SET closing_date = ? WHERE id = 1", (utc_day(),))
    gael.add(1, P_GAEL)
    db.sql("UPDATE activity SET closing_date = ? WHERE id = 1", (utc_day(-1),))
    msg = refused(gael, db, 1, "ajouter", extra=[("personne", str(P_AARON))])
    assert "sont closes" in msg


# ----------------------------------------------------------------------------------
# Members of other CMCAS (sophie.martin, TOURAINE, on the BN portal)


def test_bn_activity_reserved_to_bn(sophie, db):
    ins = sophie.ins(1)
    assert ins.find("activite/eligibility").get("others") == "0"
    msg = refused(sophie, db, 1, "ajouter", extra=[("personne", str(P_SOPHIE))])
    assert msg == ("Cette activité est réservée aux bénéficiaires de la CMCAS "
                   "Berry-Nivernais.")
    assert db.registration(1, 4) is None


@pytest.mark.parametrize("activity_id,option", [(3, 3), (16, 19), (24, 25), (36, 42)])
def test_bn_activity_open_to_others(sophie, db, activity_id, option):
    p = sophie.add(activity_id, P_SOPHIE)
    sophie.tick(activity_id, {p: [option]})
    sophie.do(activity_id, "valider")
    reg = db.registration(activity_id, 4)
    assert reg["status"] == "validee"
    immediate = db.sql("SELECT mode FROM activity WHERE id = ?",
                       (activity_id,))[0][0] == "immediat"
    assert db.places(activity_id) == (1 if immediate else 0)


def test_other_cmcas_member_rules_still_apply(sophie, db):
    """Karting (16) is open from 14: Hugo (11) is refused."""
    sophie.add(16, P_SOPHIE)
    msg = refused(sophie, db, 16, "ajouter", extra=[("personne", str(P_HUGO))])
    assert "Hugo MARTIN aura 11 ans" in msg


# ----------------------------------------------------------------------------------
# The detail page shows the eligibility


def infos(doc):
    return [li.text for li in doc.find("ul", cls="infos-list").children
            if getattr(li, "tag", None) == "li"]


@pytest.mark.parametrize("activity_id,attrs,lines", [
    (1, {"guests": "1", "max-guests": "2", "others": "0"},
     ["Invités : acceptés (2 par foyer au plus)",
      "Ouverte aux membres des autres CMCAS : non"]),
    (9, {"guests": "0", "others": "0"},
     ["Invités : non acceptés", "Ouverte aux membres des autres CMCAS : non"]),
    (32, {"guests": "1", "min-age": "6", "max-age": "12", "others": "0"},
     ["Invités : acceptés", "Âge des participants : de 6 à 12 ans"]),
    (13, {"guests": "1", "max-guests": "1", "min-age": "12", "others": "0"},
     ["Invités : acceptés (1 par foyer au plus)",
      "Âge des participants : à partir de 12 ans"]),
    (42, {"guests": "0", "min-age": "18", "others": "1"},
     ["Invités : non acceptés", "Âge des participants : à partir de 18 ans",
      "Ouverte aux membres des autres CMCAS : oui"]),
    (3, {"guests": "1", "others": "1"},
     ["Invités : acceptés", "Ouverte aux membres des autres CMCAS : oui"]),
])
def test_detail_page_shows_eligibility(gael, activity_id, attrs, lines):
    el = gael.xml(f"/activite/{activity_id}").find("activite/eligibility")
    assert dict(el.attrib) == attrs
    shown = infos(gael.html(f"/activite/{activity_id}"))
    for line in lines:
        assert line in shown, shown
    if "min-age" not in attrs and "max-age" not in attrs:
        assert not any(s.startswith("Âge") for s in shown)


# ----------------------------------------------------------------------------------
# Options reserved to an age range (issue 7): « Place enfant (< 12 ans) » on activity 5


def test_an_adult_cannot_take_a_childs_option(gael, db, server):
    p_gael = gael.add(5, P_GAEL)
    p_louane = gael.add(5, P_LOUANE)
    ins = gael.ins(5)
    offered = {p["id"]: p["offered"] for p in participants(ins)}
    # each is offered only the place of their age
    assert offered == {p_gael: [7], p_louane: [8]}
    # a forged post is refused on the server, and changes nothing
    msg = refused(gael, db, 5, "enregistrer", options={p_gael: [8]})
    assert "Place enfant (< 12 ans)" in msg and "Gael CLASSEN ne peut pas la choisir" in msg
    msg = refused(gael, db, 5, "valider", options={p_gael: [7], p_louane: [7]})
    assert "Louane CLASSEN" in msg
    # the right places validate
    gael.do(5, "valider", options={p_gael: [7], p_louane: [8]})
    parts = {p["id"]: p for p in participants(gael.ins(5))}
    assert parts[p_gael]["options"] == [7] and parts[p_louane]["options"] == [8]
    assert all(p["confirmed"] for p in parts.values())


def test_persons_excluded_by_age_are_shown_with_the_reason(gael, db, server):
    # « Arbre de Noël » (32) is for 6 to 12 years: only Louane may be added
    ins = gael.ins(32)
    assert choices(ins) == [P_LOUANE, "invite"] or choices(ins) == [P_LOUANE]
    excluded = {int(e.get("id")): e.findtext("reason")
                for e in ins.find("choices").findall("excluded")}
    assert {P_GAEL, P_AARON} <= set(excluded) and P_LOUANE not in excluded
    assert "ouverte jusqu'à 12 ans" in excluded[P_GAEL]
    r = gael.get("/activite/32/inscription", accept="text/html")
    assert re.search(r'<option value="" disabled>Gael CLASSEN aura \d+ ans', r.text)
