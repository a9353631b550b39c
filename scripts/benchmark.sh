#!/usr/bin/env bash
# Runs the runtime benchmarks and writes each Tributary pallet's `weights.rs`, and the weights of
# the FRAME pallets the runtime uses into `runtime/src/weights/`, so every call is priced on the
# same machine and the same optimised build.
#
# The benchmarking CLI (frame-benchmarking-cli, ~130 extra crates) and a runtime built with
# `runtime-benchmarks` live in their own target subdirectory, so this never invalidates the
# build the dev node and the tests use. The benchmark node is an optimised (release) build:
# host functions (storage, hashing, signature checks) run at the speed a production node runs
# them, so the weights are comparable with the FRAME pallets' reference weights.
#
# Usage: scripts/benchmark.sh [pallet ...]   (default: every Tributary pallet and every FRAME
# pallet below)
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
	[ -f "$dir/src/benchmarking.rs" ] || [ -f "$dir/src/benchmarking/mod.rs" ] || continue
	crate="$(basename "$dir")"
	PALLETS["pallet_${crate//-/_}"]="pallets/$crate"
done

# FRAME pallets of the runtime whose weights the runtime takes from `runtime/src/weights/`.
FRAME_PALLETS=(frame_system pallet_balances pallet_timestamp pallet_sudo pallet_utility pallet_treasury)
for pallet in "${FRAME_PALLETS[@]}"; do PALLETS["$pallet"]="runtime/src/weights"; done

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
	if [ "$dir" = runtime/src/weights ]; then
		# FRAME's own template: a `WeightInfo<T>` implementing the pallet's trait.
		mkdir -p "$dir"
		output=(--output "$dir/$pallet.rs")
	else
		output=(--template scripts/pallet-weight-template.hbs --output "$dir/src/weights.rs")
	fi
	"$BENCH_NODE" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "$STEPS" \
		--repeat "$REPEAT" \
		--header scripts/weight-header.txt \
		"${output[@]}"
done
