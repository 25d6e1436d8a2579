#!/usr/bin/env bash
# The one definition of Houvast's build. Does what cargo-leptos would do,
# without needing cargo-leptos (a 20-minute install on two cores):
#   1. the browser bundle: cargo (wasm32) -> wasm-bindgen -> wasm-opt -Oz,
#   2. the stylesheet and static files,
#   3. precompressed .br/.gz copies the server sends as-is,
#   4. the server binary `houvast`.
# Output: target/site/ (browser files) and target/{release,debug}/houvast.
#
# The server compiles while the bundle does: most of the bundle's time is one
# crate compiled and linked on one core (whole-program optimisation for
# size), and the other core would idle. So the bundle has its own target
# directory (target/bundle): cargo locks a target directory per build.
#
# Usage: scripts/build.sh [--release | --dev]   (default --release)

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mode=${1:---release}
case "$mode" in
    --release) wasm_profile=wasm-release; wasm_dir=wasm-release; server_args=(--release) ;;
    --dev) wasm_profile=dev; wasm_dir=debug; server_args=() ;;
    *) die "usage: scripts/build.sh [--release | --dev]" ;;
esac

ensure_toolchain
ensure_other_build_tools
cd "$ROOT"
BUNDLE_TARGET_DIR=$TARGET_DIR/bundle
logs=$(mktemp -d)
jobs_started=()
trap 'for job in "${jobs_started[@]}"; do kill "$job" 2>/dev/null || true; done; rm -rf "$logs"' EXIT

# finish PID LOG WHAT: wait for a background step; on failure show its output.
finish() {
    if ! wait "$1"; then
        cat "$2" >&2
        die "$3 failed"
    fi
    cat "$2" >&2
}

# A fresh machine compiles wasm-bindgen-cli too; it is needed only once the
# bundle is compiled.
installer=
if ! has_wasm_bindgen; then
    say "Installing wasm-bindgen-cli $(wasm_bindgen_wanted) meanwhile (once)"
    ensure_wasm_bindgen >"$logs/wasm-bindgen" 2>&1 &
    installer=$!
    jobs_started+=("$installer")
fi

say "Building the server ($mode) and the browser bundle at once"
cargo build --quiet -p houvast-server --bin houvast "${server_args[@]}" >"$logs/server" 2>&1 &
server_build=$!
jobs_started+=("$server_build")

CARGO_TARGET_DIR=$BUNDLE_TARGET_DIR \
    cargo build --quiet -p houvast-hydrate --lib --target wasm32-unknown-unknown --profile "$wasm_profile"
say "Browser bundle compiled"
if [ -n "$installer" ]; then
    finish "$installer" "$logs/wasm-bindgen" "installing wasm-bindgen-cli"
fi

rm -rf "$SITE_DIR.new"
mkdir -p "$SITE_DIR.new/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$SITE_DIR.new/pkg" --out-name houvast \
    "$BUNDLE_TARGET_DIR/wasm32-unknown-unknown/$wasm_dir/houvast_hydrate.wasm"

if [ "$mode" = --release ]; then
    say "Optimising the bundle for size (wasm-opt -Oz)"
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        -o "$SITE_DIR.new/pkg/houvast_bg.opt.wasm" "$SITE_DIR.new/pkg/houvast_bg.wasm"
    mv "$SITE_DIR.new/pkg/houvast_bg.opt.wasm" "$SITE_DIR.new/pkg/houvast_bg.wasm"
fi

cp style/main.css "$SITE_DIR.new/pkg/houvast.css"
cp -R public/. "$SITE_DIR.new/"

for file in "$SITE_DIR.new"/pkg/*.{js,wasm,css} "$SITE_DIR.new"/*.svg "$SITE_DIR.new"/*.webmanifest; do
    [ -f "$file" ] || continue
    gzip -9 -k -f "$file"
    if command -v brotli >/dev/null 2>&1; then brotli -q 11 -k -f "$file"; fi
done

rm -rf "$SITE_DIR.old"
[ -d "$SITE_DIR" ] && mv "$SITE_DIR" "$SITE_DIR.old"
mv "$SITE_DIR.new" "$SITE_DIR"
rm -rf "$SITE_DIR.old"

say "Waiting for the server build"
finish "$server_build" "$logs/server" "the server build"

wasm=$SITE_DIR/pkg/houvast_bg.wasm
say "Done: $(du -k "$wasm" | cut -f1) KiB wasm ($( [ -f "$wasm.br" ] && du -k "$wasm.br" | cut -f1 || echo '?') KiB brotli), site in ${SITE_DIR#$ROOT/}"
