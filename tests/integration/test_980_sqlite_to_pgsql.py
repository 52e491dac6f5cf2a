"""Moving a database from SQLite to PostgreSQL with its data (scripts/cmcas-sqlite-to-pgsql,
docs/operations.md; issue 9): the demo data and a registration paid by card, every table
row for row (NULL stays NULL, an empty text stays empty, ids are kept), the identities
continuing after the copied ids; a second copy onto data, or across schema versions, is
refused and changes nothing."""

import json
import os
import sqlite3
import subprocess

import pytest

import re

import requests

import cmcas_pg
from cmcas_httpd import CmcasHttpd, DEMO_PASSWORD, GEN_DIR, PG_LOCK_TIMEOUT, REPO

SCRIPT = os.path.join(REPO, "scripts", "cmcas-sqlite-to-pgsql")
TABLES = ["cmcas", "household", "person", "activity", "activity_option", "registration",
          "registration_person", "registration_option", "registration_event",
          "cmcas_order", "cmcas_order_line", "cmcas_order_event", "cmcas_order_notice",
          "cmcas_session", "cmcas_outbox", "cmcas_staff", "cmcas_audit",
          "cmcas_order_payment", "cmcas_image", "cmcas_invoice_counter", "cmcas_invoice",
          "cmcas_invoice_line"]

# Beside the demo data: a registration paid by card in 3 instalments, with a guest.
PAID = """
        INSERT INTO registration (id, activity_id, household_id, status, observations,
            places_held, created_at, updated_at)
            VALUES (7, 1, 1, 'payee', '', 2, '2026-11-30T10:00:00Z', '2026-11-30T10:05:00Z');
        INSERT INTO registration_person (id, registration_id, person_id, confirmed)
            VALUES (11, 7, 1, 1);
        INSERT INTO registration_person (id, registration_id, last_name, first_name,
            birth_date, photo_optout, confirmed)
            VALUES (12, 7, 'PETIT', 'Michel "Mimi"', '1971-03-12', 1, 1);
        INSERT INTO registration_option VALUES (11, 1), (12, 1);
        INSERT INTO registration_event (registration_id, at, actor, status, event)
            VALUES (7, '2026-11-30T10:00:00Z', 'gael.classen', 'validee', 'Validée, ok');
        UPDATE activity SET places_taken = 2 WHERE id = 1;
        INSERT INTO cmcas_order (id, reference, registration_id, household_id, cmcas_code,
            total, method, instalments, status, hold_until, created_at, updated_at)
            VALUES (3, 'ABCDEFGHJ', 7, 1, 'BN', 7000, 'paybox', 3, 'payee',
                    '2026-11-30T10:30:00Z', '2026-11-30T10:01:00Z', '2026-11-30T10:05:00Z');
        INSERT INTO cmcas_order_line (order_id, position, person, option_label, amount,
            participation) VALUES (3, 1, 'Gael CLASSEN', 'Atelier', 3000, 1000);
        INSERT INTO cmcas_order_event (order_id, at, actor, status, event)
            VALUES (3, '2026-11-30T10:05:00Z', 'paybox', 'payee', 'Paiement accepté');
        INSERT INTO cmcas_order_notice VALUES (3, '00000', '123456', '2026-11-30T10:05:00Z');
        INSERT INTO cmcas_outbox (id, event_key, kind, household_id, registration_id,
            order_id, created_at, attempts, sent_at)
            VALUES (1, 'payment_accepted:7:3', 'payment_accepted', 1, 7, 3,
                    '2026-11-30T10:05:00Z', 1, '2026-11-30T10:05:01Z');
        INSERT INTO cmcas_session (id, data, expiry, deadline)
            VALUES ('u-1', 'CMCAS-user=gael.classen', 1900000000000000, 1900000000000000);
        INSERT INTO cmcas_audit (cmcas_code, at, actor, action, object, before, after)
            VALUES ('BN', '2026-11-30T10:06:00Z', 'gestion.bn', 'Paiement enregistré',
                    'commande ABCDEFGHJ', NULL, 'État : payée
Moyen : carte');
        INSERT INTO cmcas_order_payment (order_id, kind, means, amount, on_date, note,
            actor, at) VALUES (3, 'paiement', 'carte', 7000, '2026-11-30', 'n° 12',
            'gestion.bn', '2026-11-30T10:06:00Z');
        INSERT INTO cmcas_image (name, content_type, data, bytes, created_at)
            VALUES ('ab.png', 'image/png', 'iVBORw0KGgo=', 8, '2026-11-30T10:06:00Z');
        INSERT INTO cmcas_invoice_counter VALUES ('BN', 'facture', 2026, 1);
        INSERT INTO cmcas_invoice (id, kind, number, order_id, household_id, issued_on,
            issued_at, order_reference, credited_number, cmcas_code, cmcas_name,
            cmcas_street, cmcas_postcode, cmcas_city, cmcas_phone, cmcas_email, legal,
            household_name, street, postcode, city, country, activity_title,
            activity_start, activity_end, total_price, total_participation, total_amount,
            method, instalments)
            VALUES (1, 'facture', 'BN-2026-00001', 3, 1, '2026-11-30',
                    '2026-11-30T10:05:00Z', 'ABCDEFGHJ', '', 'BN', 'CMCAS Berry-Nivernais',
                    '3 rue Marcel Paul', '18000', 'Bourges', '', '', 'SIRET 1
TVA non applicable', 'Gael CLASSEN', '14 rue des Arènes', '18000', 'Bourges', 'France',
                    'Atelier gourmand', '2026-12-24', '2026-12-24', 4000, 1000, 7000,
                    'Carte bancaire (Paybox), en 3 fois', '2026-11-30=2334
2026-12-30=2333
2027-01-30=2333');
        INSERT INTO cmcas_invoice_line (invoice_id, position, person, label, price,
            participation, amount) VALUES (1, 1, 'Gael CLASSEN', 'Atelier', 4000, 1000, 3000);
"""


@pytest.fixture(scope="module")
def sqlite_db():
    path = os.path.join(GEN_DIR, "test_980_sqlite_to_pgsql", "cmcas.sqlite")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)
    CmcasHttpd("test_980_sqlite_to_pgsql").create_db(path)
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(PAID)
    db.close()
    return path


@pytest.fixture(scope="module")
def pg():
    assert cmcas_pg.available(), "PostgreSQL is not installed (scripts/lib/deps.sh)"
    cluster = cmcas_pg.PgCluster("test_980_sqlite_to_pgsql").start()
    try:
        cluster.load_schema()
        yield cluster
    finally:
        cluster.stop()


def run(pg, path):
    return subprocess.run([SCRIPT, path, "-h", pg.host, "-p", str(pg.port), "-U", "cmcas",
                           "cmcas"], capture_output=True, text=True, timeout=120)


def sqlite_rows(path, table):
    db = sqlite3.connect(path)
    cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    rows = [dict(zip(cols, r)) for r in db.execute(
        f"SELECT {', '.join(cols)} FROM {table} ORDER BY {', '.join(cols)}")]
    db.close()
    return cols, rows


def pg_rows(pg, table, cols):
    # psql's CSV quotes the JSON: one row per line
    out = pg.psql(f"SELECT row_to_json(x) FROM (SELECT {', '.join(cols)} FROM {table} "
                  f"ORDER BY {', '.join(cols)}) x")
    return [json.loads(r[0]) for r in out]


def test_every_row_of_every_table_is_copied(pg, sqlite_db):
    r = run(pg, sqlite_db)
    assert r.returncode == 0, r.stderr
    assert f"rows of {len(TABLES)} tables copied" in r.stdout
    for table in TABLES:
        cols, rows = sqlite_rows(sqlite_db, table)
        assert rows or table in (), table
        assert pg_rows(pg, table, cols) == rows, table
    # NULL and empty stay apart
    assert pg.psql("SELECT count(*) FROM activity WHERE image IS NULL") == [[str(
        sqlite3.connect(sqlite_db).execute(
            "SELECT count(*) FROM activity WHERE image IS NULL").fetchone()[0])]]


def test_identities_continue_after_the_copied_ids(pg, sqlite_db):
    (top,) = sqlite3.connect(sqlite_db).execute("SELECT max(id) FROM household").fetchone()
    (new,) = pg.psql("INSERT INTO household (cmcas_code, login, password, email) "
                     "VALUES ('BN', 'nouveau', 'h', 'n@example.org') RETURNING id")
    assert int(new[0]) == top + 1
    pg.psql("DELETE FROM household WHERE login = 'nouveau'")


def test_a_second_copy_is_refused_and_changes_nothing(pg, sqlite_db):
    before = pg.psql("SELECT count(*) FROM person")
    r = run(pg, sqlite_db)
    assert r.returncode == 1
    assert "already has data" in r.stderr
    assert pg.psql("SELECT count(*) FROM person") == before


def test_schema_versions_must_match(pg, sqlite_db, tmp_path):
    older = str(tmp_path / "older.sqlite")
    db = sqlite3.connect(older)
    src = sqlite3.connect(sqlite_db)
    src.backup(db)
    src.close()
    db.execute("DELETE FROM cmcas_schema_version WHERE version > 5")
    db.commit()
    db.close()
    r = run(pg, older)
    top = len(cmcas_pg.migrations())
    assert r.returncode == 1 and f"schema version 5, PostgreSQL at {top}" in r.stderr, r.stderr


# The member's pages that read the database: catalog tabs and search, an activity, the
# registration, « Mes inscriptions », « Mes commandes » and the paid order, the account.
PAGES = ["/", "/?onglet=autres", "/?q=atelier", "/activite/1", "/activite/1/inscription",
         "/mes-inscriptions", "/mes-inscriptions/7", "/mes-commandes",
         "/mes-commandes/ABCDEFGHJ", "/mes-informations"]
RE_TOKEN = re.compile(r"[0-9a-f]{1,16}\.[0-9a-f]{64}")


def test_the_pages_are_the_same_after_the_move(pg, make_server):
    """The demo data and a paid order served from SQLite, then moved to PostgreSQL and
    served from there: every page the member sees is the same, byte for byte (but for the
    server's port and the forms' tokens)."""
    name = "test_980_sqlite_to_pgsql-sqlite"
    path = os.path.join(GEN_DIR, name, "db", "cmcas.sqlite")
    sqlite_dbd = "\n".join(["DBDriver sqlite3", f"DBDParams {path}",
                            'DBDInitSQL "PRAGMA busy_timeout = 5000"',
                            "DBDMin 1", "DBDKeep 1", "DBDMax 1"])
    lite = make_server("sqlite", sections={"dbd": sqlite_dbd})
    assert lite.db_path == path
    with lite._as_run_user():
        db = sqlite3.connect(path, isolation_level=None)
        db.executescript(PAID)
        db.close()
    cmcas_pg.create_database(pg, "pages")
    cmcas_pg.copy_from_sqlite(pg, "pages", path)
    pgsql = make_server("pgsql", load_demo=False, sections={
        "secret": lite.sections["secret"],
        "dbd": "\n".join(["DBDriver pgsql",
                          f'DBDParams "host={pg.host} port={pg.port} dbname=pages user=cmcas '
                          f'{PG_LOCK_TIMEOUT}"',
                          "DBDMin 1", "DBDKeep 2", "DBDMax 4"])})
    compared = 0
    for page in PAGES:
        texts = []
        for srv in (lite, pgsql):
            r = requests.get(srv.url(page), auth=("gael.classen", DEMO_PASSWORD),
                             headers={"Accept": "text/html"}, timeout=30)
            assert r.status_code == 200, (srv.name, page, r.status_code)
            texts.append(RE_TOKEN.sub("TOKEN", r.text.replace(srv.base_url, "BASE")))
        assert texts[0] == texts[1], page
        compared += len(texts[0])
    # the order moved with its lines and events
    assert "ABCDEFGHJ" in requests.get(pgsql.url("/mes-commandes"), timeout=30,
                                       auth=("gael.classen", DEMO_PASSWORD)).text
    assert compared > 50000
