"""The members' e-mails (issue 10): every message goes through the outbox in the
transaction of its change, and the background job delivers it through CMCASMailCommand,
here a wrapper of scripts/cmcas-mail-to-folder that keeps each message in a folder (and
fails with 75, sendmail's « try again later », while a flag file exists). Checked: one
message per event with its sender, recipient, French subject, text and HTML parts and
absolute links to the member's portal; desk order; card payment accepted; a failing
command retried later and then delivered once; a message surviving a restart; two
servers on one PostgreSQL never sending one message twice; `apachectl -t` on
misconfigurations. The job runs every second (CMCASMailInterval 1): the tests poll the
folder, never sleep for real delays."""

import datetime
import email
import email.policy
import glob
import os
import re
import threading
import time

import pytest

from cmcas_httpd import BN_BLOCK, ENGINE, GEN_DIR, REPO, CmcasHttpd
from test_7_helpers import P_GAEL, Member, cheap_hash
from test_8_helpers import (NOTIFY_OPEN, PAYBOX_SIMULATOR, PAYBOX_START_WARN, PayboxFlow,
                            paybox_block, reset_payments, running_bank)

PORTAL = "https://activites.cmcas-bn.example/"
CTL = os.path.join(GEN_DIR, "test_850_mail-ctl")         # flag files of the wrapper
MAIL_DIR = os.path.join(CTL, "mail")
FAIL_FLAG = os.path.join(CTL, "fail")
SLOW_FLAG = os.path.join(CTL, "slow")
WRAPPER = os.path.join(CTL, "sendmail")
CAPTURE = os.path.join(REPO, "scripts", "cmcas-mail-to-folder")
RETRY = r"CMCAS98: e-mail \d+ \(\w+, [^)]+\) to household \d+ not sent, attempt \d+: .*" \
        r"exited with status 75"


def write_wrapper():
    """A sendmail-compatible command: fails (75) while FAIL_FLAG exists, takes 0.2 s a
    message while SLOW_FLAG exists, else keeps the message in MAIL_DIR."""
    os.makedirs(MAIL_DIR, exist_ok=True)
    with open(WRAPPER, "w") as f:
        f.write(f"""#!/bin/sh
[ -e {FAIL_FLAG} ] && exit 75
[ -e {SLOW_FLAG} ] && sleep 0.2
exec {CAPTURE} {MAIL_DIR} "$@"
""")
    os.chmod(WRAPPER, 0o755)
    if os.geteuid() == 0:               # the children run as www-data
        import pwd
        pw = pwd.getpwnam("www-data")
        for d in (CTL, MAIL_DIR):
            os.chown(d, pw.pw_uid, pw.pw_gid)


def mail_block(bank):
    return paybox_block(bank, f"CMCASPortalURL {PORTAL}")


MAIL_EXTRA = (f'CMCASMailCommand "{WRAPPER} -t -i"\nCMCASMailInterval 1\nCMCASExpiryInterval 1\n'
              + NOTIFY_OPEN)
START_WARN = PAYBOX_START_WARN


@pytest.fixture(scope="module")
def bank():
    with running_bank(PAYBOX_SIMULATOR, "test_850_mail") as b:
        yield b


@pytest.fixture(scope="module")
def srv(start_server, bank):
    global PORTAL
    write_wrapper()
    s = CmcasHttpd("test_850_mail-mail", extra=MAIL_EXTRA, log_level="warn cmcas:info")
    # CMCASPortalURL is also where the module's redirects and the bank's notifications go
    # (never the Host header: docs/directives.md, « The public URL »): this server.
    PORTAL = s.base_url + "/"
    s.sections["cmcas"] = mail_block(bank)
    start_server(s, expect_at_start=START_WARN)
    s.sql("UPDATE household SET password = ?", (cheap_hash(),))
    return s


@pytest.fixture(autouse=True)
def clean(request, bank):
    """No registration, no order, an empty outbox and folder, the command working."""
    if "srv" not in request.fixturenames:
        yield
        return
    srv = request.getfixturevalue("srv")
    for flag in (FAIL_FLAG, SLOW_FLAG):
        if os.path.exists(flag):
            os.unlink(flag)
    reset_payments(srv, bank)
    srv.sql("DELETE FROM cmcas_outbox")
    for f in glob.glob(os.path.join(MAIL_DIR, "*.eml")):
        os.unlink(f)
    yield


def messages():
    """The kept messages, oldest first, parsed."""
    out = []
    for path in sorted(glob.glob(os.path.join(MAIL_DIR, "*.eml"))):
        with open(path, "rb") as f:
            out.append(email.message_from_bytes(f.read(), policy=email.policy.default))
    return out


def wait_messages(n, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = messages()
        if len(got) >= n:
            return got
        time.sleep(0.1)
    raise AssertionError(f"{len(messages())} message(s) in {MAIL_DIR} after {timeout}s, "
                         f"{n} expected")


def still(n, seconds=2.5):
    """No other message comes (the job runs every second)."""
    time.sleep(seconds)
    got = messages()
    assert len(got) == n, [m["Subject"] for m in got]
    return got


def parts(msg):
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    return text, html


def outbox(srv):
    return srv.sql("SELECT kind, attempts, sent_at, last_error FROM cmcas_outbox "
                   "ORDER BY id")


def wait_row(srv, cond, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = outbox(srv)
        if rows and cond(rows):
            return rows
        time.sleep(0.1)
    raise AssertionError(f"outbox: {outbox(srv)}")


def test_validated_registration_one_message(srv):
    gael = Member(srv)
    gael.register(1, [P_GAEL], option=1)
    reg = srv.sql("SELECT id FROM registration WHERE household_id = 1")[0][0]
    msg = wait_messages(1)[0]
    assert str(msg["From"]) == "CMCAS Berry-Nivernais <contact@cmcas-bn.example>"
    assert str(msg["To"]) == "Gael CLASSEN <gael.classen@example.org>"
    assert str(msg["Subject"]) == "Inscription validée : Atelier gourmand"
    assert re.fullmatch(r"<[0-9a-f]{32}\.cmcas@cmcas-bn\.example>", msg["Message-ID"])
    assert msg["Date"] and msg["MIME-Version"] == "1.0"
    text, html = parts(msg)
    assert "Bonjour Gael CLASSEN," in text
    assert "Votre inscription à « Atelier gourmand »" in text and "est validée" in text
    link = f"{PORTAL}mes-inscriptions/{reg}"
    assert link in text
    assert f'<a href="{link}">' in html
    assert "<html lang=\"fr\">" in html and "Atelier gourmand" in html
    # every link is absolute and on the member's own portal
    for url in re.findall(r'href="([^"]+)"', html) + re.findall(r"https?://\S+", text):
        assert url.startswith(PORTAL), url
    still(1)
    [(kind, attempts, sent_at, err)] = outbox(srv)
    assert (kind, attempts, err) == ("validated", 1, None) and sent_at


def test_request_tells_the_draw_date(srv):
    act, closing = srv.sql("SELECT id, closing_date FROM activity WHERE mode = "
                           "'tour_de_role' AND closing_date >= ? AND cmcas_code = 'BN' "
                           "ORDER BY id LIMIT 1", (time.strftime("%Y-%m-%d"),))[0]
    opt = srv.sql("SELECT id FROM activity_option WHERE activity_id = ? ORDER BY position, "
                  "id LIMIT 1", (act,))[0][0]
    Member(srv).register(act, [P_GAEL], option=opt)
    msg = wait_messages(1)[0]
    assert str(msg["Subject"]).startswith("Demande d'inscription enregistrée : ")
    text, _ = parts(msg)
    # The draw is the day after the closing date (the last day of registrations).
    day = datetime.date.fromisoformat(closing) + datetime.timedelta(days=1)
    assert f"le tirage aura lieu le {day:%d/%m/%Y}" in text


def test_desk_order(srv, bank):
    flow = PayboxFlow(srv, bank).validate()
    wait_messages(1)
    r = flow.s.post(srv.url(f"/mes-inscriptions/{flow.reg}/paiement"),
                    data={"csrf": flow.tok, "cgv": "1", "methode": "cmcas"},
                    allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    ref = srv.sql("SELECT reference FROM cmcas_order")[0][0]
    msg = wait_messages(2)[1]
    assert str(msg["Subject"]) == f"Commande {ref} : paiement à l'accueil de la CMCAS"
    text, html = parts(msg)
    assert ("est à régler à l'accueil de la CMCAS Berry-Nivernais, 3 rue Marcel Paul, "
            "18022 Bourges (tél. 02 48 00 00 00), jusqu'au ") in text
    assert "70,00\u00a0€" in text
    assert f"{PORTAL}mes-commandes/{ref}" in html
    still(2)


def test_card_payment_accepted_once(srv, bank):
    flow = PayboxFlow(srv, bank).validate()
    ref, _, url = flow.pay()
    deadline = time.monotonic() + 20
    while flow.order_status(ref) != "payee" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert flow.order_status(ref) == "payee"
    flow.back(url)
    got = wait_messages(2)
    subjects = [str(m["Subject"]) for m in got]
    assert subjects == ["Inscription validée : Atelier gourmand",
                        f"Paiement accepté : commande {ref}"], subjects
    text, _ = parts(got[1])
    assert f"Le paiement de votre commande {ref} (70,00\u00a0€)" in text
    # the bank notifies again: nothing more to tell
    bank.replay(1)
    still(2)
    assert [k for k, *_ in outbox(srv)] == ["validated", "payment_accepted"]


def test_failing_command_is_retried_then_sent_once(srv, expect_log):
    expect_log(RETRY)
    open(FAIL_FLAG, "w").close()
    Member(srv).register(1, [P_GAEL], option=1)
    rows = wait_row(srv, lambda r: r[0][1] >= 2)
    assert rows[0][2] is None and "exited with status 75" in rows[0][3]
    assert messages() == []
    os.unlink(FAIL_FLAG)
    # the back-off (1, 2, 4 s here) brings it back soon, and it is sent once (by the
    # second attempt when that one was already under way: an attempt is counted when
    # it is claimed, before the command runs)
    wait_messages(1)
    rows = wait_row(srv, lambda r: r[0][2] is not None)
    assert rows[0][3] is None and rows[0][1] >= 2
    still(1)


def test_message_survives_a_restart(srv, expect_log):
    expect_log(RETRY, must_appear=False)
    open(FAIL_FLAG, "w").close()
    Member(srv).register(1, [P_GAEL], option=1)
    # the failure recorded (the claim released): not stopped in the middle of an attempt
    wait_row(srv, lambda r: r[0][1] >= 1 and r[0][3] is not None)
    srv.stop()
    os.unlink(FAIL_FLAG)
    assert messages() == []
    # started again on the same files and database (start() would write new ones)
    rc, out = srv._run("-k", "start")
    assert rc == 0, out
    deadline = time.monotonic() + 10
    while not srv.is_live() and time.monotonic() < deadline:
        time.sleep(0.1)
    srv.pid = srv._read_pid()
    # what it logged before and at the start: the failures, the expected warning
    lines = srv.error_log.take()
    assert any(re.search(RETRY, line) for line in lines)
    assert srv.error_log.problems(lines, START_WARN + [RETRY]) == []
    msg = wait_messages(1, timeout=30)[0]
    assert str(msg["Subject"]) == "Inscription validée : Atelier gourmand"
    still(1)


@pytest.mark.skipif(ENGINE != "pgsql", reason="several servers share a PostgreSQL "
                    "database only (run with CMCAS_ENGINE=pgsql)")
def test_two_servers_never_send_twice(srv, make_server, bank):
    other = make_server("mail-b", load_demo=False, extra=MAIL_EXTRA,
                        sections={"cmcas": mail_block(bank), "dbd": srv.sections["dbd"],
                                  "secret": srv.sections["secret"]},
                        expect_at_start=START_WARN)
    other.pg_db = srv.pg_db
    open(SLOW_FLAG, "w").close()
    n = 30
    srv.sql_script("BEGIN; " + " ".join(
        f"INSERT INTO cmcas_outbox (event_key, kind, household_id, created_at) VALUES "
        f"('test:{i}', 'cancelled', 1, '2026-01-01T00:00:00Z');" for i in range(n))
        + " COMMIT;")
    # the lease changes hands all the time: both servers deliver at once
    stop = threading.Event()

    def steal():
        while not stop.is_set():
            srv.sql("UPDATE cmcas_job SET lease_until = 0 WHERE name = 'mail'")
            time.sleep(0.05)

    t = threading.Thread(target=steal)
    t.start()
    try:
        got = wait_messages(n, timeout=60)
    finally:
        stop.set()
        t.join()
    still(n, 3)
    ids = [m["Message-ID"] for m in got]
    assert len(set(ids)) == n
    assert srv.sql("SELECT count(*) FROM cmcas_outbox WHERE sent_at IS NULL") == [(0,)]


# ----------------------------------------------------------------------------------
# apachectl -t


def config_test(name, block, extra):
    srv = CmcasHttpd(f"test_850_mail-{name}", sections={"cmcas": block}, extra=extra,
                     load_demo=False)
    return srv.config_test()


def test_config_errors():
    write_wrapper()
    ok = BN_BLOCK.replace("</CMCAS>", f"    CMCASPortalURL {PORTAL}\n</CMCAS>")
    rc, out = config_test("ok", ok, f'CMCASMailCommand "{WRAPPER} -t -i"')
    assert rc == 0, out
    rc, out = config_test("noportal", BN_BLOCK, f'CMCASMailCommand "{WRAPPER} -t -i"')
    assert rc != 0 and "CMCAS97: <CMCAS BN>" in out and "needs CMCASPortalURL" in out, out
    rc, out = config_test("noemail", ok.replace("    CMCASEmail contact@cmcas-bn.example\n",
                                                ""), f'CMCASMailCommand "{WRAPPER}"')
    assert rc != 0 and "needs CMCASEmail" in out, out
    rc, out = config_test("notexec", ok, f'CMCASMailCommand "{CAPTURE}.missing -t"')
    assert rc != 0 and "is not an executable file" in out, out
    rc, out = config_test("relative", ok, 'CMCASMailCommand "sendmail -t -i"')
    assert rc != 0 and "is not an absolute path" in out, out
    rc, out = config_test("url", BN_BLOCK.replace("</CMCAS>", "CMCASPortalURL /x\n</CMCAS>"),
                          "")
    assert rc != 0 and "CMCASPortalURL: '/x' is not an absolute http(s) URL" in out, out
    # no command: allowed (the outbox keeps the messages)
    rc, out = config_test("none", BN_BLOCK, "")
    assert rc == 0, out


# ----------------------------------------------------------------------------------
# « Tour de rôle »: the draw's results, a promotion and a renouncement, by e-mail.

def test_draw_results_promotion_and_renouncement_are_mailed(srv):
    act, opt = 2, 2     # « Journée Cité des Sciences II », « Option 1 »
    before = srv.sql("SELECT closing_date, capacity FROM activity WHERE id = ?", (act,))[0]
    srv.sql("UPDATE household SET coefficient = CASE id WHEN 1 THEN 5000 ELSE 9000 END")
    srv.sql("UPDATE activity SET capacity = 2, draw_done_at = NULL, draw_published_at ="
            " NULL WHERE id = ?", (act,))
    gael, karim = Member(srv), Member(srv, "karim.benali")
    try:
        gael.register(act, [P_GAEL, 3], option=opt)       # Gael and Louane: 2 places
        karim.register(act, [8], option=opt)                # Karim: 1, waits
        wait_messages(2)                                    # the two requests
        yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        srv.sql("UPDATE activity SET closing_date = ? WHERE id = ?", (yesterday, act))
        got = wait_messages(4)[2:]
        by_to = {str(m["To"]).split("<")[-1].rstrip(">"): m for m in got}
        selected = by_to["gael.classen@example.org"]
        assert str(selected["Subject"]).startswith("Inscription retenue : ")
        text, html = parts(selected)
        pay_by = srv.sql("SELECT pay_by FROM registration WHERE household_id = 1")[0][0]
        y, m, d = pay_by.split("-")
        assert f"au plus tard le {d}/{m}/{y}" in text
        assert f"{PORTAL}mes-inscriptions" in text and f'href="{PORTAL}mes-inscriptions"' in html
        waiting = by_to["karim.benali@example.org"]
        assert str(waiting["Subject"]).startswith("Liste d'attente : ")
        assert "en position 1." in parts(waiting)[0]
        # Gael gives up: Karim is promoted at once, both are told.
        reg = srv.sql("SELECT id FROM registration WHERE household_id = 1")[0][0]
        form = gael.xml(f"/mes-inscriptions/{reg}").find("inscription/tirage/renoncer")
        r = gael.s.post(srv.url(form.get("action")), data={"csrf": form.get("csrf")},
                        allow_redirects=False)
        assert r.status_code == 303
        got = wait_messages(6)[4:]
        subjects = sorted(str(m["Subject"]).split(" : ")[0] for m in got)
        assert subjects == ["Inscription annulée", "Une place s'est libérée"]
        still(6)
    finally:
        gael.close()
        karim.close()
        srv.sql("UPDATE activity SET closing_date = ?, capacity = ?, draw_done_at = NULL,"
                " draw_published_at = NULL, draw_places = NULL WHERE id = ?",
                (before[0], before[1], act))
        srv.sql("UPDATE household SET coefficient = NULL")
