"""`scripts/demo --pgsql`: the demo on a PostgreSQL cluster of its own.

`scripts/demo --pgsql --prepare DIR PORT` (CMCAS_DEMO_ENGINE=pgsql says the same) initialises
a cluster in DIR/pgsql with Debian's postgresql package, on a free port of 127.0.0.1, with
the role `cmcas` (not a superuser) owning the database `cmcas`, the schema of sql/pgsql/
and the demo data; the demo's configuration then reads it through mod_dbd's pgsql driver.
DIR/pgsql-stop stops it (DemoHttpd.stop() runs it). Whatever CMCAS_ENGINE says, this file
tests the PostgreSQL demo.
"""

import os
import re
import time

import pytest
import requests

import cmcas_pg
from cmcas_httpd import DEMO_PASSWORD
from test_7_helpers import GAEL, P_GAEL, Member
from test_940_sessions import start_demo

pytestmark = pytest.mark.skipif(not cmcas_pg.available(),
                                reason="PostgreSQL (postgresql-15) is not installed")


@pytest.fixture(scope="module")
def demo():
    srv = start_demo("test_945_demo_pgsql", "pgsql")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(autouse=True)
def demo_log(demo):
    """Any error-log line at warn or above fails the test."""
    yield
    problems = demo.error_log.problems(demo.error_log.take())
    assert not problems, "unexpected error-log lines:\n" + "\n".join(problems)


def form_login(demo, login=GAEL):
    s = requests.Session()
    s.headers["Accept"] = "text/html"
    r = s.post(demo.url("/connexion/valider"), allow_redirects=False, timeout=30,
               data={"httpd_username": login, "httpd_password": DEMO_PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/", (r.status_code, r.headers)
    return s


def places_left(session, demo, activity_id=1):
    r = session.get(demo.url(f"/activite/{activity_id}"), timeout=30)
    assert r.status_code == 200
    return int(re.search(r"Nombre de places restantes : (?:<strong>)?(\d+)", r.text).group(1))


def cluster_processes(data_dir):
    """The postmaster of the cluster in `data_dir` and its children (pids)."""
    with open(os.path.join(data_dir, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    pids = {postmaster}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:        # the parent's pid
            pids.add(int(entry))
    return pids


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# --------------------------------------------------------------------------------------


def test_the_demo_reads_its_own_postgresql(demo):
    conf = demo.conf_text()
    port = demo.pg_cluster().port
    assert re.search(rf"^Define CMCAS_DEMO_PGSQL_PORT {port}$", conf, re.M)
    assert 'DBDParams "host=127.0.0.1 port=${CMCAS_DEMO_PGSQL_PORT} dbname=cmcas ' \
           'user=cmcas options=\'-c lock_timeout=5000\'"' in conf
    # the SQLite file the data came from is not left beside it
    assert not os.path.exists(os.path.join(demo.server_root, "db"))
    # the portal's role owns the database and is not a superuser
    assert demo.sql("SELECT current_user, rolsuper FROM pg_roles "
                    "WHERE rolname = current_user") == [("cmcas", False)]
    assert demo.sql("SELECT pg_get_userbyid(datdba) FROM pg_database "
                    "WHERE datname = 'cmcas'") == [("cmcas",)]
    # TCP on 127.0.0.1 only, no Unix socket, trust from 127.0.0.1 only
    assert demo.sql("SELECT current_setting('listen_addresses')") == [("127.0.0.1",)]
    data = os.path.join(demo.server_root, "pgsql", "data")
    with open(os.path.join(data, "postgresql.conf"), encoding="utf-8") as f:
        assert re.search(r"^unix_socket_directories = ''$", f.read(), re.M)
    with open(os.path.join(data, "pg_hba.conf"), encoding="utf-8") as f:
        rules = [line.split() for line in f if line.strip() and not line.startswith("#")]
    assert rules == [["host", "all", "all", "127.0.0.1/32", "trust"]]
    # the schema of sql/pgsql/ and the demo data
    versions = [v for (v,) in demo.sql("SELECT version FROM cmcas_schema_version "
                                       "ORDER BY version")]
    assert versions == list(range(1, len(cmcas_pg.migrations()) + 1))
    assert demo.sql("SELECT title FROM activity WHERE id = 1") == [("Atelier gourmand",)]


def test_the_tutorials_journey_starts(demo):
    """Login form, catalog, detail, « S'inscrire », and a registration written to
    PostgreSQL (the place taken)."""
    r = requests.get(demo.url("/"), allow_redirects=False, timeout=30)
    assert r.status_code == 302 and r.headers["Location"].endswith("/connexion")
    r = requests.get(demo.url("/connexion"), timeout=30)
    assert r.status_code == 200 and 'action="/connexion/valider"' in r.text

    s = form_login(demo)
    r = s.get(demo.url("/"), timeout=30)
    assert r.status_code == 200
    assert "Gael CLASSEN" in r.text and "Atelier gourmand" in r.text

    r = s.get(demo.url("/activite/1"), timeout=30)
    assert r.status_code == 200
    assert "Atelier gourmand" in r.text and "S'inscrire" in r.text
    before = places_left(s, demo)

    r = s.get(demo.url("/activite/1/inscription"), timeout=30)
    assert r.status_code == 200
    for who in ("Gael CLASSEN", "Aaron CLASSEN", "Louane CLASSEN", "Laetitia BESSIERE",
                "Invité(s)"):
        assert who in r.text, who
    assert "Ajouter" in r.text and "Montant total de votre inscription" in r.text

    member = Member(demo)
    member.s = s                        # the session of the login form, not Basic
    option = demo.sql("SELECT min(id) FROM activity_option WHERE activity_id = 1")[0][0]
    member.register(1, [P_GAEL], option=option)
    assert demo.sql("SELECT r.status FROM registration r JOIN household h "
                    "ON h.id = r.household_id WHERE h.login = ? AND r.activity_id = 1",
                    (GAEL,)) == [("validee",)]
    assert places_left(s, demo) == before - 1
    r = s.get(demo.url("/mes-inscriptions"), timeout=30)
    assert r.status_code == 200 and "Atelier gourmand" in r.text


def test_stopping_the_demo_stops_postgresql():
    srv = start_demo("test_945_demo_pgsql-stop", "pgsql")
    try:
        data = os.path.realpath(os.path.join(srv.server_root, "pgsql", "data"))
        pids = cluster_processes(data)
        assert len(pids) > 1, pids          # the postmaster and its workers
        assert requests.get(srv.url("/connexion"), timeout=30).status_code == 200
    finally:
        srv.stop()
    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if alive(p)], "PostgreSQL processes left"
    assert not os.path.exists(os.path.join(data, "postmaster.pid"))
