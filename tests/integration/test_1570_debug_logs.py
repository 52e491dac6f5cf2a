"""`LogLevel cmcas:debug` and `trace1` (issue 14): a journey through a server at
`LogLevel warn cmcas:trace1` (a registration paid by card on the Paybox simulator, an
order « Paiement en CMCAS » paid at the desk, a « tour de rôle » drawn by the background
job, the e-mails sent by the mail job) writes each flow's debug line, and the trace1
steps; and no line carries a password, the Basic credentials, a CSRF token, an e-mail
address, a person's name (the households' and the guest's), the bank's signature of a
notification or the signed request's HMAC (scripts/lib/check_logs.py then searches this
log with every other test's).

Also: scripts/lib/check_logno.py fails on a message table that is unsorted, misses a
tag of the code, names a tag no code uses, or gives another level than the code's."""

import glob
import os
import re
import shutil
import subprocess
import sys
import urllib.parse

import pytest

from cmcas_httpd import CmcasHttpd, GEN_DIR, REPO, running_as_root, utc_day, wait_for_line
from test_7_helpers import GAEL, P_GAEL, Member, cheap_hash
from test_8_helpers import (CARD_3DS, NOTIFY_OPEN, PAYBOX_START_WARN, PayboxFlow,
                            paybox_block, reset_payments, running_bank)
from test_8_helpers import PAYBOX_SIMULATOR
from test_10_helpers import (BN_STAFF, REGISTRATION_TABLES, desk_order,
                             staff_session, staff_token, today_fr)

sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
import check_logs  # noqa: E402

NAME = "test_1570_debug_logs"
MAIL_DIR = os.path.join(GEN_DIR, f"{NAME}-mail")
CAPTURE = os.path.join(REPO, "scripts", "cmcas-mail-to-folder")
DRAW_ACTIVITY, DRAW_OPTION = 2, 2

# Each flow's debug line (and a few trace1 steps), as the journey must write them.
FLOW_LINES = {
    "registration validated": r"\[cmcas:debug\] .*CMCAS283: registration \d+ of household "
                              r"1 for activity 1: valider done",
    "a registration step": r"\[cmcas:trace1\] .*CMCAS283: registration \d+ of household 1 "
                           r"for activity 1: ajouter done",
    "card order created": r"\[cmcas:debug\] .*CMCAS284: order [A-Z]{9} created for "
                          r"registration \d+ of household 1: \d+ cents, method paybox",
    "desk order created": r"\[cmcas:debug\] .*CMCAS284: order [A-Z]{9} created .* method "
                          r"cmcas, 1 instalment",
    "request to the bank": r"\[cmcas:trace1\] .*CMCAS286: order [A-Z]{9}: signed request "
                           r"to paybox's page",
    "notification verified": r"\[cmcas:debug\] .*CMCAS287: paybox notification verified "
                             r"for CMCAS BN: order [A-Z]{9}, \d+ cents, code 00000",
    "browser return verified": r"\[cmcas:debug\] .*CMCAS287: paybox browser return "
                               r"verified",
    "notification applied": r"\[cmcas:debug\] .*CMCAS289: notification of order [A-Z]{9} "
                            r"applied: \d+ cents, code 00000, result \d+, order payee",
    "desk payment step": r"\[cmcas:trace1\] .*CMCAS290: back-office: recording a desk "
                         r"payment for order [A-Z]{9}",
    "desk payment": r"\[cmcas:debug\] .*CMCAS291: desk payment of order [A-Z]{9} "
                    r"recorded: \d+ cents, order payee",
    "draw started": rf"\[cmcas:debug\] .*CMCAS292: draw of activity {DRAW_ACTIVITY} "
                    r"\(CMCAS BN\) started",
    "draw finished": rf"\[cmcas:debug\] .*CMCAS293: draw of activity {DRAW_ACTIVITY} "
                     r"finished: drawn and published \(selected 1, waiting 0, "
                     r"not selected 0\)",
    "expiry job run": r"\[cmcas:trace1\] .*CMCAS294: expiry job ran",
    "mail job run": r"\[cmcas:trace1\] .*CMCAS295: e-mail job ran: this server's",
    "mail claimed": r"\[cmcas:trace1\] .*CMCAS296: e-mail \d+ \(\w+\) claimed, attempt 1",
    "mail sent": r"\[cmcas:debug\] .*CMCAS299: outbox \d+ \(\w+\) marked sent",
    "member page routed": r"\[cmcas:trace1\] .*CMCAS298: member page GET /mes-inscriptions/"
                          r"\d+/paiement routed \(route \d+\) for household 1",
    "back-office routed": r"\[cmcas:trace1\] .*CMCAS297: back-office POST /commande/"
                          r"[A-Z]{9}/paiement routed \(staff of CMCAS BN\)",
}


@pytest.fixture(scope="module")
def bank():
    with running_bank(PAYBOX_SIMULATOR, NAME) as b:
        yield b


@pytest.fixture(scope="module")
def srv(start_server, bank):
    shutil.rmtree(MAIL_DIR, ignore_errors=True)
    os.makedirs(MAIL_DIR)
    if running_as_root():
        import pwd
        pw = pwd.getpwnam("www-data")
        os.chown(MAIL_DIR, pw.pw_uid, pw.pw_gid)
    extra = (f'{NOTIFY_OPEN}\nCMCASMailCommand "{CAPTURE} {MAIL_DIR} -t -i"\n'
             "CMCASMailInterval 1\nCMCASExpiryInterval 1\n")
    # Under ASan the jobs' first run (a second after start) may find mod_dbd's pool not
    # set up yet: said once, then CMCAS230 (test_1420 tests outages).
    s = CmcasHttpd(f"{NAME}-trace1", log_level="warn cmcas:trace1", extra=extra,
                   ignore=[r"CMCAS(62|101): .*no database connection"])
    # The e-mails need the portal's URL: this very server's.
    s.sections["cmcas"] = paybox_block(bank, f"CMCASPortalURL {s.base_url}/")
    start_server(s, expect_at_start=PAYBOX_START_WARN)
    s.sql("UPDATE household SET password = ?", (cheap_hash(),))
    return s


def journey(srv, bank):
    """Returns the values that must never be logged, with what they are."""
    secret = {}
    reset_payments(srv, bank)
    flow = PayboxFlow(srv, bank).validate()
    secret[flow.tok] = "a CSRF token"
    ref, fields, url = flow.pay(CARD_3DS)
    assert flow.order_status(ref) == "payee"
    flow.back(url)
    flow.payment_page()             # a member page, routed (the registration is paid)
    flow.s.close()
    secret[fields["PBX_HMAC"]] = "the signed request's HMAC"
    for note in bank.notifications():
        for sign in urllib.parse.parse_qs(note["query"]).get("Sign", []):
            secret[sign] = "the bank's signature of a notification"
            secret[urllib.parse.quote(sign, safe="")] = "the bank's signature (escaped)"
    assert "the bank's signature of a notification" in secret.values()

    # « Paiement en CMCAS », paid at the desk.
    s, _, _, dref = desk_order(srv, srv.sql, guest=False)
    secret[s.tok] = "a CSRF token"
    s.close()
    total = srv.sql("SELECT total FROM cmcas_order WHERE reference = ?", (dref,))[0][0]
    with staff_session(BN_STAFF) as bn:
        tok = staff_token(bn, srv)
        secret[tok] = "a CSRF token"
        r = bn.post(srv.url(f"/gestion/commande/{dref}/paiement"),
                    data={"csrf": tok, "moyen": "cheque",
                          "montant": f"{total // 100},{total % 100:02d}",
                          "date": today_fr(), "note": "n° 1"}, allow_redirects=False)
        assert r.status_code == 303, r.text[:500]

    # A « tour de rôle » whose closing date has passed: drawn by the background job.
    srv.sql("UPDATE activity SET draw_done_at = NULL, draw_published_at = NULL"
            " WHERE id = ?", (DRAW_ACTIVITY,))
    m = Member(srv, GAEL)
    try:
        m.register(DRAW_ACTIVITY, [P_GAEL], option=DRAW_OPTION)
    finally:
        m.close()
    srv.sql("UPDATE activity SET closing_date = ? WHERE id = ?", (utc_day(-1),
                                                                  DRAW_ACTIVITY))
    for what in ("draw finished", "mail sent"):
        assert wait_for_line(srv, FLOW_LINES[what], 60), f"no line « {what} » after 60 s"
    return secret


def personal_words(srv):
    """The names (whole words, as stored) and e-mail addresses of the database."""
    words = {}
    for first, last in srv.sql("SELECT first_name, last_name FROM person"):
        words[first] = words[last] = "a person's name"
    words["Michel"] = words["PETIT"] = "the guest's name"
    for (email,) in srv.sql("SELECT email FROM household"):
        words[email] = "a household's e-mail"
    return words


def test_each_flow_logs_at_debug_and_nothing_secret(srv, bank):
    secret = journey(srv, bank)
    with open(srv.error_log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    missing = [what for what, rx in FLOW_LINES.items() if not re.search(rx, log)]
    assert missing == [], f"no line for: {missing}"
    table = check_logs.secrets(REPO)
    table.update(secret)
    hits = [(what, line[:300]) for line in log.splitlines()
            for value, what in table.items() if value and value in line]
    words = personal_words(srv)
    hits += [(what, line[:300]) for line in log.splitlines()
             for value, what in words.items() if re.search(rf"\b{re.escape(value)}\b", line)]
    assert hits == [], "\n".join(f"{w}: {l}" for w, l in hits[:20])
    # The mail went, and its address is in the message, not in the log.
    mails = glob.glob(os.path.join(MAIL_DIR, "*.eml"))
    assert mails and any("@example.org" in open(p, errors="replace").read() for p in mails)
    for t in REGISTRATION_TABLES:
        srv.sql(f"DELETE FROM {t}")
    srv.sql("UPDATE activity SET places_taken = 0")


# ----------------------------------------------------------------------------------
# check_logno.py


def check_logno(root):
    proc = subprocess.run(["/usr/bin/python3", os.path.join(REPO, "scripts", "lib",
                                                            "check_logno.py"), root],
                          capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout


@pytest.fixture
def copy(tmp_path):
    """The module's sources and docs/operations.md, to spoil."""
    root = tmp_path / "repo"
    shutil.copytree(os.path.join(REPO, "mod_cmcas"), root / "mod_cmcas",
                    ignore=shutil.ignore_patterns("*.o", "*.lo", ".libs", ".deps"))
    (root / "docs").mkdir()
    shutil.copy(os.path.join(REPO, "docs", "operations.md"), root / "docs")
    return root


def spoil(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def row(doc, n):
    return re.search(rf"^\| CMCAS{n} \|.*\n", doc.read_text(encoding="utf-8"), re.M).group(0)


def test_check_logno_passes_on_the_repository():
    rc, out = check_logno(REPO)
    assert rc == 0, out


def test_check_logno_finds_an_unsorted_table(copy):
    doc = copy / "docs" / "operations.md"
    r284 = row(doc, 284)
    spoil(doc, r284, "")
    spoil(doc, row(doc, 283), r284 + row(doc, 283))
    rc, out = check_logno(str(copy))
    assert rc == 1 and "CMCAS283 comes after CMCAS284" in out, out


def test_check_logno_finds_a_tag_missing_from_the_table(copy):
    doc = copy / "docs" / "operations.md"
    spoil(doc, row(doc, 291), "")
    rc, out = check_logno(str(copy))
    assert rc == 1 and re.search(r"mod_cmcas_staff_desk\.c:\d+: CMCAS291 is missing", out)


def test_check_logno_finds_a_row_no_code_uses(copy):
    spoil(copy / "mod_cmcas" / "mod_cmcas_status.c", "CMCAS_LOGNO(281)", "\"\"")
    rc, out = check_logno(str(copy))
    assert rc == 1 and "CMCAS281 is listed but no longer in the code" in out, out


def test_check_logno_finds_a_wrong_level(copy):
    doc = copy / "docs" / "operations.md"
    spoil(doc, "| CMCAS291 | debug |", "| CMCAS291 | info |")
    # A level the code chooses among two: both must be in the row.
    spoil(doc, "| CMCAS283 | debug (validated, cancelled), trace1 (", "| CMCAS283 | debug (")
    rc, out = check_logno(str(copy))
    assert rc == 1, out
    assert re.search(r"CMCAS291 is logged at DEBUG \(.*\), the table says 'info'", out)
    assert re.search(r"CMCAS283 is logged at DEBUG, TRACE1 \(", out)
