"""Card payment through the Paybox simulator (tests/gateway/paybox_simulator.py): the
payment methods offered, the signed form to the bank, 3-D Secure, the bank's
notification (the only thing that changes an order: signature, amount, reference,
idempotence, refused then accepted, paid after a cancellation), the browser's returns
(never marking anything paid), instalments, and the notification path open without
authentication. Every test checks the database, not only the HTTP statuses."""

import datetime
import hashlib
import hmac
import html
import os
import re
import xml.etree.ElementTree as ET

import pytest
import requests

from cmcas_httpd import BN_BLOCK, REPO, settle_first_jobs
from cmcas_pages import parse_html, main_text
from test_7_helpers import cheap_hash
from test_8_helpers import (CARD_3DS, CARD_PENDING, CARD_REFUSED, PayboxFlow, csrf,
                            reset_payments, running_bank, session)

SIMULATOR = os.path.join(REPO, "tests", "gateway", "paybox_simulator.py")
KEYS = os.path.join(REPO, "tests", "gateway", "keys")
HMAC_KEY_FILE = os.path.join(KEYS, "paybox-test-hmac.key")


FIELD_ORDER = ["PBX_SITE", "PBX_RANG", "PBX_IDENTIFIANT", "PBX_TOTAL", "PBX_DEVISE",
               "PBX_CMD", "PBX_PORTEUR", "PBX_RETOUR", "PBX_HASH", "PBX_TIME",
               "PBX_EFFECTUE", "PBX_REFUSE", "PBX_ANNULE", "PBX_ATTENTE", "PBX_REPONDRE_A",
               "PBX_SHOPPINGCART", "PBX_BILLING"]
RETOUR = "Mt:M;Ref:R;Auto:A;Appel:T;Trans:S;Erreur:E;Sign:K"


# ----------------------------------------------------------------------------------
# The bank (simulator) and the server


@pytest.fixture(scope="module")
def bank():
    with running_bank(SIMULATOR, "test_810_card_payment") as b:
        yield b


@pytest.fixture(scope="module")
def card_server(make_server, bank):
    block = BN_BLOCK.replace("</CMCAS>", f"""\
    CMCASOnlinePayment On
    CMCASGateway paybox {bank.url("/cgi/MYchoix_pagepaiement.cgi")}
    CMCASPayboxAccount 1999888 32 107904482
    CMCASPayboxKeyFile {HMAC_KEY_FILE}
    CMCASPayboxPublicKeyFile {KEYS}/simulator-public.pem
    CMCASInstalments 3 50
    CMCASCGV /cgv
    CMCASCardHold 30
</CMCAS>""")
    # CMCAS Touraine takes cards too, on its own merchant account (rang 43): a BN member
    # paying a Touraine activity pays Touraine.
    block += f"""<CMCAS TOURAINE>
    CMCASName "CMCAS Touraine"
    CMCASOnlinePayment On
    CMCASGateway paybox {bank.url("/cgi/MYchoix_pagepaiement.cgi")}
    CMCASPayboxAccount 1999888 43 107975626
    CMCASPayboxKeyFile {HMAC_KEY_FILE}
    CMCASPayboxPublicKeyFile {KEYS}/simulator-public.pem
    CMCASCGV https://cmcas-touraine.example/cgv.pdf
</CMCAS>
"""
    # Production accounts without CMCASPayboxDirect: allowed, with a warning at start
    # (test_830_payment_truth checks payments with and without it).
    srv = make_server("card", sections={"cmcas": block},
                      extra="<Location /paiement/notification>\n Require all granted\n"
                            "</Location>",
                      expect_at_start=[r"CMCAS81: <CMCAS (BN|TOURAINE)> \(.*\) takes Paybox "
                                       r"payments without CMCASPayboxDirect"])
    # Basic authentication at bcrypt cost 4: ~1 ms a request instead of ~70.
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    settle_first_jobs(srv)              # the demo's draw made before the snapshots
    return srv


@pytest.fixture
def flow(card_server, bank):
    """No order, no registration, the demo's prices, the bank notifying; then Gael
    CLASSEN and Michel PETIT validated on « Atelier gourmand » (70 €)."""
    reset_payments(card_server, bank)
    yield PayboxFlow(card_server, bank).validate()
    bank.set_notify(True)


def signed_query(notification):
    """The query of a recorded notification, split into (name, raw value) pairs."""
    return [tuple(p.split("=", 1)) for p in notification["query"].split("&")]


def add_months(d, n):
    index = d.year * 12 + d.month - 1 + n
    y, m = divmod(index, 12)
    m += 1
    last = (datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(y, m, min(d.day, last))


# ----------------------------------------------------------------------------------
# The payment page


def test_payment_page_offers_the_card(flow):
    r = flow.payment_page()
    assert r.status_code == 200
    doc = parse_html(r.text)
    buttons = [(b.attrs.get("value"), b.text) for b in doc.find_all("button")
               if b.attrs.get("name") == "methode"]
    assert buttons == [("cmcas", "Paiement en CMCAS"), ("cb1", "Payer avec CB"),
                       ("cb3", "Payer avec CB en 3 fois")]
    assert "70,00 €" in main_text(doc)
    xml = flow.s.get(flow.srv.url(f"/mes-inscriptions/{flow.reg}/paiement"),
                     headers={"Accept": "application/xml"}).text
    assert '<method code="cb" instalments="1"/>' in xml
    assert '<method code="cb" instalments="3"/>' in xml
    assert '<cgv href="/cgv"/>' in xml
    # Only the bank page may post to another origin.
    assert "form-action 'self';" in r.headers["Content-Security-Policy"] + ";"
    assert flow.bank.origin not in r.headers["Content-Security-Policy"]
    assert flow.sql("SELECT count(*) FROM cmcas_order")[0][0] == 0


def test_below_the_threshold_only_one_instalment(flow):
    # 20 € + 25 € = 45 €, below CMCASInstalments' 50 €
    flow.sql("UPDATE activity_option SET price_beneficiary = 2000, price_guest = 2500 "
             "WHERE id = 1")
    doc = parse_html(flow.payment_page().text)
    values = [b.attrs.get("value") for b in doc.find_all("button")
              if b.attrs.get("name") == "methode"]
    assert values == ["cmcas", "cb1"]
    assert "Payer avec CB en 3 fois" not in doc.text and "45,00 €" in main_text(doc)
    # cb3 posted anyway: refused, no order
    r = flow.s.post(flow.srv.url(f"/mes-inscriptions/{flow.reg}/paiement"),
                    data={"csrf": flow.tok, "methode": "cb3", "cgv": "1"},
                    allow_redirects=False)
    assert r.status_code == 409
    assert flow.sql("SELECT count(*) FROM cmcas_order")[0][0] == 0
    # exactly at the threshold: offered
    flow.sql("UPDATE activity_option SET price_beneficiary = 2500, price_guest = 2500 "
             "WHERE id = 1")
    doc = parse_html(flow.payment_page().text)
    assert "Payer avec CB en 3 fois" in doc.text


# ----------------------------------------------------------------------------------
# The signed form to the bank


def test_bank_form(flow):
    r, fields, action = flow.choose("cb1")
    names = [n for n, _ in fields]
    assert names == FIELD_ORDER + ["PBX_HMAC"]
    f = dict(fields)
    assert action == flow.bank.url("/cgi/MYchoix_pagepaiement.cgi")
    assert (f["PBX_SITE"], f["PBX_RANG"], f["PBX_IDENTIFIANT"]) == ("1999888", "32",
                                                                     "107904482")
    assert f["PBX_TOTAL"] == "7000" and f["PBX_DEVISE"] == "978"
    ref = f["PBX_CMD"]
    assert re.fullmatch(r"[A-Z]{9}", ref)
    assert flow.order(ref) == {"reference": ref, "status": "attente_cb", "method": "paybox",
                               "total": 7000, "instalments": 1,
                               "registration_id": flow.reg}
    assert f["PBX_PORTEUR"] == "gael.classen@example.org"
    assert f["PBX_RETOUR"] == RETOUR and f["PBX_RETOUR"].endswith(";Sign:K")
    assert f["PBX_HASH"] == "SHA512"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", f["PBX_TIME"])
    stamp = datetime.datetime.fromisoformat(f["PBX_TIME"])
    assert abs((datetime.datetime.now(datetime.timezone.utc) - stamp).total_seconds()) < 120
    base = flow.srv.url("/paiement/retour/paybox/BN/")
    assert f["PBX_EFFECTUE"] == base + "effectue"
    assert f["PBX_REFUSE"] == base + "refuse"
    assert f["PBX_ANNULE"] == base + "annule"
    assert f["PBX_ATTENTE"] == base + "attente"
    assert f["PBX_REPONDRE_A"] == flow.srv.url("/paiement/notification/paybox/BN")
    cart = ET.fromstring(f["PBX_SHOPPINGCART"].encode("utf-8"))
    assert cart.tag == "shoppingcart" and cart.findtext("total/totalQuantity") == "2"
    billing = ET.fromstring(f["PBX_BILLING"].encode("utf-8"))
    address = billing.find("Address")
    assert billing.tag == "Billing" and address is not None
    assert {e.tag: e.text for e in address} == {
        "FirstName": "GAEL", "LastName": "CLASSEN", "Address1": "14 RUE DES ARENES",
        "ZipCode": "18000", "City": "BOURGES", "CountryCode": "250"}
    assert not any(n.startswith(("PBX_2MONT", "PBX_DATE")) for n in names)
    # PBX_HMAC recomputed here: HMAC-SHA-512 with the hex-decoded key, raw values
    with open(HMAC_KEY_FILE) as fh:
        key = bytes.fromhex(fh.read().strip())
    message = "&".join(f"{n}={v}" for n, v in fields if n != "PBX_HMAC").encode("utf-8")
    assert f["PBX_HMAC"] == hmac.new(key, message, hashlib.sha512).hexdigest().upper()
    # the page may post to the bank's origin, and to no other
    csp = {d.split()[0]: d.split()[1:] for d in
           (p.strip() for p in r.headers["Content-Security-Policy"].split(";")) if d}
    assert csp["form-action"] == ["'self'", flow.bank.origin]
    assert all(flow.bank.origin not in v for k, v in csp.items() if k != "form-action")
    # the simulator takes the request (it checks the fields and the HMAC itself)
    page = requests.post(action, data=fields)
    assert "Paiement de 70.00 EUR" in page.text and "Accès refusé" not in page.text
    # no notification yet: the order waits, the places are held
    assert flow.order_status(ref) == "attente_cb"
    assert flow.registration() == ("validee", 2) and flow.places() == 2


# ----------------------------------------------------------------------------------
# Outcomes


def test_accepted_card(flow):
    ref, _, url = flow.pay(CARD_3DS)
    assert url.startswith(flow.srv.url("/paiement/retour/paybox/BN/effectue?"))
    notes = flow.bank.notifications()
    assert [(n["kind"], n["ref"], n["code"], n["signature"], n["status"]) for n in notes] == [
        ("ipn", ref, "00000", "good", 200)]
    # the production platform: a real authorisation number (the test platform's is XXXXXX)
    assert "Mt=7000&" in notes[0]["query"]
    assert re.search(r"&Auto=[0-9A-Z]{6}&", notes[0]["query"]) and "XXXXXX" not in notes[0]["query"]
    assert flow.order_status(ref) == "payee"
    assert flow.registration() == ("payee", 2) and flow.places() == 2
    events = flow.order_events(ref)
    assert [e[:2] for e in events] == [("gael.classen", "attente_cb"), ("paybox", "payee")]
    assert "Paiement accepté" in events[-1][2] and "00000" in events[-1][2]
    page = flow.back(url)
    assert page.states == {"Paiement accepté"} and page.alerts == []
    assert "Votre commande sur CMCAS Berry-Nivernais est terminée." in page.text
    listing = flow.orders_page()
    assert ref in listing and "Paybox" in listing and "Paiement accepté" in listing
    assert "70,00 €" in listing


def test_refused_card_then_accepted(flow):
    ref, _, url = flow.pay(CARD_REFUSED)
    assert url.startswith(flow.srv.url("/paiement/retour/paybox/BN/refuse?"))
    assert [(n["code"], n["status"]) for n in flow.bank.notifications()] == [("00114", 200)]
    assert flow.order_status(ref) == "refusee"
    # the registration keeps its places: the member may try again
    assert flow.registration() == ("validee", 2) and flow.places() == 2
    page = flow.back(url)
    assert page.alerts == ["Numéro de carte invalide. Vos places restent réservées : vous "
                           "pouvez réessayer le paiement."]
    assert page.states == {"Paiement refusé"}
    assert flow.payment_page().status_code == 200
    # the bank accepts it later, for the same reference
    rec = flow.bank.notify(ref=ref, E="00000")
    assert rec["status"] == 200 and "Erreur=00000" in rec["query"]
    assert flow.order_status(ref) == "payee"
    assert flow.registration() == ("payee", 2) and flow.places() == 2
    assert [e[1] for e in flow.order_events(ref)] == ["attente_cb", "refusee", "payee"]


def test_cancel_on_the_bank_page(flow):
    ref, _, url = flow.pay(cancel=True)
    assert url.startswith(flow.srv.url("/paiement/retour/paybox/BN/annule?"))
    assert "Erreur=00001" in url
    page = flow.back(url)
    assert page.alerts == ["Vous avez annulé le paiement. Vos places restent réservées : "
                           "vous pouvez réessayer le paiement."]
    assert page.states == {"En attente de paiement"}
    assert flow.bank.notifications() == []
    assert flow.order_status(ref) == "attente_cb"
    assert flow.registration() == ("validee", 2) and flow.places() == 2
    assert [e[1] for e in flow.order_events(ref)] == ["attente_cb"]


def test_browser_return_without_notification(flow):
    flow.bank.set_notify(False)
    ref, _, url = flow.pay(CARD_3DS)
    assert "Erreur=00000" in url and flow.bank.notifications() == []
    before = flow.snapshot()
    page = flow.back(url)
    assert len(page.alerts) == 1 and "en cours de confirmation" in page.alerts[0]
    assert page.states == {"En attente de paiement"}
    # a browser return never marks anything paid
    assert flow.snapshot() == before
    assert flow.order_status(ref) == "attente_cb"
    assert flow.registration() == ("validee", 2)
    # then the notification arrives
    rec = flow.bank.notify(ref=ref)
    assert (rec["code"], rec["status"]) == ("00000", 200)
    assert flow.order_status(ref) == "payee" and flow.registration() == ("payee", 2)
    page = flow.back(url)
    assert page.states == {"Paiement accepté"} and page.alerts == []


def test_pending_then_accepted(flow):
    ref, _, url = flow.pay(CARD_PENDING)
    assert url.startswith(flow.srv.url("/paiement/retour/paybox/BN/attente?"))
    assert [(n["code"], n["status"]) for n in flow.bank.notifications()] == [("99999", 200)]
    assert flow.order_status(ref) == "attente_cb" and flow.registration() == ("validee", 2)
    assert "en attente de confirmation" in flow.order_events(ref)[-1][2]
    page = flow.back(url)
    assert len(page.alerts) == 1 and "en cours de confirmation" in page.alerts[0]
    assert page.states == {"En attente de paiement"}
    assert flow.bank.notify(ref=ref, E="00000")["status"] == 200
    assert flow.order_status(ref) == "payee" and flow.registration() == ("payee", 2)


def test_duplicate_notification(flow):
    ref, _, _ = flow.pay(CARD_3DS)
    assert flow.order_status(ref) == "payee"
    before = flow.snapshot()
    rec = flow.bank.replay(1)
    assert (rec["kind"], rec["status"], rec["query"]) == (
        "replay", 200, flow.bank.notifications()[0]["query"])
    assert flow.snapshot() == before
    assert flow.sql("SELECT count(*) FROM cmcas_order_event WHERE status = 'payee'") == [(1,)]
    assert flow.sql("SELECT count(*) FROM registration_event WHERE status = 'payee'") == [(1,)]
    assert [n["status"] for n in flow.bank.notifications()] == [200, 200]


# ----------------------------------------------------------------------------------
# Forged notifications


def test_tampered_amount(flow, expect_log):
    expect_log(r"CMCAS53: payment notification for order [A-Z]{9}: amount 100, "
               r"expected 7000")
    flow.bank.set_notify(False)
    ref, _, _ = flow.pay(CARD_3DS)
    before = flow.snapshot()
    rec = flow.bank.notify(ref=ref, M="100")
    assert (rec["signature"], rec["status"]) == ("good", 409) and "Mt=100&" in rec["query"]
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"


@pytest.mark.parametrize("signature", ["tampered", "bad"])
def test_bad_signature(flow, expect_log, signature):
    expect_log(r"CMCAS50: payment return refused: no valid bank signature on "
               r"/paiement/notification/paybox/BN \(CMCAS BN\)")
    flow.bank.set_notify(False)
    ref, _, _ = flow.pay(CARD_REFUSED)
    before = flow.snapshot()
    rec = flow.bank.notify(ref=ref, E="00000", signature=signature)
    assert rec["status"] == 403
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"


def test_unknown_reference(flow, expect_log):
    expect_log(r"CMCAS52: payment notification for an unknown order 'ZZZZZZZZZ' of CMCAS BN")
    flow.bank.set_notify(False)
    ref, _, _ = flow.pay(CARD_3DS)
    before = flow.snapshot()
    rec = flow.bank.notify(ref=ref, R="ZZZZZZZZZ")
    assert rec["status"] == 404 and "Ref=ZZZZZZZZZ&" in rec["query"]
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"


def test_hand_made_queries(flow, expect_log):
    expect_log(r"CMCAS50: .*/paiement/notification/paybox/BN")
    flow.bank.set_notify(False)
    ref, _, _ = flow.pay(CARD_REFUSED)
    # a properly signed acceptance, sent elsewhere (the simulator itself) to keep it
    good = flow.bank.notify(ref=ref, E="00000", url=flow.bank.url("/sink"))
    pairs = signed_query(good)
    assert pairs[-1][0] == "Sign"
    sign = pairs[-1]
    before = flow.snapshot()
    target = flow.srv.url("/paiement/notification/paybox/BN?")
    queries = [
        # no Sign at all
        f"Mt=7000&Ref={ref}&Auto=XXXXXX&Erreur=00000",
        # Sign not last: moved before Erreur, or a pair appended after it
        "&".join("=".join(p) for p in pairs[:-2] + [sign, pairs[-2]]),
        "&".join("=".join(p) for p in pairs) + "&Erreur=00000",
        # Sign of another query
        f"Mt=7000&Ref={ref}&Erreur=00000&{sign[0]}={sign[1]}",
        # empty Sign
        f"Mt=7000&Ref={ref}&Erreur=00000&Sign=",
    ]
    for q in queries:
        r = requests.get(target + q)
        assert r.status_code == 403, q
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"
    # the same query, as signed, goes through (the check above refused only the forgeries)
    r = requests.get(target + good["query"])
    assert r.status_code == 200 and r.text == ""
    assert flow.order_status(ref) == "payee" and flow.registration() == ("payee", 2)


# ----------------------------------------------------------------------------------
# Instalments, late payment, authentication


def test_three_instalments(flow):
    today = datetime.datetime.now(datetime.timezone.utc).date()
    _, fields, _ = flow.choose("cb3")
    f = dict(fields)
    d1, d2 = add_months(today, 1), add_months(today, 2)
    assert [n for n, _ in fields] == FIELD_ORDER + [
        "PBX_2MONT1", "PBX_DATE1", "PBX_2MONT2", "PBX_DATE2", "PBX_DATEVALMAX", "PBX_HMAC"]
    assert (f["PBX_TOTAL"], f["PBX_2MONT1"], f["PBX_2MONT2"]) == ("2334", "2333", "2333")
    assert int(f["PBX_TOTAL"]) + int(f["PBX_2MONT1"]) + int(f["PBX_2MONT2"]) == 7000
    assert f["PBX_DATE1"] == d1.strftime("%d/%m/%Y")
    assert f["PBX_DATE2"] == d2.strftime("%d/%m/%Y")
    assert f["PBX_DATEVALMAX"] == d2.strftime("%y%m")
    ref = f["PBX_CMD"]
    assert flow.order(ref)["instalments"] == 3 and flow.order(ref)["total"] == 7000
    # the simulator checks the schedule (and the HMAC) and shows it
    page = requests.post(flow.bank.url("/cgi/MYchoix_pagepaiement.cgi"), data=fields)
    assert "Paiement de 23.34 EUR" in page.text and "Paiement en 3 fois" in page.text
    assert f"puis 23.33 EUR le {f['PBX_DATE2']}" in page.text
    ref, f, url = flow.at_bank(fields, flow.bank.url("/cgi/MYchoix_pagepaiement.cgi"))
    notes = flow.bank.notifications()
    assert [(n["ref"], n["code"], n["status"]) for n in notes] == [(ref, "00000", 200)]
    assert notes[0]["query"].startswith("Mt=2334&")
    assert flow.order(ref)["status"] == "payee" and flow.order(ref)["instalments"] == 3
    assert flow.registration() == ("payee", 2) and flow.places() == 2
    page = flow.back(url)
    assert page.states == {"Paiement accepté"} and page.alerts == []


def test_paid_after_cancellation(flow, expect_log):
    expect_log(r"CMCAS55: REFUND DUE")
    ref, _, _ = flow.pay(CARD_PENDING)
    assert flow.order_status(ref) == "attente_cb"
    flow.cancel_order(ref)
    assert flow.order_status(ref) == "annulee"
    assert flow.registration() == ("annulee", 0) and flow.places() == 0
    # the bank accepts it after all: refunded, no place taken back
    rec = flow.bank.notify(ref=ref, E="00000")
    assert rec["status"] == 200
    assert flow.order_status(ref) == "a_rembourser"
    assert flow.registration() == ("annulee", 0) and flow.places() == 0
    events = flow.order_events(ref)
    assert [e[1] for e in events] == ["attente_cb", "attente_cb", "annulee", "a_rembourser"]
    assert "à rembourser" in events[-1][2]
    assert "Remboursement à effectuer" in flow.orders_page()
    # and a second time changes nothing
    before = flow.snapshot()
    assert flow.bank.replay(rec["n"])["status"] == 200
    assert flow.snapshot() == before


def test_notification_needs_no_authentication(flow):
    ref, _, url = flow.pay(CARD_3DS)
    note = flow.bank.notifications()[0]
    assert note["status"] == 200 and flow.order_status(ref) == "payee"
    # the bank calls without credentials; the member's pages still need them
    r = requests.get(note["url"])
    assert r.status_code == 200 and r.text == "" and "WWW-Authenticate" not in r.headers
    assert requests.get(flow.srv.url("/mes-commandes")).status_code == 401
    assert requests.get(url).status_code == 401
    assert flow.sql("SELECT count(*) FROM cmcas_order_event WHERE status = 'payee'") == [(1,)]
    # another household cannot read the return, even signed
    assert session("martine.dupont").get(url).status_code == 404


def test_refused_then_registration_cancelled_then_paid(flow, expect_log):
    expect_log(r"CMCAS55: REFUND DUE")
    ref, _, _ = flow.pay(CARD_REFUSED)
    assert flow.order_status(ref) == "refusee"
    r = flow.s.post(flow.srv.url("/activite/1/inscription"),
                    data={"csrf": flow.tok, "action": "annuler"}, allow_redirects=False)
    assert r.status_code == 303
    assert flow.registration() == ("annulee", 0) and flow.places() == 0
    assert flow.bank.notify(ref=ref, E="00000")["status"] == 200
    # paid after the registration ended: to refund, the places stay given back
    assert flow.registration() == ("annulee", 0) and flow.places() == 0
    assert flow.order_status(ref) == "a_rembourser"


def test_refused_then_paid_again_then_late_acceptance(flow, expect_log):
    expect_log(r"CMCAS55: REFUND DUE")
    first, _, _ = flow.pay(CARD_REFUSED)
    second, _, _ = flow.pay(CARD_3DS)
    assert first != second
    # paying again replaced the refused order (its hold kept)
    assert (flow.order_status(first), flow.order_status(second)) == ("annulee", "payee")
    assert flow.registration() == ("payee", 2)
    assert flow.bank.notify(ref=first, E="00000")["status"] == 200
    # the registration is paid once; the second payment is to refund
    assert flow.sql("SELECT count(*) FROM cmcas_order WHERE status = 'payee'") == [(1,)]
    assert flow.order_status(first) == "a_rembourser"



def test_order_details_show_the_instalments(flow):
    """« Détails » of a card order in 3 instalments: the three amounts and their dates."""
    _, fields, _ = flow.choose("cb3")
    ref = dict(fields)["PBX_CMD"]
    s, srv = flow.s, flow.srv
    xml = s.get(srv.url(f"/mes-commandes/{ref}"), headers={"Accept": "application/xml"}).text
    assert re.findall(r'<instalment n="\d">\s*<amount cents="(\d+)"', xml) == [
        "2334", "2333", "2333"]
    page = s.get(srv.url(f"/mes-commandes/{ref}")).text
    assert "Échéances" in page and "23,34\u00a0€" in page and "23,33\u00a0€" in page



def test_payment_goes_to_the_organising_cmcas(flow):
    """A BN member on the BN portal pays a CMCAS Touraine activity (« Canoë sur le
    Cher », open to others) with Touraine's merchant account and Touraine's URLs."""
    srv, s = flow.srv, flow.s
    reg = flow.validate_touraine()
    tok = csrf(s, srv, f"/mes-inscriptions/{reg}/paiement")
    page = s.get(srv.url(f"/mes-inscriptions/{reg}/paiement")).text
    assert "cmcas-touraine.example/cgv.pdf" in page
    r = s.post(srv.url(f"/mes-inscriptions/{reg}/paiement"),
               data={"csrf": tok, "cgv": "1", "methode": "cb1"})
    fields = dict((n, html.unescape(v[1:-1])) for n, v in re.findall(
        r'<input type="hidden" name="(PBX_[A-Z0-9_]+)" value=("[^"]*"|\'[^\']*\')', r.text))
    assert (fields["PBX_RANG"], fields["PBX_IDENTIFIANT"]) == ("43", "107975626")
    assert fields["PBX_TOTAL"] == "1500"
    assert "/paiement/notification/paybox/TOURAINE" in fields["PBX_REPONDRE_A"]
    assert "/paiement/retour/paybox/TOURAINE/effectue" in fields["PBX_EFFECTUE"]
    ref = fields["PBX_CMD"]
    assert flow.sql("SELECT cmcas_code FROM cmcas_order WHERE reference = ?", (ref,)) == [
        ("TOURAINE",)]


# ----------------------------------------------------------------------------------
# Paying again (issue 7): a cancelled, refused or abandoned card payment keeps the
# registration and its places while the hold lasts; only the hold's end or the member's
# own « Annuler » cancels.


def _retry_link(flow, ref):
    """The order page's « Réessayer le paiement »: its link (and the page's text)."""
    r = flow.s.get(flow.srv.url(f"/mes-commandes/{ref}"))
    assert r.status_code == 200
    doc = parse_html(r.text)
    links = [a.attrs["href"] for a in doc.find_all("a")
             if a.text.strip() == "Réessayer le paiement"]
    return (links[0] if links else None), main_text(doc)


def _title(text):
    return html.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)).strip()


def test_cancel_at_the_bank_then_pay_again(flow):
    first, _, url = flow.pay(cancel=True)
    r = flow.s.get(url)
    assert _title(r.text) == "Paiement annulé"
    link, text = _retry_link(flow, first)
    assert link == f"/mes-inscriptions/{flow.reg}/paiement?reessayer={first}"
    assert "vos places sont réservées jusqu'au" in text
    hold = flow.sql("SELECT hold_until FROM cmcas_order WHERE reference = ?", (first,))[0][0]
    # the payment page says until when, and its form replaces the waiting order
    page = flow.s.get(flow.srv.url(link))
    assert page.status_code == 200
    assert "Vos places sont réservées jusqu'au" in main_text(parse_html(page.text))
    assert f'name="remplace" value="{first}"' in page.text
    r = flow.s.post(flow.srv.url(f"/mes-inscriptions/{flow.reg}/paiement"),
                    data={"csrf": flow.tok, "methode": "cb1", "cgv": "1", "remplace": first})
    assert r.status_code == 200 and 'id="banque"' in r.text
    doc = parse_html(r.text)
    fields = [(i.attrs["name"], i.attrs["value"]) for i in doc.find("form", id="banque")
              .find_all("input") if i.attrs.get("type") == "hidden"]
    second, _, url = flow.at_bank(fields, doc.find("form", id="banque").attrs["action"])
    assert second != first
    assert flow.order_status(second) == "payee" and flow.order_status(first) == "annulee"
    assert flow.registration() == ("payee", 2) and flow.places() == 2
    # the retry kept the hold: trying again never extends it
    assert flow.sql("SELECT hold_until FROM cmcas_order WHERE reference = ?",
                    (second,))[0][0] == hold
    assert "Remplacée par un nouveau paiement" in flow.order_events(first)[-1][2]
    assert _title(flow.s.get(url).text) == "Confirmation de commande"


def test_a_second_pay_without_choosing_to_retry_goes_to_the_waiting_order(flow):
    first, _, _ = flow.pay(cancel=True)
    r = flow.s.post(flow.srv.url(f"/mes-inscriptions/{flow.reg}/paiement"),
                    data={"csrf": flow.tok, "methode": "cb1", "cgv": "1"},
                    allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/mes-commandes/{first}")
    assert flow.sql("SELECT COUNT(*) FROM cmcas_order")[0][0] == 1


def test_refused_card_is_titled_refused_and_can_be_paid_again(flow):
    first, _, url = flow.pay(CARD_REFUSED)
    r = flow.s.get(url)
    assert _title(r.text) == "Paiement refusé"
    assert "Confirmation de commande" not in r.text
    link, text = _retry_link(flow, first)
    assert link == f"/mes-inscriptions/{flow.reg}/paiement"
    assert "vos places sont réservées jusqu'au" in text
    # the refused order holds no « waiting » slot: the form is offered at once
    second, _, _ = flow.pay(CARD_3DS)
    assert flow.order_status(first) == "annulee" and flow.order_status(second) == "payee"
    assert flow.registration() == ("payee", 2) and flow.places() == 2


def test_replayed_cancellation_writes_nothing(flow):
    ref, _, _ = flow.pay(cancel=True)
    rec = flow.bank.notify(ref=ref, E="00001")
    assert rec["status"] == 200
    before = flow.snapshot()
    for _ in range(3):
        assert flow.bank.replay(rec["n"])["status"] == 200
    assert flow.snapshot() == before
    assert [e[1] for e in flow.order_events(ref)] == ["attente_cb", "attente_cb"]
