#!/usr/bin/python3
"""No secret, cookie, token, card number or personal data in the httpd logs a test run
left under tests/gen/ (issue 13, « Session »): every error and access log of every server
the suites started (tests/gen/*/logs/*) is searched for

- the demo's password, in clear and as the Basic credentials of each demo login;
- the secrets of each generated server: its form key (conf/forms.key, forms.key), the
  demo's login passphrases (secrets/*-passphrase.conf), and the banks' test keys (tests/gateway/keys);
- the values the tests captured while they ran (session cookies, CSRF tokens):
  tests/gen/.secrets, one a line (test_13_helpers.remember_secret);
- the test card numbers (tests/gateway/simbase.py);
- the demo households' personal data (sql/demo/demo.sql): e-mail addresses, phones,
  streets, birth dates (ISO and JJ/MM/AAAA).

The banks' simulators' own logs (*-bank.log) and the database servers' are not httpd's
and are left out. Prints each hit (file, line, what) and exits 1 if there is one.

    /usr/bin/python3 scripts/lib/check_logs.py [repo]
"""

import base64
import glob
import os
import re
import sys

LOGINS = ["gael.classen", "martine.dupont", "karim.benali", "sophie.martin",
          "gestion.bn", "gestion.touraine"]
PASSWORD = "demo2026"


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def secrets(repo):
    """{value: what} of everything that must never be logged."""
    gen = os.path.join(repo, "tests", "gen")
    out = {PASSWORD: "the demo password"}
    for login in LOGINS:
        cred = base64.b64encode(f"{login}:{PASSWORD}".encode()).decode()
        out[cred] = f"Basic credentials of {login}"
    for path in glob.glob(os.path.join(gen, "*", "conf", "forms.key")) \
            + glob.glob(os.path.join(gen, "*", "forms.key")):
        key = read(path).strip()
        if len(key) >= 16:
            out[key] = f"form key {os.path.relpath(path, repo)}"
    for path in glob.glob(os.path.join(gen, "*", "secrets.conf")):
        for m in re.finditer(r"^Define (\w+) (\S{16,})$", read(path), re.M):
            out[m.group(2)] = f"{m.group(1)} of {os.path.relpath(path, repo)}"
    # The login passphrases (conf/cmcas-login.conf): the demo's and test_1550's.
    for path in glob.glob(os.path.join(gen, "**", "*-passphrase.conf"), recursive=True):
        for m in re.finditer(r'^AuthFormSitePassphrase "?([^"\s]{16,})"?$', read(path), re.M):
            out[m.group(1)] = f"passphrase of {os.path.relpath(path, repo)}"
    for path in glob.glob(os.path.join(repo, "tests", "gateway", "keys", "*.key")) \
            + glob.glob(os.path.join(repo, "tests", "gateway", "keys", "*.cle")):
        key = read(path).strip()
        if len(key) >= 16:
            out[key] = f"bank key {os.path.basename(path)}"
    for value in read(os.path.join(gen, ".secrets")).splitlines():
        if len(value.strip()) >= 16:
            out[value.strip()] = "a value captured by a test (cookie or token)"
    for m in re.finditer(r'^(CARD_\w+) = "(\d{12,19})"',
                         read(os.path.join(repo, "tests", "gateway", "simbase.py")), re.M):
        out[m.group(2)] = f"test card {m.group(1)}"
    demo = read(os.path.join(repo, "sql", "demo", "demo.sql"))
    for m in re.finditer(r"'([a-z.]+@example\.org)',\s*'([0-9 ]{14})',\s*'([^']+)'", demo):
        out[m.group(1)] = "a household's e-mail"
        out[m.group(2)] = "a household's phone"
        out[m.group(3)] = "a household's street"
    for m in re.finditer(r"\(\s*\d+,\s*\d+, '(?:OD|AD)', '[^']+',\s*'[^']+',\s*"
                         r"'(\d{4})-(\d\d)-(\d\d)'\)", demo):
        y, mo, d = m.groups()
        out[f"{y}-{mo}-{d}"] = "a person's birth date"
        out[f"{d}/{mo}/{y}"] = "a person's birth date"
    return out


def log_files(repo):
    gen = os.path.join(repo, "tests", "gen")
    for path in sorted(glob.glob(os.path.join(gen, "*", "logs", "*"))):
        if os.path.isfile(path) and not path.endswith("-bank.log"):
            yield path


def check(repo):
    found = []
    table = secrets(repo)
    # one pass per file: a regex of every secret (longest first)
    rx = re.compile("|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)))
    n = 0
    for path in log_files(repo):
        n += 1
        with open(path, encoding="utf-8", errors="replace") as f:
            for i, line in enumerate(f, 1):
                for m in rx.finditer(line):
                    found.append((os.path.relpath(path, repo), i, table[m.group(0)],
                                  line.strip()[:300]))
    return n, len(table), found


def main(argv):
    repo = os.path.abspath(argv[1] if len(argv) > 1 else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    n, k, found = check(repo)
    for path, line, what, text in found[:200]:
        print(f"{path}:{line}: {what}: {text}")
    if found:
        print(f"check_logs: {len(found)} secret or personal value(s) in {n} log file(s)")
        return 1
    print(f"check_logs: {n} log file(s) under tests/gen, {k} secret values: none found")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
