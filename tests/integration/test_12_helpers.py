"""What the HTTP hardening tests (test_12xx, issue 13) share: the security headers every
response of a portal carries, and a scan of HTML for what the Content-Security-Policy
forbids (inline scripts, event handler attributes, javascript: URLs, style attributes)."""

import html.parser
import re

HOSTILE_HOST = "evil.example"


def csp_directives(value):
    """{directive: [sources]} of a Content-Security-Policy header."""
    out = {}
    for part in (value or "").split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def header_problems(headers, what):
    """What is missing or weak in a response's security headers (a list of strings)."""
    problems = []
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append(f"{what}: X-Content-Type-Options is "
                        f"{headers.get('X-Content-Type-Options')!r}")
    if headers.get("Referrer-Policy") not in ("same-origin", "no-referrer",
                                              "strict-origin-when-cross-origin"):
        problems.append(f"{what}: Referrer-Policy is {headers.get('Referrer-Policy')!r}")
    csp = csp_directives(headers.get("Content-Security-Policy"))
    if csp.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{what}: frame-ancestors is {csp.get('frame-ancestors')!r}")
    scripts = csp.get("script-src", csp.get("default-src"))
    if not scripts or any(s in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:")
                          for s in scripts):
        problems.append(f"{what}: script-src is {scripts!r}")
    styles = csp.get("style-src", csp.get("default-src"))
    if not styles or "'unsafe-inline'" in styles:
        problems.append(f"{what}: style-src is {styles!r}")
    return problems


class _InlineScan(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name == "style":
                self.found.append(f"<{tag} style=...>")
            if value and re.match(r"\s*javascript:", value, re.I):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
        if tag == "style":
            self.found.append("<style> element")


def inline_code(text):
    """What a strict CSP would block in an HTML page: inline scripts, on* attributes,
    javascript: URLs, style attributes and elements."""
    scan = _InlineScan()
    scan.feed(text)
    scan.close()
    # A <script> without src but with content is inline code.
    found = list(scan.found)
    for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", text, re.S | re.I):
        if m.group(1).strip():
            found.append(f"inline <script>: {m.group(1).strip()[:60]!r}")
    return sorted(set(found))
