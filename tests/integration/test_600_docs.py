"""The documentation keeps up with the code: every directive the module registers has its
section in docs/directives.md, and every log tag it uses is listed in docs/operations.md."""

import glob
import os
import re

import pytest

from cmcas_httpd import REPO

SOURCES = sorted(glob.glob(os.path.join(REPO, "mod_cmcas", "*.c")))
DIRECTIVES_MD = os.path.join(REPO, "docs", "directives.md")
OPERATIONS_MD = os.path.join(REPO, "docs", "operations.md")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def registered_directives():
    names = set()
    for path in SOURCES:
        for name in re.findall(r'AP_INIT_\w+\(\s*"([^"]+)"', read(path)):
            names.add(name.lstrip("<"))
    return sorted(names)


def log_tags():
    tags = set()
    for path in SOURCES:
        tags.update(f"CMCAS{n}" for n in re.findall(r"CMCAS_LOGNO\((\d+)\)", read(path)))
    return sorted(tags, key=lambda t: int(t[5:]))


def headings(path):
    return [line for line in read(path).splitlines() if re.match(r"#{1,6}\s", line)]


def test_the_sources_register_directives():
    names = registered_directives()
    assert "CMCAS" in names and "CMCASPortal" in names, names


@pytest.mark.parametrize("name", registered_directives())
def test_directive_has_a_heading_in_directives_md(name):
    assert os.path.exists(DIRECTIVES_MD), "docs/directives.md is missing"
    word = re.compile(r"(?<![A-Za-z0-9])<?" + re.escape(name) + r"(?![A-Za-z0-9])")
    found = [h for h in headings(DIRECTIVES_MD) if word.search(h)]
    assert found, f"no heading for {name} in docs/directives.md"


def test_every_documented_directive_exists():
    """No heading for a directive the module does not register (a renamed one)."""
    names = set(registered_directives())
    documented = set()
    for h in headings(DIRECTIVES_MD):
        documented.update(n.lstrip("<") for n in re.findall(r"`(<?CMCAS\w*)", h))
    assert documented - names == set()


@pytest.mark.parametrize("tag", log_tags())
def test_log_tag_is_listed_in_operations_md(tag):
    assert os.path.exists(OPERATIONS_MD), "docs/operations.md is missing"
    assert re.search(r"\|\s*" + tag + r"\s*\|", read(OPERATIONS_MD)), \
        f"{tag} is not in the log table of docs/operations.md"


def test_next_free_log_number_is_free():
    used = [int(t[5:]) for t in log_tags()]
    with open(os.path.join(REPO, "mod_cmcas", "next-logno")) as f:
        nxt = int(f.read().strip())
    assert nxt > max(used)
