"""The back-office's desk payments and refunds (issue 11): « Paiement en CMCAS » chosen by
a member on the member pages, recorded by the CMCAS's staff at /gestion/commandes (the
order and its registration paid as a card payment pays them, history, e-mail, audit
line, a cmcas_order_payment row), the hold's expiry leaving it alone; refused input
writing nothing; the refund of an order « Remboursement à effectuer », which the member
then reads « Remboursée »; the CMCAS boundary and CSRF. Both engines."""

import datetime
import time

import pytest

from cmcas_pages import parse_html
from test_10_helpers import BN_STAFF, STAFF_SECTIONS, T_STAFF
from test_10_helpers import staff_session as staff
from test_10_helpers import desk_order as helpers_desk_order
from test_10_helpers import staff_token, today_fr

# The expiry job runs every second here.
CMCAS_SERVER = {"sections": STAFF_SECTIONS, "extra": "CMCASExpiryInterval 1"}


@pytest.fixture
def desk_order(server, sql):
    """Gael CLASSEN and the guest Michel PETIT validated on « Atelier gourmand » (70 €),
    paid « Paiement en CMCAS » through the member's pages: (member session, order ref)."""
    s, _, _, ref = helpers_desk_order(server, sql)
    assert sql("SELECT status, total FROM cmcas_order") == [("attente_cmcas", 7000)]
    yield s, ref
    s.close()


@pytest.fixture
def bn(server):
    with staff(BN_STAFF) as s:
        yield s


def snapshot(sql):
    return {t: sql(f"SELECT * FROM {t} ORDER BY id")
            for t in ("cmcas_order", "cmcas_order_event", "registration",
                      "registration_event", "cmcas_order_payment", "cmcas_audit",
                      "cmcas_outbox", "activity")}


def pay(server, s, ref, **fields):
    data = {"csrf": staff_token(s, server), "moyen": "cheque", "montant": "70,00", "date": today_fr(),
            "note": "chèque n° 1234567"}
    data.update(fields)
    return s.post(server.url(f"/gestion/commande/{ref}/paiement"), data=data,
                  allow_redirects=False)


def test_orders_page_lists_the_desk_order(server, desk_order, bn):
    _, ref = desk_order
    r = bn.get(server.url("/gestion/commandes"))
    assert r.status_code == 200, r.text[:500]
    assert ref in r.text and "Gael CLASSEN" in r.text and "70,00\u00a0€" in r.text
    assert f'action="/gestion/commande/{ref}/paiement"' in r.text
    x = bn.get(server.url("/gestion/commandes?etat=a-encaisser"),
               headers={"Accept": "application/xml"}).text
    assert f'<commande ref="{ref}" status="attente_cmcas"' in x
    assert "<activite id=\"1\">" in x and "<hold-until " in x
    x = bn.get(server.url("/gestion/commandes?etat=a-rembourser"),
               headers={"Accept": "application/xml"}).text
    assert ref not in x
    assert bn.get(server.url("/gestion/commandes?etat=tout")).status_code == 400
    # The list shown is the one marked in the lists' navigation.
    for query, label in (("", "Toutes"), ("?etat=a-encaisser", "Paiements en CMCAS à encaisser"),
                         ("?etat=a-rembourser", "À rembourser"), ("?etat=rembourse",
                                                                  "Remboursées")):
        doc = parse_html(bn.get(server.url("/gestion/commandes" + query)).text)
        nav = doc.find("nav", cls="gestion-filters")
        assert [a.text for a in nav.find_all("a") if "aria-current" in a.attrs] == [label]
        assert [a.attrs["href"] for a in nav.find_all("a") if a.text == label] == \
            ["/gestion/commandes" + query]
    # The dashboard's counters lead to the lists.
    d = bn.get(server.url("/gestion/")).text
    assert 'href="/gestion/commandes?etat=a-encaisser"' in d


def test_desk_payment_pays_the_order_and_registration(server, sql, desk_order, bn):
    s, ref = desk_order
    places = sql("SELECT places_taken FROM activity WHERE id = 1")[0][0]
    r = pay(server, bn, ref)
    assert r.status_code == 303, r.text[:800]
    assert r.headers["Location"].endswith(f"/gestion/commandes?etat=a-encaisser"
                                          f"&enregistre={ref}")
    assert sql("SELECT status FROM cmcas_order") == [("payee",)]
    assert sql("SELECT status FROM registration") == [("payee",)]
    assert sql("SELECT places_taken FROM activity WHERE id = 1")[0][0] == places == 2
    assert sql("SELECT kind, means, amount, on_date, note, actor FROM cmcas_order_payment") \
        == [("paiement", "cheque", 7000, datetime.date.today().isoformat(),
             "chèque n° 1234567", "gestion.bn")]
    ev = sql("SELECT actor, status, event FROM cmcas_order_event ORDER BY id")[-1]
    assert ev == ("gestion.bn", "payee",
                  "Paiement en CMCAS enregistré : chèque, 70,00\u00a0€ (chèque n° 1234567)")
    assert sql("SELECT actor, event FROM registration_event ORDER BY id")[-1] \
        == ("gestion.bn", f"Commande {ref} payée")
    assert sql("SELECT COUNT(*) FROM cmcas_outbox WHERE kind = 'payment_accepted'")[0][0] == 1
    audit = sql("SELECT cmcas_code, actor, action, object, before, after FROM cmcas_audit")
    assert len(audit) == 1
    code, actor, action, obj, before, after = audit[0]
    assert (code, actor, action, obj) == ("BN", "gestion.bn", "Paiement enregistré",
                                          f"commande {ref}")
    assert "État : En attente de paiement en CMCAS" in before
    assert "État : Paiement accepté" in after and "Montant : 70,00\u00a0€" in after
    # The journal shows it; the page confirms it.
    assert f"commande {ref}" in bn.get(server.url("/gestion/journal")).text
    assert f"Commande {ref} : paiement enregistré." in bn.get(r.headers["Location"]).text
    # The member sees it paid.
    assert "Paiement accepté" in s.get(server.url("/mes-commandes")).text
    assert "Payée" in s.get(server.url("/mes-inscriptions")).text


def test_a_paid_desk_order_survives_its_hold(server, sql, desk_order, bn):
    """The known problem: a member who paid at the desk lost the registration when the
    7-day hold ran out. Once paid, the expiry job leaves it."""
    _, ref = desk_order
    assert pay(server, bn, ref).status_code == 303
    sql("UPDATE cmcas_order SET hold_until = '2000-01-01T00:00:00Z'")
    sql("UPDATE registration_event SET at = '2000-01-01T00:00:00Z'")
    time.sleep(3)       # three runs of the job
    assert sql("SELECT status FROM cmcas_order") == [("payee",)]
    assert sql("SELECT status, places_held FROM registration") == [("payee", 2)]
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(2,)]


@pytest.mark.parametrize("fields, message", [
    ({"montant": "60,00"}, "n'est pas celui de la commande"),
    ({"montant": "soixante-dix"}, "n'est pas un montant en euros"),
    ({"date": today_fr(1)}, "La date ne peut pas être dans le futur."),
    ({"date": "2026-01-01"}, "au format JJ/MM/AAAA"),
    ({"moyen": "virement"}, "Choisissez le moyen de paiement"),
    ({"moyen": "bitcoin"}, "Choisissez le moyen de paiement"),
    ({"note": "x" * 201}, "rien n'est enregistré"),
])
def test_refused_input_writes_nothing(server, sql, desk_order, bn, fields, message):
    _, ref = desk_order
    before = snapshot(sql)
    r = pay(server, bn, ref, **fields)
    assert r.status_code == 400, r.text[:500]
    assert message in r.text
    assert snapshot(sql) == before


def test_already_paid_is_409(server, sql, desk_order, bn):
    _, ref = desk_order
    assert pay(server, bn, ref).status_code == 303
    before = snapshot(sql)
    r = pay(server, bn, ref, moyen="especes")
    assert r.status_code == 409
    assert "Cette commande est déjà payée." in r.text
    assert snapshot(sql) == before


def test_cancelled_order_is_409(server, sql, desk_order, bn):
    s, ref = desk_order
    assert s.post(server.url(f"/mes-commandes/{ref}"), data={"csrf": s.tok,
                  "action": "annuler"}, allow_redirects=False).status_code == 303
    before = snapshot(sql)
    r = pay(server, bn, ref)
    assert r.status_code == 409 and "annulée" in r.text
    assert snapshot(sql) == before


def test_refund_is_recorded_and_the_member_reads_remboursee(server, sql, desk_order, bn):
    s, ref = desk_order
    # A payment that came when the registration no longer waited for it (the bank's
    # flow flags it so): « Remboursement à effectuer ».
    sql("UPDATE cmcas_order SET status = 'a_rembourser', method = 'paybox'")
    assert "Remboursement à effectuer" in s.get(server.url("/mes-commandes")).text
    assert pay(server, bn, ref).status_code == 409      # not a desk order to cash
    x = bn.get(server.url("/gestion/commandes?etat=a-rembourser"),
               headers={"Accept": "application/xml"}).text
    assert f'<commande ref="{ref}" status="a_rembourser"' in x
    tok = staff_token(bn, server)
    url = server.url(f"/gestion/commande/{ref}/remboursement")
    before = snapshot(sql)
    r = bn.post(url, data={"csrf": tok, "moyen": "virement", "date": today_fr(1)},
                allow_redirects=False)
    assert r.status_code == 400 and snapshot(sql) == before
    r = bn.post(url, data={"csrf": tok, "moyen": "virement", "date": today_fr(),
                           "note": "virement du jour"}, allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    assert sql("SELECT status FROM cmcas_order") == [("a_rembourser",)]
    assert sql("SELECT refunded_at IS NOT NULL FROM cmcas_order")[0][0] in (1, True)
    assert sql("SELECT kind, means, amount FROM cmcas_order_payment") == \
        [("remboursement", "virement", 7000)]
    assert sql("SELECT action, object FROM cmcas_audit") == \
        [("Remboursement enregistré", f"commande {ref}")]
    assert sql("SELECT event FROM cmcas_order_event ORDER BY id")[-1][0] == \
        "Remboursement enregistré : virement, 70,00\u00a0€ (virement du jour)"
    # The household is told (the message the desk order made first, then this one).
    assert sql("SELECT kind, detail FROM cmcas_outbox ORDER BY id")[-1] == \
        ("refunded", "virement")
    # The member: « Remboursée » in « Mes commandes » and on the order's page.
    assert "Remboursée" in s.get(server.url("/mes-commandes")).text
    page = s.get(server.url(f"/mes-commandes/{ref}")).text
    assert "Remboursée" in page and "Remboursement à effectuer" not in page
    x = s.get(server.url(f"/mes-commandes/{ref}"), headers={"Accept": "application/xml"}).text
    assert 'status="a_rembourser" status-label="Remboursée"' in x and "<refunded " in x
    # Listed as refunded; a second refund is 409.
    x = bn.get(server.url("/gestion/commandes?etat=rembourse"),
               headers={"Accept": "application/xml"}).text
    assert ref in x and 'means="virement"' in x
    before = snapshot(sql)
    r = bn.post(url, data={"csrf": tok, "moyen": "especes", "date": today_fr()},
                allow_redirects=False)
    assert r.status_code == 409 and "déjà enregistré" in r.text
    assert snapshot(sql) == before


def test_another_cmcas_staff_gets_404(server, sql, desk_order):
    _, ref = desk_order
    with staff(T_STAFF) as t:
        assert ref not in t.get(server.url("/gestion/commandes")).text
        before = snapshot(sql)
        r = pay(server, t, ref)
        assert r.status_code == 404
        tok = staff_token(t, server)
        r = t.post(server.url(f"/gestion/commande/{ref}/remboursement"),
                   data={"csrf": tok, "moyen": "cheque", "date": today_fr()},
                   allow_redirects=False)
        assert r.status_code == 404
        assert snapshot(sql) == before
    with staff(BN_STAFF) as s:
        # An unknown reference answers the same.
        assert pay(server, s, "ZZZZZZZZZ").status_code == 404


def test_csrf_is_required(server, sql, desk_order, bn, expect_log):
    _, ref = desk_order
    expect_log(r"CMCAS31: form refused for user 'gestion.bn' .*invalid or expired token")
    expect_log(r"CMCAS31: form refused for user 'gestion.bn' .*no token")
    before = snapshot(sql)
    r = bn.post(server.url(f"/gestion/commande/{ref}/paiement"),
                data={"csrf": "0.bad", "moyen": "cheque", "montant": "70,00",
                      "date": today_fr()}, allow_redirects=False)
    assert r.status_code == 403
    r = bn.post(server.url(f"/gestion/commande/{ref}/paiement"),
                data={"moyen": "cheque", "montant": "70,00", "date": today_fr()},
                allow_redirects=False)
    assert r.status_code == 403
    assert snapshot(sql) == before
    # GET on an action is not one.
    assert bn.get(server.url(f"/gestion/commande/{ref}/paiement")).status_code in (404, 405)
