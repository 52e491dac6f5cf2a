#!/usr/bin/python3
"""The benchmark of issue 8: mod_cmcas against Apache serving the same bytes, in the same
server, behind the same login and session as the members', and behind none.

    /usr/bin/python3 tests/bench/bench.py            the full run (about half an hour on
                                                     2 cores); writes docs/performance.md
    /usr/bin/python3 tests/bench/bench.py --quick    the smoke run of scripts/check: every
                                                     part at small sizes (about a minute)
    /usr/bin/python3 tests/bench/bench.py --engine pgsql [--quick]
                                                     the same on PostgreSQL (issue 9)

The server is the demo's: conf/demo/httpd.conf.in rendered by `scripts/demo --prepare`
(login form, session setup, MPM, database settings as shipped), on a generated database
(tests/bench/gen_data.py: 3 CMCAS, 10,000 activities with options, 5,000 households),
with two additions at the end of its configuration: an `Alias /bench-static/` to copies of
the module's pages inside the portal's `<Location "/">` (so they inherit its login and
session), and an `Alias /bench-bare/` to the same files with `Session Off` and
`Require all granted` (Apache's ceiling). Only `CMCASPayboxDirect` is taken out (the
notifications are signed by the benchmark, not paid at a bank Paybox Direct could ask).
Every server of a run loads copies of the module and of the stylesheets made at its start
(a rebuild meanwhile does not mix two builds). gael.classen logs in once through the login
form; the cookie is sent with every request, as a browser does.

Measured:
- requests per second with wrk (-t2 -c32, fixed duration, --latency), per page type, in
  the order module, static behind session, bare static, static behind session, module
  within each round (each pair centred on the same instant), several rounds; the median
  of the rounds' ratios, p50/p99 latency, every answer whose status is not 200 (wrk.lua:
  wrk itself counts a redirect to the login page as a success) and every socket error;
- instructions per request under callgrind (one dump per request, median of the measured
  dumps, see /work/shared/research/measuring.md) for the catalog page, its static copy
  behind the session and bare, and the detail page, on the demo data (51 activities) and
  on the generated database;
- logins per second (households post the login form at 32 connections), then validations
  per second: those households, each with a draft (one person) on the « rush » activity,
  post « Valider » at 32 connections; afterwards every activity's places_taken must equal
  the places held by its validated (or paid) registrations;
- bank notifications per second: one Paybox notification per pending card order, made by
  tests/gateway/paybox_simulator.py's own code with its TEST key; afterwards every order
  paid exactly once. The writes are sent by a small asyncio client (Blast) that sends each
  request once (again only when the server closed the connection before answering), with
  httpd's CPU time per write;
- the RSS of httpd's children before and after N module requests (after a warm-up);
- the CPU that other processes took meanwhile (a shared machine makes figures noisy).

`--engine pgsql`: the same server and measurements on PostgreSQL. `scripts/demo --pgsql
--prepare` initialises the demo's own cluster in the server root (initdb's defaults: fsync
and synchronous_commit on) and moves the generated database into it with
scripts/cmcas-sqlite-to-pgsql (CMCAS_DEMO_DATA names the file); the demo's pool (DBDMin 1,
DBDKeep 2, DBDMax 4 per process); the benchmark's own statements (places that add up,
orders paid once) go to that cluster (tests/integration/cmcas_pg.py). Added there: the
commit latency of one small transaction at a time (synchronous_commit on and off) and a
statement's bare round trip; for each write blast, PostgreSQL's CPU beside httpd's (by
kind of process), the transactions that wrote and the WAL flushes (group commit), and
what the portal's connections were doing, sampled from pg_stat_activity (running,
waiting for a row lock or the WAL, in a transaction waiting for httpd, idle).
`--pg-conf NAME=VALUE` tries a PostgreSQL setting (e.g. shared_preload_libraries=
pg_stat_statements: each blast's statements in tests/gen/bench-pgsql/pg-statements-*.txt).
Under callgrind only httpd is measured: on PostgreSQL that is the module's and libpq's
side of the statements, not the database's work. Results in tests/gen/bench-pgsql/, and
a full run writes its own part of docs/performance.md (SQLite's is left alone).

`--extra-conf LINE` appends a configuration line (to try a setting; the report says so and
docs/performance.md is then left alone; so it is after --quick, --skip or --pg-conf). Exit status 1 only for real errors: a server that
does not start or crashes, an answer other than the expected status, places that do not
add up, an order not paid once. A slow figure never fails. Results:
tests/gen/bench/result.json (and the callgrind dumps and annotations beside it).
"""

import argparse
import datetime
import fcntl
import http.client
import json
import os
import platform
import pwd
import grp
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
sys.path.insert(0, os.path.join(REPO, "tests", "gateway"))
sys.path.insert(0, HERE)

from cmcas_httpd import (DemoHttpd, GEN_DIR, MODULE_SO, DEMO_PASSWORD,  # noqa: E402
                         RUN_USER, RUN_GROUP, HttpdInstall, running_as_root)
import gen_data  # noqa: E402

OUT_DIR = os.path.join(GEN_DIR, "bench")
LUA = os.path.join(HERE, "wrk.lua")
DOC = os.path.join(REPO, "docs", "performance.md")
DOC_BEGIN = "<!-- bench.py: begin of the generated part -->"
DOC_END = "<!-- bench.py: end of the generated part -->"
# --engine pgsql writes its own part, leaving SQLite's alone
DOC_MARKS = {"sqlite3": (DOC_BEGIN, DOC_END, "## Latest run"),
             "pgsql": ("<!-- bench.py --engine pgsql: begin of the generated part -->",
                       "<!-- bench.py --engine pgsql: end of the generated part -->",
                       "## Latest run on PostgreSQL")}
KEYS = os.path.join(REPO, "tests", "gateway", "keys")

USER = "gael.classen"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
XML = "application/xml"

# (key, label, module path, Accept, file name of the static copy)
PAGES = [
    ("catalogue", "Catalogue, page 1", "/", HTML, "catalogue.html"),
    ("recherche", "Recherche « randonnee »", "/?q=randonnee", HTML, "recherche.html"),
    ("activite", "Détail d'une activité", "/activite/1", HTML, "activite.html"),
    ("inscription", "Page d'inscription", "/activite/1/inscription", HTML,
     "inscription.html"),
    ("mes-inscriptions", "« Mes inscriptions »", "/mes-inscriptions", HTML,
     "mes-inscriptions.html"),
    ("xml", "Catalogue en XML", "/", XML, "catalogue.xml"),
]

FULL = dict(activities=10000, households=5000, duration=10, rounds=3, writes=1500,
            rss_requests=200000, rss_warmup=20000, rss_max_seconds=1800, cg_warmup=2,
            cg_requests=5)
QUICK = dict(activities=600, households=400, duration=1, rounds=1, writes=64,
             rss_requests=3000, rss_warmup=300, rss_max_seconds=20, cg_warmup=1,
             cg_requests=2)

# Lines of the error log that are a crash, whatever their level.
CRASH = re.compile(r"AH00052: child pid \d+ exit signal|AH00060|Segmentation fault|"
                   r"AddressSanitizer|double free|stack smashing")
LOG_LEVEL = re.compile(r"^\[[^\]]*\] \[(?P<module>[^:\]]*):(?P<level>[a-z0-9]+)\]")


def proc_stat(pid):
    """A process's /proc/PID/stat fields after its name (fields[1] is the parent, [11]
    and [12] its user and system ticks) and its command line; (None, None) once it is
    gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return None, None
    return stat[stat.rindex(")") + 2:].split(), cmd


def log(msg):
    print(msg, flush=True)


class Failures(list):
    def add(self, msg):
        log(f"bench: ERROR: {msg}")
        self.append(msg)


# ----------------------------------------------------------------------------------
# The server: the demo's configuration with the static copies


class BenchHttpd(DemoHttpd):
    """The demo server (scripts/demo --prepare) on a database file of ours, with the
    static copies of the module's pages behind the portal's login and session
    (/bench-static/) and behind nothing (/bench-bare/)."""

    # Set by main(): the module and stylesheets copied at the start of the run (a rebuild
    # meanwhile must not mix two builds in one table), configuration lines to try, and
    # PostgreSQL settings to try (NAME=VALUE).
    snapshot = None
    extra_conf = []
    pg_conf = []

    def __init__(self, name, db_file=None, engine="sqlite3"):
        # scripts/demo --prepare serves db_file (CMCAS_DEMO_DATA): a copy on SQLite, moved
        # into the demo's own cluster by scripts/cmcas-sqlite-to-pgsql on PostgreSQL
        super().__init__(name, engine=engine, data=db_file)
        self.db_file = db_file
        self.more_conf = []         # this server's own lines (after --extra-conf's)
        self.static_dir = os.path.join(self.server_root, "bench-static")
        self.removed = []

    def write_files(self):
        super().write_files()
        if self.engine == "pgsql" and self.pg_conf:
            self.pg_reconfigure(self.pg_conf)
        os.makedirs(self.static_dir, exist_ok=True)
        os.chmod(self.static_dir, 0o755)
        with open(self.conf_path, encoding="utf-8") as f:
            conf = f.read()
        # The benchmark signs its own notifications: no bank to confirm them with.
        conf, n = re.subn(r"(?m)^[ \t]*CMCASPayboxDirect[ \t].*\n", "", conf)
        if n:
            self.removed.append("CMCASPayboxDirect")
        if self.snapshot:
            conf = conf.replace(MODULE_SO, self.snapshot["module"])
            conf = conf.replace(os.path.join(REPO, "xslt"), self.snapshot["xslt"])
        conf += f"""
# --- tests/bench/bench.py: static copies of the module's pages ----------------------
# Inside the portal's <Location "/">: the same login form and session as the members'.
Alias "/bench-static/" "{self.static_dir}/"
<Location "/bench-static/">
    SetHandler none
</Location>
# Apache's ceiling: the same files, no session, no login.
Alias "/bench-bare/" "{self.static_dir}/"
<Location "/bench-bare/">
    SetHandler none
    Session Off
    Require all granted
</Location>
<Directory "{self.static_dir}">
    Options None
    AllowOverride None
</Directory>
"""
        if self.extra_conf:
            conf += ("# --- bench.py --extra-conf\n" + "\n".join(self.extra_conf) + "\n")
        if self.more_conf:
            conf += ("# --- bench.py: this measurement's\n" + "\n".join(self.more_conf)
                     + "\n")
        with open(self.conf_path, "w", encoding="utf-8") as f:
            f.write(conf)
        if self.engine == "sqlite3":
            self.give_to_run_user(os.path.dirname(self.db_path))

    def pg_reconfigure(self, settings):
        """PostgreSQL settings to try (--pg-conf NAME=VALUE): appended to the cluster's
        postgresql.conf, then the demo's cluster restarted (before httpd starts);
        pg_stat_statements in shared_preload_libraries also creates its extension
        (PgWatch then reports the statements of each blast)."""
        import cmcas_pg
        pg = self.pg_cluster()
        data = os.path.join(self.server_root, "pgsql", "data")
        with open(os.path.join(data, "postgresql.conf"), "a", encoding="utf-8") as f:
            f.write("\n# tests/bench/bench.py --pg-conf\n")
            for item in settings:
                name, value = item.split("=", 1)
                value = value.strip().replace("'", "''")
                f.write(f"{name.strip()} = '{value}'\n")
        if any(item.startswith("unix_socket_directories=") for item in settings):
            # a Unix socket (for DBDParams "host=DIR port=${CMCAS_DEMO_PGSQL_PORT} ..."
            # by --extra-conf): the demo's trust there too
            with open(os.path.join(data, "pg_hba.conf"), "a", encoding="utf-8") as f:
                f.write("# tests/bench/bench.py --pg-conf unix_socket_directories\n"
                        "local   all       all                 trust\n")
        cmd = [os.path.join(cmcas_pg.PG_BIN, "pg_ctl"), "-D", data, "-l",
               os.path.join(self.server_root, "pgsql", "postgresql.log"), "-m", "fast",
               "-w", "-t", "60", "restart"]
        if running_as_root():
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode:
            raise RuntimeError(f"PostgreSQL did not restart with {settings}: "
                               f"{proc.stdout}{proc.stderr}")
        cmcas_pg.forget(pg)
        if any("pg_stat_statements" in item for item in settings):
            conn = pg_connect(self)
            try:
                with conn.cursor() as cur:
                    cur.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            finally:
                conn.close()

    def q(self, statement, params=()):
        """A statement of the benchmark's own on the server's database, either engine
        (SQL common to both, `?` parameters); all rows, as tuples."""
        if self.engine == "pgsql":
            import cmcas_pg
            return cmcas_pg.query(self.pg_cluster(), self.pg_db, statement, params)
        return sql(self.db_path, statement, params)

    def postgres_pids(self):
        """The demo cluster's postmaster and its children (backends, WAL writer...)."""
        pid = postmaster_pid(self.server_root)
        if not pid:
            return None, []
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)],
                             capture_output=True, text=True).stdout
        return pid, [int(x) for x in out.split()]

    def postgres_cpu_s(self):
        """CPU time (user + system) used so far by the demo's PostgreSQL, by kind of
        process: the portal's connections (« postgres: cmcas cmcas ... »), the benchmark's
        own, autovacuum, the WAL writer, the checkpointer..., and the children the
        postmaster has already reaped (autovacuum workers that finished, connections
        closed): {kind: seconds}."""
        pid, kids = self.postgres_pids()
        if not pid:
            return None
        hz, out = os.sysconf("SC_CLK_TCK"), {}
        for p in [pid] + kids:
            fields, cmd = proc_stat(p)
            if fields is None:
                continue
            if p == pid:
                kind = "postmaster"
                out["finished processes"] = (out.get("finished processes", 0)
                                             + int(fields[13]) + int(fields[14]))
            elif cmd.startswith("postgres: cmcas cmcas"):
                kind = "connections"
            elif cmd.startswith("postgres: postgres "):
                kind = "the benchmark's connections"
            elif "autovacuum" in cmd:
                kind = "autovacuum"
            else:
                kind = re.sub(r"^postgres: (\S+ )?", "", cmd).split("  ")[0] or "?"
            out[kind] = out.get(kind, 0) + int(fields[11]) + int(fields[12])
        return {k: v / hz for k, v in out.items()}

    def children(self):
        pid = self.pid or self._read_pid()
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)],
                             capture_output=True, text=True).stdout
        return [int(x) for x in out.split()]

    def children_rss_kb(self):
        total = 0
        for child in self.children():
            try:
                with open(f"/proc/{child}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
            except OSError:
                pass
        return total

    def children_cpu_s(self):
        """CPU time (user + system) used so far by httpd's children."""
        hz, total = os.sysconf("SC_CLK_TCK"), 0
        for child in self.children():
            try:
                with open(f"/proc/{child}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            total += int(fields[11]) + int(fields[12])
        return total / hz

    def log_summary(self):
        """(crash lines, lines at warn level or above) of the whole error log."""
        crashes, warnings = [], []
        try:
            with open(self.error_log_path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if CRASH.search(line):
                        crashes.append(line.rstrip())
                    m = LOG_LEVEL.match(line)
                    if m and m.group("level") in ("warn", "error", "crit", "alert", "emerg"):
                        warnings.append(line.rstrip())
        except OSError:
            pass
        return crashes, warnings

    def truncate_access_log(self, keep_as=None):
        """Empties the access log, first copied to OUT_DIR/keep_as (time taken: %D)."""
        path = os.path.join(self.server_root, "logs", "access.log")
        if os.path.exists(path):
            if keep_as:
                shutil.copyfile(path, os.path.join(OUT_DIR, keep_as))
            os.truncate(path, 0)


def effective_conf(text, names):
    """The values httpd uses for these server-level directives: the last of each outside
    the <IfDefine> blocks that do not apply (the demo has one DBD block per engine, and
    --extra-conf lines come after them)."""
    defined, stack, out = set(), [], {}
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"Define\s+(\S+)", line)
        if m and all(stack):
            defined.add(m.group(1))
            continue
        m = re.match(r"<IfDefine\s+(!?)([^>\s]+)\s*>", line)
        if m:
            stack.append((m.group(2) in defined) != (m.group(1) == "!"))
            continue
        if re.match(r"</IfDefine\s*>", line):
            if stack:
                stack.pop()
            continue
        m = re.match(r"(\w+)\s+(\S+)", line)
        if m and m.group(1) in names and all(stack):
            out[m.group(1)] = m.group(2)
    return {k: out[k] for k in names if k in out}


def postmaster_pid(server_root):
    """The pid of the PostgreSQL that scripts/demo --pgsql started in server_root."""
    try:
        with open(os.path.join(server_root, "pgsql", "data", "postmaster.pid")) as f:
            return int(f.readline())
    except (OSError, ValueError):
        return None


def sql(db_path, statement, params=()):
    """A statement on a server's database, as the workers' user (SQLite's -shm files)."""
    uid = gid = None
    if running_as_root():
        uid, gid = pwd.getpwnam(RUN_USER).pw_uid, grp.getgrnam(RUN_GROUP).gr_gid
        os.setegid(gid)
        os.seteuid(uid)
    try:
        db = sqlite3.connect(db_path, timeout=30, isolation_level=None)
        try:
            return db.execute(statement, params).fetchall()
        finally:
            db.close()
    finally:
        if uid is not None:
            os.seteuid(0)
            os.setegid(0)


# ----------------------------------------------------------------------------------
# HTTP


class Client:
    """One member's keep-alive connection and cookies (updated from every answer, as a
    browser does)."""

    def __init__(self, host, port, timeout=60):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None
        self.cookies = {}

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method, path, body=None, headers=None):
        hdrs = {"Accept": HTML}
        hdrs.update(headers or {})
        if self.cookies:
            hdrs["Cookie"] = self.cookie_header()
        if body is not None and not isinstance(body, bytes):
            body = urllib.parse.urlencode(body).encode()
            hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port,
                                                       timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError):
                # an idle keep-alive connection the server closed: once more, anew
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for value in resp.msg.get_all("Set-Cookie") or []:
            pair = value.split(";", 1)[0]
            if "=" in pair:
                k, v = pair.split("=", 1)
                self.cookies[k.strip()] = v.strip()
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return resp.status, resp, data

    def login(self, user, password=DEMO_PASSWORD):
        """The demo's login form; True when the server accepted it."""
        status, resp, _ = self.request("POST", "/connexion/valider",
                                       {"httpd_username": user, "httpd_password": password})
        where = resp.getheader("Location", "")
        return status in (302, 303) and "erreur" not in where and bool(self.cookies)

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None


def wrk(url, headers, duration, expect=200, requests_file=None, limit=0, threads=2,
        connections=32, max_seconds=None):
    """One wrk run; its figures (dict). With requests_file, each thread sends its share
    of the file (see wrk.lua) and the run ends when every thread is done."""
    d = duration if requests_file is None else (max_seconds or 600)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{d}s", "--latency",
           "--timeout", "30s", "-s", LUA]
    for h in headers:
        cmd += ["-H", h]
    cmd += [url, "--", str(expect)]
    if requests_file:
        cmd += [requests_file, str(threads), str(limit)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    state = {"done": 0, "interrupted": False}

    def interrupt():
        # wrk's main thread sleeps for the whole -d: SIGINT wakes it up (its handler
        # stops the run and prints the results)
        state["interrupted"] = True
        for _ in range(50):
            if proc.poll() is not None:
                return
            proc.send_signal(signal.SIGINT)
            time.sleep(0.2)

    watchdog = threading.Timer(d + 120, lambda: proc.kill())
    watchdog.start()
    out_lines = []
    try:
        for line in proc.stdout:
            out_lines.append(line)
            if line.startswith("BENCH-THREAD-DONE"):
                state["done"] += 1
                if state["done"] == threads:
                    threading.Thread(target=interrupt, daemon=True).start()
        proc.wait()
    finally:
        watchdog.cancel()
    err = proc.stderr.read()
    res = None
    for line in out_lines:
        if line.startswith("BENCH-JSON "):
            res = json.loads(line[len("BENCH-JSON "):])
    if res is None:
        raise RuntimeError(f"wrk gave no result (exit {proc.returncode}): {err.strip()}\n"
                           + "".join(out_lines[-20:]))
    codes = {}
    for part in filter(None, res["unexpected_codes"].split(",")):
        code, n = part.split(":")
        codes[code] = codes.get(code, 0) + int(n)
    res["unexpected_codes"] = ",".join(f"{c}:{n}" for c, n in sorted(codes.items()))
    res["seconds"] = res["duration_us"] / 1e6
    res["rps"] = res["requests"] / res["seconds"] if res["seconds"] else 0.0
    res["socket_errors"] = res["connect"] + res["read"] + res["write"] + res["timeout"]
    res["finished"] = state["done"] == threads if requests_file else True
    return res


def write_requests(path, requests):
    """wrk.lua's request file: one raw request a line, CR LF written as TAB."""
    with open(path, "w", encoding="utf-8") as f:
        for r in requests:
            assert "\t" not in r and "\n" not in r.replace("\r\n", "")
            f.write(r.replace("\r\n", "\t") + "\n")


def raw_request(method, path, host, headers, body=b""):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"] + list(headers)
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return "\r\n".join(lines) + "\r\n\r\n" + (body.decode("ascii") if body else "")


def timed_blast(srv, reqs, expect, blast=None, name="writes"):
    """A Blast, with the CPU httpd's children used meanwhile; on PostgreSQL also the CPU
    of the cluster's processes, what its backends waited for (PgWatch) and its WAL and
    commit counters."""
    watch = PgWatch(srv) if srv.engine == "pgsql" else None
    cpu0 = srv.children_cpu_s()
    pg0 = srv.postgres_cpu_s() if watch else None
    if watch:
        watch.start()
    r = blast_result((blast or Blast(srv.host, srv.port, reqs)).run(), expect)
    r["server_cpu_s"] = srv.children_cpu_s() - cpu0
    r["server_cpu_ms_each"] = 1e3 * r["server_cpu_s"] / max(1, r["requests"])
    r["server_cpus_busy"] = r["server_cpu_s"] / r["seconds"] if r["seconds"] else 0.0
    if watch:
        pg1 = srv.postgres_cpu_s()
        # the bench's own connection (srv.q) is cmcas's too: it sits idle during a blast
        r["pg"] = watch.result()
        stmts = r["pg"].pop("statements")
        if stmts:
            n = max(1, r["requests"])
            path = os.path.join(OUT_DIR, f"pg-statements-{name}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"pg_stat_statements during {r['requests']} {name} (role cmcas), by "
                        "total execution time: calls per request, ms per call, total ms; "
                        "plans per request, ms per plan (with pg_stat_statements."
                        "track_planning on); query\n")
                for st in stmts:
                    f.write(f"{st['calls'] / n:8.2f} {st['total_ms'] / max(1, st['calls']):8.3f}"
                            f" {st['total_ms']:10.1f} {st['plans'] / n:6.2f} "
                            f"{st['plan_ms'] / max(1, st['plans']):7.3f}  "
                            f"{st['query'][:300]}\n")
            r["pg"]["statements_per_request"] = sum(st["calls"] for st in stmts) / n
            r["pg"]["statement_ms_per_request"] = sum(st["total_ms"] for st in stmts) / n
            r["pg"]["statements_top"] = [
                (st["calls"] / n, st["total_ms"] / max(1, st["calls"]), st["query"][:90])
                for st in stmts[:3]]
        if pg0 is not None and pg1 is not None:
            by = {k: pg1.get(k, 0) - pg0.get(k, 0) for k in set(pg0) | set(pg1)}
            r["pg_cpu_by"] = {k: v for k, v in sorted(by.items(), key=lambda kv: -kv[1])
                              if v > 0}
            # (the watcher's sampling is the benchmark's, not the portal's)
            r["pg_cpu_s"] = sum(v for k, v in by.items()
                                if k != "the benchmark's connections")
            r["pg_cpu_ms_each"] = 1e3 * r["pg_cpu_s"] / max(1, r["requests"])
            r["pg_cpus_busy"] = r["pg_cpu_s"] / r["seconds"] if r["seconds"] else 0.0
    return r


# ----------------------------------------------------------------------------------
# PostgreSQL (--engine pgsql): what the cluster did meanwhile

# The settings reported with a run on PostgreSQL (the demo's cluster: initdb's defaults
# but for where it listens).
PG_SETTINGS = ["server_version", "fsync", "synchronous_commit", "wal_sync_method",
               "full_page_writes", "commit_delay", "shared_buffers", "wal_buffers",
               "max_wal_size", "checkpoint_timeout", "max_connections"]


def pg_connect(srv, user="postgres", db=None):
    """A connection to the demo's cluster (trust authentication on 127.0.0.1), as the
    superuser by default: pg_stat_activity then shows every session's wait."""
    import psycopg2
    pg = srv.pg_cluster()
    conn = psycopg2.connect(host=pg.host, port=pg.port, dbname=db or srv.pg_db, user=user)
    conn.autocommit = True
    return conn


def pg_exec(srv, statement):
    """A statement as the superuser on the portal's database; its rows."""
    conn = pg_connect(srv)
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def pg_settings(srv):
    conn = pg_connect(srv)
    try:
        with conn.cursor() as cur:
            out = {}
            for name in PG_SETTINGS:
                cur.execute("SELECT current_setting(%s)", (name,))
                out[name] = cur.fetchone()[0]
            return out
    finally:
        conn.close()


def pg_commit_latency(srv, n=300):
    """The time one small write transaction takes from the client's side, one after the
    other on an idle cluster (median and 90th percentile, ms): with synchronous_commit on
    (each commit waits for its WAL to be flushed: the fsync) and off (the same without
    the wait), in a table of the benchmark's own, dropped afterwards."""
    conn = pg_connect(srv, user="cmcas")
    out = {}
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe "
                        "(id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
            cur.execute("INSERT INTO bench_commit_probe VALUES (1, 0) ON CONFLICT DO NOTHING")
            for mode in ("on", "off", "on"):
                cur.execute(f"SET synchronous_commit = {mode}")
                times = []
                for _ in range(n):
                    t0 = time.perf_counter()
                    cur.execute("UPDATE bench_commit_probe SET n = n + 1 WHERE id = 1")
                    times.append(time.perf_counter() - t0)
                times.sort()
                # "on" twice (before and after "off"): the better of the two medians
                key = f"sync_{mode}"
                fig = {"p50_ms": times[n // 2] * 1e3, "p90_ms": times[int(n * 0.9)] * 1e3}
                if key not in out or fig["p50_ms"] < out[key]["p50_ms"]:
                    out[key] = fig
            cur.execute("DROP TABLE bench_commit_probe")
            # what one statement's round trip costs the backend (CPU) and the client
            # (time), without any work in it: SELECT 1, n times
            stat = f"/proc/{conn.get_backend_pid()}/stat"

            def cpu():
                with open(stat) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            m = 10 * n
            c0, t0 = cpu(), time.perf_counter()
            for _ in range(m):
                cur.execute("SELECT 1")
                cur.fetchall()
            t1, c1 = time.perf_counter(), cpu()
            out["round_trip"] = {"ms": (t1 - t0) * 1e3 / m,
                                 "backend_cpu_ms": (c1 - c0) * 1e3 / m}
    finally:
        conn.close()
    return out


class PgWatch(threading.Thread):
    """During a blast on PostgreSQL: what the portal's connections (role cmcas) are doing,
    sampled every 20 ms from pg_stat_activity — running, waiting (for a row lock, the WAL's
    flush...), in an open transaction while httpd works, or idle in the pool — and the
    cluster's counters before and after: transaction ids given out (one per transaction
    that writes) and WAL written, exact at once; the statistics' counters (pg_stat_wal's
    flushes, pg_stat_database's commits, read-only ones included) only as exact as the
    backends reported them: an idle backend reports within 10 s, so they are read 11 s
    after the previous writes and 11 s after the blast. This watcher is connected to the
    database `postgres`, not the portal's: its own statements are not counted."""

    COUNTERS = """
        SELECT w.wal_records, w.wal_fpi, w.wal_write, w.wal_sync,
               d.xact_commit, d.xact_rollback, d.blks_read, d.blks_hit, d.deadlocks,
               d.sessions,
               (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter),
               pg_snapshot_xmax(pg_current_snapshot())::TEXT::BIGINT,
               pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::BIGINT
          FROM pg_stat_wal w, pg_stat_database d WHERE d.datname = %s"""
    NAMES = ["wal_records", "wal_fpi", "wal_write", "wal_sync", "commits", "rollbacks",
             "blks_read", "blks_hit", "deadlocks", "sessions", "checkpoints",
             "write_transactions",
             "wal_bytes"]

    def __init__(self, srv, every=0.02, settle=11.0):
        super().__init__(daemon=True)
        self.every, self.settle = every, settle
        self.halt = threading.Event()
        self.db, self.srv = srv.pg_db, srv
        self.conn = pg_connect(srv, db="postgres")
        import cmcas_pg         # the benchmark's own connection (srv.q) is not the portal's
        self.own = cmcas_pg.connection(srv.pg_cluster(), srv.pg_db).get_backend_pid()
        self.states = {}            # state -> sum over samples of the connections in it
        self.samples = 0
        self.connections = []
        time.sleep(settle)          # what the backends did before is reported by now
        self.before = self.counters()
        self.statements = bool(pg_exec(
            srv, "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'"))
        if self.statements:     # (--pg-conf shared_preload_libraries=pg_stat_statements)
            pg_exec(srv, "SELECT pg_stat_statements_reset()")

    def counters(self):
        with self.conn.cursor() as cur:
            cur.execute(self.COUNTERS, (self.db,))
            return dict(zip(self.NAMES, cur.fetchone()))

    def run(self):
        q = """SELECT state, wait_event_type, wait_event FROM pg_stat_activity
                WHERE datname = %s AND usename = 'cmcas'
                  AND backend_type = 'client backend' AND pid <> %s"""
        with self.conn.cursor() as cur:
            while not self.halt.wait(self.every):
                cur.execute(q, (self.db, self.own))
                rows = cur.fetchall()
                self.samples += 1
                self.connections.append(len(rows))
                for state, wtype, wevent in rows:
                    if state == "active":
                        key = f"waiting: {wtype} {wevent}" if wtype else "running"
                    elif state == "idle in transaction":
                        key = ("in a transaction, waiting for httpd"
                               + (f" ({wtype} {wevent})" if wtype and wtype != "Client"
                                  else ""))
                    else:
                        key = f"{state or '?'}"
                    self.states[key] = self.states.get(key, 0) + 1

    def result(self):
        self.halt.set()
        self.join(10)
        time.sleep(self.settle)
        after = self.counters()
        self.conn.close()
        n = max(1, self.samples)
        delta = {k: float(after[k] - self.before[k]) for k in self.NAMES}
        stmts = None
        if self.statements:
            stmts = [dict(zip(("calls", "total_ms", "rows", "plans", "plan_ms", "query"), r))
                     for r in pg_exec(
                self.srv, """SELECT s.calls, s.total_exec_time, s.rows, s.plans,
                                    s.total_plan_time,
                                    regexp_replace(s.query, '\s+', ' ', 'g')
                               FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
                              WHERE r.rolname = 'cmcas' ORDER BY s.total_exec_time DESC""")]
        return {"statements": stmts,"samples": self.samples,
                "connections_mean": statistics.mean(self.connections)
                if self.connections else 0.0,
                "connections_max": max(self.connections, default=0),
                # the mean number of the portal's connections in each state
                "states": {k: v / n for k, v in sorted(self.states.items(),
                                                       key=lambda kv: -kv[1])},
                "counters": delta,
                "writes_per_wal_sync": delta["write_transactions"] / delta["wal_sync"]
                if delta["wal_sync"] else None}


def fmt_rate(v):
    return f"{v:.0f}/s" if v else "—"


def blast_result(r, expect):
    r["expect"] = expect
    r["unexpected"] = sum(n for st, n in r["statuses"].items() if st != str(expect))
    r["unexpected_codes"] = ",".join(f"{st}:{n}" for st, n in r["statuses"].items()
                                     if st != str(expect))
    r["socket_errors"] = r["errors"]
    # The rate between the 10th and the 90th percentile of the answers: the steady
    # state, without the start (connections opening) and the last stragglers.
    done = r.pop("done_at", [])
    lo, hi = int(len(done) * 0.1), int(len(done) * 0.9)
    r["steady_rps"] = ((hi - lo) / (done[hi] - done[lo])
                       if len(done) >= 10 and done[hi] > done[lo] else None)
    return r


class Blast:
    """Each request once, at `connections` keep-alive connections, as fast as the server
    answers (the writes). A request whose connection the server closed before its answer
    is sent again on a new connection (counted in `retries`): the writes measured are
    idempotent (validating a validated registration, or a bank message already taken,
    changes nothing), and wrk cannot send a list exactly once (it sends a new request,
    not the lost one, after a reconnection)."""

    def __init__(self, host, port, requests, connections=32, timeout=60, keep=False):
        self.host, self.port, self.requests = host, port, requests
        self.connections, self.timeout = connections, timeout
        self.keep = keep
        self.answers = [None] * len(requests)     # with keep: (status, headers, body)
        self.statuses = [None] * len(requests)
        self.latencies = []
        self.connects = []          # seconds each (re)connection took
        self.done_at = []           # when each answer came, from the start
        self.retries = 0
        self.errors = 0

    async def _response(self, reader):
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        hdrs, all_hdrs = {}, []
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                hdrs[k.strip().lower()] = v.strip()
                all_hdrs.append((k.strip().lower(), v.strip()))
        body = b""
        if hdrs.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                body += (await reader.readexactly(size + 2))[:-2]
                if size == 0:
                    break
        else:
            body = await reader.readexactly(int(hdrs.get("content-length", "0")))
        return status, hdrs.get("connection", "").lower() == "close", all_hdrs, body

    async def _worker(self, queue):
        import asyncio
        reader = writer = None
        while queue:
            i, req = queue.pop()
            for attempt in range(5):
                try:
                    if writer is None:
                        c0 = time.monotonic()
                        reader, writer = await asyncio.open_connection(self.host, self.port)
                        self.connects.append(time.monotonic() - c0)
                    t0 = time.monotonic()
                    writer.write(req)
                    await writer.drain()
                    status, close, hdrs, body = await asyncio.wait_for(
                        self._response(reader), self.timeout)
                    self.latencies.append(time.monotonic() - t0)
                    self.done_at.append(time.monotonic() - self.t_start)
                    self.statuses[i] = status
                    if self.keep:
                        self.answers[i] = (status, hdrs, body)
                    if close:
                        writer.close()
                        writer = None
                    break
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                        asyncio.TimeoutError, ValueError, IndexError):
                    self.retries += 1
                    if writer is not None:
                        writer.close()
                        writer = None
            else:
                self.errors += 1
        if writer is not None:
            writer.close()

    def run(self):
        import asyncio
        queue = list(reversed(list(enumerate(r.encode("ascii") for r in self.requests))))

        async def main():
            await asyncio.gather(*(self._worker(queue) for _ in range(self.connections)))

        cpu0 = os.times()
        t0 = self.t_start = time.monotonic()
        asyncio.run(main())
        seconds = time.monotonic() - t0
        cpu1 = os.times()
        lat = sorted(self.latencies) or [0.0]
        counts = {}
        for st in self.statuses:
            counts[st] = counts.get(st, 0) + 1
        return {"requests": len(self.requests), "seconds": seconds,
                "rps": len(self.requests) / seconds if seconds else 0.0,
                "p50_ms": lat[len(lat) // 2] * 1e3,
                "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e3,
                "statuses": {str(k): v for k, v in counts.items()},
                "retries": self.retries, "errors": self.errors,
                "client_cpu_s": (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system),
                "connects": len(self.connects),
                "slow_connects": sum(1 for c in self.connects if c > 0.2),
                "max_connect_ms": max(self.connects, default=0.0) * 1e3,
                "done_at": sorted(self.done_at)}


def file_digest(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


def take_snapshot():
    """Copies of the module and the stylesheets, used by every server of the run."""
    d = os.path.join(OUT_DIR, "snapshot")
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    module = os.path.join(d, "mod_cmcas.so")
    shutil.copy2(MODULE_SO, module)
    xslt = os.path.join(d, "xslt")
    shutil.copytree(os.path.join(REPO, "xslt"), xslt)
    for root, dirs, files in os.walk(d):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o755 if f.endswith(".so") else 0o644)
    built = datetime.datetime.fromtimestamp(os.path.getmtime(MODULE_SO)).astimezone()
    return {"module": module, "xslt": xslt, "digest": file_digest(module),
            "built": built.strftime("%Y-%m-%d %H:%M:%S %Z")}


# ----------------------------------------------------------------------------------
# Machine


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    try:
        apache = subprocess.run([HttpdInstall.get().binary, "-v"], capture_output=True,
                                text=True).stdout.splitlines()[0].split(":", 1)[1].strip()
    except (OSError, IndexError):
        apache = "?"
    sqlite_v = sqlite3.sqlite_version
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem_kb / 1048576, 1),
            "kernel": platform.release(), "apache": apache, "sqlite": sqlite_v,
            "loadavg_start": open("/proc/loadavg").read().split()[:3]}


class CpuWatch(threading.Thread):
    """Samples every process's CPU time every few seconds: how much CPU processes other
    than the benchmark's (another engineer's tests on a shared machine) took during the
    run, so that a reader knows whether the figures were measured on a quiet machine."""

    roots = set()       # pids of ours that nothing else tells (a postmaster in /tmp)

    def __init__(self, every=5.0):
        super().__init__(daemon=True)
        self.every = every
        self.halt = threading.Event()
        self.others = {}            # command -> seconds of CPU
        self.windows = []           # others' CPU per window, in CPUs
        self.hz = os.sysconf("SC_CLK_TCK")

    def sample(self):
        me = os.getpid()
        out = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            fields, cmd = proc_stat(pid)
            if fields is None:
                continue
            ppid, ticks = int(fields[1]), int(fields[11]) + int(fields[12])
            if not cmd:
                continue                # kernel threads
            ours = (int(pid) == me or ppid == me or int(pid) in self.roots
                    or os.path.join(GEN_DIR, "bench-") in cmd)
            out[int(pid)] = (ticks, ours, cmd[:60], ppid)
        # the descendants of ours are ours (a PostgreSQL's backends: « postgres: cmcas
        # cmcas 127.0.0.1(...) », children of a postmaster of ours)
        changed = True
        while changed:
            changed = False
            for pid, (ticks, ours, cmd, ppid) in out.items():
                if not ours and ppid in out and out[ppid][1]:
                    out[pid] = (ticks, True, cmd, ppid)
                    changed = True
        return out

    def run(self):
        prev, t_prev = self.sample(), time.monotonic()
        while not self.halt.wait(self.every):
            cur, t = self.sample(), time.monotonic()
            used = 0.0
            for pid, (ticks, ours, cmd, _) in cur.items():
                if ours:
                    continue
                d = (ticks - prev[pid][0]) / self.hz if pid in prev else 0.0
                if d > 0:
                    used += d
                    self.others[cmd] = self.others.get(cmd, 0.0) + d
            self.windows.append(used / (t - t_prev))
            prev, t_prev = cur, t

    def result(self):
        self.halt.set()
        self.join(10)
        top = sorted(self.others.items(), key=lambda kv: -kv[1])[:3]
        return {"mean_cpus": statistics.mean(self.windows) if self.windows else 0.0,
                "max_cpus": max(self.windows) if self.windows else 0.0,
                "top": [f"{cmd} ({sec:.0f} s)" for cmd, sec in top]}


def git_head():
    try:
        head = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--",
                                "mod_cmcas", "conf", "xslt", "sql"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" + uncommitted changes" if dirty else "")
    except OSError:
        return "?"


# ----------------------------------------------------------------------------------
# Phases


def session_client(srv, failures):
    c = Client(srv.host, srv.port)
    if not c.login(USER):
        failures.add(f"{USER} could not log in through the login form")
        return None
    status, _, body = c.request("GET", "/", headers={"Accept": XML})
    if status != 200 or f'login="{USER}"'.encode() not in body:
        failures.add(f"after the login, / answers {status} without the user")
        return None
    return c


def static_copies(srv, member, failures):
    """The module's pages, fetched once and written as files; checks that the copies
    are served, and that behind the session they need the login."""
    sizes, totals = {}, {}
    for key, _, path, accept, fname in PAGES:
        status, _, body = member.request("GET", path, headers={"Accept": accept})
        if status != 200:
            failures.add(f"{path} ({key}) answers {status}")
            continue
        with open(os.path.join(srv.static_dir, fname), "wb") as f:
            f.write(body)
        os.chmod(os.path.join(srv.static_dir, fname), 0o644)
        sizes[key] = len(body)
        if accept == XML:
            m = re.search(rb'<catalogue [^>]*total="(\d+)"', body)
            totals["catalogue"] = int(m.group(1)) if m else None
    status, _, body = member.request("GET", "/?q=randonnee", headers={"Accept": XML})
    m = re.search(rb'<catalogue [^>]*total="(\d+)"', body)
    totals["recherche"] = int(m.group(1)) if m else None
    # the copies are served, byte for byte
    anon = Client(srv.host, srv.port)
    for key, _, _, accept, fname in PAGES:
        if key not in sizes:
            continue
        for prefix, client in (("/bench-static/", member), ("/bench-bare/", anon)):
            status, _, body = client.request("GET", prefix + fname,
                                             headers={"Accept": accept})
            if status != 200 or len(body) != sizes[key]:
                failures.add(f"{prefix}{fname} answers {status}, {len(body)} bytes")
    # behind the session: no cookie, no page
    status, resp, _ = anon.request("GET", "/bench-static/catalogue.html")
    if status == 200:
        failures.add("/bench-static/ is served without a login: the static baseline "
                     "is not behind the members' authentication")
    anon.close()
    return sizes, totals


def measure_pages(srv, member, cfg, failures):
    cookie = f"Cookie: {member.cookie_header()}"
    runs = {key: {"module": [], "static": [], "bare": [], "ratio_ms": [], "ratio_sb": []}
            for key, *_ in PAGES}
    for rnd in range(cfg["rounds"]):
        for key, label, path, accept, fname in PAGES:
            urls = {"module": srv.url(path), "static": srv.url("/bench-static/" + fname),
                    "bare": srv.url("/bench-bare/" + fname)}
            got = {"module": [], "static": [], "bare": []}
            for kind in ("module", "static", "bare", "static", "module"):
                r = wrk(urls[kind], [cookie, f"Accept: {accept}"], cfg["duration"])
                srv.truncate_access_log()
                got[kind].append(r)
                runs[key][kind].append(r)
                if r["unexpected"]:
                    failures.add(f"{label} ({kind}): {r['unexpected']} answers other than "
                                 f"200 ({r['unexpected_codes']})")
            m = statistics.mean(r["rps"] for r in got["module"])
            s = statistics.mean(r["rps"] for r in got["static"])
            b = statistics.mean(r["rps"] for r in got["bare"])
            runs[key]["ratio_ms"].append(m / s if s else 0.0)
            runs[key]["ratio_sb"].append(s / b if b else 0.0)
            log(f"  round {rnd + 1} {label:28} module {m:9.1f}/s  static+session "
                f"{s:9.1f}/s  bare {b:9.1f}/s  module/static "
                f"{runs[key]['ratio_ms'][-1]:6.1%}  static/bare "
                f"{runs[key]['ratio_sb'][-1]:6.1%}  socket errors "
                f"{sum(x['socket_errors'] for k in got for x in got[k])}")
    out = {}
    for key, label, *_ in PAGES:
        r = runs[key]
        out[key] = {
            "label": label,
            "module_rps": statistics.median(x["rps"] for x in r["module"]),
            "static_rps": statistics.median(x["rps"] for x in r["static"]),
            "bare_rps": statistics.median(x["rps"] for x in r["bare"]),
            "module_over_static": statistics.median(r["ratio_ms"]),
            "static_over_bare": statistics.median(r["ratio_sb"]),
            "rounds_module_over_static": r["ratio_ms"],
            "rounds_static_over_bare": r["ratio_sb"],
        }
        for kind in ("module", "static", "bare"):
            out[key][f"{kind}_p50_ms"] = statistics.median(x["p50_us"] for x in r[kind]) / 1e3
            out[key][f"{kind}_p99_ms"] = statistics.median(x["p99_us"] for x in r[kind]) / 1e3
            out[key][f"{kind}_unexpected"] = sum(x["unexpected"] for x in r[kind])
            out[key][f"{kind}_socket_errors"] = {
                e: sum(x[e] for x in r[kind]) for e in ("connect", "read", "write",
                                                        "timeout")}
    return out


def measure_memory(srv, member, cfg, failures):
    cookie = member.cookie_header()
    host = f"{srv.host}:{srv.port}"
    reqs = [raw_request("GET", path, host, [f"Cookie: {cookie}", f"Accept: {accept}"])
            for _, _, path, accept, _ in PAGES]
    path = os.path.join(OUT_DIR, "rss-requests.txt")
    write_requests(path, reqs * 2)          # each of the 2 threads cycles all six
    warm = wrk(srv.url("/"), [], 0, 200, path, limit=cfg["rss_warmup"] // 2,
               max_seconds=cfg["rss_max_seconds"])
    srv.truncate_access_log()
    pids_before = srv.children()
    before = srv.children_rss_kb()
    run = wrk(srv.url("/"), [], 0, 200, path, limit=cfg["rss_requests"] // 2,
              max_seconds=cfg["rss_max_seconds"])
    srv.truncate_access_log()
    after = srv.children_rss_kb()
    pids_after = srv.children()
    if pids_before != pids_after:
        log(f"bench: httpd's children changed during the memory run: {pids_before} -> "
            f"{pids_after}")
    for r, what in ((warm, "warm-up"), (run, "memory run")):
        if r["unexpected"]:
            failures.add(f"{what}: {r['unexpected']} answers other than 200 "
                         f"({r['unexpected_codes']})")
    return {"warmup_requests": warm["requests"], "requests": run["requests"],
            "target_requests": cfg["rss_requests"], "seconds": run["seconds"],
            "rps": run["rps"], "rss_kb_before": before, "rss_kb_after": after,
            "growth": (after - before) / before if before else None,
            "children": len(pids_after), "same_children": pids_before == pids_after,
            "finished": run["finished"],
            "socket_errors": run["socket_errors"]}


def consistency(srv):
    """Activities whose places_taken is not the places held by their validated (or paid)
    registrations, and registrations holding places in another status."""
    wrong = srv.q("""
        SELECT a.id, a.places_taken, a.capacity,
               (SELECT COALESCE(SUM(r.places_held), 0) FROM registration r
                 WHERE r.activity_id = a.id AND r.status IN ('validee', 'payee'))
          FROM activity a""")
    bad = [(aid, taken, held) for aid, taken, cap, held in wrong
           if taken != held or taken > cap]
    stray = srv.q("SELECT COUNT(*) FROM registration WHERE places_held > 0"
                  " AND status NOT IN ('validee', 'payee')")[0][0]
    return bad, stray, len(wrong)


def cookie_of(headers):
    """The Cookie header a browser sends after these answer headers."""
    jar = {}
    for k, v in headers:
        if k == "set-cookie":
            pair = v.split(";", 1)[0]
            if "=" in pair:
                name, value = pair.split("=", 1)
                jar[name.strip()] = value.strip()
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def prepare_households(srv, info, n, failures):
    """n BN households log in at 32 connections (timed: logins per second), then each
    starts a registration of its ouvrant droit on the rush activity. Returns ([dict of
    household id, login, cookie, csrf token], the logins' figures)."""
    rows = srv.q("""
        SELECT h.id, h.login, p.id FROM household h
          JOIN person p ON p.household_id = h.id AND p.role = 'OD'
         WHERE h.cmcas_code = 'BN' AND h.login LIKE ? ORDER BY h.id LIMIT ?""",
                 (gen_data.LOGIN_PREFIX + "%", n))
    host = f"{srv.host}:{srv.port}"
    form = "Content-Type: application/x-www-form-urlencoded"
    page = f"/activite/{info['rush_activity']}/inscription"
    # the login form, as a browser posts it
    reqs = [raw_request("POST", "/connexion/valider", host, [form, f"Accept: {HTML}"],
                        urllib.parse.urlencode({"httpd_username": login,
                                                "httpd_password": DEMO_PASSWORD}).encode())
            for _, login, _ in rows]
    b = Blast(srv.host, srv.port, reqs, keep=True)
    logins = timed_blast(srv, reqs, 302, b, "logins")
    members = []
    for (hid, login, person), answer in zip(rows, b.answers):
        status, hdrs, _ = answer or (None, [], b"")
        where = dict(hdrs).get("location", "")
        cookie = cookie_of(hdrs)
        if status not in (302, 303) or "erreur" in where or not cookie:
            failures.add(f"{login} could not log in ({status}, {where})")
            continue
        members.append({"hid": hid, "login": login, "person": person, "cookie": cookie})
    # the registration page (its CSRF token), then « Ajouter » the ouvrant droit
    b = Blast(srv.host, srv.port, [raw_request("GET", page, host, [f"Cookie: {m['cookie']}",
                                                                   f"Accept: {XML}"])
                                   for m in members], keep=True)
    b.run()
    ready = []
    for m, answer in zip(members, b.answers):
        if not answer or answer[0] != 200:
            failures.add(f"{m['login']}: {page} answers {answer and answer[0]}")
            continue
        m["token"] = ET.fromstring(answer[2]).find("inscription").get("csrf")
        ready.append(m)
    b = Blast(srv.host, srv.port, [raw_request(
        "POST", page, host, [f"Cookie: {m['cookie']}", form, f"Accept: {HTML}"],
        urllib.parse.urlencode({"csrf": m["token"], "action": "ajouter",
                                "personne": str(m["person"])}).encode()) for m in ready])
    b.run()
    out = []
    for m, status in zip(ready, b.statuses):
        if status != 303:
            failures.add(f"{m['login']}: « Ajouter » answers {status}")
        else:
            out.append(m)
    return out, logins


def measure_validations(srv, info, members, failures):
    rush, option = info["rush_activity"], info["rush_option"]
    host = f"{srv.host}:{srv.port}"
    parts = dict(srv.q("""
        SELECT r.household_id, rp.id FROM registration r
          JOIN registration_person rp ON rp.registration_id = r.id
         WHERE r.activity_id = ? AND r.status = 'brouillon'""", (rush,)))
    reqs = []
    for m in members:
        p = parts.get(m["hid"])
        if p is None:
            failures.add(f"household {m['hid']} has no draft on activity {rush}")
            continue
        body = urllib.parse.urlencode([("csrf", m["token"]), ("participant", p),
                                       (f"options-{p}", option),
                                       ("action", "valider")]).encode()
        reqs.append(raw_request("POST", f"/activite/{rush}/inscription", host,
                                [f"Cookie: {m['cookie']}",
                                 "Content-Type: application/x-www-form-urlencoded",
                                 f"Accept: {HTML}"], body))
    before = srv.q("SELECT places_taken FROM activity WHERE id = ?", (rush,))[0][0]
    r = timed_blast(srv, reqs, 303, name="validations")
    srv.truncate_access_log("validations-access.log")
    after = srv.q("SELECT places_taken FROM activity WHERE id = ?", (rush,))[0][0]
    validated = srv.q("SELECT COUNT(*) FROM registration WHERE activity_id = ?"
                      " AND status = 'validee'", (rush,))[0][0]
    bad, stray, checked = consistency(srv)
    res = dict(r, posts=len(reqs), validated=validated,
               places_taken_delta=after - before, activities_checked=checked,
               inconsistent_activities=bad[:10], stray_places=stray,
               consistent=not bad and not stray)
    if r["unexpected"]:
        failures.add(f"validations: {r['unexpected']} answers other than 303 "
                     f"({r['unexpected_codes']})")
    if validated != len(reqs) or after - before != len(reqs):
        failures.add(f"validations: {validated} validated and {after - before} places "
                     f"taken for {len(reqs)} posts")
    if bad or stray:
        failures.add(f"places do not add up after the validations: {bad[:5]}, "
                     f"{stray} registrations hold places without being validated")
    return res


def load_simulator():
    """tests/gateway/paybox_simulator.py with its private TEST key: the benchmark's
    notifications are made by the simulator's own code."""
    from cryptography.hazmat.primitives import serialization
    import paybox_simulator as sim
    with open(os.path.join(KEYS, "simulator-private.pem"), "rb") as f:
        sim.CFG.private_key = serialization.load_pem_private_key(f.read(), password=None)
    return sim


def notification(sim, fields, platform_="production"):
    """The notification the simulator sends for an accepted card payment (3-D Secure)
    of this request: (method, URL, body)."""
    retour = sim.parse_retour(fields["PBX_RETOUR"])
    att = sim.Attempt("bench", list(fields.items()), fields, retour, [],
                      next(sim.STATE.calls), platform=platform_)
    att.card, att.expiry, att.tds = sim.CARD_3DS_ACCEPTED, "3012", True
    att.code = "00000"
    att.done_at = datetime.datetime.now()
    att.trans = next(sim.STATE.transactions)
    att.authorization = sim.authorization(att)
    values = sim.return_values(att)
    query = sim.build_query(att.retour, values)
    full = f"{query}&{att.retour[-1][0]}={sim.quote(sim.sign(query.encode('utf-8')))}"
    target = fields["PBX_REPONDRE_A"]
    if fields.get("PBX_RUF1") == "POST":
        return "POST", target, full.encode("ascii")
    return "GET", sim.simbase.append_query(target, full), b""


def measure_notifications(srv, info, members, failures):
    sim = load_simulator()
    regs = dict(srv.q("SELECT household_id, id FROM registration"
                      " WHERE activity_id = ? AND status = 'validee'",
                      (info["rush_activity"],)))
    host = f"{srv.host}:{srv.port}"
    paying, reqs = [], []
    for m in members:
        reg = regs.get(m["hid"])
        if reg is None:
            failures.add(f"household {m['hid']}: no validated registration to pay")
            continue
        paying.append(m)
        reqs.append(raw_request(
            "POST", f"/mes-inscriptions/{reg}/paiement", host,
            [f"Cookie: {m['cookie']}", "Content-Type: application/x-www-form-urlencoded",
             f"Accept: {XML}"],
            urllib.parse.urlencode({"csrf": m["token"], "cgv": "1",
                                    "methode": "cb1"}).encode()))
    b = Blast(srv.host, srv.port, reqs, keep=True)
    b.run()
    orders = []
    for m, answer in zip(paying, b.answers):
        bank = ET.fromstring(answer[2]).find("banque") \
            if answer and answer[0] == 200 else None
        if bank is None:
            failures.add(f"household {m['hid']}: « Payer avec CB » answers "
                         f"{answer and answer[0]} without the bank's form")
            continue
        orders.append({f.get("name"): f.get("value") for f in bank.findall("field")})
    if not orders:
        failures.add("no card order to notify")
        return None
    reqs = []
    for fields in orders:
        method, url, body = notification(sim, fields)
        u = urllib.parse.urlsplit(url)
        headers = ["Content-Type: application/x-www-form-urlencoded"] if body else []
        reqs.append(raw_request(method, u.path + ("?" + u.query if u.query else ""), host,
                                headers + ["Accept: */*"], body))
    refs = [f["PBX_CMD"] for f in orders]
    places_before = srv.q("SELECT places_taken FROM activity WHERE id = ?",
                          (info["rush_activity"],))[0][0]
    log(f"bench: {len(reqs)} bank notifications")
    r = timed_blast(srv, reqs, 200, name="notifications")
    srv.truncate_access_log("notifications-access.log")
    marks = ",".join("?" * len(refs))
    paid = srv.q(f"SELECT COUNT(*) FROM cmcas_order WHERE status = 'payee'"
                 f" AND reference IN ({marks})", refs)[0][0]
    notices = srv.q(f"""
        SELECT COUNT(*) FROM cmcas_order_notice n JOIN cmcas_order o ON o.id = n.order_id
         WHERE o.reference IN ({marks})""", refs)[0][0]
    reg_paid = srv.q(f"""
        SELECT COUNT(*) FROM registration r JOIN cmcas_order o ON o.registration_id = r.id
         WHERE r.status = 'payee' AND o.reference IN ({marks})""", refs)[0][0]
    places_after = srv.q("SELECT places_taken FROM activity WHERE id = ?",
                         (info["rush_activity"],))[0][0]
    bad, stray, checked = consistency(srv)
    res = dict(r, orders=len(orders), paid=paid, notices=notices,
               registrations_paid=reg_paid, places_delta=places_after - places_before,
               consistent=not bad and not stray, retour=orders[0]["PBX_RETOUR"])
    if r["unexpected"]:
        failures.add(f"notifications: {r['unexpected']} answers other than 200 "
                     f"({r['unexpected_codes']})")
    if paid != len(orders) or notices != len(orders) or reg_paid != len(orders):
        failures.add(f"notifications: {paid} orders paid, {notices} bank messages taken, "
                     f"{reg_paid} registrations paid, for {len(orders)} orders")
    if bad or stray or places_after != places_before:
        failures.add(f"places changed or do not add up after the notifications: {bad[:5]}")
    return res


# ----------------------------------------------------------------------------------
# callgrind


def dumps(directory):
    out = []
    for name in os.listdir(directory):
        m = re.fullmatch(r"callgrind\.out\.\d+\.(\d+)", name)
        if m:
            out.append((int(m.group(1)), os.path.join(directory, name)))
    return [p for _, p in sorted(out)]


def instructions(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if m:
                return int(m.group(1))
    return None


def ab(url, n, headers, timeout=900):
    cmd = ["ab", "-q", "-k", "-c", "1", "-n", str(n), "-s", "600"]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=timeout)
    text = out.stdout + out.stderr
    done = re.search(r"Complete requests:\s+(\d+)", text)
    failed = re.search(r"Failed requests:\s+(\d+)", text)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", text)
    return (int(done.group(1)) if done else 0,
            (int(failed.group(1)) if failed else 0) + (int(non2xx.group(1)) if non2xx else 0),
            text)


# What callgrind measures: the catalog, its static copy behind the session and bare, and
# the detail page (the other page type with a target).
CALLGRIND_REQUESTS = [("catalogue", "/"),
                      ("static_session", "/bench-static/catalogue.html"),
                      ("static_bare", "/bench-bare/catalogue.html"),
                      ("activite", "/activite/1")]
# The same pages rendered for every request (the page cache off): what a page costs the
# first time, and what the SQL costs as the activities grow.
CALLGRIND_RENDERED = [("catalogue_off", "/"), ("activite_off", "/activite/1")]
CALLGRIND_LABELS = {"catalogue": "Catalog page 1",
                    "static_session": "Static copy of the catalog behind the session",
                    "static_bare": "Bare static copy of the catalog",
                    "activite": "Detail page (/activite/1)",
                    "catalogue_off": "Catalog page 1, rendered (`CMCASPageCache Off`)",
                    "activite_off": "Detail page, rendered (`CMCASPageCache Off`)"}


def measure_callgrind(name, db_file, cfg, failures, requests=CALLGRIND_REQUESTS, extra=(),
                      engine="sqlite3", meta=None):
    """Instructions per request under callgrind: by default the catalog page, its static
    copy behind the session, and bare, and the detail page; (figures, path of the median
    dump's annotation of the first request). `extra`: configuration lines appended. On
    PostgreSQL only httpd runs under callgrind: the figures are httpd's side of the
    statements (the pgsql driver, libpq), not the database's work. `meta` (a dict) gets
    the database's count of activities."""
    srv = BenchHttpd(name, db_file, engine)
    # callgrind counts every thread in a request's dump: the background jobs (a second
    # after the start, then every 15 s and 10 s in the demo) run once before the
    # measurements and not during them.
    srv.more_conf = list(extra) + ["CMCASExpiryInterval 3600", "CMCASMailInterval 3600"]
    srv.write_files()
    cg_dir = os.path.join(srv.server_root, "callgrind")
    os.makedirs(cg_dir)
    srv.give_to_run_user(cg_dir)        # the worker (www-data) writes its dumps there
    cmd = ["valgrind", "--tool=callgrind", "--dump-before=ap_process_async_request",
           f"--callgrind-out-file={cg_dir}/callgrind.out.%p",
           srv.install.binary, "-X", "-f", srv.conf_path]
    vlog = open(os.path.join(srv.server_root, "logs", "valgrind.log"), "w")
    proc = subprocess.Popen(cmd, stdout=vlog, stderr=subprocess.STDOUT,
                            env=dict(os.environ, TZ="UTC"))
    res = {}
    try:
        deadline = time.monotonic() + 180
        while not srv.is_live():
            if proc.poll() is not None or time.monotonic() > deadline:
                failures.add(f"callgrind {name}: httpd did not start under valgrind "
                             f"(see {vlog.name})")
                return res, None
            time.sleep(0.5)
        # Their first runs done: each took its lease for three hours (an earlier server's
        # lease on this database lasts three of the demo's intervals).
        while srv.q("SELECT COUNT(*) FROM cmcas_job WHERE name IN ('expiry', 'mail') "
                    "AND lease_until > ?", (int(time.time()) + 3600,))[0][0] < 2:
            if proc.poll() is not None or time.monotonic() > deadline:
                failures.add(f"callgrind {name}: the background jobs did not run "
                             f"(see {srv.server_root}/logs/error_log)")
                return res, None
            time.sleep(0.5)
        if meta is not None:
            meta["activities"] = srv.q("SELECT COUNT(*) FROM activity")[0][0]
        member = Client(srv.host, srv.port, timeout=900)
        if not member.login(USER):
            failures.add(f"callgrind {name}: {USER} could not log in")
            return res, None
        status, _, body = member.request("GET", "/")
        if status != 200:
            failures.add(f"callgrind {name}: / answers {status}")
            return res, None
        with open(os.path.join(srv.static_dir, "catalogue.html"), "wb") as f:
            f.write(body)
        os.chmod(os.path.join(srv.static_dir, "catalogue.html"), 0o644)
        member.close()
        headers = [f"Cookie: {member.cookie_header()}", f"Accept: {HTML}"]
        w, n = cfg["cg_warmup"], cfg["cg_requests"]
        medians = {}
        for kind, path in requests:
            seen = set(dumps(cg_dir))
            done, bad, text = ab(srv.url(path), w + n + 1, headers)
            if done != w + n + 1 or bad:
                failures.add(f"callgrind {name} {kind}: {done} requests done, {bad} failed "
                             f"or not 2xx")
            new = [p for p in dumps(cg_dir) if p not in seen]
            measured = new[-n:] if len(new) >= w + n + 1 else []
            counts = sorted((instructions(p), p) for p in measured)
            if not counts or any(c is None for c, _ in counts):
                failures.add(f"callgrind {name} {kind}: {len(new)} dumps for "
                             f"{w + n + 1} requests")
                continue
            mid = counts[len(counts) // 2]
            medians[kind] = mid[1]
            res[kind] = {"instructions": mid[0], "all": [c for c, _ in counts],
                         "spread": (counts[-1][0] - counts[0][0]) / mid[0]}
            log(f"  callgrind {name} {kind}: {mid[0] / 1e6:.3f} M instructions "
                f"(median of {len(counts)}, spread {res[kind]['spread']:.2%})")
        annotation = None
        first = requests[0][0]
        if first in medians:
            keep = os.path.join(OUT_DIR, f"callgrind-{name}-{first}.out")
            shutil.copyfile(medians[first], keep)
            annotation = os.path.join(OUT_DIR, f"callgrind-{name}-{first}.txt")
            with open(annotation, "w") as f:
                subprocess.run(["callgrind_annotate", "--inclusive=yes", keep], stdout=f,
                               stderr=subprocess.STDOUT, timeout=300)
        return res, annotation
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        vlog.close()
        try:
            srv.stop_database()
        except RuntimeError as e:
            failures.add(f"callgrind {name}: {e}")
        crashes, _ = srv.log_summary()
        if crashes:
            failures.add(f"callgrind {name}: httpd crashed: {crashes[0]}")


def top_inclusive(annotation, n=30):
    """The first n functions of a callgrind_annotate --inclusive=yes output, from the
    request down (Apache's loop above it, the recursion cycles of libxslt counted over
    100 % and the per-file duplicates left out)."""
    out = []
    if not annotation or not os.path.exists(annotation):
        return out
    with open(annotation, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    started = below = False
    for line in lines:
        if re.match(r"\s*Ir\s+file:function", line):
            started = True
            continue
        m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)", line)
        if not started or not m:
            continue
        pct, what = float(m.group(2)), m.group(3)
        if "ap_process_async_request" in what:
            below = True
        if not below or pct > 100.0 or " [" not in what:
            continue
        what = re.sub(r"\[/[^\]]*/([^/\]]+)\]", r"[\1]", what)   # [libxslt.so.1.1.35]
        out.append(f"{m.group(1):>13} ({pct:5.1f} %)  {what}")
        if len(out) == n:
            break
    return out


# ----------------------------------------------------------------------------------
# Report


def fmt_int(x):
    return f"{x:,.0f}".replace(",", " ") if x is not None else "—"


def fmt_pct(x):
    return f"{x * 100:.1f} %" if x is not None else "—"


def targets(results, quick):
    """(what, figure, met) for each of issue 8's targets."""
    pages = results.get("pages", {})
    out = []

    def verdict(ok):
        if ok is None:
            return "not measured"
        if quick:
            return "(smoke run: not judged)"
        return "met" if ok else "MISSED"

    sb = [p["static_over_bare"] for p in pages.values()]
    sbm = statistics.median(sb) if sb else None
    out.append(("Static file behind the member's session ≥ 50 % of bare static",
                fmt_pct(sbm) + " (median of the page types)" if sbm is not None else "—",
                verdict(sbm >= 0.5 if sbm is not None else None)))
    for key, what in (("catalogue", "Catalog page"), ("activite", "Detail page")):
        p = pages.get(key)
        v = p["module_over_static"] if p else None
        out.append((f"{what} ≥ 50 % of the static file behind the same session "
                    f"({fmt_int(results.get('database', {}).get('activities'))} activities)",
                    fmt_pct(v), verdict(v >= 0.5 if v is not None else None)))
    v = results.get("validations")
    pg = results.get("engine") == "pgsql"
    least = 1000 if pg else 500
    out.append((f"Validations ≥ {least:,}/s on {'PostgreSQL' if pg else 'SQLite'}, "
                "nothing oversold",
                f"{v['rps']:.0f}/s, places {'consistent' if v['consistent'] else 'INCONSISTENT'}"
                if v else "—",
                verdict(v["rps"] >= least and v["consistent"] if v else None)))
    nt = results.get("notifications")
    out.append(("Bank notifications ≥ 2,000/s",
                f"{nt['rps']:.0f}/s, {nt['paid']}/{nt['orders']} orders paid once"
                if nt else "—",
                verdict(nt["rps"] >= 2000 and nt["paid"] == nt["orders"] if nt else None)))
    m = results.get("memory")
    out.append((f"RSS growth ≤ 5 % over {fmt_int(m['target_requests']) if m else '—'} "
                "requests after warm-up",
                f"{fmt_pct(m['growth'])} over {fmt_int(m['requests'])} requests"
                if m else "—",
                verdict((m["growth"] <= 0.05 and m["requests"] >= m["target_requests"])
                        if m and m["growth"] is not None else None)))
    cg = results.get("callgrind", {})
    small = cg.get("demo", {}).get("catalogue", {}).get("instructions")
    big = cg.get("generated", {}).get("catalogue", {}).get("instructions")
    out.append(("Catalog instructions at "
                f"{fmt_int(results.get('database', {}).get('activities'))} activities within 20 % of "
                "51 activities",
                f"{big / small:.2f}× ({big / 1e6:.3f} M vs {small / 1e6:.3f} M)"
                if small and big else "—",
                verdict(big <= 1.2 * small if small and big else None)))
    return out


def pg_lines(w, what):
    """The PostgreSQL side of a blast (timed_blast on --engine pgsql), as sub-items."""
    if "pg" not in w:
        return []
    pg, c = w["pg"], w["pg"]["counters"]
    n = max(1, w["requests"])
    out = []
    if "pg_cpu_ms_each" in w:
        out.append(f"  - PostgreSQL's CPU {w['pg_cpu_ms_each']:.2f} ms per {what} "
                   f"({w['pg_cpus_busy']:.2f} CPUs busy; httpd + PostgreSQL "
                   f"{w['server_cpu_ms_each'] + w['pg_cpu_ms_each']:.2f} ms, "
                   f"{w['server_cpus_busy'] + w['pg_cpus_busy']:.2f} CPUs; PostgreSQL's "
                   "by process: " + ", ".join(f"{k} {v:.2f} s"
                                               for k, v in w.get("pg_cpu_by", {}).items())
                   + ").")
    cpw = pg.get("writes_per_wal_sync")
    out.append(f"  - {c['write_transactions']:.0f} transactions that wrote "
               f"({c['write_transactions'] / n:.1f} per {what}; all commits, read-only "
               f"statements included: {c['commits'] / n:.1f} per {what}), "
               f"{c['rollbacks']:.0f} rollbacks, {c['wal_sync']:.0f} WAL flushes"
               + (f" ({cpw:.1f} writing transactions per flush)" if cpw else "")
               + f", {c['wal_bytes'] / n / 1024:.1f} KiB of WAL per {what} "
               f"({c['wal_fpi']:.0f} full-page images), {c['checkpoints']:.0f} checkpoints, "
               f"{c['deadlocks']:.0f} deadlocks, {c['blks_read']:.0f} blocks read from "
               f"outside the shared buffers, {c['sessions']:.0f} connections opened.")
    if pg.get("statements_per_request"):
        out.append(f"  - pg_stat_statements: {pg['statements_per_request']:.1f} statements per "
                   f"{what} (BEGIN and COMMIT included), {pg['statement_ms_per_request']:.2f} "
                   "ms of execution; the longest in total: "
                   + "; ".join(f"`{q}…` ({c:.1f}× {ms:.3f} ms)"
                               for c, ms, q in pg["statements_top"]) + ".")
    states = "; ".join(f"{k} {v:.1f}" for k, v in pg["states"].items() if v >= 0.05)
    out.append(f"  - The portal's connections (sampled {pg['samples']} times): "
               f"{pg['connections_mean']:.1f} on average (at most {pg['connections_max']}); "
               f"on average {states or '—'}.")
    return out


def table(results, quick):
    r = results
    lines = []
    mach = r["machine"]
    cfg = r["config"]
    mod = r.get("module", {})
    pg = r.get("engine") == "pgsql"
    kind = "--quick smoke run" if quick else (
        f"without {', '.join(r['skip'])}" if r.get("skip") else "full run")
    lines.append(f"Run: {r['date']} ({kind}{', PostgreSQL' if pg else ''}), "
                 f"`{r['command']}`, {r['seconds']:.0f} s; repository at {r['git']}, "
                 f"module built {mod.get('built')} (sha256 {mod.get('digest')}…"
                 + ("; rebuilt during the run: every server used the copy made at the "
                    "start" if mod.get("rebuilt_during_run") else "") + ")")
    lines.append(f"Machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['ram_gib']} GiB RAM, "
                 f"Linux {mach['kernel']}, {mach['apache']}, SQLite {mach['sqlite']}; "
                 f"load average at the start {' '.join(mach['loadavg_start'])}"
                 + (f"; other processes took {mach['others']['mean_cpus']:.2f} CPU on "
                    f"average during the run (at most {mach['others']['max_cpus']:.2f} over "
                    f"5 s{': ' + ', '.join(mach['others']['top']) if mach['others']['top'] and mach['others']['mean_cpus'] > 0.05 else ''})"
                    if mach.get("others") else ""))
    db = r.get("database") or {"activities": None, "options": None, "cmcas": [],
                                "households": None, "persons": None,
                                "registrations": None, "seed": None}
    lines.append(f"Database: {fmt_int(db['activities'])} activities "
                 f"({fmt_int(db['options'])} options) of {len(db['cmcas'])} CMCAS, "
                 f"{fmt_int(db['households'])} households ({fmt_int(db['persons'])} persons, "
                 f"{fmt_int(db['registrations'])} registrations), seed {db['seed']}; "
                 f"catalog of {USER}: {db.get('catalogue_total')} activities listed, "
                 f"search « randonnee »: {db.get('search_total')}")
    pgr = r.get("postgresql") or {}
    if pg and pgr.get("settings"):
        st = pgr["settings"]
        lines.append(f"PostgreSQL {st['server_version']} (the demo's own cluster on this "
                     "machine, 127.0.0.1; initdb's defaults): "
                     + ", ".join(f"{k} {st[k]}" for k in PG_SETTINGS[1:] if k in st))
        c = pgr.get("commit")
        if c:
            lines.append(f"Commit latency, one small write transaction at a time on the idle "
                         f"cluster (client side): {c['sync_on']['p50_ms']:.2f} ms median "
                         f"(p90 {c['sync_on']['p90_ms']:.2f}) with synchronous_commit on, "
                         f"{c['sync_off']['p50_ms']:.2f} ms (p90 {c['sync_off']['p90_ms']:.2f})"
                         " with it off: the WAL flush (fdatasync) is "
                         f"{c['sync_on']['p50_ms'] - c['sync_off']['p50_ms']:.2f} ms"
                         + (f"; a statement's round trip without work (SELECT 1): "
                            f"{c['round_trip']['ms']:.3f} ms, of which the backend's CPU "
                            f"{c['round_trip']['backend_cpu_ms']:.3f} ms"
                            if c.get("round_trip") else ""))
    server = r.get("server") or {"mpm": "?", "removed": []}
    lines.append(f"Server: the demo's configuration ({server['mpm']})"
                 + (f", without {', '.join(server['removed'])}" if server["removed"] else "")
                 + (f"; **with** `{'`, `'.join(r['extra_conf'])}` (not the shipped demo)"
                    if r.get("extra_conf") else "")
                 + (f"; PostgreSQL **with** `{'`, `'.join(r['pg_conf'])}` (not the demo's)"
                    if r.get("pg_conf") else ""))
    lines.append("")
    if r.get("pages"):
        lines.append(f"### Requests per second (wrk -t2 -c32 -d{cfg['duration']}s --latency, "
                     f"{cfg['rounds']} round{'s' if cfg['rounds'] > 1 else ''} of module, "
                     "static, bare, static, module; medians)")
        lines.append("")
        lines.append("| page | bytes | module/s | static + session/s | bare static/s | "
                     "module / static + session | static + session / bare | "
                     "module p50 / p99 ms | static + session p50 / p99 ms | "
                     "bare p50 / p99 ms | errors |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for key, label, *_ in PAGES:
            p = r["pages"].get(key)
            if not p:
                continue
            errs = []
            for kind in ("module", "static", "bare"):
                if p[f"{kind}_unexpected"]:
                    errs.append(f"{kind}: {p[f'{kind}_unexpected']} not 200")
                socket = {k: v for k, v in p[f"{kind}_socket_errors"].items() if v}
                if socket:
                    errs.append(f"{kind}: socket " + ", ".join(f"{k} {v}"
                                                              for k, v in socket.items()))
            lines.append(
                f"| {label} | {fmt_int(r.get('sizes', {}).get(key))} | "
                f"{fmt_int(p['module_rps'])} | {fmt_int(p['static_rps'])} | "
                f"{fmt_int(p['bare_rps'])} | "
                f"**{fmt_pct(p['module_over_static'])}** | "
                f"**{fmt_pct(p['static_over_bare'])}** | "
                f"{p['module_p50_ms']:.1f} / {p['module_p99_ms']:.1f} | "
                f"{p['static_p50_ms']:.2f} / {p['static_p99_ms']:.2f} | "
                f"{p['bare_p50_ms']:.2f} / {p['bare_p99_ms']:.2f} | "
                f"{'; '.join(errs) or '0'} |")
        lines.append("")
    cg = r.get("callgrind", {})
    if cg:
        lines.append(f"### Instructions per request (callgrind, median of "
                     f"{cfg['cg_requests']} requests after {cfg['cg_warmup']} of warm-up)")
        lines.append("")
        sizes = [("demo", f"{fmt_int(cg.get('demo_activities'))} activities (demo data)"),
                 ("generated", f"{fmt_int(db['activities'])} activities (generated)")]
        lines.append("| request | " + " | ".join(s for _, s in sizes) + " |")
        lines.append("|---|" + "---:|" * len(sizes))
        for kind, _ in CALLGRIND_REQUESTS + CALLGRIND_RENDERED:
            label = CALLGRIND_LABELS[kind]
            if not any(cg.get(size, {}).get(kind) for size, _ in sizes):
                continue
            cells = []
            for size, _ in sizes:
                v = cg.get(size, {}).get(kind)
                cells.append(f"{v['instructions'] / 1e6:.3f} M" if v else "—")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    v, nt, m = r.get("validations"), r.get("notifications"), r.get("memory")
    if v or nt or m or r.get("logins"):
        lines.append("### Writes and memory")
        lines.append("")
    lg = r.get("logins")
    if lg:
        lines.append(f"- Logins (not a target, the first step of a rush): {lg['requests']} "
                     f"households post the login form at 32 connections: "
                     f"**{lg['rps']:.0f}/s** (p50 {lg['p50_ms']:.0f} ms, p99 "
                     f"{lg['p99_ms']:.0f} ms; statuses {lg['statuses']}, {lg['retries']} "
                     f"resent, {lg['errors']} lost"
                     + (f"; httpd's CPU {lg['server_cpu_ms_each']:.2f} ms per login, "
                        f"{lg['server_cpus_busy']:.2f} of {r['machine']['nproc']} CPUs busy"
                        if "server_cpu_ms_each" in lg else "") + ").")
        lines.extend(pg_lines(lg, "login"))
    if v:
        lines.append(f"- Validations: {v['posts']} households, each logged in with a draft "
                     f"(one person) on the rush activity, post « Valider » at 32 "
                     f"connections: **{v['rps']:.0f}/s** (steady {fmt_rate(v.get('steady_rps'))}; "
                     f"{v['seconds']:.2f} s, p50 "
                     f"{v['p50_ms']:.0f} ms, p99 {v['p99_ms']:.0f} ms; statuses "
                     f"{v['statuses']}, {v['retries']} resent after a closed connection, "
                     f"{v['errors']} lost; httpd's CPU {v['server_cpu_ms_each']:.2f} ms per "
                     f"validation, {v['server_cpus_busy']:.2f} of {r['machine']['nproc']} "
                     f"CPUs busy; client CPU {v['client_cpu_s']:.1f} s); "
                     f"{v['validated']} validated, places taken +{v['places_taken_delta']}; "
                     f"places_taken = places held by validated registrations for all "
                     f"{fmt_int(v['activities_checked'])} activities: "
                     f"**{'yes' if v['consistent'] else 'NO'}**.")
        lines.extend(pg_lines(v, "validation"))
    if nt:
        lines.append(f"- Bank notifications: {nt['orders']} pending card orders (« Payer avec "
                     f"CB »), one Paybox notification each, signed by the simulator's code "
                     f"and TEST key (`{nt['retour']}`, a production authorisation number): "
                     f"**{nt['rps']:.0f}/s** (steady {fmt_rate(nt.get('steady_rps'))}; "
                     f"{nt['seconds']:.2f} s, p50 {nt['p50_ms']:.0f} "
                     f"ms, p99 {nt['p99_ms']:.0f} ms; statuses {nt['statuses']}, "
                     f"{nt['retries']} resent, {nt['errors']} lost; httpd's CPU "
                     f"{nt['server_cpu_ms_each']:.2f} ms per notification, "
                     f"{nt['server_cpus_busy']:.2f} of {r['machine']['nproc']} CPUs busy; "
                     f"client CPU {nt['client_cpu_s']:.1f} s); {nt['paid']} orders paid, "
                     f"{nt['notices']} bank messages recorded, {nt['registrations_paid']} "
                     f"registrations paid, places unchanged and consistent: "
                     f"**{'yes' if nt['places_delta'] == 0 and nt['consistent'] else 'NO'}**.")
        lines.extend(pg_lines(nt, "notification"))
    if m:
        lines.append(f"- Memory: the RSS of httpd's {m['children']} child"
                     f"{'ren' if m['children'] > 1 else ''}: {fmt_int(m['rss_kb_before'])} KB "
                     f"after {fmt_int(m['warmup_requests'])} requests of warm-up, "
                     f"{fmt_int(m['rss_kb_after'])} KB after {fmt_int(m['requests'])} more "
                     f"(the six page types in turn, {m['rps']:.0f}/s"
                     + ("" if m["finished"] else f", stopped at the {m['seconds']:.0f} s "
                        "limit")
                     + ("" if m.get("same_children", True) else
                        "; httpd replaced a child meanwhile: the figure compares "
                        "different processes")
                     + f"): **{fmt_pct(m['growth'])}**.")
    if v or nt or m:
        lines.append("")
    lines.append("### Targets (issue 8)")
    lines.append("")
    lines.append("| target | measured | |")
    lines.append("|---|---|---|")
    for what, fig, ok in targets(r, quick):
        lines.append(f"| {what} | {fig} | {ok} |")
    lines.append("")
    for key, how in (("top_catalogue", "from the page cache"),
                     ("top_catalogue_off", "rendered (`CMCASPageCache Off`)")):
        if not r.get(key):
            continue
        lines.append(f"### Where a catalog page's instructions go, {how} "
                     f"({fmt_int(db['activities'])} activities, "
                     "`callgrind_annotate --inclusive=yes`, first lines)")
        lines.append("")
        lines.append("```")
        lines.extend(r[key])
        lines.append("```")
        lines.append("")
    if r.get("failures"):
        lines.append("### Errors")
        lines.append("")
        lines.extend(f"- {f}" for f in r["failures"])
        lines.append("")
    return "\n".join(lines)


DOC_HEAD = """# Performance

How fast mod_cmcas serves a registration rush, measured by `tests/bench/bench.py` (issue 8):
the module's pages against Apache serving the same bytes from files, in the same server,
behind the same login and session as the members' (`/bench-static/`) and behind none
(`/bench-bare/`). Speeds are ratios inside one run, so they mean the same on any machine;
instruction counts (callgrind) are stable from run to run.

    /usr/bin/python3 tests/bench/bench.py          # full run: rewrites the part below
    /usr/bin/python3 tests/bench/bench.py --quick  # smoke run (scripts/check): not judged

See the docstring of `tests/bench/bench.py` for the method, and
`/work/shared/research/measuring.md` for why it is done this way.

"""


def write_doc(text, engine="sqlite3"):
    begin, end, heading = DOC_MARKS[engine]
    if os.path.exists(DOC):
        with open(DOC, encoding="utf-8") as f:
            old = f.read()
    else:
        old = DOC_HEAD + begin + "\n" + end + "\n"
    if begin not in old or end not in old:
        old = old.rstrip("\n") + "\n\n" + begin + "\n" + end + "\n"
    head, rest = old.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(DOC, "w", encoding="utf-8") as f:
        f.write(head + begin + f"\n{heading}\n\n" + text.rstrip("\n") + "\n\n"
                + end + tail)


# ----------------------------------------------------------------------------------
# Main


def main(argv=None):
    ap = argparse.ArgumentParser(description="mod_cmcas benchmark (issue 8)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: every part at small sizes, figures not judged")
    ap.add_argument("--activities", type=int)
    ap.add_argument("--households", type=int)
    ap.add_argument("--duration", type=int, help="seconds of each wrk run")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--writes", type=int, help="households validating, then paying")
    ap.add_argument("--rss-requests", type=int)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--skip", action="append", default=[],
                    choices=["pages", "memory", "writes", "callgrind"],
                    help="leave a part out (repeatable)")
    ap.add_argument("--extra-conf", action="append", default=[], metavar="LINE",
                    help="a configuration line appended to the servers' (to try a "
                         "setting; repeatable); the run is then not the shipped demo's")
    ap.add_argument("--engine", choices=["sqlite3", "pgsql"], default="sqlite3",
                    help="the database: SQLite (default) or PostgreSQL (the demo's own "
                         "cluster, scripts/demo --pgsql, with the generated database "
                         "moved into it); results in tests/gen/bench-pgsql/ and their own "
                         "part of docs/performance.md")
    ap.add_argument("--pg-conf", action="append", default=[], metavar="NAME=VALUE",
                    help="with --engine pgsql: a PostgreSQL setting to try (ALTER SYSTEM, "
                         "the cluster restarted; repeatable); e.g. shared_preload_libraries="
                         "pg_stat_statements reports each blast's statements")
    ap.add_argument("--doc", action=argparse.BooleanOptionalAction, default=None,
                    help="write docs/performance.md (default: on a full run only, i.e. "
                         "without --quick, --skip or --extra-conf)")
    args = ap.parse_args(argv)
    global OUT_DIR
    if args.engine == "pgsql":
        OUT_DIR = os.path.join(GEN_DIR, "bench-pgsql")
        import importlib.util
        if importlib.util.find_spec("psycopg2") is None:
            print("bench: --engine pgsql needs psycopg2 (python3-psycopg2) for "
                  "/usr/bin/python3", file=sys.stderr)
            return 2
    cfg = dict(QUICK if args.quick else FULL)
    for k in ("activities", "households", "duration", "rounds", "writes", "rss_requests"):
        if getattr(args, k) is not None:
            cfg[k] = getattr(args, k)
    cfg["writes"] = max(cfg["writes"], 64)     # at least two per connection
    if args.pg_conf and args.engine != "pgsql":
        ap.error("--pg-conf needs --engine pgsql")
    if any("=" not in item for item in args.pg_conf):
        ap.error("--pg-conf takes NAME=VALUE")
    write_doc_ = (not args.quick and not args.extra_conf and not args.skip
                  and not args.pg_conf) \
        if args.doc is None else args.doc
    suffix = "-pgsql" if args.engine == "pgsql" else ""

    for tool in ("wrk", "ab", "valgrind", "callgrind_annotate"):
        if not shutil.which(tool):
            print(f"bench: {tool} is missing: run scripts/lib/deps.sh", file=sys.stderr)
            return 2
    if not os.path.exists(MODULE_SO):
        print(f"bench: {MODULE_SO} is missing: build first (make -j2)", file=sys.stderr)
        return 2
    os.makedirs(OUT_DIR, exist_ok=True)
    lock = open(os.path.join(GEN_DIR, ".bench.lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log("bench: waiting for another benchmark run (tests/gen/.bench.lock)")
        fcntl.flock(lock, fcntl.LOCK_EX)

    start = time.monotonic()
    watch = CpuWatch()
    watch.start()
    failures = Failures()
    command = "/usr/bin/python3 tests/bench/bench.py" + (" --quick" if args.quick else "")
    if argv is None and len(sys.argv) > 1:
        command = "/usr/bin/python3 tests/bench/bench.py " + " ".join(sys.argv[1:])
    BenchHttpd.snapshot = take_snapshot()
    BenchHttpd.extra_conf = args.extra_conf
    BenchHttpd.pg_conf = args.pg_conf
    results = {"date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
               "command": command, "git": git_head(), "machine": machine(),
               "engine": args.engine, "skip": args.skip,
               "config": cfg, "quick": args.quick, "extra_conf": args.extra_conf,
               "pg_conf": args.pg_conf,
               "module": {"digest": BenchHttpd.snapshot["digest"],
                          "built": BenchHttpd.snapshot["built"]}}

    log(f"bench: generating the database ({cfg['activities']} activities, "
        f"{cfg['households']} households, seed {args.seed})")
    db_file = os.path.join(OUT_DIR, "generated.sqlite")
    info = gen_data.generate(db_file, cfg["activities"], cfg["households"], args.seed)
    results["database"] = info

    log("bench: starting the demo server on the generated database"
        + (" (moved to PostgreSQL)" if args.engine == "pgsql" else ""))
    for attempt in (1, 2):
        # a new free port each time
        srv = BenchHttpd("bench-server" + suffix, db_file, args.engine)
        try:
            srv.start(timeout=30)
            break
        except RuntimeError as e:
            if attempt == 2:
                failures.add(f"the server did not start: {e}")
                return finish(results, failures, args.quick, write_doc_, start, watch)
            log(f"bench: the server did not start ({e}); once more")
            try:
                srv.stop()
            except (RuntimeError, OSError):
                pass
    conf = effective_conf(srv.conf_text(), ("ServerLimit", "ThreadsPerChild", "DBDriver",
                                            "DBDMin", "DBDKeep", "DBDMax"))
    results["server"] = {"mpm": ", ".join(f"{k} {v}" for k, v in conf.items()),
                         "removed": srv.removed}
    try:
        if args.engine == "pgsql":
            pm = postmaster_pid(srv.server_root)
            if pm:
                CpuWatch.roots.add(pm)
            results["postgresql"] = {"settings": pg_settings(srv)}
            log("bench: PostgreSQL's commit latency (one small transaction at a time)")
            results["postgresql"]["commit"] = pg_commit_latency(srv)
            log(f"  {results['postgresql']['commit']}")
        member = session_client(srv, failures)
        if member:
            sizes, totals = static_copies(srv, member, failures)
            results["sizes"] = sizes
            info["catalogue_total"] = totals.get("catalogue")
            info["search_total"] = totals.get("recherche")
            if "pages" not in args.skip and not failures:
                log("bench: pages (wrk)")
                results["pages"] = measure_pages(srv, member, cfg, failures)
            if "memory" not in args.skip:
                log(f"bench: memory ({cfg['rss_requests']} requests after "
                    f"{cfg['rss_warmup']} of warm-up)")
                results["memory"] = measure_memory(srv, member, cfg, failures)
        if "writes" not in args.skip:
            log(f"bench: {cfg['writes']} households log in and start a registration")
            members, logins = prepare_households(srv, info, cfg["writes"], failures)
            results["logins"] = logins
            if len(members) >= 32:
                log(f"bench: validations ({len(members)} households at once)")
                results["validations"] = measure_validations(srv, info, members, failures)
                log("bench: card orders, then bank notifications")
                results["notifications"] = measure_notifications(srv, info, members,
                                                                 failures)
            else:
                failures.add(f"only {len(members)} households ready to validate")
    except Exception as e:      # noqa: BLE001 - reported, the server stopped below
        failures.add(f"{type(e).__name__}: {e}")
        import traceback
        traceback.print_exc()
    finally:
        alive = srv.is_live()
        crashes, warnings = srv.log_summary()
        try:
            srv.stop()
        except RuntimeError as e:
            failures.add(str(e))
        if not alive:
            failures.add("the server stopped answering")
        if crashes:
            failures.add(f"httpd crashed {len(crashes)} times: {crashes[0]}")
        results["error_log"] = {"warnings": len(warnings), "first": warnings[:5]}

    if "callgrind" not in args.skip:
        log("bench: callgrind, demo data")
        cg, meta, eng = {}, {}, args.engine
        cg["demo"], _ = measure_callgrind("bench-cg-demo" + suffix, None, cfg, failures,
                                          engine=eng, meta=meta)
        cg["demo_activities"] = meta.get("activities", 51)
        log(f"bench: callgrind, {info['activities']} activities")
        cg["generated"], annotation = measure_callgrind("bench-cg-generated" + suffix,
                                                        db_file, cfg, failures, engine=eng)
        # A page's first rendering, and its SQL as the activities grow.
        off = ["CMCASPageCache Off"]
        log("bench: callgrind, pages rendered for every request, demo data")
        rendered, _ = measure_callgrind("bench-cg-demo-off" + suffix, None, cfg, failures,
                                        CALLGRIND_RENDERED, off, engine=eng)
        cg["demo"].update(rendered)
        log(f"bench: callgrind, pages rendered for every request, {info['activities']} "
            "activities")
        rendered, rendered_annotation = measure_callgrind(
            "bench-cg-generated-off" + suffix, db_file, cfg, failures, CALLGRIND_RENDERED,
            off, engine=eng)
        cg["generated"].update(rendered)
        results["callgrind"] = cg
        results["top_catalogue"] = top_inclusive(annotation)
        results["top_catalogue_off"] = top_inclusive(rendered_annotation)
    return finish(results, failures, args.quick, write_doc_, start, watch)


def finish(results, failures, quick, write_doc_, start, watch=None):
    if watch:
        results["machine"]["others"] = watch.result()
    results["failures"] = list(failures)
    results["seconds"] = round(time.monotonic() - start, 1)
    try:
        results["module"]["rebuilt_during_run"] = \
            file_digest(MODULE_SO) != results["module"]["digest"]
    except (OSError, KeyError):
        pass
    results["machine"]["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    with open(os.path.join(OUT_DIR, "result.json"), "w") as f:
        json.dump(results, f, indent=2, default=str)
    text = table(results, quick)
    print()
    print(text)
    print(f"bench: {results['seconds']:.0f} s; results in {OUT_DIR}/result.json")
    if write_doc_:
        write_doc(text, results.get("engine", "sqlite3"))
        print(f"bench: {DOC} updated")
    if failures:
        print(f"bench: {len(failures)} error(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
