#!/usr/bin/env bash
# Builds the release web app and serves it on http://127.0.0.1:8080 with the
# built-in example loaded; rebuilds on changes to web/, crates/ or index.html.
# Extra arguments go to `trunk serve` (e.g. --port 9000).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

# Trunk runs cargo with --offline (Trunk.toml): download the crates first.
cargo fetch
echo "serve: http://127.0.0.1:8080 (Ctrl-C stops)" >&2
exec trunk serve --release "$@"
