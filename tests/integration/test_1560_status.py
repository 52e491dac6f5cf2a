"""The operators' status page (issue 14): `SetHandler cmcas-status` at /cmcas-status,
behind `Require ip 127.0.0.1 ::1` and no login.

- After real actions (an order « Paiement en CMCAS », its desk payment, a cancellation
  by staff that leaves a refund due, a « tour de rôle » drawn from the back-office),
  every figure of `?auto` is the database's, counted here with SQL of our own; the HTML
  page shows the same in French.
- The module's error lines of the last hour: one more after a configuration error the
  module logs at error level (a member page opened to everyone: CMCAS13).
- `Require` applies: another address (127.0.0.2) and `Require all denied` get 403.
- mod_status's /server-status carries a section of the module's (?auto: `cmcas.` keys).
- A database out of reach (PostgreSQL: a server that does not answer; SQLite: a file
  the server's processes cannot open) gives the page with « injoignable », `503`, never
  a 500.
Both engines."""

import http.client
import os
import re
import shutil
import time

import pytest

from cmcas_httpd import (DemoHttpd, ENGINE, HttpdInstall, free_port, running_as_root,
                         settle_first_jobs, utc_day)
from test_7_helpers import GAEL, P_GAEL, Db, Member
from test_10_helpers import BN_STAFF, REGISTRATION_TABLES, STAFF_SECTIONS, XML
from test_10_helpers import desk_order, staff_session, staff_token, today_fr

STATUS = """\
LoadModule authz_host_module {authz_host}
LoadModule status_module {status}
<Location /cmcas-status>
    SetHandler cmcas-status
    Require ip 127.0.0.1 ::1
</Location>
<Location /cmcas-status-closed>
    SetHandler cmcas-status
    Require all denied
</Location>
<Location /server-status>
    SetHandler server-status
    Require ip 127.0.0.1 ::1
</Location>
"""
# A member page opened to everyone: the module logs CMCAS13 at error (a configuration
# mistake), which the page counts.
OPEN_PAGE = "<Location /mon-compte>\n    Require all granted\n</Location>\n"
DRAW_ACTIVITY, DRAW_OPTION = 2, 2


def status_lines():
    install = HttpdInstall.get()
    return STATUS.format(authz_host=install.module_path("authz_host"),
                         status=install.module_path("status"))


# The expiry job runs once at the start (settle_first_jobs), then not during the test: it
# would draw the « tour de rôle » the test leaves for the staff to draw.
CMCAS_SERVER = {"sections": STAFF_SECTIONS,
                "extra": status_lines() + OPEN_PAGE + "CMCASExpiryInterval 3600\n"}


def auto(server, path="/cmcas-status?auto"):
    r = server.raw("GET", path, auth=None)
    assert r.status in (200, 503), r.status
    text = r.text
    values = {}
    for line in text.splitlines():
        m = re.fullmatch(r"([A-Za-z0-9._-]+): (.*)", line)
        assert m, f"not a Key: value line: {line!r}"
        assert m.group(1) not in values, f"{m.group(1)} twice"
        values[m.group(1)] = m.group(2)
    return r.status, values


def one(sql, statement, params=()):
    return sql(statement, params)[0][0]


def expected(sql, code):
    """What the database holds for CMCAS `code`, counted here."""
    today = utc_day()
    return {
        "DeskOrders": one(sql, "SELECT COUNT(*) FROM cmcas_order WHERE cmcas_code = ?"
                               " AND status = 'attente_cmcas'", (code,)),
        "RefundsDue": one(sql, "SELECT COUNT(*) FROM cmcas_order WHERE cmcas_code = ?"
                               " AND status = 'a_rembourser' AND refunded_at IS NULL",
                          (code,)),
        "DrawsDue": one(sql, "SELECT COUNT(*) FROM activity WHERE cmcas_code = ?"
                             " AND mode = 'tour_de_role' AND published_at IS NOT NULL"
                             " AND closing_date < ? AND draw_done_at IS NULL",
                        (code, today)),
        "OutboxUnsent": one(sql, "SELECT COUNT(*) FROM cmcas_outbox x JOIN household h"
                                 " ON h.id = x.household_id WHERE h.cmcas_code = ?"
                                 " AND x.sent_at IS NULL", (code,)),
        "OutboxFailed": one(sql, "SELECT COUNT(*) FROM cmcas_outbox x JOIN household h"
                                 " ON h.id = x.household_id WHERE h.cmcas_code = ?"
                                 " AND x.sent_at IS NULL AND x.last_error IS NOT NULL",
                            (code,)),
        "LastDraw": one(sql, "SELECT MAX(draw_done_at) FROM activity WHERE cmcas_code = ?",
                        (code,)) or "never",
        "LastPayment": one(sql, "SELECT MAX(e.at) FROM cmcas_order_event e JOIN cmcas_order"
                                " o ON o.id = e.order_id WHERE o.cmcas_code = ?"
                                " AND e.status = 'payee'", (code,)) or "never",
    }


def check_matches(server, sql):
    status, values = auto(server)
    assert status == 200, values
    assert values["DatabaseReachable"] == "yes"
    assert values["DatabaseEngine"] == ("pgsql" if ENGINE == "pgsql" else "sqlite3")
    assert values["SchemaVersion"] == str(one(sql, "SELECT MAX(version) FROM "
                                                   "cmcas_schema_version"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", values["Version"])
    codes = [r[0] for r in sql("SELECT code FROM cmcas ORDER BY code")]
    totals = {}
    for code in codes:
        for key, value in expected(sql, code).items():
            assert values[f"CMCAS.{code}.{key}"] == str(value), (code, key, values)
            if isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    for key, value in totals.items():
        assert values[key] == str(value), key
    return values


def test_the_figures_are_the_databases_after_each_action(server, sql):
    settle_first_jobs(server)
    db = Db(server)
    for t in ("cmcas_outbox", "cmcas_audit"):
        sql(f"DELETE FROM {t}")
    sql("UPDATE activity SET draw_done_at = NULL, draw_published_at = NULL")
    v = check_matches(server, sql)
    assert v["Job.expiry.Running"] in ("yes", "no") and "Job.mail.LeaseUntil" in v

    # An order waiting at the desk (and its e-mail, in the outbox: no mail command).
    s, reg, _, ref = desk_order(server, sql, guest=False)
    v = check_matches(server, sql)
    assert v["CMCAS.BN.DeskOrders"] == "1" and v["CMCAS.BN.OutboxUnsent"] != "0"

    # Paid at the desk: the last payment is that one.
    total = one(sql, "SELECT total FROM cmcas_order WHERE reference = ?", (ref,))
    with staff_session(BN_STAFF) as bn:
        r = bn.post(server.url(f"/gestion/commande/{ref}/paiement"),
                    data={"csrf": staff_token(bn, server), "moyen": "cheque",
                          "montant": f"{total // 100},{total % 100:02d}",
                          "date": today_fr(), "note": "n° 1"},
                    allow_redirects=False)
        assert r.status_code == 303, r.text[:500]
        v = check_matches(server, sql)
        assert v["CMCAS.BN.DeskOrders"] == "0" and v["CMCAS.BN.LastPayment"] != "never"

        # Cancelled by staff: the paid order is now to refund.
        r = bn.post(server.url(f"/gestion/inscription/{reg}/annuler"),
                    data={"csrf": staff_token(bn, server), "motif": "Annulation"},
                    allow_redirects=False)
        assert r.status_code == 303, r.text[:500]
        v = check_matches(server, sql)
        assert v["CMCAS.BN.RefundsDue"] == "1"

        # A « tour de rôle » whose closing date passed: due, then drawn from the
        # back-office.
        m = Member(server, GAEL)
        try:
            m.register(DRAW_ACTIVITY, [P_GAEL], option=DRAW_OPTION)
        finally:
            m.close()
        sql("UPDATE activity SET closing_date = ? WHERE id = ?",
            (utc_day(-1), DRAW_ACTIVITY))
        v = check_matches(server, sql)
        due = int(v["CMCAS.BN.DrawsDue"])
        assert due >= 1 and v["CMCAS.BN.LastDraw"] == "never"
        page = bn.get(server.url(f"/gestion/activite/{DRAW_ACTIVITY}/tirage"),
                      headers=XML).text
        tok = re.search(r'<staff [^>]*csrf="([^"]+)"', page).group(1)
        r = bn.post(server.url(f"/gestion/activite/{DRAW_ACTIVITY}/tirage/lancer"),
                    data={"csrf": tok}, allow_redirects=False)
        assert r.status_code == 303, r.text[:500]
    v = check_matches(server, sql)
    assert int(v["CMCAS.BN.DrawsDue"]) == due - 1 and v["CMCAS.BN.LastDraw"] != "never"

    # The same on the HTML page, in French.
    r = server.raw("GET", "/cmcas-status", auth=None)
    html = r.text
    assert r.status == 200 and r.getheader("Content-Type").startswith("text/html")
    assert r.getheader("Cache-Control") == "no-store"
    assert "joignable" in html and "injoignable" not in html
    assert f"<th>BN</th><td>0</td><td>1</td><td>{due - 1}</td>" in html, html
    assert "Tâches de fond" in html
    for t in REGISTRATION_TABLES:
        sql(f"DELETE FROM {t}")
    db.reset()


def test_errors_of_the_last_hour_count_the_modules_error_lines(server, expect_log):
    expect_log(r"CMCAS13: no authenticated user for /mon-compte")
    before = int(auto(server)[1]["ErrorsLastHour"])
    r = server.raw("GET", "/mon-compte", auth=None)
    assert r.status == 403
    deadline = time.monotonic() + 30
    while int(auto(server)[1]["ErrorsLastHour"]) != before + 1:
        assert time.monotonic() < deadline, "the error was not counted"
        time.sleep(0.2)
    r = server.raw("GET", "/cmcas-status", auth=None)
    assert "CMCAS13</li>" in r.text


def test_require_applies(server, expect_log):
    expect_log(r"AH01630: client denied by server configuration: .*/cmcas-status$")
    expect_log(r"AH01630: client denied by server configuration: .*/cmcas-status-closed$")
    # From another local address: Require ip 127.0.0.1 ::1 refuses it.
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30,
                                      source_address=("127.0.0.2", 0))
    try:
        conn.request("GET", "/cmcas-status?auto")
        r = conn.getresponse()
        assert r.status == 403
        assert b"DatabaseReachable" not in r.read()
    finally:
        conn.close()
    r = server.raw("GET", "/cmcas-status-closed?auto", auth=None)
    assert r.status == 403
    # Only GET (and HEAD).
    r = server.raw("POST", "/cmcas-status", auth=None, body=b"")
    assert r.status == 405


def test_mod_status_has_a_section(server):
    r = server.raw("GET", "/server-status?auto", auth=None)
    text = r.text
    assert r.status == 200
    assert "\ncmcas.DatabaseReachable: yes\n" in text
    assert re.search(r"\ncmcas\.CMCAS\.BN\.DeskOrders: \d+\n", text)
    r = server.raw("GET", "/server-status", auth=None)
    assert "<h2>mod_cmcas</h2>" in r.text


# Lines a server whose database cannot be reached writes by itself (mod_dbd, the jobs).
UNREACHABLE_LOG = [r"\[(dbd|cmcas):(error|crit|alert|emerg)\]",
                   r"^\s", r"Is the server running", r"could not connect",
                   r"Connection refused"]


def unreachable_dbd(tmp_dir):
    if ENGINE == "pgsql":
        # A PostgreSQL server that is not running: nothing listens on that port.
        return "\n".join([
            "DBDriver pgsql",
            f'DBDParams "host=127.0.0.1 port={free_port()} dbname=cmcas user=cmcas '
            'connect_timeout=2"',
            "DBDMin 0", "DBDKeep 1", "DBDMax 2"])
    # A SQLite file the server's processes cannot open (its directory closed to them).
    return "\n".join([
        "DBDriver sqlite3",
        f"DBDParams {tmp_dir}/cmcas.sqlite",
        'DBDInitSQL "PRAGMA busy_timeout = 5000"',
        "DBDMin 0", "DBDKeep 1", "DBDMax 1"])


@pytest.fixture(scope="module")
def unreachable(request, make_server, server):
    name = "test_1560_status-locked"
    tmp_dir = os.path.join(os.path.dirname(server.server_root), f"{name}-db")
    shutil.rmtree(tmp_dir, ignore_errors=True)
    os.makedirs(tmp_dir)
    if ENGINE != "pgsql":
        if not running_as_root():
            pytest.skip("the database directory is closed to httpd's user by root")
        server.create_db(os.path.join(tmp_dir, "cmcas.sqlite"))
        # Open while `apachectl -t` checks it (CMCAS253 refuses a database the workers
        # cannot write), closed once the server runs: as if someone changed its modes.
        os.chmod(tmp_dir, 0o777)
        os.chmod(os.path.join(tmp_dir, "cmcas.sqlite"), 0o666)
    srv = make_server("locked", expect_at_start=UNREACHABLE_LOG,
                      sections={"dbd": unreachable_dbd(tmp_dir)},
                      extra=status_lines(), ignore=UNREACHABLE_LOG)
    if ENGINE != "pgsql":
        os.chmod(tmp_dir, 0o700)        # root's: www-data cannot open the file any more
    return srv


def test_an_unreachable_database_is_shown_not_a_500(unreachable):
    r = unreachable.raw("GET", "/cmcas-status", auth=None)
    html = r.text
    assert r.status == 503, html[:500]
    assert "<strong>injoignable</strong>" in html
    status, values = auto(unreachable)
    assert status == 503
    assert values["DatabaseReachable"] == "no" and values["DatabaseError"]
    assert values["DatabaseEngine"] == ("pgsql" if ENGINE == "pgsql" else "sqlite3")
    assert "SchemaVersion" not in values and "ErrorsLastHour" in values


def test_the_demo_has_the_page_for_this_machine_only(start_server, expect_log):
    """conf/demo/httpd.conf.in as shipped: /cmcas-status without a login from 127.0.0.1,
    403 from another address."""
    expect_log(r"AH01630: client denied by server configuration: .*cmcas-status")
    demo = start_server(DemoHttpd("test_1560_status-demo"))
    status, values = auto(demo)
    assert status == 200 and values["DatabaseReachable"] == "yes", values
    assert values["SchemaVersion"] == str(one(demo.sql, "SELECT MAX(version) FROM "
                                                        "cmcas_schema_version"))
    assert "CMCAS.BN.DeskOrders" in values
    conn = http.client.HTTPConnection(demo.host, demo.port, timeout=30,
                                      source_address=("127.0.0.2", 0))
    try:
        conn.request("GET", "/cmcas-status?auto")
        assert conn.getresponse().status == 403
    finally:
        conn.close()
