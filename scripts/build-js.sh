#!/usr/bin/env bash
# Builds the JavaScript API (crates/js) into an npm-ready folder,
# pkg/trustwalk/: ES module + .wasm + TypeScript declarations + package.json.
# Works in browsers, bundlers and Node 20 (see README "JavaScript API").
# Assumes scripts/setup.sh has run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

OUT="$ROOT/pkg/trustwalk"
# The `web` profile (Cargo.toml): release, optimised for size.
cargo build --quiet --profile web -p trustwalk-js --target wasm32-unknown-unknown
rm -rf "$OUT"
mkdir -p "$OUT"
wasm-bindgen --target web --out-dir "$OUT" --out-name trustwalk \
    "$ROOT/target/wasm32-unknown-unknown/web/trustwalk_js.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$OUT/trustwalk_bg.wasm" -o "$OUT/trustwalk_bg.wasm"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n 1)"
cat >"$OUT/package.json" <<JSON
{
  "name": "trustwalk",
  "version": "$version",
  "description": "Simulate AWS IAM cross-account requests (AssumeRole, S3) offline and explain every decision",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "trustwalk.js",
  "types": "trustwalk.d.ts",
  "files": ["trustwalk.js", "trustwalk.d.ts", "trustwalk_bg.wasm", "trustwalk_bg.wasm.d.ts", "catalogue.json", "CATALOGUE-NOTICE", "aws-managed-policies/"],
  "sideEffects": false
}
JSON
cp "$ROOT/crates/js/README.md" "$OUT/README.md" 2>/dev/null || true
# AWS's catalogue of actions, a second file: pass it as `options.catalogue`
# to enable the checks that need it (it is not inside the wasm).
cp "$ROOT/crates/core/data/catalogue.json" "$ROOT/crates/core/data/CATALOGUE-NOTICE" "$OUT/"
# AWS managed policies, one file each (pass those a scenario attaches as
# `options.managedPolicies`; `managedPolicyArns()` names them).
cp -r "$ROOT/data/aws-managed-policies" "$OUT/aws-managed-policies"
printf 'build-js: %s (wasm %s bytes, %s gzipped)\n' "$OUT" \
    "$(stat -c %s "$OUT/trustwalk_bg.wasm")" "$(gzip -9c "$OUT/trustwalk_bg.wasm" | wc -c)" >&2
