"""Helpers of the registration tests (test_7*.py; this file holds no test).

- `Member`: a household's client for « S'inscrire »: the XML data document of the
  registration page, posts built from it (`do`), or from the HTML form as a browser
  without JavaScript would send it (`HtmlForm`).
- `Db`: the module server's database: cheap passwords (bcrypt cost 4, so that Basic
  authentication costs ~1 ms and not ~70 ms), a reset before each test (no registration,
  the activities and options as loaded), snapshots to show that a post changed nothing.
"""

import datetime
import functools
import re
import subprocess
import xml.etree.ElementTree as ET

import requests

from cmcas_httpd import DEMO_PASSWORD, settle_first_jobs
from cmcas_pages import parse_html, main_text

GAEL, MARTINE, KARIM, SOPHIE = ("gael.classen", "martine.dupont", "karim.benali",
                                "sophie.martin")
# persons of the demo (sql/demo/README.md)
P_GAEL, P_AARON, P_LOUANE, P_LAETITIA = 1, 2, 3, 4
P_MARTINE, P_PIERRE, P_LEA = 5, 6, 7
P_KARIM = 8
P_SOPHIE, P_HUGO = 9, 10

XML = {"Accept": "application/xml"}
HTML = {"Accept": "text/html"}
FORM_TYPE = "application/x-www-form-urlencoded"
RE_TOKEN = re.compile(r"[0-9a-f]{1,16}\.[0-9a-f]{64}")
RE_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@functools.lru_cache(maxsize=None)
def cheap_hash(password=DEMO_PASSWORD):
    """A bcrypt hash of cost 4 of `password` (htpasswd -nbB -C 4)."""
    out = subprocess.run(["htpasswd", "-nbB", "-C", "4", "x", password],
                         capture_output=True, text=True, check=True, timeout=30).stdout
    return out.strip().split(":", 1)[1]


# ----------------------------------------------------------------------------------
# Database


REG_TABLES = ("registration", "registration_person", "registration_option",
              "registration_event")


class Db:
    """The test database of one server (created once per test module)."""

    def __init__(self, server):
        self.server = server
        self.sql = server.sql
        self.sql("UPDATE household SET password = ?", (cheap_hash(),))
        # the activities and options as loaded, to undo what a test changes (kept
        # here: a table created now would make httpd's prepared statements fail with
        # "database schema has changed")
        self.act_cols = self.server.columns("activity")
        self.opt_cols = self.server.columns("activity_option")
        self.restore = "".join(
            self._update("activity", self.act_cols, row)
            for row in self.sql(f"SELECT {', '.join(self.act_cols)} FROM activity ORDER BY id"))
        self.restore += "".join(
            self._update("activity_option", self.opt_cols, row)
            for row in self.sql(f"SELECT {', '.join(self.opt_cols)} FROM activity_option "
                                "ORDER BY id"))

    @staticmethod
    def _quote(v):
        if v is None:
            return "NULL"
        if isinstance(v, int):
            return str(v)
        return "'" + str(v).replace("'", "''") + "'"

    def _update(self, table, cols, row):
        sets = ", ".join(f"{c} = {self._quote(v)}" for c, v in zip(cols, row) if c != "id")
        return f"UPDATE {table} SET {sets} WHERE id = {row[0]};\n"

    def reset(self):
        """No registration at all; activities, options and households as loaded."""
        self.server.sql_script(
            "BEGIN;\n"
            "DELETE FROM registration_option;\n"
            "DELETE FROM registration_event;\n"
            "DELETE FROM registration_person;\n"
            "DELETE FROM registration;\n"
            "DELETE FROM person WHERE household_id > 4;\n"
            "DELETE FROM household WHERE id > 4;\n"
            + self.restore + "COMMIT;\n")

    def snapshot(self, updated_at=True):
        """Everything a registration post may change."""
        snap = {t: self.sql(f"SELECT * FROM {t} ORDER BY 1, 2") for t in REG_TABLES}
        if not updated_at:
            cols = self.server.columns("registration")
            i = cols.index("updated_at")
            snap["registration"] = [r[:i] + r[i + 1:] for r in snap["registration"]]
        snap["places"] = self.sql("SELECT id, places_taken FROM activity ORDER BY id")
        return snap

    def places(self, activity_id):
        return self.sql("SELECT places_taken FROM activity WHERE id = ?",
                        (activity_id,))[0][0]

    def registration(self, activity_id, household_id=1):
        """The registration row as a dict, or None."""
        cols = self.server.columns("registration")
        rows = self.sql("SELECT * FROM registration WHERE activity_id = ? AND "
                        "household_id = ?", (activity_id, household_id))
        return dict(zip(cols, rows[0])) if rows else None

    def participants(self, registration_id):
        cols = self.server.columns("registration_person")
        out = []
        for row in self.sql("SELECT * FROM registration_person WHERE registration_id = ? "
                            "ORDER BY id", (registration_id,)):
            d = dict(zip(cols, row))
            d["options"] = [r[0] for r in self.sql(
                "SELECT option_id FROM registration_option WHERE registration_person_id = ?"
                " ORDER BY option_id", (d["id"],))]
            out.append(d)
        return out

    def events(self, registration_id):
        return self.sql("SELECT at, actor, status, event FROM registration_event "
                        "WHERE registration_id = ? ORDER BY id", (registration_id,))

    def today(self):
        return datetime.date.fromisoformat(self.sql("SELECT date('now')")[0][0])


# ----------------------------------------------------------------------------------
# The registration page as data


def participants(ins):
    """The participants of an `inscription` element, as dicts."""
    out = []
    for p in ins.findall("participant"):
        out.append({
            "id": int(p.get("id")),
            "kind": p.get("kind"),
            "confirmed": p.get("confirmed") == "1",
            "photo": p.get("photo-optout") == "1",
            "name": f"{p.findtext('first-name')} {p.findtext('last-name')}",
            "birth": p.find("birth").get("iso") if p.find("birth") is not None else None,
            "options": [int(o.get("id")) for o in p.findall("option")
                        if o.get("selected") == "1"],
            "offered": [int(o.get("id")) for o in p.findall("option")],
            "amount": int(p.find("amount").get("cents")),
            "node": p,
        })
    return out


def pid(ins, first_name):
    """The participant id of the participant with this first name."""
    found = [p["id"] for p in participants(ins) if p["name"].split()[0] == first_name]
    assert len(found) == 1, (first_name, [p["name"] for p in participants(ins)])
    return found[0]


def total(ins):
    return int(ins.find("total").get("cents"))


def message(ins, type_="error"):
    m = ins.find(f"message[@type='{type_}']")
    return m.text if m is not None else None


def choices(ins):
    """The drop-down as data: person ids, plus "invite" while a guest can be added."""
    ch = ins.find("choices")
    if ch is None:
        return None
    out = [int(p.get("id")) for p in ch.findall("person")]
    if ch.find("guest") is not None:
        out.append("invite")
    return out


class Response:
    """A post's answer: status, Location, and the document when it is one."""

    def __init__(self, r):
        self.r = r
        self.status = r.status_code
        self.location = r.headers.get("Location")
        self.ctype = r.headers.get("Content-Type", "")
        self.root = None
        self.html = None
        if self.ctype.startswith("application/xml"):
            self.root = ET.fromstring(r.content)
        elif self.ctype.startswith("text/html"):
            self.html = parse_html(r.text)

    @property
    def ins(self):
        return self.root.find("inscription") if self.root is not None else None

    @property
    def page(self):
        return self.root.get("name") if self.root is not None else None

    def __repr__(self):
        return f"<Response {self.status} {self.location or ''} {self.r.text[:1500]!r}>"


class Member:
    """A household's browser (Basic authentication)."""

    def __init__(self, server, login=GAEL, password=DEMO_PASSWORD):
        self.server = server
        self.login = login
        self.s = requests.Session()
        self.s.auth = (login, password)

    def close(self):
        self.s.close()

    def get(self, path, accept="application/xml", status=200, **kw):
        r = self.s.get(self.server.url(path), headers={"Accept": accept},
                       allow_redirects=False, timeout=30, **kw)
        assert r.status_code == status, (path, r.status_code, r.text[:2000])
        return r

    def xml(self, path, status=200, **kw):
        r = self.get(path, status=status, **kw)
        assert r.headers["Content-Type"] == "application/xml; charset=utf-8"
        return ET.fromstring(r.content)

    def html(self, path, status=200, **kw):
        r = self.get(path, accept="text/html", status=status, **kw)
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        return parse_html(r.text)

    def ins(self, activity_id, status=200):
        return self.xml(f"/activite/{activity_id}/inscription", status).find("inscription")

    def token(self, activity_id=1):
        return self.ins(activity_id).get("csrf")

    def post(self, activity_id, fields, accept="application/xml", headers=None,
             path=None, timeout=30):
        """POSTs `fields` (list of pairs, dict, or a raw str/bytes body)."""
        hdrs = {"Accept": accept}
        if isinstance(fields, (str, bytes)):
            hdrs["Content-Type"] = FORM_TYPE
        hdrs.update(headers or {})
        r = self.s.post(self.server.url(path or f"/activite/{activity_id}/inscription"),
                        data=fields, headers=hdrs, allow_redirects=False, timeout=timeout)
        return Response(r)

    @staticmethod
    def state(ins, options=None, photo=None, observations=None, drop=()):
        """The fields the page's form posts as it is shown (csrf, participant,
        options-*, photo-*, observations), with changes: options {pid: [ids]},
        photo {pid: bool}, observations text; participants in `drop` are not listed."""
        fields = [("csrf", ins.get("csrf"))]
        for p in participants(ins):
            if p["id"] in drop:
                continue
            fields.append(("participant", str(p["id"])))
            for o in (options or {}).get(p["id"], p["options"]):
                fields.append((f"options-{p['id']}", str(o)))
            if (photo or {}).get(p["id"], p["photo"]):
                fields.append((f"photo-{p['id']}", "1"))
        obs = ins.findtext("observations") or ""
        fields.append(("observations", obs if observations is None else observations))
        return fields

    def do(self, activity_id, action, extra=(), status=303, ins=None, **changes):
        """One action posted as the page's form would post it (XML wanted back)."""
        if ins is None:
            ins = self.ins(activity_id)
        fields = self.state(ins, **changes) + [("action", action)] + list(extra)
        resp = self.post(activity_id, fields)
        assert resp.status == status, resp
        if status == 303:
            assert resp.location.endswith(f"/activite/{activity_id}/inscription?info="
                                          + ("retirer" if action.startswith("retirer-")
                                             else action)), resp.location
        return resp

    def add(self, activity_id, person, status=303, **guest):
        """« Ajouter » a person id, or a guest (person="invite", nom=, prenom=,
        naissance=). Returns the new participant id (or the refusal)."""
        before = self.ins(activity_id)
        extra = [("personne", str(person))]
        for k in ("nom", "prenom", "naissance"):
            if k in guest:
                extra.append((f"invite-{k}", guest[k]))
        resp = self.do(activity_id, "ajouter", extra=extra, status=status, ins=before)
        if status != 303:
            return resp
        old = {p["id"] for p in participants(before)}
        new = [p["id"] for p in participants(self.ins(activity_id)) if p["id"] not in old]
        assert len(new) == 1
        return new[0]

    def tick(self, activity_id, options, **kw):
        """Ticks options ({pid: [ids]}) and saves (« Mettre à jour le total »)."""
        return self.do(activity_id, "enregistrer", options=options, **kw)

    def register(self, activity_id, persons, option=None, validate=True):
        """Adds persons (ids), ticks `option` for each, validates. Returns pids."""
        pids = [self.add(activity_id, p) for p in persons]
        if option is not None:
            self.tick(activity_id, {p: [option] for p in pids})
        if validate:
            self.do(activity_id, "valider")
        return pids


# ----------------------------------------------------------------------------------
# The HTML form, posted as a browser without JavaScript posts it


class HtmlForm:
    """The successful controls of an HTML <form> (HTML 4/5 form submission rules)."""

    def __init__(self, form):
        self.node = form
        self.action = form.attrs.get("action")
        self.method = (form.attrs.get("method") or "get").lower()
        self.controls = []      # [kind, name, value, checked/selected, node]
        for n in form.iter():
            name = n.attrs.get("name")
            if n.tag == "input" and name is not None and "disabled" not in n.attrs:
                typ = (n.attrs.get("type") or "text").lower()
                if typ in ("checkbox", "radio"):
                    self.controls.append(["check", name, n.attrs.get("value", "on"),
                                          "checked" in n.attrs, n])
                elif typ in ("submit", "image", "button", "reset", "file"):
                    self.controls.append(["button", name, n.attrs.get("value", ""),
                                          False, n])
                else:
                    self.controls.append(["text", name, n.attrs.get("value", ""), True, n])
            elif n.tag == "textarea" and name is not None:
                self.controls.append(["text", name, n.raw_text, True, n])
            elif n.tag == "select" and name is not None:
                opts = n.find_all("option")
                chosen = [o for o in opts if "selected" in o.attrs] or opts[:1]
                value = None
                if chosen:
                    value = chosen[0].attrs.get("value", chosen[0].text)
                self.controls.append(["select", name, value, True, n])
            elif n.tag == "button" and name is not None:
                typ = (n.attrs.get("type") or "submit").lower()
                if typ == "submit":
                    self.controls.append(["button", name, n.attrs.get("value", ""),
                                          False, n])

    def buttons(self):
        """(name, value, text) of the submit buttons."""
        return [(c[1], c[2], c[4].text) for c in self.controls if c[0] == "button"]

    def names(self):
        return [c[1] for c in self.controls]

    def value(self, name):
        for c in self.controls:
            if c[1] == name and c[0] in ("text", "select"):
                return c[2]
        raise KeyError(name)

    def set(self, name, value):
        for c in self.controls:
            if c[1] == name and c[0] in ("text", "select"):
                if c[0] == "select":
                    values = [o.attrs.get("value", o.text) for o in c[4].find_all("option")]
                    assert value in values, (name, value, values)
                c[2] = value
                return self
        raise KeyError(name)

    def check(self, name, value="1", on=True):
        for c in self.controls:
            if c[0] == "check" and c[1] == name and c[2] == value:
                c[3] = on
                return self
        raise KeyError((name, value))

    def checked(self, name, value="1"):
        for c in self.controls:
            if c[0] == "check" and c[1] == name and c[2] == value:
                return c[3]
        raise KeyError((name, value))

    def fields(self, button_value):
        """What a click on the submit button of this value sends."""
        out, clicked = [], False
        for kind, name, value, on, _ in self.controls:
            if kind == "button":
                if value == button_value and not clicked:
                    out.append((name, value))
                    clicked = True
            elif kind == "check":
                if on:
                    out.append((name, value))
            elif value is not None:
                out.append((name, value))
        assert clicked, (button_value, self.buttons())
        return out


def page_form(doc):
    forms = doc.find_all("form", id="inscription-form")
    assert len(forms) == 1
    return HtmlForm(forms[0])


class Browser(Member):
    """A member who only uses the HTML pages: GET, fill the form, click, follow."""

    def open(self, activity_id):
        self.doc = self.html(f"/activite/{activity_id}/inscription")
        self.form = page_form(self.doc)
        return self.form

    def click(self, button_value, status=303):
        form = self.form
        assert form.method == "post"
        r = self.s.post(self.server.url(form.action), data=form.fields(button_value),
                        headers={"Accept": "text/html"}, allow_redirects=False, timeout=30)
        assert r.status_code == status, r.text[:3000]
        if status == 303:
            r2 = self.s.get(r.headers["Location"], headers={"Accept": "text/html"},
                            timeout=30)
            assert r2.status_code == 200
            self.doc = parse_html(r2.text)
        else:
            assert r.headers["Content-Type"] == "text/html; charset=utf-8"
            self.doc = parse_html(r.text)
        forms = self.doc.find_all("form", id="inscription-form")
        self.form = HtmlForm(forms[0]) if forms else None
        return self.doc

    def text(self):
        return main_text(self.doc)

    def total_text(self):
        return self.doc.find("p", cls="total").text

    def article(self, name):
        """The participant's <article> whose heading contains `name`."""
        found = [a for a in self.doc.find_all("article", cls="participant")
                 if name in a.find("h3").text]
        assert len(found) == 1, name
        return found[0]

    def participant_id(self, name):
        art = self.article(name)
        return int(art.find("input", name="participant").attrs["value"])

    def alerts(self, kind="error"):
        return [p.text for p in self.doc.find_all("p", cls=f"alert-{kind}")]


# ----------------------------------------------------------------------------------
# Fixtures shared by the registration tests (imported by name into each module: the
# database is reset before every test; `server` is the module's own).

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def db(server):
    # The expiry job's first run (the demo's closed draw) before the tests: on PostgreSQL
    # its publication could meet their resets of the registrations (a deadlock, rolled
    # back and logged, CMCAS116).
    settle_first_jobs(server)
    return Db(server)


@pytest.fixture(autouse=True)
def clean(db):
    db.reset()


def _member(server, *who):
    m = Member(server, *who)
    yield m
    m.close()


@pytest.fixture
def gael(server):
    yield from _member(server)


@pytest.fixture
def martine(server):
    yield from _member(server, MARTINE)


@pytest.fixture
def sophie(server):
    yield from _member(server, SOPHIE)


@pytest.fixture
def browser(server):
    b = Browser(server)
    yield b
    b.close()
