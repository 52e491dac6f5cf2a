"""What the card payment tests share, whatever the bank: the bank simulator in a
subprocess, the member's session, the registration to pay and the steps to pay it, and
the reset of the payments before each test."""

import os
import re
import subprocess
import time
from contextlib import contextmanager

import requests

from cmcas_httpd import BN_BLOCK, GEN_DIR, REPO, free_port
from cmcas_pages import parse_html, main_text
from test_10_helpers import member as session

CARD_3DS = "1111222233334444"       # accepted after 3-D Secure
CARD_REFUSED = "4012001038443335"   # refused
CARD_PENDING = "4000000000009999"   # pending

# The Paybox simulator, its keys, and what a server taking Paybox payments at BN logs at
# start (a production account without CMCASPayboxDirect: allowed, with a warning).
PAYBOX_SIMULATOR = os.path.join(REPO, "tests", "gateway", "paybox_simulator.py")
KEYS = os.path.join(REPO, "tests", "gateway", "keys")
PAYBOX_HMAC_KEY_FILE = os.path.join(KEYS, "paybox-test-hmac.key")
PAYBOX_START_WARN = [r"CMCAS81: <CMCAS BN> \(.*\) takes Paybox payments without "
                     r"CMCASPayboxDirect"]
# The bank's notifications come without a member's session.
NOTIFY_OPEN = "<Location /paiement/notification>\n    Require all granted\n</Location>"


def paybox_block(bank, *lines):
    """Berry-Nivernais's <CMCAS> block taking cards through the simulator `bank` (the
    test merchant account), with `lines` added (e.g. "CMCASPortalURL ...")."""
    more = "".join(f"    {line}\n" for line in lines)
    return BN_BLOCK.replace("</CMCAS>", f"""\
{more}    CMCASOnlinePayment On
    CMCASGateway paybox {bank.url("/cgi/MYchoix_pagepaiement.cgi")}
    CMCASPayboxAccount 1999888 32 107904482
    CMCASPayboxKeyFile {PAYBOX_HMAC_KEY_FILE}
    CMCASPayboxPublicKeyFile {KEYS}/simulator-public.pem
    CMCASCGV /cgv
</CMCAS>""")

class Bank:
    """A bank simulator of tests/gateway/ in a subprocess, on a free port."""

    def __init__(self, simulator, log_path, *args):
        self.simulator, self.args = simulator, list(args)
        self.name = os.path.basename(simulator)
        self.log_path = log_path
        self.log = None
        self.proc = None
        self.port = None

    def start(self):
        for _ in range(3):
            self.port = free_port()
            self.log = open(self.log_path, "a")
            self.proc = subprocess.Popen(["/usr/bin/python3", self.simulator, "--port",
                                          str(self.port)] + self.args,
                                         stdout=self.log, stderr=self.log)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    if requests.get(self.url("/_sim/health"), timeout=1).text == "OK\n":
                        return
                except requests.RequestException:
                    pass
                time.sleep(0.05)
            self.stop()
        raise RuntimeError(f"{self.name} did not start: see {self.log_path}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None
        self.log.close()

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path):
        return self.origin + path

    def notifications(self):
        return requests.get(self.url("/_sim/notifications"), timeout=10).json()

    def returns(self):
        return requests.get(self.url("/_sim/returns"), timeout=10).json()

    def notify(self, **params):
        """POST /_sim/notify?…: a notification (IPN) for a finished transaction (its
        record)."""
        r = requests.post(self.url("/_sim/notify"), params=params, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()

    def replay(self, n):
        r = requests.post(self.url("/_sim/replay"), params={"n": n}, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()

    def set_notify(self, on):
        r = requests.post(self.url("/_sim/config"), params={"notify": "1" if on else "0"},
                          timeout=10)
        assert r.json()["notify"] is on

    def reset(self):
        requests.post(self.url("/_sim/reset"), timeout=10).raise_for_status()


@contextmanager
def running_bank(simulator, name, *args):
    """A bank simulator started for a test module `name` (its log:
    tests/gen/<name>-bank.log), stopped afterwards."""
    os.makedirs(GEN_DIR, exist_ok=True)
    b = Bank(simulator, os.path.join(GEN_DIR, f"{name}-bank.log"), *args)
    b.start()
    try:
        yield b
    finally:
        b.stop()


def csrf(s, srv, path="/activite/1/inscription"):
    return re.search(r'name="csrf" value="([^"]+)"', s.get(srv.url(path)).text).group(1)


class Flow:
    """One test's registration (Gael CLASSEN + the guest Michel PETIT on « Atelier
    gourmand », 70 €) and the helpers to pay it. A gateway's tests set the class
    attributes: the bank's card and 3-D Secure pages, the field holding the order's
    reference, and what the bank's page says when it refuses the request."""

    CARD_PAGE = TDS_PAGE = REF_FIELD = REFUSAL = None

    def __init__(self, srv, bank):
        self.srv, self.bank, self.sql = srv, bank, srv.sql
        self.s = session()
        self.reg = None
        self.tok = None

    # -- the registration
    def validate(self):
        srv, sql = self.srv, self.sql
        path = "/activite/1/inscription"
        self.tok = csrf(self.s, srv, path)
        self.s.post(srv.url(path), data={"csrf": self.tok, "action": "ajouter",
                                         "personne": "1"})
        self.s.post(srv.url(path), data={"csrf": self.tok, "action": "ajouter",
                                         "personne": "invite", "invite-nom": "PETIT",
                                         "invite-prenom": "Michel",
                                         "invite-naissance": "12/03/1971"})
        ids = [str(r[0]) for r in sql("SELECT id FROM registration_person ORDER BY id")]
        data = {"csrf": self.tok, "action": "valider", "participant": ids}
        for i in ids:
            data["options-" + i] = "1"
        r = self.s.post(srv.url(path), data=data, allow_redirects=False)
        assert r.status_code == 303
        self.reg = sql("SELECT id FROM registration")[0][0]
        assert self.places() == 2
        return self

    def validate_touraine(self):
        """Gael alone on CMCAS Touraine's « Canoë sur le Cher » (open to others, option 51)
        from the BN portal: the registration's id (self.reg is left as it was)."""
        srv, s = self.srv, self.s
        path = "/activite/43/inscription"
        tok = csrf(s, srv, path)
        s.post(srv.url(path), data={"csrf": tok, "action": "ajouter", "personne": "1"})
        pid = str(self.sql("SELECT rp.id FROM registration_person rp JOIN registration r "
                           "ON r.id = rp.registration_id WHERE r.activity_id = 43")[0][0])
        r = s.post(srv.url(path), data={"csrf": tok, "action": "valider", "participant": pid,
                                        "options-" + pid: "51"}, allow_redirects=False)
        assert r.status_code == 303
        return self.sql("SELECT id FROM registration WHERE activity_id = 43")[0][0]

    # -- the database
    def order(self, ref):
        cols = ["reference", "status", "method", "total", "instalments", "registration_id"]
        rows = self.sql(f"SELECT {', '.join(cols)} FROM cmcas_order WHERE reference = ?",
                        (ref,))
        return dict(zip(cols, rows[0])) if rows else None

    def order_status(self, ref):
        return self.order(ref)["status"]

    def registration(self):
        return self.sql("SELECT status, places_held FROM registration WHERE id = ?",
                        (self.reg,))[0]

    def places(self):
        return self.sql("SELECT places_taken FROM activity WHERE id = 1")[0][0]

    def order_events(self, ref):
        return self.sql("SELECT e.actor, e.status, e.event FROM cmcas_order_event e "
                        "JOIN cmcas_order o ON o.id = e.order_id WHERE o.reference = ? "
                        "ORDER BY e.id", (ref,))

    def snapshot(self):
        return {t: self.sql(f"SELECT * FROM {t} ORDER BY id")
                for t in ("cmcas_order", "cmcas_order_event", "registration",
                          "registration_event", "activity")}

    # -- the portal
    def payment_page(self):
        return self.s.get(self.srv.url(f"/mes-inscriptions/{self.reg}/paiement"))

    def choose(self, methode="cb1"):
        """« Payer avec CB »: the page « banque » (its response, fields, form action)."""
        r = self.s.post(self.srv.url(f"/mes-inscriptions/{self.reg}/paiement"),
                        data={"csrf": self.tok, "methode": methode, "cgv": "1"},
                        allow_redirects=False)
        assert r.status_code == 200, r.text[:500]
        doc = parse_html(r.text)
        form = doc.find("form", id="banque")
        assert form is not None, r.text[:1000]
        fields = [(i.attrs["name"], i.attrs["value"]) for i in form.find_all("input")
                  if i.attrs.get("type") == "hidden"]
        return r, fields, form.attrs["action"]

    # -- the bank
    def pay(self, card=CARD_3DS, methode="cb1", cancel=False):
        """Orders by card and pays at the bank: returns (order reference, fields, the bank's
        redirect URL)."""
        _, fields, action = self.choose(methode)
        return self.at_bank(fields, action, card, cancel)

    def at_bank(self, fields, action, card=CARD_3DS, cancel=False):
        """Posts the form to the bank, types the card (3-D Secure when asked) or presses
        « Annuler »; returns (reference, fields, the bank's redirect URL)."""
        b = requests.Session()
        r = b.post(action, data=fields)
        assert r.status_code == 200 and self.REFUSAL not in r.text, r.text[:800]
        tx = re.search(r'name="tx" value="([^"]+)"', r.text).group(1)
        form = {"tx": tx, "numero": card, "validite": "12/30", "cvv": "123",
                "action": "annuler" if cancel else "valider"}
        r = b.post(self.bank.url(self.CARD_PAGE), data=form, allow_redirects=False)
        if r.status_code == 200:
            assert "Authentification 3-D Secure" in r.text, r.text[:800]
            tds = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                  r.text))
            r = b.post(self.bank.url(self.TDS_PAGE), data=tds, allow_redirects=False)
        assert r.status_code == 303, r.text[:500]
        return dict(fields)[self.REF_FIELD], dict(fields), r.headers["Location"]

    def back(self, url):
        """The member's browser following the bank's redirect: the page's text, the
        order's status (its « État ») and its messages."""
        r = self.s.get(url)
        assert r.status_code == 200, r.text[:500]
        return Page(r.text)

    def cancel_order(self, ref):
        r = self.s.post(self.srv.url(f"/mes-commandes/{ref}"),
                        data={"csrf": self.tok, "action": "annuler"}, allow_redirects=False)
        assert r.status_code == 303
        return r

    def orders_page(self):
        return main_text(parse_html(self.s.get(self.srv.url("/mes-commandes")).text))


class Page:
    def __init__(self, text):
        doc = parse_html(text)
        self.text = main_text(doc)
        self.states = {n.text for n in doc.find_all("span", cls="status")}
        self.alerts = [n.text for n in doc.find_all("p", cls="alert")]


def reset_payments(server, bank):
    """No order, no registration, the demo's prices, the bank notifying."""
    bank.set_notify(True)
    bank.reset()
    server.sql_script("""BEGIN;
        DELETE FROM cmcas_order_notice; DELETE FROM cmcas_order_event;
        DELETE FROM cmcas_invoice_line; DELETE FROM cmcas_invoice;
        DELETE FROM cmcas_order_line;
        DELETE FROM cmcas_order; DELETE FROM registration_event;
        DELETE FROM registration_option; DELETE FROM registration_person;
        DELETE FROM registration; UPDATE activity SET places_taken = 0;
        UPDATE activity_option SET price_beneficiary = 3000, price_guest = 4000
            WHERE id = 1;
        COMMIT;""")
    assert server.sql("SELECT count(*) FROM cmcas_order")[0][0] == 0


class PayboxFlow(Flow):
    """The steps of a card payment on the Paybox simulator's pages."""
    CARD_PAGE, TDS_PAGE = "/cgi/paiement-carte", "/cgi/3dsecure"
    REF_FIELD, REFUSAL = "PBX_CMD", "Accès refusé"
