"""Attacks (issue 13): SQL injection, by sqlmap (the Debian package, installed by
scripts/lib/deps.sh) in batch mode, against the catalog's query string (the search, the
tab, the theme, the page), the back-office's filters, and each member's form and the
staff's forms posted with a valid session (Basic) and a valid CSRF token (sqlmap's --csrf-token/--csrf-url:
it reads the token from the page before each post). Level 1, risk 1, the boolean, error
and UNION techniques (time-based ones are slow and flaky on a loaded machine, and the
module runs only prepared statements: a probe that does not change the answer does not
change the time either), the database's engine named: a run takes a few seconds per
target. The test fails if sqlmap reports any parameter injectable, or if anything changed
in the database that the form's own original values would not change (the accounts, the
staff, the activities, the other households). Skipped only when sqlmap is missing."""

import os
import re
import shutil
import subprocess
import urllib.parse

import pytest

from cmcas_httpd import DEMO_PASSWORD, ENGINE, GEN_DIR
from cmcas_pages import parse_html
from test_7_helpers import Db
from test_1010_staff_activity import NEW
from test_13_helpers import (ATTACK_SERVER, BN_STAFF, GAEL, cheap_passwords, desk_order, diff, dump,
                             empty_writable, page_token, session, today_fr,
                             validated_registration)

CMCAS_SERVER = ATTACK_SERVER
SQLMAP = shutil.which("sqlmap")
pytestmark = pytest.mark.skipif(SQLMAP is None, reason="sqlmap is not installed "
                                "(scripts/lib/deps.sh installs the Debian package)")
DBMS = "PostgreSQL" if ENGINE == "pgsql" else "SQLite"
OUT = os.path.join(GEN_DIR, "test_1330_sqlmap-out")
# What a form's own values may change (the post is legitimate before it is an attack).
MAY_CHANGE = {"registration", "registration_person", "registration_option",
              "registration_event", "cmcas_audit", "cmcas_outbox", "cmcas_order",
              "cmcas_order_event", "cmcas_order_line", "household", "activity"}
NEVER = {"cmcas_staff", "cmcas", "activity_option", "person", "cmcas_invoice",
         "cmcas_order_payment", "cmcas_image"}


def sqlmap(server, url, data=None, params=None, auth=(GAEL, DEMO_PASSWORD), csrf_url=None):
    """Runs sqlmap on one target; returns its output. Fails on an injectable finding."""
    os.makedirs(OUT, exist_ok=True)
    cmd = [SQLMAP, "-u", url, "--batch", "--flush-session", "--disable-coloring",
           f"--output-dir={OUT}", f"--dbms={DBMS}", "--level=1", "--risk=1",
           "--technique=BEU", "--timeout=30", "--retries=1",
           "--auth-type=Basic", f"--auth-cred={auth[0]}:{auth[1]}",
           "--answers=follow=N,keep testing=Y"]
    if data is not None:
        cmd += [f"--data={data}"]
    if params:
        cmd += ["-p", ",".join(params)]
    if csrf_url:
        cmd += ["--csrf-token=csrf", f"--csrf-url={csrf_url}"]
    else:
        cmd += ["--threads=2"]
    env = dict(os.environ, HOME=OUT)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240, env=env,
                          stdin=subprocess.DEVNULL)
    out = proc.stdout + proc.stderr
    with open(os.path.join(OUT, "runs.log"), "a", encoding="utf-8") as f:
        f.write(f"\n===== {' '.join(cmd)}\n{out}")
    found = re.findall(r"(?i)(parameter '[^']+' (?:is|appears to be|might be) [^\n]*"
                       r"injectable[^\n]*|identified the following injection point)", out)
    assert not found, "sqlmap found an injection:\n" + out[-4000:]
    # sqlmap really tested something (not stopped by a 401, a 403 or a connection error)
    assert re.search(r"(?i)do(?:es)? not (?:seem|appear) to be injectable", out), out[-4000:]
    for bad in ("HTTP error codes detected during run:\n500", "connection refused",
                "unable to connect"):
        assert bad.lower() not in out.lower(), out[-4000:]
    return out


@pytest.fixture(scope="module")
def world(server):
    cheap_passwords(server)
    Db(server).reset()
    empty_writable(server)
    with session(GAEL) as g:
        reg, tok = validated_registration(server, g)
        ref = desk_order(server, g, reg, tok)
    return {"reg": reg, "ref": ref}


@pytest.fixture
def guarded(server):
    """Nothing changes but what a form's legitimate values change."""
    before = dump(server)
    accounts = server.sql("SELECT id, login, password, cmcas_code FROM household ORDER BY id")
    yield
    changed = diff(before, dump(server))
    assert set(changed) <= MAY_CHANGE and not set(changed) & NEVER, changed
    # no household made, none lost, no login or password changed
    assert server.sql("SELECT id, login, password, cmcas_code FROM household "
                      "ORDER BY id") == accounts


def test_catalog_query_string(server, world, guarded):
    sqlmap(server, server.url("/?q=randonnee&onglet=nos&theme=SPORT&page=1"))


def test_activity_and_order_paths(server, world, guarded):
    """The ids in the paths (sqlmap's * marks the injection point)."""
    sqlmap(server, server.url("/activite/1*"))
    sqlmap(server, server.url(f"/mes-commandes/{world['ref']}*"))


def test_account_form(server, world, guarded):
    sqlmap(server, server.url("/mes-informations"),
           data="csrf=x&email=gael.classen%40example.org&telephone=0612345678",
           params=["email", "telephone"], csrf_url=server.url("/mes-informations"))


def test_address_form(server, world, guarded):
    sqlmap(server, server.url("/mes-adresses"),
           data="csrf=x&rue1=14+rue+des+Ar%C3%A8nes&rue2=&code_postal=18000&ville=Bourges"
                "&pays=France", params=["rue1", "code_postal", "ville", "pays"],
           csrf_url=server.url("/mes-adresses"))


def test_registration_form(server, world, guarded):
    pid = server.sql("SELECT min(id) FROM registration_person WHERE registration_id = ?",
                     (world["reg"],))[0][0]
    sqlmap(server, server.url("/activite/1/inscription"),
           data=f"csrf=x&participant={pid}&options-{pid}=1&observations=rien"
                "&action=enregistrer",
           params=["participant", f"options-{pid}", "observations", "action"],
           csrf_url=server.url("/mes-informations"))


def test_payment_and_order_forms(server, world, guarded):
    sqlmap(server, server.url(f"/mes-inscriptions/{world['reg']}/paiement"),
           data=f"csrf=x&cgv=1&methode=cmcas&remplace={world['ref']}",
           params=["methode", "remplace"], csrf_url=server.url("/mes-informations"))
    sqlmap(server, server.url(f"/mes-commandes/{world['ref']}"),
           data="csrf=x&action=voir", params=["action"],
           csrf_url=server.url("/mes-informations"))


def test_back_office_filters(server, world, guarded):
    sqlmap(server, server.url("/gestion?activites=a-payer"), auth=BN_STAFF)
    sqlmap(server, server.url("/gestion/journal?avant=5"), auth=BN_STAFF)
    sqlmap(server, server.url("/gestion/activite/1/inscriptions?statut=validee&refus-photo=0"),
           auth=BN_STAFF)
    sqlmap(server, server.url("/gestion/commandes?etat=a-encaisser"), auth=BN_STAFF)


# What the staff's forms may change besides: a desk payment's record and invoice (and
# the invoices' counter), the activity's options (its form posts them again) and the
# counts of changes the page cache reads (one table on SQLite, two on PostgreSQL).
STAFF_MAY_CHANGE = MAY_CHANGE | {"cmcas_order_payment", "cmcas_invoice", "cmcas_invoice_line",
                                 "cmcas_invoice_counter", "activity_option",
                                 "cmcas_data_version", "cmcas_catalog_version",
                                 "cmcas_places_version"}


def form_fields(s, url, action):
    """What the page's form posting to `action` sends as it is shown: (name, value)s."""
    form = next(f for f in parse_html(s.get(url).text).find_all("form")
                if f.attrs.get("action", "").endswith(action))
    fields = []
    for n in form.iter():
        name = n.attrs.get("name")
        if not name or "disabled" in n.attrs:
            continue
        if n.tag == "input" and n.attrs.get("type") not in ("submit", "button", "file"):
            if n.attrs.get("type") not in ("checkbox", "radio") or "checked" in n.attrs:
                fields.append((name, n.attrs.get("value", "")))
        elif n.tag == "textarea":
            fields.append((name, n.raw_text))
        elif n.tag == "select":
            options = n.find_all("option")
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            fields += [(name, o.attrs.get("value", o.text)) for o in chosen]
    return fields


def staff_never_change(server):
    """What none of the staff's forms changes: the staff, the CMCAS, the households and
    their members, row by row."""
    return [server.sql(f"SELECT * FROM {t} ORDER BY 1")
            for t in ("cmcas_staff", "cmcas", "household", "person")]


def test_back_office_forms(server, world):
    """The staff's forms, each posted with its page's own values and a valid token: a
    desk payment, the activity's form, a paid registration changed, its cancellation and
    the refund it calls for. Nothing injectable; nothing
    changed but what such forms change (no staff, CMCAS, household or person)."""
    before = dump(server)
    keep = staff_never_change(server)
    waiting = server.sql("SELECT reference, total FROM cmcas_order WHERE registration_id = ?"
                         " AND status = 'attente_cmcas'", (world["reg"],))
    if not waiting:
        with session(GAEL) as g:
            tok = page_token(g, server.url(f"/mes-inscriptions/{world['reg']}/paiement"))
            ref = desk_order(server, g, world["reg"], tok)
        waiting = server.sql("SELECT reference, total FROM cmcas_order WHERE reference = ?",
                             (ref,))
    ref, total = waiting[0]
    form = server.url("/gestion/activite/1")
    sqlmap(server, server.url(f"/gestion/commande/{ref}/paiement"),
           data=urllib.parse.urlencode({"csrf": "x", "moyen": "cheque",
                                        "montant": f"{total // 100},{total % 100:02d}",
                                        "date": today_fr(), "note": "chèque 0001"}),
           params=["moyen", "montant", "date", "note"], auth=BN_STAFF, csrf_url=form)
    with session(*BN_STAFF) as staff:
        body = urllib.parse.urlencode(form_fields(staff, form, "/gestion/activite/1"))
        amend = server.url(f"/gestion/inscription/{world['reg']}/modifier")
        guest = server.sql("SELECT max(id) FROM registration_person WHERE registration_id = ?",
                           (world["reg"],))[0][0]
        amend_body = urllib.parse.urlencode(
            [(k, v) for k, v in form_fields(staff, amend, "/modifier") if k != "motif"]
            + [(f"retirer-{guest}", "1"), ("motif", "demande du foyer")])
    sqlmap(server, form, data=body, params=["title", "place", "capacity", "option.1.label"],
           auth=BN_STAFF, csrf_url=form)
    # The paid registration changed at the member's request: the guest taken off.
    sqlmap(server, amend, data=amend_body, params=["participant", "motif", "personne"],
           auth=BN_STAFF, csrf_url=form)
    assert server.sql("SELECT count(*) FROM registration_person WHERE id = ?",
                      (guest,)) == [(0,)]
    sqlmap(server, server.url(f"/gestion/inscription/{world['reg']}/annuler"),
           data="csrf=x&motif=demande+du+foyer", params=["motif"], auth=BN_STAFF,
           csrf_url=form)
    # The paid order of the registration cancelled is to refund.
    assert server.sql("SELECT status FROM cmcas_order WHERE reference = ?",
                      (ref,)) == [("a_rembourser",)]
    sqlmap(server, server.url(f"/gestion/commande/{ref}/remboursement"),
           data=urllib.parse.urlencode({"csrf": "x", "moyen": "virement", "date": today_fr(),
                                        "note": "virement 0001"}),
           params=["moyen", "date", "note"], auth=BN_STAFF, csrf_url=form)
    assert server.sql("SELECT refunded_at IS NOT NULL FROM cmcas_order WHERE reference = ?",
                      (ref,)) in ([(1,)], [(True,)])
    changed = diff(before, dump(server))
    assert set(changed) <= STAFF_MAY_CHANGE, set(changed) - STAFF_MAY_CHANGE
    assert staff_never_change(server) == keep


def test_activity_creation_and_publication(server, world):
    """The form that creates an activity, posted with valid values (each of sqlmap's
    requests that stays valid makes one: all of the staff's CMCAS and unpublished), then
    the publication of the first one made. Nothing injectable; no staff, CMCAS, household
    or person changed, no activity of before changed."""
    new = server.url("/gestion/activites/nouvelle")
    before = dump(server)
    keep = staff_never_change(server)
    (last,) = server.sql("SELECT max(id) FROM activity")[0]
    old = server.sql("SELECT * FROM activity ORDER BY 1")
    with session(*BN_STAFF) as staff:
        shown = dict(form_fields(staff, new, "/gestion/activites/nouvelle"))
    assert set(NEW) <= set(shown), shown        # the page shows every field posted
    fields = dict(shown, **NEW)
    sqlmap(server, new, data=urllib.parse.urlencode(fields),
           params=["title", "place", "start_date", "capacity", "mode", "option.1.label",
                   "option.1.price_beneficiary"], auth=BN_STAFF, csrf_url=new)
    made = server.sql("SELECT id, cmcas_code, published_at FROM activity WHERE id > ? "
                      "ORDER BY id", (last,))
    assert made, "the form's own values made no activity"
    assert all(code == "BN" and published is None for _, code, published in made), made
    first = made[0][0]
    sqlmap(server, server.url(f"/gestion/activite/{first}/publier"),
           data="csrf=x&action=publier", params=["action"], auth=BN_STAFF, csrf_url=new)
    assert server.sql("SELECT published_at IS NOT NULL FROM activity WHERE id = ?",
                      (first,)) in ([(1,)], [(True,)])
    changed = diff(before, dump(server))
    assert set(changed) <= STAFF_MAY_CHANGE, set(changed) - STAFF_MAY_CHANGE
    assert staff_never_change(server) == keep
    assert server.sql("SELECT * FROM activity WHERE id <= ? ORDER BY 1", (last,)) == old
