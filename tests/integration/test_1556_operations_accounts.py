"""docs/operations.md « The CMCAS, its households and its staff » (issue 14: nothing said
how to create them): its SQL block, run as documented on a database made by the
migrations alone (no demo data), gives a household that logs in and sees its catalogue,
and a staff member who opens the back-office. Both engines.
"""

import os
import re
import subprocess

import pytest
import requests

from cmcas_httpd import REPO
from test_1520_migrations import LATEST, OldSchemaHttpd

DOC = os.path.join(REPO, "docs", "operations.md")
PASSWORD = "Mot-de-passe-2026"


def documented_sql():
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    section = text.split("## The CMCAS, its households and its staff", 1)[1]
    return re.search(r"```sql\n(.*?)```", section, re.S).group(1)


def bcrypt(password):
    out = subprocess.run(["htpasswd", "-nbB", "-C", "10", "x", password],
                         capture_output=True, text=True, check=True).stdout
    return out.strip().split(":", 1)[1]


@pytest.fixture(scope="module")
def fresh(start_server):
    """A portal on a database with the schema and nothing else, then the documented
    SQL with real hashes in place of the placeholders."""
    srv = start_server(OldSchemaHttpd("test_1556_operations_accounts", version=LATEST))
    sql = documented_sql()
    assert sql.count("$2y$10$REPLACE.WITH.THE.BCRYPT.HASH") == 2
    srv.sql_script(sql.replace("$2y$10$REPLACE.WITH.THE.BCRYPT.HASH", bcrypt(PASSWORD)))
    return srv


def test_the_documented_household_logs_in(fresh, expect_log):
    expect_log(r"AH01617: user jeanne\.moreau: authentication failure")
    assert fresh.sql("SELECT COUNT(*) FROM person WHERE household_id = 1001") == [(2,)]
    r = requests.get(fresh.url("/mes-informations"), auth=("jeanne.moreau", PASSWORD),
                     headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 200, r.text[:500]
    assert "MOREAU" in r.text and "Lucas" in r.text
    r = requests.get(fresh.url("/"), auth=("jeanne.moreau", "wrong"), timeout=30)
    assert r.status_code == 401


def test_the_documented_staff_member_opens_the_back_office(fresh):
    r = requests.get(fresh.url("/gestion/"), auth=("gestion.bn", PASSWORD),
                     headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 200, r.text[:500]
    assert "Tableau de bord" in r.text
