#!/usr/bin/env bash
# Runs the runtime benchmarks and writes each Tributary pallet's `weights.rs`.
#
# The benchmarking CLI (frame-benchmarking-cli, ~130 extra crates) and a runtime built with
# `runtime-benchmarks` live in their own target subdirectory, so this never invalidates the
# build the dev node and the tests use. The benchmark node is an optimised (release) build:
# host functions (storage, hashing, signature checks) run at the speed a production node runs
# them, so the weights are comparable with the FRAME pallets' reference weights.
#
# Usage: scripts/benchmark.sh [pallet ...]   (default: every Tributary pallet)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

BENCH_TARGET_DIR="$CARGO_TARGET_DIR/benchmarks"
# 25 steps × 10 repeats keeps the slowest benchmark (close_task over 128 items) near five minutes.
STEPS="${STEPS:-25}"
REPEAT="${REPEAT:-10}"

# frame-benchmarking-cli's storage-access test runtime only serves `benchmark storage`, which this
# node does not offer; its wasm build cannot resolve itself from this workspace, so skip it.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
CARGO_TARGET_DIR="$BENCH_TARGET_DIR" cargo build --locked --release -p tributary-node --features runtime-benchmarks
BENCH_NODE="$BENCH_TARGET_DIR/release/tributary-node"

# pallet name in the runtime => crate directory
declare -A PALLETS=()
for dir in pallets/*/; do
	[ -f "$dir/src/benchmarking.rs" ] || continue
	crate="$(basename "$dir")"
	PALLETS["pallet_${crate//-/_}"]="pallets/$crate"
done

selected=("$@")
if [ "${#selected[@]}" -eq 0 ]; then selected=("${!PALLETS[@]}"); fi
if [ "${#selected[@]}" -eq 0 ]; then
	echo "no pallet has benchmarks yet"
	exit 0
fi

for pallet in "${selected[@]}"; do
	dir="${PALLETS[$pallet]:-}"
	if [ -z "$dir" ]; then
		echo "unknown pallet: $pallet (known: ${!PALLETS[*]})" >&2
		exit 1
	fi
	echo "==> benchmarking $pallet"
	"$BENCH_NODE" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "$STEPS" \
		--repeat "$REPEAT" \
		--template scripts/pallet-weight-template.hbs \
		--header scripts/weight-header.txt \
		--output "$dir/src/weights.rs"
done
