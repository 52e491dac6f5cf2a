"""The PostgreSQL schema (sql/pgsql/, issue 9): it loads as the portal's own role (not a
superuser) into a real PostgreSQL that this test starts, has the same tables and columns
as the SQLite schema, and its rules and triggers do what SQLite's do: constraints, the
session's deadline and no password at rest, the catalog's accent-insensitive prefix
search, and the page cache's versions (moved in the writer's transaction, so that no
reader sees a new version with the old data)."""

import os
import sqlite3

import pytest

import cmcas_pg
from cmcas_httpd import REPO

@pytest.fixture(scope="module")
def pg():
    # Never skipped: scripts/lib/deps.sh installs PostgreSQL with the other test tools.
    assert cmcas_pg.available(), "PostgreSQL is not installed (scripts/lib/deps.sh)"
    cluster = cmcas_pg.PgCluster("test_970_pgsql_schema").start()
    try:
        cluster.load_schema()
        yield cluster
    finally:
        cluster.stop()


def sqlite_columns():
    db = sqlite3.connect(":memory:")
    for name in sorted(os.listdir(os.path.join(REPO, "sql", "sqlite"))):
        if name[:3].isdigit() and name.endswith(".sql"):
            with open(os.path.join(REPO, "sql", "sqlite", name), encoding="utf-8") as f:
                db.executescript(f.read())
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'activity_search%'")]
    return {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}


def test_versions_1_to_n_as_on_sqlite(pg):
    versions = [int(r[0]) for r in pg.psql("SELECT version FROM cmcas_schema_version "
                                           "ORDER BY version")]
    assert versions == list(range(1, len(cmcas_pg.migrations()) + 1))
    assert [os.path.basename(p) for p in cmcas_pg.migrations()] == sorted(
        n for n in os.listdir(os.path.join(REPO, "sql", "sqlite")) if n[:3].isdigit())


def test_same_tables_and_columns_as_sqlite(pg):
    pg_cols = {}
    for table, column in pg.psql(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"):
        pg_cols.setdefault(table, []).append(column)
    for table, columns in sqlite_columns().items():
        assert table in pg_cols, f"table {table} missing on PostgreSQL"
        # the search index is a column on PostgreSQL, a virtual table on SQLite
        assert [c for c in pg_cols[table] if c != "search"] == columns, table


def test_constraints_hold(pg):
    pg.psql("INSERT INTO cmcas (code, name) VALUES ('BN', 'CMCAS Berry-Nivernais')")
    bad = pg.psql("INSERT INTO household (cmcas_code, login, password, email) "
                  "VALUES ('XX', 'x', 'h', 'x@example.org')", check=False)
    assert isinstance(bad, cmcas_pg.PgError) and "foreign key" in bad
    pg.psql("INSERT INTO household (id, cmcas_code, login, password, email) "
            "VALUES (1, 'BN', 'gael', 'h', 'g@example.org')")
    bad = pg.psql("INSERT INTO person (household_id, role, last_name, first_name, "
                  "birth_date) VALUES (1, 'OD', 'C', 'G', '1980-1-2')", check=False)
    assert isinstance(bad, cmcas_pg.PgError) and "check constraint" in bad
    bad = pg.psql("INSERT INTO cmcas_order (reference, registration_id, household_id, "
                  "cmcas_code, total, method, status, hold_until, created_at, updated_at) "
                  "VALUES ('abc', 1, 1, 'BN', 1, 'cmcas', 'payee', 'x', 'x', 'x')",
                  check=False)
    assert isinstance(bad, cmcas_pg.PgError)
    # explicit ids (data moved from SQLite) and identities side by side
    pg.psql("INSERT INTO household (cmcas_code, login, password, email) "
            "VALUES ('BN', 'auto', 'h', 'a@example.org')")
    assert pg.psql("SELECT count(*) FROM household") == [["2"]]


def test_session_deadline_and_no_password_at_rest(pg):
    pg.psql("INSERT INTO cmcas_session (id, data, expiry, deadline) VALUES "
            "('s1', 'CMCAS-user=gael&CMCAS-pw=secret&CMCAS-site=abc', 100, 50)")
    assert pg.psql("SELECT data, expiry FROM cmcas_session WHERE id = 's1'") == [
        ["CMCAS-user=gael&CMCAS-pw=*&CMCAS-site=abc", "50"]]
    pg.psql("UPDATE cmcas_session SET data = 'CMCAS-pw=again&CMCAS-site=x', expiry = 70 "
            "WHERE id = 's1'")
    assert pg.psql("SELECT data, expiry FROM cmcas_session WHERE id = 's1'") == [
        ["CMCAS-pw=*&CMCAS-site=x", "50"]]
    # without the site hash, mod_auth_form needs the password: left alone
    pg.psql("INSERT INTO cmcas_session (id, data, expiry, deadline) VALUES "
            "('s2', 'CMCAS-user=g&CMCAS-pw=secret', 10, 50)")
    assert pg.psql("SELECT data FROM cmcas_session WHERE id = 's2'") == [
        ["CMCAS-user=g&CMCAS-pw=secret"]]


def add_activity(pg, act_id, title, description=""):
    pg.psql("INSERT INTO activity (id, cmcas_code, theme, title, description, start_date, "
            "end_date, closing_date, capacity, mode) VALUES "
            f"({act_id}, 'BN', 'SPORT', $${title}$$, $${description}$$, '2027-06-01', "
            "'2027-06-01', '2027-05-01', 10, 'immediat')")


def search(pg, words):
    query = " & ".join(f"{w}:*" for w in words)
    return [int(r[0]) for r in pg.psql(
        "SELECT id FROM activity WHERE search @@ to_tsquery('simple', cmcas_fold("
        f"$${query}$$)) ORDER BY id")]


def test_search_every_word_begins_a_word_accents_and_case_aside(pg):
    add_activity(pg, 101, "Randonnée au lac de Vassivière", "Marche et pique-nique")
    add_activity(pg, 102, "Atelier gourmand", "Cuisine de saison à l'ÉCOLE")
    assert search(pg, ["randonnee", "vass"]) == [101]
    assert search(pg, ["RANDO"]) == [101]
    assert search(pg, ["ecole"]) == [102]
    assert search(pg, ["vassiviere", "gourmand"]) == []
    assert search(pg, ["ndonnee"]) == []            # a word's start, not its middle
    pg.psql("UPDATE activity SET title = 'Balade' WHERE id = 101")
    assert search(pg, ["randonnee"]) == []          # kept in step with the row


def versions(pg):
    (row,) = pg.psql("SELECT catalog, places FROM cmcas_data_version WHERE id = 1")
    return int(row[0]), int(row[1])


def test_data_versions_move_with_the_changes_they_count(pg):
    add_activity(pg, 201, "Piscine")
    c0, p0 = versions(pg)
    pg.psql("UPDATE activity SET places_taken = places_taken + 1 WHERE id = 201")
    assert versions(pg) == (c0, p0 + 1)
    pg.psql("UPDATE activity SET places_taken = places_taken WHERE id = 201")
    assert versions(pg) == (c0, p0 + 1)
    pg.psql("UPDATE activity SET title = 'Piscine municipale' WHERE id = 201")
    assert versions(pg) == (c0 + 1, p0 + 1)
    pg.psql("INSERT INTO activity_option (activity_id, label, price_beneficiary, "
            "price_guest) VALUES (201, 'Entrée', 100, 200)")
    pg.psql("UPDATE cmcas SET name = 'CMCAS Berry' WHERE code = 'BN'")
    assert versions(pg) == (c0 + 3, p0 + 1)


def test_a_version_is_seen_only_with_its_change(pg):
    """Inside an open transaction the count moves for the writer only; after a rollback
    it never moved."""
    c0, p0 = versions(pg)
    rows = pg.psql("BEGIN; UPDATE activity SET places_taken = 5 WHERE id = 201; "
                   "SELECT places FROM cmcas_data_version; ROLLBACK;")
    assert rows == [[str(p0 + 1)]]
    assert versions(pg) == (c0, p0)


def test_the_module_search_statement_works_on_both_engines(pg):
    """activity_search(q), with q as cmcas_catalog_match writes it, on PostgreSQL as on
    SQLite's FTS5 table queried as a function."""
    add_activity(pg, 301, "Randonnée au lac de Vassivière", "Marche")
    add_activity(pg, 302, "Lac d'O'Brien", 'Dit "le lac"')
    rows = pg.psql("""SELECT rowid FROM activity_search('"randonnee"* "vass"*')""")
    assert rows == [["301"]]
    rows = pg.psql("""SELECT rowid FROM activity_search('"LAC"*') ORDER BY 1""")
    assert rows == [["301"], ["302"]]
    assert pg.psql("""SELECT rowid FROM activity_search('"brien"*')""") == [["302"]]
    db = sqlite3.connect(":memory:")
    for name in sorted(os.listdir(os.path.join(REPO, "sql", "sqlite"))):
        if name[:3].isdigit():
            with open(os.path.join(REPO, "sql", "sqlite", name), encoding="utf-8") as f:
                db.executescript(f.read())
    db.executescript("""
        INSERT INTO cmcas VALUES ('BN', 'x');
        INSERT INTO activity (id, cmcas_code, theme, title, description, start_date,
            end_date, closing_date, capacity, mode) VALUES
            (301, 'BN', 'SPORT', 'Randonnée au lac de Vassivière', 'Marche', '2027-06-01',
             '2027-06-01', '2027-05-01', 10, 'immediat'),
            (302, 'BN', 'SPORT', 'Lac d''O''Brien', 'Dit "le lac"', '2027-06-01',
             '2027-06-01', '2027-05-01', 10, 'immediat');""")
    for q, expected in (('"randonnee"* "vass"*', [301]), ('"LAC"*', [301, 302]),
                        ('"brien"*', [302])):
        assert [r[0] for r in db.execute(
            "SELECT rowid FROM activity_search(?) ORDER BY 1", (q,))] == expected, q


def test_the_orders_of_a_registration_are_found_by_an_index(pg):
    """As on SQLite (tests/unit/test_store.c): the module's search for a registration's
    waiting or refused orders can use an index (schema 10); the sequential scan is
    switched off so that the plan shows whether one exists, whatever the table's size."""
    plan = pg.psql("SET enable_seqscan = off; EXPLAIN SELECT id FROM cmcas_order "
                   "WHERE registration_id = 1 AND status IN ('attente_cmcas', 'attente_cb', "
                   "'refusee') ORDER BY id")
    text = " ".join(r[0] for r in plan)
    assert "cmcas_order_registration" in text, text
