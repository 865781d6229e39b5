# shellcheck shell=bash
# Sourced by the other scripts (not run on its own): the environment in which
# Trustwalk's tools run. Expects ROOT to be the repository root.
#
# - cargo-installed tools (wasm-bindgen, trunk) live in ~/.cargo/bin;
# - node_modules/.bin comes FIRST, so that Trunk finds binaryen 132's wasm-opt
#   (the npm package), the one wasm-opt that handles wasm-bindgen 0.2.130's
#   output, before any other wasm-opt on the machine.
# - Trunk's check for a newer release would reach the network: skip it.

: "${ROOT:?ROOT must be set before sourcing scripts/env.sh}"

export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
# No colours when not on a terminal (CI logs).
if [ ! -t 1 ]; then
    export CARGO_TERM_COLOR=never
fi
# Trunk reads NO_COLOR as its --no-color flag and accepts only true/false;
# the usual NO_COLOR=1 would make it stop with "invalid value '1'".
if [ -n "${NO_COLOR:-}" ] && [ "$NO_COLOR" != true ] && [ "$NO_COLOR" != false ]; then
    export NO_COLOR=true
fi
