#!/usr/bin/python3
"""Writes the seed corpora of the bank-return harnesses (fuzz_paybox, fuzz_systempay):
returns shaped like the simulators' (tests/gateway), signed with the TEST keys so that
the fuzzer starts from inputs that pass verification; and those of the back-office's
parsers (fuzz_activity_input, fuzz_image, fuzz_multipart, fuzz_csv, fuzz_desk): forms
as the pages post them, real tiny pictures, a file's upload, export fields; and those of
the member's forms, the CSRF token (valid ones signed with fuzz_csrf.c's key), the
e-mails, the pages' rendering, Paybox Direct's answers and the small values (dates,
money, text). The seeds are committed; run this
again (with Debian's python3-cryptography) only to change them:

    /usr/bin/python3 tests/fuzz/seeds.py
"""
import base64
import hashlib
import hmac
import os
import struct
import urllib.parse
import zlib

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "gateway", "keys")


def write(name, seed, data):
    folder = os.path.join(HERE, "corpus", name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, seed), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


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


# ------------------------------------------------- back-office: the activity form (urlencoded)

def form(pairs):
    return urllib.parse.urlencode(pairs)


ACTIVITY = [("csrf", "tok"), ("theme", "SPORT"), ("title", "Sortie vélo « Loire »"),
            ("description", "Départ 9 h\r\nRetour 18 h\tfin"), ("place", "Tours"),
            ("start_date", "12/06/2027"), ("end_date", "13/06/2027"),
            ("closing_date", "01/06/2027"), ("capacity", "30"), ("mode", "immediat"),
            ("open_to_others", "1"), ("guests_allowed", "1"), ("max_guests", "2"),
            ("min_age", "6"), ("max_age", "99")]


def option(n, label, pb, cb, pg, cg, lo="", hi="", oid=None, delete=False, pos=""):
    pairs = [(f"option.{n}.id", str(oid))] if oid else []
    pairs += [(f"option.{n}.label", label), (f"option.{n}.price_beneficiary", pb),
              (f"option.{n}.participation_beneficiary", cb), (f"option.{n}.price_guest", pg),
              (f"option.{n}.participation_guest", cg), (f"option.{n}.min_age", lo),
              (f"option.{n}.max_age", hi), (f"option.{n}.position", pos)]
    return pairs + ([(f"option.{n}.delete", "1")] if delete else [])


def activity(**changes):
    return [(k, changes.pop(k, v)) for k, v in ACTIVITY] + list(changes.items())


STAFF_ACTIVITY = {
    "valid": form(activity() + option(1, "Adulte", "30,00", "10,00", "45", "0", "18")
                  + option(2, "Enfant", "1 234,56", "0,5", "12.50 €", "", "", "17")),
    "iso_dates_draw": form(activity(start_date="2027-06-12", end_date="2027-06-12",
                                    closing_date="2027-05-01", mode="tour_de_role",
                                    theme="VOYAGE-SEJOUR")
                           + option(1, "Séjour", "100000,00", "100000", "0", "0", oid=12,
                                    pos="2")
                           + option(3, "Ancienne", "", "", "", "", oid=13, delete=True)),
    "no_option": form(activity(max_guests="", min_age="", max_age="")),
    "errors": form(activity(end_date="11/06/2027", closing_date="31/02/2027",
                            capacity="trente", min_age="99", max_age="6")
                   + option(1, "", "-5", "40", "100000,01", "1,999", "200", "x")),
    "nbsp_amounts": form(activity() + option(1, "Forfait", "1\u00a0000,00 €",
                                             "1\u202f000", "30,", "-0")),
    "unknown_field": form(activity() + [("option.41.label", "x"), ("zzz", "1")]),
    "amount": "1 234,56 €",
    "amount_max": "100000,00",
    "amount_over": "100000,01",
}
for seed, data in STAFF_ACTIVITY.items():
    write("fuzz_activity_input", seed, data)


# ---------------------------------------------------------- back-office: pictures (PNG, JPEG)

def png_bytes(w=3, h=2, colour=2, depth=8):
    """A real PNG (as tests/integration/test_1010_staff_activity.py builds it)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = b"".join(b"\x00" + bytes((x * 40) % 256 for x in range(w * channels))
                   for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# A 1x1 progressive JPEG (a well-known minimal file), as test_1010 uses it.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP////////////////////////////////////////////////"
    "//////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP"
    "/aAAgBAQABPxA=")

STAFF_IMAGE = {
    "rgb.png": png_bytes(),
    "grey.png": png_bytes(1, 1, colour=0),
    "rgba.png": png_bytes(2, 2, colour=6),
    "tiny.jpg": JPEG,
    "truncated.jpg": JPEG[:40],
    "no_iend.png": png_bytes()[:-12],
    "name.png": hashlib.sha256(png_bytes()).hexdigest() + ".png",
}
for seed, data in STAFF_IMAGE.items():
    write("fuzz_image", seed, data)


# ----------------------------------------- back-office: a file's upload (multipart/form-data)

def multipart(parts, boundary="XyZ", ctype=None):
    """The harness's input: the Content-Type, a line feed, the body."""
    body = b""
    for head, data in parts:
        body += b"--" + boundary.encode() + b"\r\n" + head.encode() + b"\r\n\r\n" + data + b"\r\n"
    body += b"--" + boundary.encode() + b"--\r\n"
    ctype = ctype or f"multipart/form-data; boundary={boundary}"
    return ctype.encode() + b"\n" + body


def disposition(name, filename=None, ctype=None):
    head = f'Content-Disposition: form-data; name="{name}"'
    head += f'; filename="{filename}"' if filename is not None else ""
    return head + (f"\r\nContent-Type: {ctype}" if ctype else "")


STAFF_MULTIPART = {
    "upload_png": multipart([(disposition("csrf"), b"tok"),
                             (disposition("image", "photo.png", "image/png"), png_bytes())]),
    "upload_jpeg": multipart([(disposition("csrf"), b"tok"),
                              (disposition("image", "../../etc/passwd.jpg", "image/jpeg"),
                               JPEG)], boundary="----WebKitFormBoundary7MA4YWxkTrZu0gW",
                             ctype='multipart/form-data; '
                                   'boundary="----WebKitFormBoundary7MA4YWxkTrZu0gW"'),
    "base64": multipart([(disposition("image", "a.png", "image/png")
                          + "\r\nContent-Transfer-Encoding: base64",
                          base64.b64encode(png_bytes()))]),
    "quoted_printable": multipart([(disposition("note") + "\r\nContent-Transfer-Encoding: "
                                    "quoted-printable", b"caf=C3=A9 =3D soft=\r\nbreak")]),
    "repeated": multipart([(disposition("a"), b"1"), (disposition("a"), b"2")]),
    "nested": multipart([("Content-Type: multipart/mixed; boundary=in",
                          b"--in\r\nContent-Type: text/plain\r\n\r\nx\r\n--in--")]),
    "no_name": multipart([("Content-Disposition: form-data", b"x")]),
    "not_form": b"application/x-www-form-urlencoded\na=b",
    # Headers and no bytes: GMime's empty array has no data (a NULL memcpy once).
    "empty_part": b'multipart/form-data; boundary=XyZ\n--XyZ\r\n'
                  b'Content-Disposition: form-data; name="a"\r\n--XyZ--\r\n',
}
for seed, data in STAFF_MULTIPART.items():
    write("fuzz_multipart", seed, data)


# ------------------------------------------------------------- back-office: CSV export fields

def table(rows):
    """The harness's input: fields end at NUL, lines at 0x01."""
    return "\x01".join("\x00".join(row) for row in rows)


STAFF_CSV = {
    "export": table([["Inscription", "Foyer", "Nom", "Prénom", "Montant"],
                     ["40", "FAURE Hélène", "Faure", "Hélène", "30,00 €"],
                     ["41", "=HYPERLINK(\"http://x\";\"clic\")", "+33 6 12", "-2+3",
                      "@SUM(A1)"]]),
    "formulas": table([["\tTab", "\rCR", "=1+1", "+1", "-1", "@a", "'déjà"]]),
    "quotes": table([["a;b", "dit \"oui\"", "ligne 1\r\nligne 2", "\"", ";", "\n"],
                     [], [""], ["", ""]]),
    "accents": table([["Éloïse Ñandú 東京 😀", "\u00a0espace", "fin\u202f€"]]),
    "invalid_utf8": "caf\xe9".encode("latin-1") + b"\x00\xff\xfe;=\x01\xc3",
}
for seed, data in STAFF_CSV.items():
    write("fuzz_csv", seed, data)


# ----------------------------------------------------- back-office: the desk's payment form

def desk(kind, means, amount, date, note=None):
    fields = [means, amount, date] + ([note] if note is not None else [])
    return bytes([kind]) + "\x00".join(fields).encode("utf-8")


STAFF_DESK = {
    "cheque": desk(0, "cheque", "70,00", "30/04/2027", "n° 12\r\n34"),
    "cash_today": desk(0, "especes", "1 070,5", "01/05/2027", ""),
    "vacances": desk(0, "cheques_vacances", " 0,99 ", "29/02/2024"),
    "refund_transfer": desk(1, "virement", "", "01/05/2027", "IBAN FR76…"),
    "refund_card": desk(1, "carte", "12", "15/01/2026", "\tremboursé"),
    "tomorrow": desk(0, "cheque", "70", "02/05/2027", "x"),
    "transfer_payment": desk(0, "virement", "70", "30/04/2027", ""),
    "max": desk(0, "especes", "1000000,00", "30/04/2027", ""),
    "over_max": desk(0, "especes", "1 000 000,01", "30/04/2027", ""),
    "amount": "70.05",
}
for seed, data in STAFF_DESK.items():
    write("fuzz_desk", seed, data)


# ------------------------------------- the registration forms (member's, staff's amendment)

REGISTRATION = {
    "save": form([("csrf", "t"), ("participant", "12"), ("options-12", "3"),
                  ("options-12", "4"), ("photo-12", "1"), ("participant", "13"),
                  ("observations", "Allergie\r\naux noix « œufs »"), ("action", "enregistrer")]),
    "add_guest": form([("participant", "12"), ("personne", "invite"),
                       ("invite-nom", "  DUPONT "), ("invite-prenom", "Éloïse"),
                       ("invite-naissance", "29/02/2016"), ("action", "ajouter")]),
    "add_guest_iso": form([("personne", "invite"), ("invite-nom", "Ñandú"),
                           ("invite-prenom", "A"), ("invite-naissance", "1896-11-28"),
                           ("action", "ajouter")]),
    "guest_future": form([("personne", "invite"), ("invite-nom", "X"), ("invite-prenom", "Y"),
                          ("invite-naissance", "29/11/2026"), ("action", "ajouter")]),
    "add_person": form([("personne", "7"), ("action", "ajouter")]),
    "remove": form([("participant", "12"), ("action", "retirer-12")]),
    "validate": form([("participant", "12"), ("action", "valider")]),
    "cancel": form([("action", "annuler")]),
    "stray_box": form([("participant", "12"), ("options-99", "1"), ("action", "valider")]),
    "twice": form([("participant", "12"), ("participant", "12"), ("action", "valider")]),
    "amend": form([("participant", "12"), ("options-12", "3"), ("retirer-12", "1"),
                   ("personne", "invite"), ("invite-nom", "Martin"),
                   ("invite-prenom", "Zoé"), ("invite-naissance", "01/01/2000"),
                   ("options-nouveau", "5"), ("motif", "  Demande\r\ndu\tmembre  ")]),
    "amend_person": form([("participant", "12"), ("personne", "8"),
                          ("options-nouveau", "5"), ("motif", "x" * 501)]),
    "controls": b"observations=%01%0B%7F&invite-nom=%E2%80%AE&action=ajouter&personne=invite",
}
for seed, data in REGISTRATION.items():
    write("fuzz_registration_form", seed, data)


# ------------------------------------------------ the member's details (account forms)

ACCOUNT = {
    "contact": form([("csrf", "t"), ("email", " prenom.nom+tag@exemple.fr "),
                     ("telephone", "06.12.34.56.78")]),
    "contact_intl": form([("email", "a!#$%&'*/=?^_`{|}~-b@sous.domaine-x.org"),
                          ("telephone", "+33 (0)6 12 34 56 78")]),
    "contact_bad": form([("email", "a@b@c"), ("telephone", "+44 20 7946 0958"),
                         ("email", "x@y.fr")]),
    "address": form([("rue1", " 12 rue de la Paix "), ("rue2", "Bât. B\u00a0"),
                     ("code_postal", "18000"), ("ville", "Bourges"), ("pays", "")]),
    "address_abroad": form([("rue1", "Calle Ñandú 3"), ("rue2", ""),
                            ("code_postal", "SW1A 1AA"), ("ville", "Londres"),
                            ("pays", "Royaume-Uni")]),
    "address_france_case": form([("rue1", "x"), ("code_postal", " 75001"),
                                 ("ville", "Paris"), ("pays", "FRANCE")]),
    "controls": b"rue1=a%C2%85b&ville=%09Tours%09&code_postal=1800&email=%0D%0Abcc%3Ax@y.fr",
    "raw_phone": "0033612345678",
    "raw_postcode": b"2A004\x00Corse",
    "raw_email": "jean-pierre.o'neil@cmcas-bourges.fr",
}
for seed, data in ACCOUNT.items():
    write("fuzz_account_input", seed, data)


# ----------------------------------------------------------- the CSRF token (login NUL token)

CSRF_KEY = b"0123456789abcdef0123456789abcdef-fuzz"      # fuzz_csrf.c's test key
CSRF_NOW = 1796000000


def csrf_token(login, issued):
    mac = hmac.new(CSRF_KEY, f"{login}\n{issued}".encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{issued}.{mac}"


CSRF = {
    "valid": "gael.classen\x00" + csrf_token("gael.classen", f"{CSRF_NOW - 100:x}"),
    "expired": "gael.classen\x00" + csrf_token("gael.classen", f"{CSRF_NOW - 4 * 3600 - 1:x}"),
    "future": "m\x00" + csrf_token("m", f"{CSRF_NOW + 61:x}"),
    "other_login": "autre\x00" + csrf_token("gael.classen", f"{CSRF_NOW:x}"),
    "upper_hex": "m\x00" + csrf_token("m", f"{CSRF_NOW:X}"),
    "leading_zeros": "m\x00" + csrf_token("m", f"{CSRF_NOW:016x}"),
    "huge": "m\x00" + csrf_token("m", "ffffffffffffffff"),
    "top_bit": "m\x00" + csrf_token("m", "8000000000000000"),
    "no_dot": "m\x00" + "6b0c5e80",
    "utf8_login": "Éloïse@exemple.fr\x00" + csrf_token("Éloïse@exemple.fr", f"{CSRF_NOW:x}"),
}
for seed, data in CSRF.items():
    write("fuzz_csrf", seed, data)


# ---------------------------------------------- the e-mails (kind byte, then NUL-separated
# to_name, activity_title, detail, from_name, desk_street, desk_city, desk_name, desk_phone,
# desk_postcode, order_reference, to_email, from_email, portal_url, activity_start,
# activity_end, order_hold_until, event_key: fuzz_mail.c's order)

def mail(kind, *values):
    return bytes([kind]) + "\x00".join(values).encode("utf-8")


MAIL = {
    "validated": mail(0, "Gael CLASSEN", "Sortie vélo « Loire »", "", "CMCAS de Bourges"),
    "request": mail(1, "Zoé", "Théâtre", "2027-06-10"),
    "order_desk": mail(2, "M. \"X\"", "Ski", "", "CMCAS", "12 rue <b>", "Bourges",
                       "CMCAS de Bourges", "02 48 00 00 00", "18000", "BN-2026-000042",
                       "m@exemple.fr", "a@cmcas.fr", "https://p.example/", "2027-01-02",
                       "2027-01-09", "2026-12-01T10:00:00Z", "order:42"),
    "order_desk_adjust": mail(2, "", "Ski", "Ajout d'un invité\r\nBcc: x@evil.example"),
    "injection": mail(3, "Eve\r\nBcc: victim@example.org", "Titre\nSubject: spam",
                      "", "CMCAS\r\n\r\n<html>", "", "", "", "", "", "BN\n-2026"),
    "html": mail(5, "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                 "motif \"quoté\" & <b>gras</b>", "A'B\"C\\D"),
    "long_utf8": mail(10, "é" * 120, "Ωμέγα 東京 😀" * 20),
    "waiting": mail(7, "Jean", "Tirage", "12"),
    "bad_address": mail(0, "x", "y", "", "z", "", "", "", "", "", "",
                        "a@b.fr>\nBcc: c@d.fr"),
    "bad_url": mail(0, "x", "y", "", "z", "", "", "", "", "", "", "a@b.fr", "c@d.fr",
                    "javascript:alert(1)//"),
    "invalid_utf8": bytes([6]) + b"\xff\xfe\x00\xc3(\x00\xe2\x82\x00\x7f\x01\x1b[31m",
}
for seed, data in MAIL.items():
    write("fuzz_mail", seed, data)


# ------------------- the pages' rendering (a page byte, then NUL-separated texts, in turn)

def texts(*values):
    return "\x00".join(values).encode("utf-8")


RENDER = {
    "plain": texts("CMCAS de Bourges", "12 rue de la Paix", "18000", "Bourges",
                   "02 48 00 00 00", "accueil@cmcas-bourges.fr", "Gael CLASSEN",
                   "CMCAS du Cher", "Sortie vélo « Loire »",
                   "Départ 9 h\nRetour 18 h\n\nPique-nique", "Tours", "Adulte", "Enfant"),
    "script": texts("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
                    "' onmouseover='alert(1)", "javascript:alert(1)", "&lt;b&gt;&amp;",
                    "<![CDATA[x]]>", "<!-- c -->", "<?xml-stylesheet href='x'?>",
                    "{concat('a','b')}", "</textarea><svg/onload=alert(1)>"),
    "entities": texts("&amp;", "&#60;script&#62;", "&nbsp;", "%3Cb%3E", "\\u003c", "]]>"),
    "whitespace": texts("", " ", "\n", "\r\n\r\n", "\t", "a\n\nb", "  \n  "),
    "unicode": texts("\u202eevil", "\ufeff", "\u2028\u2029", "😀" * 10, "\u00a0",
                     "東京", "e\u0301"),
    "invalid": b"\xff\xfe\x00\xc3(\x00\x01\x02\x1b\x00\xef\xbf\xbe\x00\xed\xa0\x80",
    "long": texts("x" * 2000, "mot " * 300),
}
for seed, data in RENDER.items():
    for page, name in enumerate(["activite", "catalogue", "gestion-inscriptions",
                                 "inscription", "consultation",
                                 "gestion-inscription-modifier"]):
        write("fuzz_render", f"{seed}_{name}", bytes([page]) + data)


# ------------------------- Paybox Direct: flags byte, then NUL-separated answer, reference,
# transaction, call, authorisation (fuzz_paybox_direct.c; account 1999888/32)

def direct(flags, answer, ref="BN-2026-000042", trans="0012345678", call="0000004567",
           auth="123456"):
    return bytes([flags]) + b"\x00".join(
        v if isinstance(v, bytes) else v.encode("utf-8") for v in (answer, ref, trans, call, auth))


INQUIRY_OK = (b"NUMTRANS=0012345678&NUMAPPEL=0000004567&NUMQUESTION=0001234567&SITE=1999888"
              b"&RANG=032&AUTORISATION=123456&CODEREPONSE=00000&COMMENTAIRE=Demande+trait%E9e"
              b"+avec+succ%E8s&STATUS=Autoris%E9&REMISE=&PORTEUR=&TYPECARTE=CB")
PAYBOX_DIRECT = {
    "inquiry_ok": direct(4 | 8, INQUIRY_OK),
    "inquiry_production_test_auth": direct(2 | 4, INQUIRY_OK.replace(b"123456", b"XXXXXX")),
    "inquiry_captured": direct(0, INQUIRY_OK.replace(b"Autoris%E9", b"Captur%C3%A9") + b"\r\n"),
    "inquiry_refused": direct(4, INQUIRY_OK.replace(b"Autoris%E9", b"Refus%E9")),
    "unknown": direct(0, b"NUMTRANS=0000000000&NUMAPPEL=0000000000&NUMQUESTION=0001234567"
                         b"&SITE=1999888&RANG=032&CODEREPONSE=00018&COMMENTAIRE=PAYBOX+%3A"
                         b"+Transaction+non+trouv%E9e"),
    "exists_ok": direct(1, b"NUMTRANS=0012345678&NUMAPPEL=0000004567&NUMQUESTION=1234567"
                           b"&SITE=1999888&RANG=32&CODEREPONSE=00000"),
    "other_account": direct(1, b"NUMTRANS=0012345678&NUMQUESTION=1234567&SITE=1999887"
                               b"&RANG=32&CODEREPONSE=00000"),
    "error": direct(0, b"CODEREPONSE=00097&NUMQUESTION=1234567&COMMENTAIRE=%0D%0Aforged+log"),
    "twice": direct(0, b"A=1&A=2"),
    "hostile_reference": direct(1, b"CODEREPONSE=00000", ref="BN&SITE=1&MONTANT=1%3D=+\xc3\xa9"),
    "bad_trans": direct(0, b"CODEREPONSE=00000", trans="12a", call="-1"),
    "trailing_nul": b"\x00A=1\x00",
}
for seed, data in PAYBOX_DIRECT.items():
    write("fuzz_paybox_direct", seed, data)


# ------------------------------------------------------- dates, money, text (fuzz_values)

VALUES = {
    "iso": "2024-02-29",
    "iso_bad": "2023-02-29",
    "fr": "29/02/2024",
    "fr_short": "1/1/2024",
    "stamp": "2026-11-28T10:14:03Z",
    "stamp_dst": "2026-03-29T01:30:00Z",
    "year0": "0000-01-01",
    "year9999": "9999-12-31",
    "cents": b"\x00" * 8 + struct.pack("<q", 123456),
    "cents_min": struct.pack("<q", -2**63) + struct.pack("<q", -2**63),
    "instalments": struct.pack("<q", 10001) + b"\x03",
    "utf8": "Théâtre Œuvre ﬁ 😀 \ufffe \u0085",
    "invalid": b"\xc0\x80\xed\xa0\x80\xf4\x90\x80\x80\xff",
    "reference": "ABCDEFGHJ",
    "theme": "SPORT",
    "filter": "liste-attente",
    "filter_default": "",
}
for seed, data in VALUES.items():
    write("fuzz_values", seed, data)
