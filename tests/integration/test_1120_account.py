"""« Mes informations » and « Mes adresses » (issue 12): the household as the CMCAS holds
it, the contact e-mail and phone and the billing address the member changes (checked,
normalised, with CSRF; bad input: the form again with its messages, 400, nothing
written), only ever on the logged-in household's row (the form carries no id)."""

import os
import xml.etree.ElementTree as ET

import pytest
import requests

from test_10_helpers import html_member as session
from cmcas_httpd import BN_BLOCK, GEN_DIR, cmcas_block

# « Conditions d'utilisation » and the CGV: texts of each CMCAS, in files the <CMCAS>
# blocks name (written now: the configuration reads them at start-up).
TEXTS = os.path.join(GEN_DIR, "test_1120_texts")
os.makedirs(TEXTS, exist_ok=True)
TERMS_TEXT = ("# Article 1 – Accès\n\nLe portail <script>alert(1)</script> & ses "
              "règles.\nSuite du paragraphe.\n\n- premier point\n- second point\n")
CGV_BN_TEXT = "# CGV Berry-Nivernais\n\nLes inscriptions engagent le foyer.\n"
CGV_T_TEXT = "Conditions de vente de la Touraine.\n"
for _name, _text in (("terms.txt", TERMS_TEXT), ("cgv-bn.txt", CGV_BN_TEXT),
                     ("cgv-t.txt", CGV_T_TEXT)):
    with open(os.path.join(TEXTS, _name), "w", encoding="utf-8") as _f:
        _f.write(_text)


def _with(block, *lines):
    return block.replace("</CMCAS>", "".join(f"    {l}\n" for l in lines) + "</CMCAS>")


CMCAS_SERVER = {"sections": {"cmcas": _with(
    BN_BLOCK, f'CMCASTermsFile "{TEXTS}/terms.txt"', f'CMCASCGVFile "{TEXTS}/cgv-bn.txt"')
    + _with(cmcas_block("TOURAINE", "CMCAS Touraine"), f'CMCASCGVFile "{TEXTS}/cgv-t.txt"',
            "CMCASDrawWindow 12", "CMCASDrawPayDays 5")
    + cmcas_block("LIMOUSIN", "CMCAS Limousin")}}

GAEL, MARTINE = "gael.classen", "martine.dupont"
XML = {"Accept": "application/xml"}
COLS = "email, phone, street, postcode, city, country"


@pytest.fixture(scope="module")
def gael(server):
    with session(GAEL) as s:
        yield s


@pytest.fixture(scope="module")
def martine(server):
    with session(MARTINE) as s:
        yield s


@pytest.fixture
def rows(sql):
    """The households' contact and address before the test, put back after it."""
    before = sql(f"SELECT id, {COLS} FROM household ORDER BY id")
    yield lambda: sql(f"SELECT id, {COLS} FROM household ORDER BY id")
    for r in before:
        sql("UPDATE household SET email = ?, phone = ?, street = ?, postcode = ?, city = ?,"
            " country = ? WHERE id = ?", tuple(r[1:]) + (r[0],))


def household(sql, login):
    return sql(f"SELECT {COLS} FROM household WHERE login = ?", (login,))[0]


def doc(s, server, path):
    r = s.get(server.url(path), headers=XML)
    assert r.status_code == 200, r.text[:1000]
    return ET.fromstring(r.content)


def csrf(s, server, path):
    form = "informations/contact-form" if path == "/mes-informations" \
        else "adresses/address-form"
    return doc(s, server, path).find(form).get("csrf")


def post(s, server, path, fields, token=None, accept="text/html"):
    data = dict(fields)
    data["csrf"] = token if token is not None else csrf(s, server, path)
    return s.post(server.url(path), data=data, headers={"Accept": accept},
                  allow_redirects=False)


ADDRESS = {"rue1": "12 rue des Tanneurs", "rue2": "Bât. B", "code_postal": "18000",
           "ville": "Bourges", "pays": "France"}


def test_informations_shows_the_household_read_only(server, gael, sql):
    d = doc(gael, server, "/mes-informations")
    assert d.get("name") == "informations"
    h = d.find("informations/household")
    persons = h.findall("person")
    names = {(p.findtext("first-name"), p.get("role")) for p in persons}
    assert ("Gael", "OD") in names and len(persons) >= 2
    assert all(p.find("birth").get("iso") for p in persons)
    r = gael.get(server.url("/mes-informations"))
    assert r.status_code == 200
    assert "Personnes du foyer" in r.text and "Ouvrant droit" in r.text
    assert 'name="email"' in r.text and 'name="telephone"' in r.text
    # persons are not in any form: read-only
    assert 'name="csrf"' in r.text and "Pour modifier ces informations" in r.text


def test_adresses_is_its_own_page(server, gael):
    r = gael.get(server.url("/mes-adresses"))
    assert r.status_code == 200
    assert "<h1>Mes adresses</h1>" in r.text and 'name="code_postal"' in r.text
    assert "Personnes du foyer" not in r.text
    d = doc(gael, server, "/mes-adresses")
    assert d.get("name") == "adresses"
    assert d.find("adresses/address-form").get("country")


def test_account_menu_links_them_all(server, gael):
    r = gael.get(server.url("/mon-compte"))
    assert r.status_code == 200
    for label, path in (("Mes commandes", "/mes-commandes"), ("Mes adresses", "/mes-adresses"),
                        ("Mes informations", "/mes-informations"),
                        ("Mes inscriptions", "/mes-inscriptions")):
        assert label in r.text and f'href="{path}"' in r.text


def test_edit_contact(server, gael, sql, rows):
    r = post(gael, server, "/mes-informations",
             {"email": " gael.nouveau@example.org ", "telephone": "+33 6.12.34.56.78"})
    assert r.status_code == 303, r.text[:1000]
    assert r.headers["Location"].endswith("/mes-informations?enregistre=1")
    email, phone = household(sql, GAEL)[:2]
    assert (email, phone) == ("gael.nouveau@example.org", "06 12 34 56 78")
    r = gael.get(server.url("/mes-informations?enregistre=1"))
    assert "Vos coordonnées ont été enregistrées." in r.text
    assert "gael.nouveau@example.org" in r.text
    # the line of the back-office's journal, by the member
    assert sql("SELECT count(*) FROM cmcas_audit WHERE actor = ? AND object = ?",
               (GAEL, "foyer " + GAEL))[0][0] >= 1
    # empty phone: none
    r = post(gael, server, "/mes-informations",
             {"email": "gael.nouveau@example.org", "telephone": ""})
    assert r.status_code == 303
    assert household(sql, GAEL)[1] in (None, "")


@pytest.mark.parametrize("fields, field", [
    ({"email": "pas-une-adresse", "telephone": ""}, "email"),
    ({"email": "", "telephone": ""}, "email"),
    ({"email": "a@b.fr\r\nBcc: x@y.fr", "telephone": ""}, "email"),
    ({"email": "a" * 250 + "@example.org", "telephone": ""}, "email"),
    ({"email": "gael@example.org", "telephone": "061234"}, "telephone"),
    ({"email": "gael@example.org", "telephone": "06 12 34 56 7x"}, "telephone"),
])
def test_bad_contact_is_refused_and_nothing_written(server, gael, sql, rows, fields, field,
                                                    expect_log):
    before = rows()
    r = post(gael, server, "/mes-informations", fields)
    assert r.status_code == 400, r.text[:1000]
    assert "n'ont pas été enregistrées" in r.text
    if "\r" not in fields["email"]:
        d = ET.fromstring(post(gael, server, "/mes-informations", fields,
                               accept="application/xml").content)
        form = d.find("informations/contact-form")
        assert [e.get("field") for e in form.findall("error")] == [field]
        assert form.get("email") == fields["email"]          # echoed as typed
    assert rows() == before


def test_edit_address(server, gael, sql, rows):
    r = post(gael, server, "/mes-adresses", ADDRESS)
    assert r.status_code == 303, r.text[:1000]
    assert r.headers["Location"].endswith("/mes-adresses?enregistre=1")
    assert household(sql, GAEL)[2:] == ("12 rue des Tanneurs\nBât. B", "18000", "Bourges",
                                        "France")
    r = gael.get(server.url("/mes-adresses?enregistre=1"))
    assert "Votre adresse a été enregistrée." in r.text
    assert 'value="Bât. B"' in r.text
    r = gael.get(server.url("/mes-informations"))
    assert "12 rue des Tanneurs<br>Bât. B<br>18000 Bourges" in r.text, r.text
    # abroad: the postal code is not French
    r = post(gael, server, "/mes-adresses", {"rue1": "Rue Haute 1", "rue2": "",
                                             "code_postal": "1000", "ville": "Bruxelles",
                                             "pays": "Belgique"})
    assert r.status_code == 303
    assert household(sql, GAEL)[2:] == ("Rue Haute 1", "1000", "Bruxelles", "Belgique")


@pytest.mark.parametrize("change, field", [
    ({"code_postal": "1800"}, "code_postal"),
    ({"code_postal": "18OOO"}, "code_postal"),
    ({"rue1": ""}, "rue1"),
    ({"rue1": "x" * 101}, "rue1"),
    ({"ville": ""}, "ville"),
    ({"ville": "Bourges\x01"}, "ville"),
    ({"pays": "P" * 61}, "pays"),
    ({"pays": "Belgique", "code_postal": "12345678901"}, "code_postal"),
])
def test_bad_address_is_refused_and_nothing_written(server, gael, sql, rows, change, field):
    before = rows()
    fields = dict(ADDRESS, **change)
    r = post(gael, server, "/mes-adresses", fields, accept="application/xml")
    if "\x01" in fields["ville"]:
        # the form reader refuses control characters before the page (400 error page)
        assert r.status_code == 400
    else:
        assert r.status_code == 400, r.text[:1000]
        form = ET.fromstring(r.content).find("adresses/address-form")
        assert field in [e.get("field") for e in form.findall("error")]
        r = post(gael, server, "/mes-adresses", fields)
        assert r.status_code == 400 and "n'a pas été enregistrée" in r.text
    assert rows() == before


def test_csrf_is_required(server, gael, rows, expect_log):
    before = rows()
    for path, fields in (("/mes-informations", {"email": "x@example.org", "telephone": ""}),
                         ("/mes-adresses", ADDRESS)):
        r = post(gael, server, path, fields, token="")
        assert r.status_code in (400, 403), r.status_code
        r = post(gael, server, path, fields, token="0." + "0" * 64)
        assert r.status_code == 403, r.status_code
    expect_log(r"CMCAS31: form refused for user 'gael.classen' on /mes-")
    assert rows() == before


def test_a_member_changes_only_their_household(server, gael, martine, sql, rows,
                                                expect_log):
    before = {r[0]: r for r in rows()}
    m_id = sql("SELECT id FROM household WHERE login = ?", (MARTINE,))[0][0]
    token = csrf(martine, server, "/mes-adresses")
    # an id in the form is not read: the login's household only
    r = post(martine, server, "/mes-adresses", dict(ADDRESS, id="1", household="1",
                                                   ville="Nevers", code_postal="58000"),
             token=token)
    assert r.status_code == 303
    r = post(martine, server, "/mes-informations",
             {"email": "martine.nouvelle@example.org", "telephone": "0248000000"})
    assert r.status_code == 303
    after = {r[0]: r for r in rows()}
    assert after[m_id][5:] == ("Nevers", "France") and after[m_id][1] == \
        "martine.nouvelle@example.org" and after[m_id][2] == "02 48 00 00 00"
    for hid in before:
        if hid != m_id:
            assert after[hid] == before[hid]
    # gael's token does not post for martine
    r = post(martine, server, "/mes-informations", {"email": "x@example.org",
                                                    "telephone": ""},
             token=csrf(gael, server, "/mes-informations"))
    assert r.status_code == 403
    expect_log(r"CMCAS31: form refused for user 'martine.dupont' on /mes-informations")


@pytest.mark.parametrize("path", ["/mes-informations", "/mes-adresses"])
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_only_get_and_post(server, gael, path, method):
    r = gael.request(method, server.url(path), data="x")
    assert r.status_code == 405
    assert sorted(m.strip() for m in r.headers["Allow"].split(",")) == ["GET", "HEAD", "POST"]


# ----------------------------------------------------------------------------------
# « Conditions d'utilisation » and the CGV


def test_terms_page_shows_the_file_escaped(server, gael):
    r = gael.get(server.url("/conditions-utilisation"))
    assert r.status_code == 200, r.text[:1000]
    assert "<h1>Conditions d'utilisation</h1>" in r.text
    assert "<h2>Article 1 – Accès</h2>" in r.text
    assert ("<p>Le portail &lt;script&gt;alert(1)&lt;/script&gt; &amp; ses règles. "
            "Suite du paragraphe.</p>") in r.text
    assert "<script>alert(1)" not in r.text
    assert "<li>premier point</li>" in r.text and "<li>second point</li>" in r.text
    # the footer's link is this page
    assert 'href="/conditions-utilisation"' in r.text
    d = doc(gael, server, "/conditions-utilisation")
    assert d.find("conditions").get("type") == "utilisation"
    assert d.find("conditions/tour-de-role") is None


def test_cgv_pages_with_the_cmcas_tour_de_role_rule(server, gael):
    r = gael.get(server.url("/cgv"))
    assert r.status_code == 200
    assert "<h1>Conditions générales de vente</h1>" in r.text
    assert "Les inscriptions engagent le foyer." in r.text
    assert "au cours des 24 derniers mois" in r.text and "dispose de 7 jours" in r.text
    assert gael.get(server.url("/cgv/BN")).text == r.text
    # another CMCAS's CGV (an activity it organises is paid to it): its own text and rule
    r = gael.get(server.url("/cgv/TOURAINE"))
    assert r.status_code == 200
    assert "Conditions de vente de la Touraine." in r.text
    assert "au cours des 12 derniers mois" in r.text and "dispose de 5 jours" in r.text
    d = doc(gael, server, "/cgv/TOURAINE")
    assert d.find("conditions").get("cmcas") == "TOURAINE"
    assert d.find("conditions/tour-de-role").get("pay-days") == "5"


@pytest.mark.parametrize("path", ["/cgv/LIMOUSIN", "/cgv/XX", "/cgv/..%2Fetc", "/cgv/",
                                  "/conditions-utilisation/x"])
def test_cgv_of_no_text_or_no_cmcas_is_404(server, gael, path):
    assert gael.get(server.url(path)).status_code == 404


def test_legal_pages_are_read_only(server, gael):
    assert gael.post(server.url("/cgv"), data={"a": "1"}).status_code == 405


def test_payment_page_links_the_payee_cgv_page(server, sql):
    from test_7_helpers import Db, Member, P_GAEL
    db = Db(server)
    db.reset()
    m = Member(server)
    try:
        m.register(1, [P_GAEL], option=1)
        reg = db.registration(1, 1)["id"]
        d = m.xml(f"/mes-inscriptions/{reg}/paiement")
        assert d.find("paiement/cgv").get("href") == "/cgv/BN"
    finally:
        m.close()
        db.reset()


def test_demo_serves_its_texts_before_login():
    """The demo's BN has both texts; anyone reads them (no login, no session cookie)."""
    from cmcas_httpd import DemoHttpd
    srv = DemoHttpd("test_1120_account-demo")
    srv.start()
    try:
        problems = srv.error_log.problems(srv.error_log.take())
        assert not problems, problems
        r = requests.get(srv.url("/conditions-utilisation"), allow_redirects=False,
                         timeout=30)
        assert r.status_code == 200, r.text[:500]
        assert "Conditions d&#39;utilisation du portail" in r.text \
            or "Conditions d'utilisation du portail" in r.text
        assert "Set-Cookie" not in r.headers
        r = requests.get(srv.url("/cgv/BN"), allow_redirects=False, timeout=30)
        assert r.status_code == 200
        assert "Conditions générales de vente (démonstration)" in r.text
        assert "au cours des 24 derniers mois" in r.text
        # the other pages still need a login
        r = requests.get(srv.url("/mes-adresses"), allow_redirects=False, timeout=30)
        assert r.status_code in (302, 303)
        assert not srv.error_log.problems(srv.error_log.take())
    finally:
        srv.stop()
