"""Attacks (issue 13) on the banks' notifications, for both gateways (Paybox and
Systempay through their simulators), beyond what test_810/test_820/test_830 already do
(forged, tampered amount, bad signature, unknown order, duplicate, browser return without
notification, hand-made queries, test platform, another merchant):

- a notification cut short, at every length: 403 (or 400), nothing written;
- its pairs re-ordered (Paybox signs the raw query: 403; Systempay signs the sorted
  values: the same message, taken once);
- the signature of one notification on the fields of another (another order, another
  outcome): 403;
- percent-encoding changed in a signed Paybox query (same values, other bytes): 403;
- a valid notification of a CMCAS Touraine order delivered at Berry-Nivernais's
  notification URL (and the reverse): not taken (the order is unknown there);
- a second, different acceptance (another transaction) of a paid order: paid once —
  one payment event, one invoice;
- Systempay: a validly signed acceptance from another shop (`vads_site_id`) or another
  mode (`vads_ctx_mode`): not paid.
After each refusal the whole database is as it was (test_13_helpers.dump). Both engines.
"""

import urllib.parse

import pytest
import requests

from cmcas_httpd import BN_BLOCK
from test_7_helpers import cheap_hash
from test_8_helpers import CARD_3DS, CARD_REFUSED, reset_payments, running_bank
from test_13_helpers import QUICK_JOBS, diff, dump
import test_810_card_payment as pb
import test_820_systempay as sp

# What a refused notification may log at warn level (one that carries no valid bank
# signature is anyone's doing: CMCAS50 at info, not policed; the others warn).
NOTIFY_LOGS = r"CMCAS5[0-9]|CMCAS70"


# ----------------------------------------------------------------------------------
# The two banks and their servers (BN and TOURAINE on the same simulator's keys)


@pytest.fixture(scope="module")
def pb_bank():
    # Touraine's merchant account (rang 43) at the same bank, with the same keys
    with running_bank(pb.SIMULATOR, "test_1340_attack_payment-paybox", "--other-merchant",
                      "1999888,43,107975626," + pb.HMAC_KEY_FILE) as b:
        yield b


@pytest.fixture(scope="module")
def sp_bank():
    with running_bank(sp.SIMULATOR, "test_1340_attack_payment-systempay", "--key-file",
                      sp.KEY_FILE) as b:
        yield b


def paybox_block(bank, code, name, rang, ident):
    return f"""<CMCAS {code}>
    CMCASName "{name}"
    CMCASOnlinePayment On
    CMCASGateway paybox {bank.url("/cgi/MYchoix_pagepaiement.cgi")}
    CMCASPayboxAccount 1999888 {rang} {ident}
    CMCASPayboxKeyFile {pb.HMAC_KEY_FILE}
    CMCASPayboxPublicKeyFile {pb.KEYS}/simulator-public.pem
    CMCASCGV /cgv
    CMCASCardHold 30
</CMCAS>
"""


def systempay_block(bank, code, name):
    return f"""<CMCAS {code}>
    CMCASName "{name}"
    CMCASOnlinePayment On
    CMCASGateway systempay {bank.url(sp.PAGE_PATH)}
    CMCASSystempayAccount {sp.SITE_ID} TEST
    CMCASSystempayKeyFile {sp.KEY_FILE}
    CMCASCGV /cgv
</CMCAS>
"""


OPEN_NOTIFICATION = "<Location /paiement/notification>\n Require all granted\n</Location>\n"


@pytest.fixture(scope="module")
def pb_server(make_server, pb_bank):
    bn = BN_BLOCK.split("<CMCAS BN>", 1)[1].split("</CMCAS>", 1)[0]
    block = paybox_block(pb_bank, "BN", "x", 32, 107904482).replace(
        '    CMCASName "x"\n', bn) + paybox_block(pb_bank, "TOURAINE", "CMCAS Touraine", 43,
                                                107975626)
    srv = make_server("paybox", sections={"cmcas": block}, extra=OPEN_NOTIFICATION + QUICK_JOBS,
                      expect_at_start=[r"CMCAS81: <CMCAS (BN|TOURAINE)> \(.*\) takes Paybox "
                                       r"payments without CMCASPayboxDirect"])
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    return srv


@pytest.fixture(scope="module")
def sp_server(make_server, sp_bank):
    bn = BN_BLOCK.split("<CMCAS BN>", 1)[1].split("</CMCAS>", 1)[0]
    block = systempay_block(sp_bank, "BN", "x").replace('    CMCASName "x"\n', bn) \
        + systempay_block(sp_bank, "TOURAINE", "CMCAS Touraine")
    srv = make_server("systempay", sections={"cmcas": block}, extra=OPEN_NOTIFICATION + QUICK_JOBS)
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    return srv


@pytest.fixture
def pb_flow(pb_server, pb_bank):
    reset_payments(pb_server, pb_bank)
    pb_bank.set_notify(False)
    yield pb.PayboxFlow(pb_server, pb_bank).validate()
    pb_bank.set_notify(True)


@pytest.fixture
def sp_flow(sp_server, sp_bank):
    reset_payments(sp_server, sp_bank)
    sp_bank.set_notify(False)
    yield sp.SystempayFlow(sp_server, sp_bank).validate()
    sp_bank.set_notify(True)


def touraine_order(flow):
    """Gael on « Canoë sur le Cher » (Touraine's, open to others), paid by card at the
    bank (no notification sent): the order's reference."""
    bn_reg = flow.reg
    flow.reg = flow.validate_touraine()
    try:
        ref, _, _ = flow.pay(CARD_3DS)
    finally:
        flow.reg = bn_reg
    assert flow.sql("SELECT cmcas_code FROM cmcas_order WHERE reference = ?", (ref,)) == [
        ("TOURAINE",)]
    return ref


def paid_once(flow, ref):
    """The order paid, its registration paid once (one event), at most one invoice."""
    assert flow.order_status(ref) == "payee"
    assert flow.sql("SELECT count(*) FROM registration_event e JOIN cmcas_order o ON "
                    "o.registration_id = e.registration_id WHERE o.reference = ? AND "
                    "e.status = 'payee'", (ref,)) == [(1,)]
    assert flow.sql("SELECT count(*) FROM cmcas_invoice i JOIN cmcas_order o ON "
                    "o.id = i.order_id WHERE o.reference = ?", (ref,))[0][0] <= 1


# ----------------------------------------------------------------------------------
# Paybox: the signature is RSA-SHA1 over the raw query


def pb_good(flow, ref, **over):
    """A signed acceptance of `ref`, sent to the simulator's sink (kept, not delivered)."""
    return flow.bank.notify(ref=ref, E="00000", url=flow.bank.url("/sink"), **over)


def pb_send(flow, query, cmcas="BN"):
    """The query sent byte for byte (requests would decode %74 back to t)."""
    return flow.srv.raw("GET", f"/paiement/notification/paybox/{cmcas}?" + query, auth=None)


def test_paybox_truncated_notifications(pb_flow, expect_log):
    expect_log(NOTIFY_LOGS, must_appear=False)
    ref, _, _ = pb_flow.pay(CARD_REFUSED)
    q = pb_good(pb_flow, ref)["query"]
    before = dump(pb_flow.srv)
    for n in sorted(set(range(0, len(q), 7)) | {len(q) - 1, len(q) - 2, q.index("Sign=")}):
        r = pb_send(pb_flow, q[:n])
        assert r.status in (400, 403), (n, q[:n], r.status)
    assert diff(before, dump(pb_flow.srv)) == {}
    assert pb_flow.order_status(ref) != "payee"
    assert pb_send(pb_flow, q).status == 200        # whole, it goes through
    paid_once(pb_flow, ref)


def test_paybox_reordered_and_reencoded(pb_flow, expect_log):
    expect_log(NOTIFY_LOGS, must_appear=False)
    ref, _, _ = pb_flow.pay(CARD_REFUSED)
    q = pb_good(pb_flow, ref)["query"]
    pairs = pb.signed_query({"query": q})
    sign = pairs[-1]
    body = pairs[:-1]
    variants = [
        "&".join("=".join(p) for p in [body[1], body[0]] + body[2:] + [sign]),
        "&".join("=".join(p) for p in list(reversed(body)) + [sign]),
        # the same values, encoded otherwise: %XX for a plain letter, + for nothing
        q.replace("Mt=", "M%74=", 1),
        q.replace(f"Ref={ref}", "Ref=" + "".join("%%%02X" % ord(c) for c in ref), 1),
        q.replace("&", "&&", 1),
        q.replace("&Sign=", "&Sign=%20", 1),
    ]
    before = dump(pb_flow.srv)
    for v in variants:
        r = pb_send(pb_flow, v)
        assert r.status in (400, 403), (v, r.status)
    assert diff(before, dump(pb_flow.srv)) == {}
    assert pb_flow.order_status(ref) != "payee"


def test_paybox_signature_of_other_bytes(pb_flow, expect_log):
    """The Sign of a refusal on the acceptance's fields, and the Sign of another order's
    acceptance on this order's fields."""
    expect_log(NOTIFY_LOGS, must_appear=False)
    ref, _, _ = pb_flow.pay(CARD_REFUSED)
    refused = pb_flow.bank.notify(ref=ref, url=pb_flow.bank.url("/sink"))["query"]
    accepted = pb_good(pb_flow, ref)["query"]
    sign_refused = refused.rsplit("&Sign=", 1)[1]
    fields_accepted = accepted.rsplit("&Sign=", 1)[0]
    # another order of the same household, accepted: its signature here
    other = touraine_order(pb_flow)
    other_sign = pb_good(pb_flow, other)["query"].rsplit("&Sign=", 1)[1]
    before = dump(pb_flow.srv)
    for q in (f"{fields_accepted}&Sign={sign_refused}", f"{fields_accepted}&Sign={other_sign}",
              f"{fields_accepted}&Sign={other_sign}&Sign={sign_refused}"):
        r = pb_send(pb_flow, q)
        assert r.status in (400, 403), (q, r.status)
    assert diff(before, dump(pb_flow.srv)) == {}


def test_paybox_notification_of_another_cmcas_order(pb_flow, expect_log):
    """Touraine's order, validly signed, delivered at BN's URL; BN's order at Touraine's:
    neither is taken (the order is not that CMCAS's)."""
    expect_log(NOTIFY_LOGS, must_appear=False)
    t_ref = touraine_order(pb_flow)
    t_query = pb_good(pb_flow, t_ref)["query"]
    bn_ref, _, _ = pb_flow.pay(CARD_3DS)
    bn_query = pb_good(pb_flow, bn_ref)["query"]
    before = dump(pb_flow.srv)
    assert pb_send(pb_flow, t_query, "BN").status in (403, 404)
    assert pb_send(pb_flow, bn_query, "TOURAINE").status in (403, 404)
    assert diff(before, dump(pb_flow.srv)) == {}
    assert pb_flow.order_status(t_ref) == "attente_cb"
    assert pb_flow.order_status(bn_ref) == "attente_cb"
    # each at its own CMCAS's URL goes through
    assert pb_send(pb_flow, t_query, "TOURAINE").status == 200
    assert pb_send(pb_flow, bn_query, "BN").status == 200
    paid_once(pb_flow, t_ref)
    paid_once(pb_flow, bn_ref)


def test_paybox_a_second_acceptance_does_not_pay_twice(pb_flow, expect_log):
    """Another transaction accepted for a paid order: money to give back, said in the
    log (CMCAS55 « REFUND DUE ») and the order's history; no place, no second invoice."""
    expect_log(r"CMCAS55: REFUND DUE: order [A-Z]{9} of CMCAS BN .*transaction 99999999")
    ref, _, _ = pb_flow.pay(CARD_3DS)
    first = pb_good(pb_flow, ref)["query"]
    assert pb_send(pb_flow, first).status == 200
    paid_once(pb_flow, ref)
    snap = dump(pb_flow.srv)
    # the same acceptance again, then one with another transaction and call number
    assert pb_send(pb_flow, first).status == 200
    assert diff(snap, dump(pb_flow.srv)) == {}
    other = pb_good(pb_flow, ref, S="99999999", T="88888888", A="123456")["query"]
    places = pb_flow.places()
    r = pb_send(pb_flow, other)
    assert r.status in (200, 409), r.status
    paid_once(pb_flow, ref)
    assert pb_flow.places() == places
    assert pb_flow.sql("SELECT count(*) FROM cmcas_order_payment")[0][0] <= 1


# ----------------------------------------------------------------------------------
# Systempay: HMAC-SHA-256 of the sorted vads_ values


def sp_good(flow, ref, **over):
    return flow.bank.notify(order_id=ref, vads_trans_status="AUTHORISED", vads_result="00",
                            url=flow.bank.url("/sink"), **over)


def sp_send(flow, body, cmcas="BN"):
    if not isinstance(body, (str, bytes)):
        body = urllib.parse.urlencode(body)
    return requests.post(flow.srv.url(f"/paiement/notification/systempay/{cmcas}"),
                         data=body, timeout=30,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_systempay_truncated_notifications(sp_flow, expect_log):
    expect_log(NOTIFY_LOGS, must_appear=False)
    ref, _, _ = sp_flow.pay(CARD_REFUSED)
    body = sp_good(sp_flow, ref)["body"]
    before = dump(sp_flow.srv)
    for n in sorted(set(range(0, len(body), 23)) | {len(body) - 1, len(body) - 3}):
        r = sp_send(sp_flow, body[:n])
        assert r.status_code in (400, 403), (n, body[:n], r.status_code)
    assert diff(before, dump(sp_flow.srv)) == {}
    assert sp_flow.order_status(ref) != "payee"
    assert sp_send(sp_flow, body).status_code == 200
    paid_once(sp_flow, ref)


def test_systempay_reordered_is_the_same_message_taken_once(sp_flow, expect_log):
    expect_log(NOTIFY_LOGS, must_appear=False)
    ref, _, _ = sp_flow.pay(CARD_REFUSED)
    body = sp_good(sp_flow, ref)["body"]
    pairs = urllib.parse.parse_qsl(body, keep_blank_values=True)
    assert sp_send(sp_flow, list(reversed(pairs))).status_code == 200
    paid_once(sp_flow, ref)
    snap = dump(sp_flow.srv)
    assert sp_send(sp_flow, pairs[1:] + pairs[:1]).status_code == 200
    assert diff(snap, dump(sp_flow.srv)) == {}


def test_systempay_signature_of_other_fields(sp_flow, expect_log):
    expect_log(NOTIFY_LOGS, must_appear=False)
    ref, _, _ = sp_flow.pay(CARD_REFUSED)
    refused = dict(urllib.parse.parse_qsl(
        sp_flow.bank.notify(order_id=ref, url=sp_flow.bank.url("/sink"))["body"],
        keep_blank_values=True))
    accepted = dict(urllib.parse.parse_qsl(sp_good(sp_flow, ref)["body"],
                                           keep_blank_values=True))
    other = touraine_order(sp_flow)
    other_sig = dict(urllib.parse.parse_qsl(sp_good(sp_flow, other)["body"],
                                            keep_blank_values=True))["signature"]
    before = dump(sp_flow.srv)
    for sig in (refused["signature"], other_sig):
        assert sp_send(sp_flow, dict(accepted, signature=sig)).status_code == 403
    assert diff(before, dump(sp_flow.srv)) == {}
    assert sp_flow.order_status(ref) != "payee"


def test_systempay_notification_of_another_cmcas_order(sp_flow, expect_log):
    expect_log(NOTIFY_LOGS, must_appear=False)
    t_ref = touraine_order(sp_flow)
    t_body = sp_good(sp_flow, t_ref)["body"]
    bn_ref, _, _ = sp_flow.pay(CARD_3DS)
    bn_body = sp_good(sp_flow, bn_ref)["body"]
    before = dump(sp_flow.srv)
    assert sp_send(sp_flow, t_body, "BN").status_code in (403, 404)
    assert sp_send(sp_flow, bn_body, "TOURAINE").status_code in (403, 404)
    assert diff(before, dump(sp_flow.srv)) == {}
    assert sp_send(sp_flow, t_body, "TOURAINE").status_code == 200
    assert sp_send(sp_flow, bn_body, "BN").status_code == 200
    paid_once(sp_flow, t_ref)
    paid_once(sp_flow, bn_ref)


@pytest.mark.parametrize("field,value", [("vads_site_id", "87654321"),
                                         ("vads_ctx_mode", "PRODUCTION")])
def test_systempay_another_shop_or_mode_is_not_paid(sp_flow, expect_log, field, value):
    """Signed with the shop's key (a key leaked to, or shared with, another shop) but
    for another shop or mode: a signature proves who signed, not where money went."""
    expect_log(NOTIFY_LOGS, must_appear=False)
    ref, _, _ = sp_flow.pay(CARD_REFUSED)
    fields = dict(urllib.parse.parse_qsl(sp_good(sp_flow, ref)["body"],
                                         keep_blank_values=True))
    fields[field] = value
    fields["signature"] = sp.sign({k: v for k, v in fields.items() if k != "signature"})
    before = dump(sp_flow.srv)
    r = sp_send(sp_flow, fields)
    assert r.status_code in (200, 403, 409), r.status_code
    assert sp_flow.order_status(ref) != "payee"
    new = diff(before, dump(sp_flow.srv))
    # at most the refusal written in the order's history (CMCAS70) and its status:
    # no payment, no invoice, no place, the registration not paid
    assert not set(new) & {"cmcas_order_payment", "cmcas_invoice", "cmcas_invoice_line",
                           "activity"}, new
    assert sp_flow.registration()[0] != "payee"


def test_systempay_a_second_acceptance_does_not_pay_twice(sp_flow, expect_log):
    expect_log(r"CMCAS55: REFUND DUE: order [A-Z]{9} of CMCAS BN")
    ref, _, _ = sp_flow.pay(CARD_3DS)
    body = sp_good(sp_flow, ref)["body"]
    assert sp_send(sp_flow, body).status_code == 200
    paid_once(sp_flow, ref)
    fields = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
    fields["vads_trans_id"] = "999999"
    fields["vads_trans_uuid"] = "f" * 32
    fields["signature"] = sp.sign({k: v for k, v in fields.items() if k != "signature"})
    places = sp_flow.places()
    r = sp_send(sp_flow, fields)
    assert r.status_code in (200, 409), r.status_code
    paid_once(sp_flow, ref)
    assert sp_flow.places() == places
