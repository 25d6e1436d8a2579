#!/usr/bin/env bash
# Build Houvast (installing what is missing) and start it on
# http://127.0.0.1:3000 with ./data/houvast.db, loading the demo dataset the
# first time. Extra arguments go to `houvast serve` (see `--help`).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/build.sh" --release
export HOUVAST_DATABASE_URL=${HOUVAST_DATABASE_URL:-sqlite://data/houvast.db}
# glibc gives each busy thread its own heap; two keep the server's memory
# about a third lower under load (see the README's figures).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
exec "$TARGET_DIR/release/houvast" serve --demo-if-empty "$@"
