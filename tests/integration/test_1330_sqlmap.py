"""Attacks (issue 13): SQL injection, by sqlmap (the Debian package, installed by
scripts/lib/deps.sh) in batch mode, against the catalog's query string (the search, the
tab, the theme, the page), the back-office's filters, and each member's form posted with
a valid session (Basic) and the form's own CSRF token (sqlmap's --csrf-token/--csrf-url:
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

import pytest

from cmcas_httpd import DEMO_PASSWORD, ENGINE, GEN_DIR
from test_7_helpers import Db
from test_13_helpers import (ATTACK_SERVER, BN_STAFF, GAEL, cheap_passwords, desk_order, diff, dump,
                             empty_writable, session, validated_registration)

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
    sqlmap(server, server.url("/gestion/journal?avant=5"), auth=BN_STAFF)
    sqlmap(server, server.url("/gestion/activite/1/inscriptions?statut=validee&refus-photo=0"),
           auth=BN_STAFF)
    sqlmap(server, server.url("/gestion/commandes?etat=a-encaisser"), auth=BN_STAFF)
