"""One slow form does not freeze the other members (issue 7, security).

With the documented SQLite setup each server process has one database connection. A
handler that took it before reading the request body let one member, sending a form a
byte every half second, block every other member's pages until the body timeout. The
portal now reads and checks the whole form before it takes a connection.

The form is read in a hook before authentication, because an authentication or a session
store that uses the database (mod_authn_dbd, mod_session_dbd) takes the request's
connection and keeps it to the end. The server here runs one process and gets a
registration form dripped slowly by one member while another member opens pages, with
passwords checked from a file and from the database on every request (the demo's
sessions in the database: test_940_sessions.py).
"""

import base64
import socket
import threading
import time

import pytest
import requests

from cmcas_httpd import DEMO_PASSWORD, one_process_mpm

ONE_PROCESS = one_process_mpm(8)


def _drip_form(server, stop, started):
    """A member's registration post whose body comes a byte every half second."""
    auth = base64.b64encode(f"gael.classen:{DEMO_PASSWORD}".encode()).decode()
    body = b"csrf=x&action=enregistrer&observations=" + b"a" * 60
    head = (f"POST /activite/1/inscription HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
            f"Authorization: Basic {auth}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((server.host, server.port), timeout=30) as s:
        s.sendall(head)
        started.set()
        for i in range(len(body)):
            if stop.is_set():
                return
            try:
                s.sendall(body[i:i + 1])
            except OSError:
                return          # the server gave up on it (request read timeout)
            time.sleep(0.5)


@pytest.mark.parametrize("providers", ["file", "dbd"])
def test_slow_form_does_not_block_other_members(make_server, providers):
    # "dbd": the password is checked in the database on every request, and that check
    # keeps the request's connection to its end: the form must be read before it.
    srv = make_server(f"one-{providers}", sections={"mpm": ONE_PROCESS},
                      htpasswd={"gael.classen": DEMO_PASSWORD,
                                "martine.dupont": DEMO_PASSWORD},
                      auth_providers=providers)
    other = requests.Session()
    other.auth = ("martine.dupont", DEMO_PASSWORD)
    # Warm up: the process and its connection exist before the slow post.
    assert other.get(srv.url("/"), timeout=10).status_code == 200
    stop, started = threading.Event(), threading.Event()
    dripper = threading.Thread(target=_drip_form, args=(srv, stop, started), daemon=True)
    dripper.start()
    try:
        assert started.wait(5)
        time.sleep(1.5)         # the slow request is in the handler, reading its body
        for path in ("/", "/activite/1", "/mes-inscriptions"):
            t0 = time.monotonic()
            r = other.get(srv.url(path), timeout=20)
            elapsed = time.monotonic() - t0
            assert r.status_code == 200, path
            assert elapsed < 3, f"{path} waited {elapsed:.1f} s behind the slow form"
        assert dripper.is_alive(), "the slow form should still be sending"
    finally:
        stop.set()
        dripper.join(15)
