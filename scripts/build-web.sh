#!/usr/bin/env bash
# Builds the release web app into dist/ (trunk build --release). Assumes
# scripts/setup.sh has run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

# Trunk runs cargo with --offline (Trunk.toml): download the crates first.
cargo fetch --quiet
trunk build --release "$@"
