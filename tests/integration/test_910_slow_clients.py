"""Slow clients cannot block the portal (slowloris).

A connection that sends its request a byte at a time holds a worker thread, and Apache's
own Timeout restarts at every byte: without mod_reqtimeout, as many such connections as
there are threads block everyone, without any login. The demo's configuration loads
mod_reqtimeout with a RequestReadTimeout line that every generated test server copies
(cmcas_httpd.demo_request_read_timeout): here a server of 4 threads gets more slow
connections than that, half of them dripping their headers, half their body, and another
client must still be answered once the header timeout has dropped them.
"""

import http.client
import re
import socket
import threading
import time

import pytest

from cmcas_httpd import DEMO_CONF, CmcasHttpd, demo_request_read_timeout, one_process_mpm

THREADS = 4
SLOW_CLIENTS = THREADS + 2      # more than the threads, all dropped in one timeout round
DRIP_EVERY = 1.0                # seconds between two bytes of a slow client

SMALL_MPM = one_process_mpm(THREADS)

SLOW_HEADER = (b"GET /static/cmcas.css HTTP/1.1\r\nHost: localhost\r\n", b"X-Lent: a\r\n")
SLOW_BODY = (b"POST /static/cmcas.css HTTP/1.1\r\nHost: localhost\r\n"
             b"Content-Type: application/x-www-form-urlencoded\r\n"
             b"Content-Length: 1000\r\n\r\n", b"a")


def stage(line, name):
    """(initial, maximum) seconds of a RequestReadTimeout stage (maximum None if unset)."""
    m = re.search(rf"\b{name}=(\d+)(?:-(\d+))?,MinRate=\d+", line, re.IGNORECASE)
    assert m, f"no {name}=…,MinRate=… in: {line}"
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


def test_demo_bounds_slow_clients_and_test_servers_do_the_same():
    with open(DEMO_CONF, encoding="utf-8") as f:
        demo = f.read()
    assert re.search(r"^LoadModule\s+reqtimeout_module\s+\S+/mod_reqtimeout\.so$", demo,
                     re.M)
    line = demo_request_read_timeout()
    assert line.startswith("RequestReadTimeout "), "no RequestReadTimeout in the demo"
    for name in ("header", "body"):
        initial, maximum = stage(line, name)
        assert 0 < initial <= 20 and (maximum is None or initial <= maximum <= 40), line
    conf = CmcasHttpd("test_910_conf").conf_text()
    assert re.search(r"^LoadModule reqtimeout_module \S+/mod_reqtimeout\.so$", conf, re.M)
    assert f"\n{line}\n" in conf


class SlowClient(threading.Thread):
    """Sends a request's beginning, then one more piece every DRIP_EVERY seconds until
    the server answers or closes (`ended`: seconds after it connected, `answer`)."""

    def __init__(self, server, head, drip, stop):
        super().__init__(daemon=True)
        self.server, self.head, self.drip, self.stop = server, head, drip, stop
        self.ended = None
        self.answer = None

    def run(self):
        with socket.create_connection((self.server.host, self.server.port),
                                      timeout=5) as sock:
            start = time.monotonic()
            sock.sendall(self.head)
            sock.settimeout(DRIP_EVERY)
            while not self.stop.is_set():
                try:
                    self.answer = sock.recv(4096)
                except socket.timeout:
                    try:
                        sock.sendall(self.drip)
                        continue
                    except OSError:
                        self.answer = b""
                except OSError:
                    self.answer = b""
                self.ended = time.monotonic() - start
                return


@pytest.fixture(scope="module")
def small(make_server):
    return make_server("small", sections={"mpm": SMALL_MPM})


def test_slow_clients_do_not_block_the_others(small, expect_log):
    expect_log(r"AH00484: server reached MaxRequestWorkers", must_appear=False)
    line = demo_request_read_timeout()
    header_initial, header_max = stage(line, "header")
    body_initial, body_max = stage(line, "body")
    # Once the header timeout has dropped the first slow connections, the threads are
    # free: the other client's request is answered then, not after Apache's Timeout.
    bound = max(header_initial, body_initial) + 5

    stop = threading.Event()
    slow = [SlowClient(small, *(SLOW_HEADER if i % 2 == 0 else SLOW_BODY), stop)
            for i in range(SLOW_CLIENTS)]
    try:
        for client in slow:
            client.start()
        time.sleep(1.5)             # they hold every thread now
        start = time.monotonic()
        conn = http.client.HTTPConnection(small.host, small.port, timeout=bound)
        try:
            conn.request("GET", "/static/cmcas.css")
            resp = conn.getresponse()
            resp.read()
        except (socket.timeout, TimeoutError):
            pytest.fail(f"a normal request was not answered within {bound} s behind "
                        f"{SLOW_CLIENTS} slow connections")
        finally:
            conn.close()
        waited = time.monotonic() - start
        assert resp.status == 200
        assert waited < bound
        # Let the server drop the slow ones by itself (they keep dripping meanwhile):
        # stopping them now would race with the drops still due.
        deadline = start + max(header_max or header_initial, body_max or body_initial) + 3
        for client in slow:
            client.join(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        stop.set()
        for client in slow:
            client.join(timeout=10)

    # The slow connections that had a thread were dropped by the server (a 408 answer or
    # a closed connection) within their stage's timeout.
    dropped = [c for c in slow if c.ended is not None]
    assert len(dropped) >= THREADS, [(c.ended, c.answer) for c in slow]
    longest = max(header_max or header_initial, body_max or body_initial) + 2 * DRIP_EVERY
    for client in dropped:
        assert client.answer == b"" or client.answer.startswith(b"HTTP/1.1 408 "), \
            client.answer
    assert sorted(c.ended for c in dropped)[THREADS - 1] <= longest
