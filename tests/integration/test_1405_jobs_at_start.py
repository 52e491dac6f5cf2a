"""The background jobs (ending unpaid orders, the draws, the e-mails) run a second after
each start and graceful restart, then every interval (mod_cmcas_job.c). mod_watchdog
counts an interval from its thread's start: with its count, a job of an hour first ran an
hour after each restart, and never on a server restarted (a log rotation, a new
configuration) more often than that."""

import os
import time

import pytest

from cmcas_httpd import BN_BLOCK, GEN_DIR, REPO, CmcasHttpd, wait_for
from test_10_helpers import desk_order

FOLDER = os.path.join(GEN_DIR, "test_1405_jobs_at_start-mailbox")
CAPTURE = os.path.join(REPO, "scripts", "cmcas-mail-to-folder")
HOURLY = (f'CMCASMailCommand "{CAPTURE} {FOLDER} -t -i"\n'
          "CMCASMailInterval 3600\nCMCASExpiryInterval 3600\n")


@pytest.fixture(scope="module")
def srv(start_server):
    os.makedirs(FOLDER, exist_ok=True)
    CmcasHttpd.give_to_run_user(FOLDER)
    for old in os.listdir(FOLDER):
        os.unlink(os.path.join(FOLDER, old))
    s = CmcasHttpd("test_1405_jobs_at_start", extra=HOURLY)
    # The e-mails' links lead to this server (the pages' redirects follow the same URL).
    s.sections["cmcas"] = BN_BLOCK.replace(
        "</CMCAS>", f"    CMCASPortalURL {s.base_url}/\n</CMCAS>")
    start_server(s)
    # Both jobs' first run, a second after the start, takes their leases.
    assert wait_for(lambda: s.sql("SELECT count(*) FROM cmcas_job WHERE lease_until > ?",
                                  (int(time.time()),)) == [(2,)])
    return s


def test_jobs_run_again_right_after_a_graceful_restart(srv):
    sql = srv.sql
    _, reg, _, ref = desk_order(srv, sql)
    sql("UPDATE cmcas_order SET hold_until = '2000-01-01T00:00:00Z'")
    queued = [r[0] for r in sql("SELECT id FROM cmcas_outbox WHERE sent_at IS NULL")]
    assert queued                   # « inscription validée », « paiement en CMCAS »
    # They ran at the start (more than a second ago), and not since: an hour between runs.
    time.sleep(3)
    assert sql("SELECT status FROM cmcas_order WHERE reference = ?", (ref,)) == \
        [("attente_cmcas",)]
    assert sql("SELECT count(*) FROM cmcas_outbox WHERE sent_at IS NULL")[0][0] >= len(queued)
    assert os.listdir(FOLDER) == []
    assert srv.graceful() == 0
    # The new child's jobs run a second after its watchdog threads start.
    assert wait_for(lambda: sql("SELECT status FROM cmcas_order WHERE reference = ?",
                                (ref,)) == [("annulee",)])
    assert sql("SELECT status, places_held FROM registration WHERE id = ?", (reg,)) == \
        [("annulee", 0)]
    assert sql("SELECT places_taken FROM activity WHERE id = 1") == [(0,)]
    marks = ", ".join("?" * len(queued))
    assert wait_for(lambda: sql(f"SELECT count(*) FROM cmcas_outbox WHERE sent_at IS NULL "
                                f"AND id IN ({marks})", tuple(queued)) == [(0,)])
    assert len(os.listdir(FOLDER)) >= len(queued)
