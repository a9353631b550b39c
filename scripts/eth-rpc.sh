#!/usr/bin/env bash
# Ethereum JSON-RPC for Tributary: builds the release's `eth-rpc` proxy (pallet-revive-eth-rpc
# 0.24.0, the release of this runtime's pallet-revive) once, starts a dev node unless
# TRIBUTARY_NODE_URL names a running one, and serves Ethereum JSON-RPC on 127.0.0.1:8545 (chain id
# 87420) in the foreground; Ctrl-C stops everything.
#
# The proxy is heavy (its own copy of a runtime and ≈1,500 crates): it is built outside the
# workspace, in its own target directory, and never by `scripts/test.sh`.
#   ETH_RPC_PORT (8545), TRIBUTARY_RPC_PORT (9944) move the ports.
#   `node e2e/eth-rpc-deploy.mjs` then deploys contracts/AiApp.sol through it with ethers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"

eth_rpc_version="0.24.0"
eth_rpc_root="${ETH_RPC_ROOT:-$CARGO_TARGET_DIR/eth-rpc-$eth_rpc_version}"
eth_rpc="$eth_rpc_root/bin/eth-rpc"
if [ ! -x "$eth_rpc" ]; then
	echo "==> building eth-rpc $eth_rpc_version (once; tens of minutes on two cores)"
	# Its build script compiles a runtime natively for the metadata it talks to; the wasm is
	# not needed.
	SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$eth_rpc_root/target" \
		cargo install --locked --root "$eth_rpc_root" "pallet-revive-eth-rpc@$eth_rpc_version"
fi

rpc_port="${TRIBUTARY_RPC_PORT:-9944}"
eth_port="${ETH_RPC_PORT:-8545}"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

node_url="${TRIBUTARY_NODE_URL:-}"
if [ -z "$node_url" ]; then
	build_node
	log="$(mktemp -d)/node.log"
	echo "==> dev node on ws://127.0.0.1:$rpc_port (log: $log)"
	"$NODE_BIN" --dev --tmp --rpc-port "$rpc_port" --no-prometheus >"$log" 2>&1 &
	pids+=($!)
	wait_for_rpc "$rpc_port"
	node_url="ws://127.0.0.1:$rpc_port"
fi

echo "==> Ethereum JSON-RPC on http://127.0.0.1:$eth_port for $node_url"
echo "    try: node e2e/eth-rpc-deploy.mjs http://127.0.0.1:$eth_port $node_url"
# `--eth-pruning 256`: the default (`archive`) needs an archive node and a database of its own.
"$eth_rpc" --node-rpc-url "$node_url" --rpc-port "$eth_port" --eth-pruning 256 \
	--rpc-cors all &
pids+=($!)
wait "${pids[-1]}"
