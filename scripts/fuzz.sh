#!/usr/bin/env bash
# Runs the runtime fuzzer (runtime/src/fuzz) for a chosen budget and prints its report: steps,
# extrinsics applied, distinct calls reached per pallet, which calls of the four Tributary
# pallets dispatched successfully, and violations (each with the seed that replays it).
#
#   scripts/fuzz.sh --steps 130000            # a long session (default 20,000 steps)
#   scripts/fuzz.sh --steps 6000 --seed 0x2a  # another session seed
#   scripts/fuzz.sh --replay 0x62ee359d11e8293a:1500   # replay one run from a report
#
# Options: --steps N, --seed S (hex or decimal), --run-steps N (steps before a fresh genesis,
# default 1500), --threads N (default 2), --replay SEED:STEPS. `cargo test` runs the same
# fuzzer with its CI budget (9,000 steps).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

steps=20000
while [ $# -gt 0 ]; do
	case "$1" in
	--steps) steps="$2"; shift 2 ;;
	--seed) export FUZZ_SEED="$2"; shift 2 ;;
	--run-steps) export FUZZ_RUN_STEPS="$2"; shift 2 ;;
	--threads) export FUZZ_THREADS="$2"; shift 2 ;;
	--replay) export FUZZ_REPLAY="$2"; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
	esac
done
export FUZZ_STEPS="$steps"

echo "==> runtime fuzzer: $steps steps (machine: $(nproc) cores, $(uname -m))"
start=$(date +%s)
cargo test --workspace --locked fuzz_runtime -- --nocapture
echo "==> done in $(($(date +%s) - start)) s (including any build)"
