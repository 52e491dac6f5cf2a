"""Reading mod_cmcas's answers in tests: a small HTML tree, the catalog cards, the text a
member sees, and an independent model of what the catalog must list (from the test
database and the rules of docs/http-interface.md)."""

import datetime
import html.parser
import re
import unicodedata
import xml.etree.ElementTree as ET

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []      # Node or str

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        out = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.classes:
                continue
            if any(n.attrs.get(k.rstrip("_").replace("_", "-")) != v
                   for k, v in attrs.items()):
                continue
            out.append(n)
        return out

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    @property
    def raw_text(self):
        """All the text below this node, as it is."""
        parts = []

        def walk(n):
            for c in n.children:
                if isinstance(c, str):
                    parts.append(c)
                else:
                    walk(c)
        walk(self)
        return "".join(parts)

    @property
    def text(self):
        """Visible text, whitespace collapsed, non-breaking spaces as spaces."""
        return re.sub(r"\s+", " ", self.raw_text.replace("\xa0", " ")).strip()


class _Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.cur = self.root
        self.tags_seen = []

    def handle_starttag(self, tag, attrs):
        self.tags_seen.append(tag)
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.tags_seen.append(tag)
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse_html(text):
    b = _Builder()
    b.feed(text)
    b.close()
    b.root.tags_seen = b.tags_seen
    return b.root


def main_text(doc):
    """Text of <main> (the page without header, themes bar and footer)."""
    main = doc.find("main")
    return main.text if main else doc.text


class Card:
    def __init__(self, node):
        self.node = node
        link = node.find("h2", cls="card-title").find("a")
        self.href = link.attrs["href"]
        self.id = int(re.fullmatch(r"/activite/(\d+)", self.href).group(1))
        self.title = link.text
        self.badges = [b.text for b in node.find_all("span", cls="badge")]
        self.closed = "card-closed" in node.classes
        self.text = node.text

    @property
    def new(self):
        return "NOUVEAU" in self.badges

    def __repr__(self):
        return f"Card({self.id})"


def cards(doc):
    return [Card(a) for a in doc.find_all("article", cls="card")]


def xml_doc(text):
    return ET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)


# ----------------------------------------------------------------------------------
# Dates and money as the pages show them


def fr_date(iso):
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def euros(cents):
    """An amount as the module writes it: no-break spaces between digit groups and before
    « € », so that no line breaks inside it."""
    e, c = divmod(cents, 100)
    digits = f"{e:,}".replace(",", "\u00a0")
    return f"{digits},{c:02d}\u00a0€"


def euros_shown(cents):
    """euros() as Node.text gives it (no-break spaces read as spaces)."""
    return euros(cents).replace("\u00a0", " ")


# ----------------------------------------------------------------------------------
# Search model: case- and accent-insensitive, every word must begin a word

def _fts_fold(s):
    """Case and accents aside, as SQLite's unicode61 tokenizer (remove_diacritics 2):
    letters lose their diacritics (é -> e), ligatures stay (œ)."""
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if unicodedata.category(c) != "Mn").lower()


def words(q):
    """Words of a text: runs of letters and digits (punctuation, symbols and « » apart)."""
    return re.findall(r"[^\W_]+", _fts_fold(q))


def matches(query, title, description):
    """Every word of the query begins a word of the title or the description."""
    hay = words(title + "\n" + (description or ""))
    return all(any(t.startswith(w) for t in hay) for w in words(query))


# ----------------------------------------------------------------------------------
# Catalog model from the database


class Catalog:
    """What the catalog must hold for a portal, read from the test database."""

    def __init__(self, sql, portal="BN", new_days=15):
        self.today = sql("SELECT date('now')")[0][0]
        self.portal = portal
        self.new_days = new_days
        cols = ("id", "cmcas_code", "theme", "title", "description", "start_date",
                "end_date", "closing_date", "published_at", "open_to_others", "capacity",
                "places_taken", "mode", "place")
        self.rows = [dict(zip(cols, r)) for r in sql(f"SELECT {', '.join(cols)} "
                                                     "FROM activity ORDER BY id")]
        self.by_id = {r["id"]: r for r in self.rows}

    def listed(self, a):
        return (a["published_at"] is not None and a["published_at"] <= self.today
                and a["end_date"] >= self.today)

    def is_open(self, a):
        return a["closing_date"] >= self.today

    def is_new(self, a):
        if not a["published_at"]:
            return False
        d = (datetime.date.fromisoformat(self.today)
             - datetime.date.fromisoformat(a["published_at"])).days
        return 0 <= d < self.new_days

    def tab(self, tab="nos", theme=None, q=None):
        """Ids of the catalog in display order."""
        out = []
        for a in self.rows:
            if not self.listed(a):
                continue
            if tab == "nos" and a["cmcas_code"] != self.portal:
                continue
            if tab == "autres" and (a["cmcas_code"] == self.portal
                                    or not a["open_to_others"]):
                continue
            if theme and a["theme"] != theme:
                continue
            if q is not None and not matches(q, a["title"], a["description"]):
                continue
            out.append(a)
        out.sort(key=lambda a: (0 if self.is_open(a) else 1, a["start_date"], a["id"]))
        return [a["id"] for a in out]
