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

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    cmcas_build "${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
fi
