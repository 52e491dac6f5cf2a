"""Attacks (issue 13): a household reaching another household's resources, a CMCAS's staff
reaching another CMCAS's, and ids that do not exist or are not ids.

The world (built once through the pages): Gael (BN) with a registration and an order
waiting at the desk; Martine (BN) with a registration paid at the desk (an invoice) and a
« tour de rôle » request; Sophie (TOURAINE) with a registration of a Touraine activity and
its desk order (payee TOURAINE). Every attack answers 404 — the same page as a path that
does not exist — by GET and by a post carrying the attacker's own valid token; malformed
ids answer 404 (or 400), never 500; and the whole database is as it was after each.
Both engines."""

import re

import pytest

from test_7_helpers import Db
from test_13_helpers import (ATTACK_SERVER, BN_STAFF, GAEL, MARTINE, SOPHIE, T_STAFF,
                             cheap_passwords, desk_order, diff, dump, empty_writable,
                             page_token, session, staff_token, today_fr,
                             validated_registration)

CMCAS_SERVER = ATTACK_SERVER
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def world(server):
    cheap_passwords(server)
    Db(server).reset()
    empty_writable(server)
    w = {}
    with session(GAEL) as g:
        w["reg_g"], tok = validated_registration(server, g)
        w["ref_g"] = desk_order(server, g, w["reg_g"], tok)
    with session(MARTINE) as m:
        w["reg_m"], tok = validated_registration(server, m, guest=None)
        w["ref_m"] = desk_order(server, m, w["reg_m"], tok)
        w["draw_m"], _ = validated_registration(server, m, activity=2, guest=None)
    with session(*BN_STAFF) as bn:
        r = bn.post(server.url(f"/gestion/commande/{w['ref_m']}/paiement"),
                    data={"csrf": staff_token(bn, server), "moyen": "especes",
                          "montant": "30,00", "date": today_fr()}, allow_redirects=False)
        assert r.status_code == 303, r.text[:1000]
    assert server.sql("SELECT count(*) FROM cmcas_invoice")[0][0] == 1
    with session(SOPHIE) as s:
        w["reg_s"], tok = validated_registration(server, s, activity=42, guest=None)
        w["ref_s"] = desk_order(server, s, w["reg_s"], tok)
    assert server.sql("SELECT cmcas_code FROM cmcas_order WHERE reference = ?",
                      (w["ref_s"],)) == [("TOURAINE",)]
    return w


def check_404(r, what):
    assert r.status_code == 404, (what, r.status_code, r.text[:600])
    # the same page as a path that does not exist: nothing of the resource shown
    assert "Page introuvable" in r.text, what


def attempt(server, s, path, token, what, post_fields=None):
    """GET, then a POST with the attacker's own valid token; both must be 404."""
    before = dump(server)
    r = s.get(server.url(path), allow_redirects=False, timeout=30)
    if r.status_code == 405:    # a POST-only action
        assert r.headers.get("Allow") == "POST", (what, r.headers)
    else:
        check_404(r, ("GET", what, path))
    fields = dict(post_fields or {}, csrf=token)
    r = s.post(server.url(path), data=fields, allow_redirects=False, timeout=30)
    if r.status_code == 405:    # a page that takes no post
        assert "POST" not in r.headers.get("Allow", ""), (what, r.headers)
    else:
        check_404(r, ("POST", what, path))
    assert diff(before, dump(server)) == {}, (what, path)


# ----------------------------------------------------------------------------------
# Another household's


MEMBER_TARGETS = [
    ("/mes-inscriptions/{reg}", {}),
    ("/mes-inscriptions/{reg}/paiement", {"cgv": "1", "methode": "cmcas"}),
    ("/mes-inscriptions/{draw}/renoncer", {}),
    ("/mes-commandes/{ref}", {"action": "annuler"}),
    ("/mes-commandes/{ref}/facture.pdf", {}),
    ("/mes-commandes/{ref}/avoir.pdf", {}),
]


@pytest.mark.parametrize("victim", ["martine (same CMCAS)", "sophie (another CMCAS)"])
@pytest.mark.parametrize("template,fields", MEMBER_TARGETS, ids=[t for t, _ in MEMBER_TARGETS])
def test_another_households_resources_are_404(server, world, victim, template, fields):
    v = "m" if victim.startswith("martine") else "s"
    path = template.format(reg=world["reg_" + v], ref=world["ref_" + v],
                           draw=world["draw_m"] if v == "m" else world["reg_s"])
    with session(GAEL) as g:
        tok = page_token(g, server.url("/mes-informations"))
        attempt(server, g, path, tok, victim, fields)


def test_the_victims_see_their_own(server, world):
    """The same paths work for their owners (the 404s above are about who asks)."""
    with session(MARTINE) as m:
        assert m.get(server.url(f"/mes-inscriptions/{world['reg_m']}")).status_code == 200
        assert m.get(server.url(f"/mes-commandes/{world['ref_m']}")).status_code == 200
        r = m.get(server.url(f"/mes-commandes/{world['ref_m']}/facture.pdf"))
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
    with session(SOPHIE) as s:
        assert s.get(server.url(f"/mes-commandes/{world['ref_s']}")).status_code == 200


@pytest.mark.parametrize("path", [
    "/activite/39", "/activite/39/inscription",          # not published
    "/activite/45", "/activite/45/inscription",          # Touraine's, reserved to it
    "/activite/50", "/activite/50/inscription",          # Limousin's, reserved
    "/activite/2/tirage.csv",                            # draw not published
])
def test_activities_a_member_may_not_see_are_404(server, world, path):
    with session(GAEL) as g:
        tok = page_token(g, server.url("/mes-informations"))
        before = dump(server)
        r = g.get(server.url(path), allow_redirects=False)
        check_404(r, path)
        r = g.post(server.url(path), data={"csrf": tok, "action": "ajouter",
                                           "personne": "1"}, allow_redirects=False)
        assert r.status_code in (404, 405), (path, r.status_code)
        assert diff(before, dump(server)) == {}


# ----------------------------------------------------------------------------------
# Another CMCAS's, from the back-office

STAFF_TARGETS = [
    ("/gestion/activite/{act}", {"title": "x"}),
    ("/gestion/activite/{act}/publier", {"action": "depublier"}),
    ("/gestion/activite/{act}/image", {}),
    ("/gestion/activite/{act}/inscriptions", {}),
    ("/gestion/activite/{act}/inscriptions.csv", {}),
    ("/gestion/activite/{act}/tirage", {}),
    ("/gestion/activite/{draw_act}/tirage/lancer", {}),
    ("/gestion/activite/{draw_act}/tirage/publier", {}),
    ("/gestion/inscription/{reg}/annuler", {"motif": "x"}),
    ("/gestion/inscription/{reg}/modifier", {"motif": "x"}),
    ("/gestion/commande/{ref}/paiement", {"moyen": "especes", "montant": "70,00",
                                          "date": today_fr()}),
    ("/gestion/commande/{ref}/remboursement", {"moyen": "especes", "date": today_fr()}),
]


@pytest.mark.parametrize("attacker", ["touraine on BN's", "bn on TOURAINE's"])
@pytest.mark.parametrize("template,fields", STAFF_TARGETS, ids=[t for t, _ in STAFF_TARGETS])
def test_another_cmcas_resources_are_404_for_staff(server, world, attacker, template,
                                                    fields):
    if attacker.startswith("touraine"):
        auth, ids = T_STAFF, {"act": 1, "draw_act": 2, "reg": world["reg_g"],
                              "ref": world["ref_g"]}
    else:
        auth, ids = BN_STAFF, {"act": 42, "draw_act": 41, "reg": world["reg_s"],
                               "ref": world["ref_s"]}
    path = template.format(**ids)
    with session(*auth) as s:
        attempt(server, s, path, staff_token(s, server), attacker, fields)


def test_members_get_nothing_of_the_back_office(server, world, expect_log):
    """A member's login and password are refused by Apache's /gestion (401), and the
    module would refuse them too (test_1000): no staff page is ever shown."""
    expect_log(r"AH01618: user gael\.classen not found")    # Apache's, not the module's
    with session(GAEL) as g:
        for path in ("/gestion/", "/gestion/activite/1/inscriptions.csv",
                     f"/gestion/commande/{world['ref_g']}/paiement"):
            r = g.get(server.url(path), allow_redirects=False)
            assert r.status_code in (401, 404, 405), (path, r.status_code)
            assert "Tableau de bord" not in r.text and "csrf" not in r.text


def test_the_picture_of_an_unpublished_activity_is_its_cmcas_staffs_only(server, world):
    """Activity 39 (BN) is not published: its picture, though its name is known (a
    SHA-256 of its bytes), is 404 to members and to another CMCAS's staff until it is."""
    from test_1010_staff_activity import png_bytes
    with session(*BN_STAFF) as bn:
        r = bn.post(server.url("/gestion/activite/39/image"),
                    data={"csrf": staff_token(bn, server)},
                    files={"image": ("a.png", png_bytes(seed=39), "image/png")},
                    allow_redirects=False)
        assert r.status_code == 303, r.text[:500]
        image = server.sql("SELECT image FROM activity WHERE id = 39")[0][0]
        assert image.startswith("image/")
        assert bn.get(server.url("/gestion/" + image)).status_code == 200
        before = dump(server)
        with session(GAEL) as g:
            check_404(g.get(server.url("/" + image)), "member, unpublished")
        with session(*T_STAFF) as t:
            check_404(t.get(server.url("/gestion/" + image)), "another CMCAS's staff")
        assert diff(before, dump(server)) == {}
        server.sql("UPDATE activity SET published_at = (SELECT published_at FROM activity "
                   "WHERE id = 1) WHERE id = 39")
        try:
            with session(GAEL) as g:
                r = g.get(server.url("/" + image))
                assert r.status_code == 200 and r.content.startswith(b"\x89PNG")
        finally:
            server.sql("UPDATE activity SET published_at = NULL, image = NULL WHERE id = 39")


# ----------------------------------------------------------------------------------
# Ids that are not ids

BAD_IDS = ["0", "00", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x1", "abc", "1a",
           "99999999999", "999999999999999", "9999999999999999", "9223372036854775807",
           "9223372036854775808", "18446744073709551617", "9" * 300, "%00", "1%00",
           "%C2%A0", "%EF%BC%91", "%FF", "%", "%zz", ";1", "1;x"]
BAD_REFS = ["AAAAAAAAA", "aaaaaaaaa", "AAAA", "A" * 10, "A" * 300, "AAAAAAAA%00",
            "AAAAAAAA1", "%C3%89AAAAAAAA", "%FF%FF", "%"]
MEMBER_ID_PAGES = ["/activite/{}", "/activite/{}/inscription", "/activite/{}/tirage.csv",
                   "/mes-inscriptions/{}", "/mes-inscriptions/{}/paiement",
                   "/mes-inscriptions/{}/renoncer"]
MEMBER_REF_PAGES = ["/mes-commandes/{}", "/mes-commandes/{}/facture.pdf",
                    "/mes-commandes/{}/avoir.pdf", "/image/{}.png"]
STAFF_ID_PAGES = [t.replace("{act}", "{}").replace("{draw_act}", "{}").replace("{reg}", "{}")
                  for t, _ in STAFF_TARGETS if "{ref}" not in t]
STAFF_REF_PAGES = [t.replace("{ref}", "{}") for t, _ in STAFF_TARGETS if "{ref}" in t] \
    + ["/gestion/image/{}.jpg"]


def probe(server, auth, pages, values, token):
    """Every page with every bad value, by GET and POST (raw: the bytes as written; dot
    segments are left out: Apache resolves them before any module, as it should)."""
    seen = set()
    for page in pages:
        for v in values:
            target = page.format(v).replace(" ", "%20")
            for method in ("GET", "POST"):
                r = server.raw(method, target, auth=auth,
                               headers=dict(FORM) if method == "POST" else {},
                               body=f"csrf={token}".encode() if method == "POST"
                               else None)
                assert r.status in (400, 404, 405), (method, target, r.status, r.text[:300])
                seen.add(r.status)
    return seen


def test_bad_ids_are_404_or_400_never_500(server, world, expect_log):
    from cmcas_httpd import DEMO_PASSWORD
    expect_log(r"AH10244: invalid URI path")     # Apache's own 400 for a bad %-escape
    with session(GAEL) as g:
        member = page_token(g, server.url("/mes-informations"))
    with session(*BN_STAFF) as bn:
        staff = staff_token(bn, server)
    before = dump(server)
    probe(server, (GAEL, DEMO_PASSWORD), MEMBER_ID_PAGES, BAD_IDS, member)
    probe(server, (GAEL, DEMO_PASSWORD), MEMBER_REF_PAGES, BAD_REFS, member)
    probe(server, BN_STAFF, STAFF_ID_PAGES, BAD_IDS, staff)
    probe(server, BN_STAFF, STAFF_REF_PAGES, BAD_REFS, staff)
    assert diff(before, dump(server)) == {}


def test_an_id_that_does_not_exist_is_the_same_404_as_anothers(server, world):
    """Not found and not yours read the same: the status and the message."""
    with session(GAEL) as g:
        a = g.get(server.url(f"/mes-commandes/{world['ref_m']}"))
        b = g.get(server.url("/mes-commandes/ZZZZZZZZZ"))
        assert a.status_code == b.status_code == 404

        def message(r):
            return re.search(r"<main.*</main>", r.text, re.S).group(0)
        assert message(a) == message(b)
