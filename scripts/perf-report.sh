#!/usr/bin/env bash
# Writes docs/PERFORMANCE.md from measurements of this tree on this machine:
#   - the weight of every Tributary call at its worst case beside a balance transfer, and the
#     fee a client is quoted for the hot calls (`query_info` on signed extrinsics) against the
#     goals, from the committed weights (the runtime's `fee_tests`);
#   - what each hot call's cost depends on: storage keys written and storage proof bytes in
#     the real runtime at small and large holders, depths, routes, units and descendants
#     (`scaling_tests`);
#   - throughput: blocks filled with transfers, invocations or settlements by the optimised
#     benchmarking node (`benchmark extrinsic`), extrinsics per block and per second and the
#     time to execute a full block.
# Slow (an optimised build of the benchmarking node): not part of `scripts/test.sh`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

OUT=docs/PERFORMANCE.md
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The gateway's section is scripts/gateway-bench.sh's: kept as it is.
gateway_section="$(sed -n '/<!-- gateway-bench:start/,/<!-- gateway-bench:end -->/p' "$OUT" 2>/dev/null || true)"

echo "==> fee, weight and scaling tables (runtime tests)"
# The fee test fails when a goal not listed as missed is missed; the report still shows the
# figures, and says so. The scaling tests must pass.
fees_status=0
SKIP_WASM_BUILD=1 cargo test --locked -p tributary-runtime --lib -- fee_tests \
	--nocapture --test-threads 1 >"$work/fees.log" 2>&1 || fees_status=$?
grep -q "FEE |" "$work/fees.log" || { cat "$work/fees.log" >&2; exit 1; }
SKIP_WASM_BUILD=1 cargo test --locked -p tributary-runtime --lib -- scaling_tests \
	--nocapture --test-threads 1 >"$work/scaling.log" 2>&1 || { cat "$work/scaling.log" >&2; exit 1; }

echo "==> optimised benchmarking node"
build_benchmark_node

# Fills a block with one load's extrinsics; prints "<extrinsics per block> <ns per extrinsic>".
throughput() {
	rm -rf "$work/chain"
	if ! "$BENCH_NODE" benchmark extrinsic --chain dev --base-path "$work/chain" \
		--pallet "$1" --extrinsic "$2" >"$work/$2.log" 2>&1; then
		cat "$work/$2.log" >&2
		return 1
	fi
	# The statistics follow the "takes[ns]" line: Total, Min/Max, then Average.
	awk '/Extrinsics per block:/ { n = $NF }
		/takes\[ns\]/ { stats = 1 }
		stats && /Average:/ { sub(/,.*/, ""); avg = $NF; stats = 0 }
		END { if (n == "" || avg == "") exit 1; print n, avg }' "$work/$2.log"
}
echo "==> throughput"
transfer_figures="$(throughput balances transfer_keep_alive)"
invoke_figures="$(throughput invocationmetering invoke)"
settle_figures="$(throughput invocationmetering settle)"
read -r transfers transfer_ns <<<"$transfer_figures"
read -r invokes invoke_ns <<<"$invoke_figures"
read -r settles settle_ns <<<"$settle_figures"
block_ns="$(grep -m1 -o 'saturating_mul([0-9_]*)' runtime/src/weights/block_weights.rs | tr -dc '0-9')"
slot_ms="$(sed -n 's/.*MILLI_SECS_PER_BLOCK: u64 = \([0-9_]*\);.*/\1/p' runtime/src/lib.rs | tr -d _)"

# "<name> <extrinsics per block> <ns each>" -> a row of the throughput table.
throughput_row() {
	awk -v name="$1" -v n="$2" -v ns="$3" -v block="$block_ns" -v slot="$slot_ms" -v base="$transfers" 'BEGIN {
		block_ms = (n * ns + block) / 1e6
		printf "| %s | %d | %.0f | %.1f | %.1f | %.2f |\n", name, n, n * 1000 / slot, ns / 1000, block_ms, n / base
	}'
}

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
memory="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
# A test's first row shares its line with the harness's "test name ... ": match anywhere.
fee_rows="$(grep -o 'FEE |.*' "$work/fees.log" | sed 's/^FEE //')"
weight_rows="$(grep -o 'WEIGHT |.*' "$work/fees.log" | sed 's/^WEIGHT //')"
scaling_rows="$(grep -o 'SCALING |.*' "$work/scaling.log" | sed 's/^SCALING //')"
# The slowest full block, in ms, against the slot and against the 2 s of weight a block holds.
slowest_ms="$(awk -v b="$block_ns" 'BEGIN { max = 0 } { ms = ($1 * $2 + b) / 1e6; if (ms > max) max = ms } END { printf "%.0f", max }' \
	<<<"$transfer_figures
$invoke_figures
$settle_figures")"
if [ "$fees_status" -eq 0 ]; then
	fee_verdict="the goals marked \`no\` are the known misses the test lists and this report explains below; every other goal is met"
else
	fee_verdict="**a goal the test does not list as missed is missed**"
fi

mkdir -p docs
cat >"$OUT" <<EOF
# Performance

Written by \`scripts/perf-report.sh\` on $(date -u +%Y-%m-%d) from commit \`$(git rev-parse --short HEAD)\`$(git diff --quiet || echo " (with uncommitted changes)").
Machine: ${cpu}, $(nproc) cores, ${memory}. Weights and throughput come from the optimised
(release) benchmarking node; the tables of fees and scaling from the runtime's tests on the
committed weights.

**Ratios are what stay true across machines**: an absolute weight measured here moves by tens of
percent between two runs on this machine (other load, frequency scaling), and by more on
another; a ratio measured in one run moves far less. Compare ratios, not microseconds.

## How calls are weighed

- Every call of the four Tributary pallets, the FRAME pallets (System, Balances, Timestamp,
  TransactionPayment, Sudo, Utility, Treasury) and every transaction extension is benchmarked
  by \`scripts/benchmark.sh\` on this machine's optimised build, at its worst case.
- Database reads and writes: measured with \`benchmark storage\` in ParityDB (the node's only
  database) on the development genesis with 100,000 more accounts, written in commits of 1,000
  keys (\`runtime/src/weights/paritydb_weights.rs\`), not upstream's constants.
- Block and extrinsic base weights: \`benchmark overhead\` (\`block_weights.rs\`,
  \`extrinsic_weights.rs\`).
- Signers' accounts are whitelisted in the benchmarks, as in every FRAME pallet's: the
  transaction fee reads and writes them before the call does.

## Fees a client is quoted, against the goals

\`TransactionPayment::query_info\` on signed extrinsics (1 planck per picosecond of weight, plus
length), as polkadot.js asks for them. Result: ${fee_verdict}.

| call | fee (planck) | × transfer_keep_alive | goal | met |
|---|---:|---:|---|---|
${fee_rows}

\`distribute\` is charged for the maximum route and refunds what a shorter route did not use;
its rows show the fee at the route length named, with every pool of the route activating
\`MaxPendingCohorts\` cohorts of shares (its benchmarked worst case).

### Goals missed, and why

- **\`settle\`** verifies the consumer's sr25519 signature over the voucher, then moves the
  settled amount out of the consumer's held deposit into the royalty pot (three balance keys:
  the hold, the consumer's account, the pot's), then accrues like \`invoke\` (the provider's and
  the protocol's credits, the version's revenue, the model's usage, the queue). What would meet
  the goal: keeping an open channel's deposit in the pot (escrow) instead of on hold in the
  consumer's account, so that a settlement moves no balance at all (about 120 µs less at the
  measured database costs). Not done: the consumer's unspent deposit would leave its account at
  \`open_channel\` and the pot would become the custodian of every open channel; that trade is a
  design decision of its own, not a weight fix. Settling many vouchers at once with
  \`settle_batch\` does not change the ratio per voucher.
- **\`distribute\`** writes, for each route entry that is a dataset pool, the pool's reward
  counter and the dataset's usage counters and reads the dataset's share total; at its
  benchmarked worst case every pool also activates \`MaxPendingCohorts\` cohorts of shares (four
  reads and eight writes more). The goal allows one write per entry. Meeting it would take the
  usage counters and the share total folded into the pool record and the cohorts' activation
  moved out of distribution: a change of the royalty pallet's storage layout. \`distribute\` is
  called by \`on_idle\` for nearly all revenue (nobody pays a fee for it then), so the fee of a
  manual call is what these rows measure.

### Caveats

- Measured database writes cost less than upstream's ParityDB constant (see
  \`paritydb_weights.rs\`: the average over commits of 1,000 keys on a state of 100,000
  accounts); a state many times larger would cost more per key. Re-run \`scripts/benchmark.sh
  storage\` on a copy of a live chain's database before a public launch.
- Signers' accounts are whitelisted, as in every FRAME pallet's benchmarks; a call dispatched
  through \`Utility::as_derivative\` runs as an account the extensions did not touch, so its first
  access to that account (about one read and one write) is not charged. FRAME's own pallets
  accept the same.

## Weight of every call at its worst case

Ref time in µs (execution plus database reads and writes at the measured costs), proof size in
bytes, ratio of ref times to \`transfer_keep_alive\`'s.

| call | ref time (µs) | proof size (B) | × transfer_keep_alive |
|---|---:|---:|---:|
${weight_rows}

## What the hot calls' cost depends on

Storage keys written and storage proof bytes (every trie node read or written) of one call in
the real runtime, in two states that differ only in what is named. Equal keys and a proof ratio
near 1 mean the cost does not grow with it; \`distribute\` shows what growth looks like.

| call | compared | keys written | proof bytes | proof ratio |
|---|---|---|---|---:|
${scaling_rows}

## Throughput

\`tributary-node benchmark extrinsic\` builds the first block on the development genesis, filled
with one kind of extrinsic until the block's weight limit (the normal class: 75 % of 2 s of
weight) refuses the next, then executes it repeatedly. A full block's execution time is the
measured time per extrinsic times the extrinsics plus the empty block's time
($(awk -v b="$block_ns" 'BEGIN { printf "%.0f", b / 1000 }') µs); per second is per block over the
${slot_ms} ms slot.

| extrinsic | per block | per second | µs each | full block (ms) | × transfers per block |
|---|---:|---:|---:|---:|---:|
$(throughput_row transfer_keep_alive "$transfers" "$transfer_ns")
$(throughput_row invoke "$invokes" "$invoke_ns")
$(throughput_row settle "$settles" "$settle_ns")

Goal: invokes per block ≥ 0.5 × transfers per block —
$(awk -v i="$invokes" -v t="$transfers" 'BEGIN { r = i / t; printf "%.2f: %s", r, (r >= 0.5 ? "met" : "**missed**") }').
The slowest full block executes in ${slowest_ms} ms: $(awk -v ms="$slowest_ms" -v slot="$slot_ms" 'BEGIN {
	printf "%s the %d ms slot and %s the 2,000 ms of weight a block may hold", (ms < slot ? "within" : "**beyond**"), slot, (ms < 2000 ? "within" : "**beyond**") }').
Weights are conservative against this figure: they include the database's costs, which
executing a block in memory does not pay until its changes are committed.
EOF
if [ -n "$gateway_section" ]; then printf '\n%s\n' "$gateway_section" >>"$OUT"; fi
echo "wrote $OUT"
exit "$fees_status"
