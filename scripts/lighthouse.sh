#!/usr/bin/env bash
# Lighthouse (mobile) against the running release build: the login page, a
# starter's home and the check-in page. Prints performance, accessibility,
# best-practices and SEO scores and the bytes transferred per page.
#
#   scripts/lighthouse.sh            # builds if needed, starts Houvast on a throwaway demo database
#   HOUVAST_LIGHTHOUSE_URL=http://host:port scripts/lighthouse.sh   # against a running server with the demo data
#
# Uses Debian's Chromium and the npm package lighthouse 12 (runs on Node 20).
source "$(dirname "$0")/lib.sh"

ensure_node
apt_install chromium
LH_DIR=$ROOT/scripts/lighthouse
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
    say "Installing lighthouse (npm)"
    (cd "$LH_DIR" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

BASE=${HOUVAST_LIGHTHOUSE_URL:-}
if [ -z "$BASE" ]; then
    start_demo_server "${HOUVAST_LIGHTHOUSE_PORT:-3177}" "$WORK"
fi

# A starter's session (the demo password is printed by the demo loader).
curl -fsS -o /dev/null -c "$WORK/cookies" -H "Origin: $BASE" -H 'Accept: application/json' \
    --data-urlencode 'email=s.devries@lindenhaghe.example' --data-urlencode 'password=Houvast-demo-2026' \
    "$BASE/api/auth/login" || die "could not log in as the demo starter"
COOKIE=$(awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$WORK/cookies")
[ -n "$COOKIE" ] || die "no session cookie"

run() {
    local name=$1 path=$2 headers=$3
    "$LH_DIR/node_modules/.bin/lighthouse" "$BASE$path" --quiet --output=json --output-path="$WORK/$name.json" \
        --only-categories=performance,accessibility,best-practices,seo \
        --extra-headers="$headers" \
        --chrome-path="${CHROMIUM_PATH:-/usr/bin/chromium}" \
        --chrome-flags="--headless=new --no-sandbox --disable-dev-shm-usage --disable-background-networking --disable-gpu" \
        >/dev/null 2>"$WORK/$name.log" || { cat "$WORK/$name.log" >&2; die "lighthouse failed for $path"; }
}

say "Running Lighthouse (mobile) — about a minute per page"
run login /login '{}'
run home / "{\"Cookie\": \"$COOKIE\"}"
run checkin /check-in "{\"Cookie\": \"$COOKIE\"}"

node - "$WORK" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
const pages = [['login', '/login'], ['home', '/ (starter)'], ['checkin', '/check-in']];
const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('page', 16)}${pad('performance', 13)}${pad('accessibility', 15)}${pad('best-practices', 16)}${pad('seo', 6)}transferred`);
for (const [file, label] of pages) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${file}.json`, 'utf8'));
  const score = (id) => Math.round((r.categories[id]?.score ?? 0) * 100);
  const bytes = r.audits['total-byte-weight']?.numericValue ?? 0;
  const lcp = r.audits['largest-contentful-paint']?.displayValue ?? '?';
  console.log(
    `${pad(label, 16)}${pad(score('performance'), 13)}${pad(score('accessibility'), 15)}${pad(score('best-practices'), 16)}${pad(score('seo'), 6)}${Math.round(bytes / 1024)} KiB (LCP ${lcp})`,
  );
}
EOF
