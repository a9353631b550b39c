#!/usr/bin/env bash
# A local try of the Web2 gateway: a fresh dev node (a block per transaction), the deterministic
# stub model server, a model with an offer and a funded channel on chain, and the gateway in front
# of the stub. Prints a curl call and an openai-client call to try, then runs the gateway in the
# foreground (Ctrl-C stops everything).
#   TRIBUTARY_RPC_PORT (9944), TRIBUTARY_STUB_PORT (8000), TRIBUTARY_GATEWAY_PORT (8080) move
#   the ports; TRIBUTARY_GATEWAY_DIR keeps the state (journal, channel, config) somewhere known.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
build_node

rpc_port="${TRIBUTARY_RPC_PORT:-9944}"
stub_port="${TRIBUTARY_STUB_PORT:-8000}"
gateway_port="${TRIBUTARY_GATEWAY_PORT:-8080}"
dir="${TRIBUTARY_GATEWAY_DIR:-$(mktemp -d)}"
mkdir -p "$dir"
bin="$(dirname "$NODE_BIN")"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

"$NODE_BIN" --dev --tmp --sealing instant --rpc-port "$rpc_port" --no-prometheus \
	>"$dir/node.log" 2>&1 &
pids+=($!)
"$bin/tributary-gateway-stub" --listen "127.0.0.1:$stub_port" >"$dir/stub.log" 2>&1 &
pids+=($!)
wait_for_rpc "$rpc_port"

echo "==> on chain: Bob's model, Charlie's offer, Alice's channel"
setup="$(cd "$ROOT/e2e" && node gateway-try.mjs setup "ws://127.0.0.1:$rpc_port" "$dir/channel.json")"
echo "$setup"
field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" <<<"$setup"; }
model="$(field model)"

cat >"$dir/gateway.toml" <<TOML
node_url = "ws://127.0.0.1:$rpc_port"
listen = "127.0.0.1:$gateway_port"
provider_suri = "//Charlie"
journal = "$dir/journal.redb"

[settlement]
amount = 1000000000000
max_age_secs = 60

[[models]]
name = "stub-chat"
model_id = $model
upstream = "http://127.0.0.1:$stub_port/v1"
TOML

cat <<TRY

==> the gateway serves http://127.0.0.1:$gateway_port (state in $dir). In another shell:

  # with curl: the first call owes nothing yet, so the voucher signs for 0 units
  H="\$($bin/tributary-voucher --suri //Alice --genesis $(field genesisHash) --channel $(field channel) \\
       --provider $(field provider) --nonce $(field nonce) --units 0 --header)"
  curl -i http://127.0.0.1:$gateway_port/v1/chat/completions -H "\$H" -H 'content-type: application/json' \\
       -d '{"model":"stub-chat","messages":[{"role":"user","content":"Hello there"}],"max_tokens":8}'
  # (the answer's X-Tributary-Owed header is what the next voucher signs for)

  # with the official openai client (keeps count of what is owed in $dir/channel.json)
  (cd $ROOT/e2e && node gateway-try.mjs call http://127.0.0.1:$gateway_port $dir/channel.json "Hello there")

TRY
"$bin/tributary-gateway" --config "$dir/gateway.toml"
