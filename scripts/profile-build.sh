#!/usr/bin/env bash
# Builds the web app like scripts/build-web.sh, but without wasm-opt, so
# that the wasm keeps its function names: CPU profiles (PROFILE=N in
# scripts/bench-web.mjs) then name Rust functions. Into $DIST (default
# target/dist-profile); bench it with DIST=target/dist-profile.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"
DIST="${DIST:-$ROOT/target/dist-profile}"
# Trunk resolves the page's assets next to the page: a copy beside index.html.
PAGE="$ROOT/index-profile.html"
trap 'rm -f "$PAGE"' EXIT
sed 's/data-wasm-opt="z" data-wasm-opt-params="[^"]*"/data-wasm-opt="0"/g' index.html > "$PAGE"
grep -q 'data-wasm-opt="0"' "$PAGE"
cargo fetch --quiet
trunk build --release --dist "$DIST" "$PAGE"
echo "profile-build: $DIST (wasm without wasm-opt, function names kept)" >&2
