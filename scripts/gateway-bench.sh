#!/usr/bin/env bash
# Measures the gateway's overhead per call (gateway/examples/bench.rs: the same chat completion
# to the stub model server directly and through the gateway, at 1 and 100 concurrent callers,
# signature checks and durable journal on) in an optimised build, and writes the figures into
# docs/PERFORMANCE.md's "Gateway" section. Not part of scripts/test.sh (timings are noisy here;
# no test asserts them). `scripts/gateway-bench.sh --calls N` sets the calls per level.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

OUT=docs/PERFORMANCE.md
cargo build --locked --release -p tributary-gateway --example bench
results="$("$CARGO_TARGET_DIR/release/examples/bench" "$@")"
echo "$results"

table="$(grep '^|' <<<"$results")"
read -r one_overhead one_rate < <(awk '$1 == "GATEWAY" && $2 == 1 { print $3, $4 }' <<<"$results")
read -r many_overhead many_rate < <(awk '$1 == "GATEWAY" && $2 == 100 { print $3, $4 }' <<<"$results")
journal="$(sed -n 's/^JOURNAL \(.*\)$/\1/p' <<<"$results")"
verdict() { awk -v v="$1" -v goal="$2" -v op="$3" 'BEGIN { ok = (op == "le" ? v <= goal : v >= goal); printf "%s", (ok ? "met" : "**missed**") }'; }
best_rate="$(awk -v a="$one_rate" -v b="$many_rate" 'BEGIN { print (a > b ? a : b) }')"

section="$(cat <<MD
<!-- gateway-bench:start (written by scripts/gateway-bench.sh) -->
## Gateway

The web2 gateway's overhead per call, measured on $(date -u +%Y-%m-%d) by \`scripts/gateway-bench.sh\`
(\`gateway/examples/bench.rs\`, an optimised build, on this machine: $(nproc) cores). The same chat
completion goes to the deterministic stub model server directly, then through the gateway —
voucher decoded, the consumer's sr25519 signature verified, the deposit checked, the call
journaled durably (redb on this machine's ext4 disk, group commits) before it is answered —
with 1 caller, then 100 concurrent callers, each on its own channel. The chain is the in-memory
one of the gateway's tests: after a channel's first call the gateway reads the chain only every
10 s per channel, so the node is not on the request path. Callers, stub and gateway share the
two cores.

${table}

- p50 overhead with 1 caller: ${one_overhead} ms (goal ≤ 1 ms: $(verdict "$one_overhead" 1 le)); with 100
  callers ${many_overhead} ms, where the two cores are saturated and every request queues.
- Calls per second through the gateway: ${one_rate} with 1 caller, ${many_rate} with 100 (goal ≥ 2,000 with
  signature checks on: $(verdict "$best_rate" 2000 ge)).
- Journal: ${journal} — the writer groups the calls answered during one commit into the next.
<!-- gateway-bench:end -->
MD
)"
if grep -q '<!-- gateway-bench:start' "$OUT"; then
	awk -v section="$section" '
		/<!-- gateway-bench:start/ { print section; skip = 1; next }
		/<!-- gateway-bench:end -->/ { skip = 0; next }
		!skip { print }' "$OUT" >"$OUT.new"
	mv "$OUT.new" "$OUT"
else
	printf '\n%s\n' "$section" >>"$OUT"
fi
echo "wrote the gateway section of $OUT"
