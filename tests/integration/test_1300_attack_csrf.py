"""Attacks (issue 13): cross-site request forgery on every state-changing form, members'
and back-office's, and the POST-only actions asked by another method.

The forms are listed once (FORMS below) and the list is checked against the routes of
the module's sources and against docs/http-interface.md: a POST route added to either
without being listed here fails the test. For each form: no token, an empty one,
another user's, an expired one, a tampered one, a valid token with the Origin of another
site -> 403; then the same post with the page's own token passes the check (the
attacks were refused for the token, not for the body). A POST-only action asked by GET,
HEAD, PUT or DELETE -> 405 with `Allow: POST`; a form page asked by PUT or DELETE -> 405.
After every refusal the whole database is as it was (test_13_helpers.dump). Both engines.
"""

import os
import re
from urllib.parse import urlencode

import pytest

from cmcas_httpd import REPO
from test_7_helpers import Db
from test_13_helpers import (ATTACK_SERVER, BN_STAFF, GAEL, MARTINE, T_STAFF, cheap_passwords,
                             desk_order, diff, dump, empty_writable, forge, now, session,
                             staff_token, today_fr, validated_registration, page_token)

CMCAS_SERVER = ATTACK_SERVER
EVIL = "http://evil.example"

# (route as documented, side, kind, body builder). kind: "form" (GET shows it, POST
# changes), "action" (POST only). A body is what a real page would post, with what the
# attacker wants (ctx: the ids the world fixture made).
FORMS = [
    ("/mes-informations", "member", "form",
     lambda c: {"email": "pirate@evil.example", "telephone": "0611111111"}),
    ("/mes-adresses", "member", "form",
     lambda c: {"rue1": "1 rue du Pirate", "rue2": "", "code_postal": "75001",
                "ville": "Paris", "pays": ""}),
    ("/activite/{id}/inscription", "member", "form",
     lambda c: {"action": "ajouter", "personne": "2"}),
    ("/mes-inscriptions/{id}/renoncer", "member", "action", lambda c: {}),
    ("/mes-inscriptions/{id}/paiement", "member", "form",
     lambda c: {"cgv": "1", "methode": "cmcas", "remplace": c["ref"]}),
    ("/mes-commandes/{ref}", "member", "form", lambda c: {"action": "annuler"}),
    ("/gestion/commande/{ref}/paiement", "staff", "action",
     lambda c: {"moyen": "especes", "montant": "70,00", "date": today_fr(), "note": "x"}),
    ("/gestion/commande/{ref}/remboursement", "staff", "action",
     lambda c: {"moyen": "especes", "date": today_fr(), "note": "x"}),
    ("/gestion/activite/{id}/tirage/lancer", "staff", "action", lambda c: {}),
    ("/gestion/activite/{id}/tirage/publier", "staff", "action", lambda c: {}),
    ("/gestion/inscription/{id}/annuler", "staff", "action",
     lambda c: {"motif": "annulée par un pirate"}),
    ("/gestion/inscription/{id}/modifier", "staff", "form",
     lambda c: {"participant": [str(p) for p in c["persons"]], "motif": "pirate",
                "retirer-%d" % c["persons"][-1]: "1"}),
    ("/gestion/activites/nouvelle", "staff", "form",
     lambda c: {"theme": "CULTURE", "title": "Piège", "description": "x", "place": "x",
                "start_date": "10/01/2030", "end_date": "11/01/2030",
                "closing_date": "01/01/2030", "capacity": "20", "mode": "immediat",
                "option.1.label": "Entrée", "option.1.price_beneficiary": "1",
                "option.1.participation_beneficiary": "0",
                "option.1.price_guest": "1", "option.1.participation_guest": "0"}),
    ("/gestion/activite/{id}", "staff", "form",
     lambda c: {"theme": "LOISIR", "title": "Titre piraté", "capacity": "1"}),
    ("/gestion/activite/{id}/publier", "staff", "action", lambda c: {"action": "depublier"}),
    ("/gestion/activite/{id}/image", "staff", "action", None),     # multipart
]
# Posted without a member or staff, and signed by the bank instead (test_1340).
BANK = {"/paiement/notification/{gateway}/{CMCAS}"}


def concrete(route, ctx):
    """The route with the world's ids: the registration of activity 1 for a member's
    registration pages and the staff's, activity 2 (a « tour de rôle ») for the draw,
    activity 1 for the activity's own forms."""
    rid = ctx["draw_reg"] if route.endswith("/renoncer") else ctx["reg"]
    aid = 2 if "/tirage/" in route else 1
    if route.startswith("/mes-inscriptions/") or route.startswith("/gestion/inscription/"):
        return route.replace("{id}", str(rid))
    return route.replace("{id}", str(aid)).replace("{ref}", ctx["ref"])


# ----------------------------------------------------------------------------------
# The list is the module's


def c_source(name):
    with open(os.path.join(REPO, "mod_cmcas", name), encoding="utf-8") as f:
        return f.read()


def member_routes():
    """{route: post} of mod_cmcas_pages_route: 0 GET only, 1 GET and POST, 2 POST only."""
    src = c_source("mod_cmcas_pages.c")
    body = src[src.index("mod_cmcas_pages_route(const char"):]
    body = body[:body.index("\n}\n")]
    out = {}
    post, current, prefix = 0, None, None
    for line in body.splitlines():
        if re.match(r"    (if|else if)\b", line):
            post, current = 0, None
        cand = None
        m = re.search(r'mod_cmcas_pages_path_id\(path, "([^"]+)"', line)
        if m:
            prefix = current = m.group(1) + "{id}"
        m = re.search(r'strn?cmp\(path, "([^"]+)"', line)
        if m:
            current = m.group(1) + ("{ref}" if "reference_ok" in line else
                                    "{invoice}" if "invoice_kind" in line else "")
        m = re.search(r'strcmp\(rest, "([^"]+)"', line)
        if m:
            cand = prefix + m.group(1)
        if "!*rest" in line:
            cand = prefix
        m = re.search(r"\*ppost = (\d)", line)
        if m:
            post = int(m.group(1))
        if "return MOD_CMCAS_PAGES_" in line and "PAGES_NONE" not in line:
            out[cand or current] = post
    return out


def staff_routes():
    """{route: post} of mod_cmcas_staff_route's table and literals."""
    src = c_source("mod_cmcas_staff.c")
    out = {}
    for m in re.finditer(r'\{"(/[^"]+)", "([^"]*)", mod_cmcas_staff_\w+, ([0-3])\}', src):
        out["/gestion" + m.group(1) + "{id}" + m.group(2)] = int(m.group(3))
    for m in re.finditer(r'mod_cmcas_staff_desk_ref\(path, "([^"]+)"\)', src):
        out["/gestion/commande/{ref}" + m.group(1)] = 2 if "route->post = 2" in src else -1
    for m in re.finditer(r'strcmp\(path, "([^"]+)"\)\) \{\s*route->fn = \w+;\s*'
                         r'route->post = ([0-3])', src):
        out["/gestion" + m.group(1)] = int(m.group(2))
    return out


def test_every_post_route_of_the_sources_is_listed():
    """Each route of the module's sources that takes a post has its row in FORMS, and
    the right kind (a form page, or a POST-only action): a new one fails here."""
    routes = dict(member_routes(), **staff_routes())
    assert "/mes-informations" in routes and "/activite/{id}/inscription" in routes \
        and "/gestion/activite/{id}/image" in routes, routes
    found = {r: ("action" if p >= 2 else "form") for r, p in routes.items() if p}
    assert found == {r: kind for r, _, kind, _ in FORMS}


def test_every_documented_post_is_listed():
    with open(os.path.join(REPO, "docs", "http-interface.md"), encoding="utf-8") as f:
        doc = f.read()
    documented = set()
    for m in re.finditer(r"^\| `(?:GET,)?POST (/[^`]*)`", doc, re.M):
        documented.add(m.group(1))
    assert documented - BANK == {r for r, *_ in FORMS}


# ----------------------------------------------------------------------------------
# The world: an order waiting at the desk, a « tour de rôle » request


@pytest.fixture(scope="module")
def db(server):
    cheap_passwords(server)
    return Db(server)


@pytest.fixture
def world(server, db):
    empty_writable(server)
    db.reset()      # the activities as loaded (a control may have changed one)
    s = session(GAEL)
    reg, tok = validated_registration(server, s)
    ref = desk_order(server, s, reg, tok)
    draw_reg, _ = validated_registration(server, s, activity=2, guest=None)
    persons = [r[0] for r in server.sql("SELECT id FROM registration_person WHERE "
                                        "registration_id = ? ORDER BY id", (reg,))]
    ctx = {"reg": reg, "ref": ref, "draw_reg": draw_reg, "persons": persons, "gael": s}
    yield ctx
    s.close()


def tokens(server, side, ctx):
    """The attacker's candidate tokens: (name, token or None)."""
    if side == "member":
        login = GAEL
        with session(MARTINE) as m:
            other = page_token(m, server.url("/mes-informations"))
        good = page_token(ctx["gael"], server.url("/mes-informations"))
    else:
        login = BN_STAFF[0]
        with session(*T_STAFF) as t:
            other = staff_token(t, server)
        with session(*BN_STAFF) as b:
            good = staff_token(b, server)
    stamp, mac = good.split(".")
    flipped = mac[:-1] + ("0" if mac[-1] != "0" else "1")
    return [
        ("missing", None),
        ("empty", ""),
        ("another user's", other),
        ("a member's on staff / staff's on a member" , None if side == "member" else
         page_token(ctx["gael"], server.url("/mes-informations"))),
        ("expired (13 h)", forge(server, login, now() - 13 * 3600)),
        ("from the future", forge(server, login, now() + 3600)),
        ("tampered mac", f"{stamp}.{flipped}"),
        ("tampered stamp", "%x.%s" % (int(stamp, 16) - 1, mac)),
        ("truncated", good[:-8]),
    ], good


def send(server, side, path, body, token, headers=None, method="POST"):
    """The post as a browser would send it, logged in as the side's user."""
    s = session(GAEL) if side == "member" else session(*BN_STAFF)
    try:
        if body is None:    # the image: multipart/form-data
            data = {} if token is None else {"csrf": token}
            files = {"image": ("a.png", PNG, "image/png")}
            return s.request(method, server.url(path), data=data, files=files,
                             headers=headers or {}, allow_redirects=False, timeout=30)
        data = dict(body)
        if token is not None:
            data["csrf"] = token
        # as a browser posts a form, even an empty one
        hdrs = {"Content-Type": "application/x-www-form-urlencoded"}
        hdrs.update(headers or {})
        return s.request(method, server.url(path), data=urlencode(data, doseq=True),
                         headers=hdrs, allow_redirects=False, timeout=30)
    finally:
        s.close()


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082")


@pytest.mark.parametrize("route,side,kind,body", FORMS, ids=[f[0] for f in FORMS])
def test_forged_posts_are_refused_and_change_nothing(server, world, expect_log, route, side,
                                                     kind, body):
    expect_log(r"CMCAS31: form refused", must_appear=False)
    path = concrete(route, world)
    fields = body(world) if body else None
    bad, good = tokens(server, side, world)
    before = dump(server)
    for name, token in bad:
        if name.startswith("a member's") and token is None:
            continue
        r = send(server, side, path, fields, token)
        assert r.status_code == 403, (name, r.status_code, r.text[:800])
        assert diff(before, dump(server)) == {}, name
    r = send(server, side, path, fields, good, headers={"Origin": EVIL})
    assert r.status_code == 403, ("Origin", r.status_code, r.text[:800])
    assert diff(before, dump(server)) == {}
    # The same post with the page's token and the site's own Origin passes the check.
    r = send(server, side, path, fields, good, headers={"Origin": server.base_url})
    assert r.status_code not in (403, 405, 500), (r.status_code, r.text[:800])


@pytest.mark.parametrize("route,side,kind,body", FORMS, ids=[f[0] for f in FORMS])
def test_other_methods_are_405_and_change_nothing(server, world, route, side, kind, body):
    path = concrete(route, world)
    fields = body(world) if body else None
    _, good = tokens(server, side, world)
    before = dump(server)
    methods = ("GET", "HEAD", "PUT", "DELETE", "PATCH") if kind == "action" \
        else ("PUT", "DELETE", "PATCH")
    for method in methods:
        r = send(server, side, path, fields, good, method=method)
        assert r.status_code == 405, (method, r.status_code, r.text[:500])
        allow = {m.strip() for m in r.headers.get("Allow", "").split(",")}
        assert "POST" in allow, (method, r.headers)
        if kind == "action":
            assert allow == {"POST"}, (method, r.headers)
        else:
            assert {"GET", "HEAD"} <= allow
        assert diff(before, dump(server)) == {}, method
