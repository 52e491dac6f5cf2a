#!/usr/bin/python3
"""Checks the module's log tags, CMCAS_LOGNO(n) (mod_cmcas/mod_cmcas_private.h):

- each number is used once in mod_cmcas/*.c and *.h (comments and string literals are
  not uses), and is a literal decimal number;
- each is below the next free number, mod_cmcas/next-logno;
- when docs/operations.md has the table of log messages (a header row whose first cell
  is "tag", rows "| CMCASn | level | meaning |"): every tag of the code has a row, every
  row is a tag of the code, no row is repeated, and the rows are sorted by number;
- each row's level is the one the code logs the tag at: the APLOG_ levels written in
  the call (`ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, ...)`, both of a
  `cond ? APLOG_DEBUG : APLOG_TRACE1`) are the level words of the row's second cell
  (its parenthesised remarks aside: "warn" or "warning", "error", "trace1"...). A call
  whose level is a variable is not checked.

Prints each problem as file:line: message and exits 1 if there is any; prints one line
and exits 0 otherwise. Standard library only; run with /usr/bin/python3:

    /usr/bin/python3 scripts/lib/check_logno.py [REPOSITORY]
"""
import glob
import os
import re
import sys

USE = re.compile(r"\bCMCAS_LOGNO\s*\(\s*([^()]*?)\s*\)")
DEFINE = re.compile(r"^\s*#\s*define\s+CMCAS_LOGNO\b")
ROW = re.compile(r"^\s*\|\s*`?CMCAS(\d+)`?\s*\|")
HEADER = re.compile(r"^\s*\|\s*tag\s*\|", re.IGNORECASE)
LEVEL_NAMES = {"emerg": "EMERG", "alert": "ALERT", "crit": "CRIT", "error": "ERR",
               "err": "ERR", "warn": "WARNING", "warning": "WARNING", "notice": "NOTICE",
               "info": "INFO", "debug": "DEBUG", **{f"trace{i}": f"TRACE{i}"
                                                     for i in range(1, 9)}}
CODE_LEVEL = re.compile(r"\bAPLOG_(EMERG|ALERT|CRIT|ERR|WARNING|NOTICE|INFO|DEBUG|"
                        r"TRACE[1-8])\b")


def strip_c(text):
    """The text with comments and string/character literals blanked out (newlines kept,
    so line numbers do not move)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + text[j - 1:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_levels(text, pos):
    """The APLOG_ levels of the logging call whose CMCAS_LOGNO is at `pos` in the
    stripped text: those between its APLOG_MARK and the tag; None when the level is not
    written there (a variable)."""
    mark = text.rfind("APLOG_MARK", max(0, pos - 800), pos)
    if mark < 0:
        return None
    found = set(CODE_LEVEL.findall(text[mark:pos]))
    return found or None


def code_tags(root, problems, levels=None):
    """{number: [(file, line), ...]} of every CMCAS_LOGNO use; `levels` (a dict) gets
    {number: set of APLOG_ level names or None}."""
    uses = {}
    files = sorted(glob.glob(os.path.join(root, "mod_cmcas", "*.c"))
                   + glob.glob(os.path.join(root, "mod_cmcas", "*.h")))
    for path in files:
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = strip_c(f.read())
        offset = 0
        for lineno, line in enumerate(text.split("\n"), 1):
            start, offset = offset, offset + len(line) + 1
            if DEFINE.match(line):
                continue
            for m in USE.finditer(line):
                arg = m.group(1)
                if not re.fullmatch(r"[0-9]+", arg):
                    problems.append(f"{rel}:{lineno}: CMCAS_LOGNO({arg}): the tag must be "
                                    f"a literal decimal number")
                    continue
                uses.setdefault(int(arg), []).append((rel, lineno))
                if levels is not None:
                    levels[int(arg)] = call_levels(text, start + m.start())
    return uses


def next_logno(root, problems):
    path = os.path.join(root, "mod_cmcas", "next-logno")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().strip()
    except OSError as e:
        problems.append(f"mod_cmcas/next-logno: cannot read it ({e.strerror})")
        return None
    if not re.fullmatch(r"[0-9]+", text):
        problems.append(f"mod_cmcas/next-logno:1: {text!r} is not a number")
        return None
    return int(text)


def row_levels(cell):
    """The APLOG_ level names a row's level cell names, its (remarks) aside."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"\([^)]*\)", " ", cell.lower()))
    return {LEVEL_NAMES[w] for w in words if w in LEVEL_NAMES}


def docs_table(root):
    """[(number, line, level cell)] of the rows of the log table of docs/operations.md,
    or None when there is no such table."""
    path = os.path.join(root, "docs", "operations.md")
    if not os.path.exists(path):
        return None
    rows, in_table, found = [], False, False
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if HEADER.match(line):
                in_table = found = True
                continue
            if in_table:
                if not line.strip().startswith("|"):
                    in_table = False
                    continue
                m = ROW.match(line)
                if m:
                    cells = line.strip().strip("|").split("|")
                    rows.append((int(m.group(1)), lineno,
                                 cells[1].strip() if len(cells) > 1 else ""))
    return rows if found else None


def main(argv):
    root = os.path.abspath(argv[1] if len(argv) > 1
                           else os.path.join(os.path.dirname(__file__), "..", ".."))
    problems = []
    levels = {}
    uses = code_tags(root, problems, levels)
    limit = next_logno(root, problems)

    for n in sorted(uses):
        where = uses[n]
        if len(where) > 1:
            for rel, lineno in where:
                others = ", ".join(f"{r}:{l}" for r, l in where if (r, l) != (rel, lineno))
                problems.append(f"{rel}:{lineno}: CMCAS{n} used {len(where)} times "
                                f"(also {others})")
        if limit is not None and n >= limit:
            for rel, lineno in where:
                problems.append(f"{rel}:{lineno}: CMCAS{n} is not below mod_cmcas/next-logno "
                                f"({limit}): take {limit} and raise next-logno")

    rows = docs_table(root)
    doc = "docs/operations.md"
    if rows is None:
        table = "no log table in docs/operations.md"
    else:
        table = "docs/operations.md table in step"
        seen = {}
        for n, lineno, cell in rows:
            if n in seen:
                problems.append(f"{doc}:{lineno}: CMCAS{n} listed twice (also line {seen[n]})")
            else:
                seen[n] = lineno
            if n not in uses:
                problems.append(f"{doc}:{lineno}: CMCAS{n} is listed but no longer in the code")
            elif levels.get(n) and row_levels(cell) != levels[n]:
                rel, cline = uses[n][0]
                said = ", ".join(sorted(row_levels(cell))) or "none"
                problems.append(f"{doc}:{lineno}: CMCAS{n} is logged at "
                                f"{', '.join(sorted(levels[n]))} ({rel}:{cline}), the "
                                f"table says {cell!r} ({said})")
        for n in sorted(uses):
            if n not in seen:
                rel, lineno = uses[n][0]
                problems.append(f"{rel}:{lineno}: CMCAS{n} is missing from the log table of "
                                f"{doc}")
        for (a, _, _), (b, lineno, _) in zip(rows, rows[1:]):
            if b <= a:
                problems.append(f"{doc}:{lineno}: CMCAS{b} comes after CMCAS{a}: the table "
                                f"must be sorted by number")

    if problems:
        for p in problems:
            print(p)
        print(f"log tags: {len(problems)} problem(s)")
        return 1
    print(f"log tags: {len(uses)} unique, all below next-logno ({limit}); {table}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
