#!/usr/bin/env bash
# Builds the node and starts a fresh development chain: alice authors (aura) and finalizes
# (grandpa) a block every 6 s; RPC on ws://127.0.0.1:9944, Prometheus on :9615.
# Extra arguments go to the node, e.g. `scripts/dev.sh --sealing instant` for a block per
# transaction, or `scripts/dev.sh --base-path /tmp/trib` to keep the chain between runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
build_node

args=("$@")
has_base_path=0
for arg in "${args[@]+"${args[@]}"}"; do
	case "$arg" in --base-path* | -d) has_base_path=1 ;; esac
done
if [ "$has_base_path" -eq 0 ]; then args+=(--tmp); fi

exec "$NODE_BIN" --dev --rpc-port 9944 --prometheus-port 9615 --rpc-cors all "${args[@]}"
