#!/usr/bin/env bash
# Lighthouse (mobile emulation, Debian's Chromium) against the release build:
# /login, the starter's home, /check-in, the mentor's home, the mentor's log
# form and the watch list, each three times as the demo person who uses it.
# Prints the median and worst performance score, total blocking time and
# largest contentful paint, the accessibility and best-practices scores and
# the bytes of each page's first load, and the SEO score of the public
# /login. Figures, not a test. Uses the npm package lighthouse 12 (it runs on
# Node 20).
#
#   scripts/lighthouse.sh                        # builds if needed, starts Houvast on a throwaway demo database
#   HOUVAST_LIGHTHOUSE_URL=http://host:port scripts/lighthouse.sh
#                                                # against a running server with the demo dataset
#   HOUVAST_LIGHTHOUSE_RUNS=5 scripts/lighthouse.sh
source "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

ensure_node
apt_install chromium
if [ ! -d "$ROOT/scripts/lighthouse/node_modules/lighthouse" ]; then
    say "Installing Lighthouse (npm, once)"
    (cd "$ROOT/scripts/lighthouse" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

BASE=${HOUVAST_LIGHTHOUSE_URL:-}
if [ -z "$BASE" ]; then
    start_demo_server "${HOUVAST_LIGHTHOUSE_PORT:-3177}" "$WORK"
fi
say "Lighthouse against $BASE (${HOUVAST_LIGHTHOUSE_RUNS:-3} runs per page)"
node "$ROOT/scripts/lighthouse/run.mjs" "$BASE" "${HOUVAST_LIGHTHOUSE_RUNS:-3}"
