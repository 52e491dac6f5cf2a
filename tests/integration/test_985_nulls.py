"""A NULL in every nullable column, on either engine (CMCAS_ENGINE=pgsql for PostgreSQL).

The nullable columns are read from the live schema (PRAGMA table_info on SQLite,
information_schema on PostgreSQL), so that a migration adding one fails
`test_every_nullable_column_has_a_test` until it is covered here: each one the module
reads has a test below (in NULL_TESTS) that sets it NULL on a row of the demo data and
checks the pages that show it (200, the right text, no « 0 ans », no empty picture) and
the rules that use it (a NULL limit is no limit); a column the module never reads goes in
NOT_READ, with the reason, and the test checks that the module's sources still do not
name it. On PostgreSQL the columns must be those of SQLite.
"""

import os
import re
import sqlite3
import time

import pytest

from cmcas_httpd import BN_BLOCK, GEN_DIR, REPO, CmcasHttpd, schema_files
from cmcas_pages import main_text, parse_html
from test_7_helpers import (GAEL, P_AARON, P_GAEL, P_LOUANE, Member, cheap_hash, message,
                            participants)
from test_7_helpers import db, clean, gael  # noqa: F401 (fixtures)

KEYS = os.path.join(REPO, "tests", "gateway", "keys")

# The server takes card payments (the household's address goes to the bank's form); the
# bank itself is not needed: nothing here goes further than the form to it.
CMCAS_SERVER = {
    "sections": {"cmcas": BN_BLOCK.replace("</CMCAS>", f"""\
    CMCASOnlinePayment On
    CMCASGateway paybox http://127.0.0.1:9/cgi/MYchoix_pagepaiement.cgi
    CMCASPayboxAccount 1999888 32 107904482
    CMCASPayboxKeyFile {KEYS}/paybox-test-hmac.key
    CMCASPayboxPublicKeyFile {KEYS}/simulator-public.pem
    CMCASInstalments 3 50
    CMCASCGV /cgv
</CMCAS>""")},
    "expect_at_start": [r"CMCAS81: <CMCAS BN> \(.*\) takes Paybox payments without "
                        r"CMCASPayboxDirect"],
}

# Every nullable column the module reads -> the test that sets it NULL.
NULL_TESTS = {
    ("activity", "image"): "test_activity_image_null",
    ("activity", "published_at"): "test_activity_published_at_null",
    ("activity", "max_guests"): "test_activity_max_guests_null",
    ("activity", "min_age"): "test_activity_age_limits_null",
    ("activity", "max_age"): "test_activity_age_limits_null",
    ("activity_option", "min_age"): "test_option_age_limits_null",
    ("activity_option", "max_age"): "test_option_age_limits_null",
    ("household", "phone"): "test_household_contact_null",
    ("household", "street"): "test_household_contact_null",
    ("household", "postcode"): "test_household_contact_null",
    ("household", "city"): "test_household_contact_null",
    ("registration_person", "person_id"): "test_registration_person_nulls",
    ("registration_person", "last_name"): "test_registration_person_nulls",
    ("registration_person", "first_name"): "test_registration_person_nulls",
    ("registration_person", "birth_date"): "test_registration_person_nulls",
    ("activity", "draw_seed"): "test_draw_nulls",
    ("activity", "draw_done_at"): "test_draw_nulls",
    ("activity", "draw_published_at"): "test_draw_nulls",
    ("activity", "draw_places"): "test_draw_nulls",
    ("household", "coefficient"): "test_draw_nulls",
    ("registration", "selection"): "test_draw_nulls",
    ("registration", "draw_rank"): "test_draw_nulls",
    ("registration", "draw_history"): "test_draw_nulls",
    ("registration", "draw_coefficient"): "test_draw_nulls",
    ("registration", "draw_tiebreak"): "test_draw_nulls",
    ("registration", "draw_persons"): "test_draw_nulls",
    ("registration", "pay_by"): "test_draw_nulls",
    ("cmcas_outbox", "registration_id"): "test_outbox_nulls",
    ("cmcas_outbox", "order_id"): "test_outbox_nulls",
    ("cmcas_outbox", "detail"): "test_outbox_nulls",
    ("cmcas_outbox", "sent_at"): "test_outbox_nulls",
    ("cmcas_outbox", "last_error"): "test_outbox_nulls",
    ("cmcas_audit", "before"): "test_staff_nulls",
    ("cmcas_audit", "after"): "test_staff_nulls",
    ("cmcas_order", "refunded_at"): "test_staff_nulls",
}

# Nullable columns the module never reads (table, column) -> why NULL is harmless there.
# Empty today: every nullable column is read. test_not_read_is_accurate checks that
# mod_cmcas/*.c does not name a column listed here.
NOT_READ = {}


# ----------------------------------------------------------------------------------
# The list


def sqlite_nullable(db_conn):
    """(table, column) of the nullable columns of a SQLite schema: not the primary keys
    (SQLite lets a non-integer key be NULL, the schema never does), not the full-text
    index's virtual table nor its shadow tables (SQLite's own)."""
    tables = db_conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                             "AND name NOT LIKE 'sqlite_%'").fetchall()
    virtual = [name for name, sql in tables if sql.upper().startswith("CREATE VIRTUAL")]
    out = set()
    for name, _ in tables:
        if name in virtual or any(name.startswith(v + "_") for v in virtual):
            continue
        for _, col, _, notnull, _, pk in db_conn.execute(f"PRAGMA table_info({name})"):
            if not notnull and not pk:
                out.add((name, col))
    return out


def live_nullable(server):
    """The nullable columns of the server's live database. PostgreSQL: base tables only
    (cmcas_data_version is a view there, whose columns are all 'nullable'), and not the
    generated columns (activity.search, the tsvector, computed from NOT NULL columns)."""
    if server.engine == "pgsql":
        return {tuple(r) for r in server.sql(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema "
            "AND t.table_name = c.table_name WHERE c.table_schema = 'public' "
            "AND t.table_type = 'BASE TABLE' AND c.is_nullable = 'YES' "
            "AND c.is_generated = 'NEVER'")}
    conn = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        return sqlite_nullable(conn)
    finally:
        conn.close()


def test_every_nullable_column_has_a_test(server):
    live = live_nullable(server)
    missing = live - set(NULL_TESTS) - set(NOT_READ)
    assert not missing, f"nullable columns without a NULL test (add one): {sorted(missing)}"
    gone = (set(NULL_TESTS) | set(NOT_READ)) - live
    assert not gone, f"listed here but not nullable (or gone) in the schema: {sorted(gone)}"
    assert not set(NULL_TESTS) & set(NOT_READ)
    for test in set(NULL_TESTS.values()):
        assert callable(globals().get(test)), test


def test_the_engines_agree(server):
    """The live schema's nullable columns are SQLite's (sql/sqlite/), on PostgreSQL too."""
    conn = sqlite3.connect(":memory:")
    try:
        for path in schema_files():
            with open(path, encoding="utf-8") as f:
                conn.executescript(f.read())
        expected = sqlite_nullable(conn)
    finally:
        conn.close()
    assert live_nullable(server) == expected


def test_not_read_is_accurate():
    sources = ""
    src_dir = os.path.join(REPO, "mod_cmcas")
    for name in sorted(os.listdir(src_dir)):
        if name.endswith(".c"):
            with open(os.path.join(src_dir, name), encoding="utf-8") as f:
                sources += f.read()
    for table, column in NOT_READ:
        assert not re.search(rf"\b{re.escape(column)}\b", sources), \
            f"{table}.{column} is named in mod_cmcas/*.c: give it a NULL test instead"


# ----------------------------------------------------------------------------------
# Helpers


@pytest.fixture(autouse=True)
def no_orders(db):
    """The orders a test made are deleted after it (Db.reset deletes the registrations)."""
    yield
    db.server.sql_script("BEGIN;\nDELETE FROM cmcas_order_notice;\n"
                         "DELETE FROM cmcas_order_event;\nDELETE FROM cmcas_invoice_line;\n"
                         "DELETE FROM cmcas_invoice;\nDELETE FROM cmcas_order_line;\n"
                         "DELETE FROM cmcas_order;\nCOMMIT;\n")


def html(member, path, status=200):
    return member.html(path, status=status)


def infos(doc):
    """« INFORMATIONS COMPLÉMENTAIRES » of an activity page: label -> text."""
    out = {}
    for li in doc.find("ul", cls="infos-list").children:
        if getattr(li, "tag", None) != "li":
            continue
        label, _, value = li.text.partition(":")
        out[label.strip()] = value.strip()
    return out


def catalog_card(member, title, query):
    """The catalog's card of `title` (searched by `query`), or None."""
    doc = html(member, f"/?q={query}")
    for card in doc.find_all("article", cls="card"):
        if title in card.text:
            return card
    return None


def no_null_leaked(text):
    """Nothing of a NULL shown as text."""
    for bad in ("None", "(null)", "NULL", "nan", " 0 ans"):
        assert bad not in text, (bad, text[:3000])


def guest(n):
    return [("personne", "invite"), ("invite-nom", f"INVITE{n}"),
            ("invite-prenom", "Jean"), ("invite-naissance", "01/01/1980")]


def option_ids(db, activity_id):
    return [r[0] for r in db.sql("SELECT id FROM activity_option WHERE activity_id = ? "
                                 "ORDER BY position, id", (activity_id,))]


# ----------------------------------------------------------------------------------
# activity


def test_activity_image_null(gael, db):
    db.sql("UPDATE activity SET image = NULL WHERE id = 1")
    card = catalog_card(gael, "Atelier gourmand", "gourmand")
    assert card is not None
    assert card.find("img") is None
    assert card.find("span", cls="placeholder").text == "LOISIR"
    doc = html(gael, "/activite/1")
    assert doc.find("img", cls="activite-image") is None
    assert doc.find("div", cls="placeholder").text == "LOISIR"
    page = gael.get("/activite/1", accept="text/html").text
    assert 'src=""' not in page
    no_null_leaked(main_text(doc))
    # the XML document has an empty <image/> (or none), never a text "NULL"
    act = gael.xml("/activite/1").find("activite")
    assert not (act.findtext("image") or "")


def test_activity_published_at_null(gael, db):
    """NULL: not published yet. Listed nowhere, found by no one, its page a 404."""
    assert catalog_card(gael, "Atelier gourmand", "gourmand") is not None
    db.sql("UPDATE activity SET published_at = NULL WHERE id = 1")
    assert catalog_card(gael, "Atelier gourmand", "gourmand") is None
    doc = html(gael, "/", 200)
    assert "Atelier gourmand" not in main_text(doc)
    for path in ("/activite/1", "/activite/1/inscription"):
        doc = html(gael, path, 404)
        assert doc.find("h1").text == "Page introuvable"


def test_activity_max_guests_null(gael, db):
    """NULL: guests without limit (the demo allows 2 on the Atelier)."""
    db.sql("UPDATE activity SET max_guests = NULL WHERE id = 1")
    doc = html(gael, "/activite/1")
    assert infos(doc)["Invités"] == "acceptés"
    no_null_leaked(main_text(doc))
    gael.add(1, P_GAEL)
    for n in range(1, 5):
        gael.do(1, "ajouter", extra=guest(n))
    ins = gael.ins(1)
    assert [p["kind"] for p in participants(ins)] == ["OD"] + ["guest"] * 4
    assert message(ins) is None
    opt = option_ids(db, 1)[0]
    gael.do(1, "valider", options={p["id"]: [opt] for p in participants(ins)})
    assert db.registration(1)["status"] == "validee"
    assert db.places(1) == 5


@pytest.mark.parametrize("min_age, max_age, shown", [
    (None, None, None),
    (None, 12, "jusqu'à 12 ans"),
    (6, None, "à partir de 6 ans"),
])
def test_activity_age_limits_null(gael, db, min_age, max_age, shown):
    """« Arbre de Noël » (32) is for 6 to 12 years; a NULL bound is no bound."""
    db.sql("UPDATE activity SET min_age = ?, max_age = ? WHERE id = 32", (min_age, max_age))
    doc = html(gael, "/activite/32")
    text = main_text(doc)
    no_null_leaked(text)
    if shown is None:
        assert "Âge des participants" not in infos(doc)
    else:
        assert infos(doc)["Âge des participants"] == shown
    # Louane (~8 years) fits every case; Gael (an adult) only without a maximum
    gael.add(32, P_LOUANE)
    if max_age is None:
        gael.add(32, P_GAEL)
    else:
        msg = gael.add(32, P_GAEL, status=409)
        assert "jusqu'à 12 ans" in message(msg.ins), msg
    ins = gael.ins(32)
    assert message(ins) is None or "0 ans" not in message(ins)
    opt = option_ids(db, 32)
    gael.do(32, "valider", ins=ins,
            options={p["id"]: [opt[0] if p["kind"] != "OD" else opt[1]]
                     for p in participants(ins)})
    assert db.registration(32)["status"] == "validee"
    no_null_leaked(main_text(html(gael, "/activite/32/inscription")))


# ----------------------------------------------------------------------------------
# activity_option


def test_option_age_limits_null(gael, db):
    """Activity 5: « Place adulte » (7) from 12 years, « Place enfant » (8) up to 11; with
    the bound NULL, each is offered to everyone and accepted."""
    ins = gael.ins(5)
    gael.add(5, P_GAEL)
    gael.add(5, P_LOUANE)
    ins = gael.ins(5)
    offered = {p["name"]: p["offered"] for p in participants(ins)}
    assert offered == {"Gael CLASSEN": [7], "Louane CLASSEN": [8]}, offered

    db.sql("UPDATE activity_option SET min_age = NULL WHERE id = 7")
    db.sql("UPDATE activity_option SET max_age = NULL WHERE id = 8")
    ins = gael.ins(5)
    offered = {p["name"]: sorted(p["offered"]) for p in participants(ins)}
    assert offered == {"Gael CLASSEN": [7, 8], "Louane CLASSEN": [7, 8]}, offered
    page = html(gael, "/activite/5/inscription")
    no_null_leaked(main_text(page))
    no_null_leaked(main_text(html(gael, "/activite/5")))
    # the adult's option for the child, the child's for the adult: both accepted
    ids = {p["name"]: p["id"] for p in participants(ins)}
    gael.do(5, "valider", ins=ins, options={ids["Gael CLASSEN"]: [8],
                                             ids["Louane CLASSEN"]: [7]})
    assert db.registration(5)["status"] == "validee"


# ----------------------------------------------------------------------------------
# household


HOUSEHOLD_CONTACT = ("phone", "street", "postcode", "city")


@pytest.fixture
def household_restored(db):
    before = db.sql("SELECT phone, street, postcode, city FROM household WHERE id = 1")[0]
    yield
    db.sql("UPDATE household SET phone = ?, street = ?, postcode = ?, city = ? "
           "WHERE id = 1", before)


def card_form(gael, db):
    """Registers Gael on the Atelier and asks to pay by card: the bank form's fields."""
    gael.register(1, [P_GAEL], option=option_ids(db, 1)[0])
    reg = db.registration(1)["id"]
    tok = re.search(r'name="csrf" value="([^"]+)"',
                    gael.get(f"/mes-inscriptions/{reg}/paiement", accept="text/html").text)
    r = gael.s.post(gael.server.url(f"/mes-inscriptions/{reg}/paiement"),
                    data={"csrf": tok.group(1), "methode": "cb1", "cgv": "1"},
                    headers={"Accept": "text/html"}, allow_redirects=False, timeout=30)
    assert r.status_code == 200, r.text[:1000]
    form = parse_html(r.text).find("form", id="banque")
    assert form is not None, r.text[:1000]
    return {i.attrs["name"]: i.attrs["value"] for i in form.find_all("input")
            if i.attrs.get("type") == "hidden"}


@pytest.mark.parametrize("columns", [(c,) for c in HOUSEHOLD_CONTACT] + [HOUSEHOLD_CONTACT])
def test_household_contact_null(gael, db, household_restored, columns):
    before = dict(zip(HOUSEHOLD_CONTACT, db.sql(
        "SELECT phone, street, postcode, city FROM household WHERE id = 1")[0]))
    db.sql(f"UPDATE household SET {', '.join(c + ' = NULL' for c in columns)} WHERE id = 1")
    for path in ("/mes-informations", "/mes-adresses", "/", "/mes-inscriptions"):
        doc = html(gael, path)
        no_null_leaked(main_text(doc))
    doc = html(gael, "/mes-informations")
    text = main_text(doc)
    for c in HOUSEHOLD_CONTACT:
        if c in columns:
            assert before[c] not in text, c
        else:
            assert before[c] in text, c
    details = doc.find("dl", cls="details")
    dts = [n.text for n in details.find_all("dt")]
    dds = [n.text for n in details.find_all("dd")]
    shown = dict(zip(dts, dds))
    if "phone" in columns:
        assert shown["Téléphone"] == "Non renseigné", shown
    if "street" in columns and "city" in columns:
        assert shown["Adresse"] == "Non renseignée", shown
    else:
        assert shown["Adresse"] != "Non renseignée", shown
    # the bank's form: the billing address with empty fields, signed as any other
    fields = card_form(gael, db)
    billing = fields["PBX_BILLING"]
    tags = {"street": "Address1", "postcode": "ZipCode", "city": "City"}
    for c, tag in tags.items():
        value = re.search(rf"<{tag}>([^<]*)</{tag}>", billing).group(1)
        if c in columns:
            assert value == "", billing
        else:
            assert value, billing
    assert "None" not in billing and "NULL" not in billing
    assert fields.get("PBX_HMAC")


# ----------------------------------------------------------------------------------
# registration_person


def test_registration_person_nulls(gael, db):
    """A household member is a row with person_id and no name or birth date (NULL: read
    from person); a guest a row with a name and a birth date and no person_id (NULL).
    Every page that lists participants shows both, and their order."""
    gael.add(1, P_GAEL)
    gael.add(1, P_AARON)
    gael.do(1, "ajouter", extra=[("personne", "invite"), ("invite-nom", "PETIT"),
                                 ("invite-prenom", "Michel"),
                                 ("invite-naissance", "12/03/1971")])
    ins = gael.ins(1)
    opt = option_ids(db, 1)[0]
    gael.do(1, "valider", ins=ins, options={p["id"]: [opt] for p in participants(ins)})
    reg = db.registration(1)
    rows = {r["person_id"]: r for r in db.participants(reg["id"])}
    assert set(rows) == {P_GAEL, P_AARON, None}
    for pid_ in (P_GAEL, P_AARON):
        assert (rows[pid_]["last_name"], rows[pid_]["first_name"],
                rows[pid_]["birth_date"]) == (None, None, None)
    assert (rows[None]["last_name"], rows[None]["first_name"],
            rows[None]["birth_date"]) == ("PETIT", "Michel", "1971-03-12")

    names = ["Gael CLASSEN", "Aaron CLASSEN", "Michel PETIT"]
    for path in ("/activite/1/inscription", f"/mes-inscriptions/{reg['id']}"):
        text = main_text(html(gael, path))
        no_null_leaked(text)
        positions = [text.find(n) for n in names]
        assert -1 not in positions, (path, text[:2000])
    assert "Atelier gourmand" in main_text(html(gael, "/mes-inscriptions"))

    # an order at the desk: its lines name the three
    tok = re.search(r'name="csrf" value="([^"]+)"',
                    gael.get(f"/mes-inscriptions/{reg['id']}/paiement",
                             accept="text/html").text).group(1)
    r = gael.s.post(gael.server.url(f"/mes-inscriptions/{reg['id']}/paiement"),
                    data={"csrf": tok, "methode": "cmcas", "cgv": "1"},
                    headers={"Accept": "text/html"}, allow_redirects=False, timeout=30)
    assert r.status_code in (200, 303), r.text[:1000]
    (ref,), = db.sql("SELECT reference FROM cmcas_order WHERE registration_id = ?",
                     (reg["id"],))
    lines = [r[0] for r in db.sql("SELECT l.person FROM cmcas_order_line l JOIN cmcas_order o "
                                  "ON o.id = l.order_id WHERE o.reference = ? "
                                  "ORDER BY l.position", (ref,))]
    assert lines == names
    text = main_text(html(gael, f"/mes-commandes/{ref}"))
    no_null_leaked(text)
    for n in names:
        assert n in text, (n, text[:2000])
    assert ref in main_text(html(gael, "/mes-commandes"))


# ----------------------------------------------------------------------------------
# « tour de rôle » (issue 10)


def test_draw_nulls(gael, db):
    """NULL draw columns: an activity not « tour de rôle » (no seed), one not drawn yet
    (no dates, no places), a request not drawn (no selection, rank, criteria, pay-by), a
    household whose coefficient social is unknown, a published result missing values."""
    db.sql("UPDATE household SET coefficient = NULL")
    # immediate: no seed, no « tirage » at all
    assert db.sql("SELECT draw_seed FROM activity WHERE id = 1") == [(None,)]
    assert gael.xml("/activite/1").find("tirage") is None
    # tour de rôle, not drawn: the commitment only
    db.sql("UPDATE activity SET draw_done_at = NULL, draw_published_at = NULL,"
           " draw_places = NULL WHERE id = 2")
    t = gael.xml("/activite/2").find("tirage")
    assert re.fullmatch(r"[0-9a-f]{64}", t.get("commitment")) and t.get("seed") is None
    gael.get("/activite/2/tirage.csv", status=404)
    opt = option_ids(db, 2)[0]
    gael.register(2, [P_GAEL], option=opt)
    reg = db.registration(2)["id"]
    assert db.sql("SELECT selection, draw_rank, draw_history, draw_coefficient,"
                  " draw_tiebreak, draw_persons, pay_by FROM registration WHERE id = ?",
                  (reg,)) == [(None,) * 7]
    doc = html(gael, f"/mes-inscriptions/{reg}")
    text = main_text(doc)
    no_null_leaked(text)
    assert "Demande enregistrée — tirage le" in text
    # published, the result missing all but its selection: shown without them
    db.sql("UPDATE activity SET draw_done_at = '2026-01-01T00:00:00Z',"
           " draw_published_at = '2026-01-01T00:00:00Z' WHERE id = 2")
    db.sql("UPDATE registration SET selection = 'retenue', draw_rank = 1 WHERE id = ?",
           (reg,))
    res = gael.xml(f"/mes-inscriptions/{reg}").find("inscription/tirage/resultat")
    assert res.get("selection") == "retenue" and res.get("coefficient") is None
    assert res.find("pay-by") is None
    text = main_text(html(gael, f"/mes-inscriptions/{reg}"))
    no_null_leaked(text)
    assert "non connu" in text and "Retenue" in text
    assert "Retenue" in main_text(html(gael, "/mes-inscriptions"))
    csv = gael.get("/activite/2/tirage.csv", accept="text/csv").text
    assert "# places,0\n" in csv and f"\n{reg},0,1,,0.000000,1\n" in csv
    db.sql("UPDATE activity SET draw_done_at = NULL, draw_published_at = NULL WHERE id = 2")


def test_outbox_nulls(make_server):
    """An e-mail about a registration (no order: NULL), with no detail (NULL), not sent
    yet and never failed (NULL), and one about an order whose registration is read from
    the order (NULL): both delivered, sent_at then set."""
    folder = os.path.join(GEN_DIR, "test_985_nulls-mailbox")
    os.makedirs(folder, exist_ok=True)
    CmcasHttpd.give_to_run_user(folder)
    capture = os.path.join(REPO, "scripts", "cmcas-mail-to-folder")
    for old in os.listdir(folder):
        os.unlink(os.path.join(folder, old))
    srv = make_server("mail", sections={"cmcas": BN_BLOCK.replace(
        "</CMCAS>", "    CMCASPortalURL https://portail.example/\n</CMCAS>")},
        extra=f'CMCASMailCommand "{capture} {folder} -t -i"\nCMCASMailInterval 1')
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    srv.sql("UPDATE cmcas_job SET lease_until = 0 WHERE name = 'mail'")
    member = Member(srv, GAEL)
    opt = [r[0] for r in srv.sql("SELECT id FROM activity_option WHERE activity_id = 1"
                                 " ORDER BY position, id")][0]
    member.register(1, [P_GAEL], option=opt)
    reg = srv.sql("SELECT id FROM registration WHERE activity_id = 1")[0][0]
    tok = re.search(r'name="csrf" value="([^"]+)"',
                    member.get(f"/mes-inscriptions/{reg}/paiement",
                               accept="text/html").text).group(1)
    r = member.s.post(srv.url(f"/mes-inscriptions/{reg}/paiement"),
                      data={"csrf": tok, "methode": "cmcas", "cgv": "1"},
                      allow_redirects=False, timeout=30)
    assert r.status_code == 303
    order = srv.sql("SELECT id FROM cmcas_order")[0][0]
    srv.sql("INSERT INTO cmcas_outbox (event_key, kind, household_id, registration_id,"
            " order_id, detail, created_at) VALUES ('test-null', 'order_desk', 1, NULL, ?,"
            " NULL, '2026-01-01T00:00:00Z')", (order,))
    rows = srv.sql("SELECT kind, registration_id IS NULL, order_id IS NULL, detail IS NULL,"
                   " last_error IS NULL FROM cmcas_outbox ORDER BY id")
    assert ("validated", False, True, True, True) in rows
    assert ("order_desk", True, False, True, True) in rows
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and \
            srv.sql("SELECT count(*) FROM cmcas_outbox WHERE sent_at IS NULL")[0][0]:
        time.sleep(0.2)
    assert srv.sql("SELECT count(*) FROM cmcas_outbox WHERE sent_at IS NULL") == [(0,)]
    texts = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
            texts.append(f.read())
    assert len(texts) == 3
    assert all("None" not in t and "(null)" not in t for t in texts)
    member.close()


def test_staff_nulls(server, db):
    """The audit log's lines without a value before (a creation) or after (a deletion),
    and an order to refund whose refund is not recorded (refunded_at NULL): the
    back-office shows them, and counts the order as to refund until refunded_at is set."""
    import requests
    from cmcas_httpd import DEMO_PASSWORD
    server.sql("INSERT INTO cmcas_audit (cmcas_code, at, actor, action, object, before,"
               " after) VALUES ('BN', '2026-01-01T00:00:00Z', 'gestion.bn', 'Créée',"
               " 'activité 1', NULL, 'Titre : A'), ('BN', '2026-01-02T00:00:00Z',"
               " 'gestion.bn', 'Supprimée', 'activité 1', 'Titre : A', NULL)")
    server.sql("INSERT INTO registration (id, activity_id, household_id, status,"
               " created_at, updated_at) VALUES (900, 1, 1, 'annulee', 'x', 'x')")
    server.sql("INSERT INTO cmcas_order (reference, registration_id, household_id,"
               " cmcas_code, total, method, status, hold_until, created_at, updated_at)"
               " VALUES ('NULLNULLA', 900, 1, 'BN', 3000, 'cmcas', 'a_rembourser', 'x',"
               " 'x', 'x')")
    try:
        with requests.Session() as s:
            s.auth = ("gestion.bn", DEMO_PASSWORD)
            r = s.get(server.url("/gestion/journal"), timeout=30)
            assert r.status_code == 200
            assert "Créée" in r.text and "Supprimée" in r.text
            assert "None" not in r.text and "(null)" not in r.text

            def to_refund():
                x = s.get(server.url("/gestion/"), headers={"Accept": "application/xml"},
                          timeout=30).text
                return int(re.search(r'a-rembourser="(\d+)"', x).group(1))
            assert to_refund() == 1
            server.sql("UPDATE cmcas_order SET refunded_at = '2026-01-03T00:00:00Z'"
                       " WHERE reference = 'NULLNULLA'")
            assert to_refund() == 0
    finally:
        server.sql("DELETE FROM cmcas_order WHERE reference = 'NULLNULLA'")
        server.sql("DELETE FROM registration WHERE id = 900")
        server.sql("DELETE FROM cmcas_audit")
