// Submitting extrinsics and reading their outcome.

/**
 * Signs and sends `tx`, resolves once its block is finalized (or, with `until: 'inBlock'`,
 * included) with the block hash, the extrinsic's events and its dispatch error, if any.
 */
export function submit(api, tx, signer, { until = 'finalized', timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`transaction not ${until} within ${timeoutMs} ms`));
    }, timeoutMs);
    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        clearTimeout(timer);
        unsubscribe();
        reject(new Error(`transaction ${status.type}`));
        return;
      }
      const done = until === 'finalized' ? status.isFinalized : status.isInBlock || status.isFinalized;
      if (!done) return;
      clearTimeout(timer);
      unsubscribe();
      const blockHash = status.isFinalized ? status.asFinalized : status.asInBlock;
      resolve({ blockHash, events, dispatchError: dispatchError ? describeError(api, dispatchError) : null });
    })
      .then((u) => {
        unsubscribe = u;
      })
      .catch((error) => {
        clearTimeout(timer);
        reject(error);
      });
  });
}

/** Turns a DispatchError into `Pallet.Error` for module errors, `Kind.Detail` otherwise. */
export function describeError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  if (dispatchError.isToken) return `Token.${dispatchError.asToken.type}`;
  if (dispatchError.isArithmetic) return `Arithmetic.${dispatchError.asArithmetic.type}`;
  return dispatchError.type;
}

/** The fee the extrinsic paid, from its `TransactionPayment.TransactionFeePaid` event. */
export function feePaid(events) {
  const record = events.find(({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid');
  if (!record) throw new Error('no TransactionFeePaid event');
  const [, actualFee, tip] = record.event.data;
  return actualFee.toBigInt() + tip.toBigInt();
}

/** Free balance of an account at a block, as a bigint. */
export async function freeBalance(api, address, at) {
  const source = at ? await api.at(at) : api;
  const { data } = await source.query.system.account(address);
  return data.free.toBigInt();
}

/** Sends a call, asserts it succeeded, and returns its events and the fee it paid. */
export async function expectOk(api, tx, signer) {
  const { events, dispatchError } = await submit(api, tx, signer);
  if (dispatchError !== null) {
    throw new Error(`${tx.method.section}.${tx.method.method} failed: ${dispatchError}`);
  }
  return { fee: feePaid(events), events };
}

/** The data of the extrinsic's `section.method` event; throws when there is none. */
export function eventOf(events, section, method) {
  const record = events.find(({ event }) => event.section === section && event.method === method);
  if (!record) throw new Error(`no ${section}.${method} event`);
  return record.event.data;
}
