"""What the two bank simulators share: logging, pages, raw form parsing, outgoing
notifications (no redirect followed, no retry), the HTTP server.

Standard library only. Imported by paybox_simulator.py and systempay_simulator.py, which
are run as scripts (their directory is then on sys.path)."""

import datetime
import html
import http.server
import json
import re
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

MAX_BODY = 256 * 1024

# The test cards (both simulators).
CARD_3DS_ACCEPTED = "1111222233334444"      # 3-D Secure step, then accepted
CARD_REFUSED = "4012001038443335"           # refused: invalid card number (14)
CARD_PENDING = "4000000000009999"           # pending


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def log(line):
    """One line on stderr per event."""
    line = line.replace("\r", " ").replace("\n", " ")
    print(f"{now_iso()} {line}", file=sys.stderr, flush=True)


def mask_card(number):
    """All but the last 4 digits masked: a log never shows a card number in full."""
    digits = re.sub(r"\D", "", number or "")
    if not digits:
        return "-"
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def esc(value):
    """HTML-escapes a value for text or a double-quoted attribute (& < > " escaped; an
    apostrophe stays one, as in « Problème d'identification »)."""
    return html.escape(str(value), quote=False).replace('"', "&quot;")


def money(cents):
    """1000 -> '10.00' (the bank's way of writing an amount: a dot, 2 decimals)."""
    cents = int(cents)
    return f"{cents // 100}.{cents % 100:02d}"


STYLE = """
body{font-family:Arial,Helvetica,sans-serif;background:#eef1f4;color:#222;margin:0}
main{max-width:30rem;margin:2rem auto;background:#fff;border:1px solid #c9d1d9;
 border-radius:6px;padding:1.5rem 2rem;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin:0 0 .3rem;color:#0b3d6b}
.merchant{font-weight:bold;color:#555;margin:0 0 1rem}
.ref{color:#666;font-size:.9rem}
label{display:block;margin:.8rem 0 .2rem;font-weight:bold}
input[type=text],select{font-size:1rem;padding:.3rem}
input.card{width:16rem} input.cvv{width:4rem}
.help{font-size:.85rem;color:#666}
.buttons{margin-top:1.4rem;display:flex;gap:1rem;justify-content:space-between}
button{font-size:1rem;padding:.5rem 1.4rem;border-radius:4px;border:1px solid #888;cursor:pointer}
button.ok{background:#0b6bcb;color:#fff;border-color:#0b6bcb}
.error{background:#fde8e8;border:1px solid #d33;color:#900;padding:.6rem;margin:.8rem 0}
.schedule{background:#f4f8fc;border:1px solid #c9d8e8;padding:.5rem 1rem;margin:.8rem 0}
.schedule ul{margin:.3rem 0;padding-left:1.2rem}
footer{font-size:.8rem;color:#777;text-align:center;margin-top:1.2rem}
""".strip()


def page(title, body, brand):
    """A small, complete UTF-8 page. `title` is text (escaped here), `body` is HTML."""
    return (
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n<footer>{esc(brand)} — simulateur de test</footer>\n</main>\n</body>\n</html>\n"
    ).encode("utf-8")


def parse_form(raw):
    """application/x-www-form-urlencoded body -> [(name bytes, value bytes)] in the order
    posted, each decoded here ('+' is a space, %XX a byte), nothing merged or dropped."""
    pairs = []
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        pairs.append((urllib.parse.unquote_to_bytes(name.replace(b"+", b" ")),
                      urllib.parse.unquote_to_bytes(value.replace(b"+", b" "))))
    return pairs


def text(value):
    """Bytes of a posted value as text (UTF-8, else Latin-1: the bank takes both)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def absolute_url(value, limit=None):
    """None if `value` is an absolute http(s) URL (the bank refuses relative ones), else why."""
    if limit and len(value) > limit:
        return f"longer than {limit} characters"
    if re.search(r"[\s\x00-\x1f\x7f]", value):
        return "contains spaces or control characters"
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "not an absolute http(s) URL"
    if parts.fragment or "#" in value:
        return "has a fragment"
    return None


def card_form_html(action, tx, error=None):
    """The card form of the bank page: numero, mois/annee (MM/AA), cvv, tx; « Valider »
    comes first in the document (Enter in a field validates) but is shown on the right."""
    months = "".join(f"<option value=\"{m:02d}\">{m:02d}</option>" for m in range(1, 13))
    year = datetime.date.today().year
    years = "".join(f"<option value=\"{y % 100:02d}\">{y % 100:02d}</option>"
                    for y in range(year, year + 12))
    alert = f"<p class=\"error\" role=\"alert\">{esc(error)}</p>\n" if error else ""
    return f"""{alert}<form method="post" action="{esc(action)}" autocomplete="off">
<input type="hidden" name="tx" value="{esc(tx)}">
<label for="numero">Numéro de carte</label>
<input type="text" class="card" id="numero" name="numero" inputmode="numeric" maxlength="23">
<label for="mois">Date de fin de validité (MM/AA)</label>
<select id="mois" name="mois"><option value="">MM</option>{months}</select> /
<select id="annee" name="annee" aria-label="Année de fin de validité"><option value="">AA</option>{years}</select>
<label for="cvv">Cryptogramme visuel</label>
<input type="text" class="cvv" id="cvv" name="cvv" inputmode="numeric" maxlength="3">
<p class="help">3 derniers chiffres au dos de la carte</p>
<div class="buttons" style="flex-direction:row-reverse">
<button type="submit" class="ok" name="action" value="valider">Valider</button>
<button type="submit" name="action" value="annuler">Annuler</button>
</div>
</form>"""


def tds_form_html(action, tx, card):
    return f"""<h2>Authentification 3-D Secure</h2>
<p>Carte {esc(mask_card(card))}. Plate-forme de test : l'authentification est toujours
validée.</p>
<form method="post" action="{esc(action)}">
<input type="hidden" name="tx" value="{esc(tx)}">
<div class="buttons"><button type="submit" class="ok" name="action" value="valider">Valider</button></div>
</form>"""


def parse_card(fields):
    """Card form -> (card digits, expiry AAMM, error message). The expiry comes from the
    two selects mois/annee or a text field validite=MM/AA. The platform, like the bank's
    test platform, does not check that the card is still valid."""
    number = re.sub(r"[ \-]", "", fields.get("numero", ""))
    if not re.fullmatch(r"[0-9]{12,19}", number):
        return None, None, "Le numéro de carte est invalide."
    month, year = fields.get("mois", ""), fields.get("annee", "")
    if not month and not year and "validite" in fields:
        month, _, year = fields["validite"].strip().partition("/")
    if not (re.fullmatch(r"[0-9]{2}", month) and re.fullmatch(r"[0-9]{2}", year)
            and 1 <= int(month) <= 12):
        return None, None, "La date de fin de validité est invalide."
    if not re.fullmatch(r"[0-9]{3}", fields.get("cvv", "").strip()):
        return None, None, "Le cryptogramme visuel est invalide (3 chiffres)."
    return number, year + month, None


def append_query(url, query):
    """url + ('&' if it already has a query else '?') + query."""
    if "?" not in url:
        return f"{url}?{query}"
    return url + ("" if url.endswith(("?", "&")) else "&") + query


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None     # a redirect is an answer like any other: its status is recorded


_opener = urllib.request.build_opener(_NoRedirect)


def deliver(method, url, body=None, content_type=None, timeout=20):
    """Sends one notification. Returns (HTTP status or None, error text or None).
    Never retried: the bank records the status and moves on."""
    headers = {"User-Agent": "simulateur-banque/1.0"}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with _opener.open(req, timeout=timeout) as resp:
            resp.read()
            return resp.status, None
    except urllib.error.HTTPError as e:
        return e.code, None
    except (urllib.error.URLError, OSError, ValueError) as e:
        return None, str(getattr(e, "reason", e))


class Recorder:
    """The notifications a simulator sent, numbered from 1, and the browser returns."""

    def __init__(self):
        self.lock = threading.Lock()
        self.notifications = []
        self.returns = []

    def add_notification(self, record):
        with self.lock:
            record["n"] = len(self.notifications) + 1
            record["time"] = now_iso()
            self.notifications.append(record)
            return record

    def notification(self, n):
        with self.lock:
            if 1 <= n <= len(self.notifications):
                return dict(self.notifications[n - 1])
            return None

    def add_return(self, record):
        with self.lock:
            record["n"] = len(self.returns) + 1
            record["time"] = now_iso()
            self.returns.append(record)

    def snapshot(self):
        with self.lock:
            return [dict(r) for r in self.notifications], [dict(r) for r in self.returns]

    def reset(self):
        with self.lock:
            self.notifications.clear()
            self.returns.clear()


class Handler(http.server.BaseHTTPRequestHandler):
    """Base handler: one log line per request, with `self.note` appended."""

    server_version = "SimulateurBanque/1.0"
    sys_version = ""
    note = ""

    def log_request(self, code="-", size="-"):
        log(f'{self.client_address[0]} "{self.command} {self.path}" {code}'
            + (f" {self.note}" if self.note else ""))

    def log_message(self, fmt, *args):
        log(f"{self.client_address[0]} " + (fmt % args))

    def read_body(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def send_bytes(self, status, body, ctype, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_page(self, body, status=200):
        self.send_bytes(status, body, "text/html; charset=utf-8")

    def send_json(self, obj, status=200):
        self.send_bytes(status, (json.dumps(obj, ensure_ascii=False, indent=1) + "\n")
                        .encode("utf-8"), "application/json; charset=utf-8")

    def send_text(self, text_, status=200):
        self.send_bytes(status, text_.encode("utf-8"), "text/plain; charset=utf-8")

    def redirect(self, url):
        self.send_bytes(303, b"", "text/plain; charset=utf-8", [("Location", url)])

    def query(self):
        """The query of this request as a dict of decoded strings (control endpoints)."""
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query,
                                           keep_blank_values=True))


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


def serve(handler_cls, port, name):
    server = _Server(("127.0.0.1", port), handler_cls)
    log(f"{name} listening on http://127.0.0.1:{server.server_address[1]}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
