#!/usr/bin/env bash
# A four-validator local testnet (alice, bob, charlie, dave on the `local_testnet` preset) as
# native processes on 127.0.0.1: the same topology and node keys (docker/.env) as
# docker/docker-compose.yml.
#
#   scripts/testnet.sh start [name ...]   start all validators (or the named ones)
#   scripts/testnet.sh stop [name ...]    stop them (SIGINT, then SIGKILL after 15 s)
#   scripts/testnet.sh status             one line per validator: running or stopped, ports
#   scripts/testnet.sh purge              stop everything and delete the chain data
#
# Ports (override with the environment): validator i (0..3) uses P2P_BASE+i, RPC_BASE+i and
# PROMETHEUS_BASE+i; defaults 30333, 9944, 9615. Data and logs live in TESTNET_DIR
# (default /tmp/tributary-testnet). NODE_BIN picks the binary (default: the shared build;
# `scripts/testnet.sh start` builds it first unless NODE_BIN is set).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

TESTNET_DIR="${TESTNET_DIR:-/tmp/tributary-testnet}"
P2P_BASE="${P2P_BASE:-30333}"
RPC_BASE="${RPC_BASE:-9944}"
PROMETHEUS_BASE="${PROMETHEUS_BASE:-9615}"

NAMES=(alice bob charlie dave)
# Fixed ed25519 node keys, so every node knows the others' peer ids in advance: the topology
# docker/docker-compose.yml uses too, written once in docker/.env.
# shellcheck source=../docker/.env
source "$ROOT/docker/.env"
declare -A NODE_KEY PEER_ID
for name in "${NAMES[@]}"; do
	key_var="${name^^}_NODE_KEY" peer_var="${name^^}_PEER_ID"
	NODE_KEY[$name]="${!key_var}"
	PEER_ID[$name]="${!peer_var}"
done

index_of() {
	local i
	for i in "${!NAMES[@]}"; do
		if [ "${NAMES[$i]}" = "$1" ]; then
			echo "$i"
			return
		fi
	done
	echo "unknown validator: $1 (known: ${NAMES[*]})" >&2
	exit 2
}

pid_of() {
	local pidfile="$TESTNET_DIR/$1/node.pid"
	if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		cat "$pidfile"
	fi
}

start_one() {
	local name="$1" i bootnodes=() other
	i="$(index_of "$name")"
	if [ -n "$(pid_of "$name")" ]; then
		echo "$name is already running"
		return
	fi
	for other in "${NAMES[@]}"; do
		[ "$other" = "$name" ] && continue
		local j
		j="$(index_of "$other")"
		bootnodes+=(--bootnodes "/ip4/127.0.0.1/tcp/$((P2P_BASE + j))/p2p/${PEER_ID[$other]}")
	done
	mkdir -p "$TESTNET_DIR/$name"
	"$NODE_BIN" \
		--chain local \
		--"$name" \
		--validator \
		--base-path "$TESTNET_DIR/$name" \
		--node-key "${NODE_KEY[$name]}" \
		--listen-addr "/ip4/127.0.0.1/tcp/$((P2P_BASE + i))" \
		--rpc-port "$((RPC_BASE + i))" \
		--prometheus-port "$((PROMETHEUS_BASE + i))" \
		--rpc-cors all \
		--no-mdns \
		--no-telemetry \
		"${bootnodes[@]}" \
		>>"$TESTNET_DIR/$name/node.log" 2>&1 &
	echo $! >"$TESTNET_DIR/$name/node.pid"
	echo "$name started (pid $!, rpc ws://127.0.0.1:$((RPC_BASE + i)), log $TESTNET_DIR/$name/node.log)"
}

stop_one() {
	local name="$1" pid waited=0
	index_of "$name" >/dev/null
	pid="$(pid_of "$name")"
	if [ -z "$pid" ]; then
		echo "$name is not running"
		return
	fi
	kill -INT "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$waited" -ge 150 ]; then
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
	rm -f "$TESTNET_DIR/$name/node.pid"
	echo "$name stopped"
}

command="${1:-status}"
shift || true
selected=("$@")
if [ "${#selected[@]}" -eq 0 ]; then selected=("${NAMES[@]}"); fi

case "$command" in
start)
	if [ "$NODE_BIN" = "$CARGO_TARGET_DIR/debug/tributary-node" ] && [ -z "${SKIP_BUILD:-}" ]; then
		"$ROOT/scripts/setup.sh"
		build_node
	fi
	for name in "${selected[@]}"; do start_one "$name"; done
	;;
stop)
	for name in "${selected[@]}"; do stop_one "$name"; done
	;;
status)
	for name in "${NAMES[@]}"; do
		i="$(index_of "$name")"
		pid="$(pid_of "$name")"
		state="stopped"
		if [ -n "$pid" ]; then state="running (pid $pid)"; fi
		echo "$name: $state, p2p $((P2P_BASE + i)), rpc $((RPC_BASE + i)), prometheus $((PROMETHEUS_BASE + i))"
	done
	;;
purge)
	for name in "${NAMES[@]}"; do stop_one "$name"; done
	rm -rf "$TESTNET_DIR"
	echo "removed $TESTNET_DIR"
	;;
*)
	echo "usage: $0 start|stop|status|purge [name ...]" >&2
	exit 2
	;;
esac
