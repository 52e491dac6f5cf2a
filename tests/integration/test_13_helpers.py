"""What the attack tests (test_13xx, issue 13) share: a dump of the whole database to show
that an attack changed nothing, cheap passwords, a member's desk order built through the
pages, sessions of members and staff, and CSRF tokens (the page's, and forged ones)."""

import hashlib
import hmac
import os
import re
import time

from cmcas_httpd import DEMO_PASSWORD, GEN_DIR, closed_draws_left
from test_7_helpers import cheap_hash
from test_10_helpers import BN_STAFF, STAFF_SECTIONS, T_STAFF, today_fr  # noqa: F401 (re-exported)
from test_10_helpers import member, staff_token as _staff_token

GAEL, MARTINE, SOPHIE = "gael.classen", "martine.dupont", "sophie.martin"
XML = {"Accept": "application/xml"}
# Tables a request may touch without anything having changed: the jobs' clocks (the
# expiry job runs on its own) and the sessions of mod_session (a login writes one).
VOLATILE = {"cmcas_job", "cmcas_session", "cmcas_schema_version"}
# Columns the background jobs change on their own: the e-mail job's delivery of a message
# (a message written is an attack's change; its sending, a second or ten later, is not).
VOLATILE_COLUMNS = {"cmcas_outbox": {"attempts", "next_attempt_at", "claimed_until",
                                     "sent_at", "last_error"}}
# The attack servers' expiry job runs every second, not every minute: dump() waits for it
# to draw the closed « tour de rôle » activities (settle_draws), which then takes a second
# instead of up to a minute per server.
QUICK_JOBS = "CMCASExpiryInterval 1\n"
# The attack modules' server (their CMCAS_SERVER): two CMCAS with their staff, QUICK_JOBS.
ATTACK_SERVER = {"sections": STAFF_SECTIONS, "extra": QUICK_JOBS}
# Everything a member's or staff's request may write, children first (to empty them).
WRITABLE = ("cmcas_audit", "cmcas_order_payment", "cmcas_outbox", "cmcas_order_notice",
            "cmcas_order_event", "cmcas_invoice_line", "cmcas_invoice", "cmcas_order_line",
            "cmcas_order", "registration_event", "registration_option",
            "registration_person", "registration")


def tables(server):
    if server.engine == "pgsql":
        rows = server.sql("SELECT table_name FROM information_schema.tables "
                          "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
    else:
        rows = server.sql("SELECT name FROM sqlite_master WHERE type = 'table' "
                          "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE '%VIRTUAL%'")
    names = sorted(r[0] for r in rows)
    # FTS5's shadow tables follow their index; the index follows activity.
    return [n for n in names if n not in VOLATILE and not re.search(r"_(data|idx|docsize|"
                                                                   r"config|content)$", n)]


def settle_draws(server, timeout=90):
    """Waits until the draw job has drawn and published the « tour de rôle » activities
    already closed (the demo's « Week-end au Puy du Fou », again after a test put the
    activities back as loaded): it runs every CMCASExpiryInterval (QUICK_JOBS: a second),
    and its change is not an attack's."""
    if getattr(server, "draws_never_settle", False):
        return
    deadline = time.monotonic() + timeout
    while closed_draws_left(server):
        if time.monotonic() > deadline:
            server.draws_never_settle = True    # not drawn by the job: not waited again
            return
        time.sleep(0.2)


def dump(server):
    """Every row of every table (but VOLATILE and VOLATILE_COLUMNS), as text, in a stable
    order, once the background draws are done (settle_draws)."""
    settle_draws(server)
    out = {}
    for t in tables(server):
        cols = [c for c in server.columns(t) if c not in VOLATILE_COLUMNS.get(t, ())]
        rows = server.sql(f"SELECT {', '.join(cols)} FROM {t}")
        out[t] = sorted(tuple("" if v is None else str(v) for v in row) for row in rows)
    return out


def diff(before, after):
    """The tables whose rows differ, with the rows gained and lost (for the message)."""
    out = {}
    for t in set(before) | set(after):
        b, a = set(before.get(t, [])), set(after.get(t, []))
        if a != b:
            out[t] = {"gained": sorted(a - b)[:5], "lost": sorted(b - a)[:5]}
    return out


def cheap_passwords(server):
    """bcrypt cost 4 for every member and staff login (Basic costs ~1 ms, not ~70)."""
    server.sql("UPDATE household SET password = ?", (cheap_hash(),))
    server.sql("UPDATE cmcas_staff SET password = ?", (cheap_hash(),))


def empty_writable(server):
    for t in WRITABLE:
        server.sql(f"DELETE FROM {t}")
    server.sql("UPDATE activity SET places_taken = 0")


def session(login=GAEL, password=DEMO_PASSWORD, accept="text/html"):
    """member() with the arguments the attack tests give: (login, password) pairs."""
    return member(login, accept, password)


def remember_secret(value):
    """Notes a value that must never be logged (a token, a session cookie): the logs of
    the run are searched for it afterwards (scripts/lib/check_logs.py)."""
    os.makedirs(GEN_DIR, exist_ok=True)
    with open(os.path.join(GEN_DIR, ".secrets"), "a", encoding="utf-8") as f:
        f.write(value + "\n")
    return value


def page_token(s, url):
    """The csrf field of the first form of an HTML page."""
    r = s.get(url, headers={"Accept": "text/html"})
    return remember_secret(re.search(r'name="csrf" value="([^"]+)"', r.text).group(1))


def staff_token(s, server, path="/gestion/"):
    return remember_secret(_staff_token(s, server, path))


def forge(server, login, issued):
    """A token as the module makes it, with the server's secret (a test can read the
    key; an attacker cannot): to make an expired one."""
    with open(server.secret_path, "rb") as f:
        key = f.read().rstrip(b"\r\n")
    stamp = "%x" % issued
    mac = hmac.new(key, f"{login}\n{stamp}".encode(), hashlib.sha256).hexdigest()
    return f"{stamp}.{mac}"


def validated_registration(server, s, activity=1, guest=("PETIT", "Michel", "12/03/1971")):
    """The session's ouvrant droit (and a guest) validated on `activity` with its first option through the
    member's pages: (registration id, the form's token)."""
    path = f"/activite/{activity}/inscription"
    tok = page_token(s, server.url(path))
    before = {r[0] for r in server.sql("SELECT id FROM registration_person")}
    od = server.sql("SELECT min(p.id) FROM person p JOIN household h ON h.id = "
                    "p.household_id WHERE h.login = ?", (s.auth[0],))[0][0]
    s.post(server.url(path), data={"csrf": tok, "action": "ajouter", "personne": str(od)})
    if guest:
        s.post(server.url(path), data={"csrf": tok, "action": "ajouter",
                                       "personne": "invite", "invite-nom": guest[0],
                                       "invite-prenom": guest[1],
                                       "invite-naissance": guest[2]})
    ids = [str(r[0]) for r in server.sql("SELECT id FROM registration_person ORDER BY id")
           if r[0] not in before]
    data = {"csrf": tok, "action": "valider", "participant": ids}
    option = server.sql("SELECT min(id) FROM activity_option WHERE activity_id = ?",
                        (activity,))[0][0]
    for i in ids:
        data["options-" + i] = str(option)
    r = s.post(server.url(path), data=data, allow_redirects=False)
    assert r.status_code == 303, r.text[:800]
    reg = server.sql("SELECT r.id FROM registration r JOIN household h "
                     "ON h.id = r.household_id WHERE r.activity_id = ? AND h.login = ?",
                     (activity, s.auth[0]))[0][0]
    return reg, tok


def desk_order(server, s, reg, tok):
    """« Paiement en CMCAS » of that registration: the order's reference."""
    r = s.post(server.url(f"/mes-inscriptions/{reg}/paiement"),
               data={"csrf": tok, "cgv": "1", "methode": "cmcas"}, allow_redirects=False)
    assert r.status_code == 303, r.text[:800]
    return re.search(r"/mes-commandes/([A-Z]{9})", r.headers["Location"]).group(1)


def now():
    return int(time.time())
