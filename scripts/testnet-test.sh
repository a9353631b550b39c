#!/usr/bin/env bash
# The multi-validator fault test: four native validators (scripts/testnet.sh topology) on free
# ports; stops one, then two validators, restarts them, and checks finality, catch-up and
# transaction propagation. Prints the measured timings at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
build_node
cd "$ROOT/e2e"
NODE_BIN="$NODE_BIN" npm run test:testnet
