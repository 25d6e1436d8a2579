#!/usr/bin/env bash
# Load against the running release build: a realistic mix of what starters,
# mentors, team leaders and coordinators do, from many logged-in sessions,
# at 1, 8 and 200 concurrent clients. Prints views per second, p50/p95/p99
# per page, answers by status and the server's peak memory. Figures, not a
# test: nothing is asserted.
#
#   scripts/load.sh                      # builds if needed, starts Houvast on a throwaway small-demo database
#   HOUVAST_LOAD_SCALE=national scripts/load.sh
#                                        # the national dataset (60 institutions, 25,000 starters) on SQLite
#   HOUVAST_LOAD_SCALE=national HOUVAST_LOAD_BACKEND=postgres scripts/load.sh
#                                        # the same on a throwaway PostgreSQL cluster
#   HOUVAST_LOAD_CLIENTS="1 8 200" HOUVAST_LOAD_SECONDS=60 scripts/load.sh
#   HOUVAST_LOAD_PEOPLE=60               # logged-in people per role (spread over the institutions)
#   HOUVAST_LOAD_ROLES=coordinator       # only these roles' share of the mix (comma-separated)
#   HOUVAST_LOAD_URL=http://host:port HOUVAST_LOAD_LOGINS=logins.txt scripts/load.sh
#                                        # against a running server; logins.txt as `houvast demo` prints them
source "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d)
SERVER_PID=
PG_DIR=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [ -n "$PG_DIR" ] && "$ROOT/scripts/postgres.sh" stop "$PG_DIR"
    rm -rf "$WORK"
}
trap cleanup EXIT

BASE=${HOUVAST_LOAD_URL:-}
LOGINS=${HOUVAST_LOAD_LOGINS:-}
SCALE=${HOUVAST_LOAD_SCALE:-small}
if [ -z "$BASE" ]; then
    [ -x "$TARGET_DIR/release/houvast" ] && [ -f "$SITE_DIR/pkg/houvast_bg.wasm" ] || "$ROOT/scripts/build.sh" --release
    case "${HOUVAST_LOAD_BACKEND:-sqlite}" in
        sqlite) URL="sqlite://$WORK/houvast.db" ;;
        postgres)
            read -r PG_DIR URL < <("$ROOT/scripts/postgres.sh" start)
            ;;
        *) die "HOUVAST_LOAD_BACKEND: sqlite or postgres" ;;
    esac
    case "$SCALE" in
        small) demo_flag=(--demo-if-empty) ;;
        national)
            say "Loading the national dataset ($URL)"
            HOUVAST_DATABASE_URL="$URL" "$TARGET_DIR/release/houvast" demo --scale national --logins "$WORK/logins.txt"
            demo_flag=()
            LOGINS=$WORK/logins.txt
            ;;
        *) die "HOUVAST_LOAD_SCALE: small or national" ;;
    esac
    HOUVAST_SERVER_LOG="warn,houvast::service::signals=info" \
        start_server "${HOUVAST_LOAD_PORT:-3178}" "$WORK" "$URL" "${demo_flag[@]}"
    if [ -z "$LOGINS" ]; then
        # The small demo prints its logins once it is loaded.
        LOGINS=$WORK/server.log
        for _ in $(seq 1 120); do
            grep -q 'Houvast is running' "$LOGINS" && break
            sleep 0.5
        done
    fi
fi
[ -n "$LOGINS" ] || die "HOUVAST_LOAD_LOGINS: a file with the demo logins as 'houvast demo' prints them"

# What the server logged during a step: renders slower than its stall
# threshold (a render that hangs shows here, per path; it is never redone),
# and the daily evaluation's time when it ran.
server_log_since() {
    [ -f "$WORK/server.log" ] || return 0
    local lines
    lines=$(tail -n +"$1" "$WORK/server.log")
    local slow
    slow=$(grep -c 'page render is slow' <<<"$lines" || true)
    echo "slow renders logged by the server: $slow"
    if [ "$slow" -gt 0 ]; then
        grep 'page render is slow' <<<"$lines" | grep -o 'path=[^ ]*' | sort | uniq -c | sort -rn | sed 's/^/  /'
    fi
    grep -o 'daily evaluation done.*' <<<"$lines" | sed 's/^/server: /' || true
}

for clients in ${HOUVAST_LOAD_CLIENTS:-1 8 200}; do
    from=$(($( [ -f "$WORK/server.log" ] && wc -l <"$WORK/server.log" || echo 0) + 1))
    python3 "$ROOT/scripts/load.py" "$BASE" "$LOGINS" "$clients" "${HOUVAST_LOAD_SECONDS:-20}" "$SERVER_PID"
    server_log_since "$from"
    echo
done
