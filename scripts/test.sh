#!/usr/bin/env bash
# Everything CI checks, in order (stops at the first failure):
#   setup → cargo fmt --check → cargo test → cargo clippy → trunk build --release → JS API build
#   → browser tests (the playground, the JS API page) and Node tests.
# Runs unattended (CI=true, no stdin) as well as by hand.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
START=$SECONDS

step() { printf '\n==> %s\n' "$*" >&2; }
took() { printf '==> %s: %d s\n' "$1" "$(( SECONDS - $2 ))" >&2; }

step "setup (scripts/setup.sh)"
t=$SECONDS; "$ROOT/scripts/setup.sh"; took setup "$t"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

step "cargo fmt --all --check (rustfmt.toml), also for fuzz/"
t=$SECONDS; cargo fmt --all --check; rustfmt --check --edition 2021 fuzz/fuzz_targets/*.rs; took "cargo fmt" "$t"

step "cargo test --workspace"
t=$SECONDS; cargo test --workspace; took "cargo test" "$t"

step "cargo clippy --workspace --all-targets -- -D warnings"
t=$SECONDS; cargo clippy --workspace --all-targets -- -D warnings; took clippy "$t"

step "trunk build --release (the WASM web app → dist/)"
t=$SECONDS; "$ROOT/scripts/build-web.sh"; took "trunk build" "$t"
"$ROOT/scripts/size.sh"

step "JavaScript API package (scripts/build-js.sh → pkg/trustwalk/)"
t=$SECONDS; "$ROOT/scripts/build-js.sh"; took "JS API build" "$t"

step "browser and Node tests (node --test tests/e2e/ tests/js/)"
t=$SECONDS; node --test tests/e2e/ tests/js/; took "browser tests" "$t"

printf '\n==> all checks passed in %d s\n' "$(( SECONDS - START ))" >&2
