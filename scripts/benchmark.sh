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
# It also measures, on the same build, the database's read and write costs (`storage`, on the
# development genesis in ParityDB) and the base weights of a block and of an extrinsic
# (`overhead`), written to `runtime/src/weights/` too.
#
# Usage: scripts/benchmark.sh [pallet | storage | overhead ...]   (default: all of them)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

# 25 steps × 10 repeats keeps the slowest benchmark (close_task over 128 items) near five minutes.
STEPS="${STEPS:-25}"
REPEAT="${REPEAT:-10}"

build_benchmark_node

# pallet name in the runtime => crate directory
declare -A PALLETS=()
for dir in pallets/*/; do
	[ -f "$dir/src/benchmarking.rs" ] || [ -f "$dir/src/benchmarking/mod.rs" ] || continue
	crate="$(basename "$dir")"
	PALLETS["pallet_${crate//-/_}"]="pallets/$crate"
done

# FRAME pallets of the runtime whose weights the runtime takes from `runtime/src/weights/`.
FRAME_PALLETS=(frame_system frame_system_extensions pallet_balances pallet_timestamp
	pallet_transaction_payment pallet_sudo pallet_utility pallet_treasury)
for pallet in "${FRAME_PALLETS[@]}"; do PALLETS["$pallet"]="runtime/src/weights"; done

selected=("$@")
if [ "${#selected[@]}" -eq 0 ]; then selected=("${!PALLETS[@]}" storage overhead); fi

WEIGHTS_DIR=runtime/src/weights
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

for pallet in "${selected[@]}"; do
	case "$pallet" in
	storage)
		# Reads and writes of every key of the development genesis with 100,000 more accounts
		# (a few dozen keys alone fit any cache), in ParityDB as the node stores state:
		# `DbWeight` (the runtime's `paritydb_weights.rs`).
		echo "==> benchmarking storage"
		"$BENCH_NODE" build-spec --chain dev |
			python3 scripts/populated-spec.py 100000 1000000000000 >"$scratch/populated.json"
		# Keys are written in commits of 1,000, the size of a block's writes here.
		"$BENCH_NODE" benchmark storage \
			--chain "$scratch/populated.json" \
			--base-path "$scratch/storage" \
			--database paritydb \
			--state-version 1 \
			--batch-size 1000 \
			--header scripts/weight-header.txt \
			--weight-path "$WEIGHTS_DIR"
		continue
		;;
	overhead)
		# An empty block and a block full of empty remarks: `BlockExecutionWeight` and
		# `ExtrinsicBaseWeight` (`block_weights.rs`, `extrinsic_weights.rs`).
		echo "==> benchmarking overhead"
		"$BENCH_NODE" benchmark overhead \
			--chain dev \
			--base-path "$scratch/overhead" \
			--header scripts/weight-header.txt \
			--weight-path "$WEIGHTS_DIR"
		continue
		;;
	esac
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
	if [ "$dir" != runtime/src/weights ]; then stamp_benchmark_sources "$dir"; fi
done
