"""Security and bad input on the registration form: the CSRF token (missing, another
user's, tampered, expired), the Origin, only POST changes state, a household reads and
changes only its own registrations, and malformed bodies. Each answers 400/403/404/405
(never 500), logs no error, and changes nothing in the database."""

import base64
import hashlib
import hmac
import http.client
import json
import time
import urllib.parse

import pytest

from cmcas_pages import xml_doc
from test_7_helpers import (Db, Member, GAEL, MARTINE, P_GAEL, P_AARON, P_MARTINE,
                            P_SOPHIE, participants)
from test_7_helpers import db, clean, gael, martine  # noqa: F401 (fixtures)


@pytest.fixture
def state(gael, martine, db):
    """gael: a draft on activity 1 (Gael with the option, Aaron without); martine: a
    validated registration on activity 1 (Martine with the option)."""
    g, a = gael.register(1, [P_GAEL, P_AARON], validate=False)
    gael.tick(1, {g: [1]})
    m = martine.register(1, [P_MARTINE], option=1)[0]
    return {"g": g, "a": a, "m": m, "reg_g": db.registration(1, 1)["id"],
            "reg_m": db.registration(1, 2)["id"]}


def base(gael, action="enregistrer"):
    """The fields of a valid post of gael's form on activity 1."""
    return gael.state(gael.ins(1)) + [("action", action)]


def encode(fields):
    return urllib.parse.urlencode(fields).encode()


def check_error(resp_status, root, status):
    assert resp_status == status
    assert root.get("name") == "erreur"
    assert root.find("erreur").get("status") == str(status)
    assert root.findtext("erreur/message")


def unchanged(db, server, body, status, ctype="application/x-www-form-urlencoded",
              path="/activite/1/inscription", headers=None, auth=None):
    """Posts a raw body as gael; checks the error document and that nothing changed."""
    before = db.snapshot()
    hdrs = {"Accept": "application/xml"}
    if ctype is not None:
        hdrs["Content-Type"] = ctype
    hdrs.update(headers or {})
    kw = {"auth": auth} if auth else {}
    r = server.raw("POST", path, headers=hdrs, body=body, **kw)
    assert r.status == status, (r.status, r.text[:1500])
    check_error(r.status, xml_doc(r.body), status)
    assert db.snapshot() == before
    return r


# ----------------------------------------------------------------------------------
# CSRF token


def forge(server, login, issued):
    """A token as the module makes it, with the server's secret (to make an expired or
    a future one: the tests can read the key, an attacker cannot)."""
    with open(server.secret_path, "rb") as f:
        key = f.read().rstrip(b"\r\n")
    hexstamp = "%x" % issued
    mac = hmac.new(key, f"{login}\n{hexstamp}".encode(), hashlib.sha256).hexdigest()
    return f"{hexstamp}.{mac}"


def with_token(fields, token):
    out = [(k, v) for k, v in fields if k != "csrf"]
    if token is not None:
        out.insert(0, ("csrf", token))
    return out


def test_the_form_carries_the_token(gael, state):
    doc = gael.html("/activite/1/inscription")
    form = doc.find("form", id="inscription-form")
    tokens = [i.attrs["value"] for i in form.find_all("input", name="csrf")]
    assert len(tokens) == 1
    issued, mac = tokens[0].split(".")
    assert abs(int(issued, 16) - time.time()) < 120


def test_a_forged_current_token_is_accepted(gael, server, state):
    """Sanity check of `forge`: the refusals below are about the token's content."""
    resp = gael.post(1, with_token(base(gael), forge(server, GAEL, int(time.time()))))
    assert resp.status == 303


def test_a_token_of_11_hours_is_still_accepted(gael, server, state):
    token = forge(server, GAEL, int(time.time()) - 11 * 3600)
    assert gael.post(1, with_token(base(gael), token)).status == 303


def bad_tokens(server, gael, martine):
    now = int(time.time())
    good = gael.token(1)
    issued, mac = good.split(".")
    flipped = mac[:-1] + ("0" if mac[-1] != "0" else "1")
    return {
        "missing": None,
        "empty": "",
        "of-another-user": martine.token(1),
        "timestamp-changed": "%x.%s" % (int(issued, 16) - 13 * 3600, mac),
        "timestamp-plus-one": "%x.%s" % (int(issued, 16) + 1, mac),
        "mac-changed": f"{issued}.{flipped}",
        "mac-truncated": f"{issued}.{mac[:-2]}",
        "uppercase": good.upper(),
        "no-dot": issued + mac,
        "garbage": "x" * 80,
        "expired-13h": forge(server, GAEL, now - 13 * 3600),
        "future-10min": forge(server, GAEL, now + 600),
        "other-login-signed": forge(server, MARTINE, now),
    }


BAD_TOKENS = ["missing", "empty", "of-another-user", "timestamp-changed",
              "timestamp-plus-one", "mac-changed", "mac-truncated", "uppercase", "no-dot",
              "garbage", "expired-13h", "future-10min", "other-login-signed"]


@pytest.mark.parametrize("action", ["ajouter", "valider", "annuler"])
@pytest.mark.parametrize("which", BAD_TOKENS)
def test_bad_token_is_forbidden(gael, martine, server, db, state, expect_log, which,
                                action):
    # At info and rate-limited (an outsider's doing: docs/operations.md, « Log levels »):
    # after a burst of refusals, the line may be left out.
    expect_log(r"\[cmcas:info\].*CMCAS31: form refused for user 'gael\.classen' on "
               r"/activite/1/inscription: (no token|invalid or expired token)",
               must_appear=False)
    token = bad_tokens(server, gael, martine)[which]
    fields = with_token(base(gael, action), token) + [("personne", "3")]
    before = db.snapshot()
    resp = gael.post(1, fields)
    check_error(resp.status, resp.root, 403)
    assert db.snapshot() == before


def test_forbidden_page_in_html(gael, db, state, expect_log):
    expect_log(r"CMCAS31: form refused for user 'gael\.classen'.*: no token",
               must_appear=False)
    before = db.snapshot()
    resp = gael.post(1, with_token(base(gael, "valider"), None), accept="text/html")
    assert resp.status == 403
    assert resp.html.find("p", cls="error-message").text == (
        "Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et "
        "recommencez : rien n'a été modifié.")
    assert db.snapshot() == before


def test_martine_token_cannot_change_her_registration_through_gael(gael, martine, db,
                                                                  state, expect_log):
    """The cross-site case: gael's browser posting a token made for martine."""
    expect_log(r"CMCAS31: form refused for user 'gael\.classen'.*invalid or expired",
               must_appear=False)
    before = db.snapshot()
    fields = martine.state(martine.ins(1)) + [("action", "annuler")]
    resp = gael.post(1, fields)
    assert resp.status == 403
    assert db.snapshot() == before


def test_two_tokens_are_a_malformed_post(gael, db, state, expect_log):
    expect_log(r"CMCAS31", must_appear=False)
    token = gael.token(1)
    before = db.snapshot()
    resp = gael.post(1, [("csrf", token)] + base(gael))
    assert db.snapshot() == before
    assert resp.status == 400


def test_two_tokens_change_nothing(gael, db, state, expect_log):
    expect_log(r"CMCAS31", must_appear=False)
    before = db.snapshot()
    resp = gael.post(1, [("csrf", gael.token(1))] + base(gael, "valider"))
    assert resp.status in (400, 403)
    assert db.snapshot() == before


# ----------------------------------------------------------------------------------
# Origin


def test_origin_of_another_site_is_forbidden(gael, db, state, expect_log):
    expect_log(r"CMCAS31: form refused for user 'gael\.classen'.*Origin of another site",
               must_appear=False)
    before = db.snapshot()
    for origin in ("http://evil.example", "https://127.0.0.1.evil.example",
                   "http://127.0.0.1:1"):
        resp = gael.post(1, base(gael, "valider"), headers={"Origin": origin})
        check_error(resp.status, resp.root, 403)
    assert db.snapshot() == before


def test_origin_of_this_site_is_accepted(gael, server, db, state):
    resp = gael.post(1, base(gael), headers={"Origin": server.base_url})
    assert resp.status == 303


# ----------------------------------------------------------------------------------
# Methods


def test_get_with_an_action_changes_nothing(gael, db, state):
    before = db.snapshot()
    token = gael.token(1)
    for query in (f"?action=valider&csrf={token}", f"?action=annuler&csrf={token}",
                  f"?action=ajouter&personne=3&csrf={token}",
                  f"?action=retirer-{state['g']}&csrf={token}"):
        gael.xml(f"/activite/1/inscription{query}")
        gael.html(f"/activite/1/inscription{query}")
    assert db.snapshot() == before


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_not_allowed(server, gael, db, state, method):
    before = db.snapshot()
    body = encode(base(gael, "annuler"))
    r = server.raw(method, "/activite/1/inscription", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/xml"})
    assert r.status == 405
    assert "POST" in r.getheader("Allow", "") and "GET" in r.getheader("Allow", "")
    assert db.snapshot() == before


@pytest.mark.parametrize("path", ["/activite/1", "/mes-inscriptions", "/mes-inscriptions/1",
                                  "/"])
def test_post_elsewhere_is_not_allowed(server, gael, db, state, path):
    before = db.snapshot()
    r = server.raw("POST", path, body=encode(base(gael, "annuler")), headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 405
    assert db.snapshot() == before


@pytest.mark.parametrize("path", ["/activite/45/inscription", "/activite/999/inscription",
                                  "/activite/39/inscription", "/activite/51/inscription"])
def test_post_to_an_activity_not_shown_is_not_found(server, gael, db, state, path):
    before = db.snapshot()
    r = server.raw("POST", path, body=encode(base(gael, "ajouter") + [("personne", "1")]),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 404
    assert db.snapshot() == before


@pytest.mark.parametrize("path", ["/activite/abc/inscription", "/activite/0/inscription",
                                  "/activite/1/inscription/x", "/activite//inscription"])
def test_post_to_a_path_that_is_no_page(server, gael, db, state, path):
    """GET answers 404 there; POST 405 (the method is checked first) or 404."""
    before = db.snapshot()
    r = server.raw("POST", path, body=encode(base(gael, "ajouter") + [("personne", "1")]),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status in (404, 405)
    assert db.snapshot() == before


def test_post_to_a_finished_activity_is_refused(gael, db, state):
    before = db.snapshot()
    resp = gael.post(38, [("csrf", gael.token(38)), ("action", "ajouter"),
                          ("personne", "1")])
    assert resp.status == 409 and "sont closes" in resp.ins.findtext("message")
    assert db.snapshot() == before


# ----------------------------------------------------------------------------------
# Only one's own household


def test_another_household_registration_is_not_found(gael, martine, state):
    gael.get(f"/mes-inscriptions/{state['reg_m']}", status=404)
    gael.get(f"/mes-inscriptions/{state['reg_m']}", accept="text/html", status=404)
    martine.get(f"/mes-inscriptions/{state['reg_g']}", status=404)
    martine.xml(f"/mes-inscriptions/{state['reg_m']}")
    ids = [i.get("id") for i in gael.xml("/mes-inscriptions").findall(
        "inscriptions/inscription")]
    assert ids == [str(state["reg_g"])]


def foreign_fields(gael, st):
    """Posts naming martine's participant or persons in gael's form."""
    m = st["m"]
    return {
        "retirer-foreign": base(gael, f"retirer-{m}"),
        "participant-foreign": base(gael) + [("participant", str(m))],
        "options-foreign": base(gael) + [(f"options-{m}", "1")],
        "options-foreign-listed": base(gael) + [("participant", str(m)),
                                                 (f"options-{m}", "1")],
        "photo-foreign": base(gael) + [(f"photo-{m}", "1")],
        "personne-other-household": base(gael, "ajouter") + [("personne", str(P_MARTINE))],
        "personne-other-cmcas": base(gael, "ajouter") + [("personne", str(P_SOPHIE))],
        "personne-unknown": base(gael, "ajouter") + [("personne", "4242")],
        "retirer-unknown": base(gael, "retirer-4242"),
        "participant-twice": base(gael) + [("participant", str(st["g"]))],
    }


@pytest.mark.parametrize("which", ["retirer-foreign", "participant-foreign",
                                   "options-foreign", "options-foreign-listed",
                                   "photo-foreign", "personne-other-household",
                                   "personne-other-cmcas", "personne-unknown",
                                   "retirer-unknown", "participant-twice"])
def test_other_households_ids_are_malformed(gael, martine, server, db, state, which):
    body = encode(foreign_fields(gael, state)[which])
    unchanged(db, server, body, 400)
    # martine's registration as it was
    ins = martine.ins(1)
    assert [(x["name"], x["options"], x["photo"], x["confirmed"]) for x in
            participants(ins)] == [("Martine DUPONT", [1], False, True)]


# ----------------------------------------------------------------------------------
# Malformed bodies


def test_wrong_content_types(gael, server, db, state):
    fields = base(gael, "valider")
    body = encode(fields)
    unchanged(db, server, body, 400, ctype="text/plain")
    unchanged(db, server, body, 400, ctype=None)
    unchanged(db, server, body, 400, ctype="application/x-www-form-urlencodedx")
    unchanged(db, server, json.dumps(dict(fields)).encode(), 400,
              ctype="application/json")
    boundary = "----cmcas7"
    multipart = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"'
                        f"\r\n\r\n{v}\r\n" for k, v in fields) + f"--{boundary}--\r\n"
    unchanged(db, server, multipart.encode(), 400,
              ctype=f"multipart/form-data; boundary={boundary}")
    # and the charset parameter is fine
    before = db.snapshot(updated_at=False)
    r = server.raw("POST", "/activite/1/inscription", body=encode(base(gael)), headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
    assert r.status == 303
    assert db.snapshot(updated_at=False) == before


def padded(fields, size):
    """`fields` plus pad fields (ignored) making a body of exactly `size` bytes."""
    body = encode(fields)
    out = body
    n = 0
    while len(out) < size:
        n += 1
        room = size - len(out) - len(f"&pad{n}=")
        out += f"&pad{n}=".encode() + b"a" * max(0, min(room, 7000))
    assert len(out) == size, (len(out), size)
    return out


def test_body_of_32_kib_passes_and_one_byte_more_does_not(gael, server, db, state):
    before = db.snapshot(updated_at=False)
    r = server.raw("POST", "/activite/1/inscription", body=padded(base(gael), 32 * 1024),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 303
    assert db.snapshot(updated_at=False) == before
    unchanged(db, server, padded(base(gael, "valider"), 32 * 1024 + 1), 413)
    unchanged(db, server, padded(base(gael, "valider"), 200 * 1024), 413)


def test_300_fields_pass_and_301_do_not(gael, server, db, state):
    fields = base(gael)
    r = server.raw("POST", "/activite/1/inscription",
                   body=encode(fields + [("z", "1")] * (300 - len(fields))),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 303
    fields = base(gael, "valider")
    unchanged(db, server, encode(fields + [("z", "1")] * (301 - len(fields))), 400)


def test_chunked_body_is_read(gael, server, db, state):
    """A body without Content-Length (chunked) is read like any other."""
    body = encode(base(gael, "valider"))
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        token = base64.b64encode(f"{GAEL}:demo2026".encode()).decode()
        conn.request("POST", "/activite/1/inscription", body=iter([body[:10], body[10:]]),
                     headers={"Authorization": f"Basic {token}",
                              "Content-Type": "application/x-www-form-urlencoded"},
                     encode_chunked=True)
        resp = conn.getresponse()
        resp.read()
    finally:
        conn.close()
    # Aaron has no option yet: the validation is refused, which proves the body was read
    assert resp.status == 409


def malformed(gael, st):
    g = st["g"]
    b = base(gael)
    add = base(gael, "ajouter")
    guest = [("personne", "invite"), ("invite-prenom", "Jean"),
             ("invite-naissance", "01/01/1980")]
    cases = {
        "two-actions": b + [("action", "valider")],
        "two-personne": add + [("personne", "3"), ("personne", "4")],
        "two-observations": b + [("observations", "x")],
        "two-photo": b + [(f"photo-{g}", "1"), (f"photo-{g}", "1")],
        "two-invite-nom": add + guest + [("invite-nom", "A"), ("invite-nom", "B")],
        "no-action": b[:-1],
        "no-personne": add,
        "option-of-activity-2": base(gael) + [(f"options-{g}", "2")],
        "option-of-activity-3": base(gael) + [(f"options-{g}", "3")],
        "photo-2": b + [(f"photo-{g}", "2")],
        "photo-on": b + [(f"photo-{g}", "on")],
        "name-201": add + guest + [("invite-nom", "N" * 201)],
        "observations-2001": [(k, v) for k, v in b if k != "observations"]
        + [("observations", "o" * 2001)],
    }
    for bad in ("supprimer", "VALIDER", "", "retirer-", "retirer-abc", "retirer-0",
                "retirer--1", "valider ", "retirer-1.0", "retirer-99999999999999999999"):
        cases[f"action={bad!r}"] = b[:-1] + [("action", bad)]
    for bad in ("-1", "0", "abc", "99999999999999999999", "1.0", "01", " 1", "1e3", "",
                "+1", "0x1"):
        cases[f"personne={bad!r}"] = add + [("personne", bad)]
        cases[f"participant={bad!r}"] = b + [("participant", bad)]
        cases[f"option={bad!r}"] = b + [(f"options-{g}", bad)]
        cases[f"options-{bad!r}"] = b + [(f"options-{bad}", "1")]
    return {k: encode(v) for k, v in cases.items()}


MALFORMED = (["two-actions", "two-personne", "two-observations", "two-photo",
              "two-invite-nom", "no-action", "no-personne", "option-of-activity-2",
              "option-of-activity-3", "photo-2", "photo-on", "name-201",
              "observations-2001"]
             + [f"action={b!r}" for b in ("supprimer", "VALIDER", "", "retirer-",
                                          "retirer-abc", "retirer-0", "retirer--1",
                                          "valider ", "retirer-1.0",
                                          "retirer-99999999999999999999")]
             + [f"{f}={b!r}" for b in ("-1", "0", "abc", "99999999999999999999", "1.0",
                                       "01", " 1", "1e3", "", "+1", "0x1")
                for f in ("personne", "participant", "option")]
             + [f"options-{b!r}" for b in ("-1", "0", "abc", "99999999999999999999",
                                           "1.0", "01", " 1", "1e3", "+1", "0x1")])


@pytest.mark.parametrize("which", MALFORMED)
def test_malformed_posts(gael, server, db, state, which):
    unchanged(db, server, malformed(gael, state)[which], 400)


RAW_BAD = {
    "invalid-utf8": "observations=%FF",
    "truncated-utf8": "observations=caf%C3",
    "overlong-utf8": "observations=%C0%AF",
    "surrogate": "observations=%ED%A0%80",
    "nul": "observations=a%00b",
    "control-01": "observations=a%01b",
    "escape-1b": "observations=%1B%5B31m",
    "xml-forbidden-fffe": "observations=%EF%BF%BE",
    "bad-escape": "observations=100%",
    "bad-escape-hex": "observations=%G1",
    "invalid-utf8-name": "invite-nom=%FF&personne=invite",
    "invalid-utf8-field-name": "obs%FF=1",
    "raw-byte": b"observations=\xff",
}


@pytest.mark.parametrize("which", sorted(RAW_BAD))
def test_invalid_text_is_refused(gael, server, db, state, which):
    extra = RAW_BAD[which]
    body = encode(base(gael, "ajouter" if "invite" in str(extra) else "enregistrer"))
    body = body + b"&" + (extra if isinstance(extra, bytes) else extra.encode())
    unchanged(db, server, body, 400)


def test_newlines_and_tabs_are_text(gael, db, state):
    gael.do(1, "enregistrer", observations="ligne 1\r\nligne 2\tfin")
    assert db.registration(1)["observations"].replace("\r\n", "\n") \
        == "ligne 1\nligne 2\tfin"


def test_bad_input_error_page_in_html(gael, db, state):
    before = db.snapshot()
    resp = gael.post(1, base(gael, "supprimer"), accept="text/html")
    assert resp.status == 400
    assert resp.html.find("p", cls="error-status").text == "Erreur 400"
    assert resp.html.find("p", cls="error-message").text == "Action inconnue."
    assert db.snapshot() == before
