"""Orders, first part of the payments: « Procéder au paiement », the CGV, « Paiement en
CMCAS », « Mes commandes », an order's page, cancelling it (its registration and places
follow), one waiting order per registration, and what another household cannot see."""

import re

import pytest

from test_10_helpers import member as session

# The job that ends unpaid orders runs every second here.
CMCAS_SERVER = {"extra": "CMCASExpiryInterval 1"}


def token(s, server, path):
    return re.search(r'name="csrf" value="([^"]+)"', s.get(server.url(path)).text).group(1)


@pytest.fixture
def validated(server, sql):
    """Gael CLASSEN and the guest Michel PETIT validated on « Atelier gourmand »: 70 €."""
    sql("DELETE FROM cmcas_order_notice")
    sql("DELETE FROM cmcas_order_event")
    sql("DELETE FROM cmcas_invoice_line")
    sql("DELETE FROM cmcas_invoice")
    sql("DELETE FROM cmcas_order_line")
    sql("DELETE FROM cmcas_order")
    sql("DELETE FROM registration_event")
    sql("DELETE FROM registration_option")
    sql("DELETE FROM registration_person")
    sql("DELETE FROM registration")
    sql("UPDATE activity SET places_taken = 0")
    s = session()
    path = "/activite/1/inscription"
    tok = token(s, server, path)
    s.post(server.url(path), data={"csrf": tok, "action": "ajouter", "personne": "1"})
    s.post(server.url(path), data={"csrf": tok, "action": "ajouter", "personne": "invite",
                                   "invite-nom": "PETIT", "invite-prenom": "Michel",
                                   "invite-naissance": "12/03/1971"})
    ids = [str(r[0]) for r in sql("SELECT id FROM registration_person ORDER BY id")]
    data = {"csrf": tok, "action": "valider", "participant": ids}
    for i in ids:
        data["options-" + i] = "1"
    r = s.post(server.url(path), data=data, allow_redirects=False)
    assert r.status_code == 303
    reg = sql("SELECT id FROM registration")[0][0]
    return s, reg, tok


def order_count(sql):
    return sql("SELECT count(*) FROM cmcas_order")[0][0]


def test_payment_page_shows_what_is_due(server, validated):
    s, reg, _ = validated
    r = s.get(server.url(f"/mes-inscriptions/{reg}/paiement"))
    assert r.status_code == 200
    assert "J'ai lu les conditions générales de vente et j'y adhère sans réserve." in r.text
    assert "Paiement en CMCAS" in r.text
    assert "70,00\u00a0€" in r.text
    # No card payment while the CMCAS does not offer it online.
    assert 'value="cb1"' not in r.text
    xml = s.get(server.url(f"/mes-inscriptions/{reg}/paiement"),
                headers={"Accept": "application/xml"}).text
    assert '<total cents="7000">' in xml and 'code="cmcas"' in xml
    assert "<person>Michel PETIT</person>" in xml and '<amount cents="4000">' in xml


def test_desk_payment_creates_the_order(server, sql, validated):
    s, reg, tok = validated
    r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
               data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    assert r.status_code == 303
    ref = re.search(r"/mes-commandes/([A-Z]{9})\?info=cmcas$", r.headers["Location"]).group(1)
    row = sql("SELECT status, total, method, cmcas_code, hold_until FROM cmcas_order")[0]
    assert row[:4] == ("attente_cmcas", 7000, "cmcas", "BN")
    lines = sql("SELECT person, option_label, amount, participation FROM cmcas_order_line "
                "ORDER BY position")
    assert lines == [("Gael CLASSEN", "Atelier gourmand", 3000, 1000),
                     ("Michel PETIT", "Atelier gourmand", 4000, 0)]
    page = s.get(r.headers["Location"]).text
    assert "Confirmation de commande" in page
    assert "Votre commande sur CMCAS Berry-Nivernais est enregistrée." in page
    assert "Voir l'historique de vos commandes" in page
    # Where and until when to pay: the hold's last day, as the order page tells it.
    held = row[4][:10]
    day = f"{held[8:10]}/{held[5:7]}/{held[0:4]}"
    assert f'<time datetime="{held}">{day}</time>' in page, page
    assert "Passé ce délai, la commande est annulée" in page
    order = s.get(server.url(f"/mes-commandes/{ref}")).text
    assert "À régler avant le" in order and day in order
    listing = s.get(server.url("/mes-commandes")).text
    for label in ["Référence de commande", "Date", "Prix total", "Paiement", "État", ref,
                  "En CMCAS", "En attente de paiement en CMCAS", "70,00\u00a0€", "Détails"]:
        assert label in listing, label
    # « Mes inscriptions » now leads to the order instead of « Procéder au paiement ».
    mine = s.get(server.url("/mes-inscriptions"), headers={"Accept": "application/xml"}).text
    assert f'<order ref="{ref}"' in mine and "<pay " not in mine


def test_references_are_nine_random_letters(server, sql, validated):
    s, reg, tok = validated
    refs = set()
    for _ in range(5):
        r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
                   data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
        ref = re.search(r"/mes-commandes/([A-Z]{9})", r.headers["Location"]).group(1)
        refs.add(ref)
        r = s.post(server.url(f"/mes-commandes/{ref}"), data={"csrf": tok, "action": "annuler"},
                   allow_redirects=False)
        assert r.status_code == 303
        # Cancelled: register and validate again for the next order.
        sql("UPDATE registration SET status = 'validee', places_held = 2")
        sql("UPDATE registration_person SET confirmed = 1")
        sql("UPDATE activity SET places_taken = 2 WHERE id = 1")
    assert len(refs) == 5 and all(re.fullmatch(r"[A-Z]{9}", r) for r in refs)


def test_cgv_must_be_accepted(server, sql, validated):
    s, reg, tok = validated
    r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
               data={"csrf": tok, "methode": "cmcas"}, allow_redirects=False)
    assert r.status_code == 409
    assert "Vous devez accepter les conditions générales de vente" in r.text
    assert order_count(sql) == 0


@pytest.mark.parametrize("data,status", [
    ({"cgv": "1", "methode": "cb1"}, 409),
    ({"cgv": "1", "methode": "virement"}, 400),
    ({"cgv": "oui", "methode": "cmcas"}, 400),
    ({"cgv": "1"}, 400),
])
def test_bad_payment_posts_change_nothing(server, sql, validated, data, status):
    s, reg, tok = validated
    r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"), data=dict(data, csrf=tok),
               allow_redirects=False)
    assert r.status_code == status
    assert order_count(sql) == 0


def test_payment_needs_the_csrf_token(server, sql, validated, expect_log):
    expect_log(r"CMCAS31")
    s, reg, _ = validated
    r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
               data={"cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    assert r.status_code == 403 and order_count(sql) == 0


def test_one_waiting_order_per_registration(server, sql, validated):
    s, reg, tok = validated
    first = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
                   data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    again = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
                   data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    assert again.status_code == 303
    assert again.headers["Location"].split("?")[0] == first.headers["Location"].split("?")[0]
    assert order_count(sql) == 1


def test_registration_is_frozen_while_an_order_waits(server, sql, validated):
    s, reg, tok = validated
    s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
           data={"csrf": tok, "cgv": "1", "methode": "cmcas"})
    r = s.post(server.url("/activite/1/inscription"),
               data={"csrf": tok, "action": "ajouter", "personne": "2"}, allow_redirects=False)
    assert r.status_code == 409 and "attend son paiement" in r.text
    assert sql("SELECT count(*) FROM registration_person")[0][0] == 2
    # Cancelling the registration cancels the waiting order and gives the places back.
    r = s.post(server.url("/activite/1/inscription"), data={"csrf": tok, "action": "annuler"},
               allow_redirects=False)
    assert r.status_code == 303
    assert sql("SELECT status FROM cmcas_order") == [("annulee",)]
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(0,)]


def test_cancelling_the_order_cancels_the_registration(server, sql, validated):
    s, reg, tok = validated
    r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
               data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    ref = re.search(r"([A-Z]{9})", r.headers["Location"].rsplit("/", 1)[1]).group(1)
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(2,)]
    page = s.get(server.url(f"/mes-commandes/{ref}")).text
    assert "Annuler la commande" in page
    r = s.post(server.url(f"/mes-commandes/{ref}"), data={"csrf": tok, "action": "annuler"},
               allow_redirects=False)
    assert r.status_code == 303
    assert sql("SELECT status FROM cmcas_order") == [("annulee",)]
    assert sql("SELECT status, places_held FROM registration") == [("annulee", 0)]
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(0,)]
    xml = s.get(server.url(f"/mes-commandes/{ref}"), headers={"Accept": "application/xml"}).text
    assert 'status="annulee"' in xml and '<can cancel="0"/>' in xml
    assert "Commande annulée par l'adhérent" in xml
    # Twice: it can no longer be cancelled.
    r = s.post(server.url(f"/mes-commandes/{ref}"), data={"csrf": tok, "action": "annuler"},
               allow_redirects=False)
    assert r.status_code == 409


def test_another_household_sees_nothing(server, sql, validated):
    s, reg, tok = validated
    r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
               data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    ref = re.search(r"/mes-commandes/([A-Z]{9})", r.headers["Location"]).group(1)
    other = session("martine.dupont")
    assert other.get(server.url(f"/mes-commandes/{ref}")).status_code == 404
    assert other.get(server.url(f"/mes-inscriptions/{reg}/paiement")).status_code == 404
    assert ref not in other.get(server.url("/mes-commandes")).text
    mtok = token(other, server, "/activite/1/inscription")
    r = other.post(server.url(f"/mes-commandes/{ref}"), data={"csrf": mtok, "action": "annuler"},
                   allow_redirects=False)
    assert r.status_code == 404
    assert sql("SELECT status FROM cmcas_order") == [("attente_cmcas",)]


@pytest.mark.parametrize("path", ["/mes-commandes/ABC", "/mes-commandes/abcdefghi",
                                  "/mes-commandes/ABCDEFGHI", "/mes-inscriptions/999/paiement",
                                  "/mes-inscriptions/0/paiement"])
def test_unknown_orders_are_not_found(server, path):
    assert session().get(server.url(path)).status_code == 404


def test_nothing_to_pay_is_not_found(server, sql, validated):
    s, reg, tok = validated
    sql("UPDATE registration SET status = 'brouillon'")
    assert s.get(server.url(f"/mes-inscriptions/{reg}/paiement")).status_code == 404


def test_an_unpaid_order_ends_when_its_hold_runs_out(server, sql, validated, expect_log):
    """The background job (mod_watchdog) cancels the order and its registration and gives
    the places back; the member sees it in « Mes commandes »."""
    import time
    s, reg, tok = validated
    r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
               data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    assert re.search(r"/mes-commandes/[A-Z]{9}", r.headers["Location"])
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(2,)]
    time.sleep(2.5)
    assert sql("SELECT status FROM cmcas_order") == [("attente_cmcas",)]   # still held
    sql("UPDATE cmcas_order SET hold_until = '2000-01-01T00:00:00Z'")
    deadline = time.time() + 10
    while time.time() < deadline and sql("SELECT status FROM cmcas_order") != [("annulee",)]:
        time.sleep(0.2)
    assert sql("SELECT status FROM cmcas_order") == [("annulee",)]
    assert sql("SELECT status, places_held FROM registration") == [("annulee", 0)]
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(0,)]
    events = [e[0] for e in sql("SELECT event FROM cmcas_order_event ORDER BY id")]
    assert events[-1].startswith("Délai de paiement dépassé")
    assert "Annulée" in s.get(server.url("/mes-commandes")).text


def test_a_validated_registration_never_paid_is_released(server, sql, validated):
    """« Paiement immédiat »: the places of a validated registration that never went to
    payment are held for the CMCAS's desk delay (CMCASDeskHold, 7 days by default) from
    its last change; then the job cancels it and gives them back."""
    import time
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(2,)]
    time.sleep(2.5)
    assert sql("SELECT status FROM registration") == [("validee",)]      # still held
    sql("UPDATE registration_event SET at = '2000-01-01T00:00:00Z'")
    deadline = time.time() + 10
    while time.time() < deadline and sql("SELECT status FROM registration") != [("annulee",)]:
        time.sleep(0.2)
    assert sql("SELECT status, places_held FROM registration") == [("annulee", 0)]
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(0,)]
    events = [e[0] for e in sql("SELECT event FROM registration_event ORDER BY id")]
    assert events[-1].startswith("Délai de paiement dépassé")


def test_a_free_or_ordered_registration_is_not_released(server, sql, validated):
    """The same delay spares a registration with an order waiting and a free one."""
    import time
    s, reg, tok = validated
    s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
           data={"csrf": tok, "cgv": "1", "methode": "cmcas"})
    sql("UPDATE registration_event SET at = '2000-01-01T00:00:00Z'")
    time.sleep(2.5)
    assert sql("SELECT status FROM registration") == [("validee",)]
    assert sql("SELECT status FROM cmcas_order") == [("attente_cmcas",)]
