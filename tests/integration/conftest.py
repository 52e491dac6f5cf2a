"""Fixtures of the mod_cmcas integration tests.

- `server`: one httpd per test module, started on a fresh database and stopped at the
  end. A module configures it with a module-level dict `CMCAS_SERVER` (keyword arguments
  of `CmcasHttpd`: sections=, extra=, htpasswd=, auth_providers=, ignore=, plus
  expect_at_start=[regex] for lines expected while it starts).
- `make_server(suffix, expect_at_start=(), **kwargs)`: starts another server for the
  module (tests/gen/<module>-<suffix>/), stopped at the module's end.
- `start_server(srv, expect_at_start=())`: starts a server the module built itself.
- `expect_log(regex, must_appear=True)`: declares that error-log lines at warn level or
  above matching `regex` are expected during this test. After every test, any other such
  line written by any running server fails the test; an expected regex that matched no
  line fails it too (unless must_appear=False).
- `member`: a requests.Session logged in (Basic) as gael.classen.
- `sql(statement, params=())`: runs SQL on the module server's database.

With a module built by `./configure --enable-sanitizers`, httpd runs with ASan and UBSan
(cmcas_httpd.sanitizer_argv): after each test and when a server stops, any new report
file of any server (tests/gen/sanitizer/) fails the test with the report's text.
"""

import fcntl
import os
import re
import shutil
import sys
import time

import pytest
import requests

sys.path.insert(0, os.path.dirname(__file__))

from cmcas_httpd import CmcasHttpd, DEMO_PASSWORD, GEN_DIR, MODULE_SO  # noqa: E402
from cmcas_httpd import SANITIZER_DIR, SanitizerReports  # noqa: E402

_running = []           # servers whose error log is policed after each test
_sanitizer_reports = SanitizerReports(SANITIZER_DIR)


def _sanitizer_problems():
    """The sanitizer reports written since the last call (none without --enable-sanitizers)."""
    reports = _sanitizer_reports.take()
    return "sanitizer reports:\n" + "\n".join(reports) if reports else ""


def _start(server, expect=()):
    try:
        server.start()
    except RuntimeError as e:
        reports = _sanitizer_problems()     # e.g. a process that ended on a report
        if reports:
            pytest.fail(f"{e}\n{reports}", pytrace=False)
        raise
    _running.append(server)
    problems = server.error_log.problems(server.error_log.take(), expect)
    if problems:
        _stop(server, check=False)
        pytest.fail(f"httpd {server.name} logged at start:\n" + "\n".join(problems))
    reports = _sanitizer_problems()
    if reports:
        pytest.fail(f"httpd {server.name} at start: {reports}", pytrace=False)


def _stop(server, check=True):
    """Stops a server; fails if it logged a problem since the last test's check."""
    if server in _running:
        _running.remove(server)
    problems = server.error_log.problems(server.error_log.take())
    server.stop()
    if check and problems:
        pytest.fail(f"httpd {server.name} logged after the last test:\n"
                    + "\n".join(problems))
    # Leaks are reported when the processes exit: after the stop.
    reports = _sanitizer_problems()
    if reports:
        pytest.fail(f"httpd {server.name} after the last test or at its stop: {reports}",
                    pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _one_run_at_a_time():
    """Server roots have fixed names under tests/gen/: two runs at once (a developer and
    scripts/check) would delete each other's servers. The second run waits."""
    if not os.path.exists(MODULE_SO):
        pytest.exit(f"{MODULE_SO} is missing: run `make` in the repository first", 2)
    os.makedirs(GEN_DIR, exist_ok=True)
    with open(os.path.join(GEN_DIR, ".lock"), "w") as lock:
        deadline = time.monotonic() + 900
        told = False
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.exit("another integration test run holds tests/gen/.lock", 2)
                if not told:
                    sys.stderr.write("\nwaiting for another integration test run "
                                     "(tests/gen/.lock)...\n")
                    told = True
                time.sleep(0.5)
        # An earlier run's sanitizer reports are not this run's.
        shutil.rmtree(SANITIZER_DIR, ignore_errors=True)
        yield
        fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="module", autouse=True)
def _sanitizer_reports_of_module():
    """Set up before the module's servers, so checked after they all stopped: reports
    written by their processes' exits (leaks) fail the module's last test."""
    yield
    reports = _sanitizer_problems()
    if reports:
        pytest.fail(f"after the module's servers stopped: {reports}", pytrace=False)


@pytest.fixture(scope="module")
def server(request):
    kwargs = dict(getattr(request.module, "CMCAS_SERVER", {}))
    expect = kwargs.pop("expect_at_start", ())
    name = request.module.__name__.rsplit(".", 1)[-1]
    srv = CmcasHttpd(name, **kwargs)
    _start(srv, expect)
    yield srv
    _stop(srv)


@pytest.fixture(scope="module")
def start_server():
    """start_server(srv, expect_at_start=()) -> srv: starts a server the test module built
    itself (a CmcasHttpd of its own kind), policed and stopped at the module's end."""
    started = []

    def start(srv, expect_at_start=()):
        _start(srv, expect_at_start)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        _stop(srv)


@pytest.fixture(scope="module")
def make_server(request, start_server):
    """make_server(name_suffix, expect_at_start=(), **CmcasHttpd kwargs) -> started server."""
    base = request.module.__name__.rsplit(".", 1)[-1]

    def make(suffix, expect_at_start=(), **kwargs):
        return start_server(CmcasHttpd(f"{base}-{suffix}", **kwargs), expect_at_start)

    return make


@pytest.fixture
def expect_log(_police_error_log):
    """Declares an expected error-log line (regex) for the current test."""
    return _police_error_log


class _LogExpectations:
    def __init__(self):
        self.rules = []         # [regex, must_appear, seen]

    def __call__(self, regex, must_appear=True):
        self.rules.append([regex, must_appear, False])


@pytest.fixture(autouse=True)
def _police_error_log():
    """After each test, what every running server logged since the previous check
    (lines written between two tests count for the next one: none is lost)."""
    expectations = _LogExpectations()
    yield expectations
    problems = []
    for srv in list(_running):
        lines = srv.error_log.take()
        for line in lines:
            for rule in expectations.rules:
                if re.search(rule[0], line):
                    rule[2] = True
        unexpected = srv.error_log.problems(lines, [r[0] for r in expectations.rules])
        problems += [f"{srv.name}: {line}" for line in unexpected]
    missing = [r[0] for r in expectations.rules if r[1] and not r[2]]
    msg = []
    if problems:
        msg.append("unexpected error-log lines:\n" + "\n".join(problems))
    reports = _sanitizer_problems()
    if reports:
        msg.append(reports)
    if missing:
        msg.append("expected error-log lines not found: " + ", ".join(missing))
    if msg:
        pytest.fail("\n".join(msg), pytrace=False)


@pytest.fixture(scope="module")
def member(server):
    s = requests.Session()
    s.auth = ("gael.classen", DEMO_PASSWORD)
    s.headers["Accept"] = "text/html"
    yield s
    s.close()


@pytest.fixture(scope="module")
def sql(server):
    return server.sql
