"""« Tour de rôle » (issue 10): the selection made by the background job once the closing
date has passed, on a real httpd and database (both engines).

Households request « Journée Cité des Sciences II » (activity 2) through the real pages
while it is open; the test then moves the closing date into the past (no sleeping for
real durations) and the job, run every second here, draws it:

- the results, their reasons and the seed that was committed to before the draw;
- « Procéder au paiement » for a selected household only, and a desk order from it;
- a selected household that does not pay by its date is released and the first waiting
  household is promoted; « Je renonce » gives the place back;
- a draw that fails half-way leaves nothing, and is made whole at the next run.
"""

import hashlib
import os
import re
import subprocess
import time

import pytest

from cmcas_httpd import (ENGINE, REPO, RUN_GROUP, RUN_USER, running_as_root,
                         settle_first_jobs, utc_day, wait_for)
from test_7_helpers import (GAEL, KARIM, MARTINE, P_GAEL, P_KARIM, P_LEA, P_LOUANE,
                            P_MARTINE, P_PIERRE, Db, Member)

CMCAS_SERVER = {"extra": "CMCASExpiryInterval 1"}
ACTIVITY = 2            # « Journée Cité des Sciences II », tour de rôle
OPTION = 2              # « Option 1 »: 10 € a person


@pytest.fixture(scope="module")
def db(server):
    # The demo's closed « tour de rôle » drawn and published first, kept so by the
    # resets: the job does not draw it again in the middle of a test.
    settle_first_jobs(server)
    return Db(server)


@pytest.fixture
def requests_made(server, db, sql):
    """5 places; GAEL (2 persons, coefficient 5000), MARTINE (3, 9000), KARIM (1, 12000)
    requested while open: 6 places asked. By coefficient: GAEL and MARTINE are selected
    (5 places), KARIM waits, first."""
    for t in ("cmcas_order_notice", "cmcas_order_event", "cmcas_invoice_line", "cmcas_invoice",
              "cmcas_order_line", "cmcas_order"):
        sql(f"DELETE FROM {t}")
    db.reset()
    sql("UPDATE activity SET places_taken = 0")
    sql("UPDATE activity SET draw_done_at = NULL, draw_published_at = NULL WHERE id = ?",
        (ACTIVITY,))
    sql("UPDATE activity SET capacity = 5 WHERE id = ?", (ACTIVITY,))
    sql("UPDATE household SET coefficient = CASE id WHEN 1 THEN 5000 WHEN 2 THEN 9000"
        " WHEN 3 THEN 12000 END")
    members = {GAEL: Member(server, GAEL), MARTINE: Member(server, MARTINE),
               KARIM: Member(server, KARIM)}
    members[GAEL].register(ACTIVITY, [P_GAEL, P_LOUANE], option=OPTION)
    members[MARTINE].register(ACTIVITY, [P_MARTINE, P_PIERRE, P_LEA], option=OPTION)
    members[KARIM].register(ACTIVITY, [P_KARIM], option=OPTION)
    yield members
    for m in members.values():
        m.close()


def regid(sql, household):
    return sql("SELECT id FROM registration WHERE activity_id = ? AND household_id = ?",
               (ACTIVITY, household))[0][0]


def listed(member):
    """« Mes inscriptions »: {activity id: <inscription>} as data."""
    x = member.xml("/mes-inscriptions")
    return {int(i.find("activite").get("id")): i for i in x.iter("inscription")}


def close_registrations(sql, when=-1):
    sql("UPDATE activity SET closing_date = ? WHERE id = ?", (utc_day(when), ACTIVITY))


def drawn(sql):
    return wait_for(lambda: sql("SELECT draw_published_at FROM activity WHERE id = ?",
                                (ACTIVITY,))[0][0])


def test_a_request_is_not_a_booking_until_the_draw(server, sql, requests_made):
    gael = requests_made[GAEL]
    mine = listed(gael)[ACTIVITY]
    draw_day = sql("SELECT closing_date FROM activity WHERE id = ?", (ACTIVITY,))[0][0]
    assert mine.get("selection") == "demande"
    label = mine.get("status-label")
    assert label.startswith("Demande enregistrée — tirage le ") and "Validée" not in label
    assert mine.find("pay") is None
    # Nothing is held, nothing can be paid.
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,))[0][0] == 0
    gael.get(f"/mes-inscriptions/{regid(sql, 1)}/paiement", status=404)
    # The page says when the draw is, and commits to the seed without showing it.
    page = gael.xml(f"/activite/{ACTIVITY}")
    t = page.find("tirage")
    assert t.get("published") is None and t.get("seed") is None
    assert re.fullmatch(r"[0-9a-f]{64}", t.get("commitment"))
    assert "coefficient social" in t.findtext("regle") and "24 derniers mois" in t.findtext("regle")
    assert t.find("date").get("iso") > draw_day
    html = gael.html(f"/mes-inscriptions/{regid(sql, 1)}")
    assert "Sélection « tour de rôle »" in html.text and t.get("commitment") in html.text


def test_the_job_draws_after_the_closing_date(server, sql, requests_made):
    gael, martine, karim = (requests_made[k] for k in (GAEL, MARTINE, KARIM))
    commitment = gael.xml(f"/activite/{ACTIVITY}").find("tirage").get("commitment")
    close_registrations(sql)
    drawn(sql)
    # The seed is published, and it is the one committed to.
    t = gael.xml(f"/activite/{ACTIVITY}").find("tirage")
    assert t.get("published") == "1"
    assert hashlib.sha256(t.get("seed").encode()).hexdigest() == commitment
    # Whole households, by coefficient: GAEL (2) and MARTINE (3) take the 5 places.
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,))[0][0] == 5
    pay_by = utc_day(7)
    day_fr = "/".join(reversed(pay_by.split("-")))
    g = listed(gael)[ACTIVITY]
    assert g.get("selection") == "retenue"
    assert g.get("status-label") == f"Retenue — à payer au plus tard le {day_fr}"
    assert g.find("pay") is not None
    k = listed(karim)[ACTIVITY]
    assert (k.get("selection"), k.get("status-label")) == ("attente",
                                                           "Liste d'attente (position 1)")
    assert k.find("pay") is None
    # Why: the registration's page keeps each criterion's value.
    res = gael.xml(f"/mes-inscriptions/{regid(sql, 1)}").find("inscription/tirage/resultat")
    assert res.get("selection") == "retenue" and res.get("rank") == "1"
    assert res.get("coefficient") == "5000" and res.get("persons") == "2"
    assert res.get("history") == "0.00" and re.fullmatch(r"[0-9a-f]{64}", res.get("tiebreak"))
    assert res.find("pay-by").get("iso") == pay_by
    res = karim.xml(f"/mes-inscriptions/{regid(sql, 3)}").find("inscription/tirage/resultat")
    assert (res.get("selection"), res.get("rank"), res.get("waiting")) == ("attente", "3", "1")
    # Each request's history records its result; one draw only.
    events = [e for (e,) in sql("SELECT event FROM registration_event WHERE event LIKE"
                                " 'Sélection%' ORDER BY id")]
    assert sorted(events) == sorted([
        f"Sélection : demande retenue, à payer au plus tard le {day_fr}"] * 2
        + ["Sélection : liste d'attente (position 1)"])
    # The tiebreak is anyone's to check: SHA-256 of "seed:registration id".
    assert hashlib.sha256(f"{t.get('seed')}:{regid(sql, 1)}".encode()).hexdigest() == \
        sql("SELECT draw_tiebreak FROM registration WHERE id = ?", (regid(sql, 1),))[0][0]
    html = martine.html("/mes-inscriptions")
    assert "Retenue — à payer au plus tard le" in html.text and "Procéder au paiement" in html.text


def test_a_selected_household_pays_from_mes_inscriptions(server, sql, requests_made):
    gael = requests_made[GAEL]
    close_registrations(sql)
    drawn(sql)
    reg = regid(sql, 1)
    html = gael.get(f"/mes-inscriptions/{reg}/paiement", accept="text/html").text
    tok = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    r = gael.s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
                    data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    assert sql("SELECT status, total FROM cmcas_order WHERE registration_id = ?",
               (reg,)) == [("attente_cmcas", 2000)]
    # A waiting household still cannot pay.
    requests_made[KARIM].get(f"/mes-inscriptions/{regid(sql, 3)}/paiement", status=404)


def test_unpaid_then_renounced_places_go_down_the_waiting_list(server, sql, requests_made,
                                                               expect_log):
    expect_log(r"CMCAS31: form refused for user 'karim.benali' on /mes-inscriptions/\d+/"
               r"renoncer: invalid or expired token")
    martine, karim = requests_made[MARTINE], requests_made[KARIM]
    close_registrations(sql)
    drawn(sql)
    # MARTINE did not pay by her date: released, and KARIM promoted (1 place fits).
    sql("UPDATE registration SET pay_by = ? WHERE id = ?", (utc_day(-1), regid(sql, 2)))
    wait_for(lambda: listed(karim)[ACTIVITY].get("selection") == "retenue")
    m = listed(martine)[ACTIVITY]
    assert (m.get("selection"), m.get("status-label")) == ("liberee",
                                                           "Place libérée (non payée à temps)")
    k = listed(karim)[ACTIVITY]
    assert k.get("status-label").startswith("Retenue — à payer au plus tard le ")
    assert k.find("pay") is not None
    assert [e for (e,) in sql("SELECT event FROM registration_event WHERE registration_id = ?"
                              " ORDER BY id", (regid(sql, 3),))][-1].startswith(
        "Place attribuée depuis la liste d'attente")
    # 2 (GAEL) + 1 (KARIM): the 2 places MARTINE left wait for a request that fits.
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,))[0][0] == 3
    # « Je renonce »: a form on the registration's page, with its CSRF token.
    page = karim.xml(f"/mes-inscriptions/{regid(sql, 3)}")
    form = page.find("inscription/tirage/renoncer")
    assert form is not None
    r = karim.s.post(server.url(form.get("action")), data={"csrf": "x"},
                     allow_redirects=False)
    assert r.status_code == 403
    r = karim.s.post(server.url(form.get("action")), data={"csrf": form.get("csrf")},
                     allow_redirects=False)
    assert r.status_code == 303
    k = listed(karim)[ACTIVITY]
    assert (k.get("selection"), k.get("status-label")) == ("renonce", "Vous avez renoncé")
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,))[0][0] == 2
    # Nothing left to renounce; another household's request is not found.
    r = karim.s.post(server.url(form.get("action")), data={"csrf": form.get("csrf")},
                     allow_redirects=False)
    assert r.status_code == 409
    r = requests_made[GAEL].s.post(server.url(form.get("action")),
                                   data={"csrf": requests_made[GAEL].token(1)},
                                   allow_redirects=False)
    assert r.status_code in (403, 404)


FAIL_SQLITE = ("CREATE TRIGGER draw_fails BEFORE UPDATE OF draw_rank ON registration"
               " WHEN new.draw_rank = 2 BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
FAIL_PGSQL = ["CREATE FUNCTION draw_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              " IF NEW.draw_rank = 2 THEN RAISE EXCEPTION 'injected failure'; END IF;"
              " RETURN NEW; END; $$",
              "CREATE TRIGGER draw_fails BEFORE UPDATE OF draw_rank ON registration"
              " FOR EACH ROW EXECUTE FUNCTION draw_fails()"]


def test_a_draw_failing_half_way_leaves_nothing(server, sql, requests_made, expect_log):
    expect_log(r"CMCAS116.*draw of activity 2 failed, nothing of it kept.*injected failure")
    if ENGINE == "pgsql":
        for s in FAIL_PGSQL:
            sql(s)
    else:
        sql(FAIL_SQLITE)
    try:
        close_registrations(sql)
        log = server.error_log
        wait_for(lambda: "CMCAS116" in log.tail(50))
        assert sql("SELECT draw_done_at, draw_published_at, places_taken FROM activity"
                   " WHERE id = ?", (ACTIVITY,)) == [(None, None, 0)]
        assert sql("SELECT count(*) FROM registration WHERE selection IS NOT NULL"
                   " OR draw_rank IS NOT NULL OR places_held <> 0") == [(0,)]
        assert sql("SELECT count(*) FROM registration_event WHERE event LIKE"
                   " 'Sélection%'") == [(0,)]
    finally:
        sql("DROP TRIGGER draw_fails" + (" ON registration" if ENGINE == "pgsql" else ""))
        if ENGINE == "pgsql":
            sql("DROP FUNCTION draw_fails()")
    # Repaired: the next run makes the whole draw.
    drawn(sql)
    assert sql("SELECT count(*) FROM registration WHERE draw_rank IS NOT NULL") == [(3,)]
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,))[0][0] == 5


# ----------------------------------------------------------------------------------
# The documented command (docs/operations.md, « Tour de rôle »): anyone re-runs a
# published draw; staff run one early, again before publishing, then publish.

TOOL = os.path.join(REPO, "cmcas-draw")


def draw_argv(server, command, *args):
    """cmcas-draw's command line as the operator types it, on this server's database."""
    if command == "verify":
        return [TOOL, command, *args]
    if ENGINE == "pgsql":
        params = re.search(r'DBDParams "(.*)"', server.pg_dbd_section()).group(1)
        return [TOOL, command, "pgsql", params, *args]
    return [TOOL, command, "sqlite3", server.db_path, *args]


def as_run_user():
    """subprocess's arguments that run a command as the server's user (SQLite's files)."""
    return dict(user=RUN_USER, group=RUN_GROUP) if running_as_root() else {}


def draw_tool(server, command, *args, stdin=None):
    """cmcas-draw as the operator runs it, on this server's database (as its user)."""
    return subprocess.run(draw_argv(server, command, *args), input=stdin,
                          capture_output=True, text=True, timeout=60, **as_run_user())


def test_anyone_can_run_the_published_draw_again(server, sql, requests_made):
    gael = requests_made[GAEL]
    gael.get(f"/activite/{ACTIVITY}/tirage.csv", status=404)    # nothing published yet
    close_registrations(sql)
    drawn(sql)
    r = gael.get(f"/activite/{ACTIVITY}/tirage.csv", accept="text/csv")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    csv = r.text
    assert "# places,5\n" in csv and "CLASSEN" not in csv
    seed = gael.xml(f"/activite/{ACTIVITY}").find("tirage").get("seed")
    assert f"# graine,{seed}\n" in csv
    out = draw_tool(server, "verify", "-", stdin=csv)
    assert out.returncode == 0, out.stderr
    ranks = {int(line.split(",")[1]): line.split(",")[:3] for line in
             out.stdout.splitlines()[1:]}
    assert ranks[regid(sql, 1)] == ["1", str(regid(sql, 1)), "retenue"]
    assert ranks[regid(sql, 3)] == ["3", str(regid(sql, 3)), "attente"]
    # Published ranks that the data do not give are caught.
    line = next(l for l in csv.splitlines() if l.startswith(f"{regid(sql, 3)},"))
    forged = csv.replace(line, line.rsplit(",", 1)[0] + ",1")
    out = draw_tool(server, "verify", "-", stdin=forged)
    assert out.returncode == 1 and "DIFFER" in out.stderr
    bad = draw_tool(server, "verify", "-", stdin="n'importe quoi\n")
    assert bad.returncode == 2 and "ligne 1" in bad.stderr


def test_staff_run_it_early_again_then_publish(server, sql, requests_made):
    gael = requests_made[GAEL]
    # Registrations still open: the job leaves it; staff draw it now, unpublished.
    out = draw_tool(server, "run", str(ACTIVITY))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"activity {ACTIVITY} drawn"
    first = sql("SELECT household_id, selection, draw_rank FROM registration"
                " WHERE activity_id = ? ORDER BY draw_rank", (ACTIVITY,))
    assert [s for (_, s, _) in first] == ["retenue", "retenue", "attente"]
    # Members see nothing of it yet.
    assert listed(gael)[ACTIVITY].get("selection") == "demande"
    assert gael.xml(f"/activite/{ACTIVITY}").find("tirage").get("seed") is None
    # Again: refused without --rerun, the same result with it (same seed, same data).
    assert draw_tool(server, "run", str(ACTIVITY)).returncode == 1
    out = draw_tool(server, "run", str(ACTIVITY), "--rerun")
    assert out.returncode == 0, out.stderr
    assert sql("SELECT household_id, selection, draw_rank FROM registration"
               " WHERE activity_id = ? ORDER BY draw_rank", (ACTIVITY,)) == first
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,))[0][0] == 5
    out = draw_tool(server, "publish", str(ACTIVITY), "--pay-days", "3")
    assert out.returncode == 0, out.stderr
    g = listed(gael)[ACTIVITY]
    day_fr = "/".join(reversed(utc_day(3).split("-")))
    assert g.get("status-label") == f"Retenue — à payer au plus tard le {day_fr}"
    # Published: never drawn again.
    assert draw_tool(server, "run", str(ACTIVITY), "--rerun").returncode == 1
    assert draw_tool(server, "publish", str(ACTIVITY)).returncode == 1


def test_draws_at_once_make_one_result(server, sql, requests_made):
    """Several servers (here: processes) drawing the same activity at the same moment:
    the first claim wins, the others find it drawn; one result, its places taken once."""
    close_registrations(sql)
    argv = draw_argv(server, "run", str(ACTIVITY), "--publish")
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, **as_run_user()) for _ in range(4)]
    codes = sorted(p.wait(timeout=60) for p in procs)
    # The job of the server may have been first: then no process drew it.
    assert codes in ([0, 1, 1, 1], [1, 1, 1, 1]), [p.stderr.read() for p in procs]
    drawn(sql)
    assert sql("SELECT count(*) FROM registration_event WHERE event LIKE 'Sélection%'") \
        == [(3,)]
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,))[0][0] == 5
    assert sql("SELECT count(*) FROM registration WHERE places_held > 0") == [(2,)]


# SQLite has no sleep in SQL: about a second of work for each result written.
SLOW_SQLITE = ("CREATE TRIGGER draw_slow BEFORE UPDATE OF draw_rank ON registration"
               " BEGIN SELECT length(replace(hex(randomblob(50000000)), 'A', 'BC')); END")
SLOW_PGSQL = ["CREATE FUNCTION draw_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              " PERFORM pg_sleep(1); RETURN NEW; END; $$",
              "CREATE TRIGGER draw_slow BEFORE UPDATE OF draw_rank ON registration"
              " FOR EACH ROW EXECUTE FUNCTION draw_slow()"]


def test_a_draw_killed_half_way_leaves_nothing(server, sql, requests_made):
    """A process drawing (registrations still open: the job leaves it) is killed with
    SIGKILL while it writes the results, each write made slow: nothing of it stays, and
    the draw is made whole afterwards."""
    for statement in SLOW_PGSQL if ENGINE == "pgsql" else [SLOW_SQLITE]:
        sql(statement)
    try:
        proc = subprocess.Popen(draw_argv(server, "run", str(ACTIVITY), "--publish"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                **as_run_user())
        time.sleep(1.2)         # claimed, some of the results written
        assert proc.poll() is None, proc.communicate()
        proc.kill()
        proc.wait(timeout=10)
        wait_for(lambda: sql("SELECT draw_done_at FROM activity WHERE id = ?",
                             (ACTIVITY,)) == [(None,)], timeout=15)
        assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,)) == [(0,)]
        assert sql("SELECT count(*) FROM registration WHERE selection IS NOT NULL"
                   " OR draw_rank IS NOT NULL OR places_held <> 0") == [(0,)]
    finally:
        sql("DROP TRIGGER draw_slow" + (" ON registration" if ENGINE == "pgsql" else ""))
        if ENGINE == "pgsql":
            sql("DROP FUNCTION draw_slow()")
    close_registrations(sql)
    drawn(sql)
    assert sql("SELECT count(*) FROM registration WHERE draw_rank IS NOT NULL") == [(3,)]
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,))[0][0] == 5


@pytest.mark.skipif(ENGINE != "pgsql", reason="row locks: PostgreSQL (SQLite has one writer)")
@pytest.mark.parametrize("command", [["publish"], ["run", "--rerun"]])
def test_a_draw_meets_a_member_giving_back_places(server, sql, requests_made, command):
    """A member cancelling a selected request locks it, then gives its places back to the
    activity. The publication and a draw run again, which write each selected request,
    must not hold the activity's row meanwhile: both would wait for the other (a
    deadlock, one of them rolled back). Here a connection does what the cancellation
    does, with the draw's transaction waiting between its two steps."""
    import psycopg2
    assert draw_tool(server, "run", str(ACTIVITY)).returncode == 0
    gael = regid(sql, 1)
    assert sql("SELECT places_held FROM registration WHERE id = ?", (gael,)) == [(2,)]
    pg = server.pg_cluster()
    member = psycopg2.connect(host=pg.host, port=pg.port, dbname=server.pg_db, user="cmcas")
    proc = None
    try:
        cur = member.cursor()
        cur.execute("SET lock_timeout = 5000")
        cur.execute("UPDATE registration SET updated_at = updated_at WHERE id = %s", (gael,))
        proc = subprocess.Popen(draw_argv(server, command[0], str(ACTIVITY), *command[1:]),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                **as_run_user())
        # The publication is waiting for the member's request.
        wait_for(lambda: sql("SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                             " AND wait_event_type = 'Lock'", (server.pg_db,)) == [(1,)])
        cur.execute("UPDATE activity SET places_taken = places_taken - 2 WHERE id = %s",
                    (ACTIVITY,))
        assert cur.rowcount == 1
        member.rollback()
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "deadlock" not in err, err
    finally:
        member.close()
        if proc and proc.poll() is None:
            proc.kill()
    assert sql("SELECT places_taken FROM activity WHERE id = ?", (ACTIVITY,)) == [(5,)]
    if command == ["publish"]:
        assert sql("SELECT pay_by IS NOT NULL FROM registration WHERE id = ?",
                   (gael,)) == [(True,)]
