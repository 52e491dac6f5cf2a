"""What the back-office's tests (test_10xx, issue 11) share: the two CMCAS the demo's
staff belong to, their logins, and a staff session (Basic authentication against
cmcas_staff, as the harness's <Location /gestion> does)."""
import re

import requests

from cmcas_httpd import BN_BLOCK, DEMO_PASSWORD, cmcas_block

TOURAINE_BLOCK = cmcas_block("TOURAINE", "CMCAS Touraine")
# Berry-Nivernais's portal, with Touraine declared (its staff are CMCAS staff too).
STAFF_SECTIONS = {"cmcas": BN_BLOCK + TOURAINE_BLOCK}
BN_STAFF = ("gestion.bn", DEMO_PASSWORD)
T_STAFF = ("gestion.touraine", DEMO_PASSWORD)
XML = {"Accept": "application/xml"}


def staff_session(auth):
    """A session of that staff login (login, password), asking for HTML."""
    s = requests.Session()
    s.auth = auth
    s.headers["Accept"] = "text/html"
    return s


def staff_token(s, server, path="/gestion/"):
    """The back-office's CSRF token: /page/staff/@csrf of any of its pages."""
    x = s.get(server.url(path), headers=XML).text
    return re.search(r'<staff [^>]*csrf="([^"]+)"', x).group(1)
