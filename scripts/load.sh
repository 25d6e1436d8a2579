#!/usr/bin/env bash
# Load against the running release build: the heavy pages (retention
# figures, the watch list, the backtest) requested by several clients at
# once with logged-in sessions. Prints requests per second and latency
# percentiles per page. Figures, not a test: nothing is asserted.
#
#   scripts/load.sh                     # builds if needed, starts Houvast on a throwaway demo database
#   HOUVAST_LOAD_URL=http://host:port scripts/load.sh   # against a running server with the demo data
#   HOUVAST_LOAD_REQUESTS=200 HOUVAST_LOAD_CLIENTS=8 scripts/load.sh
source "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

BASE=${HOUVAST_LOAD_URL:-}
if [ -z "$BASE" ]; then
    start_demo_server "${HOUVAST_LOAD_PORT:-3178}" "$WORK"
fi

python3 "$ROOT/scripts/load.py" "$BASE" "${HOUVAST_LOAD_REQUESTS:-100}" "${HOUVAST_LOAD_CLIENTS:-4}"
