//! Settlement: the newest voucher of each channel goes on chain with `settle_batch` when it is
//! worth enough, old enough, or its channel is about to close, and always before the channel's
//! challenge period ends. One batch is in flight at a time (one signer, one nonce sequence);
//! a batch counts once finalized. Settling a voucher again is harmless (the chain pays only the
//! units above what the channel settled), so a retry after any failure is safe.

use crate::{config::Settlement, ledger::Account, ledger::Ledger, metrics::Metrics};
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};

/// Why a channel is settled now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
	/// Its unsettled value reached the configured amount.
	Amount,
	/// Its oldest unsettled voucher reached the configured age.
	Age,
	/// It is closing or about to expire: the provider's last chance.
	Deadline,
}

/// Whether `account` is to be settled now, at `now_ms` with `finalized` the latest finalized
/// block. A channel whose deposit is spent is not: its voucher can only pay after a top-up.
pub fn due(account: &Account, settlement: &Settlement, now_ms: u64, finalized: u32) -> Option<Due> {
	if account.voucher_unsettled_units() == 0 || account.covered_units() == 0 {
		return None;
	}
	if account.closing(finalized)
		|| finalized.saturating_add(settlement.margin_blocks) >= account.info.expires_at
	{
		return Some(Due::Deadline);
	}
	if account.unsettled_value() >= u128::from(settlement.amount) {
		return Some(Due::Amount);
	}
	let age_ms = now_ms.saturating_sub(account.unsettled_since_ms);
	if account.unsettled_since_ms > 0 && age_ms >= settlement.max_age_secs.saturating_mul(1_000) {
		return Some(Due::Age);
	}
	None
}

/// The first retry waits this long; each failure doubles it up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// How long a batch may take to be finalized before it is given up (and, at the next round,
/// resubmitted: a voucher that did settle meanwhile settles nothing the second time).
const SETTLE_TIMEOUT: Duration = Duration::from_secs(120);

/// Marks the settler idle when dropped.
struct Idle<'a>(&'a AtomicBool);

impl Drop for Idle<'_> {
	fn drop(&mut self) {
		self.0.store(false, Ordering::Release);
	}
}

/// The settlement loop.
pub struct Settler {
	ledger: Arc<Ledger>,
	settlement: Settlement,
	metrics: Arc<Metrics>,
	busy: AtomicBool,
	/// Channels waiting after a failure: when to try again, and the wait after the next one.
	backoff: Mutex<HashMap<u64, (Instant, Duration)>>,
	/// The channels the unsettled-value metric has a label for.
	labelled: Mutex<std::collections::HashSet<u64>>,
}

impl Settler {
	/// A settler of `ledger`'s channels.
	pub fn new(ledger: Arc<Ledger>, settlement: Settlement, metrics: Arc<Metrics>) -> Self {
		Self {
			ledger,
			settlement,
			metrics,
			busy: AtomicBool::new(false),
			backoff: Mutex::new(HashMap::new()),
			labelled: Mutex::new(Default::default()),
		}
	}

	/// Runs forever: every `period`, reads the chain and settles what is due.
	pub async fn run(self: Arc<Self>, period: Duration) {
		let mut interval = tokio::time::interval(period);
		interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		loop {
			interval.tick().await;
			if let Err(error) = self.clone().tick().await {
				tracing::warn!(%error, "settlement: the chain is unreachable; retrying");
			}
		}
	}

	/// One round: reads the finalized state of every channel with an unsettled voucher, and
	/// starts a batch of the ones due unless one is in flight.
	pub async fn tick(self: Arc<Self>) -> Result<(), crate::chain::ChainError> {
		let chain = self.ledger.chain().clone();
		self.ledger.set_finalized(chain.finalized().await?);
		for (id, _) in self.ledger.unsettled() {
			// One channel that cannot be read must not keep the others from settling.
			if let Err(error) = self.ledger.refresh(id).await {
				tracing::warn!(%error, channel = id, "cannot read a channel");
			}
		}
		let now = crate::ledger::now_ms();
		let finalized = self.ledger.finalized();
		let mut due_now = Vec::new();
		let unsettled = self.ledger.unsettled();
		self.label_unsettled(&unsettled);
		for (id, account) in unsettled {
			if self.waiting(id) {
				continue;
			}
			if let Some(reason) = due(&account, &self.settlement, now, finalized) {
				// The channel's last chance: a close request's end, or its expiry's.
				let last_chance = account.info.closes_at.unwrap_or_else(|| {
					account.info.expires_at.saturating_add(chain.challenge_period())
				});
				due_now.push((id, reason, last_chance));
			}
		}
		if due_now.is_empty() || self.busy.swap(true, Ordering::AcqRel) {
			return Ok(());
		}
		// Deadlines first, the nearest first: a full batch must not push a closing channel
		// past its last chance.
		due_now
			.sort_by_key(|(id, reason, last_chance)| (*reason != Due::Deadline, *last_chance, *id));
		let batch: Vec<_> = due_now
			.iter()
			.take(chain.max_settle_batch())
			.filter_map(|(id, _, _)| self.ledger.signed_voucher(*id))
			.collect();
		let settler = self.clone();
		tokio::spawn(async move {
			// Cleared however the batch ends, a panic included: one failed batch must not stop
			// every later one.
			let _idle = Idle(&settler.busy);
			settler.settle(batch).await;
		});
		Ok(())
	}

	/// Sets the unsettled value of each channel in `unsettled`, and drops the label of every
	/// channel that has nothing unsettled any more (so the metric does not grow with every
	/// channel ever served).
	fn label_unsettled(&self, unsettled: &[(u64, Account)]) {
		let mut labelled = self.labelled.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let now: std::collections::HashSet<u64> = unsettled.iter().map(|(id, _)| *id).collect();
		for gone in labelled.difference(&now) {
			let _ = self.metrics.unsettled.remove_label_values(&[&gone.to_string()]);
		}
		for (id, account) in unsettled {
			let value = account.unsettled_value() as f64;
			self.metrics.unsettled.with_label_values(&[&id.to_string()]).set(value);
		}
		*labelled = now;
	}

	fn waiting(&self, id: u64) -> bool {
		let backoff = self.backoff.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		backoff.get(&id).is_some_and(|(until, _)| Instant::now() < *until)
	}

	fn back_off(&self, id: u64) {
		let mut backoff = self.backoff.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let delay = backoff.get(&id).map_or(FIRST_BACKOFF, |(_, next)| *next);
		let next = delay.saturating_mul(2).min(MAX_BACKOFF);
		let until = Instant::now().checked_add(delay).unwrap_or_else(Instant::now);
		backoff.insert(id, (until, next));
	}

	async fn settle(&self, batch: Vec<crate::chain::SignedVoucher>) {
		let ids: Vec<u64> = batch.iter().map(|(id, _, _)| *id).collect();
		tracing::info!(channels = ?ids, "settling");
		let started = Instant::now();
		let submitted =
			tokio::time::timeout(SETTLE_TIMEOUT, self.ledger.chain().settle_batch(batch));
		let outcome = submitted.await.unwrap_or_else(|_| {
			Err(crate::chain::ChainError("not finalized within the time allowed".into()))
		});
		match outcome {
			Ok(report) => {
				self.metrics.settlement_seconds.observe(started.elapsed().as_secs_f64());
				for (id, units) in &report.settled {
					self.metrics.settled_units.inc_by(*units);
					tracing::info!(channel = id, units, "settled");
					self.backoff.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(id);
				}
				for (id, error) in &report.failed {
					self.metrics.settlement_failures.inc();
					tracing::warn!(channel = id, error, "the chain refused a voucher");
					self.back_off(*id);
				}
			}
			Err(error) => {
				self.metrics.settlement_failures.inc();
				tracing::warn!(%error, "settle_batch failed; will retry");
				for id in &ids {
					self.back_off(*id);
				}
			}
		}
		for id in ids {
			if let Err(error) = self.ledger.refresh(id).await {
				tracing::warn!(%error, channel = id, "cannot read a settled channel");
			}
		}
	}
}
