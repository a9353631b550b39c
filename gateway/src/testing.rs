//! An in-memory chain for the gateway's tests and benchmark: channels as the runtime keeps
//! them, settled as `settle_batch` settles them (signature, staleness, the deposit's cover), so
//! the request path and the settlement loop run without a node.

use crate::chain::{Chain, ChainError, ChannelInfo, Offer, SettleReport, SignedVoucher};
use futures::future::BoxFuture;
use sp_core::H256;
use sp_runtime::AccountId32;
use std::{
	collections::BTreeMap,
	sync::{Mutex, MutexGuard},
};
use tributary_vouchers::ChannelBinding;

/// The chain's state.
#[derive(Default)]
pub struct FakeState {
	/// Open channels.
	pub channels: BTreeMap<u64, ChannelInfo>,
	/// The latest finalized block.
	pub finalized: u32,
	/// Every `settle_batch` submitted, in order.
	pub batches: Vec<Vec<SignedVoucher>>,
	/// When set, calls fail as an unreachable node's would.
	pub down: bool,
}

/// An in-memory chain.
pub struct FakeChain {
	genesis: H256,
	provider: AccountId32,
	state: Mutex<FakeState>,
}

impl FakeChain {
	/// A chain with genesis `genesis` whose gateway is run by `provider`.
	pub fn new(genesis: H256, provider: AccountId32) -> Self {
		Self { genesis, provider, state: Mutex::new(FakeState::default()) }
	}

	/// The state, to arrange or inspect.
	pub fn state(&self) -> MutexGuard<'_, FakeState> {
		self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// Opens channel `id` of `consumer` with this provider on `model`, `deposit` planck at
	/// `price` + `fee` per unit, expiring at block 1,000,000.
	pub fn open(
		&self,
		id: u64,
		consumer: AccountId32,
		model: u32,
		deposit: u128,
		price: u128,
		fee: u128,
	) {
		let info = ChannelInfo {
			consumer,
			provider: self.provider.clone(),
			model,
			version: 1,
			price_per_unit: price,
			fee_per_unit: fee,
			deposit,
			settled_units: 0,
			expires_at: 1_000_000,
			closes_at: None,
			nonce: H256::from_low_u64_be(id.saturating_add(1)),
		};
		self.state().channels.insert(id, info);
	}

	fn check(&self) -> Result<(), ChainError> {
		if self.state().down {
			return Err(ChainError("the node is down".into()));
		}
		Ok(())
	}

	/// Settles one voucher as the pallet does; the units paid, or the error's name.
	fn settle_one(
		state: &mut FakeState,
		genesis: H256,
		item: &SignedVoucher,
	) -> Result<u64, String> {
		let (id, voucher, signature) = item;
		let channel = state.channels.get_mut(id).ok_or("ChannelNotFound")?;
		if voucher.channel != *id {
			return Err("WrongChannel".into());
		}
		if voucher.genesis_hash != genesis {
			return Err("WrongChain".into());
		}
		let binding = ChannelBinding { provider: channel.provider.clone(), nonce: channel.nonce };
		if !tributary_vouchers::verify(voucher, &binding, signature, &channel.consumer) {
			return Err("BadSignature".into());
		}
		let units = voucher
			.cumulative_units
			.checked_sub(channel.settled_units)
			.filter(|units| *units > 0)
			.ok_or("StaleVoucher")?;
		let per_unit = channel.price_per_unit.saturating_add(channel.fee_per_unit);
		let covered = channel
			.deposit
			.checked_div(per_unit)
			.map_or(u64::MAX, |covered| u64::try_from(covered).unwrap_or(u64::MAX));
		let payable = units.min(covered);
		if payable == 0 {
			return Err("VoucherExceedsDeposit".into());
		}
		channel.deposit =
			channel.deposit.saturating_sub(u128::from(payable).saturating_mul(per_unit));
		channel.settled_units = channel.settled_units.saturating_add(payable);
		Ok(payable)
	}
}

impl Chain for FakeChain {
	fn genesis(&self) -> H256 {
		self.genesis
	}

	fn provider(&self) -> AccountId32 {
		self.provider.clone()
	}

	fn challenge_period(&self) -> u32 {
		600
	}

	fn max_settle_batch(&self) -> usize {
		32
	}

	fn finalized(&self) -> BoxFuture<'_, Result<u32, ChainError>> {
		Box::pin(async move {
			self.check()?;
			Ok(self.state().finalized)
		})
	}

	fn channel(&self, id: u64) -> BoxFuture<'_, Result<Option<ChannelInfo>, ChainError>> {
		Box::pin(async move {
			self.check()?;
			Ok(self.state().channels.get(&id).cloned())
		})
	}

	fn offer(&self, _model: u32) -> BoxFuture<'_, Result<Option<Offer>, ChainError>> {
		Box::pin(async move {
			self.check()?;
			Ok(None)
		})
	}

	fn settle_batch(
		&self,
		batch: Vec<SignedVoucher>,
	) -> BoxFuture<'_, Result<SettleReport, ChainError>> {
		Box::pin(async move {
			self.check()?;
			let mut state = self.state();
			let mut report = SettleReport::default();
			for item in &batch {
				match Self::settle_one(&mut state, self.genesis, item) {
					Ok(units) => report.settled.push((item.0, units)),
					Err(error) => report.failed.push((item.0, error)),
				}
			}
			state.batches.push(batch);
			Ok(report)
		})
	}
}

/// A gateway serving `models` in front of `chain`, its journal in `journal`, listening on a free
/// port of 127.0.0.1: its base URL, its ledger (to settle with) and its metrics.
pub async fn serve_gateway(
	chain: std::sync::Arc<FakeChain>,
	models: Vec<crate::config::Model>,
	journal: &std::path::Path,
) -> Result<Served, String> {
	use crate::{config, journal::Journal, ledger::Ledger, metrics::Metrics, proxy, writer};
	use std::sync::Arc;
	let config = config::Config {
		node_url: "ws://in-memory".into(),
		listen: "127.0.0.1:0".into(),
		provider_suri: None,
		provider_key_file: None,
		journal: journal.to_path_buf(),
		settlement: config::Settlement {
			amount: u64::MAX,
			max_age_secs: u64::MAX,
			margin_blocks: 0,
		},
		max_call_units: 1 << 20,
		max_concurrent_calls: 1_024,
		models,
	};
	let journal = Journal::open(journal, chain.genesis().as_bytes(), chain.provider().as_ref())
		.map_err(|e| e.to_string())?;
	let metrics = Arc::new(Metrics::new().map_err(|e| e.to_string())?);
	let commits = metrics.journal_commit_seconds.clone();
	let writer = writer::JournalWriter::start(Arc::new(journal), move |s| commits.observe(s));
	let ledger = Arc::new(Ledger::new(chain, writer));
	let state = proxy::AppState::new(config, ledger.clone(), metrics.clone());
	let url = serve(proxy::router(state)).await?;
	Ok(Served { url, ledger, metrics })
}

/// A gateway started by [`serve_gateway`].
pub struct Served {
	/// Its base URL, `http://127.0.0.1:<port>`.
	pub url: String,
	/// Its channels.
	pub ledger: std::sync::Arc<crate::ledger::Ledger>,
	/// Its metrics.
	pub metrics: std::sync::Arc<crate::metrics::Metrics>,
}

/// Serves `router` on a free port of 127.0.0.1; its base URL.
pub async fn serve(router: axum::Router) -> Result<String, String> {
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
	let address = listener.local_addr().map_err(|e| e.to_string())?;
	tokio::spawn(async move {
		if let Err(error) = axum::serve(listener, router).await {
			tracing::error!(%error, "the test server stopped");
		}
	});
	Ok(format!("http://{address}"))
}
