// Opening and funding a channel through a polkadot.js `ApiPromise` the caller passes in, so this
// package never pulls @polkadot/api in itself.

/**
 * Opens a channel with `provider` for `model` and waits for its inclusion in a block.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {object} pair the consumer's keyring pair (it pays the deposit and signs vouchers)
 * @param {object} options
 * @param {string|Uint8Array} options.provider the provider's address or account id
 * @param {number} options.model the model id
 * @param {number|null} [options.version=null] the version, or null for the newest
 * @param {bigint|number|string} options.deposit what the channel may pay out, in planck
 * @param {number} options.expiresIn blocks from the best block until anyone may close it
 * @returns {Promise<{ channel: number, nonce: string, provider: string, genesisHash: string }>}
 *   what a `TributaryClient` needs to sign for the channel (hex strings); rejects with the
 *   dispatch error as `pallet.Error` if the call fails
 */
export async function openChannel(api, pair, { provider, model, version = null, deposit, expiresIn }) {
  if (!Number.isSafeInteger(expiresIn) || expiresIn <= 0) throw new TypeError('expiresIn must be a positive number of blocks');
  const best = await api.rpc.chain.getHeader();
  const expiresAt = best.number.toNumber() + expiresIn;
  const tx = api.tx.invocationMetering.openChannel(provider, model, version, deposit, expiresAt);
  const opened = eventData(await submit(api, tx, pair), 'ChannelOpened');
  return {
    channel: opened.channel.toNumber(),
    nonce: opened.nonce.toHex(),
    provider: opened.provider.toHex(),
    genesisHash: api.genesisHash.toHex(),
  };
}

/**
 * Adds `amount` to a channel's deposit and waits for its inclusion in a block.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {object} pair the channel's consumer
 * @param {number|bigint} channel
 * @param {bigint|number|string} amount in planck
 * @returns {Promise<{ channel: number, amount: bigint, deposit: bigint }>} the deposit is what
 *   is left of it now; rejects with the dispatch error as `pallet.Error` if the call fails
 */
export async function topUp(api, pair, channel, amount) {
  const toppedUp = eventData(await submit(api, api.tx.invocationMetering.topUp(channel, amount), pair), 'ChannelToppedUp');
  return {
    channel: toppedUp.channel.toNumber(),
    amount: toppedUp.amount.toBigInt(),
    deposit: toppedUp.deposit.toBigInt(),
  };
}

/**
 * A channel's record on chain at the best block, or null if it is not open.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {number|bigint} channel
 * @returns {Promise<{ provider: string, nonce: string, consumer: string, model: number,
 *   deposit: bigint, settledUnits: bigint } | null>} account ids and the nonce as hex
 */
export async function readChannel(api, channel) {
  const record = await api.query.invocationMetering.channels(channel);
  if (record.isNone) return null;
  const { provider, nonce, consumer, model, deposit, settledUnits } = record.unwrap();
  return {
    provider: provider.toHex(),
    nonce: nonce.toHex(),
    consumer: consumer.toHex(),
    model: model.toNumber(),
    deposit: deposit.toBigInt(),
    settledUnits: settledUnits.toBigInt(),
  };
}

// Resolves with the extrinsic's events once it is in a block: a channel is usable by the
// gateway as soon as its best block has it, so waiting for finality would only add latency.
function submit(api, tx, pair) {
  return new Promise((resolve, reject) => {
    let unsubscribe = null;
    let done = false;
    const finish = (settle, value) => {
      if (done) return;
      done = true;
      unsubscribe?.();
      settle(value);
    };
    tx.signAndSend(pair, ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(reject, new Error(`transaction ${status.type}`));
      } else if (status.isInBlock || status.isFinalized) {
        if (dispatchError) finish(reject, new Error(dispatchErrorName(api, dispatchError)));
        else finish(resolve, events);
      }
    }).then(
      (stop) => {
        // The status can arrive before the subscription's handle does.
        if (done) stop();
        else unsubscribe = stop;
      },
      (error) => finish(reject, error),
    );
  });
}

/**
 * A failed extrinsic's error by name: `pallet.Error` for a module error (decoded with the
 * metadata), `Token.Kind` / `Arithmetic.Kind`, else the error's kind.
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {any} dispatchError
 * @returns {string}
 */
export function dispatchErrorName(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  if (dispatchError.isToken) return `Token.${dispatchError.asToken.type}`;
  if (dispatchError.isArithmetic) return `Arithmetic.${dispatchError.asArithmetic.type}`;
  return dispatchError.type;
}

function eventData(events, method) {
  const record = events.find(({ event }) => event.section === 'invocationMetering' && event.method === method);
  if (!record) throw new Error(`no invocationMetering.${method} event`);
  return record.event.data;
}
