#!/usr/bin/env bash
# Installs everything a fresh Debian 12 machine with only rustup lacks to build, run and test
# Tributary. Idempotent: each step checks before it installs, so every script calls it first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
dpkg -s libclang-dev >/dev/null 2>&1 || need_apt+=(libclang-dev)
dpkg -s libssl-dev >/dev/null 2>&1 || need_apt+=(libssl-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
# `scripts/benchmark.sh storage` builds its populated chain spec with a Python script.
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)

if ((${#need_apt[@]})); then
	echo "setup: installing ${need_apt[*]}"
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32v1-none; then
	echo "setup: adding the wasm32v1-none target"
	rustup target add wasm32v1-none
fi
if ! rustup component list --installed | grep -q '^rust-src'; then
	echo "setup: adding rust-src"
	rustup component add rust-src
fi
for component in clippy rustfmt; do
	if ! rustup component list --installed | grep -q "^${component}"; then
		rustup component add "$component"
	fi
done

# The e2e tests use @polkadot/api and the openai client, the gateway's JavaScript client tests
# @polkadot/keyring: install exactly what each lock file names.
for package in e2e clients/js; do
	if [ -f "$ROOT/$package/package.json" ]; then
		if [ ! -d "$ROOT/$package/node_modules" ] || [ "$ROOT/$package/package-lock.json" -nt "$ROOT/$package/node_modules/.package-lock.json" ]; then
			echo "setup: installing the npm packages of $package"
			(cd "$ROOT/$package" && npm ci --no-audit --no-fund --loglevel=error)
		fi
	fi
done
