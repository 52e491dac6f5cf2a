#!/usr/bin/python3
"""Paybox System simulator: the bank's hosted payment page, for the mod_cmcas demo and
tests. It speaks the bank's protocol (PBX_* request signed with PBX_HMAC, returns signed
with RSA-SHA1 in the PBX_RETOUR variable K): only its URL and its keys differ from the
bank's. It also answers Paybox Direct questions (POST /PPPS.php: 00017 consultation,
00011 existence of a transaction) about the transactions it processed, for each of its
merchant accounts, and plays the production platform (real authorisation numbers) or
the public test platform (XXXXXX). See README.md in this directory for the command line,
the test cards and the /_sim/ control endpoints.

    /usr/bin/python3 tests/gateway/paybox_simulator.py --port 8581
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import itertools
import os
import re
import secrets
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

import simbase
from simbase import CARD_3DS_ACCEPTED, CARD_PENDING, CARD_REFUSED, esc, log, mask_card, money

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")

PAGE_PATH = "/cgi/MYchoix_pagepaiement.cgi"     # the bank's entry point
DIRECT_PATH = "/PPPS.php"                        # Paybox Direct, as on ppps.paybox.com
CARD_PATH = "/cgi/paiement-carte"                # the card form posts here
TDS_PATH = "/cgi/3dsecure"                       # the 3-D Secure step posts here

BRAND = "Paybox"
MERCHANT = "TEST LA BOUTIQUE DE TEST 3D-SECURE HMAC"
REFUSED_TEXT = "Problème d'identification du commerce. Accès refusé !"

CODE_OTHER_CARD = "00105"                       # any other number
CODE_CANCELLED = "00001"

MANDATORY = ("PBX_SITE", "PBX_RANG", "PBX_IDENTIFIANT", "PBX_TOTAL", "PBX_DEVISE",
             "PBX_CMD", "PBX_PORTEUR", "PBX_RETOUR", "PBX_HASH", "PBX_TIME", "PBX_HMAC")
URL_FIELDS = ("PBX_EFFECTUE", "PBX_REFUSE", "PBX_ANNULE", "PBX_ATTENTE", "PBX_REPONDRE_A")
OPTIONAL = set(URL_FIELDS) | {
    "PBX_SHOPPINGCART", "PBX_BILLING", "PBX_2MONT1", "PBX_2MONT2", "PBX_2MONT3",
    "PBX_DATE1", "PBX_DATE2", "PBX_DATE3", "PBX_DATEVALMAX", "PBX_LANGUE", "PBX_RUF1",
    "PBX_TYPEPAIEMENT", "PBX_TYPECARTE", "PBX_DISPLAY", "PBX_DIFF", "PBX_AUTOSEULE",
    "PBX_3DS", "PBX_ARCHIVAGE", "PBX_ERRORCODETEST", "PBX_SOURCE", "PBX_VERSION",
    "PBX_SOUHAITAUTHENT", "PBX_CUSTOMER", "PBX_ENTITE",
}
LANGUES = {"FRA", "GBR", "ESP", "ITA", "DEU", "NLD", "SWE", "PRT"}
# PBX_RETOUR letters (E-transactions manual v6.6 §9.1.7, Paybox manual v8).
LETTERS = set("MRTABCDEFGHIJKNOoPQSUVWYZvc")
CATEGORY_FIELD = {"accepted": "PBX_EFFECTUE", "refused": "PBX_REFUSE",
                  "pending": "PBX_ATTENTE", "cancelled": "PBX_ANNULE"}
CATEGORY_TITLE = {"accepted": "Paiement accepté", "refused": "Paiement refusé",
                  "pending": "Paiement en attente", "cancelled": "Paiement annulé"}


class Account:
    """A merchant account at the bank: its numbers, its HMAC key (PBX_HMAC, and Paybox
    Direct's HMAC) and its Paybox Direct CLE (None: CLE questions refused)."""

    def __init__(self, site, rang, identifiant, hmac_key, cle=None, merchant=None):
        self.site, self.rang, self.identifiant = site, rang, identifiant
        self.hmac_key, self.cle = hmac_key, cle
        self.merchant = merchant or f"COMMERCE {site}/{rang}"

    def matches(self, site, rang):
        return site == self.site and re.fullmatch(r"[0-9]{1,3}", rang or "") is not None \
            and int(rang) == int(self.rang)

    def label(self):
        return f"{self.site}/{self.rang}"


class Config:
    site = "1999888"
    rang = "32"
    identifiant = "107904482"
    merchant = MERCHANT
    hmac_key = b""
    private_key = None
    notify = True
    timeout = 20.0
    accounts = []               # Account; the first is the one of --site/--rang
    platform = "production"     # how payments behave now: production or test (XXXXXX)
    direct_platform = "production"  # the platform whose Direct endpoint /PPPS.php is
    direct = "up"               # up, down (no answer at all) or error (HTTP 500)


CFG = Config()


class Refused(Exception):
    """The request is not accepted: the bank shows « Accès refusé »."""


class Attempt:
    """One payment attempt: a posted request and what became of it (in memory)."""

    def __init__(self, tx, order, fields, retour, schedule, call, account=None,
                 platform="production"):
        self.tx = tx
        self.account = account          # the merchant account paid
        self.platform = platform        # production or test, when it was requested
        self.authorization = None       # A, once accepted
        self.order = order              # [(name, value)] as posted
        self.f = fields                 # name -> value
        self.retour = retour            # [(name, letter)]
        self.schedule = schedule        # [(cents, "JJ/MM/AAAA")] after the first payment
        self.call = call                # T, the call number
        self.created = time.time()
        self.state = "card"             # card -> 3ds -> done
        self.card = ""
        self.expiry = ""                # AAMM
        self.tds = False
        self.cancelled = False
        self.code = None
        self.trans = 0                  # S, the transaction number
        self.subscription = 0           # B
        self.done_at = None


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = {}
        self.paid_refs = set()
        start = int(time.time()) - 1_600_000_000      # grows from one run to the next
        self.calls = itertools.count(10_000_000 + start)
        self.transactions = itertools.count(20_000_000 + start)
        self.subscriptions = itertools.count(1_000 + start % 1_000_000)
        self.recorder = simbase.Recorder()
        self.questions = []             # Paybox Direct questions answered, numbered from 1

    def get(self, tx):
        with self.lock:
            return self.attempts.get(tx or "")

    def claim(self, att, from_state, to_state):
        """Moves `att` from one state to the next; False if it was not in `from_state`
        (a double click, a replayed form)."""
        with self.lock:
            if att.state != from_state:
                return False
            att.state = to_state
            return True

    def find(self, ref=None, trans=None):
        with self.lock:
            done = [a for a in self.attempts.values() if a.done_at is not None]
        done.sort(key=lambda a: a.done_at)
        if trans:
            done = [a for a in done if str(a.trans) == trans]
        elif ref is not None:
            done = [a for a in done if a.f["PBX_CMD"] == ref]
        return done[-1] if done else None


STATE = State()


# ---------------------------------------------------------------------------- request

def need(condition, why):
    if not condition:
        raise Refused(why)


def digits(value, low, high):
    return re.fullmatch(f"[0-9]{{{low},{high}}}", value) is not None


def parse_retour(value):
    entries, names = [], set()
    for entry in value.split(";"):
        m = re.fullmatch(r"([A-Za-z0-9_.\-]{1,64}):([A-Za-z])", entry)
        need(m, f"PBX_RETOUR entry {entry!r} is not name:LETTER")
        name, letter = m.groups()
        need(letter in LETTERS, f"PBX_RETOUR letter {letter!r} is not a Paybox letter")
        need(name not in names, f"PBX_RETOUR name {name!r} appears twice")
        names.add(name)
        entries.append((name, letter))
    ks = [i for i, (_, letter) in enumerate(entries) if letter == "K"]
    need(ks, "PBX_RETOUR has no K (signature) entry")
    need(ks == [len(entries) - 1], "PBX_RETOUR: the K entry must be the last one")
    return entries


def parse_date(value, what):
    m = re.fullmatch(r"([0-9]{2})/([0-9]{2})/([0-9]{4})", value)
    need(m, f"{what} {value!r} is not JJ/MM/AAAA")
    try:
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise Refused(f"{what} {value!r} is not a date")


def check_xml(name, value):
    try:
        ET.fromstring(value.encode("utf-8"))
    except ET.ParseError as e:
        raise Refused(f"{name} is not well-formed XML ({e})")


def find_account(f):
    """The merchant account a request names (PBX_SITE, PBX_RANG, PBX_IDENTIFIANT)."""
    sites = [a for a in CFG.accounts if a.site == f["PBX_SITE"]]
    need(digits(f["PBX_SITE"], 7, 7) and sites,
         f"PBX_SITE {f['PBX_SITE']!r} is not the site {CFG.site}"
         + "".join(f" or {a.site}" for a in CFG.accounts[1:] if a.site != CFG.site))
    rangs = [a for a in sites if a.matches(f["PBX_SITE"], f["PBX_RANG"])]
    need(digits(f["PBX_RANG"], 2, 3) and rangs,
         f"PBX_RANG {f['PBX_RANG']!r} is not a rang of site {f['PBX_SITE']}")
    account = rangs[0]
    need(digits(f["PBX_IDENTIFIANT"], 1, 9) and f["PBX_IDENTIFIANT"] == account.identifiant,
         f"PBX_IDENTIFIANT {f['PBX_IDENTIFIANT']!r} is not the identifiant "
         f"{account.identifiant}")
    return account


def check_request(pairs):
    """Checks a posted request; returns (fields, order, retour, schedule, warnings,
    account) or raises Refused saying which check failed."""
    fields, order = {}, []
    for raw_name, raw_value in pairs:
        try:
            name = raw_name.decode("ascii")
        except UnicodeDecodeError:
            raise Refused("a field name is not ASCII")
        need(name not in fields, f"{name} is posted twice")
        value = simbase.text(raw_value)
        fields[name] = value
        order.append((name, value))
    for name in MANDATORY:
        need(name in fields, f"{name} is missing")
    for name in fields:
        need(name in MANDATORY or name in OPTIONAL, f"unknown field {name}")
    f = fields
    account = find_account(f)
    need(digits(f["PBX_TOTAL"], 3, 10) and int(f["PBX_TOTAL"]) > 0,
         f"PBX_TOTAL {f['PBX_TOTAL']!r} is not 3 to 10 digits (cents)")
    need(f["PBX_DEVISE"] == "978", f"PBX_DEVISE {f['PBX_DEVISE']!r} is not 978")
    need(1 <= len(f["PBX_CMD"]) <= 250 and not re.search(r"[\x00-\x1f\x7f]", f["PBX_CMD"]),
         "PBX_CMD is not 1 to 250 printable characters")
    porteur = f["PBX_PORTEUR"]
    need(6 <= len(porteur) <= 120 and "@" in porteur and "." in porteur
         and not re.search(r"\s", porteur), f"PBX_PORTEUR {porteur!r} is not an e-mail address")
    retour = parse_retour(f["PBX_RETOUR"])
    need(f["PBX_HASH"] == "SHA512", f"PBX_HASH {f['PBX_HASH']!r} is not SHA512")
    stamp = f["PBX_TIME"]
    need(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}",
                      stamp), f"PBX_TIME {stamp!r} is not ISO-8601 with an offset")
    try:
        datetime.datetime.fromisoformat(stamp)
    except ValueError:
        raise Refused(f"PBX_TIME {stamp!r} is not a date and time")
    need(re.fullmatch(r"[0-9A-F]{128}", f["PBX_HMAC"]),
         "PBX_HMAC is not 128 upper-case hexadecimal digits")
    for name in URL_FIELDS:
        if name in f:
            why = simbase.absolute_url(f[name], limit=150)
            need(why is None, f"{name} {f[name]!r}: {why}")
    for name in ("PBX_SHOPPINGCART", "PBX_BILLING"):
        if name in f:
            check_xml(name, f[name])
    warnings = []
    present = [i for i in (1, 2, 3) if f"PBX_2MONT{i}" in f or f"PBX_DATE{i}" in f]
    need(present == list(range(1, len(present) + 1)),
         "PBX_2MONTn/PBX_DATEn must be numbered from 1 without a gap")
    schedule, previous = [], datetime.date.today()
    for i in present:
        amount, day = f.get(f"PBX_2MONT{i}"), f.get(f"PBX_DATE{i}")
        need(amount is not None and day is not None,
             f"PBX_2MONT{i} and PBX_DATE{i} go together")
        need(digits(amount, 3, 10) and int(amount) > 0,
             f"PBX_2MONT{i} {amount!r} is not 3 to 10 digits (cents)")
        date = parse_date(day, f"PBX_DATE{i}")
        if schedule:
            need(date > previous, f"PBX_DATE{i} is not after PBX_DATE{i - 1}")
        elif date <= previous:
            warnings.append(f"PBX_DATE1 {day} is not in the future")
        previous = date
        schedule.append((int(amount), day))
    if schedule and (previous - datetime.date.today()).days > 90:
        warnings.append("instalments beyond 90 days")
    if "PBX_DATEVALMAX" in f:
        v = f["PBX_DATEVALMAX"]
        need(digits(v, 4, 4) and 1 <= int(v[2:]) <= 12, f"PBX_DATEVALMAX {v!r} is not AAMM")
    if "PBX_LANGUE" in f:
        need(f["PBX_LANGUE"] in LANGUES, f"PBX_LANGUE {f['PBX_LANGUE']!r} is unknown")
    if "PBX_RUF1" in f:
        need(f["PBX_RUF1"] in ("GET", "POST"), "PBX_RUF1 is neither GET nor POST")
    need(("PBX_TYPEPAIEMENT" in f) == ("PBX_TYPECARTE" in f),
         "PBX_TYPEPAIEMENT and PBX_TYPECARTE go together")
    if "PBX_DISPLAY" in f:
        need(digits(f["PBX_DISPLAY"], 1, 5), "PBX_DISPLAY is not a number of seconds")
    if "PBX_ERRORCODETEST" in f:
        need(digits(f["PBX_ERRORCODETEST"], 5, 5), "PBX_ERRORCODETEST is not 5 digits")
    if "PBX_DIFF" in f:
        need(digits(f["PBX_DIFF"], 2, 2), "PBX_DIFF is not 2 digits")
    if "PBX_AUTOSEULE" in f:
        need(f["PBX_AUTOSEULE"] in ("O", "N"), "PBX_AUTOSEULE is neither O nor N")
    if "PBX_ARCHIVAGE" in f:
        need(re.fullmatch(r"[A-Za-z0-9]{1,12}", f["PBX_ARCHIVAGE"]),
             "PBX_ARCHIVAGE is not 1 to 12 letters or digits")
    return fields, order, retour, schedule, warnings, account


def check_hmac(pairs, account):
    """PBX_HMAC = upper-case hex HMAC-SHA-512, keyed with the hex-decoded key, of every
    posted field but PBX_HMAC as NAME=value (raw decoded bytes), joined by '&', in the
    posted order."""
    message = b"&".join(name + b"=" + value for name, value in pairs if name != b"PBX_HMAC")
    expected = hmac.new(account.hmac_key, message, hashlib.sha512).hexdigest().upper()
    received = dict(pairs)[b"PBX_HMAC"]
    need(hmac.compare_digest(expected.encode("ascii"), received),
         "PBX_HMAC does not match the HMAC-SHA-512 of the posted fields")


# ---------------------------------------------------------------------------- returns

def sign(data):
    """K: RSA PKCS#1 v1.5 SHA-1 of the bytes, Base64."""
    sig = CFG.private_key.sign(data, padding.PKCS1v15(), hashes.SHA1())
    return base64.b64encode(sig).decode("ascii")


def corrupt(b64):
    """A signature of the right shape that does not verify."""
    sig = bytearray(base64.b64decode(b64))
    sig[len(sig) // 2] ^= 0x55
    return base64.b64encode(bytes(sig)).decode("ascii")


def quote(value):
    return urllib.parse.quote(value, safe="")


def return_values(att):
    """PBX_RETOUR letter -> value for this attempt (None: the pair is left out)."""
    f, card = att.f, att.card
    when = att.done_at or datetime.datetime.now()
    accepted = att.code == "00000" and not att.cancelled
    return {
        "M": f["PBX_TOTAL"],
        "R": f["PBX_CMD"],
        "T": str(att.call),
        "A": (att.authorization or authorization(att)) if accepted else None,
        "B": str(att.subscription) if att.subscription else "",
        "C": f.get("PBX_TYPECARTE", "CB"),
        "D": att.expiry,
        "E": att.code,
        "F": ("Y" if att.tds else "N") if card else "",
        "G": ("O" if att.tds else "N") if card else "",
        "H": hashlib.sha256(card.encode()).hexdigest()[:32].upper() if card else "",
        "I": "FRA",
        "J": card[-2:],
        "N": card[:6],
        "O": ("Y" if card == CARD_3DS_ACCEPTED else "N") if card else "",
        "o": "",
        "P": f.get("PBX_TYPEPAIEMENT", "CARTE"),
        "Q": when.strftime("%H:%M:%S"),
        "S": str(att.trans),
        "U": "",
        "V": "",
        "W": when.strftime("%d%m%Y"),
        "Y": "FRA" if card else "",
        "Z": "",
        "v": "2.2.0" if att.tds else "",
        "c": ("CH" if att.tds else "FR") if card else "",
    }


def authorization(att):
    """A: the test platform always says XXXXXX; the production platform gives the
    card's bank's authorisation number, 6 letters or digits."""
    if att.platform == "test":
        return "XXXXXX"
    while True:
        number = "".join(secrets.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
                         for _ in range(6))
        if number != "XXXXXX":
            return number


def build_query(retour, values):
    """name=value&… in PBX_RETOUR order, K excluded, values URL-encoded."""
    return "&".join(f"{name}={quote(values[letter])}" for name, letter in retour
                    if letter != "K" and values.get(letter) is not None)


def send_notification(att, kind, values, mode="good", overrides=None, url=None):
    """Server-to-server notification (IPN) to PBX_REPONDRE_A: only the PBX_RETOUR variables
    are signed, even if the URL carries its own parameters. mode: good (overrides applied,
    then signed), tampered (signed, then overrides applied), bad (a wrong signature)."""
    overrides = overrides or {}
    target = url or att.f.get("PBX_REPONDRE_A")
    k_name = att.retour[-1][0]
    sent_values = dict(values, **overrides)
    query = build_query(att.retour, sent_values)
    signed = build_query(att.retour, values) if mode == "tampered" else query
    b64 = sign(signed.encode("utf-8"))
    if mode == "bad":
        b64 = corrupt(b64)
    full = f"{query}&{k_name}={quote(b64)}"
    if att.f.get("PBX_RUF1") == "POST":
        method, where, body = "POST", target, full.encode("ascii")
    else:
        method, where, body = "GET", simbase.append_query(target, full), None
    status, error = simbase.deliver(method, where, body,
                                    "application/x-www-form-urlencoded" if body else None,
                                    timeout=CFG.timeout)
    record = STATE.recorder.add_notification({
        "kind": kind, "method": method, "url": where, "query": full, "signed": signed,
        "signature": mode, "status": status, "error": error, "ref": att.f["PBX_CMD"],
        "code": sent_values.get("E"), "trans": att.trans})
    log(f"notification n={record['n']} {kind} {method} {target} ref={att.f['PBX_CMD']} "
        f"E={sent_values.get('E')} signature={mode} -> {status if status else error}")
    return record


def resend(n):
    old = STATE.recorder.notification(n)
    if old is None:
        return None
    body = old["query"].encode("ascii") if old["method"] == "POST" else None
    status, error = simbase.deliver(old["method"], old["url"], body,
                                    "application/x-www-form-urlencoded" if body else None,
                                    timeout=CFG.timeout)
    record = STATE.recorder.add_notification(dict(
        old, kind="replay", replay_of=n, status=status, error=error))
    log(f"notification n={record['n']} replay of n={n} {old['method']} -> "
        f"{status if status else error}")
    return record


def browser_url(att, values):
    """The browser return: everything after '?' is signed, the URL's own parameters
    included."""
    base = att.f.get(CATEGORY_FIELD[category(att)])
    if not base:
        return None
    query = build_query(att.retour, values)
    if "?" in base:
        path, own = base.split("?", 1)
        data = own + ("&" if own and not own.endswith("&") and query else "") + query
    else:
        path, data = base, query
    return f"{path}?{data}&{att.retour[-1][0]}={quote(sign(data.encode('utf-8')))}"


def category(att):
    if att.cancelled:
        return "cancelled"
    if att.code == "00000":
        return "accepted"
    if att.code == "99999":
        return "pending"
    return "refused"


def paid_key(att):
    """A reference is paid once per merchant account (another account may use it)."""
    return (att.account.site, int(att.account.rang), att.f["PBX_CMD"])


def decide(att):
    """The response code of an attempt whose card was entered."""
    f = att.f
    if time.time() - att.created > int(f.get("PBX_DISPLAY", "900")):
        return "00030"
    if "PBX_ERRORCODETEST" in f:
        return f["PBX_ERRORCODETEST"]
    with STATE.lock:
        if paid_key(att) in STATE.paid_refs:
            return "00015"
    if "PBX_DATEVALMAX" in f and att.expiry < f["PBX_DATEVALMAX"]:
        return "00008"
    return {CARD_3DS_ACCEPTED: "00000", CARD_REFUSED: "00114",
            CARD_PENDING: "99999"}.get(att.card, CODE_OTHER_CARD)


# ---------------------------------------------------------------------------- pages

def bank_page(title, body):
    return simbase.page(title, body, BRAND)


def refused_page():
    return bank_page("Accès refusé", f"<h1>Erreur</h1>\n<p class=\"error\">{esc(REFUSED_TEXT)}</p>")


def message_page(title, message):
    return bank_page(title, f"<h1>{esc(title)}</h1>\n<p>{esc(message)}</p>")


def heading(att):
    f = att.f
    title = f"Paiement de {money(f['PBX_TOTAL'])} EUR"
    html = [f"<h1>{esc(title)}</h1>",
            f"<p class=\"merchant\">{esc(att.account.merchant)}</p>",
            f"<p class=\"ref\">Référence de la commande : {esc(f['PBX_CMD'])}</p>"]
    if att.schedule:
        total = int(f["PBX_TOTAL"]) + sum(a for a, _ in att.schedule)
        items = "".join(f"<li>puis {money(a)} EUR le {esc(d)}</li>" for a, d in att.schedule)
        html.append(f"<div class=\"schedule\"><p>Paiement en {len(att.schedule) + 1} fois, "
                    f"{money(total)} EUR au total : {money(f['PBX_TOTAL'])} EUR aujourd'hui</p>"
                    f"<ul>{items}</ul></div>")
    return title, html


def card_page(att, error=None):
    title, html = heading(att)
    html.append(simbase.card_form_html(CARD_PATH, att.tx, error))
    return bank_page(title, "\n".join(html))


def tds_page(att):
    title, html = heading(att)
    html.append(simbase.tds_form_html(TDS_PATH, att.tx, att.card))
    return bank_page("Authentification 3-D Secure", "\n".join(html))


def shop_return_page(att, values):
    cat = category(att)
    return bank_page("Retour boutique", f"""<h1>{esc(CATEGORY_TITLE[cat])}</h1>
<p class="merchant">{esc(att.account.merchant)}</p>
<p>Commande {esc(att.f['PBX_CMD'])}, {money(att.f['PBX_TOTAL'])} EUR, code {esc(att.code)}.</p>
<p>Retour boutique : aucune adresse de retour n'a été transmise pour ce cas,
vous pouvez fermer cette page.</p>""")


# ---------------------------------------------------------------------------- Paybox Direct

DIRECT_TYPES = {"00011": "existence", "00017": "consultation"}
DIRECT_COMMENTS = {
    "00000": "Demande traitée avec succès",
    "00005": "Numéro de question invalide",
    "00006": "Accès refusé ou site/rang/clé invalide",
    "00007": "Date invalide",
    "00009": "Type d'opération invalide",
    "00010": "Devise inconnue",
    "00011": "Montant incorrect",
    "00013": "Version non supportée",
    "00014": "Trame reçue incohérente",
    "00018": "Transaction non trouvée",
}
STATUS_OF = {"00000": "Capturé"}        # any other final code: « Refusé »


class DirectError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def direct_status(att):
    return STATUS_OF.get(att.code, "Refusé")


def direct_ledger(account):
    """The transactions of an account that its Direct endpoint knows: finished, not
    cancelled, pending ones excepted, made on the endpoint's platform (the production
    endpoint does not know the test platform's, nor the other way round)."""
    with STATE.lock:
        return sorted((a for a in STATE.attempts.values()
                       if a.account is account and a.done_at is not None and not a.cancelled
                       and a.trans and a.code != "99999"
                       and a.platform == CFG.direct_platform),
                      key=lambda a: a.done_at)


def direct_authenticate(pairs, f, account):
    """HASH=SHA512 + HMAC (upper-case hex HMAC-SHA-512 of every posted pair but HMAC, raw
    decoded values in the posted order, with the account's hex-decoded key), or CLE."""
    if "HMAC" in f:
        if f.get("HASH") != "SHA512":
            return "HASH is not SHA512"
        message = b"&".join(n + b"=" + v for n, v in pairs if n != b"HMAC")
        expected = hmac.new(account.hmac_key, message, hashlib.sha512).hexdigest().upper()
        if not hmac.compare_digest(expected.encode("ascii"), f["HMAC"].encode("utf-8")):
            return "HMAC does not match"
        return None
    if "CLE" in f:
        if account.cle is None or not hmac.compare_digest(f["CLE"].encode("utf-8"),
                                                          account.cle.encode("utf-8")):
            return "CLE does not match"
        return None
    return "neither HMAC nor CLE"


def direct_answer(pairs):
    """Answers one Paybox Direct question: (answer dict in the bank's order, record)."""
    f, record = {}, {"auth": None}
    for raw_name, raw_value in pairs:
        name = simbase.text(raw_name)
        if name in f:
            raise DirectError("00014")
        f[name] = simbase.text(raw_value)
    record.update(type=f.get("TYPE"), site=f.get("SITE"), rang=f.get("RANG"),
                  numquestion=f.get("NUMQUESTION"), numtrans=f.get("NUMTRANS"),
                  numappel=f.get("NUMAPPEL"), reference=f.get("REFERENCE"),
                  montant=f.get("MONTANT"))
    rang = f.get("RANG", "")
    answer = {"NUMTRANS": "", "NUMAPPEL": "", "NUMQUESTION": f.get("NUMQUESTION", ""),
              "SITE": f.get("SITE", ""),
              # the bank answers "32" to "032"
              "RANG": str(int(rang)) if digits(rang, 1, 3) else rang, "AUTORISATION": "",
              "CODEREPONSE": "", "COMMENTAIRE": "", "REFABONNE": "", "PORTEUR": ""}
    try:
        for name in ("VERSION", "TYPE", "SITE", "RANG", "NUMQUESTION", "DATEQ"):
            if not f.get(name):
                raise DirectError("00014")
        if f["VERSION"] not in ("00103", "00104"):
            raise DirectError("00013")
        if not digits(f["NUMQUESTION"], 1, 10) or not 1 <= int(f["NUMQUESTION"]) <= 2147483647:
            raise DirectError("00005")
        if not (digits(f["DATEQ"], 8, 8) or digits(f["DATEQ"], 14, 14)):
            raise DirectError("00007")
        account = next((a for a in CFG.accounts if a.matches(f["SITE"], f["RANG"])), None)
        why = "unknown site/rang" if account is None else direct_authenticate(pairs, f, account)
        if why is None and "IDENTIFIANT" in f and f["IDENTIFIANT"] != account.identifiant:
            why = "IDENTIFIANT is not the account's"
        record["auth"] = "HMAC" if "HMAC" in f else "CLE" if "CLE" in f else None
        if why:
            record["refused"] = why
            raise DirectError("00006")
        if f["TYPE"] == "00017":
            if not digits(f.get("NUMTRANS", ""), 1, 10):
                raise DirectError("00014")
            found = [a for a in direct_ledger(account) if a.trans == int(f["NUMTRANS"])]
            if not found:
                raise DirectError("00018")
            att = found[-1]
            answer["STATUS"] = direct_status(att)
        elif f["TYPE"] == "00011":
            if not digits(f.get("MONTANT", ""), 1, 10):
                raise DirectError("00011")
            if f.get("DEVISE") != "978":
                raise DirectError("00010")
            if not f.get("REFERENCE"):
                raise DirectError("00014")
            found = [a for a in direct_ledger(account) if a.code == "00000"
                     and a.f["PBX_CMD"] == f["REFERENCE"]
                     and int(a.f["PBX_TOTAL"]) == int(f["MONTANT"])]
            if not found:
                raise DirectError("00018")
            att = found[-1]
        else:
            raise DirectError("00009")
        answer.update(NUMTRANS=f"{att.trans:010d}", NUMAPPEL=f"{att.call:010d}",
                      AUTORISATION=att.authorization or "", CODEREPONSE="00000")
    except DirectError as e:
        answer["CODEREPONSE"] = e.code
    answer["COMMENTAIRE"] = DIRECT_COMMENTS.get(answer["CODEREPONSE"], "")
    record["code"] = answer["CODEREPONSE"]
    record["status"] = answer.get("STATUS")
    return answer, record


def direct_body(answer):
    """The bank's answer: NAME=value&…, values as they are (not URL-encoded), in
    ISO-8859-1, ended by a newline."""
    return ("&".join(f"{n}={v}" for n, v in answer.items()) + "\n").encode("latin-1")


# ---------------------------------------------------------------------------- handler

class PayboxHandler(simbase.Handler):

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == PAGE_PATH:
            self.note = "refused: the request must be a POST"
            return self.send_page(refused_page())
        if path.startswith("/_sim/"):
            return self.control("GET", path)
        self.note = "not found"
        self.send_page(message_page("Page introuvable", "Cette page n'existe pas."), 404)

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/_sim/"):
            return self.control("POST", path)
        body = self.read_body()
        if body is None:
            self.note = "body too large or bad Content-Length"
            return self.send_page(message_page("Erreur", "Requête invalide."), 413)
        if path == PAGE_PATH:
            return self.payment_request(body)
        if path == DIRECT_PATH:
            return self.direct(body)
        if path == CARD_PATH:
            return self.card(body)
        if path == TDS_PATH:
            return self.three_d_secure(body)
        self.note = "not found"
        self.send_page(message_page("Page introuvable", "Cette page n'existe pas."), 404)

    # -- the merchant's request
    def payment_request(self, body):
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            need(ctype == "application/x-www-form-urlencoded",
                 f"Content-Type {ctype!r} is not application/x-www-form-urlencoded")
            pairs = simbase.parse_form(body)
            fields, order, retour, schedule, warnings, account = check_request(pairs)
            check_hmac(pairs, account)
        except Refused as e:
            self.note = f"refused: {e}"
            return self.send_page(refused_page())
        tx = secrets.token_hex(16)
        with STATE.lock:
            att = Attempt(tx, order, fields, retour, schedule, next(STATE.calls), account,
                          CFG.platform)
            STATE.attempts[tx] = att
        self.note = (f"card page account={account.label()} platform={att.platform} "
                     f"ref={fields['PBX_CMD']} total={fields['PBX_TOTAL']} T={att.call}"
                     + (f" instalments={len(schedule)}" if schedule else "")
                     + "".join(f" warning: {w}" for w in warnings))
        self.send_page(card_page(att))

    # -- Paybox Direct
    def direct(self, body):
        if CFG.direct == "down":
            # No HTTP answer at all: the connection is closed (no log_request either).
            log(f'{self.client_address[0]} "{self.command} {self.path}" - Paybox Direct '
                "down: connection closed without an answer")
            self.close_connection = True
            return
        if CFG.direct == "error":
            self.note = "Paybox Direct error: HTTP 500"
            return self.send_bytes(500, b"Service indisponible\n", "text/plain")
        answer, record = direct_answer(simbase.parse_form(body))
        with STATE.lock:
            record["n"] = len(STATE.questions) + 1
            record["time"] = simbase.now_iso()
            STATE.questions.append(record)
        # Never the CLE or the HMAC in a log line.
        self.note = (f"Paybox Direct {record['type']} ({DIRECT_TYPES.get(record['type'], '?')})"
                     f" site={record['site']} rang={record['rang']} auth={record['auth']}"
                     f" NUMTRANS={record['numtrans']} REFERENCE={record['reference']}"
                     f" MONTANT={record['montant']} -> {record['code']}"
                     + (f" {record['status']}" if record.get("status") else "")
                     + (f" refused: {record['refused']}" if record.get("refused") else ""))
        self.send_bytes(200, direct_body(answer), "text/html; charset=ISO-8859-1")

    # -- the card form
    def card(self, body):
        form = {simbase.text(n): simbase.text(v) for n, v in simbase.parse_form(body)}
        att = STATE.get(form.get("tx"))
        if att is None:
            self.note = "unknown transaction"
            return self.send_page(message_page("Transaction inconnue",
                                               "Cette transaction est inconnue ou expirée."))
        if form.get("action") == "annuler":
            if not STATE.claim(att, "card", "done"):
                return self.finished(att)
            att.cancelled, att.code = True, CODE_CANCELLED
            return self.outcome(att)
        if att.state != "card":
            return self.finished(att)
        number, expiry, error = simbase.parse_card(form)
        if error:
            self.note = f"card page again ref={att.f['PBX_CMD']}: {error}"
            return self.send_page(card_page(att, error))
        if number == CARD_3DS_ACCEPTED:
            if not STATE.claim(att, "card", "3ds"):
                return self.finished(att)
            att.card, att.expiry = number, expiry
            self.note = f"3-D Secure ref={att.f['PBX_CMD']} card={mask_card(number)}"
            return self.send_page(tds_page(att))
        if not STATE.claim(att, "card", "done"):
            return self.finished(att)
        att.card, att.expiry = number, expiry
        att.code = decide(att)
        self.outcome(att)

    def three_d_secure(self, body):
        form = {simbase.text(n): simbase.text(v) for n, v in simbase.parse_form(body)}
        att = STATE.get(form.get("tx"))
        if att is None:
            self.note = "unknown transaction"
            return self.send_page(message_page("Transaction inconnue",
                                               "Cette transaction est inconnue ou expirée."))
        if not STATE.claim(att, "3ds", "done"):
            return self.finished(att)
        att.tds = True
        att.code = decide(att)
        self.outcome(att)

    def finished(self, att):
        self.note = f"transaction already {att.state} ref={att.f['PBX_CMD']}"
        self.send_page(message_page("Transaction terminée",
                                    "Cette transaction est terminée ou en cours."))

    def outcome(self, att):
        """(1) the notification, (2) the browser return."""
        with STATE.lock:
            att.done_at = datetime.datetime.now()
            if not att.cancelled:
                att.trans = next(STATE.transactions)
            if att.code == "00000" and not att.cancelled:
                STATE.paid_refs.add(paid_key(att))
                att.authorization = authorization(att)
                if att.schedule:
                    att.subscription = next(STATE.subscriptions)
            notify = CFG.notify
        values = return_values(att)
        cat = category(att)
        if not att.cancelled and att.f.get("PBX_REPONDRE_A") and notify:
            send_notification(att, "ipn", values)
        url = browser_url(att, values)
        STATE.recorder.add_return({"kind": cat, "url": url, "ref": att.f["PBX_CMD"],
                                   "code": att.code, "trans": att.trans})
        self.note = (f"{cat} ref={att.f['PBX_CMD']} E={att.code} T={att.call} S={att.trans} "
                     f"card={mask_card(att.card)} -> {CATEGORY_FIELD[cat]}"
                     + ("" if url else " (absent: retour boutique page)"))
        if url:
            return self.redirect(url)
        self.send_page(shop_return_page(att, values))

    # -- test control
    def control(self, method, path):
        q = self.query()
        name = path[len("/_sim/"):]
        self.note = "control"
        if name == "health":
            return self.send_text("OK\n")
        if name == "notifications" and method == "GET":
            return self.send_json(STATE.recorder.snapshot()[0])
        if name == "returns" and method == "GET":
            return self.send_json(STATE.recorder.snapshot()[1])
        if name == "transactions" and method == "GET":
            with STATE.lock:
                atts = sorted(STATE.attempts.values(), key=lambda a: a.created)
                listing = [{"ref": a.f["PBX_CMD"], "total": a.f["PBX_TOTAL"], "state": a.state,
                            "code": a.code, "T": a.call, "S": a.trans, "B": a.subscription,
                            "A": a.authorization, "site": a.account.site,
                            "rang": a.account.rang, "platform": a.platform,
                            "card": mask_card(a.card) if a.card else None,
                            "outcome": category(a) if a.state == "done" else None}
                           for a in atts]
            return self.send_json(listing)
        if name == "direct" and method == "GET":
            with STATE.lock:
                return self.send_json([dict(r) for r in STATE.questions])
        if name == "config":
            if method == "POST":
                if q.get("platform", "production") not in ("production", "test") or \
                        q.get("direct", "up") not in ("up", "down", "error"):
                    return self.send_json({"error": "platform is production or test; "
                                                    "direct is up, down or error"}, 400)
                if "notify" in q:
                    CFG.notify = q["notify"] not in ("0", "false", "no", "off")
                CFG.platform = q.get("platform", CFG.platform)
                CFG.direct = q.get("direct", CFG.direct)
            return self.send_json({"notify": CFG.notify, "site": CFG.site, "rang": CFG.rang,
                                   "identifiant": CFG.identifiant, "merchant": CFG.merchant,
                                   "platform": CFG.platform,
                                   "direct_platform": CFG.direct_platform,
                                   "direct": CFG.direct,
                                   "accounts": [a.label() for a in CFG.accounts]})
        if method != "POST":
            return self.send_json({"error": "unknown control endpoint or method"}, 404)
        if name == "reset":
            STATE.recorder.reset()
            with STATE.lock:
                STATE.questions.clear()
            return self.send_json({"reset": True})
        if name == "replay":
            try:
                record = resend(int(q.get("n", "")))
            except ValueError:
                record = None
            if record is None:
                return self.send_json({"error": "no notification n"}, 404)
            return self.send_json(record)
        if name == "notify":
            return self.manual_notification(q)
        self.send_json({"error": "unknown control endpoint"}, 404)

    def manual_notification(self, q):
        mode = q.get("signature", "good")
        if mode not in ("good", "bad", "tampered"):
            return self.send_json({"error": "signature is good, bad or tampered"}, 400)
        att = STATE.find(ref=q.get("ref"), trans=q.get("trans"))
        if att is None:
            return self.send_json({"error": "no finished transaction matches"}, 404)
        url = q.get("url") or att.f.get("PBX_REPONDRE_A")
        if not url:
            return self.send_json({"error": "no PBX_REPONDRE_A and no url="}, 400)
        overrides = {k: v for k, v in q.items() if k in LETTERS and k != "K"}
        for letter in filter(None, q.get("omit", "").split(",")):
            overrides[letter] = None
        if mode == "good" and overrides.get("E") == "00000" and att.code != "00000" \
                and not att.cancelled:
            # The bank accepts a refused or pending payment later: it is a payment now,
            # for the notification and for Paybox Direct alike.
            with STATE.lock:
                att.code = "00000"
                att.authorization = overrides.get("A") or authorization(att)
                STATE.paid_refs.add(paid_key(att))
        values = return_values(att)
        if att.code == "00000" and "A" not in overrides and values.get("A") is None:
            values["A"] = att.authorization or authorization(att)
        record = send_notification(att, "manual", values, mode, overrides, url)
        self.send_json(record)


# ---------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description="Paybox System simulator (test bank).")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--hmac-key-file", default=os.path.join(KEYS, "paybox-test-hmac.key"))
    ap.add_argument("--private-key", default=os.path.join(KEYS, "simulator-private.pem"))
    ap.add_argument("--site", default=Config.site)
    ap.add_argument("--rang", default=Config.rang)
    ap.add_argument("--identifiant", default=Config.identifiant)
    ap.add_argument("--merchant", default=MERCHANT, help="name shown on the card page")
    ap.add_argument("--cle-file", default=os.path.join(KEYS, "paybox-direct-test.cle"),
                    help="the account's Paybox Direct CLE (HMAC questions need none)")
    ap.add_argument("--other-merchant", action="append", default=[],
                    metavar="SITE,RANG,IDENTIFIANT,HMACKEYFILE[,CLEFILE]",
                    help="another merchant account at this bank (repeatable)")
    ap.add_argument("--test-platform", action="store_true",
                    help="behave as the public test platform: authorisation XXXXXX, and "
                         "/PPPS.php knows the test platform's transactions only")
    ap.add_argument("--no-notify", action="store_true",
                    help="never send the server-to-server notification")
    ap.add_argument("--notify-timeout", type=float, default=20.0)
    args = ap.parse_args(argv)

    def read_text(path):
        with open(path, encoding="ascii") as fh:
            return fh.read().strip()

    try:
        CFG.hmac_key = bytes.fromhex(read_text(args.hmac_key_file))
        cle = read_text(args.cle_file) if args.cle_file else None
        with open(args.private_key, "rb") as fh:
            CFG.private_key = serialization.load_pem_private_key(fh.read(), password=None)
        others = []
        for spec in args.other_merchant:
            parts = spec.split(",")
            if len(parts) not in (4, 5) or not (digits(parts[0], 7, 7)
                                                and digits(parts[1], 2, 3)
                                                and digits(parts[2], 1, 9)):
                raise ValueError(f"--other-merchant {spec!r}: SITE,RANG,IDENTIFIANT,"
                                 "HMACKEYFILE[,CLEFILE] expected")
            others.append(Account(parts[0], parts[1], parts[2],
                                  bytes.fromhex(read_text(parts[3])),
                                  read_text(parts[4]) if len(parts) == 5 else None))
    except (OSError, ValueError, UnicodeDecodeError) as e:
        sys.exit(f"paybox_simulator: {e}")
    if not CFG.hmac_key or not isinstance(CFG.private_key, rsa.RSAPrivateKey):
        sys.exit("paybox_simulator: an hexadecimal HMAC key and an RSA private key are needed")
    CFG.site, CFG.rang, CFG.identifiant = args.site, args.rang, args.identifiant
    CFG.merchant, CFG.notify, CFG.timeout = args.merchant, not args.no_notify, args.notify_timeout
    CFG.accounts = [Account(args.site, args.rang, args.identifiant, CFG.hmac_key, cle,
                            args.merchant)] + others
    CFG.platform = CFG.direct_platform = "test" if args.test_platform else "production"
    simbase.serve(PayboxHandler, args.port, "paybox simulator")


if __name__ == "__main__":
    main()
