"""The XML data document (docs/http-interface.md, « The data document »): content
negotiation and structure, checked against the test database."""

import pytest

from cmcas_pages import Catalog, fr_date, euros, xml_doc

XML = {"Accept": "application/xml"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
THEMES = [("CULTURE", "CULTURE"), ("FORMATION", "FORMATION"), ("LOISIR", "LOISIR"),
          ("SANTE-PREVOYANCE", "SANTÉ-PRÉVOYANCE"), ("SPORT", "SPORT"),
          ("VIE-ORGANISME", "VIE DE L'ORGANISME"), ("VOYAGE-SEJOUR", "VOYAGE-SÉJOUR")]


def get_xml(member, server, path, params=None, status=200):
    r = member.get(server.url(path), params=params, headers=XML)
    assert r.status_code == status, r.text[:2000]
    assert r.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert r.content.startswith(b"<?xml")
    return xml_doc(r.content)


# ----------------------------------------------------------------------------------
# Negotiation


@pytest.mark.parametrize("accept, xml", [
    ("application/xml", True),
    ("text/xml", True),
    ("application/xml;q=0.9, text/html;q=0.8", True),
    ("text/html;q=0.1, application/xml", True),
    ("application/xml, */*;q=0.1", True),
    ("APPLICATION/XML", True),
    ("text/html; level=1; q=0.5, application/xml; q=0.6", True),
    (BROWSER, False),
    ("application/xml, text/html", False),           # a tie: HTML wins
    ("text/html, application/xml", False),
    ("application/xml;q=0.5, text/html;q=0.5", False),
    ("application/xml;q=0.5, */*;q=0.5", False),
    ("application/xml;q=0", False),
    ("text/html", False),
    ("*/*", False),
    ("", False),
    (None, False),
    ("application/json", False),
    ("application/xmlx", False),
])
def test_accept_header_chooses_xml_or_html(server, accept, xml):
    headers = {} if accept is None else {"Accept": accept}
    r = server.raw("GET", "/activite/1", headers=headers)
    assert r.status == 200
    vary = [v.strip() for v in r.getheader("Vary", "").split(",")]
    assert "Accept" in vary
    if xml:
        assert r.getheader("Content-Type") == "application/xml; charset=utf-8"
        assert xml_doc(r.body).get("name") == "activite"
    else:
        assert r.getheader("Content-Type") == "text/html; charset=utf-8"
        assert r.body.startswith(b"<!DOCTYPE html>")


# ----------------------------------------------------------------------------------
# Common part


def check_common(root, name, user=True):
    assert root.tag == "page"
    assert root.get("name") == name
    assert root.get("lang") == "fr"
    kids = [c.tag for c in root]
    assert kids[0] == "site"
    cm = root.find("site/cmcas")
    assert cm.get("code") == "BN"
    assert [(c.tag, c.text) for c in cm] == [
        ("name", "CMCAS Berry-Nivernais"), ("street", "3 rue Marcel Paul"),
        ("postcode", "18022"), ("city", "Bourges"), ("phone", "02 48 00 00 00"),
        ("email", "contact@cmcas-bn.example")]
    if user:
        assert kids[:3] == ["site", "user", "themes"]
        u = root.find("user")
        assert u.get("login") == "gael.classen"
        assert u.findtext("name") == "Gael CLASSEN"
    else:
        assert kids[:2] == ["site", "themes"]
        assert root.find("user") is None
    themes = root.findall("themes/theme")
    assert [(t.get("code"), t.text) for t in themes] == THEMES


@pytest.mark.parametrize("path, name", [("/", "catalogue"), ("/activite/1", "activite"),
                                        ("/mes-informations", "informations"),
                                        ("/mon-compte", "compte"),
                                        ("/activite/99999", "erreur")])
def test_every_page_starts_with_site_user_themes(member, server, path, name):
    root = get_xml(member, server, path, status=404 if name == "erreur" else 200)
    check_common(root, name)


def test_connexion_document_has_no_user(server):
    r = server.raw("GET", "/connexion?erreur=1&deconnecte=1", headers=XML, auth=None)
    assert r.status == 200
    root = xml_doc(r.body)
    check_common(root, "connexion", user=False)
    c = root.find("connexion")
    assert c.attrib == {"action": "/connexion/valider", "error": "1", "logged-out": "1"}
    r = server.raw("GET", "/connexion", headers=XML, auth=None)
    assert xml_doc(r.body).find("connexion").attrib == {"action": "/connexion/valider"}


def test_selected_theme(member, server):
    root = get_xml(member, server, "/", {"theme": "SPORT"})
    selected = [t.get("code") for t in root.findall("themes/theme") if t.get("selected")]
    assert selected == ["SPORT"]
    assert root.find("themes/theme[@code='SPORT']").get("selected") == "1"
    root = get_xml(member, server, "/")
    assert not [t for t in root.findall("themes/theme") if t.get("selected")]
    # the activity page selects its own theme
    root = get_xml(member, server, "/activite/1")
    assert [t.get("code") for t in root.findall("themes/theme") if t.get("selected")] \
        == ["LOISIR"]


# ----------------------------------------------------------------------------------
# catalogue


@pytest.fixture(scope="module")
def catalog(sql):
    return Catalog(sql)


def test_catalogue_document(member, server, catalog):
    root = get_xml(member, server, "/")
    cat = root.find("catalogue")
    assert cat.attrib == {"tab": "nos", "page": "1", "pages": "4", "total": "37",
                          "page-size": "12"}
    acts = cat.findall("activity")
    assert [int(a.get("id")) for a in acts] == catalog.tab("nos")[:12]
    for a in acts:
        row = catalog.by_id[int(a.get("id"))]
        assert a.get("new") == ("1" if catalog.is_new(row) else "0")
        assert a.get("open") == ("1" if catalog.is_open(row) else "0")
        assert a.get("mode") == row["mode"]
        assert a.findtext("title") == row["title"]
        assert a.find("theme").get("code") == row["theme"]
        assert a.find("organiser").get("code") == "BN"
        assert a.findtext("organiser") == "CMCAS Berry-Nivernais"
        for tag, col in (("start", "start_date"), ("end", "end_date"),
                         ("closing", "closing_date")):
            assert a.find(tag).get("iso") == row[col]
            assert a.findtext(tag) == fr_date(row[col])
        assert a.findtext("remaining") == str(row["capacity"] - row["places_taken"])
        assert [c.tag for c in a] == (
            ["title", "theme"] + (["image"] if a.find("image") is not None else [])
            + ["organiser", "start", "end", "closing", "remaining"])


def test_catalogue_image_absent_when_none(member, server, sql):
    root = get_xml(member, server, "/", {"theme": "FORMATION"})
    by_id = {int(a.get("id")): a for a in root.findall("catalogue/activity")}
    assert by_id[12].find("image") is None                  # NULL in the database
    image = sql("SELECT image FROM activity WHERE id = 9")[0][0]
    assert by_id[9].findtext("image") == image


def test_catalogue_attributes_for_filters(member, server, catalog):
    root = get_xml(member, server, "/", {"onglet": "autres", "theme": "SPORT",
                                         "q": "randonnée", "page": "1"})
    cat = root.find("catalogue")
    assert cat.attrib == {"tab": "autres", "theme": "SPORT", "q": "randonnée", "page": "1",
                          "pages": "1", "total": "1", "page-size": "12"}
    a = cat.find("activity")
    assert a.get("id") == "47"
    assert a.find("organiser").attrib == {"code": "LIMOUSIN"}
    assert a.findtext("organiser") == "CMCAS Limousin"


def test_catalogue_last_page_and_closed(member, server, catalog):
    root = get_xml(member, server, "/", {"page": "4"})
    cat = root.find("catalogue")
    assert (cat.get("page"), cat.get("pages"), cat.get("total")) == ("4", "4", "37")
    acts = cat.findall("activity")
    assert [a.get("id") for a in acts] == [str(catalog.tab("nos")[-1])]
    assert acts[0].get("open") == "0"


def test_empty_catalogue(member, server):
    cat = get_xml(member, server, "/", {"q": "zzyzx"}).find("catalogue")
    assert cat.get("total") == "0"
    assert cat.get("pages") == "1"
    assert cat.findall("activity") == []


# ----------------------------------------------------------------------------------
# activite


def test_activite_document(member, server, sql):
    root = get_xml(member, server, "/activite/1")
    check_common(root, "activite")
    a = root.find("activite")
    row = dict(zip(["title", "description", "place", "start", "end", "closing", "capacity",
                    "image"],
                   sql("SELECT title, description, place, start_date, end_date, "
                       "closing_date, capacity, image FROM activity WHERE id = 1")[0]))
    assert a.attrib == {"id": "1", "open": "1", "new": "1", "mode": "immediat"}
    assert a.findtext("title") == row["title"] == "Atelier gourmand"
    assert a.find("theme").attrib == {"code": "LOISIR"}
    assert a.findtext("theme") == "LOISIR"
    assert a.findtext("image") == row["image"]
    assert a.find("organiser").get("code") == "BN"
    assert a.findtext("own") == "1"
    assert a.findtext("description") == row["description"]
    assert a.findtext("place") == row["place"]
    for tag in ("start", "end", "closing"):
        assert a.find(tag).get("iso") == row[tag]
        assert a.findtext(tag) == fr_date(row[tag])
    assert a.findtext("capacity") == "10"
    assert a.findtext("remaining") == "10"
    opts = a.findall("options/option")
    assert len(opts) == 1
    o = opts[0]
    assert o.get("id") == "1"
    assert o.findtext("label") == "Atelier gourmand"
    price = o.find("beneficiary/price")
    assert price.get("cents") == "3000"
    assert price.text == "30,00\u00a0€"
    part = o.find("beneficiary/participation")
    assert (part.get("cents"), part.text) == ("1000", "10,00\u00a0€")
    assert (o.find("guest/price").get("cents"), o.findtext("guest/price")) == ("4000",
                                                                                "40,00\u00a0€")
    assert (o.find("guest/participation").get("cents"),
            o.findtext("guest/participation")) == ("0", "0,00\u00a0€")
    assert a.find("register").attrib == {"href": "/activite/1/inscription"}


def test_activite_options_match_the_database(member, server, sql):
    for activity_id in (3, 14, 27, 35, 44):
        a = get_xml(member, server, f"/activite/{activity_id}").find("activite")
        rows = sql("SELECT id, label, price_beneficiary, participation_beneficiary, "
                   "price_guest, participation_guest FROM activity_option "
                   "WHERE activity_id = ? ORDER BY position, id", (activity_id,))
        got = [(int(o.get("id")), o.findtext("label"),
                int(o.find("beneficiary/price").get("cents")),
                int(o.find("beneficiary/participation").get("cents")),
                int(o.find("guest/price").get("cents")),
                int(o.find("guest/participation").get("cents")))
               for o in a.findall("options/option")]
        assert got == rows
        for o in a.findall("options/option"):
            for p in o.iter():
                if p.get("cents") is not None:
                    assert p.text == euros(int(p.get("cents")))


def test_closed_and_other_cmcas_activite(member, server):
    a = get_xml(member, server, "/activite/20").find("activite")
    assert a.get("open") == "0"
    assert a.find("register") is None
    assert a.find("options") is not None and a.findall("options/option") == []
    a = get_xml(member, server, "/activite/41").find("activite")
    assert a.findtext("own") == "0"
    assert a.find("organiser").get("code") == "TOURAINE"
    assert a.get("mode") == "tour_de_role"


# ----------------------------------------------------------------------------------
# informations, compte, erreur


def test_informations_document(member, server, sql):
    root = get_xml(member, server, "/mes-informations")
    hh = root.find("informations/household")
    row = sql("SELECT login, email, phone, street, postcode, city FROM household "
              "WHERE id = 1")[0]
    assert (hh.get("login"), hh.get("email"), hh.get("phone")) == row[:3]
    assert (hh.findtext("street"), hh.findtext("postcode"), hh.findtext("city")) == row[3:]
    persons = hh.findall("person")
    expected = {pid: (role, f, l, b) for pid, role, f, l, b in
                sql("SELECT id, role, first_name, last_name, birth_date FROM person "
                    "WHERE household_id = 1")}
    assert {int(p.get("id")) for p in persons} == set(expected) == {1, 2, 3, 4}
    assert persons[0].get("role") == "OD"
    for p in persons:
        role, f, l, b = expected[int(p.get("id"))]
        assert p.get("role") == role
        assert (p.findtext("first-name"), p.findtext("last-name")) == (f, l)
        assert (p.find("birth").get("iso"), p.findtext("birth")) == (b, fr_date(b))


def test_compte_document(member, server):
    root = get_xml(member, server, "/mon-compte")
    assert root.find("compte") is not None
    assert len(root.find("compte")) == 0


@pytest.mark.parametrize("path, status, title", [
    ("/activite/99999", 404, "Page introuvable"),
    ("/?page=0", 400, "Requête invalide"),
    ("/inconnu", 404, "Page introuvable"),
])
def test_erreur_document(member, server, path, status, title):
    root = get_xml(member, server, path, status=status)
    e = root.find("erreur")
    assert e.get("status") == str(status)
    assert e.findtext("title") == title
    assert e.findtext("message")


def test_method_not_allowed_document(server):
    r = server.raw("POST", "/", headers=XML, body=b"")
    assert r.status == 405
    assert xml_doc(r.body).find("erreur").get("status") == "405"


# ----------------------------------------------------------------------------------
# Well-formedness whatever the input


@pytest.mark.parametrize("q", ["<>&\"'", "]]>", "&#1;", "\U0001F3BF ski", "a\tb",
                               "« Gestes & postures »"])
def test_query_text_round_trips(member, server, q):
    cat = get_xml(member, server, "/", {"q": q}).find("catalogue")
    assert cat.get("q") == q


@pytest.mark.parametrize("raw", ["%01abc", "%0Bx", "%1Fx", "%EF%BF%BEx"])
def test_control_characters_never_break_the_xml_view(server, raw):
    r = server.raw("GET", "/?q=" + raw, headers=XML)
    assert r.status == 400
    xml_doc(r.body)         # raises if not well-formed
