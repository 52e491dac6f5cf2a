#!/usr/bin/env bash
# Builds mod_cmcas in the repository: ./autogen.sh when configure is missing or older than
# configure.ac/Makefile.am, ./configure --enable-werror when the Makefile is missing or the
# configuration changed, then make. The module ends up in .libs/mod_cmcas.so.
# Usage: scripts/lib/build.sh [REPO]   (default: the repository holding this script)
set -euo pipefail

cmcas_build() {
    local root=$1
    (
        cd "$root"
        if [[ ! -x configure || configure.ac -nt configure || Makefile.am -nt configure ]]; then
            echo "build: ./autogen.sh" >&2
            ./autogen.sh
        fi
        # config.status remembers the options: reconfigure when they were different, or
        # when configure is newer than its last run (the Makefile rules would also catch
        # the latter, but without --enable-werror if it had been left out).
        if [[ ! -f Makefile || ! -f config.status || configure -nt config.status ]] \
           || ! ./config.status --config | grep -q -- "--enable-werror"; then
            echo "build: ./configure --enable-werror" >&2
            ./configure --enable-werror
        fi
        make -j2
    )
}

# cmcas_build_sanitized REPO DIR: the same sources built with --enable-sanitizers (ASan and
# UBSan) in their own copy DIR (an in-tree build: automake refuses a VPATH build from a
# configured source tree), so the normal build in REPO is left alone. The copy holds the
# files git knows or would add (committed or not); modification times are kept, so make
# only rebuilds what changed, and files gone from REPO are removed from the copy. The
# integration suite then runs from DIR (its tests use DIR's module, cmcas-draw and
# scripts/demo). Needs git.
cmcas_build_sanitized() {
    local root=$1 dir=$2 list
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    list=$(mktemp)
    (
        cd "$root"
        git ls-files -z --cached --others --exclude-standard \
            | while IFS= read -r -d '' f; do [[ -f "$f" ]] && printf '%s\0' "$f"; done
    ) >"$list"
    if [[ -f "$dir/.cmcas-files" ]]; then
        # Sources deleted or renamed in REPO since the last copy (a stale test would run).
        (cd "$dir" && comm -z -23 <(sort -z .cmcas-files) <(sort -z "$list") | xargs -0 -r rm -f --)
    fi
    tar -C "$root" --null -T "$list" -cf - | tar -C "$dir" -xf -
    mv "$list" "$dir/.cmcas-files"
    (
        cd "$dir"
        if [[ ! -x configure || configure.ac -nt configure || Makefile.am -nt configure ]]; then
            echo "build (sanitizers): ./autogen.sh" >&2
            ./autogen.sh
        fi
        if [[ ! -f Makefile || ! -f config.status || configure -nt config.status ]] \
           || ! ./config.status --config | grep -q -- "--enable-sanitizers"; then
            echo "build (sanitizers): ./configure --enable-werror --enable-sanitizers" >&2
            ./configure -q --enable-werror --enable-sanitizers
        fi
        make -j2
    )
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    cmcas_build "${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
fi
