#!/usr/bin/python3
"""Systempay / PayZen (Lyra) simulator: the bank's hosted payment page, for the mod_cmcas
demo and tests. Form POST of vads_* fields and `signature` (HMAC-SHA-256, Base64, of the
vads_* values sorted by field name, joined by '+', then '+' and the key, keyed with the
key); notification (IPN) POSTed to vads_url_check, signed the same way over the fields
it sends; browser return according to vads_return_mode. See README.md.

    /usr/bin/python3 tests/gateway/systempay_simulator.py --port 8582
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import os
import re
import secrets
import sys
import threading
import time
import urllib.parse

import simbase
from simbase import CARD_3DS_ACCEPTED, CARD_PENDING, CARD_REFUSED, esc, log, mask_card, money

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")

PAGE_PATH = "/vads-payment/"
CARD_PATH = "/vads-payment/carte"
TDS_PATH = "/vads-payment/3ds"

BRAND = "Systempay"
SHOP = "BOUTIQUE DE TEST SYSTEMPAY"
SIGNATURE_TEXT = "Erreur de signature"
PARAMETER_TEXT = "Erreur de paramètre"

URL_FIELDS = ("vads_url_check", "vads_url_success", "vads_url_refused", "vads_url_cancel",
              "vads_url_return", "vads_url_error")
# Request fields echoed in the notification and the return (besides the core ones).
ECHO = re.compile(r"vads_(cust_|order_|ext_info_|ship_to_|contrib$|shop_name$|"
                  r"capture_delay$|validation_mode$|language$)")
CORE = ("vads_action_mode", "vads_amount", "vads_ctx_mode", "vads_currency",
        "vads_page_action", "vads_payment_config", "vads_site_id", "vads_trans_date",
        "vads_trans_id", "vads_version")

# outcome -> (vads_trans_status, vads_result, vads_auth_result, return URL fields in order)
OUTCOMES = {
    "accepted": ("AUTHORISED", "00", "00", ("vads_url_success", "vads_url_return")),
    "refused": ("REFUSED", "05", None, ("vads_url_refused", "vads_url_return")),
    "pending": ("UNDER_VERIFICATION", "00", "", ("vads_url_return", "vads_url_success")),
    "cancelled": ("ABANDONED", "17", "", ("vads_url_cancel", "vads_url_return")),
}
TITLES = {"accepted": "Paiement accepté", "refused": "Paiement refusé",
          "pending": "Paiement en attente", "cancelled": "Paiement annulé"}


class Config:
    site_id = "12345678"
    test_key = ""
    production_key = ""
    shop = SHOP
    notify = True
    timeout = 20.0


CFG = Config()


class SignatureError(Exception):
    pass


class ParameterError(Exception):
    """args: (field name, why)."""


def signature(fields, key):
    """Base64(HMAC-SHA-256(key, values of the vads_* fields sorted by name + '+' + key))."""
    values = [v for k, v in sorted(fields.items()) if k.startswith("vads_")]
    message = "+".join(values + [key]).encode("utf-8")
    return base64.b64encode(hmac.new(key.encode("utf-8"), message, hashlib.sha256)
                            .digest()).decode("ascii")


def corrupt(b64):
    raw = bytearray(base64.b64decode(b64))
    raw[0] ^= 0x55
    return base64.b64encode(bytes(raw)).decode("ascii")


class Attempt:
    def __init__(self, tx, fields, schedule):
        self.tx = tx
        self.f = fields
        self.schedule = schedule        # [(cents, "JJ/MM/AAAA")], the first one now
        self.created = time.time()
        self.state = "card"
        self.card = ""
        self.expiry = ""                # AAMM
        self.tds = False
        self.outcome = None
        self.auth_result = None
        self.trans_uuid = secrets.token_hex(16)
        self.done_at = None


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = {}
        self.recorder = simbase.Recorder()

    def get(self, tx):
        with self.lock:
            return self.attempts.get(tx or "")

    def claim(self, att, from_state, to_state):
        with self.lock:
            if att.state != from_state:
                return False
            att.state = to_state
            return True

    def find(self, order_id=None, trans_id=None):
        with self.lock:
            done = sorted((a for a in self.attempts.values() if a.done_at),
                          key=lambda a: a.done_at)
        if trans_id:
            done = [a for a in done if a.f["vads_trans_id"] == trans_id]
        elif order_id is not None:
            done = [a for a in done if a.f.get("vads_order_id") == order_id]
        return done[-1] if done else None


STATE = State()


# ---------------------------------------------------------------------------- request

def bad(field, why, condition=False):
    if not condition:
        raise ParameterError(field, why)


def parse_schedule(f):
    """vads_payment_config -> [(cents, JJ/MM/AAAA)] (empty for SINGLE)."""
    config, amount = f["vads_payment_config"], int(f["vads_amount"])
    start = datetime.datetime.strptime(f["vads_trans_date"], "%Y%m%d%H%M%S").date()
    if config == "SINGLE":
        return []
    m = re.fullmatch(r"MULTI:first=([0-9]+);count=([0-9]+);period=([0-9]+)", config)
    if m:
        first, count, period = (int(x) for x in m.groups())
        bad("vads_payment_config", "MULTI needs 2 to 12 payments, a period, first < amount",
            2 <= count <= 12 and period > 0 and 0 < first < amount)
        rest = amount - first
        each = rest // (count - 1)
        amounts = [first] + [each] * (count - 2) + [rest - each * (count - 2)]
        return [(a, (start + datetime.timedelta(days=period * i)).strftime("%d/%m/%Y"))
                for i, a in enumerate(amounts)]
    m = re.fullmatch(r"MULTI_EXT:([0-9]{8}=[0-9]+(;[0-9]{8}=[0-9]+)*)", config)
    bad("vads_payment_config", "not SINGLE, MULTI:first=;count=;period= or MULTI_EXT:", m)
    out = []
    for item in m[1].split(";"):
        day, cents = item.split("=")
        try:
            date = datetime.datetime.strptime(day, "%Y%m%d").date()
        except ValueError:
            raise ParameterError("vads_payment_config", f"{day} is not a date")
        out.append((int(cents), date.strftime("%d/%m/%Y")))
    bad("vads_payment_config", "the instalments do not add up to vads_amount",
        sum(a for a, _ in out) == amount)
    return out


def check_request(pairs):
    fields = {}
    for raw_name, raw_value in pairs:
        name = simbase.text(raw_name)
        if name in fields:
            raise ParameterError(name, "posted twice")
        fields[name] = simbase.text(raw_value)
    f = fields
    mode = f.get("vads_ctx_mode")
    bad("vads_ctx_mode", "neither TEST nor PRODUCTION", mode in ("TEST", "PRODUCTION"))
    key = CFG.test_key if mode == "TEST" else CFG.production_key
    if not key:
        raise SignatureError(f"no {mode} key configured")
    if "signature" not in f:
        raise SignatureError("signature is missing")
    if not hmac.compare_digest(signature(f, key).encode("ascii"),
                               f["signature"].encode("utf-8")):
        raise SignatureError("signature does not match the vads_* fields")
    for name in CORE:
        bad(name, "missing", name in f)
    bad("vads_site_id", f"not the site {CFG.site_id}", f["vads_site_id"] == CFG.site_id)
    bad("vads_version", "not V2", f["vads_version"] == "V2")
    bad("vads_action_mode", "not INTERACTIVE", f["vads_action_mode"] == "INTERACTIVE")
    bad("vads_page_action", "not PAYMENT", f["vads_page_action"] == "PAYMENT")
    bad("vads_amount", "not a positive number of cents",
        re.fullmatch(r"[0-9]{1,12}", f["vads_amount"]) and int(f["vads_amount"]) > 0)
    bad("vads_currency", "not 978", f["vads_currency"] == "978")
    bad("vads_trans_id", "not 6 digits or letters",
        re.fullmatch(r"[0-9A-Za-z]{6}", f["vads_trans_id"]))
    try:
        bad("vads_trans_date", "not AAAAMMJJHHMMSS",
            re.fullmatch(r"[0-9]{14}", f["vads_trans_date"]))
        datetime.datetime.strptime(f["vads_trans_date"], "%Y%m%d%H%M%S")
    except ValueError:
        raise ParameterError("vads_trans_date", "not a date (UTC, AAAAMMJJHHMMSS)")
    for name in URL_FIELDS:
        if name in f:
            why = simbase.absolute_url(f[name], limit=512)
            bad(name, why, why is None)
    if "vads_return_mode" in f:
        bad("vads_return_mode", "not GET, POST or NONE",
            f["vads_return_mode"] in ("GET", "POST", "NONE"))
    if "vads_cust_email" in f:
        bad("vads_cust_email", "not an e-mail address",
            re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", f["vads_cust_email"]))
    if "vads_order_id" in f:
        bad("vads_order_id", "not 1 to 64 printable characters",
            re.fullmatch(r"[^\x00-\x1f\x7f]{1,64}", f["vads_order_id"]))
    return fields, parse_schedule(f)


# ---------------------------------------------------------------------------- results

def result_fields(att):
    """The vads_* fields of the notification (without signature)."""
    f = att.f
    status, result, auth_result, _ = OUTCOMES[att.outcome]
    if auth_result is None:
        auth_result = att.auth_result
    when = att.done_at.astimezone(datetime.timezone.utc)
    out = {k: f[k] for k in CORE}
    out.update({k: v for k, v in f.items() if ECHO.match(k)})
    first = att.schedule[0][0] if att.schedule else int(f["vads_amount"])
    out.update({
        "vads_trans_status": status,
        "vads_result": result,
        "vads_extra_result": "",
        "vads_auth_result": auth_result,
        "vads_auth_mode": "FULL",
        "vads_effective_amount": str(first),
        "vads_effective_currency": f["vads_currency"],
        "vads_effective_creation_date": when.strftime("%Y%m%d%H%M%S"),
        "vads_operation_type": "DEBIT",
        "vads_sequence_number": "1",
        "vads_trans_uuid": att.trans_uuid,
        "vads_threeds_status": ("Y" if att.tds else "N") if att.card else "",
        "vads_warranty_result": ("YES" if att.tds else "NO") if att.card else "",
        "vads_url_check_src": "PAY",
        "vads_hash": secrets.token_hex(32),
    })
    out.setdefault("vads_language", "fr")
    if att.outcome == "accepted":
        out["vads_auth_number"] = att.auth_number
        out["vads_payment_certificate"] = att.certificate
    if att.card:
        out.update({
            "vads_card_brand": "CB",
            "vads_card_number": att.card[:6] + "X" * (len(att.card) - 10) + att.card[-4:],
            "vads_expiry_month": att.expiry[2:],
            "vads_expiry_year": "20" + att.expiry[:2],
        })
    return out


def encode(fields, sig):
    return urllib.parse.urlencode(sorted(fields.items()) + [("signature", sig)])


def send_notification(att, kind, fields, mode="good", overrides=None, url=None):
    """POST application/x-www-form-urlencoded to vads_url_check. mode: good (overrides
    applied, then signed), tampered (signed, then overrides applied), bad (wrong signature)."""
    key = CFG.test_key if att.f["vads_ctx_mode"] == "TEST" else CFG.production_key
    sent = dict(fields)
    for name, value in (overrides or {}).items():
        if value is None:
            sent.pop(name, None)
        else:
            sent[name] = value
    sig = signature(fields if mode == "tampered" else sent, key)
    if mode == "bad":
        sig = corrupt(sig)
    body = encode(sent, sig)
    target = url or att.f.get("vads_url_check")
    status, error = simbase.deliver("POST", target, body.encode("ascii"),
                                    "application/x-www-form-urlencoded; charset=UTF-8",
                                    timeout=CFG.timeout)
    record = STATE.recorder.add_notification({
        "kind": kind, "method": "POST", "url": target, "body": body,
        "fields": dict(sent, signature=sig), "signature": mode, "status": status,
        "error": error, "order_id": att.f.get("vads_order_id"),
        "trans_id": att.f["vads_trans_id"], "trans_status": sent.get("vads_trans_status")})
    log(f"notification n={record['n']} {kind} POST {target} trans_id={att.f['vads_trans_id']} "
        f"{sent.get('vads_trans_status')} signature={mode} -> {status if status else error}")
    return record


def resend(n):
    old = STATE.recorder.notification(n)
    if old is None:
        return None
    status, error = simbase.deliver("POST", old["url"], old["body"].encode("ascii"),
                                    "application/x-www-form-urlencoded; charset=UTF-8",
                                    timeout=CFG.timeout)
    record = STATE.recorder.add_notification(dict(
        old, kind="replay", replay_of=n, status=status, error=error))
    log(f"notification n={record['n']} replay of n={n} -> {status if status else error}")
    return record


# ---------------------------------------------------------------------------- pages

def bank_page(title, body):
    return simbase.page(title, body, BRAND)


def error_page(title, detail):
    return bank_page(title, f"<h1>{esc(title)}</h1>\n<p class=\"error\">{esc(detail)}</p>")


def heading(att):
    f = att.f
    title = f"Paiement de {money(f['vads_amount'])} EUR"
    html = [f"<h1>{esc(title)}</h1>",
            f"<p class=\"merchant\">{esc(f.get('vads_shop_name') or CFG.shop)}</p>"]
    if "vads_order_id" in f:
        html.append(f"<p class=\"ref\">Référence de la commande : {esc(f['vads_order_id'])}</p>")
    if att.schedule:
        (first, _), rest = att.schedule[0], att.schedule[1:]
        items = "".join(f"<li>puis {money(a)} EUR le {esc(d)}</li>" for a, d in rest)
        html.append(f"<div class=\"schedule\"><p>Paiement en {len(att.schedule)} fois : "
                    f"{money(first)} EUR aujourd'hui</p><ul>{items}</ul></div>")
    return title, html


def card_page(att, error=None):
    title, html = heading(att)
    html.append(simbase.card_form_html(CARD_PATH, att.tx, error))
    return bank_page(title, "\n".join(html))


def tds_page(att):
    title, html = heading(att)
    html.append(simbase.tds_form_html(TDS_PATH, att.tx, att.card))
    return bank_page("Authentification 3-D Secure", "\n".join(html))


def post_return_page(url, fields):
    inputs = "\n".join(f"<input type=\"hidden\" name=\"{esc(k)}\" value=\"{esc(v)}\">"
                       for k, v in fields)
    return bank_page("Retour à la boutique", f"""<h1>Retour à la boutique</h1>
<form id="retour" method="post" action="{esc(url)}">
{inputs}
<div class="buttons"><button type="submit" class="ok">Retour à la boutique</button></div>
</form>
<script>document.getElementById("retour").submit();</script>""")


# ---------------------------------------------------------------------------- handler

class SystempayHandler(simbase.Handler):

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/_sim/"):
            return self.control("GET", path)
        if path == PAGE_PATH:
            self.note = "error: the payment form must be POSTed"
            return self.send_page(error_page(PARAMETER_TEXT, "Le formulaire doit être envoyé "
                                             "par la méthode POST."))
        self.note = "not found"
        self.send_page(error_page("Page introuvable", "Cette page n'existe pas."), 404)

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/_sim/"):
            return self.control("POST", path)
        body = self.read_body()
        if body is None:
            self.note = "body too large or bad Content-Length"
            return self.send_page(error_page("Erreur", "Requête invalide."), 413)
        if path == PAGE_PATH:
            return self.payment_request(body)
        if path == CARD_PATH:
            return self.card(body)
        if path == TDS_PATH:
            return self.three_d_secure(body)
        self.note = "not found"
        self.send_page(error_page("Page introuvable", "Cette page n'existe pas."), 404)

    def payment_request(self, body):
        try:
            fields, schedule = check_request(simbase.parse_form(body))
        except SignatureError as e:
            self.note = f"signature error: {e}"
            return self.send_page(error_page(SIGNATURE_TEXT, "La signature du formulaire de "
                                             "paiement est invalide."))
        except ParameterError as e:
            name, why = e.args
            self.note = f"parameter error: {name} {why}"
            return self.send_page(error_page(PARAMETER_TEXT, f"Paramètre invalide : {name}"))
        tx = secrets.token_hex(16)
        att = Attempt(tx, fields, schedule)
        with STATE.lock:
            STATE.attempts[tx] = att
        self.note = (f"card page trans_id={fields['vads_trans_id']} "
                     f"order_id={fields.get('vads_order_id')} amount={fields['vads_amount']}"
                     + (f" instalments={len(schedule)}" if schedule else ""))
        self.send_page(card_page(att))

    def card(self, body):
        form = {simbase.text(n): simbase.text(v) for n, v in simbase.parse_form(body)}
        att = STATE.get(form.get("tx"))
        if att is None:
            self.note = "unknown transaction"
            return self.send_page(error_page("Transaction inconnue",
                                             "Cette transaction est inconnue ou expirée."))
        if form.get("action") == "annuler":
            if not STATE.claim(att, "card", "done"):
                return self.finished(att)
            att.outcome = "cancelled"
            return self.conclude(att)
        if att.state != "card":
            return self.finished(att)
        number, expiry, error = simbase.parse_card(form)
        if error:
            self.note = f"card page again trans_id={att.f['vads_trans_id']}: {error}"
            return self.send_page(card_page(att, error))
        if number == CARD_3DS_ACCEPTED:
            if not STATE.claim(att, "card", "3ds"):
                return self.finished(att)
            att.card, att.expiry = number, expiry
            self.note = f"3-D Secure trans_id={att.f['vads_trans_id']} card={mask_card(number)}"
            return self.send_page(tds_page(att))
        if not STATE.claim(att, "card", "done"):
            return self.finished(att)
        att.card, att.expiry = number, expiry
        if number == CARD_PENDING:
            att.outcome = "pending"
        else:
            att.outcome, att.auth_result = "refused", "14" if number == CARD_REFUSED else "05"
        self.conclude(att)

    def three_d_secure(self, body):
        form = {simbase.text(n): simbase.text(v) for n, v in simbase.parse_form(body)}
        att = STATE.get(form.get("tx"))
        if att is None:
            self.note = "unknown transaction"
            return self.send_page(error_page("Transaction inconnue",
                                             "Cette transaction est inconnue ou expirée."))
        if not STATE.claim(att, "3ds", "done"):
            return self.finished(att)
        att.tds, att.outcome = True, "accepted"
        self.conclude(att)

    def finished(self, att):
        self.note = f"transaction already {att.state} trans_id={att.f['vads_trans_id']}"
        self.send_page(error_page("Transaction terminée",
                                  "Cette transaction est terminée ou en cours."))

    def conclude(self, att):
        att.done_at = datetime.datetime.now(datetime.timezone.utc)
        att.auth_number = f"{secrets.randbelow(1_000_000):06d}"
        att.certificate = secrets.token_hex(20)
        fields = result_fields(att)
        if att.f.get("vads_url_check") and CFG.notify:
            send_notification(att, "ipn", fields)
        back = {k: v for k, v in fields.items() if k not in ("vads_url_check_src", "vads_hash")}
        key = CFG.test_key if att.f["vads_ctx_mode"] == "TEST" else CFG.production_key
        pairs = sorted(back.items()) + [("signature", signature(back, key))]
        url = next((att.f[k] for k in OUTCOMES[att.outcome][3] if att.f.get(k)), None)
        mode = att.f.get("vads_return_mode", "NONE")
        STATE.recorder.add_return({"kind": att.outcome, "url": url, "mode": mode,
                                   "trans_id": att.f["vads_trans_id"],
                                   "order_id": att.f.get("vads_order_id")})
        self.note = (f"{att.outcome} trans_id={att.f['vads_trans_id']} "
                     f"order_id={att.f.get('vads_order_id')} card={mask_card(att.card)} "
                     f"-> {url or 'result page'} ({mode})")
        if not url:
            title = esc(TITLES[att.outcome])
            return self.send_page(bank_page("Retour boutique", f"""<h1>{title}</h1>
<p>Transaction {esc(att.f['vads_trans_id'])}, {money(att.f['vads_amount'])} EUR.</p>
<p>Aucune adresse de retour n'a été transmise : vous pouvez fermer cette page.</p>"""))
        if mode == "GET":
            return self.redirect(simbase.append_query(url, urllib.parse.urlencode(pairs)))
        if mode == "POST":
            return self.send_page(post_return_page(url, pairs))
        self.redirect(url)

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
                listing = [{"trans_id": a.f["vads_trans_id"],
                            "order_id": a.f.get("vads_order_id"),
                            "amount": a.f["vads_amount"], "state": a.state,
                            "outcome": a.outcome,
                            "card": mask_card(a.card) if a.card else None} for a in atts]
            return self.send_json(listing)
        if name == "config":
            if method == "POST" and "notify" in q:
                CFG.notify = q["notify"] not in ("0", "false", "no", "off")
            return self.send_json({"notify": CFG.notify, "site_id": CFG.site_id,
                                   "shop": CFG.shop})
        if method != "POST":
            return self.send_json({"error": "unknown control endpoint or method"}, 404)
        if name == "reset":
            STATE.recorder.reset()
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
            mode = q.get("signature", "good")
            if mode not in ("good", "bad", "tampered"):
                return self.send_json({"error": "signature is good, bad or tampered"}, 400)
            att = STATE.find(order_id=q.get("order_id"), trans_id=q.get("trans_id"))
            if att is None:
                return self.send_json({"error": "no finished transaction matches"}, 404)
            url = q.get("url") or att.f.get("vads_url_check")
            if not url:
                return self.send_json({"error": "no vads_url_check and no url="}, 400)
            overrides = {k: v for k, v in q.items() if k.startswith("vads_")}
            for field in filter(None, q.get("omit", "").split(",")):
                overrides[field] = None
            record = send_notification(att, "manual", result_fields(att), mode, overrides, url)
            return self.send_json(record)
        self.send_json({"error": "unknown control endpoint"}, 404)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Systempay / PayZen simulator (test bank).")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--key-file", default=os.path.join(KEYS, "systempay-test.key"),
                    help="the TEST key (vads_ctx_mode=TEST)")
    ap.add_argument("--production-key-file", help="a PRODUCTION key (else refused)")
    ap.add_argument("--site-id", default=Config.site_id)
    ap.add_argument("--shop", default=SHOP, help="shop name when vads_shop_name is absent")
    ap.add_argument("--no-notify", action="store_true",
                    help="never send the notification to vads_url_check")
    ap.add_argument("--notify-timeout", type=float, default=20.0)
    args = ap.parse_args(argv)
    try:
        with open(args.key_file, encoding="utf-8") as fh:
            CFG.test_key = fh.read().strip()
        if args.production_key_file:
            with open(args.production_key_file, encoding="utf-8") as fh:
                CFG.production_key = fh.read().strip()
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"systempay_simulator: {e}")
    if not CFG.test_key:
        sys.exit("systempay_simulator: the test key is empty")
    CFG.site_id, CFG.shop = args.site_id, args.shop
    CFG.notify, CFG.timeout = not args.no_notify, args.notify_timeout
    simbase.serve(SystempayHandler, args.port, "systempay simulator")


if __name__ == "__main__":
    main()
