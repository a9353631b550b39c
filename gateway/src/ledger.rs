//! The channels the gateway serves: what each owes, the newest voucher, the calls in flight,
//! and the checks that admit a call.
//!
//! The rule that bounds the provider's risk: a call is admitted only with a voucher for every
//! unit the answered calls owe, one call at a time per channel, and only if the channel's
//! deposit still covers the units not settled yet and this call at its largest. So the provider
//! is never owed more than the deposit can pay, and what no voucher covers yet is the last
//! answered call alone (at most `max_call_units`).

use crate::{
	chain::{Chain, ChainError, ChannelInfo, SignedVoucher},
	journal::{Change, Entry, JournalError},
	refusal::Refusal,
	writer::JournalWriter,
};
use codec::{Decode, Encode};
use sp_runtime::MultiSignature;
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicU32, Ordering},
		Arc, Mutex, MutexGuard,
	},
	time::{SystemTime, UNIX_EPOCH},
};
use tributary_primitives::Voucher;
use tributary_vouchers::ChannelBinding;

/// What the gateway knows of a channel.
#[derive(Clone, Debug)]
pub struct Account {
	/// The channel as of the latest finalized block read.
	pub info: ChannelInfo,
	/// Units the answered calls owe since the channel opened.
	pub owed: u64,
	/// The newest voucher accepted: its units and signature.
	pub voucher: Option<(u64, MultiSignature)>,
	/// The largest cost of the calls in flight, in units.
	pub reserved: u64,
	/// When the oldest voucher not settled yet arrived, in Unix milliseconds (0: none).
	pub unsettled_since_ms: u64,
	/// When `info` was read from the chain, in Unix milliseconds.
	pub read_ms: u64,
}

impl Account {
	fn new(info: ChannelInfo) -> Self {
		let owed = info.settled_units;
		Self { info, owed, voucher: None, reserved: 0, unsettled_since_ms: 0, read_ms: now_ms() }
	}

	/// What one unit costs on the channel: the price and the provider's fee fixed at opening.
	fn per_unit(&self) -> u128 {
		self.info.price_per_unit.saturating_add(self.info.fee_per_unit)
	}

	/// Units the channel's remaining deposit pays for, beyond those already settled.
	pub fn covered_units(&self) -> u64 {
		match self.info.deposit.checked_div(self.per_unit()) {
			Some(units) => u64::try_from(units).unwrap_or(u64::MAX),
			// A free channel pays for every unit.
			None => u64::MAX,
		}
	}

	/// Units owed and not settled yet.
	pub fn unsettled_units(&self) -> u64 {
		self.owed.saturating_sub(self.info.settled_units)
	}

	/// Units of the newest voucher the chain has not settled.
	pub fn voucher_unsettled_units(&self) -> u64 {
		self.voucher_units().saturating_sub(self.info.settled_units)
	}

	/// Units the newest voucher signs for (the settled units when none arrived yet).
	pub fn voucher_units(&self) -> u64 {
		self.voucher.as_ref().map_or(self.info.settled_units, |(units, _)| *units)
	}

	/// What the units of the newest voucher the chain has not settled are worth, in planck.
	pub fn unsettled_value(&self) -> u128 {
		u128::from(self.voucher_unsettled_units()).saturating_mul(self.per_unit())
	}

	/// Whether no new call may start: a close was requested, or the channel expired.
	pub fn closing(&self, finalized: u32) -> bool {
		self.info.closes_at.is_some() || finalized >= self.info.expires_at
	}

	fn entry(&self) -> Option<Entry> {
		let (voucher_units, signature) = self.voucher.as_ref()?;
		Some(Entry {
			channel_nonce: self.info.nonce.0,
			voucher_units: *voucher_units,
			signature: signature.encode(),
			owed_units: self.owed,
			unsettled_since_ms: self.unsettled_since_ms,
		})
	}
}

type Accounts = Arc<Mutex<HashMap<u64, Account>>>;

fn lock(accounts: &Accounts) -> MutexGuard<'_, HashMap<u64, Account>> {
	// A handler that panicked while holding the lock left consistent data: every update under
	// it is a few assignments.
	accounts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An admitted call, holding its largest cost against the channel's deposit until it is
/// completed (charged) or cancelled (not charged). Dropped unsettled — the caller hung up and
/// the handler was cancelled — it releases its hold and charges nothing.
#[must_use = "a reservation is completed or cancelled"]
pub struct Reservation {
	/// The channel paying.
	pub channel: u64,
	/// The call's largest cost in units.
	pub max_units: u64,
	accounts: Option<Accounts>,
}

impl core::fmt::Debug for Reservation {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Reservation {{ channel: {}, max_units: {} }}", self.channel, self.max_units)
	}
}

impl Reservation {
	/// Takes the hold off the channel; the reservation is spent.
	fn release(&mut self, accounts: &mut HashMap<u64, Account>) {
		if self.accounts.take().is_some() {
			if let Some(account) = accounts.get_mut(&self.channel) {
				account.reserved = account.reserved.saturating_sub(self.max_units);
			}
		}
	}
}

impl Drop for Reservation {
	fn drop(&mut self) {
		if let Some(accounts) = self.accounts.clone() {
			self.release(&mut lock(&accounts));
		}
	}
}

/// A call (or a payment without one) asking to be admitted.
struct Call {
	id: u64,
	signed: u64,
	signature: MultiSignature,
	max_units: u64,
	model: Option<u32>,
}

/// The outcome of a completed call, for the response's headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Charged {
	/// Units this call cost.
	pub units: u64,
	/// Units the channel owes after it: what the next voucher signs for.
	pub owed: u64,
	/// Units the deposit still covers beyond what is owed.
	pub remaining: u64,
}

/// The channels served, shared by the request handlers and the settlement loop.
pub struct Ledger {
	chain: Arc<dyn Chain>,
	writer: JournalWriter,
	accounts: Accounts,
	finalized: AtomicU32,
	/// When the chain last answered, in Unix milliseconds: what `/health` reports, without a
	/// read of its own.
	chain_seen_ms: std::sync::atomic::AtomicU64,
	/// Channel ids the chain did not know, and when it was asked: a caller naming ids that do
	/// not exist costs one read per id per [`STALE_AFTER_MS`], not one per request.
	missing: Mutex<HashMap<u64, u64>>,
}

/// The most ids [`Ledger::missing`] remembers before it starts again.
const MAX_MISSING: usize = 10_000;

/// Now, in Unix milliseconds.
pub fn now_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map_or(0, |elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
}

/// How old a channel's state may be when a call is admitted on it.
const STALE_AFTER_MS: u64 = 10_000;

fn unavailable(error: ChainError) -> Refusal {
	Refusal::ChainUnavailable(error.0)
}

fn journal_failed(error: JournalError) -> Refusal {
	Refusal::Journal(error.to_string())
}

impl Ledger {
	/// A ledger over `chain`, writing through `writer`.
	pub fn new(chain: Arc<dyn Chain>, writer: JournalWriter) -> Self {
		Self {
			chain,
			writer,
			accounts: Accounts::default(),
			finalized: AtomicU32::new(0),
			chain_seen_ms: Default::default(),
			missing: Mutex::default(),
		}
	}

	/// The chain.
	pub fn chain(&self) -> &Arc<dyn Chain> {
		&self.chain
	}

	fn accounts(&self) -> MutexGuard<'_, HashMap<u64, Account>> {
		lock(&self.accounts)
	}

	/// The latest finalized block seen.
	pub fn finalized(&self) -> u32 {
		self.finalized.load(Ordering::Relaxed)
	}

	/// Records the latest finalized block (the chain answered just now).
	pub fn set_finalized(&self, number: u32) {
		self.finalized.fetch_max(number, Ordering::Relaxed);
		self.chain_seen_ms.store(now_ms(), Ordering::Relaxed);
	}

	/// When the chain last answered the settlement loop, in Unix milliseconds (0: never).
	pub fn chain_seen_ms(&self) -> u64 {
		self.chain_seen_ms.load(Ordering::Relaxed)
	}

	/// Takes back what the journal held at start: each entry's channel is read from the chain;
	/// a channel closed meanwhile can settle nothing any more and is forgotten.
	pub async fn recover(&self, entries: Vec<(u64, Entry)>) -> Result<usize, ChainError> {
		let mut recovered = 0usize;
		for (channel, entry) in entries {
			let info = self.chain.channel(channel).await?;
			// A channel with the journal's id but another nonce is a new channel (the chain was
			// relaunched): what the journal holds can never settle on it.
			let Some(info) = info.filter(|info| info.nonce.as_bytes() == entry.channel_nonce)
			else {
				tracing::warn!(
					channel,
					units = entry.voucher_units,
					"the channel closed before its last voucher was settled; forgetting it"
				);
				let _ = self.writer.submit(Change::Forget(channel)).durable().await;
				continue;
			};
			let signature = MultiSignature::decode(&mut entry.signature.as_slice()).ok();
			let mut account = Account::new(info);
			account.owed = account.owed.max(entry.owed_units);
			account.voucher = signature.map(|signature| (entry.voucher_units, signature));
			account.unsettled_since_ms = entry.unsettled_since_ms;
			// Settled before the restart: the journal may let the entry go now.
			let settled_units = account.info.settled_units;
			if settled_units >= entry.voucher_units {
				drop(self.writer.submit(Change::Settled { channel, settled_units }));
			}
			self.accounts().insert(channel, account);
			recovered = recovered.saturating_add(1);
		}
		Ok(recovered)
	}

	/// A copy of channel `id`'s account, read from the chain when it is not known yet. Only a
	/// channel whose voucher was accepted is kept: a lookup by anyone else leaves nothing behind.
	pub async fn account(&self, id: u64) -> Result<Option<Account>, Refusal> {
		if let Some(account) = self.accounts().get(&id) {
			return Ok(Some(account.clone()));
		}
		let now = now_ms();
		let recently_missing = {
			let missing = self.missing.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
			missing.get(&id).is_some_and(|asked| now.saturating_sub(*asked) < STALE_AFTER_MS)
		};
		if recently_missing {
			return Ok(None);
		}
		let info = self.chain.channel(id).await.map_err(unavailable)?;
		if info.is_none() {
			let mut missing = self.missing.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
			if missing.len() >= MAX_MISSING {
				missing.clear();
			}
			missing.insert(id, now);
		}
		Ok(info.map(Account::new))
	}

	/// Reads channel `id` from the chain again (after a top-up or a settlement); a channel that
	/// closed leaves the ledger and the journal. Returns the new account.
	pub async fn refresh(&self, id: u64) -> Result<Option<Account>, ChainError> {
		let info = self.chain.channel(id).await?;
		let mut accounts = self.accounts();
		// Another nonce under the same id is another channel (the chain was relaunched): the
		// one the gateway knew is gone.
		let known_nonce = accounts.get(&id).map(|account| account.info.nonce);
		let info = info.filter(|info| known_nonce.is_none_or(|nonce| nonce == info.nonce));
		let Some(info) = info else {
			if accounts.remove(&id).is_some() {
				// Forgetting is not urgent; the next start forgets it too if this one is lost.
				drop(self.writer.submit(Change::Forget(id)));
			}
			return Ok(None);
		};
		let Some(account) = accounts.get_mut(&id) else { return Ok(Some(Account::new(info))) };
		// Only a settlement lets the journal drop anything: re-reading an unchanged channel (every
		// round of the settlement loop, every admission after a while) writes nothing.
		let settled_more = info.settled_units > account.info.settled_units;
		account.owed = account.owed.max(info.settled_units);
		if info.settled_units >= account.voucher_units() {
			account.unsettled_since_ms = 0;
		}
		let settled_units = info.settled_units;
		account.info = info;
		account.read_ms = now_ms();
		let account = account.clone();
		drop(accounts);
		if settled_more {
			drop(self.writer.submit(Change::Settled { channel: id, settled_units }));
		}
		Ok(Some(account))
	}

	/// The channels with a voucher the chain has not settled, for the settlement loop.
	pub fn unsettled(&self) -> Vec<(u64, Account)> {
		self.accounts()
			.iter()
			.filter(|(_, account)| account.voucher_unsettled_units() > 0)
			.map(|(id, account)| (*id, account.clone()))
			.collect()
	}

	/// Every channel known, for the metrics and `/health`.
	pub fn len(&self) -> usize {
		self.accounts().len()
	}

	/// Whether no channel is known.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// The `settle_batch` item of channel `id`'s newest voucher.
	pub fn signed_voucher(&self, id: u64) -> Option<SignedVoucher> {
		let accounts = self.accounts();
		let (units, signature) = accounts.get(&id)?.voucher.clone()?;
		Some((
			id,
			Voucher { genesis_hash: self.chain.genesis(), channel: id, cumulative_units: units },
			signature,
		))
	}

	/// Checks a request's voucher (`header`, the value of `X-Tributary-Voucher`) for a call of
	/// `model` (none: a payment without a call) costing at most `max_units`, and reserves that
	/// cost. The checks, in order: a voucher at all, for this chain, of an open channel of this
	/// provider, signed by its consumer, for this model, not closing, for exactly the units
	/// owed, and a deposit that covers this call at its largest.
	pub async fn admit(
		&self,
		header: Option<&str>,
		model: Option<u32>,
		max_units: u64,
	) -> Result<Reservation, Refusal> {
		let header = header.ok_or(Refusal::MissingVoucher)?;
		let (voucher, signature) =
			tributary_vouchers::header::decode(header).map_err(Refusal::MalformedVoucher)?;
		if voucher.genesis_hash != self.chain.genesis() {
			return Err(Refusal::WrongChain);
		}
		let id = voucher.channel;
		let account = match self.account(id).await? {
			// A close request or a close on chain reaches the gateway within this time even on
			// a channel with nothing to settle (the settlement loop reads only those).
			Some(account) if now_ms().saturating_sub(account.read_ms) > STALE_AFTER_MS => {
				self.refresh(id).await.map_err(unavailable)?
			}
			account => account,
		}
		.ok_or(Refusal::UnknownChannel(id))?;
		let provider = self.chain.provider();
		if account.info.provider != provider {
			return Err(Refusal::WrongProvider);
		}
		let binding = ChannelBinding { provider, nonce: account.info.nonce };
		if !tributary_vouchers::verify(&voucher, &binding, &signature, &account.info.consumer) {
			return Err(Refusal::BadSignature);
		}
		if model.is_some_and(|model| model != account.info.model) {
			return Err(Refusal::ChannelModelMismatch);
		}
		let call = Call { id, signed: voucher.cumulative_units, signature, max_units, model };
		match self.reserve(&call, account.clone()) {
			// The consumer may have topped up since the channel was read: read it again once.
			Err(Refusal::DepositShort { .. }) => {
				let account = self.refresh(id).await.map_err(unavailable)?;
				self.reserve(&call, account.ok_or(Refusal::UnknownChannel(id))?)
			}
			outcome => outcome,
		}
	}

	fn reserve(&self, call: &Call, checked: Account) -> Result<Reservation, Refusal> {
		let Call { id, signed, max_units, .. } = *call;
		let signature = &call.signature;
		let finalized = self.finalized();
		let mut accounts = self.accounts();
		// Kept from here on: the voucher proved the caller is the channel's consumer.
		let account = accounts.entry(id).or_insert(checked);
		// A payment without a call is taken from a closing channel too: it pays for the last
		// call, which the provider settles before the channel closes.
		let pays_only = call.model.is_none() && max_units == 0;
		if account.closing(finalized) && !pays_only {
			return Err(Refusal::ChannelClosing);
		}
		// One call at a time: a caller that sent many at once with one voucher could leave all
		// of them unpaid; with one, what no voucher covers is the last call alone.
		if account.reserved > 0 && !pays_only {
			return Err(Refusal::CallInFlight);
		}
		if signed < account.owed {
			return Err(Refusal::VoucherBehind { owed: account.owed, signed });
		}
		if signed > account.owed {
			return Err(Refusal::VoucherAhead { owed: account.owed, signed });
		}
		let committed = account.unsettled_units().saturating_add(account.reserved);
		let covered = account.covered_units().saturating_sub(committed);
		if max_units > covered {
			return Err(Refusal::DepositShort { covered, needed: max_units });
		}
		account.reserved = account.reserved.saturating_add(max_units);
		if signed > account.voucher_units() || account.voucher.is_none() {
			account.voucher = Some((signed, signature.clone()));
			if account.unsettled_since_ms == 0 && signed > account.info.settled_units {
				account.unsettled_since_ms = now_ms();
			}
		}
		Ok(Reservation { channel: id, max_units, accounts: Some(self.accounts.clone()) })
	}

	/// Charges an answered call `units` (at most its reservation) and journals the channel
	/// durably before returning: the response may go out once this returns.
	pub async fn complete(
		&self,
		mut reservation: Reservation,
		units: u64,
	) -> Result<Charged, Refusal> {
		let units = units.min(reservation.max_units);
		let channel = reservation.channel;
		let (pending, charged) = {
			let mut accounts = self.accounts();
			reservation.release(&mut accounts);
			let account = accounts.get_mut(&channel).ok_or(Refusal::UnknownChannel(channel))?;
			account.owed = account.owed.saturating_add(units);
			let remaining = account
				.covered_units()
				.saturating_sub(account.unsettled_units().saturating_add(account.reserved));
			let charged = Charged { units, owed: account.owed, remaining };
			// Submitted under the lock, so the journal sees a channel's changes in order.
			let pending =
				account.entry().map(|entry| self.writer.submit(Change::Record(channel, entry)));
			(pending, charged)
		};
		if let Some(pending) = pending {
			if let Err(error) = pending.durable().await {
				// The call is not answered: it must not stay owed.
				if let Some(account) = self.accounts().get_mut(&channel) {
					account.owed = account.owed.saturating_sub(units);
				}
				return Err(journal_failed(error));
			}
		}
		Ok(charged)
	}

	/// Releases a call that was not answered: nothing is charged. The voucher it brought is
	/// journaled all the same (it pays for the calls before).
	pub async fn cancel(&self, reservation: Reservation) -> Result<(), Refusal> {
		self.complete(reservation, 0).await.map(|_| ())
	}
}
