"""What every page says to assistive technologies and to someone lost (issue 15): the
language, a title that says where one is (unique per page type), one h1 and headings in
order; the errors of a refused form announced (a summary with role=alert linking to the
fields) and tied to their fields (aria-invalid, aria-describedby naming the message); the
error pages (400, 403, 404, 405, 409, 413, 503) in the site's layout, in French, each with
a sentence saying what to do next and a link to go on; those Apache writes itself inside
the portal (a header it refuses, 401, a missing static file, 414) in French too. Both
engines."""

import collections
import re

import pytest
import requests

from cmcas_httpd import server_without_database
from cmcas_pages import parse_html
from test_10_helpers import BN_STAFF, STAFF_SECTIONS, XML, staff_session, staff_token
from test_1010_staff_activity import NEW, browser_fields

CMCAS_SERVER = {"sections": STAFF_SECTIONS}
SITE = "CMCAS Berry-Nivernais"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def bn(server):
    with staff_session(BN_STAFF) as s:
        yield s


def headings(doc):
    return [int(n.tag[1]) for n in doc.find("main").iter() if re.fullmatch(r"h[1-6]", n.tag)]


def check_semantics(doc, where):
    """lang fr, a title ending with the CMCAS's name, one h1 first, no level skipped."""
    assert doc.find("html").attrs.get("lang") == "fr", where
    title = doc.find("title").text
    assert title.endswith(" — " + SITE) and len(title) > len(SITE) + 3, (where, title)
    levels = headings(doc)
    assert levels.count(1) == 1 and levels[0] == 1, (where, levels)
    for a, b in zip(levels, levels[1:]):
        assert b <= a + 1, (where, levels)
    # the skip link leads to <main>, which can take the focus
    assert doc.find("a", cls="skip-link").attrs["href"] == "#contenu", where
    assert doc.find("main").attrs.get("tabindex") == "-1", where
    return title


MEMBER_PAGES = ["/", "/?theme=SPORT", "/?q=atelier", "/?onglet=autres", "/activite/1",
                "/activite/1/inscription", "/mes-inscriptions", "/mon-compte",
                "/mes-informations", "/mes-adresses", "/mes-commandes",
                "/activite/99999"]
STAFF_PAGES = ["/gestion/", "/gestion/commandes", "/gestion/activites/nouvelle",
               "/gestion/activite/1", "/gestion/activite/1/inscriptions",
               "/gestion/activite/2/tirage", "/gestion/journal", "/gestion/activite/99999"]


def test_titles_language_and_headings(server, member, bn):
    titles = {}
    for path in MEMBER_PAGES:
        r = member.get(server.url(path))
        assert r.status_code == (404 if "99999" in path else 200), path
        titles[path] = check_semantics(parse_html(r.text), path)
    r = requests.get(server.url("/connexion"), timeout=30)
    titles["/connexion"] = check_semantics(parse_html(r.text), "/connexion")
    for path in STAFF_PAGES:
        r = bn.get(server.url(path))
        assert r.status_code == (404 if "99999" in path else 200), path
        titles[path] = check_semantics(parse_html(r.text), path)
        assert " — Gestion — " in titles[path], path
    # one title per page type: the user knows where they are from the tab alone
    dups = [t for t, n in collections.Counter(titles.values()).items() if n > 1]
    assert not dups, [(p, t) for p, t in titles.items() if t in dups]
    # the context is in it (the activity, the theme, the search)
    assert titles["/activite/1/inscription"].startswith("Inscription — Atelier gourmand — ")
    assert titles["/?theme=SPORT"].startswith("SPORT — Nos activités — ")
    assert titles["/?q=atelier"].startswith("Recherche « atelier » — Nos activités — ")
    assert titles["/gestion/activite/1"].startswith("Activité 1 — Atelier gourmand — Gestion")


# ----------------------------------------------------------------------------------
# Forms: the errors announced and tied to their fields


@pytest.mark.parametrize("path, current", [("/gestion/activite/1/inscriptions", "Inscriptions"),
                                           ("/gestion/activite/2/tirage", "Tour de rôle")])
def test_back_office_breadcrumb_leads_back_to_the_activity(server, bn, sql, path, current):
    """An activity's registrations and draw say whose they are and lead back to it."""
    aid = int(path.split("/")[3])
    title = sql("SELECT title FROM activity WHERE id = ?", (aid,))[0][0]
    crumbs = parse_html(bn.get(server.url(path)).text).find("nav", cls="breadcrumb")
    assert [(a.text, a.attrs["href"]) for a in crumbs.find_all("a")] == \
        [("Tableau de bord", "/gestion/"), (title, f"/gestion/activite/{aid}")]
    assert crumbs.find("li", **{"aria-current": "page"}).text == current


def check_field_errors(doc, fields):
    """The summary (role=alert) links to each field in `fields`, whose input is
    aria-invalid and described by the message shown next to it."""
    summary = doc.find("div", cls="error-summary")
    assert summary is not None and summary.attrs["role"] == "alert"
    links = {a.attrs["href"]: a.text for a in summary.find_all("a")}
    for fid in fields:
        assert f"#{fid}" in links, (fid, links)
        field = doc.find(id=fid)
        assert field.attrs.get("aria-invalid") == "true", fid
        described = field.attrs["aria-describedby"].split()
        assert f"{fid}-erreur" in described, described
        for ref in described:
            assert doc.find(id=ref) is not None, ref
        assert doc.find(id=f"{fid}-erreur").text == links[f"#{fid}"]
    # the others are not said to be invalid
    invalid = {n.attrs["id"] for n in doc.iter() if n.attrs.get("aria-invalid") == "true"}
    assert invalid == set(fields)


def csrf(s, url):
    return re.search(r'name="csrf" value="([^"]+)"', s.get(url).text).group(1)


def test_address_errors_are_tied_to_their_fields(server, member):
    url = server.url("/mes-adresses")
    r = member.post(url, data={"csrf": csrf(member, url), "rue1": "", "code_postal": "18OOO",
                             "ville": "Bourges", "pays": ""}, allow_redirects=False)
    assert r.status_code == 400, r.text[:1000]
    doc = parse_html(r.text)
    check_field_errors(doc, ["rue1", "code_postal"])
    assert doc.find(id="code_postal").attrs["aria-describedby"].split()[0] == \
        "code_postal-aide"


def test_contact_errors_are_tied_to_their_fields(server, member):
    url = server.url("/mes-informations")
    r = member.post(url, data={"csrf": csrf(member, url), "email": "pas-un-email",
                             "telephone": "02 48 65 43 21"}, allow_redirects=False)
    assert r.status_code == 400, r.text[:1000]
    check_field_errors(parse_html(r.text), ["email"])


def test_activity_form_errors_are_tied_to_their_fields(server, bn):
    doc = bn.get(server.url("/gestion/activites/nouvelle"), headers=XML)
    from xml.etree import ElementTree
    fields = browser_fields(ElementTree.fromstring(doc.content),
                            **dict(NEW, title="", **{"option.1.price_beneficiary": "x"}))
    r = bn.post(server.url("/gestion/activites/nouvelle"), data=fields,
                allow_redirects=False)
    assert r.status_code == 409, r.text[:2000]
    check_field_errors(parse_html(r.text), ["f-title", "f-option.1.price_beneficiary",
                                          "f-option.1.participation_beneficiary"])


def test_guest_errors_are_tied_to_their_fields(server, member):
    url = server.url("/activite/1/inscription")
    r = member.post(url, data={"csrf": csrf(member, url), "action": "ajouter",
                             "personne": "invite", "invite-nom": "PETIT",
                             "invite-prenom": "", "invite-naissance": "05/07/1975"},
                  allow_redirects=False)
    assert r.status_code == 400, r.text[:1000]
    check_field_errors(parse_html(r.text), ["invite-prenom"])


# ----------------------------------------------------------------------------------
# Error pages

NEXT = {
    400: "vérifiez l'adresse",
    403: "rechargez-la et recommencez",
    404: "Cette page n'existe pas ou plus",
    405: "passez par les liens et les boutons du site",
    409: "rien n'a été modifié",
    413: "raccourcissez-le et recommencez",
    503: "réessayez dans quelques minutes",
}


def check_error_page(text, status, staff=False):
    """The site's layout, French, a title, the status, the next step and its link."""
    doc = parse_html(text)
    check_semantics(doc, status)
    assert doc.find("span", cls="brand-name").text.startswith(SITE)
    assert doc.find("p", cls="error-status").text == f"Erreur {status}"
    assert NEXT[status] in doc.find("p", cls="error-next").text
    links = {a.text: a.attrs["href"] for a in doc.find("p", cls="error-actions")
             .find_all("a")}
    if staff:
        assert links["Revenir au tableau de bord"] == "/gestion/"
        assert " — Gestion — " in doc.find("title").text
    else:
        assert links["Revenir au catalogue"] == "/"
        assert SITE in doc.find("footer").text
    return doc, links


def test_member_error_pages(server, member, expect_log):
    # 400, 404, 405
    check_error_page(member.get(server.url("/?page=abc")).text, 400)
    check_error_page(member.get(server.url("/activite/99999")).text, 404)
    check_error_page(member.put(server.url("/")).text, 405)
    # 403: a form whose token has expired (or another site's)
    r = member.post(server.url("/mes-informations"), data={"csrf": "perime", "email": "x@y.fr"},
                  allow_redirects=False)
    assert r.status_code == 403
    check_error_page(r.text, 403)
    # 413: over 32 KiB
    r = server.raw("POST", "/mes-informations", headers=dict(FORM, Accept="text/html"),
                   body=b"email=" + b"a" * (40 * 1024))
    assert r.status == 413
    check_error_page(r.text, 413)


def test_back_office_error_pages(server, bn, sql):
    check_error_page(bn.get(server.url("/gestion/activite/99999")).text, 404, staff=True)
    r = bn.post(server.url("/gestion/activite/1/publier"), data={"csrf": "perime"},
                allow_redirects=False)
    assert r.status_code == 403
    check_error_page(r.text, 403, staff=True)
    # 409: publishing a draw not made yet
    sql("UPDATE activity SET draw_done_at = NULL, draw_published_at = NULL WHERE id = 2")
    r = bn.post(server.url("/gestion/activite/2/tirage/publier"),
                data={"csrf": staff_token(bn, server)}, allow_redirects=False)
    assert r.status_code == 409, r.text[:1000]
    check_error_page(r.text, 409, staff=True)


# Apache's own answers inside the portal (mod_cmcas_error_text.c): status, title, the
# request that gets it (the module's handler never sees them), a phrase of the text.
APACHE_OWN = [
    (400, "Requête invalide", lambda srv: srv.raw("GET", "/", headers={"X-Long": "a" * 20000}),
     "repartez de la page d'accueil"),
    (401, "Identification nécessaire", lambda srv: srv.raw("GET", "/mes-inscriptions",
                                                          auth=None),
     "votre identifiant et votre mot de passe"),
    (404, "Page introuvable", lambda srv: srv.raw("GET", "/static/absent.css"),
     "Cette page n'existe pas ou plus"),
    (414, "Adresse trop longue", lambda srv: srv.raw("GET", "/activite/" + "1" * 20000),
     "L'adresse demandée est trop longue"),
]


@pytest.mark.parametrize("status, title, ask, phrase", APACHE_OWN,
                         ids=[str(c[0]) for c in APACHE_OWN])
def test_apache_own_error_pages_are_french(server, expect_log, status, title, ask, phrase):
    expect_log(r"AH0056[15]|AH01618|AH01614|AH00128|request failed", must_appear=False)
    r = ask(server)
    assert r.status == status, r.text[:300]
    assert r.getheader("Content-Type").startswith("text/html")
    assert r.body.isascii()             # Apache declares it ISO-8859-1: entities only
    doc = parse_html(r.text)
    assert doc.find("html").attrs["lang"] == "fr"
    assert doc.find("title").text == title
    assert [h.text for h in doc.find_all("h1")] == [title]
    assert phrase in doc.find("main").text
    assert doc.find("main").find("a").attrs["href"] == "/"
    assert "Content-Security-Policy" in dict(r.getheaders())
    if status == 401:
        assert r.getheader("WWW-Authenticate", "").startswith("Basic ")


@pytest.fixture(scope="module")
def nodb(make_server):
    """A server whose database cannot be opened (as in test_300_errors)."""
    return server_without_database(make_server, "test_1600_page_semantics")


def test_unavailable_page_offers_to_try_again(nodb, expect_log):
    expect_log(r"\[cmcas:error\].*CMCAS11: no database connection")
    expect_log(r"\[dbd:error\].*AH00629: Can't connect to sqlite3", must_appear=False)
    r = nodb.raw("GET", "/activite/1?x=%C3%A9t%C3%A9", headers={"Accept": "text/html"})
    assert r.status == 503
    doc, links = check_error_page(r.text, 503)
    assert links["Réessayer"] == "/activite/1?x=%C3%A9t%C3%A9"


def test_desk_payment_refusal_is_tied_to_its_order(server, sql, bn):
    """A refused desk payment: the message (role=alert) links to the order's form, where
    it is repeated and describes the form's first field."""
    from test_10_helpers import desk_order, today_fr
    member, _, _, ref = desk_order(server, sql)
    member.close()
    r = bn.post(server.url(f"/gestion/commande/{ref}/paiement"),
                data={"csrf": staff_token(bn, server), "moyen": "cheque",
                      "montant": "soixante-dix", "date": today_fr()}, allow_redirects=False)
    assert r.status_code == 400, r.text[:500]
    doc = parse_html(r.text)
    alert = [p for p in doc.find_all("p", cls="alert-error") if p.attrs.get("role") == "alert"]
    assert len(alert) == 1
    link = alert[0].find("a")
    assert link.attrs["href"] == f"#commande-{ref}-erreur"
    near = doc.find(id=f"commande-{ref}-erreur")
    assert near is not None and near.text == link.text and "montant" in near.text
    assert doc.find(id=f"moyen-paiement-{ref}").attrs["aria-describedby"] == \
        f"commande-{ref}-erreur"
