"""The HTTP surface of a running portal (issue 13): TRACE never echoes, the portal's
absolute URLs never come from the Host header, and every response carries the security
headers, HTML with no inline code. On the test server (Basic authentication) and on the
demo (conf/demo/httpd.conf.in as shipped)."""

import datetime
import os
import re
import socket
import struct
import zlib

import pytest
import requests

from cmcas_httpd import BN_BLOCK, DEMO_PASSWORD, REPO, DemoHttpd, CmcasHttpd
from cmcas_pages import parse_html
from test_7_helpers import cheap_hash
from test_8_helpers import Flow
from test_10_helpers import BN_STAFF, STAFF_SECTIONS, TOURAINE_BLOCK, staff_token
from test_12_helpers import HOSTILE_HOST, header_problems, inline_code

KEYS = os.path.join(REPO, "tests", "gateway", "keys")
PUBLIC = "https://activites.cmcas-bn.example"
NOTIFY_OPEN = "<Location /paiement/notification>\n    Require all granted\n</Location>"

# An operator's redirects inside the portal: Apache makes a path absolute itself.
REDIRECTS = ("Redirect /ancienne-page /activite/1\n"
             "Redirect /ailleurs https://www.example.org/page")

CMCAS_SERVER = {"sections": STAFF_SECTIONS, "extra": NOTIFY_OPEN + "\n" + REDIRECTS}
EVIL = {"Host": HOSTILE_HOST}


def member(login="gael.classen"):
    s = requests.Session()
    s.auth = (login, DEMO_PASSWORD)
    s.headers["Accept"] = "text/html"
    return s


def token(s, url):
    return re.search(r'name="csrf" value="([^"]+)"', s.get(url).text).group(1)


def no_evil(resp):
    """Nothing of the response names the hostile host (headers and body)."""
    text = " ".join(f"{k}: {v}" for k, v in resp.headers.items())
    assert HOSTILE_HOST not in text, text
    assert HOSTILE_HOST not in resp.text, resp.text[:2000]


def raw_request(srv, data, timeout=30):
    """Bytes sent as they are; (status, headers dict, body text)."""
    with socket.create_connection((srv.host, srv.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            b = sock.recv(65536)
            if not b:
                break
            chunks.append(b)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = requests.structures.CaseInsensitiveDict(
        tuple(line.split(": ", 1)) for line in lines[1:] if ": " in line)
    return status, headers, body.decode("utf-8", "replace")


# ----------------------------------------------------------------------------------
# TRACE


@pytest.mark.parametrize("path,auth", [("/", True), ("/", False), ("/activite/1", True),
                                       ("/static/cmcas.css", False), ("/connexion", False),
                                       ("/paiement/notification/paybox/BN", False),
                                       ("/gestion/", False)])
def test_trace_is_refused_without_echo(server, path, auth):
    r = server.raw("TRACE", path, headers={"X-Secret": "s3cr3t-echo", "Cookie": "k=c00kie"},
                   auth=("gael.classen", DEMO_PASSWORD) if auth else None)
    assert r.status == 405
    assert "TRACE" not in r.getheader("Allow", "") and "GET" in r.getheader("Allow", "")
    assert "s3cr3t-echo" not in r.text and "c00kie" not in r.text
    assert "message/http" not in (r.getheader("Content-Type") or "")
    assert not header_problems(dict(r.getheaders()), f"TRACE {path}")


def test_shipped_configurations_turn_trace_off():
    for path in ("conf/demo/httpd.conf.in", "conf/cmcas.conf"):
        with open(os.path.join(REPO, path), encoding="utf-8") as f:
            assert re.search(r"^\s*#?\s*TraceEnable Off\s*$", f.read(), re.M), path


# ----------------------------------------------------------------------------------
# The public URL: never the Host header


def reset_registrations(sql):
    for t in ("cmcas_audit", "cmcas_invoice_line", "cmcas_invoice", "cmcas_order_payment",
              "cmcas_outbox", "cmcas_order_notice", "cmcas_order_event", "cmcas_order_line",
              "cmcas_order", "registration_event", "registration_option",
              "registration_person", "registration"):
        sql(f"DELETE FROM {t}")
    sql("UPDATE activity SET places_taken = 0")


def test_post_redirect_is_the_server_name_not_the_host(server, sql):
    reset_registrations(sql)
    s = member()
    path = "/activite/1/inscription"
    tok = token(s, server.url(path))
    r = s.post(server.url(path), data={"csrf": tok, "action": "ajouter", "personne": "1"},
               headers=EVIL, allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    # No CMCASPortalURL here: ServerName (127.0.0.1) and the port of the connection.
    assert r.headers["Location"].startswith(server.url("/activite/1/inscription"))
    no_evil(r)
    reset_registrations(sql)


def test_origin_may_be_the_public_one_behind_a_proxy(server, sql):
    """A proxy that rewrites Host: the browser's Origin is the public origin."""
    reset_registrations(sql)
    s = member()
    path = "/activite/1/inscription"
    tok = token(s, server.url(path))
    r = s.post(server.url(path), data={"csrf": tok, "action": "ajouter", "personne": "1"},
               headers={"Host": "backend.internal:8080", "Origin": server.base_url},
               allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    r = s.post(server.url(path), data={"csrf": tok, "action": "ajouter", "personne": "1"},
               headers={"Origin": "http://" + HOSTILE_HOST}, allow_redirects=False)
    assert r.status_code == 403
    reset_registrations(sql)


def paybox_block(portal_url):
    return BN_BLOCK.replace("</CMCAS>", f"""\
    CMCASOnlinePayment On
    CMCASGateway paybox https://bank.example/cgi/MYchoix_pagepaiement.cgi
    CMCASPayboxAccount 1999888 32 107904482
    CMCASPayboxKeyFile {KEYS}/paybox-test-hmac.key
    CMCASPayboxPublicKeyFile {KEYS}/simulator-public.pem
    CMCASCGV /cgv
    {f"CMCASPortalURL {portal_url}" if portal_url else ""}
</CMCAS>""") + TOURAINE_BLOCK


def systempay_block():
    return BN_BLOCK.replace("</CMCAS>", f"""\
    CMCASOnlinePayment On
    CMCASGateway systempay https://bank.example/vads-payment/
    CMCASSystempayAccount 12345678 TEST
    CMCASSystempayKeyFile {KEYS}/systempay-test.key
    CMCASCGV /cgv
</CMCAS>""") + TOURAINE_BLOCK


PAYBOX_AT_START = [r"CMCAS81: <CMCAS BN> \(.*\) takes Paybox payments without "
                   r"CMCASPayboxDirect"]


@pytest.fixture(scope="module")
def paybox_server(make_server):
    srv = make_server("paybox", sections={"cmcas": paybox_block(PUBLIC + "/")},
                      extra=NOTIFY_OPEN + "\n" + REDIRECTS, expect_at_start=PAYBOX_AT_START)
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    return srv


@pytest.fixture(scope="module")
def systempay_server(make_server):
    srv = make_server("systempay", sections={"cmcas": systempay_block()}, extra=NOTIFY_OPEN)
    srv.sql("UPDATE household SET password = ?", (cheap_hash(),))
    return srv


def validate(flow):
    """Flow.validate without following the redirects (they may name a public URL that
    does not resolve here)."""
    srv, s, path = flow.srv, flow.s, "/activite/1/inscription"
    flow.redirects = []
    flow.tok = token(s, srv.url(path))
    for data in ({"personne": "1"}, {"personne": "invite", "invite-nom": "PETIT",
                                     "invite-prenom": "Michel",
                                     "invite-naissance": "12/03/1971"}):
        r = s.post(srv.url(path), data={"csrf": flow.tok, "action": "ajouter", **data},
                   headers=EVIL, allow_redirects=False)
        assert r.status_code == 303, r.text[:500]
        flow.redirects.append(r)
    ids = [str(r[0]) for r in srv.sql("SELECT id FROM registration_person ORDER BY id")]
    data = {"csrf": flow.tok, "action": "valider", "participant": ids}
    data.update({"options-" + i: "1" for i in ids})
    assert s.post(srv.url(path), data=data, allow_redirects=False).status_code == 303
    flow.reg = srv.sql("SELECT id FROM registration")[0][0]


def bank_form(srv):
    """A registration validated, then « Payer avec CB » posted with Host: evil.example:
    (the 303 of the validation, the page « banque », its hidden fields)."""
    reset_registrations(srv.sql)
    flow = Flow(srv, None)
    validate(flow)
    r = flow.s.post(srv.url(f"/mes-inscriptions/{flow.reg}/paiement"),
                    data={"csrf": flow.tok, "methode": "cb1", "cgv": "1"},
                    headers=EVIL, allow_redirects=False)
    assert r.status_code == 200, r.text[:500]
    form = parse_html(r.text).find("form", id="banque")
    fields = {i.attrs["name"]: i.attrs["value"] for i in form.find_all("input")
              if i.attrs.get("type") == "hidden"}
    return flow, r, fields


def test_paybox_urls_are_the_configured_portal_url(paybox_server):
    flow, r, f = bank_form(paybox_server)
    no_evil(r)
    for kind in ("effectue", "refuse", "annule", "attente"):
        assert f["PBX_" + kind.upper()] == f"{PUBLIC}/paiement/retour/paybox/BN/{kind}"
    assert f["PBX_REPONDRE_A"] == f"{PUBLIC}/paiement/notification/paybox/BN"
    # The module's redirects there too (POST -> 303): CMCASPortalURL's origin.
    for r in flow.redirects:
        assert r.headers["Location"].startswith(PUBLIC + "/activite/1/inscription")
        no_evil(r)


def test_systempay_urls_are_the_server_name(systempay_server):
    flow, r, f = bank_form(systempay_server)
    no_evil(r)
    for redirect in flow.redirects:
        assert redirect.headers["Location"].startswith(systempay_server.url("/activite/1/"))
        no_evil(redirect)
    urls = {k: v for k, v in f.items() if k.startswith("vads_url_")}
    assert urls, f
    for name, url in urls.items():
        assert url.startswith(systempay_server.url("/paiement/")), (name, url)


def test_apache_redirects_are_on_the_public_origin(server, paybox_server):
    """A `Redirect` to a path inside the portal: Apache makes it absolute with the Host
    header (UseCanonicalName Off); the module puts it on the portal's public origin
    (ServerName here, CMCASPortalURL there), with a French page. A redirect to another
    site is the operator's: kept."""
    for srv, origin in ((server, server.base_url), (paybox_server, PUBLIC)):
        for method, headers in (("GET", EVIL), ("HEAD", EVIL), ("GET", {})):
            r = requests.request(method, srv.url("/ancienne-page?x=1"), headers=headers,
                                 allow_redirects=False)
            assert r.status_code == 302, (method, r.text[:500])
            assert r.headers["Location"] == origin + "/activite/1?x=1", (method, headers)
            no_evil(r)
            assert not header_problems(r.headers, "redirect")
        page = parse_html(r.text)
        assert page.find("html").attrs["lang"] == "fr"
        assert page.find("title").text == "Page déplacée"
        assert page.find("a", href=origin + "/activite/1?x=1")
        r = requests.get(srv.url("/ailleurs"), headers=EVIL, allow_redirects=False)
        assert (r.status_code, r.headers["Location"]) == (302, "https://www.example.org/page")


def test_a_virtual_host_without_name_cannot_take_payments(server):
    """Online payment, the portal in a <VirtualHost> with no ServerName and no
    CMCASPortalURL: apachectl -t fails and says what to set."""
    vhost = "<VirtualHost 127.0.0.1:{port}>\n    CMCASPortal BN\n</VirtualHost>"
    for suffix, block, ok in (("vhost-no-name", paybox_block(None), False),
                              ("vhost-portal-url", paybox_block(PUBLIC + "/"), True)):
        srv = CmcasHttpd(f"test_1200_http_hardening-{suffix}", sections={
            "cmcas": block, "portal": ""}, load_demo=False)
        srv.extra = vhost.format(port=srv.port)
        rc, out = srv.config_test()
        if ok:
            assert rc == 0, out
        else:
            assert rc != 0 and "CMCAS201" in out and "CMCASPortalURL" in out, out
    # A vhost with its ServerName is enough.
    srv = CmcasHttpd("test_1200_http_hardening-vhost-named", sections={
        "cmcas": paybox_block(None), "portal": ""}, load_demo=False)
    srv.extra = (f"<VirtualHost 127.0.0.1:{srv.port}>\n    ServerName activites.example\n"
                 "    CMCASPortal BN\n</VirtualHost>")
    rc, out = srv.config_test()
    assert rc == 0, out


# ----------------------------------------------------------------------------------
# Security headers on every response, HTML without inline code


def png_bytes():
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes(x * 40 % 256 for x in range(9)) for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def check(resp, what, problems, status=None):
    if status is not None and resp.status_code != status:
        problems.append(f"{what}: status {resp.status_code}, expected {status}")
    problems += header_problems(resp.headers, f"{what} ({resp.status_code})")
    if "html" in resp.headers.get("Content-Type", ""):
        problems += [f"{what}: {p}" for p in inline_code(resp.text)]


def paid_invoice(server, sql):
    """Gael CLASSEN's order paid at the desk: its reference (an invoice exists)."""
    reset_registrations(sql)
    flow = Flow(server, None)
    flow.validate()
    r = flow.s.post(server.url(f"/mes-inscriptions/{flow.reg}/paiement"),
                    data={"csrf": flow.tok, "cgv": "1", "methode": "cmcas"},
                    allow_redirects=False)
    assert r.status_code == 303
    ref = re.search(r"/mes-commandes/([A-Z]{9})", r.headers["Location"]).group(1)
    bn = member(BN_STAFF[0])
    r = bn.post(server.url(f"/gestion/commande/{ref}/paiement"),
                data={"csrf": staff_token(bn, server), "moyen": "cheque", "montant": "70,00",
                      "date": datetime.date.today().strftime("%d/%m/%Y"), "note": "n° 1"},
                allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    return ref


def test_every_response_of_the_test_server(server, sql):
    problems = []
    s, bn, anon = member(), member(BN_STAFF[0]), requests.Session()
    pages = ["/", "/?theme=CULTURE", "/?q=gourmand", "/activite/1", "/activite/1/inscription",
             "/mes-inscriptions", "/mes-commandes", "/mes-informations", "/mes-adresses"]
    for path in pages:
        check(s.get(server.url(path)), path, problems, 200)
        check(s.get(server.url(path), headers={"Accept": "application/xml"}), path + " xml",
              problems, 200)
    check(anon.get(server.url("/connexion")), "/connexion", problems, 200)
    check(anon.get(server.url("/gestion/connexion")), "/gestion/connexion", problems)
    for path in ("/conditions-utilisation", "/cgv/BN"):
        check(s.get(server.url(path)), path, problems)
    for path in ("/static/cmcas.css", "/static/cmcas.js"):
        check(anon.get(server.url(path)), path, problems, 200)
    # Errors: the module's and Apache's own.
    check(anon.get(server.url("/static/absent.css")), "static 404", problems, 404)
    check(s.get(server.url("/absent")), "module 404", problems, 404)
    r = server.raw("GET", "/?q=%zz", headers={"Accept": "text/html"})
    assert r.status == 400
    problems += header_problems(dict(r.getheaders()), "bad query (400)")
    problems += [f"bad query: {p}" for p in inline_code(r.text)]
    check(s.put(server.url("/mes-inscriptions"), data="x"), "PUT", problems, 405)
    check(anon.get(server.url("/")), "no credentials", problems, 401)
    check(s.post(server.url("/mes-informations"), data={"csrf": "x"}), "bad csrf",
          problems, 403)
    for what, data in (("bad header", b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"),
                       ("long URI", b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
                       ("bad request line", b"GET\x01/ HTTP/1.1\r\nHost: x\r\n\r\n")):
        status, headers, body = raw_request(server, data)
        assert status in (400, 414), (what, status)
        problems += header_problems(headers, f"{what} ({status})")
    # The back-office, a CSV, an image, a PDF.
    check(bn.get(server.url("/gestion/")), "/gestion/", problems, 200)
    check(bn.get(server.url("/gestion/activite/1")), "/gestion/activite/1", problems, 200)
    check(bn.get(server.url("/gestion/activite/1/inscriptions.csv")), "csv", problems, 200)
    tok = staff_token(bn, server, "/gestion/activite/1")
    r = bn.post(server.url("/gestion/activite/1/image"), data={"csrf": tok},
                files={"image": ("p.png", png_bytes(), "image/png")}, allow_redirects=False)
    check(r, "image upload 303", problems, 303)
    image = sql("SELECT image FROM activity WHERE id = 1")[0][0]
    assert image, "no image stored"
    check(bn.get(server.url("/gestion/" + image)), "staff image", problems, 200)
    check(s.get(server.url("/" + image)), "member image", problems, 200)
    ref = paid_invoice(server, sql)
    r = s.get(server.url(f"/mes-commandes/{ref}/facture.pdf"))
    assert r.content.startswith(b"%PDF")
    check(r, "pdf", problems, 200)
    check(s.get(server.url(f"/mes-commandes/{ref}")), "order page", problems, 200)
    sql("UPDATE activity SET image = NULL WHERE id = 1")
    reset_registrations(sql)
    assert not problems, "\n".join(problems)


def test_error_documents_of_the_operator(make_server):
    """ErrorDocument pages Apache serves inside the portal (a local page through an
    internal redirect, a text) carry the headers too."""
    srv = make_server("errordoc", extra="\n".join([
        NOTIFY_OPEN, 'ErrorDocument 404 /static/cmcas.css',
        'ErrorDocument 401 "Connectez-vous."', 'ErrorDocument 403 "Interdit."']))
    problems = []
    check(requests.get(srv.url("/static/absent.css")), "ErrorDocument 404 (page)", problems,
          404)
    r = requests.get(srv.url("/mes-inscriptions"))
    check(r, "ErrorDocument 401 (text)", problems, 401)
    assert "Connectez-vous." in r.text
    r = requests.get(srv.url("/paiement/notification/paybox/BN?Mt=1"))
    check(r, "ErrorDocument 403 (text)", problems, 403)
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------------
# The demo, as shipped


@pytest.fixture(scope="module")
def demo(start_server):
    return start_server(DemoHttpd("test_1200_http_hardening-demo"))


def demo_login(demo):
    s = requests.Session()
    r = s.post(demo.url("/connexion/valider"), allow_redirects=False, timeout=30,
               data={"httpd_username": "gael.classen", "httpd_password": DEMO_PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/", r.headers
    return s


def test_demo_trace_and_login_redirects(demo, expect_log):
    # mod_auth_form's own line for a wrong password (fail2ban reads it): Apache's, kept.
    expect_log(r"\[auth_form:error\].*AH01807: user 'gael.classen': authentication failure")
    for path in ("/", "/connexion", "/static/cmcas.css", "/gestion/"):
        r = demo.raw("TRACE", path, headers={"X-Secret": "s3cr3t-echo"}, auth=None)
        assert r.status == 405 and "s3cr3t-echo" not in r.text, (path, r.status)
        assert "TRACE" not in r.getheader("Allow", "")
    anon = requests.Session()
    r = anon.get(demo.url("/mes-inscriptions"), headers=EVIL, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == "/connexion"
    no_evil(r)
    r = anon.post(demo.url("/connexion/valider"), headers=EVIL, allow_redirects=False,
                  data={"httpd_username": "gael.classen", "httpd_password": "wrong"})
    assert r.status_code == 302 and r.headers["Location"] == "/connexion?erreur=1"
    no_evil(r)
    # A module redirect: CMCASPortalURL's origin (http://localhost:<port>).
    s = demo_login(demo)
    path = "/activite/1/inscription"
    tok = token(s, demo.url(path))
    # The cookie by hand: requests matches cookies against the Host header.
    evil = dict(EVIL, Cookie="cmcas_session=" + s.cookies["cmcas_session"])
    r = requests.post(demo.url(path), data={"csrf": tok, "action": "ajouter",
                                            "personne": "1"},
                      headers=evil, allow_redirects=False)
    assert r.status_code == 303, (r.status_code, r.headers)
    assert r.headers["Location"].startswith(f"http://localhost:{demo.port}{path}")
    no_evil(r)


def test_every_response_of_the_demo(demo, expect_log):
    problems = []
    anon, s = requests.Session(), demo_login(demo)
    for path in ("/connexion", "/connexion?erreur=1", "/gestion/connexion",
                 "/conditions-utilisation", "/cgv/BN", "/cgv.html", "/static/cmcas.css",
                 "/static/cmcas.js"):
        check(anon.get(demo.url(path)), path, problems, 200)
    check(anon.get(demo.url("/"), allow_redirects=False), "login redirect", problems, 302)
    check(anon.get(demo.url("/static/absent.css")), "static 404", problems, 404)
    check(anon.get(demo.url("/paiement/notification/paybox/BN?Mt=1")), "bad notification",
          problems, 403)
    for path in ("/", "/activite/1", "/activite/1/inscription", "/mes-inscriptions",
                 "/mes-commandes", "/mes-informations", "/mes-adresses", "/absent"):
        check(s.get(demo.url(path)), path, problems)
    check(s.put(demo.url("/"), data="x"), "PUT", problems, 405)
    for what, data in (("bad header", b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"),
                       ("long URI", b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")):
        status, headers, body = raw_request(demo, data)
        assert status in (400, 414), (what, status)
        problems += header_problems(headers, f"{what} ({status})")
    assert not problems, "\n".join(problems)


def test_stylesheets_have_no_inline_code():
    """The XSLT stylesheets write no inline script, style or event handler."""
    found = []
    for root, _, files in os.walk(os.path.join(REPO, "xslt")):
        for name in files:
            if not name.endswith(".xsl"):
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                text = f.read()
            for m in re.finditer(r'<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+="|\sstyle="|'
                                 r'javascript:|<xsl:attribute name="(on[a-z]+|style)"', text):
                found.append(f"{name}: {m.group(0)}")
    assert not found, found
