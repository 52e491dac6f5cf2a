"""Attacks (issue 13) on the server's resources: huge bodies, thousands of fields, very
long URLs and headers, many cookies. Each gets a clear 4xx answer (413, 414, 400, 405 —
never 500, never a hang), the httpd child's memory stays bounded (its RSS, read from
/proc, after hundreds of such requests), and nothing changes in the database. Slow
clients (slowloris) are test_910_slow_clients.py's and test_930_slow_form.py's.

One child process (one_process_mpm): the RSS measured is the one that served them all.
Both engines."""

import os
import socket
import time

import pytest

from cmcas_httpd import DEMO_PASSWORD, module_sanitized, one_process_mpm
from test_13_helpers import (ATTACK_SERVER, BN_STAFF, GAEL, STAFF_SECTIONS, cheap_passwords,
                             diff, dump, page_token, session, staff_token)
import base64

CMCAS_SERVER = dict(ATTACK_SERVER, sections=dict(STAFF_SECTIONS, mpm=one_process_mpm(8)))
FORM = "application/x-www-form-urlencoded"
MiB = 1024 * 1024


def basic(login=GAEL, password=DEMO_PASSWORD):
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


def child_pids(server):
    """The httpd children of the server's parent process."""
    parent = server._read_pid()
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                out.append(int(d))
    return out


def rss_kib(server):
    total = 0
    for pid in child_pids(server):
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def exchange(server, head, body=b"", chunks=(), read_timeout=30):
    """Sends `head` (the request line and headers, CRLF-ended) and `body`, then
    `chunks` one by one while the server still reads; returns (status, the bytes of the
    answer, seconds taken). A server that answers before the body is whole is fine."""
    t0 = time.monotonic()
    s = socket.create_connection((server.host, server.port), timeout=read_timeout)
    try:
        s.sendall(head)
        try:
            if body:
                s.sendall(body)
            for c in chunks:
                s.sendall(c)
        except (BrokenPipeError, ConnectionResetError):
            pass        # the server answered and closed: read what it said
        data = b""
        try:
            while True:
                got = s.recv(65536)
                if not got:
                    break
                data += got
                if b"\r\n\r\n" in data and not head.startswith(b"HEAD"):
                    # enough once the answer's head and its declared body are in
                    hdr, _, rest = data.partition(b"\r\n\r\n")
                    for line in hdr.split(b"\r\n"):
                        if line.lower().startswith(b"content-length:"):
                            if len(rest) >= int(line.split(b":")[1]):
                                raise StopIteration
        except StopIteration:
            pass
        except ConnectionResetError:
            pass
    finally:
        s.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else None
    return status, data, time.monotonic() - t0


def post_head(path, length, auth=None, ctype=FORM, extra=""):
    return (f"POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {auth or basic()}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {length}\r\n{extra}\r\n").encode()


@pytest.fixture(scope="module")
def tokens(server):
    cheap_passwords(server)
    with session(GAEL) as g:
        member = page_token(g, server.url("/mes-informations"))
    with session(*BN_STAFF) as b:
        staff = staff_token(b, server)
    return {"member": member, "staff": staff}


@pytest.fixture
def unchanged(server, tokens):
    before = dump(server)
    yield
    assert diff(before, dump(server)) == {}


# ----------------------------------------------------------------------------------
# Bodies


@pytest.mark.parametrize("path", ["/activite/1/inscription", "/mes-informations",
                                  "/mes-adresses", "/paiement/notification/systempay/BN"])
def test_a_declared_huge_body_is_413_at_once(server, tokens, unchanged, path, expect_log):
    """Content-Length of 1 GiB, only 64 KiB sent: the answer comes without the rest,
    and the connection closes (a bank's notification: 403, no signature read)."""
    if "/paiement/" in path:
        expect_log(r"CMCAS50: payment return refused")
    status, data, took = exchange(server, post_head(path, 1024 * MiB),
                                  body=b"csrf=" + tokens["member"].encode() + b"&" +
                                  b"a" * (64 * 1024))
    expected = 403 if "/paiement/" in path else 413    # a bank's post: no signature
    assert status == expected, data[:400]
    assert b"connection: close" in data.lower(), data[:400]
    assert took < 20


def test_a_huge_body_of_another_type_is_400_unread(server, tokens, unchanged):
    status, data, took = exchange(server, post_head("/mes-informations", 1024 * MiB,
                                                    ctype="text/plain"), body=b"a" * 4096)
    assert status == 400, data[:400]
    assert b"connection: close" in data.lower()
    assert took < 20


@pytest.mark.parametrize("path", ["/activite/1/inscription", "/mes-informations"])
def test_a_chunked_body_without_end_is_413_past_32_kib(server, tokens, unchanged, path):
    head = (f"POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {basic()}\r\n"
            f"Content-Type: {FORM}\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    piece = b"a" * 8192
    chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
    status, data, _ = exchange(server, head, chunks=[chunk] * 128)      # 1 MiB
    assert status == 413, data[:400]


def test_a_picture_over_the_limit_is_413_at_once(server, tokens, unchanged):
    boundary = "x" * 20
    head = post_head("/gestion/activite/1/image", 512 * MiB, auth=basic(*BN_STAFF),
                     ctype=f"multipart/form-data; boundary={boundary}")
    status, data, took = exchange(server, head, body=b"--" + boundary.encode() + b"\r\n")
    assert status == 413, data[:400]
    assert took < 20


@pytest.mark.parametrize("path", ["/", "/mes-inscriptions", "/gestion/journal"])
def test_a_huge_body_on_a_page_that_takes_no_post_is_405_unread(server, tokens, unchanged,
                                                                 path):
    auth = basic(*BN_STAFF) if path.startswith("/gestion") else basic()
    status, data, took = exchange(server, post_head(path, 1024 * MiB, auth=auth),
                                  body=b"a" * 4096)
    assert status == 405, data[:400]
    assert b"connection: close" in data.lower()
    assert took < 20


@pytest.mark.parametrize("n", [301, 5000])
def test_thousands_of_fields_are_400(server, tokens, unchanged, n):
    """Over 300 fields, within 32 KiB: refused before anything is read of them."""
    body = ("csrf=" + tokens["member"] + "&" + "&".join(f"f{i}=" for i in range(n))).encode()
    if len(body) > 32 * 1024:
        body = ("csrf=" + tokens["member"] + "&" + "&" * (32 * 1024 - 200)).encode()
        body = body.replace(b"&&", b"&a=&", 3000)[:32 * 1024]
    for path in ("/activite/1/inscription", "/mes-informations"):
        r = server.raw("POST", path, headers={"Content-Type": FORM}, body=body)
        assert r.status == 400, (path, r.status, r.text[:300])


# ----------------------------------------------------------------------------------
# URLs, headers, cookies


def test_a_very_long_url_is_414(server, unchanged, expect_log):
    expect_log(r"AH00565|request failed: URI too long", must_appear=False)
    status, data, _ = exchange(server, ("GET /activite/" + "1" * 20000 + " HTTP/1.1\r\n"
                                        "Host: localhost\r\n\r\n").encode())
    assert status == 414, data[:300]


@pytest.mark.parametrize("query", ["q=" + "a" * 7000, "q=" + "%C3%A9" * 1000,
                                   "&".join(["theme=SPORT"] * 500)[:7000],
                                   "page=" + "9" * 5000])
def test_a_long_query_is_400(server, unchanged, query):
    r = server.raw("GET", "/?" + query)
    assert r.status == 400, (r.status, r.text[:300])


def test_a_very_long_header_is_400(server, unchanged, expect_log):
    expect_log(r"AH00561|request failed: error reading the headers|Size of a request "
               r"header field exceeds", must_appear=False)
    status, data, _ = exchange(server, ("GET / HTTP/1.1\r\nHost: localhost\r\n"
                                        f"Authorization: {basic()}\r\n"
                                        "X-Long: " + "a" * 20000 + "\r\n\r\n").encode())
    assert status == 400, data[:300]


def test_too_many_headers_are_400(server, unchanged, expect_log):
    expect_log(r"AH00563|request failed: error reading the headers|number of request "
               r"header fields exceeds", must_appear=False)
    head = "GET / HTTP/1.1\r\nHost: localhost\r\n" + "".join(
        f"X-H{i}: {i}\r\n" for i in range(500)) + "\r\n"
    status, data, _ = exchange(server, head.encode())
    assert status == 400, data[:300]


@pytest.mark.parametrize("shape", ["one header", "many headers"])
def test_many_cookies_are_harmless(server, unchanged, shape):
    cookies = [f"c{i}=" + "v" * 20 for i in range(300)]
    if shape == "one header":
        headers = {"Cookie": "; ".join(cookies)[:8000]}
        r = server.raw("GET", "/mes-inscriptions", headers=headers)
    else:
        lines = "".join(f"Cookie: {c}\r\n" for c in cookies[:90])
        status, data, _ = exchange(server, ("GET /mes-inscriptions HTTP/1.1\r\n"
                                            "Host: localhost\r\nConnection: close\r\n"
                                            f"Authorization: {basic()}\r\n{lines}\r\n")
                                   .encode())
        assert status in (200, 400), data[:300]
        return
    assert r.status in (200, 400), r.status


# ----------------------------------------------------------------------------------
# Memory


def test_memory_stays_bounded(server, tokens, unchanged):
    """Hundreds of the requests above: the child's RSS levels off (a leak of the body,
    the fields or the 2 MiB picture per request would keep it growing)."""
    if module_sanitized():
        # ASan keeps freed memory in quarantine (256 MiB): the RSS measures ASan there,
        # and LeakSanitizer looks for the leaks instead.
        pytest.skip("RSS is ASan's quarantine under --enable-sanitizers")
    assert len(child_pids(server)) == 1
    # warm up: every kind once, so that the pools and caches are there
    server.raw("POST", "/mes-informations", headers={"Content-Type": FORM},
               body=b"csrf=x&" + b"a" * (32 * 1024 - 8))
    before = rss_kib(server)
    big_form = ("csrf=" + tokens["member"] + "&observations=" + "a" * (32 * 1024 - 200)
                ).encode()
    fields = ("csrf=" + tokens["member"] + "&" + "&".join(f"f{i}=" for i in range(290))
              ).encode()
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(2 * MiB - 100)      # not a readable picture
    boundary = "bnd" * 5
    multipart = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                 f"{tokens['staff']}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                 f"name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
                 ).encode() + png + f"\r\n--{boundary}--\r\n".encode()

    def round_of(n):
        for i in range(n):
            r = server.raw("POST", "/activite/1/inscription",
                           headers={"Content-Type": FORM}, body=big_form)
            assert r.status in (400, 409), r.status
            r = server.raw("POST", "/mes-adresses", headers={"Content-Type": FORM},
                           body=fields)
            assert r.status == 400, r.status
            r = server.raw("GET", "/?q=" + "a" * 190)
            assert r.status == 200
            if i % 4 == 0:
                r = server.raw("POST", "/gestion/activite/1/image", auth=BN_STAFF,
                               headers={"Content-Type": f"multipart/form-data; "
                                                        f"boundary={boundary}"},
                               body=multipart)
                assert r.status == 400, (r.status, r.text[:300])
    # the first round fills the threads' pools up to their high-water mark; the second
    # must not grow much more (a leak of a body or a picture per request would)
    round_of(100)
    middle = rss_kib(server)
    round_of(100)
    after = rss_kib(server)
    print(f"child RSS {before} KiB before, {middle} KiB after 325 requests, {after} KiB "
          "after 650")
    assert len(child_pids(server)) == 1
    assert after - before < 128 * 1024, (before, middle, after)
    assert after - middle < 24 * 1024, (before, middle, after)
