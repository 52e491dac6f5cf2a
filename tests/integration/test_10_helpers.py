"""What the back-office's tests (test_10xx, issue 11) share: the two CMCAS the demo's
staff belong to, their logins, and a staff session (Basic authentication against
cmcas_staff, as the harness's <Location /gestion> does); the member's « desk order »
the desk, amend and invoice tests start from."""
import datetime
import re

import requests

from cmcas_httpd import BN_BLOCK, DEMO_PASSWORD, cmcas_block

TOURAINE_BLOCK = cmcas_block("TOURAINE", "CMCAS Touraine")
# Berry-Nivernais's portal, with Touraine declared (its staff are CMCAS staff too).
STAFF_SECTIONS = {"cmcas": BN_BLOCK + TOURAINE_BLOCK}
BN_STAFF = ("gestion.bn", DEMO_PASSWORD)
T_STAFF = ("gestion.touraine", DEMO_PASSWORD)
XML = {"Accept": "application/xml"}


def staff_session(auth):
    """A session of that staff login (login, password), asking for HTML."""
    s = requests.Session()
    s.auth = auth
    s.headers["Accept"] = "text/html"
    return s


def staff_token(s, server, path="/gestion/"):
    """The back-office's CSRF token: /page/staff/@csrf of any of its pages."""
    x = s.get(server.url(path), headers=XML).text
    return re.search(r'<staff [^>]*csrf="([^"]+)"', x).group(1)


# Every table a registration, its orders, payments, invoices, mails and audit lines
# write, children first.
REGISTRATION_TABLES = ("cmcas_audit", "cmcas_invoice_line", "cmcas_invoice",
                       "cmcas_order_payment", "cmcas_outbox", "cmcas_order_notice",
                       "cmcas_order_event", "cmcas_order_line", "cmcas_order",
                       "registration_event", "registration_option", "registration_person",
                       "registration")


def member(login="gael.classen", accept=None, password=DEMO_PASSWORD):
    """A member's (or staff's) session (Basic authentication, as the harness's portal
    does), asking for `accept` (e.g. "text/html") when given."""
    s = requests.Session()
    s.auth = (login, password)
    if accept:
        s.headers["Accept"] = accept
    return s


def html_member(login="gael.classen"):
    """member() asking for the HTML pages a browser gets."""
    return member(login, accept="text/html")


def form_token(s, url):
    """The CSRF token of the form on the page at `url`."""
    return re.search(r'name="csrf" value="([^"]+)"', s.get(url).text).group(1)


def today_fr(days=0):
    """Today (plus `days`) as staff type it: JJ/MM/AAAA."""
    return (datetime.date.today() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def desk_order(server, sql, guest=True):
    """From no registration at all: Gael CLASSEN and the guest Michel PETIT (Gael alone
    without `guest`) validated on « Atelier gourmand » (70 €, 20 € alone), « Paiement en
    CMCAS » chosen through the member's pages.
    Returns (member session with .tok, registration id, [participant ids], order ref)."""
    for t in REGISTRATION_TABLES:
        sql(f"DELETE FROM {t}")
    sql("UPDATE activity SET places_taken = 0")
    s = member()
    path = "/activite/1/inscription"
    tok = form_token(s, server.url(path))
    s.post(server.url(path), data={"csrf": tok, "action": "ajouter", "personne": "1"})
    if guest:
        s.post(server.url(path), data={"csrf": tok, "action": "ajouter", "personne": "invite",
                                       "invite-nom": "PETIT", "invite-prenom": "Michel",
                                       "invite-naissance": "12/03/1971"})
    ids = [str(r[0]) for r in sql("SELECT id FROM registration_person ORDER BY id")]
    data = {"csrf": tok, "action": "valider", "participant": ids}
    for i in ids:
        data["options-" + i] = "1"
    assert s.post(server.url(path), data=data, allow_redirects=False).status_code == 303
    reg = sql("SELECT id FROM registration")[0][0]
    r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
               data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    assert r.status_code == 303
    ref = re.search(r"/mes-commandes/([A-Z]{9})", r.headers["Location"]).group(1)
    s.tok = tok
    return s, reg, ids, ref
