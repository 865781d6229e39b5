#!/usr/bin/env bash
# Installs, only where missing, every tool Trustwalk's build and tests need:
#
#   1. the wasm32-unknown-unknown Rust target            (rustup)
#   2. Debian's chromium and chromium-driver              (apt-get)
#   3. wasm-bindgen-cli at the version in Cargo.lock      (cargo install, ~3-5 min cold)
#   4. trunk 0.21.14                                      (cargo install --locked, ~10 min cold)
#   5. the npm dev tools of package-lock.json             (npm ci: binaryen's wasm-opt, playwright-core)
#
# Each step checks what is installed (and its version) first, so a rerun takes
# seconds. Safe to run as root on a fresh Debian machine with rustup's Rust and
# Node 20; as another user, apt-get goes through sudo.
#
# Never runs `playwright install` (no browser can be downloaded here): the
# browser tests drive Debian's /usr/bin/chromium through playwright-core.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

TRUNK_VERSION="0.21.14"
WASM_TARGET="wasm32-unknown-unknown"
SETUP_START=$SECONDS

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# Runs "$@" and reports how long it took.
timed() {
    local start=$SECONDS
    "$@"
    log "  ... done in $((SECONDS - start)) s"
}

need() {
    command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"
}

need cargo "install Rust with rustup (https://rustup.rs) first"
need rustup "install Rust with rustup (https://rustup.rs) first"
need node "install Node.js 20 or newer first"
need npm "install Node.js 20 or newer (with npm) first"

node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js 20 or newer is needed (found $(node --version))"

# --- 1. the wasm32 target ----------------------------------------------------
if rustup target list --installed | grep -qx "$WASM_TARGET"; then
    log "rust target $WASM_TARGET: present"
else
    log "rust target $WASM_TARGET: installing"
    timed rustup target add "$WASM_TARGET"
fi

# --- 2. Chromium from Debian ---------------------------------------------------
apt_missing=()
for pkg in chromium chromium-driver; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [ "$status" = "install ok installed" ] || apt_missing+=("$pkg")
done
if [ ${#apt_missing[@]} -eq 0 ] && [ -x /usr/bin/chromium ]; then
    log "chromium, chromium-driver: present ($(dpkg-query -W -f='${Version}' chromium))"
else
    [ ${#apt_missing[@]} -gt 0 ] || apt_missing=(chromium chromium-driver)
    need apt-get "this script installs Chromium with Debian's apt-get"
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then
        need sudo "run as root, or install: ${apt_missing[*]}"
        SUDO=(sudo)
    fi
    log "apt packages ${apt_missing[*]}: installing"
    timed "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    timed "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${apt_missing[@]}" </dev/null
fi

# --- 3. wasm-bindgen-cli, same version as the wasm-bindgen crate ---------------
if [ ! -f Cargo.lock ]; then
    log "Cargo.lock missing: generating it"
    cargo generate-lockfile
fi
# The [[package]] entry named exactly "wasm-bindgen" is followed by its version.
WASM_BINDGEN_VERSION="$(awk '
    /^\[\[package\]\]/ { inpkg = 0 }
    /^name = "wasm-bindgen"$/ { inpkg = 1; next }
    inpkg && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)"
[ -n "$WASM_BINDGEN_VERSION" ] || die "no wasm-bindgen package in Cargo.lock"

# Trunk.toml pins the same version (Trunk runs offline and must find it on PATH).
trunk_toml_bindgen="$(sed -n 's/^wasm_bindgen *= *"\(.*\)".*/\1/p' Trunk.toml)"
[ "$trunk_toml_bindgen" = "$WASM_BINDGEN_VERSION" ] ||
    die "Trunk.toml [tools] wasm_bindgen = \"$trunk_toml_bindgen\" but Cargo.lock has wasm-bindgen $WASM_BINDGEN_VERSION: make them equal"

have_bindgen="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [ "$have_bindgen" = "$WASM_BINDGEN_VERSION" ]; then
    log "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
    log "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installing (found: ${have_bindgen:-none}; takes ~3-5 min)"
    # No --locked: the CLI's own lockfile can name crates newer than the
    # crates.io mirror has; the resolver picks what the mirror has.
    timed cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# --- 4. trunk ------------------------------------------------------------------
have_trunk="$(trunk --version 2>/dev/null | awk '{ print $2 }' || true)"
if [ "$have_trunk" = "$TRUNK_VERSION" ]; then
    log "trunk $TRUNK_VERSION: present"
else
    log "trunk $TRUNK_VERSION: installing (found: ${have_trunk:-none}; takes ~10 min)"
    # Newer trunk releases need a newer rustc than the machine's 1.95.
    timed cargo install --locked trunk --version "$TRUNK_VERSION" --force
fi

# --- 5. npm dev tools ----------------------------------------------------------
# package-lock.json is the source of truth; node_modules is rebuilt when the
# lockfile changed since the last `npm ci` (a hash stamp, not mtimes, so a fresh
# clone or a checkout of another branch is judged right).
STAMP="node_modules/.trustwalk-package-lock.sha256"
want_hash="$(sha256sum package-lock.json | awk '{ print $1 }')"
have_hash="$(cat "$STAMP" 2>/dev/null || true)"
if [ -d node_modules ] && [ "$have_hash" = "$want_hash" ] &&
    [ -x node_modules/.bin/wasm-opt ] && [ -d node_modules/playwright-core ]; then
    log "npm packages (package-lock.json): present"
else
    log "npm packages (package-lock.json): installing with npm ci"
    timed npm ci --no-audit --no-fund --loglevel=error </dev/null >&2
    printf '%s\n' "$want_hash" >"$STAMP"
fi

# --- check: the tools that Trunk will pick up from PATH ---------------------------
wasm_opt_version="$(wasm-opt --version)"
case "$wasm_opt_version" in
    *"version 132 "*) ;;
    *) die "wasm-opt on PATH is not binaryen 132: $(command -v wasm-opt): $wasm_opt_version" ;;
esac
log "wasm-opt: $wasm_opt_version ($(command -v wasm-opt))"
log "ready in $((SECONDS - SETUP_START)) s"
