"""The « tour de rôle » demo (issue 10's « Done when »), on the engine of the run: right
after `scripts/demo` starts, « Week-end au Puy du Fou » (activity 34, closed yesterday,
8 places, 14 asked) is drawn by the background job; the CLASSEN household, selected,
reads its result and the reason on its registration, finds the message in the demo's
mail folder, and pays from « Mes inscriptions »; DUPONT reads its waiting-list position.
"""

import email
import email.policy
import glob
import os
import re
import time
import xml.etree.ElementTree as ET

import pytest

from cmcas_httpd import wait_for
from test_7_helpers import GAEL, MARTINE
from test_940_sessions import start_demo
from test_945_demo_pgsql import form_login

ACTIVITY = 34


@pytest.fixture(scope="module")
def demo():
    srv = start_demo("test_947_demo_draw")
    try:
        yield srv
    finally:
        srv.stop()


def mine(session, demo):
    r = session.get(demo.url("/mes-inscriptions"), headers={"Accept": "application/xml"},
                    timeout=30)
    assert r.status_code == 200
    return {int(i.find("activite").get("id")): i
            for i in ET.fromstring(r.content).iter("inscription")}


def test_the_demo_draw(demo):
    started = time.monotonic()
    gael = form_login(demo, GAEL)
    # Before the draw (the job runs every 15 s): a request, nothing to pay.
    before = mine(gael, demo)[ACTIVITY]
    if before.get("selection") == "demande":
        assert before.find("pay") is None
    # Drawn by the job within a minute of the start.
    wait_for(lambda: mine(gael, demo)[ACTIVITY].get("selection") == "retenue", 60)
    assert time.monotonic() - started < 60
    ins = mine(gael, demo)[ACTIVITY]
    assert ins.get("status-label").startswith("Retenue — à payer au plus tard le ")
    reg = ins.get("id")
    # The reason, on the registration's page.
    page = gael.get(demo.url(f"/mes-inscriptions/{reg}"), timeout=30).text
    for text in ["Sélection « tour de rôle »", "Demande retenue", "Rang", "Coefficient social",
                 "6200", "Places demandées", "Je renonce"]:
        assert text in page, text
    # The e-mail, in the folder the README names (demo/mail/ for scripts/demo).
    folder = os.path.join(demo.server_root, "mail")

    def selected_mail():
        for path in glob.glob(os.path.join(folder, "*.eml")):
            with open(path, "rb") as f:
                m = email.message_from_bytes(f.read(), policy=email.policy.default)
            if "gael.classen@example.org" in str(m["To"]) and \
                    str(m["Subject"]).startswith("Inscription retenue"):
                return m
        return None
    msg = wait_for(selected_mail, 30)
    assert "Week-end au Puy du Fou" in str(msg["Subject"])
    # Paid from « Mes inscriptions »: « Procéder au paiement », at the desk.
    pay = ins.find("pay").get("href")
    form = gael.get(demo.url(pay), timeout=30).text
    tok = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    r = gael.post(demo.url(pay), data={"csrf": tok, "cgv": "1", "methode": "cmcas"},
                  allow_redirects=False, timeout=30)
    assert r.status_code == 303 and "/mes-commandes/" in r.headers["Location"]
    assert mine(gael, demo)[ACTIVITY].find("order") is not None
    # Another household: its place on the waiting list (ROUX is first).
    martine = form_login(demo, MARTINE)
    m = mine(martine, demo)[ACTIVITY]
    assert m.get("status-label") == "Liste d'attente (position 2)"
