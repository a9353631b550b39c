# Shared settings for every script: one persistent target directory outside the clone and one
# profile (dev, tuned in Cargo.toml), so the dev node, the tests and CI reuse the same build.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/tributary-target}"
# The runtime's wasm build runs from inside the target directory; point it at this workspace so
# it uses our Cargo.lock instead of resolving its own dependency versions.
export WASM_BUILD_WORKSPACE_HINT="$ROOT"
# The runtime's wasm is always built optimised; naming the release profile here also makes the
# builder write the compact, zstd-compressed blob (it skips that when the node is a debug build),
# which the node embeds and the forkless-upgrade test sends: the uncompressed runtime (≈6 MB with
# the contracts pallet) no longer fits in a block.
export WASM_BUILD_TYPE=release
# Clippy lints the workspace's own crates as they compile: `clippy-driver` (what `cargo clippy`
# runs) wraps rustc for them and, unlike `cargo clippy`'s check, also generates code, so one build
# serves the lints (`-D warnings`), the node and the tests, and the dependencies are compiled once
# instead of compiled and checked again. Every script builds with it, so none rebuilds the
# workspace's crates for another.
RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
export RUSTC_WORKSPACE_WRAPPER
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
# litep2p's TLS stack links the system OpenSSL instead of building a vendored copy (≈4 min).
export OPENSSL_NO_VENDOR=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# NODE_BIN may point at another binary (e.g. one built in docker); by default the shared build's.
NODE_BIN="${NODE_BIN:-$CARGO_TARGET_DIR/debug/tributary-node}"
export NODE_BIN

# Builds the node and the runtime it embeds, exactly as the tests and CI do.
build_node() {
	(cd "$ROOT" && cargo build --workspace --locked)
}

# The optimised benchmarking node (`runtime-benchmarks`), in its own target subdirectory so it
# never invalidates the build above: `scripts/benchmark.sh` and `scripts/perf-report.sh` use it.
BENCH_NODE="$CARGO_TARGET_DIR/benchmarks/release/tributary-node"
build_benchmark_node() {
	# frame-benchmarking-cli's storage-access test runtime serves only the parachain mode of
	# `benchmark storage`; its wasm build cannot resolve itself from this workspace: skip it.
	# pallet-revive's benchmark fixtures need a RISC-V toolchain and `resolc`; the runtime does
	# not benchmark the contracts pallet (it uses the release's weights): skip them too.
	# Built without the lints (its own target directory and profile): benchmark code is linted
	# by the test build.
	(cd "$ROOT" && unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS &&
		SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 SKIP_PALLET_REVIVE_FIXTURES=1 \
		CARGO_TARGET_DIR="$CARGO_TARGET_DIR/benchmarks" \
		cargo build --locked --release -p tributary-node --features runtime-benchmarks)
}

# Records in a pallet's generated `weights.rs` (second line) the blake2-256 of the benchmark
# sources it was generated from: the runtime's tests fail when the benchmarks changed since.
stamp_benchmark_sources() {
	local crate_dir="$1" hash
	hash="$(benchmark_sources "$crate_dir" | xargs cat | b2sum -l 256 | cut -d' ' -f1)"
	sed -i "1a // Benchmark sources: blake2-256 $hash" "$crate_dir/src/weights.rs"
}
# A pallet's benchmark source files, in byte order.
benchmark_sources() {
	find "$1/src" -path '*/benchmarking*' -name '*.rs' | LC_ALL=C sort
}

# Waits (up to two minutes) until a node answers JSON-RPC on 127.0.0.1:$1.
wait_for_rpc() {
	local port="$1"
	for _ in $(seq 1 240); do
		curl -fsS -H 'Content-Type: application/json' \
			-d '{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}' \
			"http://127.0.0.1:$port" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	echo "no JSON-RPC answer on port $port" >&2
	return 1
}
