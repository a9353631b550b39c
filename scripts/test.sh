#!/usr/bin/env bash
# Runs every check: formatting, clippy, the workspace's Rust tests, the RocksDB exclusion, the
# end-to-end tests against fresh dev nodes, the four-validator fault test and the docker compose
# testnet.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

step() { printf '\n==> %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "no RocksDB in the dependency graph"
# `cargo tree -i` fails with "did not match any packages" when the crate is absent; any other
# outcome (found, or a different failure) fails the check.
if rocksdb_tree="$(cargo tree --workspace --locked -i librocksdb-sys -e normal,build 2>&1)"; then
	echo "$rocksdb_tree"
	echo "librocksdb-sys is in the dependency graph; the node must use ParityDB only" >&2
	exit 1
elif ! grep -q "did not match any packages" <<<"$rocksdb_tree"; then
	echo "$rocksdb_tree" >&2
	exit 1
fi
echo "librocksdb-sys: not in the dependency graph"

# Clippy (`-D warnings`) lints every crate of the workspace as these builds compile it
# (`RUSTC_WORKSPACE_WRAPPER`, see common.sh): the node's build its libraries and binaries, the
# test build their tests and examples — what `cargo clippy --workspace --all-targets` covers.
step "build the node and runtime (clippy: libraries and binaries)"
build_node

step "cargo test (clippy: tests and examples)"
cargo test --workspace --locked

step "try-runtime: the upgrade checks and every try_state on a lived-in chain"
# The `try-runtime` feature changes FRAME itself, so this builds the runtime natively (no wasm)
# in its own target subdirectory: the node's build above never carries the feature. The same
# build lints the code the feature adds.
SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$CARGO_TARGET_DIR/try-runtime" \
	cargo test --locked -p tributary-runtime --features try-runtime --lib upgrade_tests

step "the gateway's JavaScript client (voucher vector, metering checks)"
(cd "$ROOT/clients/js" && npm test)

step "end-to-end tests (polkadot.js against a fresh dev node; the gateway with the openai client)"
(cd "$ROOT/e2e" && NODE_BIN="$NODE_BIN" npm test)

step "multi-validator fault test (four native validators)"
(cd "$ROOT/e2e" && NODE_BIN="$NODE_BIN" npm run test:testnet)

step "docker compose testnet (four validators and an RPC node in containers)"
SKIP_BUILD=1 NODE_BIN="$NODE_BIN" "$ROOT/scripts/compose-test.sh"

step "all checks passed"
