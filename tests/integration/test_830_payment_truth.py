"""The truth of a card payment. A valid bank signature on a notification proves that the
bank signed it, not that the money reached this CMCAS's merchant account:

(i)   Paybox's public test platform signs with the production key: a member pays his own
      order's reference and amount there with a test card, no money moves. Its
      authorisation number is always XXXXXX: a production CMCAS refuses it.
(ii)  A payment of our reference and amount to ANOTHER merchant account of the same bank
      (the payer's own), with PBX_REPONDRE_A pointing at our notification URL, is signed
      alike: only the bank can tell, server to server (CMCASPayboxDirect: Paybox Direct
      consultation by our account, which does not know that transaction).
(iii) A real payment is confirmed by the bank and paid.
(iv)  The bank cannot be asked: nothing is paid, the notification is answered 503 (the
      bank's « WARNING » e-mail), and the same notification sent again later pays.

Refused payments leave the order waiting for its payment (« En attente de paiement »,
« Réessayer le paiement » leading to « Payer avec CB ») and write exactly one warning
naming the order and the reason. Every test
checks the database and the bank's side (the simulator's notifications and the Paybox
Direct questions it was asked), not only HTTP statuses."""

import hashlib
import hmac
import os
import re
import shutil

import pytest
import requests

from cmcas_httpd import BN_BLOCK, GEN_DIR, REPO
from cmcas_pages import parse_html
from test_7_helpers import cheap_hash
from test_8_helpers import CARD_3DS, Bank, Page, PayboxFlow, reset_payments

NAME = "test_830_payment_truth"
SIMULATOR = os.path.join(REPO, "tests", "gateway", "paybox_simulator.py")
KEYS = os.path.join(REPO, "tests", "gateway", "keys")
HMAC_KEY_FILE = os.path.join(KEYS, "paybox-test-hmac.key")
OTHER_KEY_FILE = os.path.join(KEYS, "paybox-other-merchant-hmac.key")
CLE_FILE = os.path.join(KEYS, "paybox-direct-test.cle")
OUR = ("1999888", "32", "107904482")
OTHER = ("1234567", "01", "222222222")      # the payer's own account at the same bank

# What the portal logs when it refuses an accepted payment (one line, at warn level).
XXXXXX_REASON = r"XXXXXX"
ELSEWHERE_REASON = r"unknown to merchant account 1999888/32"
UNREACHABLE_REASON = {"down": r"Paybox Direct unreachable",
                      "error": r"Paybox Direct answered HTTP 500"}
NO_DIRECT_WARNING = r"CMCAS81: <CMCAS BN> \(.*\) takes Paybox payments without CMCASPayboxDirect"


# ----------------------------------------------------------------------------------
# The bank (simulator, production platform, two merchant accounts) and two servers


@pytest.fixture(scope="module")
def bank():
    os.makedirs(GEN_DIR, exist_ok=True)
    b = Bank(SIMULATOR, os.path.join(GEN_DIR, f"{NAME}-bank.log"),
             "--other-merchant", ",".join(OTHER + (OTHER_KEY_FILE,)))
    b.start()
    yield b
    b.stop()


def bank_config(bank, **params):
    """POST /_sim/config: platform=production|test, direct=up|down|error, notify=0|1."""
    r = requests.post(bank.url("/_sim/config"), params=params, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def direct_questions(bank):
    """The Paybox Direct questions the bank answered (GET /_sim/direct)."""
    return requests.get(bank.url("/_sim/direct"), timeout=10).json()


def direct_key_file(source=HMAC_KEY_FILE):
    """The account's Paybox Direct authentication (its HMAC key, or its CLE), readable by
    root only (the committed test keys are world-readable: apachectl -t refuses that)."""
    d = os.path.join(GEN_DIR, f"{NAME}-keys")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, os.path.basename(source))
    shutil.copyfile(source, path)
    os.chmod(path, 0o600)
    return path


def paybox_block(bank, direct):
    lines = f"""\
    CMCASOnlinePayment On
    CMCASGateway paybox {bank.url("/cgi/MYchoix_pagepaiement.cgi")}
    CMCASPayboxPlatform production
    CMCASPayboxAccount {" ".join(OUR)}
    CMCASPayboxKeyFile {HMAC_KEY_FILE}
    CMCASPayboxPublicKeyFile {KEYS}/simulator-public.pem
    CMCASCGV /cgv
"""
    if direct:
        key = CLE_FILE if direct == "cle" else HMAC_KEY_FILE
        lines += f"    CMCASPayboxDirect {bank.url('/PPPS.php')} {direct_key_file(key)}\n"
    return BN_BLOCK.replace("</CMCAS>", lines + "</CMCAS>")


def start(make_server, bank, suffix, direct):
    srv = make_server(suffix, sections={"cmcas": paybox_block(bank, direct)},
                      extra="<Location /paiement/notification>\n Require all granted\n"
                            "</Location>",
                      expect_at_start=() if direct else [NO_DIRECT_WARNING])
    # Basic authentication at bcrypt cost 4: ~1 ms a request instead of ~70.
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    return srv


@pytest.fixture(scope="module")
def plain_server(make_server, bank):
    """BN on Paybox's production platform, without CMCASPayboxDirect."""
    return start(make_server, bank, "plain", direct=False)


@pytest.fixture(scope="module")
def direct_server(make_server, bank):
    """BN on Paybox's production platform, each payment confirmed by Paybox Direct."""
    return start(make_server, bank, "direct", direct="hmac")


@pytest.fixture(scope="module")
def cle_server(make_server, bank):
    """The same, the account authenticated by its Paybox Direct CLE (older contracts)."""
    return start(make_server, bank, "direct-cle", direct="cle")


def new_flow(srv, bank):
    reset_payments(srv, bank)
    bank_config(bank, platform="production", direct="up")
    return PayboxFlow(srv, bank).validate()


@pytest.fixture
def plain(plain_server, bank):
    yield new_flow(plain_server, bank)
    bank_config(bank, platform="production", direct="up", notify="1")


@pytest.fixture
def checked(direct_server, bank):
    yield new_flow(direct_server, bank)
    bank_config(bank, platform="production", direct="up", notify="1")


@pytest.fixture
def checked_cle(cle_server, bank):
    yield new_flow(cle_server, bank)
    bank_config(bank, platform="production", direct="up", notify="1")


# ----------------------------------------------------------------------------------
# What a refused payment leaves


def warnings_about(flow, ref):
    """The warn-level lines the server logged during this test naming order `ref`."""
    return [line for line in flow.srv.error_log.lines_since_mark()
            if "[cmcas:warn]" in line and ref in line]


def assert_not_paid(flow, ref, reason, expect_log):
    """Nothing paid, the member may still pay by card, one warning with the reason."""
    expect_log(f"(?=.*{ref})(?=.*{reason})")
    assert flow.order_status(ref) == "attente_cb"
    assert flow.registration() == ("validee", 2) and flow.places() == 2
    assert "payee" not in [e[1] for e in flow.order_events(ref)]
    assert flow.sql("SELECT count(*) FROM registration_event WHERE status = 'payee'") == [(0,)]
    # the order still waits for its payment and offers to pay again, by card
    html = flow.s.get(flow.srv.url(f"/mes-commandes/{ref}")).text
    order = Page(html)
    assert order.states == {"En attente de paiement"}, order.text
    assert "À régler avant le" in order.text and "Annuler la commande" in order.text
    retry = [a.attrs["href"] for a in parse_html(html).find_all("a")
             if a.text.strip() == "Réessayer le paiement"]
    assert len(retry) == 1, order.text
    page = flow.s.get(flow.srv.url(retry[0]))
    assert page.status_code == 200 and "Payer avec CB" in Page(page.text).text, page.text
    lines = warnings_about(flow, ref)
    assert len(lines) == 1, lines
    assert re.search(reason, lines[0]), lines[0]


def the_notification(flow, ref):
    [note] = [n for n in flow.bank.notifications() if n["ref"] == ref]
    assert (note["kind"], note["code"], note["signature"]) == ("ipn", "00000", "good")
    return note


def auto_of(note):
    return re.search(r"&Auto=([^&]*)&", note["query"]).group(1)


# ----------------------------------------------------------------------------------
# (i) the public test platform


def test_production_without_direct_warns_at_start(plain_server, direct_server):
    with open(plain_server.error_log_path, encoding="utf-8") as f:
        assert re.search(NO_DIRECT_WARNING, f.read())
    with open(direct_server.error_log_path, encoding="utf-8") as f:
        assert "CMCAS81" not in f.read()


def test_real_payment_without_direct_is_paid(plain):
    """Production platform, no Paybox Direct: a real authorisation number is enough."""
    ref, _, url = plain.pay(CARD_3DS)
    note = the_notification(plain, ref)
    assert note["status"] == 200 and auto_of(note) != "XXXXXX"
    assert plain.order_status(ref) == "payee" and plain.registration() == ("payee", 2)
    assert direct_questions(plain.bank) == []
    assert "Paiement accepté" in plain.back(url).states


def test_test_platform_payment_is_not_paid(plain, expect_log):
    bank_config(plain.bank, platform="test")
    ref, _, url = plain.pay(CARD_3DS)
    note = the_notification(plain, ref)
    # signed by the bank's key all the same, but XXXXXX: the test platform's
    assert auto_of(note) == "XXXXXX"
    # acknowledged (the bank has nothing to send again), nothing paid
    assert note["status"] == 200
    assert_not_paid(plain, ref, XXXXXX_REASON, expect_log)
    # the browser's return says 00000 too: it never pays anything
    assert "Paiement accepté" not in plain.back(url).states
    assert plain.order_status(ref) == "attente_cb"


def test_test_platform_payment_with_direct_is_not_paid(checked, expect_log):
    """With Paybox Direct too: the production platform does not know that transaction."""
    bank_config(checked.bank, platform="test")
    ref, _, _ = checked.pay(CARD_3DS)
    note = the_notification(checked, ref)
    assert auto_of(note) == "XXXXXX" and note["status"] == 200
    assert_not_paid(checked, ref, f"({XXXXXX_REASON}|{ELSEWHERE_REASON})", expect_log)


# ----------------------------------------------------------------------------------
# (ii) another merchant account of the same bank


def pay_elsewhere(flow):
    """The member orders by card, then pays his order's reference and amount through his
    own merchant account at the bank, with our notification URL: (reference, notice)."""
    _, fields, action = flow.choose("cb1")
    f = dict(fields)
    with open(OTHER_KEY_FILE, encoding="ascii") as fh:
        other_key = bytes.fromhex(fh.read().strip())
    forged = [("PBX_SITE", OTHER[0]), ("PBX_RANG", OTHER[1]), ("PBX_IDENTIFIANT", OTHER[2]),
              ("PBX_TOTAL", f["PBX_TOTAL"]), ("PBX_DEVISE", "978"),
              ("PBX_CMD", f["PBX_CMD"]), ("PBX_PORTEUR", "payeur@example.org"),
              ("PBX_RETOUR", f["PBX_RETOUR"]), ("PBX_HASH", "SHA512"),
              ("PBX_TIME", f["PBX_TIME"]),
              ("PBX_EFFECTUE", "http://127.0.0.1:9/boutique/effectue"),
              ("PBX_REPONDRE_A", f["PBX_REPONDRE_A"])]
    message = "&".join(f"{n}={v}" for n, v in forged).encode("utf-8")
    forged.append(("PBX_HMAC", hmac.new(other_key, message, hashlib.sha512)
                   .hexdigest().upper()))
    ref, _, _ = flow.at_bank(forged, action, CARD_3DS)
    assert ref == f["PBX_CMD"] and f["PBX_TOTAL"] == "7000"
    return ref, the_notification(flow, ref)


def test_payment_to_another_merchant_without_direct_cannot_be_told(plain):
    """What CMCASPayboxDirect is for (and what the start-up warning says): without it,
    such a notification is taken as a real payment."""
    ref, note = pay_elsewhere(plain)
    assert auto_of(note) != "XXXXXX" and note["status"] == 200
    assert plain.order_status(ref) == "payee"


def test_payment_to_another_merchant_is_not_paid(checked, expect_log):
    ref, note = pay_elsewhere(checked)
    assert "Mt=7000&" in note["query"] and auto_of(note) != "XXXXXX"
    assert note["status"] == 200
    # the bank was asked by our account, and does not know that transaction
    trans = re.search(r"&Trans=(\d+)&", note["query"]).group(1)
    ours = [q for q in direct_questions(checked.bank) if q["type"] == "00017"]
    assert [(q["site"], int(q["rang"]), int(q["numtrans"]), q["auth"], q["code"])
            for q in ours] == [(OUR[0], int(OUR[1]), int(trans), "HMAC", "00018")]
    assert_not_paid(checked, ref, ELSEWHERE_REASON, expect_log)


# ----------------------------------------------------------------------------------
# (iii) a real payment


def test_real_payment_is_confirmed_and_paid(checked):
    ref, _, url = checked.pay(CARD_3DS)
    note = the_notification(checked, ref)
    assert note["status"] == 200 and auto_of(note) != "XXXXXX"
    assert checked.order_status(ref) == "payee"
    assert checked.registration() == ("payee", 2) and checked.places() == 2
    # both questions, by our account, authenticated, answered « found »
    trans = int(re.search(r"&Trans=(\d+)&", note["query"]).group(1))
    questions = direct_questions(checked.bank)
    assert {q["type"] for q in questions} == {"00017", "00011"}
    for q in questions:
        assert (q["site"], int(q["rang"]), q["auth"], q["code"]) == (OUR[0], int(OUR[1]),
                                                                     "HMAC", "00000")
    assert [int(q["numtrans"]) for q in questions if q["type"] == "00017"] == [trans]
    assert [(q["reference"], int(q["montant"])) for q in questions
            if q["type"] == "00011"] == [(ref, 7000)]
    assert "Paiement accepté" in checked.back(url).states


def test_real_payment_confirmed_with_the_cle(checked_cle):
    ref, _, _ = checked_cle.pay(CARD_3DS)
    assert the_notification(checked_cle, ref)["status"] == 200
    assert checked_cle.order_status(ref) == "payee"
    questions = direct_questions(checked_cle.bank)
    assert sorted((q["type"], q["auth"], q["code"]) for q in questions) == [
        ("00011", "CLE", "00000"), ("00017", "CLE", "00000")]
    # the CLE travels in the question, never in a log line
    with open(CLE_FILE, encoding="ascii") as fh:
        cle = fh.read().strip()
    with open(checked_cle.srv.error_log_path, encoding="utf-8") as fh:
        assert cle not in fh.read()


# ----------------------------------------------------------------------------------
# (iv) the bank cannot be asked


@pytest.mark.parametrize("direct", ["down", "error"])
def test_bank_unreachable_nothing_paid_nothing_lost(checked, expect_log, direct):
    bank_config(checked.bank, direct=direct)
    ref, _, _ = checked.pay(CARD_3DS)
    note = the_notification(checked, ref)
    # not acknowledged: the bank tells the merchant (« WARNING » e-mail)
    assert note["status"] == 503
    assert_not_paid(checked, ref, UNREACHABLE_REASON[direct], expect_log)
    # the bank answers again: the same notification, sent again, pays
    bank_config(checked.bank, direct="up")
    assert checked.bank.replay(note["n"])["status"] == 200
    assert checked.order_status(ref) == "payee"
    assert checked.registration() == ("payee", 2) and checked.places() == 2
    assert len(warnings_about(checked, ref)) == 1
