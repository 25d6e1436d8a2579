# Shared helpers for Houvast's scripts: find the repository, and install what
# a fresh machine lacks (each step is a no-op when the tool is already there).
# Sourced, not run.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
SITE_DIR=$TARGET_DIR/site
TOOLS_DIR=$ROOT/scripts/tools
export PATH="$TOOLS_DIR/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# say MESSAGE: a step of a long script, with the minutes and seconds since
# the script started, so a slow step shows where the time goes.
say() {
    local at
    at=$(printf '%d:%02d' $((SECONDS / 60)) $((SECONDS % 60)))
    if [ -t 2 ]; then printf '\033[1m==> [%s] %s\033[0m\n' "$at" "$*" >&2; else printf '==> [%s] %s\n' "$at" "$*" >&2; fi
}

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "root rights are needed to run: $*"
    fi
}

# apt_install PACKAGE... — install the Debian packages that are missing.
apt_install() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "please install: ${missing[*]}"
    say "Installing Debian packages: ${missing[*]}"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# The compiler pinned in rust-toolchain.toml, with the wasm32 target.
# (RUSTUP_AUTO_INSTALL=0 machines do not fetch it by themselves.)
ensure_toolchain() {
    command -v rustup >/dev/null 2>&1 || die "rustup is needed: see https://rustup.rs"
    (cd "$ROOT" && rustup toolchain install >/dev/null 2>&1) || die "cannot install the Rust toolchain of rust-toolchain.toml"
}

# wasm-bindgen must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wasm_bindgen_wanted() {
    awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3 }' "$ROOT/Cargo.lock"
}

has_wasm_bindgen() {
    [ "$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)" = "$(wasm_bindgen_wanted)" ]
}

ensure_wasm_bindgen() {
    if ! has_wasm_bindgen; then
        say "Installing wasm-bindgen-cli $(wasm_bindgen_wanted) (about 3 minutes, once)"
        # Its own Cargo.lock first; a registry that lacks one of the versions
        # locked there (seen: a mirror without webpki-roots 1.0.11) gets the
        # newest compatible versions it has instead.
        # It builds in a temporary directory of its own: in a shared
        # CARGO_TARGET_DIR it would wait for the lock of the server's build.
        local locked_log status=0
        locked_log=$(mktemp)
        (cd "$ROOT" && {
            env -u CARGO_TARGET_DIR cargo install --quiet --locked wasm-bindgen-cli --version "$(wasm_bindgen_wanted)" 2>"$locked_log" || {
                say "Its locked versions are not all in this registry; installing it with the newest compatible ones"
                env -u CARGO_TARGET_DIR cargo install --quiet wasm-bindgen-cli --version "$(wasm_bindgen_wanted)" || {
                    cat "$locked_log" >&2
                    false
                }
            }
        }) || status=$?
        rm -f "$locked_log"
        return $status
    fi
}

ensure_node() {
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm
}

# wasm-opt from the npm package binaryen (Debian's binaryen is too old: its
# output never hydrates in Chromium), and brotli for precompressed assets.
ensure_build_tools() {
    ensure_toolchain
    ensure_wasm_bindgen
    ensure_other_build_tools
}

# What the build needs besides the toolchain and wasm-bindgen.
ensure_other_build_tools() {
    ensure_node
    if [ ! -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then
        say "Installing wasm-opt (npm package binaryen)"
        (cd "$TOOLS_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
    command -v brotli >/dev/null 2>&1 || apt_install brotli || say "brotli unavailable: serving gzip only"
}

# Start the release build on a throwaway demo database at 127.0.0.1:$1 with
# its data in directory $2; sets BASE and SERVER_PID (the caller stops it).
start_demo_server() {
    local port=$1 work=$2
    [ -x "$TARGET_DIR/release/houvast" ] && [ -f "$SITE_DIR/pkg/houvast_bg.wasm" ] || "$ROOT/scripts/build.sh" --release
    start_server "$port" "$work" "sqlite://$work/houvast.db" --demo-if-empty
}

# start_server PORT WORK DATABASE_URL [serve options]: the release binary in
# the background (SERVER_PID), its log in WORK/server.log (warnings, or what
# HOUVAST_SERVER_LOG says, as RUST_LOG); returns once ready.
start_server() {
    local port=$1 work=$2 url=$3
    shift 3
    BASE=http://127.0.0.1:$port
    say "Starting Houvast at $BASE"
    HOUVAST_DATABASE_URL="$url" RUST_LOG=${HOUVAST_SERVER_LOG:-warn} MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} \
        "$TARGET_DIR/release/houvast" serve --addr "127.0.0.1:$port" "$@" >"$work/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
        sleep 0.5
    done
    curl -fsS "$BASE/readyz" >/dev/null || { cat "$work/server.log" >&2; die "Houvast did not start"; }
}
