"""Card payment through the Systempay simulator (tests/gateway/systempay_simulator.py):
the payment methods offered, the signed vads_* form to the bank, the IPN (the only thing
that changes an order: signature checked before any handler, amount, order id,
idempotence, refused then accepted, cancelled), the browser's signed GET returns (never
marking anything paid), and 3 instalments. Every test checks the database, not only the
HTTP statuses."""

import base64
import datetime
import hashlib
import hmac
import os
import re
import urllib.parse

import pytest
import requests

from cmcas_httpd import BN_BLOCK, REPO, settle_first_jobs
from cmcas_pages import parse_html, main_text
from test_7_helpers import cheap_hash
from test_8_helpers import (CARD_3DS, CARD_PENDING, CARD_REFUSED, Flow, reset_payments,
                            running_bank, session)

SIMULATOR = os.path.join(REPO, "tests", "gateway", "systempay_simulator.py")
KEY_FILE = os.path.join(REPO, "tests", "gateway", "keys", "systempay-test.key")
with open(KEY_FILE, encoding="utf-8") as _fh:
    KEY = _fh.read().strip()
SITE_ID = "12345678"
PAGE_PATH = "/vads-payment/"


FORM_FIELDS = {"vads_action_mode", "vads_amount", "vads_ctx_mode", "vads_currency",
               "vads_cust_email", "vads_order_id", "vads_page_action",
               "vads_payment_config", "vads_site_id", "vads_trans_date", "vads_trans_id",
               "vads_version", "vads_return_mode", "vads_url_check", "vads_url_success",
               "vads_url_refused", "vads_url_cancel", "vads_url_return", "signature"}


def sign(fields):
    """Systempay's signature: Base64(HMAC-SHA-256(key, sorted vads_* values + key))."""
    values = [v for k, v in sorted(fields.items()) if k.startswith("vads_")]
    message = "+".join(values + [KEY]).encode("utf-8")
    return base64.b64encode(hmac.new(KEY.encode("utf-8"), message, hashlib.sha256)
                            .digest()).decode("ascii")


# ----------------------------------------------------------------------------------
# The bank (simulator) and the server


@pytest.fixture(scope="module")
def bank():
    with running_bank(SIMULATOR, "test_820_systempay", "--key-file", KEY_FILE) as b:
        yield b


@pytest.fixture(scope="module")
def card_server(make_server, bank):
    block = BN_BLOCK.replace("</CMCAS>", f"""\
    CMCASOnlinePayment On
    CMCASGateway systempay {bank.url(PAGE_PATH)}
    CMCASSystempayAccount {SITE_ID} TEST
    CMCASSystempayKeyFile {KEY_FILE}
    CMCASInstalments 3 50
    CMCASCGV /cgv
</CMCAS>""")
    srv = make_server("card", sections={"cmcas": block},
                      extra="<Location /paiement/notification>\n Require all granted\n"
                            "</Location>")
    # Basic authentication at bcrypt cost 4: ~1 ms a request instead of ~70.
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    settle_first_jobs(srv)              # the demo's draw made before the snapshots
    return srv


class SystempayFlow(Flow):
    CARD_PAGE, TDS_PAGE = "/vads-payment/carte", "/vads-payment/3ds"
    REF_FIELD, REFUSAL = "vads_order_id", "Erreur de"


@pytest.fixture
def flow(card_server, bank):
    """No order, no registration, the demo's prices, the bank notifying; then Gael
    CLASSEN and Michel PETIT validated on « Atelier gourmand » (70 €)."""
    reset_payments(card_server, bank)
    yield SystempayFlow(card_server, bank).validate()
    bank.set_notify(True)


def return_query(url):
    """The signed query of a browser return, as a dict."""
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query,
                                       keep_blank_values=True))


# ----------------------------------------------------------------------------------
# The payment page and the signed form


def test_payment_page_offers_the_card(flow):
    r = flow.payment_page()
    assert r.status_code == 200
    doc = parse_html(r.text)
    buttons = [(b.attrs.get("value"), b.text) for b in doc.find_all("button")
               if b.attrs.get("name") == "methode"]
    assert buttons == [("cmcas", "Paiement en CMCAS"), ("cb1", "Payer avec CB"),
                       ("cb3", "Payer avec CB en 3 fois")]
    assert "70,00 €" in main_text(doc)
    assert flow.bank.origin not in r.headers["Content-Security-Policy"]
    assert flow.sql("SELECT count(*) FROM cmcas_order")[0][0] == 0


def test_bank_form(flow):
    r, fields, action = flow.choose("cb1")
    names = [n for n, _ in fields]
    assert len(names) == len(set(names))
    assert set(names) == FORM_FIELDS
    f = dict(fields)
    assert action == flow.bank.url(PAGE_PATH)
    assert (f["vads_action_mode"], f["vads_ctx_mode"], f["vads_page_action"],
            f["vads_version"], f["vads_return_mode"]) == (
        "INTERACTIVE", "TEST", "PAYMENT", "V2", "GET")
    assert (f["vads_site_id"], f["vads_amount"], f["vads_currency"]) == (
        SITE_ID, "7000", "978")
    assert f["vads_payment_config"] == "SINGLE"
    assert f["vads_cust_email"] == "gael.classen@example.org"
    ref = f["vads_order_id"]
    assert re.fullmatch(r"[A-Z]{9}", ref)
    assert flow.order(ref) == {"reference": ref, "status": "attente_cb",
                               "method": "systempay", "total": 7000, "instalments": 1,
                               "registration_id": flow.reg}
    assert re.fullmatch(r"[0-9]{6}", f["vads_trans_id"])
    assert re.fullmatch(r"[0-9]{14}", f["vads_trans_date"])
    stamp = datetime.datetime.strptime(f["vads_trans_date"], "%Y%m%d%H%M%S").replace(
        tzinfo=datetime.timezone.utc)
    assert abs((datetime.datetime.now(datetime.timezone.utc) - stamp).total_seconds()) < 120
    base = flow.srv.url("/paiement/retour/systempay/BN/")
    assert f["vads_url_success"] == base + "effectue"
    assert f["vads_url_refused"] == base + "refuse"
    assert f["vads_url_cancel"] == base + "annule"
    assert f["vads_url_return"] == base + "attente"
    assert f["vads_url_check"] == flow.srv.url("/paiement/notification/systempay/BN")
    # the signature recomputed here
    assert f["signature"] == sign(f)
    # the page may post to the bank's origin, and to no other
    csp = {d.split()[0]: d.split()[1:] for d in
           (p.strip() for p in r.headers["Content-Security-Policy"].split(";")) if d}
    assert csp["form-action"] == ["'self'", flow.bank.origin]
    # the simulator takes the request (it checks the fields and the signature itself)
    page = requests.post(action, data=fields)
    assert "Paiement de 70.00 EUR" in page.text and "Erreur de" not in page.text
    assert f"Référence de la commande : {ref}" in page.text
    # no notification yet: the order waits, the places are held
    assert flow.order_status(ref) == "attente_cb"
    assert flow.registration() == ("validee", 2) and flow.places() == 2


# ----------------------------------------------------------------------------------
# Outcomes


def test_accepted_card(flow):
    ref, _, url = flow.pay(CARD_3DS)
    assert url.startswith(flow.srv.url("/paiement/retour/systempay/BN/effectue?"))
    q = return_query(url)
    assert q["vads_trans_status"] == "AUTHORISED" and q["signature"] == sign(q)
    notes = flow.bank.notifications()
    assert [(n["kind"], n["order_id"], n["trans_status"], n["signature"], n["status"])
            for n in notes] == [("ipn", ref, "AUTHORISED", "good", 200)]
    assert notes[0]["fields"]["vads_amount"] == "7000"
    assert flow.order_status(ref) == "payee"
    assert flow.registration() == ("payee", 2) and flow.places() == 2
    assert [e[1] for e in flow.order_events(ref)] == ["attente_cb", "payee"]
    page = flow.back(url)
    assert page.states == {"Paiement accepté"} and page.alerts == []
    assert "Votre commande sur CMCAS Berry-Nivernais est terminée." in page.text
    listing = flow.orders_page()
    assert ref in listing and "Systempay" in listing and "Paiement accepté" in listing
    assert "70,00 €" in listing
    # the IPN needs no authentication, the member's return does
    assert requests.get(url).status_code == 401
    # another household cannot read the return, even signed
    assert session("martine.dupont").get(url).status_code == 404


def test_refused_card_then_accepted(flow):
    ref, _, url = flow.pay(CARD_REFUSED)
    assert url.startswith(flow.srv.url("/paiement/retour/systempay/BN/refuse?"))
    assert [(n["trans_status"], n["status"]) for n in flow.bank.notifications()] == [
        ("REFUSED", 200)]
    assert flow.order_status(ref) == "refusee"
    # the registration keeps its places: the member may try again
    assert flow.registration() == ("validee", 2) and flow.places() == 2
    page = flow.back(url)
    assert page.states == {"Paiement refusé"}
    assert len(page.alerts) == 1 and "réessayer le paiement" in page.alerts[0]
    assert flow.payment_page().status_code == 200
    # the bank accepts it later, for the same order
    rec = flow.bank.notify(order_id=ref, vads_trans_status="AUTHORISED", vads_result="00",
                           vads_auth_result="00")
    assert rec["status"] == 200
    assert flow.order_status(ref) == "payee"
    assert flow.registration() == ("payee", 2) and flow.places() == 2
    assert [e[1] for e in flow.order_events(ref)] == ["attente_cb", "refusee", "payee"]


def test_cancel_on_the_bank_page(flow):
    ref, _, url = flow.pay(cancel=True)
    assert url.startswith(flow.srv.url("/paiement/retour/systempay/BN/annule?"))
    assert return_query(url)["vads_trans_status"] == "ABANDONED"
    # Systempay notifies a cancellation too: recorded, the order unchanged
    assert [(n["trans_status"], n["status"]) for n in flow.bank.notifications()] == [
        ("ABANDONED", 200)]
    assert flow.order_status(ref) == "attente_cb"
    assert flow.registration() == ("validee", 2) and flow.places() == 2
    events = flow.order_events(ref)
    assert [e[1] for e in events] == ["attente_cb", "attente_cb"]
    page = flow.back(url)
    assert page.alerts == ["Vous avez annulé le paiement. Vos places restent réservées : "
                           "vous pouvez réessayer le paiement."]
    assert page.states == {"En attente de paiement"}
    # CANCELLED (the merchant's cancellation) changes nothing either
    before = flow.sql("SELECT status FROM cmcas_order")
    rec = flow.bank.notify(order_id=ref, vads_trans_status="CANCELLED")
    assert rec["status"] == 200
    assert flow.sql("SELECT status FROM cmcas_order") == before
    assert flow.registration() == ("validee", 2)


def test_browser_return_without_notification(flow):
    flow.bank.set_notify(False)
    ref, _, url = flow.pay(CARD_3DS)
    assert "vads_trans_status=AUTHORISED" in url and flow.bank.notifications() == []
    before = flow.snapshot()
    page = flow.back(url)
    assert len(page.alerts) == 1 and "en cours de confirmation" in page.alerts[0]
    assert page.states == {"En attente de paiement"}
    # a browser return never marks anything paid
    assert flow.snapshot() == before
    assert flow.order_status(ref) == "attente_cb"
    assert flow.registration() == ("validee", 2)
    # then the IPN arrives
    rec = flow.bank.notify(order_id=ref)
    assert (rec["trans_status"], rec["status"]) == ("AUTHORISED", 200)
    assert flow.order_status(ref) == "payee" and flow.registration() == ("payee", 2)
    page = flow.back(url)
    assert page.states == {"Paiement accepté"} and page.alerts == []


def test_pending_then_captured(flow):
    ref, _, url = flow.pay(CARD_PENDING)
    assert url.startswith(flow.srv.url("/paiement/retour/systempay/BN/attente?"))
    assert [(n["trans_status"], n["status"]) for n in flow.bank.notifications()] == [
        ("UNDER_VERIFICATION", 200)]
    assert flow.order_status(ref) == "attente_cb" and flow.registration() == ("validee", 2)
    page = flow.back(url)
    assert len(page.alerts) == 1 and "en cours de confirmation" in page.alerts[0]
    assert page.states == {"En attente de paiement"}
    # CAPTURED pays like AUTHORISED
    rec = flow.bank.notify(order_id=ref, vads_trans_status="CAPTURED")
    assert rec["status"] == 200
    assert flow.order_status(ref) == "payee" and flow.registration() == ("payee", 2)


def test_tampered_browser_return(flow, expect_log):
    expect_log(r"CMCAS50: ", must_appear=False)
    flow.bank.set_notify(False)
    ref, _, url = flow.pay(CARD_3DS)
    before = flow.snapshot()
    assert "vads_amount=7000" in url
    assert flow.s.get(url.replace("vads_amount=7000", "vads_amount=100")).status_code == 403
    assert flow.s.get(re.sub(r"&signature=[^&]*", "", url)).status_code == 403
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"


def test_duplicate_notification(flow):
    ref, _, _ = flow.pay(CARD_3DS)
    assert flow.order_status(ref) == "payee"
    before = flow.snapshot()
    rec = flow.bank.replay(1)
    assert (rec["kind"], rec["status"], rec["body"]) == (
        "replay", 200, flow.bank.notifications()[0]["body"])
    assert flow.snapshot() == before
    assert flow.sql("SELECT count(*) FROM cmcas_order_event WHERE status = 'payee'") == [(1,)]
    assert flow.sql("SELECT count(*) FROM registration_event WHERE status = 'payee'") == [(1,)]
    assert [n["status"] for n in flow.bank.notifications()] == [200, 200]


# ----------------------------------------------------------------------------------
# Forged notifications


def test_tampered_amount(flow, expect_log):
    expect_log(r"CMCAS53: .*[A-Z]{9}.*100.*7000")
    flow.bank.set_notify(False)
    ref, _, _ = flow.pay(CARD_3DS)
    before = flow.snapshot()
    rec = flow.bank.notify(order_id=ref, vads_amount="100")
    assert (rec["signature"], rec["status"]) == ("good", 409)
    assert rec["fields"]["vads_amount"] == "100"
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"


@pytest.mark.parametrize("signature", ["tampered", "bad"])
def test_bad_signature(flow, expect_log, signature):
    expect_log(r"CMCAS50: .*/paiement/notification/systempay/BN")
    flow.bank.set_notify(False)
    ref, _, _ = flow.pay(CARD_REFUSED)
    before = flow.snapshot()
    rec = flow.bank.notify(order_id=ref, vads_trans_status="AUTHORISED", vads_result="00",
                           signature=signature)
    assert rec["status"] == 403
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"


def test_unknown_order(flow, expect_log):
    expect_log(r"CMCAS52: .*ZZZZZZZZZ")
    flow.bank.set_notify(False)
    ref, _, _ = flow.pay(CARD_3DS)
    before = flow.snapshot()
    rec = flow.bank.notify(order_id=ref, vads_order_id="ZZZZZZZZZ")
    assert rec["status"] == 404 and rec["fields"]["vads_order_id"] == "ZZZZZZZZZ"
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"


def test_hand_made_notifications(flow, expect_log):
    expect_log(r"CMCAS50: .*/paiement/notification/systempay/BN")
    flow.bank.set_notify(False)
    ref, _, _ = flow.pay(CARD_REFUSED)
    # a properly signed acceptance, sent elsewhere (the simulator itself) to keep it
    good = flow.bank.notify(order_id=ref, vads_trans_status="AUTHORISED", vads_result="00",
                            url=flow.bank.url("/sink"))
    fields = good["fields"]
    assert fields["signature"] == sign({k: v for k, v in fields.items() if k != "signature"})
    target = flow.srv.url("/paiement/notification/systempay/BN")
    before = flow.snapshot()
    unsigned = {k: v for k, v in fields.items() if k != "signature"}
    forgeries = [
        unsigned,                                           # no signature
        dict(unsigned, signature=""),                       # an empty one
        dict(fields, vads_amount="7001"),                   # a field changed
        dict(fields, vads_extra="x"),                       # a vads_ field added
        list(fields.items()) + [("signature", fields["signature"])],    # twice
    ]
    for body in forgeries:
        r = requests.post(target, data=body)
        assert r.status_code == 403, body
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"
    # the same body, as signed, goes through (the checks above refused only forgeries)
    r = requests.post(target, data=good["body"],
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200
    assert flow.order_status(ref) == "payee" and flow.registration() == ("payee", 2)


# ----------------------------------------------------------------------------------
# Instalments


def test_three_instalments(flow):
    _, fields, action = flow.choose("cb3")
    f = dict(fields)
    assert set(f) == FORM_FIELDS
    assert f["vads_payment_config"] == "MULTI:first=2334;count=3;period=30"
    assert f["vads_amount"] == "7000" and f["signature"] == sign(f)
    ref = f["vads_order_id"]
    assert flow.order(ref)["instalments"] == 3 and flow.order(ref)["total"] == 7000
    # the simulator checks the schedule (and the signature) and shows it
    page = requests.post(action, data=fields)
    assert "Paiement de 70.00 EUR" in page.text
    assert "Paiement en 3 fois : 23.34 EUR aujourd'hui" in page.text
    assert "puis 23.33 EUR le" in page.text
    ref, f, url = flow.at_bank(fields, action)
    notes = flow.bank.notifications()
    assert [(n["order_id"], n["trans_status"], n["status"]) for n in notes] == [
        (ref, "AUTHORISED", 200)]
    assert notes[0]["fields"]["vads_amount"] == "7000"
    assert notes[0]["fields"]["vads_effective_amount"] == "2334"
    assert flow.order(ref)["status"] == "payee" and flow.order(ref)["instalments"] == 3
    assert flow.registration() == ("payee", 2) and flow.places() == 2
    page = flow.back(url)
    assert page.states == {"Paiement accepté"} and page.alerts == []


def test_three_instalments_amount_is_the_total(flow, expect_log):
    """With instalments, vads_amount is the total: the first instalment alone (what
    vads_effective_amount says) is refused as an amount."""
    expect_log(r"CMCAS53: .*[A-Z]{9}.*2334.*7000")
    flow.bank.set_notify(False)
    ref, _, _ = flow.pay(CARD_3DS, methode="cb3")
    before = flow.snapshot()
    rec = flow.bank.notify(order_id=ref, vads_amount="2334")
    assert rec["status"] == 409
    assert flow.snapshot() == before and flow.order_status(ref) == "attente_cb"
    rec = flow.bank.notify(order_id=ref)
    assert (rec["fields"]["vads_amount"], rec["fields"]["vads_effective_amount"],
            rec["status"]) == ("7000", "2334", 200)
    assert flow.order_status(ref) == "payee" and flow.registration() == ("payee", 2)
