#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build mod_cmcas, run its demo and its tests.
# Idempotent: only what is missing is installed, and `apt-get update` runs only then.
# Works as root, or through sudo otherwise. Sourced or executed.
set -euo pipefail

cmcas_deps_packages=(
    # build
    build-essential autoconf automake libtool pkg-config
    apache2-dev libxml2-dev libxslt1-dev libssl-dev libcurl4-openssl-dev check libsqlite3-dev libpq-dev
    libgmime-3.0-dev
    libcairo2-dev libpango1.0-dev fonts-dejavu-core
    # run (demo)
    apache2 apache2-utils libaprutil1-dbd-sqlite3 sqlite3 xsltproc
    # tests
    python3-pytest python3-requests python3-selenium python3-cryptography chromium chromium-driver
    poppler-utils
    # attacks (issue 13): SQL injection probes of the search and the forms
    sqlmap
    valgrind clang libclang-rt-14-dev curl wrk
    # PostgreSQL (issue 9): a throw-away server per test module, and mod_dbd's pgsql driver
    postgresql-15 libaprutil1-dbd-pgsql python3-psycopg2
    # the Debian package (issue 14): dpkg-buildpackage, dh (dh_apache2 is apache2-dev's)
    debhelper dpkg-dev fakeroot
)

cmcas_deps_install() {
    local missing=() pkg status sudo=()
    for pkg in "${cmcas_deps_packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        if [[ "$status" != "install ok installed" ]]; then
            missing+=("$pkg")
        fi
    done
    if ((${#missing[@]} == 0)); then
        cmcas_deps_fontcache
        return 0
    fi
    if ((EUID != 0)); then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "deps: missing packages (${missing[*]}) and not root, and sudo is not installed" >&2
            return 1
        fi
        sudo=(sudo)
    fi
    echo "deps: installing ${missing[*]}" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
    cmcas_deps_fontcache
}

# The system's font caches (the invoice PDF's fonts). httpd's children cannot write a cache
# of their own: where an image was shipped without /var/cache/fontconfig's files, every
# PDF logs « Fontconfig error: No writable cache directories ». fc-cache is quick when
# they are current. Root only (as the server's packages are).
cmcas_deps_fontcache() {
    if ((EUID == 0)) && command -v fc-cache >/dev/null 2>&1; then
        fc-cache -s >/dev/null 2>&1 || echo "deps: fc-cache -s failed" >&2
    fi
    return 0
}

# axe-core (the accessibility checks of tests/e2e/test_accessibility_browser.py) from npm,
# pinned, into <repo>/tests/gen/axe/ (no Debian package). npm itself from Debian when
# missing (a node.js installed another way brings its own).
cmcas_deps_axe_version=4.14.1
cmcas_deps_axe() {
    local dir="$1/tests/gen/axe" sudo=()
    if grep -qs "\"version\": \"$cmcas_deps_axe_version\"" \
            "$dir/node_modules/axe-core/package.json"; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        ((EUID == 0)) || sudo=(sudo)
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm
    fi
    mkdir -p "$dir"
    echo "deps: installing axe-core $cmcas_deps_axe_version (npm) into $dir" >&2
    npm install --prefix "$dir" --no-audit --no-fund --no-save --silent \
        "axe-core@$cmcas_deps_axe_version"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    cmcas_deps_install
fi
