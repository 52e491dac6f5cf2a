#!/usr/bin/python3
"""Writes the seed corpora of the bank-return harnesses (fuzz_paybox, fuzz_systempay):
returns shaped like the simulators' (tests/gateway), signed with the TEST keys so that
the fuzzer starts from inputs that pass verification. The seeds are committed; run this
again (with Debian's python3-cryptography) only to change them:

    /usr/bin/python3 tests/fuzz/seeds.py
"""
import base64
import hashlib
import hmac
import os
import urllib.parse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "gateway", "keys")


def write(name, seed, data):
    folder = os.path.join(HERE, "corpus", name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, seed), "wb") as f:
        f.write(data.encode("utf-8"))


def quote(value):
    return urllib.parse.quote(value, safe="")


# ------------------------------------------------------------------ Paybox (RSA-SHA1, K)

with open(os.path.join(KEYS, "simulator-private.pem"), "rb") as f:
    PRIVATE = serialization.load_pem_private_key(f.read(), password=None)


def paybox_sign(query):
    sig = PRIVATE.sign(query.encode("utf-8"), padding.PKCS1v15(), hashes.SHA1())
    return base64.b64encode(sig).decode("ascii")


def paybox(pairs, sign_name="Sign", good=True):
    query = "&".join(f"{n}={quote(v)}" for n, v in pairs)
    sig = paybox_sign(query)
    if not good:
        raw = bytearray(base64.b64decode(sig))
        raw[0] ^= 0x55
        sig = base64.b64encode(bytes(raw)).decode("ascii")
    return f"{query}&{sign_name}={quote(sig)}"


def retour(mt, ref, auto, appel, trans, erreur):
    return [("Mt", mt), ("Ref", ref), ("Auto", auto), ("Appel", appel), ("Trans", trans),
            ("Erreur", erreur)]


PAYBOX = {
    "paid": paybox(retour("1000", "ABCDEFGHI", "XXXXXX", "123", "456", "00000")),
    "paid_instalment": paybox(retour("2334", "BN-2026-000042", "XXXXXX", "30012345",
                                     "60012345", "00000")),
    "refused": paybox(retour("7000", "BN-2026-000043", "", "30012346", "60012346", "00105")),
    "refused_other": paybox(retour("7000", "BN-2026-000044", "", "30012347", "60012347",
                                   "00151")),
    "cancelled": paybox(retour("1000", "BN-2026-000045", "", "0", "0", "00001")),
    "pending": paybox(retour("1000", "BN-2026-000046", "", "30012348", "60012348", "99999")),
    "error": paybox(retour("1000", "BN-2026-000047", "", "0", "0", "00030")),
    "unknown_code": paybox(retour("1000", "BN-2026-000048", "", "0", "0", "12345")),
    "ref_encoded": paybox(retour("1000", "Réf 1/2 & co=é+", "XXXXXX", "1", "2", "00000")),
    "no_trans": paybox([("Mt", "1000"), ("Ref", "ABCDEFGHI"), ("Erreur", "00000")]),
    "mt_not_number": paybox(retour("10.00", "ABCDEFGHI", "XXXXXX", "1", "2", "00000")),
    "mt_huge": paybox(retour("9999999999999", "ABCDEFGHI", "XXXXXX", "1", "2", "00000")),
    "no_ref": paybox([("Mt", "1000"), ("Erreur", "00000")]),
    "bad_signature": paybox(retour("1000", "ABCDEFGHI", "XXXXXX", "123", "456", "00000"),
                            good=False),
    "sign_not_last": paybox(retour("1000", "ABCDEFGHI", "XXXXXX", "1", "2", "00000"))
                     + "&Extra=1",
    "two_signs": "Sign=AAAA&" + paybox(retour("1000", "ABCDEFGHI", "X", "1", "2", "00000")),
    "sign_unencoded": "Mt=1000&Ref=ABCDEFGHI&Erreur=00000&Sign="
                      + paybox_sign("Mt=1000&Ref=ABCDEFGHI&Erreur=00000"),
    "unsigned": "Mt=1000&Ref=ABCDEFGHI&Auto=XXXXXX&Appel=123&Trans=456&Erreur=00000",
}
for seed, data in PAYBOX.items():
    write("fuzz_paybox", seed, data)


# --------------------------------------------------------- Systempay (HMAC-SHA-256, vads_)

with open(os.path.join(KEYS, "systempay-test.key")) as f:
    SP_KEY = f.read().strip()


def sp_signature(fields, key=SP_KEY):
    values = [v for k, v in sorted(fields.items()) if k.startswith("vads_")]
    message = "+".join(values + [key]).encode("utf-8")
    return base64.b64encode(hmac.new(key.encode("utf-8"), message, hashlib.sha256)
                            .digest()).decode("ascii")


def systempay(fields, good=True):
    sig = sp_signature(fields, SP_KEY if good else "0000000000000000")
    return urllib.parse.urlencode(sorted(fields.items()) + [("signature", sig)])


def sp_fields(status, order="BN-2026-000042", amount="7000", **extra):
    f = {
        "vads_action_mode": "INTERACTIVE", "vads_amount": amount, "vads_ctx_mode": "TEST",
        "vads_currency": "978", "vads_cust_email": "gael.classen@example.org",
        "vads_order_id": order, "vads_page_action": "PAYMENT",
        "vads_payment_config": "SINGLE", "vads_return_mode": "GET",
        "vads_site_id": "12345678", "vads_trans_date": "20261128101500",
        "vads_trans_id": "000042", "vads_version": "V2", "vads_trans_status": status,
        "vads_result": "00", "vads_extra_result": "", "vads_auth_mode": "FULL",
        "vads_effective_amount": amount, "vads_effective_currency": "978",
        "vads_operation_type": "DEBIT", "vads_sequence_number": "1",
        "vads_trans_uuid": hashlib.md5(order.encode()).hexdigest(),
        "vads_url_check_src": "PAY", "vads_language": "fr",
    }
    f.update(extra)
    return f


SYSTEMPAY = {
    "authorised": systempay(sp_fields("AUTHORISED", vads_auth_number="3fc116",
                                      vads_auth_result="00", vads_card_brand="CB",
                                      vads_card_number="497010XXXXXX0055")),
    "captured": systempay(sp_fields("CAPTURED", vads_auth_number="123456")),
    "multi": systempay(sp_fields("AUTHORISED", amount="9000", vads_auth_number="654321",
                                 vads_payment_config="MULTI:first=3000;count=3;period=30")),
    "refused": systempay(sp_fields("REFUSED", vads_result="05", vads_auth_result="05")),
    "abandoned": systempay(sp_fields("ABANDONED", vads_result="17")),
    "cancelled": systempay(sp_fields("CANCELLED")),
    "pending": systempay(sp_fields("UNDER_VERIFICATION")),
    "waiting": systempay(sp_fields("WAITING_AUTHORISATION")),
    "to_validate": systempay(sp_fields("AUTHORISED_TO_VALIDATE")),
    "unknown_status": systempay(sp_fields("EXPIRED")),
    "production": systempay(sp_fields("AUTHORISED", vads_ctx_mode="PRODUCTION",
                                      vads_auth_number="")),
    "encoded_values": systempay(sp_fields("AUTHORISED", order="Réf 1/2 & co=é+",
                                          vads_cust_email="a+b@example.org")),
    "amount_not_number": systempay(sp_fields("AUTHORISED", amount="70.00")),
    "no_status": systempay({k: v for k, v in sp_fields("x").items()
                            if k != "vads_trans_status"}),
    "bad_signature": systempay(sp_fields("AUTHORISED"), good=False),
    "minimal": systempay({"vads_amount": "1", "vads_order_id": "R",
                          "vads_trans_status": "AUTHORISED"}),
    "two_signatures": systempay({"vads_amount": "1", "vads_order_id": "R",
                                 "vads_trans_status": "AUTHORISED"}) + "&signature=AAAA",
    "repeated_field": "vads_amount=1&" + systempay({"vads_amount": "2", "vads_order_id": "R",
                                                    "vads_trans_status": "AUTHORISED"}),
    "not_vads": "a=1&b=2&" + systempay({"vads_amount": "3", "vads_order_id": "R",
                                        "vads_trans_status": "REFUSED"}),
}
for seed, data in SYSTEMPAY.items():
    write("fuzz_systempay", seed, data)
