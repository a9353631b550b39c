#!/usr/bin/env bash
# Tells the Tributary story on a fresh dev node, with readable output: a curator's dataset,
# contributors, annotators and reviewers, a model and a fine-tune, a consumer paying directly
# and through a payment channel, the royalties distributed, and everyone claiming their share.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
build_node
cd "$ROOT/e2e"
NODE_BIN="$NODE_BIN" node demo.mjs
