#!/usr/bin/env bash
# Load against the running release build: a realistic mix of what starters,
# mentors, team leaders and coordinators do, from many logged-in sessions,
# at 1, 8 and 200 concurrent clients. Prints views per second, p50/p95/p99
# per page, answers by status and the server's peak memory. Figures, not a
# test: nothing is asserted.
#
#   scripts/load.sh                      # builds if needed, starts Houvast on a throwaway demo database
#   HOUVAST_LOAD_CLIENTS="1 8 200" HOUVAST_LOAD_SECONDS=60 scripts/load.sh
#   HOUVAST_LOAD_URL=http://host:port HOUVAST_LOAD_LOGINS=logins.txt scripts/load.sh
#                                        # against a running server; logins.txt as `houvast demo` prints them
source "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

BASE=${HOUVAST_LOAD_URL:-}
LOGINS=${HOUVAST_LOAD_LOGINS:-}
if [ -z "$BASE" ]; then
    start_demo_server "${HOUVAST_LOAD_PORT:-3178}" "$WORK"
    LOGINS=$WORK/server.log
fi
[ -n "$LOGINS" ] || die "HOUVAST_LOAD_LOGINS: a file with the demo logins as 'houvast demo' prints them"

for clients in ${HOUVAST_LOAD_CLIENTS:-1 8 200}; do
    python3 "$ROOT/scripts/load.py" "$BASE" "$LOGINS" "$clients" "${HOUVAST_LOAD_SECONDS:-20}" "$SERVER_PID"
    echo
done
