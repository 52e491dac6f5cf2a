"""docs/directives.md documents every directive of the module, and only those (issue 14).

The directives are read from the code: every AP_INIT_* entry of every command table under
mod_cmcas/ (a directive added by any change is caught). The documentation's are its
headings naming one directive (`## \\`CMCASName\\`` or `### \\`<CMCAS>\\``); each must have
the blocks of Apache's module documentation (Description, Syntax, Default, Context,
Module: mod_cmcas) and an example, and its Syntax must start with the directive's name.
No server is started: the same on both engines and under the sanitizers.
"""

import glob
import os
import re

from cmcas_httpd import REPO

DOC = os.path.join(REPO, "docs", "directives.md")
FIELDS = ["Description", "Syntax", "Default", "Context", "Module"]


def code_directives():
    """{name: file} of the directives in the module's command tables (block directives
    without their `<`)."""
    found = {}
    for path in sorted(glob.glob(os.path.join(REPO, "mod_cmcas", "*.c"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r'\bAP_INIT_[A-Z0-9_]+\s*\(\s*"<?([A-Za-z][A-Za-z0-9]*)"', text):
            found[m.group(1)] = os.path.relpath(path, REPO)
    return found


def doc_sections():
    """{name: text of its section} for the headings that name one directive."""
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    heads = list(re.finditer(r"^(#{2,3}) `<?([A-Za-z][A-Za-z0-9]*)>?`\s*$", text, re.M))
    sections = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        # a section ends at the next heading of any level too
        nxt = re.search(r"^#{1,3} ", text[m.end():end], re.M)
        body = text[m.end():m.end() + nxt.start()] if nxt else text[m.end():end]
        assert m.group(2) not in sections, f"{m.group(2)} documented twice"
        sections[m.group(2)] = body
    return sections


def fields(body):
    """{field: value} of the section's table (`| Field | value |`)."""
    return {m.group(1): m.group(2).strip()
            for m in re.finditer(r"^\|\s*([A-Z][a-z]+)\s*\|(.*)\|\s*$", body, re.M)}


def test_the_code_has_directives():
    names = code_directives()
    assert "CMCASPortal" in names and "CMCAS" in names, names
    assert len(names) >= 30


def test_every_directive_is_documented():
    missing = sorted(set(code_directives()) - set(doc_sections()))
    assert not missing, f"directives of the code without a section in docs/directives.md: " \
                        f"{missing}"


def test_every_documented_directive_exists():
    extra = sorted(set(doc_sections()) - set(code_directives()))
    assert not extra, f"docs/directives.md documents directives the code lacks: {extra}"


def test_each_section_has_apaches_blocks_and_an_example():
    problems = []
    for name, body in doc_sections().items():
        f = fields(body)
        for field in FIELDS:
            if not f.get(field):
                problems.append(f"{name}: no {field}")
        if f.get("Module") and f["Module"] != "mod_cmcas":
            problems.append(f"{name}: Module is {f['Module']!r}")
        syntax = f.get("Syntax", "")
        if not re.match(rf"`<?{name}\b", syntax):
            problems.append(f"{name}: Syntax {syntax!r} does not start with the directive")
        example = re.search(r"^\*\*Example\*\*\s*\n+```apache\n(.*?)```", body, re.M | re.S)
        if not example:
            problems.append(f"{name}: no **Example** block")
        elif not re.search(rf"^\s*<?{name}\b", example.group(1), re.M):
            problems.append(f"{name}: its example does not use it")
    assert not problems, "\n".join(problems)
