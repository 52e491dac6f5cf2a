"""The SQLite settings of the database connections (docs/operations.md, « Database »).

mod_dbd runs the DBDInitSQL statements in order after preparing the statements, and
silently skips every one after a statement that returns a row (apr-util's SQLite driver
reports a row as a failure). The shipped configurations must therefore have one
statement that returns a row at most, last, and never PRAGMA foreign_keys (which expires
the statements already prepared: every query would fail). The module checks a
connection once per child and warns (CMCAS85) when the busy timeout (which it gives
every new connection itself) was turned off or WAL mode is missing.

On PostgreSQL, it warns (CMCAS300) when the connections have no lock_timeout: without
one, a request meeting a long lock (a migration) waits as long as it lasts."""

import os
import re
import sqlite3
import time

import pytest

from cmcas_httpd import CmcasHttpd, ENGINE, PG_LOCK_TIMEOUT, REPO, wait_for_line

sqlite_only = pytest.mark.skipif(ENGINE != "sqlite3", reason="SQLite's connection "
                                 "settings: meaningful on SQLite only")
pgsql_only = pytest.mark.skipif(ENGINE != "pgsql", reason="PostgreSQL's connection "
                                "settings: meaningful on PostgreSQL only")

SHIPPED = ["conf/demo/httpd.conf.in", "docs/operations.md", "docs/directives.md",
           "conf/examples/sqlite-one-cmcas.conf"]


def init_sql(text):
    return re.findall(r'^\s*DBDInitSQL\s+"([^"]+)"', text, re.M)


def returns_a_row(statement):
    db = sqlite3.connect(":memory:")
    try:
        return db.execute(statement).fetchone() is not None
    finally:
        db.close()


@sqlite_only
@pytest.mark.parametrize("path", SHIPPED + ["harness"])
def test_shipped_init_sql_all_runs(path):
    if path == "harness":
        text = CmcasHttpd("init-sql-probe").default_sections()["dbd"]
    else:
        with open(os.path.join(REPO, path), encoding="utf-8") as f:
            text = f.read()
    statements = init_sql(text)
    assert statements, f"no DBDInitSQL in {path}"
    for s in statements[:-1]:
        assert not returns_a_row(s), f"{path}: {s!r} returns a row: mod_dbd skips the rest"
    assert not any("foreign_keys" in s for s in statements), \
        f"{path}: PRAGMA foreign_keys expires mod_dbd's prepared statements"
    assert any("busy_timeout" in s for s in statements), f"{path}: no busy timeout"


@sqlite_only
def test_the_shipped_settings_draw_no_warning(make_server):
    srv = make_server("shipped", extra="CMCASExpiryInterval 1")
    time.sleep(2.5)             # the expiry job's first run checks the settings
    assert not any("CMCAS85" in line for line in srv.error_log.lines_since_mark())


@sqlite_only
def test_a_missing_busy_timeout_is_supplied_by_the_module(make_server):
    """Without DBDInitSQL, every connection still waits 5 s for a lock: the module gives
    each new SQLite connection that timeout from its first statement (mod_dbd prepares
    before DBDInitSQL runs: a child starting while the file is held failed its start)."""
    dbd = CmcasHttpd("test_960_db_settings-none").default_sections()["dbd"].replace(
        'DBDInitSQL "PRAGMA busy_timeout = 5000"', "")
    srv = make_server("none", sections={"dbd": dbd}, extra="CMCASExpiryInterval 1")
    time.sleep(2.5)             # the expiry job's first run checks the settings
    assert not any("CMCAS85" in line for line in srv.error_log.lines_since_mark())


@sqlite_only
def test_a_busy_timeout_turned_off_is_reported(make_server, expect_log):
    """(A misordered DBDInitSQL, which used to be the way to lose it, fails `apachectl -t`:
    test_400_config.)"""
    dbd = CmcasHttpd("test_960_db_settings-off").default_sections()["dbd"].replace(
        'DBDInitSQL "PRAGMA busy_timeout = 5000"', 'DBDInitSQL "PRAGMA busy_timeout = 0"')
    line = r"CMCAS85: the database connections lack settings: no busy timeout"
    # The job runs every second: on a slow start (a loaded machine, ASan) its first run
    # may come before the server answers, so the line may be among the start's.
    srv = make_server("off", sections={"dbd": dbd}, extra="CMCASExpiryInterval 1",
                      expect_at_start=[line])
    expect_log(line, must_appear=False)
    assert wait_for_line(srv, line), "CMCAS85 not logged within 10 s"


PG_SHIPPED = ["conf/demo/httpd.conf.in", "docs/operations.md",
              "conf/examples/pgsql-network.conf"]


@pytest.mark.parametrize("path", PG_SHIPPED)
def test_shipped_postgresql_params_set_a_lock_timeout(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        params = [line for line in f if re.match(r"\s*DBDParams\s+\"host=", line)]
    assert params, f"no PostgreSQL DBDParams in {path}"
    for line in params:
        assert "options='-c lock_timeout=5000'" in line, f"{path}: {line.strip()}"


@pgsql_only
def test_a_lock_timeout_draws_no_warning(make_server):
    assert PG_LOCK_TIMEOUT in CmcasHttpd("test_960_db_settings-probe").pg_dbd_section()
    srv = make_server("pg-timeout", extra="CMCASExpiryInterval 1")
    time.sleep(2.5)             # the expiry job's first run checks the settings
    assert not any("CMCAS300" in line for line in srv.error_log.lines_since_mark())


@pgsql_only
def test_no_lock_timeout_is_reported(make_server, expect_log):
    dbd = CmcasHttpd("test_960_db_settings-pg-none").pg_dbd_section().replace(
        f" {PG_LOCK_TIMEOUT}", "")
    assert "lock_timeout" not in dbd
    line = r"CMCAS300: the PostgreSQL connections have no lock_timeout"
    srv = make_server("pg-none", sections={"dbd": dbd}, extra="CMCASExpiryInterval 1",
                      expect_at_start=[line])
    expect_log(line, must_appear=False)
    assert wait_for_line(srv, line), "CMCAS300 not logged within 10 s"
