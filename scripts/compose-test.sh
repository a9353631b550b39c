#!/usr/bin/env bash
# The docker compose testnet (docker/docker-compose.yml), run for real: packages the node the
# tests use (with the gateway and its stub model server beside it) into an image
# (docker/Dockerfile, target `prebuilt`), starts the four validators and
# the RPC node on free host ports, and checks (e2e/compose/) that every node stays up, the network
# finalizes, finality continues with a validator stopped, the restarted validator catches up to
# the same finalized hash, and a transfer sent through the RPC node is seen by every node; then
# starts the `gateway` profile (a provider's gateway settling through the RPC node, and the stub
# model server) and checks it is healthy and refuses a call without a voucher. Then `down -v`
# removes the containers, network and volumes.
#
# Installs what is missing first: the Docker engine and Compose (Debian's docker.io and
# docker-compose) and, when the Debian base image cannot be pulled, debootstrap, which builds it
# locally from the apt mirror (once; the engine keeps it). Starts dockerd when none is running
# and stops it afterwards. Every wait is bounded; on failure the node logs are kept and their
# directory printed.
#
# Environment: NODE_BIN (default: the shared build, built first unless SKIP_BUILD is set);
# COMPOSE, the compose command (default `docker compose` when present, else `docker-compose`);
# DEBIAN_MIRROR (default: the host's apt mirror); TRIBUTARY_IMAGE, the image tag to build and run
# (default tributary-node:compose-test, removed afterwards).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

COMPOSE_FILE_PATH="$ROOT/docker/docker-compose.yml"
DOCKERFILE="$ROOT/docker/Dockerfile"
IMAGE="${TRIBUTARY_IMAGE:-tributary-node:compose-test}"
PROJECT="tributary-compose-test-$$"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi

log() { printf '==> %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
# Whether a process runs (a child that exited stays a zombie until waited for).
alive() {
	local stat
	stat="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
	[[ "$stat" != Z* ]]
}

"$ROOT/scripts/setup.sh"
if [ "$NODE_BIN" = "$CARGO_TARGET_DIR/debug/tributary-node" ] && [ -z "${SKIP_BUILD:-}" ]; then
	build_node
fi
if [ ! -x "$NODE_BIN" ]; then
	echo "no node binary at $NODE_BIN" >&2
	exit 1
fi

WORK="$(mktemp -d /tmp/tributary-compose-test.XXXXXX)"
DOCKERD_PID=""
UP=""
DOCKER=(docker)

cleanup() {
	local status=$?
	set +e
	if [ -n "$UP" ]; then
		if [ "$status" -ne 0 ]; then
			mkdir -p "$WORK/logs"
			"${COMPOSE_CMD[@]}" ps >"$WORK/logs/ps.txt" 2>&1
			for service in $("${COMPOSE_CMD[@]}" --profile gateway config --services 2>/dev/null); do
				timeout 60 "${COMPOSE_CMD[@]}" logs --no-color --timestamps "$service" >"$WORK/logs/$service.log" 2>&1
			done
		fi
		log "down -v"
		timeout 180 "${COMPOSE_CMD[@]}" --profile gateway down -v --remove-orphans >>"$WORK/down.log" 2>&1 ||
			echo "compose-test: \`down -v\` failed, see $WORK/down.log" >&2
	fi
	if [ -n "$DOCKERD_PID" ] || "${DOCKER[@]}" info >/dev/null 2>&1; then
		# Keep the base layers it was built on (cached for the next run), drop the tag.
		"${DOCKER[@]}" image rm --no-prune "$IMAGE" >/dev/null 2>&1
	fi
	if [ -n "$DOCKERD_PID" ]; then
		log "stopping the dockerd this script started"
		"${SUDO[@]}" kill -TERM "$DOCKERD_PID" 2>/dev/null
		for _ in $(seq 60); do
			alive "$DOCKERD_PID" || break
			sleep 0.5
		done
		if alive "$DOCKERD_PID"; then "${SUDO[@]}" kill -KILL "$DOCKERD_PID"; fi
		wait "$DOCKERD_PID" 2>/dev/null
	fi
	if [ "$status" -eq 0 ]; then
		"${SUDO[@]}" rm -rf "$WORK"
	else
		echo "compose-test failed; logs kept in $WORK" >&2
	fi
	exit "$status"
}
trap cleanup EXIT

apt_install() {
	log "installing $* (log: $WORK/apt.log)"
	if ! { timeout 600 "${SUDO[@]}" apt-get update -qq &&
		timeout 900 "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends "$@"; } >>"$WORK/apt.log" 2>&1; then
		tail -20 "$WORK/apt.log" >&2
		return 1
	fi
}

need_apt=()
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then need_apt+=(docker.io); fi
if [ -n "${COMPOSE:-}" ]; then
	read -r -a COMPOSE_BIN <<<"$COMPOSE"
elif docker compose version >/dev/null 2>&1; then
	COMPOSE_BIN=(docker compose)
else
	COMPOSE_BIN=(docker-compose)
	command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose)
fi
if ((${#need_apt[@]})); then apt_install "${need_apt[@]}"; fi

# ---- the engine: running, and reachable by this user (else through sudo) ---------------------
if ! "${SUDO[@]}" docker info >/dev/null 2>&1; then
	log "starting dockerd (log: $WORK/dockerd.log)"
	"${SUDO[@]}" dockerd >"$WORK/dockerd.log" 2>&1 &
	DOCKERD_PID=$!
	for _ in $(seq 120); do
		"${SUDO[@]}" docker info >/dev/null 2>&1 && break
		if ! alive "$DOCKERD_PID"; then
			tail -20 "$WORK/dockerd.log" >&2
			echo "dockerd exited" >&2
			DOCKERD_PID=""
			exit 1
		fi
		sleep 0.5
	done
	"${SUDO[@]}" docker info >/dev/null
fi
if ! docker info >/dev/null 2>&1; then DOCKER=("${SUDO[@]}" docker); fi

# The first archive named $1 (debian, debian-security) in the host's apt sources, one-line or
# deb822 format; empty when there is none.
host_archive() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -oE "https?://[^[:space:]]+/$1/?([[:space:]]|\$)" | sed -n '1{s/[[:space:]]//g;p}' || true
}

# ---- the base image: pulled, or built with debootstrap from the apt mirror -------------------
BASE="$(awk '$1 == "FROM" && $4 == "runtime" { print $2 }' "$DOCKERFILE")"
if "${DOCKER[@]}" image inspect "$BASE" >/dev/null 2>&1; then
	log "base image $BASE: present"
elif timeout 300 "${DOCKER[@]}" pull "$BASE" >"$WORK/pull.log" 2>&1; then
	log "base image $BASE: pulled"
else
	mirror="${DEBIAN_MIRROR:-$(host_archive debian)}"
	mirror="${mirror:-http://deb.debian.org/debian}"
	security="$(host_archive debian-security)"
	log "base image $BASE: cannot be pulled ($(tail -1 "$WORK/pull.log")); building it with debootstrap from $mirror"
	command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
	rootfs="$WORK/rootfs"
	if ! timeout 1200 "${SUDO[@]}" debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1; then
		tail -20 "$WORK/debootstrap.log" >&2
		exit 1
	fi
	{
		echo "deb $mirror bookworm main"
		echo "deb $mirror bookworm-updates main"
		if [ -n "$security" ]; then echo "deb $security bookworm-security main"; fi
	} | "${SUDO[@]}" tee "$rootfs/etc/apt/sources.list" >/dev/null
	"${SUDO[@]}" tar -C "$rootfs" --exclude='./var/cache/apt/archives/*.deb' --exclude='./var/lib/apt/lists/*' -c . |
		"${DOCKER[@]}" import --change 'CMD ["bash"]' --message "debootstrap --variant=minbase bookworm $mirror" - "$BASE" >/dev/null
	"${SUDO[@]}" rm -rf "$rootfs"
	log "base image $BASE: built"
fi

# ---- the topology: every peer id in docker/.env is its node key's ----------------------------
# shellcheck source=../docker/.env
source "$ROOT/docker/.env"
for name in ALICE BOB CHARLIE DAVE; do
	key_var="${name}_NODE_KEY" peer_var="${name}_PEER_ID"
	printf '%s' "${!key_var}" >"$WORK/node-key"
	derived="$("$NODE_BIN" key inspect-node-key --file "$WORK/node-key")"
	if [ "$derived" != "${!peer_var}" ]; then
		echo "docker/.env: $peer_var is ${!peer_var}, but $key_var's peer id is $derived" >&2
		exit 1
	fi
done
rm -f "$WORK/node-key"
log "docker/.env: every peer id matches its node key"

# ---- the image: the node binary the tests use, in a context holding nothing else -------------
mkdir "$WORK/image"
for binary in tributary-node tributary-gateway tributary-gateway-stub; do
	ln "$(dirname "$NODE_BIN")/$binary" "$WORK/image/$binary" 2>/dev/null ||
		cp "$(dirname "$NODE_BIN")/$binary" "$WORK/image/$binary"
done
log "building $IMAGE from $NODE_BIN (log: $WORK/build.log)"
if ! timeout 900 "${DOCKER[@]}" build -f "$DOCKERFILE" --target prebuilt -t "$IMAGE" "$WORK/image" >"$WORK/build.log" 2>&1; then
	tail -30 "$WORK/build.log" >&2
	exit 1
fi
rm -rf "$WORK/image"

# ---- up, on free host ports ------------------------------------------------------------------
read -r rpc_port prom_alice prom_bob prom_charlie prom_dave prom_rpc gateway_port < <(node -e '
	const net = require("node:net");
	const free = () => new Promise((resolve) => {
		const server = net.createServer().listen(0, "127.0.0.1", () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
	(async () => {
		const ports = new Set();
		while (ports.size < 7) ports.add(await free());
		console.log([...ports].join(" "));
	})();
')
COMPOSE_CMD=("${SUDO[@]}" env
	"TRIBUTARY_IMAGE=$IMAGE"
	"TRIBUTARY_RPC_PORT=$rpc_port"
	"TRIBUTARY_PROMETHEUS_ALICE=$prom_alice"
	"TRIBUTARY_PROMETHEUS_BOB=$prom_bob"
	"TRIBUTARY_PROMETHEUS_CHARLIE=$prom_charlie"
	"TRIBUTARY_PROMETHEUS_DAVE=$prom_dave"
	"TRIBUTARY_PROMETHEUS_RPC=$prom_rpc"
	"TRIBUTARY_GATEWAY_PORT=$gateway_port"
	"${COMPOSE_BIN[@]}" -p "$PROJECT" -f "$COMPOSE_FILE_PATH")
log "up: project $PROJECT, RPC node on ws://127.0.0.1:$rpc_port ($("${COMPOSE_BIN[@]}" version --short 2>/dev/null || true))"
UP=1
timeout 300 "${COMPOSE_CMD[@]}" up -d --no-build

# ---- the checks ------------------------------------------------------------------------------
json_array() { node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- "$@"; }
cd "$ROOT/e2e"
TESTNET_COMPOSE="$(json_array "${COMPOSE_CMD[@]}")" \
	TESTNET_DOCKER="$(json_array "${DOCKER[@]}")" \
	TESTNET_RPC_PORT="$rpc_port" \
	timeout 1800 node --test --test-concurrency=1 --test-reporter=spec compose/
cd "$ROOT"

# ---- the gateway profile: a provider's gateway and the stub model server on the testnet --------
log "gateway profile: up (gateway on http://127.0.0.1:$gateway_port)"
timeout 300 "${COMPOSE_CMD[@]}" --profile gateway up -d --no-build model-stub gateway
gateway_up=""
for _ in $(seq 120); do
	if curl -fsS --max-time 5 "http://127.0.0.1:$gateway_port/health" >"$WORK/gateway-health.json" 2>/dev/null; then
		gateway_up=1
		break
	fi
	sleep 1
done
if [ -z "$gateway_up" ]; then
	echo "the gateway did not answer /health within 120 s" >&2
	exit 1
fi
# It reads the chain through the RPC node, knows its models, and refuses a call without a voucher
# before the model server is asked.
grep -q '"status":"ok"' "$WORK/gateway-health.json"
curl -fsS "http://127.0.0.1:$gateway_port/v1/models" | grep -q '"id":"stub-chat"'
refusal="$(curl -sS -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
	-d '{"model":"stub-chat","messages":[{"role":"user","content":"hi"}]}' \
	"http://127.0.0.1:$gateway_port/v1/chat/completions")"
if [ "$refusal" != 401 ]; then
	echo "a call without a voucher answered $refusal, not 401" >&2
	exit 1
fi
log "gateway profile: healthy on the testnet, models listed, a call without a voucher refused (401)"
log "the docker compose testnet passed"
