#!/usr/bin/env bash
# Every test Houvast has, on a machine that may have nothing installed yet:
#   1. formatting check and lints (clippy with the workspace lints);
#   2. unit, store and server tests on SQLite and on PostgreSQL
#      (HOUVAST_TEST_POSTGRES_URL if set, else a throwaway local cluster);
#   3. the release build, then the browser suite in headless Chromium,
#      once against SQLite and once against PostgreSQL.
# Installs what is missing (toolchain, wasm-bindgen, wasm-opt, PostgreSQL,
# Chromium, npm packages) and cleans up what it started.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
# Each step prints the minutes and seconds since the suite began (say).
step() { say "$*"; }

step "Checking tools"
ensure_build_tools
apt_install chromium fonts-dejavu-core
if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "Installing the browser test packages (npm)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

cleanup=()
on_exit() {
    local i
    for ((i = ${#cleanup[@]} - 1; i >= 0; i--)); do eval "${cleanup[$i]}" || true; done
}
trap on_exit EXIT

if [ -z "${HOUVAST_TEST_POSTGRES_URL:-}" ]; then
    step "Starting a throwaway PostgreSQL"
    read -r pg_dir pg_url < <("$ROOT/scripts/postgres.sh" start)
    [ -n "${pg_url:-}" ] || die "PostgreSQL did not start"
    cleanup+=("'$ROOT/scripts/postgres.sh' stop '$pg_dir'")
    export HOUVAST_TEST_POSTGRES_URL=$pg_url
fi
export HOUVAST_TEST_REQUIRE_POSTGRES=1
command -v psql >/dev/null 2>&1 || apt_install postgresql-client

step "Checking formatting"
cargo fmt --all --check

step "Lints (clippy, warnings are errors)"
cargo clippy --quiet --all-targets -- -D warnings

step "Rust tests on SQLite and PostgreSQL"
cargo test --quiet

step "Release build"
"$ROOT/scripts/build.sh" --release

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((30000 + RANDOM % 20000))
}

run_browser_suite() {
    local label=$1 database_url=$2
    step "Browser tests on $label"
    (cd end2end && HOUVAST_BIN="$TARGET_DIR/release/houvast" HOUVAST_E2E_PORT=$(free_port) \
        HOUVAST_E2E_DATABASE_URL="$database_url" npx playwright test)
}

e2e_dir=$(mktemp -d /tmp/houvast-e2e.XXXXXX)
cleanup+=("rm -rf '$e2e_dir'")
run_browser_suite SQLite "sqlite://$e2e_dir/houvast.db"

e2e_db="houvast_e2e_$$"
psql -q "$HOUVAST_TEST_POSTGRES_URL" -c "CREATE DATABASE $e2e_db" >/dev/null
cleanup+=("psql -q '$HOUVAST_TEST_POSTGRES_URL' -c 'DROP DATABASE IF EXISTS $e2e_db WITH (FORCE)' >/dev/null")
run_browser_suite PostgreSQL "${HOUVAST_TEST_POSTGRES_URL%/*}/$e2e_db"

step "All tests passed"
