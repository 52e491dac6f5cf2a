"""The catalog (GET /): tabs, themes, keyword search, escaping, paging, badges.

Expected lists come from two sources that must agree with the pages: the facts written
in sql/demo/README.md (ids, counts), and a model of the rules of docs/http-interface.md
applied to the test database (cmcas_pages.Catalog)."""

import re
import pytest
import requests

from cmcas_httpd import DEMO_PASSWORD, cmcas_block, utc_day
from test_7_helpers import cheap_hash
from cmcas_pages import Catalog, parse_html, cards, main_text, fr_date, xml_doc

# Two more portals on the same server (name-based virtual hosts): TOURAINE, whose other
# tab lists BN's and LIMOUSIN's open activities, and VIDE, a CMCAS with no activity; and
# TOURAINE again as a <Location> portal (docs/directives.md: "each portal (a virtual
# host, or a <Location>)").
CMCAS_SERVER = {
    # Each portal serves the other's households too (CMCASWelcomeMembersOf): these
    # tests are of what such a member sees (test_1540: a portal that does not).
    "extra": cmcas_block("TOURAINE", "CMCAS Touraine").replace(
        "</CMCAS>", "    CMCASWelcomeMembersOf BN\n</CMCAS>")
    + cmcas_block("VIDE", "CMCAS Vide")
    + """
<VirtualHost *>
    ServerName localhost
</VirtualHost>
<VirtualHost *>
    ServerName touraine.test
    CMCASPortal TOURAINE
    CMCASPageSize 5
    CMCASNewDays 10
</VirtualHost>
<VirtualHost *>
    ServerName vide.test
    CMCASPortal VIDE
</VirtualHost>
<Location /touraine>
    CMCASPortal TOURAINE
</Location>
""",
}

BN_LISTED = set(range(1, 38))                     # README: 1-37 listed
OTHERS_LISTED = {41, 42, 43, 44, 46, 47, 48, 49}  # README: open to others, published
BN_CLOSED = {20, 26, 31, 34}
BN_NEW = {1, 2, 3, 5, 9, 12, 13, 17, 21, 24, 32, 33, 35}
THEME_COUNTS = {"CULTURE": 6, "FORMATION": 4, "LOISIR": 7, "SANTE-PREVOYANCE": 5,
                "SPORT": 6, "VIE-ORGANISME": 4, "VOYAGE-SEJOUR": 5}
THEME_LABELS = {"CULTURE": "CULTURE", "FORMATION": "FORMATION", "LOISIR": "LOISIR",
                "SANTE-PREVOYANCE": "SANTÉ-PRÉVOYANCE", "SPORT": "SPORT",
                "VIE-ORGANISME": "VIE DE L'ORGANISME", "VOYAGE-SEJOUR": "VOYAGE-SÉJOUR"}


@pytest.fixture(scope="module")
def catalog(sql):
    return Catalog(sql)


def get_page(member, server, params=None, host=None, status=200):
    headers = {"Host": host} if host else {}
    r = member.get(server.url("/"), params=params or {}, headers=headers)
    assert r.status_code == status, r.text[:2000]
    if status == 200:
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    return r, parse_html(r.text)


def all_cards(member, server, params=None, host=None):
    """Cards of every page of a listing, following the page count the first page gives."""
    params = dict(params or {})
    r, doc = get_page(member, server, params, host)
    out = cards(doc)
    x = xml_doc(member.get(server.url("/"), params=params,
                           headers={"Accept": "application/xml",
                                    **({"Host": host} if host else {})}).text)
    pages = int(x.find("catalogue").get("pages"))
    for n in range(2, pages + 1):
        _, d = get_page(member, server, {**params, "page": str(n)}, host)
        out += cards(d)
    return out


# ----------------------------------------------------------------------------------
# Tabs


def test_nos_activites_lists_the_portal_cmcas_activities(member, server, catalog):
    got = all_cards(member, server)
    ids = [c.id for c in got]
    assert set(ids) == BN_LISTED
    assert ids == catalog.tab("nos")
    assert len(ids) == len(set(ids)) == 37
    # never finished (38), unpublished (39, 40) nor another CMCAS's
    assert not {38, 39, 40} & set(ids)
    assert all(c.id < 41 for c in got)


def test_nos_activites_tab_is_the_default_and_is_marked(member, server):
    _, doc = get_page(member, server)
    _, doc2 = get_page(member, server, {"onglet": "nos"})
    assert [c.id for c in cards(doc)] == [c.id for c in cards(doc2)]
    tabs = doc.find("nav", cls="tabs")
    links = tabs.find_all("a")
    assert [a.text for a in links] == ["Nos activités",
                                       "Activités proposées dans d'autres CMCAS"]
    assert links[0].attrs.get("aria-current") == "page"
    assert "aria-current" not in links[1].attrs
    assert doc.find("title").text == "Nos activités — CMCAS Berry-Nivernais"


def test_autres_cmcas_tab_lists_open_activities_of_other_cmcas(member, server, catalog):
    got = all_cards(member, server, {"onglet": "autres"})
    ids = [c.id for c in got]
    assert set(ids) == OTHERS_LISTED
    assert ids == catalog.tab("autres")
    # 45 and 50 are not open to others, 51 is unpublished, 1-40 are BN's own
    assert not {45, 50, 51} & set(ids)
    for c in got:
        expected = "CMCAS Touraine" if c.id <= 46 else "CMCAS Limousin"
        assert c.node.find("li", cls="card-organiser").text == expected


def test_autres_cmcas_tab_title_and_marking(member, server):
    _, doc = get_page(member, server, {"onglet": "autres"})
    links = doc.find("nav", cls="tabs").find_all("a")
    assert links[1].attrs.get("aria-current") == "page"
    assert "aria-current" not in links[0].attrs
    assert doc.find("title").text.startswith("Activités proposées dans d'autres CMCAS")
    # the search form keeps the tab
    form = doc.find("form", cls="search")
    assert form.find("input", type="hidden", name="onglet").attrs["value"] == "autres"


@pytest.fixture(scope="module")
def touraine_member(server):
    """Sophie MARTIN, of CMCAS Touraine."""
    s = requests.Session()
    s.auth = ("sophie.martin", DEMO_PASSWORD)
    s.headers["Accept"] = "text/html"
    yield s
    s.close()


@pytest.fixture
def vide_member(server):
    """A household of CMCAS Vide, which has no activity."""
    server.sql("INSERT INTO cmcas (code, name) VALUES ('VIDE', 'CMCAS Vide')"
               " ON CONFLICT DO NOTHING")
    server.sql("INSERT INTO household (id, cmcas_code, login, password, email)"
               " VALUES (90, 'VIDE', 'vide.membre', ?, 'vide@example.org')"
               " ON CONFLICT DO NOTHING", (cheap_hash(),))
    server.sql("INSERT INTO person (id, household_id, role, last_name, first_name,"
               " birth_date) VALUES (90, 90, 'OD', 'VIDE', 'Marc', '1970-01-01')"
               " ON CONFLICT DO NOTHING")
    s = requests.Session()
    s.auth = ("vide.membre", DEMO_PASSWORD)
    s.headers["Accept"] = "text/html"
    yield s
    s.close()
    server.sql("DELETE FROM person WHERE id = 90")
    server.sql("DELETE FROM household WHERE id = 90")
    server.sql("DELETE FROM cmcas WHERE code = 'VIDE'")


def test_another_portal_sees_its_own_and_bn_open_activities(touraine_member, server, sql):
    member = touraine_member
    cat = Catalog(sql, portal="TOURAINE")
    own = [c.id for c in all_cards(member, server, host="touraine.test")]
    assert set(own) == {41, 42, 43, 44, 45, 46}     # 45 is its own, open or not
    assert own == cat.tab("nos")
    others = [c.id for c in all_cards(member, server, {"onglet": "autres"},
                                      host="touraine.test")]
    assert set(others) == {3, 16, 24, 36, 47, 48, 49}
    assert others == cat.tab("autres")
    _, doc = get_page(member, server, host="touraine.test")
    assert doc.find("span", cls="brand-name").text == "CMCAS Touraine"
    assert doc.find("p", cls="member-cmcas") is None


def test_a_member_of_another_cmcas_sees_their_own_cmcas_as_ours(touraine_member, member,
                                                                server, sql):
    """Sophie (Touraine) on the Berry-Nivernais portal: « Nos activités » are Touraine's
    (45 included, not open to others), the other tab BN's and Limousin's open ones; never
    Touraine's own as « proposées dans d'autres CMCAS ». And the other way round."""
    cat = Catalog(sql, portal="TOURAINE")
    own = [c.id for c in all_cards(touraine_member, server)]
    assert own == cat.tab("nos") and 45 in own
    others = [c.id for c in all_cards(touraine_member, server, {"onglet": "autres"})]
    assert others == cat.tab("autres") and not set(others) & {41, 42, 43, 44, 45, 46}
    _, doc = get_page(touraine_member, server)
    assert doc.find("span", cls="brand-name").text == "CMCAS Berry-Nivernais"
    note = doc.find("p", cls="member-cmcas")
    assert note is not None and "Vous êtes bénéficiaire de la CMCAS Touraine" in note.text
    # the portal's own activities keep their pages (a reserved one says so)
    assert touraine_member.get(server.url("/activite/3")).status_code == 200     # open
    assert touraine_member.get(server.url("/activite/1")).status_code == 200
    # Limousin's activity not open to others is not for her
    lim = sql("SELECT id FROM activity WHERE cmcas_code = 'LIMOUSIN' AND open_to_others = 0"
              " AND published_at IS NOT NULL LIMIT 1")
    if lim:
        assert touraine_member.get(server.url(f"/activite/{lim[0][0]}")).status_code == 404
    # Gael (BN) on the Touraine portal: BN's activities are his « Nos activités »
    bn = [c.id for c in all_cards(member, server, host="touraine.test")]
    assert bn == Catalog(sql).tab("nos")

def test_page_size_and_new_days_per_virtual_host(touraine_member, member, server, sql):
    """touraine.test sets CMCASPageSize 5 and CMCASNewDays 10; the others keep 12/15."""
    bn_member, member = member, touraine_member
    cat = Catalog(sql, portal="TOURAINE", new_days=10)
    r = member.get(server.url("/"), headers={"Host": "touraine.test",
                                             "Accept": "application/xml"})
    c = xml_doc(r.content).find("catalogue")
    assert (c.get("page-size"), c.get("pages"), c.get("total")) == ("5", "2", "6")
    _, doc = get_page(member, server, {"page": "2"}, host="touraine.test")
    assert [x.id for x in cards(doc)] == cat.tab("nos")[5:]
    got = all_cards(member, server, host="touraine.test")
    new = {x.id for x in got if x.new}
    assert new == {i for i in cat.tab("nos") if cat.is_new(cat.by_id[i])}
    assert 41 in new and 45 not in new      # published 7 and 10 days ago
    r = bn_member.get(server.url("/"), headers={"Accept": "application/xml"})
    assert xml_doc(r.content).find("catalogue").get("page-size") == "12"


def test_a_cmcas_without_activities_says_so(vide_member, server):
    member = vide_member
    _, doc = get_page(member, server, host="vide.test")
    assert cards(doc) == []
    assert "Aucune activité n'est proposée pour le moment." in main_text(doc)
    r = member.get(server.url("/"), headers={"Host": "vide.test",
                                             "Accept": "application/xml"})
    cat = xml_doc(r.text).find("catalogue")
    assert (cat.get("total"), cat.get("pages"), cat.findall("activity")) == ("0", "1", [])
    get_page(member, server, {"page": "2"}, host="vide.test", status=404)


# ----------------------------------------------------------------------------------
# Themes


@pytest.mark.parametrize("theme", sorted(THEME_COUNTS))
def test_theme_filter(member, server, catalog, theme):
    got = all_cards(member, server, {"theme": theme})
    ids = [c.id for c in got]
    assert len(ids) == THEME_COUNTS[theme]
    assert ids == catalog.tab("nos", theme=theme)
    for c in got:
        assert c.node.find("p", cls="card-theme").text == THEME_LABELS[theme]
    _, doc = get_page(member, server, {"theme": theme})
    selected = doc.find("nav", cls="themes").find_all("a", cls="selected")
    assert [a.text for a in selected] == [THEME_LABELS[theme]]
    assert f"Thème : {THEME_LABELS[theme]}" in doc.find("div", cls="filters").text
    assert doc.find("nav", cls="breadcrumb").find("li", aria_current="page").text \
        == THEME_LABELS[theme]


def test_theme_counts_add_up_to_the_whole_catalog():
    assert sum(THEME_COUNTS.values()) == len(BN_LISTED)


def test_theme_filter_on_the_other_tab(member, server, catalog):
    ids = [c.id for c in all_cards(member, server, {"theme": "SPORT", "onglet": "autres"})]
    assert sorted(ids) == [43, 47]
    assert ids == catalog.tab("autres", theme="SPORT")
    # the theme links keep the tab
    _, doc = get_page(member, server, {"onglet": "autres"})
    hrefs = [a.attrs["href"] for a in doc.find("nav", cls="themes").find_all("a")]
    assert hrefs and all(h.endswith("&onglet=autres") for h in hrefs)


def test_empty_theme_parameter_means_no_filter(member, server, catalog):
    _, doc = get_page(member, server, {"theme": "", "onglet": ""})
    assert [c.id for c in cards(doc)] == catalog.tab("nos")[:12]
    assert doc.find("div", cls="filters") is None


# ----------------------------------------------------------------------------------
# Keyword search


@pytest.mark.parametrize("q, must_find", [
    ("randonnee", {24, 37}),            # « Randonnée dans le Morvan », « randonnées »
    ("RANDONNÉE", {24, 37}),
    ("THÉÂTRE", {5}),                   # « Théâtre : "Le Malade imaginaire" »
    ("theatre", {5}),
    ("patisserie", {13}),               # « Stage de Pâtisserie »
    ("PÂTISSERIE macarons", {13}),
    ("randonnee morvan", {24, 37}),     # several words: all must match
    ("opera vichy", {4}),               # « Sortie à l'Opéra de Vichy »
    ("l'opéra", {4}),
    ("chef-d'œuvre", {6}),              # œ folds to oe
    ("SEJOUR", {3, 35, 37}),
])
def test_search_is_case_and_accent_insensitive(member, server, catalog, q, must_find):
    got = all_cards(member, server, {"q": q})
    ids = [c.id for c in got]
    assert must_find <= set(ids)
    assert ids == catalog.tab("nos", q=q)


@pytest.mark.parametrize("q", ["randonnee vassiviere", "morvan théâtre", "zzyzx"])
def test_search_every_word_must_match(member, server, catalog, q):
    _, doc = get_page(member, server, {"q": q})
    assert cards(doc) == [] == catalog.tab("nos", q=q)
    text = main_text(doc)
    assert "Aucune activité ne correspond à votre recherche." in text
    link = [a for a in doc.find("main").find_all("a") if a.text == "Voir toutes les activités"]
    assert link and link[0].attrs["href"] == "/?onglet=nos"


def test_search_on_the_other_tab(member, server, catalog):
    ids = [c.id for c in all_cards(member, server, {"q": "randonnée", "onglet": "autres"})]
    assert ids == [47] == catalog.tab("autres", q="randonnée")


def test_search_combined_with_theme(member, server, catalog):
    ids = [c.id for c in all_cards(member, server, {"q": "randonnee", "theme": "SPORT"})]
    assert ids == [24] == catalog.tab("nos", theme="SPORT", q="randonnee")


def test_blank_search_is_no_search(member, server, catalog):
    _, doc = get_page(member, server, {"q": "   "})
    assert [c.id for c in cards(doc)] == catalog.tab("nos")[:12]
    assert doc.find("div", cls="filters") is None


NASTY = [
    '"Le Malade imaginaire"',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '"; DROP TABLE activity; --',
    "%",
    "_",
    "%' OR '%'='",
    "'\"><img src=x onerror=alert(1)>",
    "Gestes & postures",
    "« Gestes »",
    "a&amp;b &lt;i&gt;",
]


@pytest.mark.parametrize("q", NASTY)
def test_search_text_is_escaped_and_harmless(member, server, catalog, sql, q):
    r, doc = get_page(member, server, {"q": q})
    # same results as the model (no SQL involved in the keywords)
    ids = [c.id for c in all_cards(member, server, {"q": q})]
    assert ids == catalog.tab("nos", q=q)
    # no markup made of the query: only the page's own elements
    # the only script is the site's own file (progressive enhancement), empty
    scripts = doc.find_all("script")
    assert [n.attrs.get("src", "").split("?")[0] for n in scripts] == ["/static/cmcas.js"]
    assert not scripts[0].raw_text.strip()
    assert len(doc.find_all("img")) == 1 + sum(1 for c in cards(doc)
                                               if c.node.find("img") is not None)
    assert not [n for n in doc.iter() if any(k.startswith("on") for k in n.attrs)]
    assert r.text.lower().count("<script") == 1
    # the search box shows exactly what was typed
    box = doc.find("input", id="q")
    assert box.attrs["value"] == q
    # so does the « filtered by » text
    chip = [s for s in doc.find("div", cls="filters").find_all("span", cls="chip")
            if s.text.startswith("Recherche")]
    assert len(chip) == 1
    assert chip[0].find("strong").text == f"« {' '.join(q.split())} »"
    # and the XML view carries it unchanged
    x = xml_doc(member.get(server.url("/"), params={"q": q},
                           headers={"Accept": "application/xml"}).content)
    assert x.find("catalogue").get("q") == q
    # the database is intact
    assert sql("SELECT count(*) FROM activity") == [(51,)]
    assert sql("SELECT count(*) FROM household") == [(4,)]


def test_search_links_carry_the_query_encoded(member, server):
    q = "a&b=c #d"
    _, doc = get_page(member, server, {"q": q, "theme": "CULTURE"})
    tabs = doc.find("nav", cls="tabs").find_all("a")
    assert tabs[1].attrs["href"] == "/?onglet=autres&theme=CULTURE&q=a%26b%3Dc%20%23d"


def test_two_hundred_byte_search_is_accepted(member, server):
    q = "é" * 100                       # 200 bytes of UTF-8
    r, doc = get_page(member, server, {"q": q})
    assert doc.find("input", id="q").attrs["value"] == q


# ----------------------------------------------------------------------------------
# Paging


def test_paging_through_the_catalog(member, server, catalog):
    expected = catalog.tab("nos")
    assert len(expected) == 37
    for n, size in [(1, 12), (2, 12), (3, 12), (4, 1)]:
        _, doc = get_page(member, server, {"page": str(n)})
        ids = [c.id for c in cards(doc)]
        assert len(ids) == size
        assert ids == expected[(n - 1) * 12:n * 12]
        assert doc.find("p", cls="result-count").text == f"37 activités — page {n} sur 4"
        nav = doc.find("nav", cls="pagination")
        current = nav.find("a", cls="current")
        assert current.text == f"Page {n}"
        prev = nav.find("a", rel="prev")
        nxt = nav.find("a", rel="next")
        assert (prev is None) == (n == 1)
        assert (nxt is None) == (n == 4)
        if nxt is not None:
            assert nxt.attrs["href"] == f"/?onglet=nos&page={n + 1}"


def test_paging_keeps_filters(member, server, catalog):
    _, doc = get_page(member, server, {"q": "e", "theme": "LOISIR"})
    assert [c.id for c in cards(doc)] == catalog.tab("nos", theme="LOISIR", q="e")
    _, doc = get_page(member, server, {"q": "de"})
    expected = catalog.tab("nos", q="de")
    assert len(expected) > 12
    nxt = doc.find("nav", cls="pagination").find("a", rel="next")
    assert nxt.attrs["href"] == "/?onglet=nos&q=de&page=2"
    _, doc2 = get_page(member, server, {"q": "de", "page": "2"})
    assert [c.id for c in cards(doc2)] == expected[12:24]


@pytest.mark.parametrize("params", [{"page": "5"}, {"page": "99999"},
                                    {"theme": "CULTURE", "page": "2"},
                                    {"onglet": "autres", "page": "2"},
                                    {"q": "zzyzx", "page": "2"}])
def test_page_past_the_end_is_not_found(member, server, params):
    r, doc = get_page(member, server, params, status=404)
    assert "Page introuvable" in doc.find("h1").text


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "+1", " 1", "1e1", "100001",
                                  "99999999999999999999"])
def test_bad_page_number_is_a_bad_request(member, server, page):
    r, doc = get_page(member, server, {"page": page}, status=400)
    assert doc.find("p", cls="error-message").text == "Numéro de page invalide."


def test_empty_result_has_page_one(member, server):
    r, doc = get_page(member, server, {"q": "zzyzx", "page": "1"})
    assert cards(doc) == []


# ----------------------------------------------------------------------------------
# Badges, states, card content


def test_nouveau_badge_exactly_on_recent_activities(member, server, catalog):
    got = all_cards(member, server)
    new = {c.id for c in got if c.new}
    assert new == BN_NEW
    assert new == {i for i in catalog.tab("nos") if catalog.is_new(catalog.by_id[i])}
    other = all_cards(member, server, {"onglet": "autres"})
    assert {c.id for c in other if c.new} == {41, 47}


def test_nouveau_follows_the_publication_date(member, server, sql):
    """Moving a publication date moves the badge: 14 days ago is new, 15 is not."""
    old = sql("SELECT published_at FROM activity WHERE id = 6")[0][0]
    try:
        sql("UPDATE activity SET published_at = ? WHERE id = 6", (utc_day(-14),))
        assert next(c for c in all_cards(member, server, {"theme": "CULTURE"})
                    if c.id == 6).new
        sql("UPDATE activity SET published_at = ? WHERE id = 6", (utc_day(-15),))
        assert not next(c for c in all_cards(member, server, {"theme": "CULTURE"})
                        if c.id == 6).new
        sql("UPDATE activity SET published_at = ? WHERE id = 6", (utc_day(),))
        assert next(c for c in all_cards(member, server, {"theme": "CULTURE"})
                    if c.id == 6).new
    finally:
        sql("UPDATE activity SET published_at = ? WHERE id = 6", (old,))


def test_closed_activities_are_marked_and_listed_last(member, server, catalog):
    got = all_cards(member, server)
    closed = {c.id for c in got if c.closed}
    assert closed == BN_CLOSED
    for c in got:
        assert ("Inscriptions closes" in c.badges) == (c.id in BN_CLOSED)
    assert {c.id for c in got[-4:]} == BN_CLOSED
    other = all_cards(member, server, {"onglet": "autres"})
    assert [c.id for c in other if c.closed] == [46]
    assert other[-1].id == 46


def test_card_shows_the_activity_facts(member, server, catalog):
    a = catalog.by_id[1]
    card = next(c for c in all_cards(member, server, {"theme": "LOISIR"}) if c.id == 1)
    assert card.title == "Atelier gourmand"
    assert card.node.find("p", cls="card-theme").text == "LOISIR"
    assert card.node.find("li", cls="card-organiser").text == "CMCAS Berry-Nivernais"
    facts = card.node.find("ul", cls="card-facts").text
    assert f"du {fr_date(a['start_date'])} au {fr_date(a['end_date'])}" in facts
    assert f"Clôture des inscriptions : {fr_date(a['closing_date'])}" in facts
    assert "Places restantes : 10" in facts
    assert card.node.find("img").attrs["src"] == "/static/img/atelier-gourmand.svg"
    tdr = next(c for c in all_cards(member, server, {"theme": "CULTURE"}) if c.id == 2)
    assert "Tour de rôle" in tdr.text
    assert "Tour de rôle" not in card.text


def test_remaining_places_come_from_the_database(member, server, sql):
    try:
        sql("UPDATE activity SET places_taken = 7 WHERE id = 2")
        card = next(c for c in all_cards(member, server, {"theme": "CULTURE"}) if c.id == 2)
        assert "Places restantes : 43" in card.text
    finally:
        sql("UPDATE activity SET places_taken = 0 WHERE id = 2")


def test_publishing_makes_an_activity_appear(member, server, sql, catalog):
    try:
        sql("UPDATE activity SET published_at = ? WHERE id = 39", (utc_day(),))
        got = all_cards(member, server, {"theme": "VOYAGE-SEJOUR"})
        assert 39 in [c.id for c in got]
        assert next(c for c in got if c.id == 39).new
    finally:
        sql("UPDATE activity SET published_at = NULL WHERE id = 39")
    assert 39 not in [c.id for c in all_cards(member, server, {"theme": "VOYAGE-SEJOUR"})]


def test_result_count_singular(member, server):
    _, doc = get_page(member, server, {"q": "patisserie"})
    assert doc.find("p", cls="result-count").text == "1 activité"


def test_portal_in_a_location(touraine_member, server, sql):
    member = touraine_member
    r = member.get(server.url("/touraine/"), headers={"Accept": "application/xml"})
    assert r.status_code == 200
    root = xml_doc(r.content)
    assert root.find("site/cmcas").get("code") == "TOURAINE"
    ids = [int(a.get("id")) for a in root.findall("catalogue/activity")]
    assert ids == Catalog(sql, portal="TOURAINE").tab("nos")
    assert root.get("base") == "/touraine"
    r = member.get(server.url("/touraine/activite/41"))
    assert r.status_code == 200
    # Every link of the page stays inside the portal (static files excepted).
    links = re.findall(r'(?:href|action)="(/[^"]*)"', r.text)
    assert links and all(l.startswith(("/touraine/", "/static/")) or l == "/touraine"
                         for l in links), links
    assert 'href="/touraine/activite/41/inscription"' in r.text
    r = member.get(server.url("/touraine-x/"))
    assert r.status_code == 404
