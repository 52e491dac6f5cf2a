"""Fixtures of the browser tests: the demo server and a headless Chromium.

- `demo`: the demo exactly as `scripts/demo` configures it (`scripts/demo --prepare` into a
  temporary directory, on a free port), started with `apache2 -k start` once for the
  session and stopped at the end. Its error log must hold nothing unexpected at the end.
  With CMCAS_DEMO_ENGINE=pgsql, the demo on its own PostgreSQL (`scripts/demo --pgsql`),
  stopped with it. With a module built by `./configure --enable-sanitizers`, Apache runs
  with ASan and UBSan (scripts/lib/with-sanitizers): any report file (<root>/logs/
  sanitizer/) fails the test after which it appears, or the session at the end.
- `browser`: one headless Chromium (Debian's chromium + chromium-driver through
  python3-selenium) for the session, with a fresh profile; `driver` hands it to a test
  with its cookies cleared, so every test starts logged out.
- `fresh_demo`: a demo of its own for one test (a fresh database, its own ports and bank
  simulator), checked like `demo` when it stops; `fresh_driver`: the browser for it.
- `nojs_browser`: a second headless Chromium whose pages run no JavaScript.
- `shot`: shot(driver, name) saves the page shown at 1280 and 390 px into
  tests/gen/screenshots/<test>/<nn>-<name>-{desktop,phone}.png.
"""

import base64
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import requests

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODULE_SO = os.path.join(REPO, ".libs", "mod_cmcas.so")
WITH_SANITIZERS = os.path.join(REPO, "scripts", "lib", "with-sanitizers")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DEMO_LOGIN = "gael.classen"
DEMO_PASSWORD = "demo2026"

# Error-log lines the tests cause on purpose (a wrong password) or Apache's start/stop.
_EXPECTED_LOG = [
    r"AH01807: user 'gael\.classen': authentication failure",   # wrong password test
    r"\[(mpm_event|core):notice\]",
]
_running_demo = None    # the demo's Demo while it runs: its sanitizer reports after each test
_PROBLEM_LEVEL = re.compile(r"\[[a-z_0-9]+:(warn|error|crit|alert|emerg)\]")


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Demo:
    def __init__(self, root, port):
        self.root = root
        self.port = port
        self.url = f"http://localhost:{port}"
        self.conf = os.path.join(root, "httpd.conf")
        self.error_log = os.path.join(root, "logs", "error.log")
        self.pid_file = os.path.join(root, "run", "httpd.pid")
        # The sanitizers' reports (scripts/demo's default), each reported once.
        self.sanitizer_dir = os.path.join(root, "logs", "sanitizer")
        self.reported = set()

    def apachectl(self, action):
        # with-sanitizers runs apache2 as it is unless the module is sanitized.
        return subprocess.run([WITH_SANITIZERS, MODULE_SO, self.sanitizer_dir,
                               "apache2", "-f", self.conf, "-k", action],
                              capture_output=True, text=True, timeout=30)

    def sanitizer_reports(self):
        """The text of each sanitizer report written since the previous call."""
        try:
            names = sorted(os.listdir(self.sanitizer_dir))
        except OSError:
            return []
        out = []
        for name in names:
            path = os.path.join(self.sanitizer_dir, name)
            if path in self.reported:
                continue
            self.reported.add(path)
            with open(path, encoding="utf-8", errors="replace") as f:
                out.append(f"{name}:\n{f.read()}")
        return out

    def wait_up(self, timeout=45):
        # Generous: a loaded machine, or a module built with ASan, answers its first page
        # slowly (a read timeout is waited out like a refused connection).
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/connexion", timeout=10)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        raise RuntimeError(f"the demo server did not answer on {self.url}")

    def pid(self):
        try:
            with open(self.pid_file) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def stop(self):
        pid = self.pid()
        self.apachectl("stop")
        deadline = time.monotonic() + 15
        while pid and time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        # The demo's PostgreSQL (CMCAS_DEMO_ENGINE=pgsql), after Apache.
        pg_stop = os.path.join(self.root, "pgsql-stop")
        if os.path.exists(pg_stop):
            subprocess.run([pg_stop], capture_output=True, timeout=90)

    def unexpected_log_lines(self):
        try:
            with open(self.error_log, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return []
        return [line for line in lines
                if _PROBLEM_LEVEL.search(line)
                and not any(re.search(e, line) for e in _EXPECTED_LOG)]


def _demo_server():
    """Prepares, starts and yields a demo server (with its bank simulator), then stops it
    and fails on unexpected error-log lines or sanitizer reports."""
    if not os.path.exists(MODULE_SO):
        pytest.exit(f"{MODULE_SO} is missing: build first (scripts/lib/build.sh)", 2)
    root = tempfile.mkdtemp(prefix="cmcas-e2e-")
    os.chmod(root, 0o755)       # the workers (www-data) go through it to the database
    port = _free_port()
    sim_port = _free_port()
    env = dict(os.environ, CMCAS_DEMO_SIM_PORT=str(sim_port))
    prep = subprocess.run([os.path.join(REPO, "scripts", "demo"), "--prepare", root,
                           str(port)], capture_output=True, text=True, timeout=120, env=env)
    if prep.returncode != 0:
        pytest.fail(f"scripts/demo --prepare failed:\n{prep.stdout}{prep.stderr}")
    server = Demo(root, port)
    # The bank simulator the demo's card payments go to, as scripts/demo starts it.
    sim_log = open(os.path.join(root, "bank-simulator.log"), "w")
    sim = subprocess.Popen(["/usr/bin/python3",
                            os.path.join(REPO, "tests", "gateway", "paybox_simulator.py"),
                            "--port", str(sim_port)], stderr=sim_log)
    server.sim_url = f"http://localhost:{sim_port}"
    started = server.apachectl("start")
    if started.returncode != 0:
        sim.terminate()
        pytest.fail(f"apache2 -k start failed:\n{started.stdout}{started.stderr}")
    global _running_demo
    outer = _running_demo       # the session's demo, while a fresh one runs
    try:
        server.wait_up()
        _running_demo = server
        yield server
    finally:
        _running_demo = outer
        server.stop()
        sim.terminate()
        sim.wait(timeout=10)
        sim_log.close()
    problems = server.unexpected_log_lines()
    reports = server.sanitizer_reports()        # leaks are reported at the stop
    shutil.rmtree(root, ignore_errors=True)
    if problems:
        pytest.fail("unexpected error-log lines of the demo server:\n" + "\n".join(problems),
                    pytrace=False)
    if reports:
        pytest.fail("sanitizer reports of the demo server:\n" + "\n".join(reports),
                    pytrace=False)


@pytest.fixture(scope="session")
def demo():
    yield from _demo_server()


@pytest.fixture
def fresh_demo():
    """A demo of its own for one test, on a fresh database (a few seconds to start)."""
    yield from _demo_server()


@pytest.fixture(autouse=True)
def _sanitizer_reports():
    """After each test, the sanitizer reports of the running demo (if any)."""
    yield
    if _running_demo is None:
        return
    reports = _running_demo.sanitizer_reports()
    if reports:
        pytest.fail("sanitizer reports of the demo server:\n" + "\n".join(reports),
                    pytrace=False)


def _chromium(javascript=True):
    """A headless Chromium with a fresh profile, yielded, then quit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="cmcas-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1024",
                 "--lang=fr-FR", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if not javascript:
        # The pages' scripts never run (WebDriver's own still do, through DevTools).
        options.add_argument("--blink-settings=scriptEnabled=false")
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    yield from _chromium()


@pytest.fixture(scope="session")
def nojs_browser():
    """A second headless Chromium whose pages run no JavaScript at all."""
    yield from _chromium(javascript=False)


@pytest.fixture
def driver(browser, demo):
    """The browser, logged out: every cookie cleared (WebDriver's delete_all_cookies only
    reaches those of the page shown: not the back-office's, whose path is /gestion), at
    a desktop's size."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.set_window_size(1280, 1024)
    return browser


@pytest.fixture
def fresh_driver(browser, fresh_demo):
    """The browser, logged out and at a desktop's size, for a test on `fresh_demo`."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.set_window_size(1280, 1024)
    return browser


# Screenshots: tests/gen/screenshots/<test>/<nn>-<name>-{desktop,phone}.png.
SCREENSHOTS = os.path.join(REPO, "tests", "gen", "screenshots")
SHOT_WIDTHS = (("desktop", 1280, 1024, False), ("phone", 390, 844, True))
SHOT_MAX_HEIGHT = 8000      # CSS pixels: a long catalogue is cut there


def _capture(driver, path, width, height, mobile):
    """The page shown, laid out `width` CSS pixels wide (a phone's viewport when
    `mobile`), whole (beyond the viewport, up to SHOT_MAX_HEIGHT), as a PNG file; the
    browser's own size is left alone."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
    try:
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        full = min(max(int(size["height"]), height), SHOT_MAX_HEIGHT)
        data = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": full, "scale": 1}})
    finally:
        driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": False})
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    with open(path, "wb") as f:
        f.write(base64.b64decode(data["data"]))


@pytest.fixture
def shot(request):
    """shot(driver, name): the page shown, at a desktop's width then a phone's, saved as
    tests/gen/screenshots/<test>/<nn>-<name>-{desktop,phone}.png (nn: 01, 02… in the
    order of the calls). The test's folder is emptied first."""
    folder = os.path.join(SCREENSHOTS, re.sub(r"[^\w.-]+", "_", request.node.name))
    shutil.rmtree(folder, ignore_errors=True)
    count = [0]

    def take(driver, name):
        count[0] += 1
        os.makedirs(folder, exist_ok=True)
        for label, width, height, mobile in SHOT_WIDTHS:
            _capture(driver, os.path.join(folder, f"{count[0]:02d}-{name}-{label}.png"),
                     width, height, mobile)
    return take
