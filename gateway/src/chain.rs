//! What the gateway needs from the chain, as a trait ([`Chain`]) so the request path and the
//! settlement loop are tested against an in-memory chain; and its implementation over a node's
//! RPC with subxt ([`NodeChain`]).
//!
//! Everything is read at the latest *finalized* block: a channel the gateway serves must not
//! vanish in a reorganisation, and a settlement counts once it is final.

use codec::{Decode, Encode};
use futures::future::BoxFuture;
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{AccountId32, MultiSignature};
use std::sync::Mutex;
use subxt::{OnlineClient, PolkadotConfig};
use tributary_primitives::Voucher;

/// A channel's state as the runtime API reports it.
pub type ChannelInfo =
	pallet_invocation_metering::runtime_api::ChannelInfo<AccountId32, u128, u32, H256>;

/// One item of `settle_batch`: the channel, the voucher and the consumer's signature.
pub type SignedVoucher = (u64, Voucher<H256>, MultiSignature);

/// The terms this provider serves a model at: what `GET /v1/models` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
	/// The version a new channel would pay for (the latest).
	pub version: u32,
	/// What one unit costs the caller, everything included.
	pub total_per_unit: u128,
	/// The provider's fee in it.
	pub fee_per_unit: u128,
}

/// What a finalized `settle_batch` did, channel by channel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettleReport {
	/// Channels settled, with the units this settlement paid.
	pub settled: Vec<(u64, u64)>,
	/// Channels whose voucher failed, with the pallet's error.
	pub failed: Vec<(u64, String)>,
}

/// A failure to talk to the chain (the node is unreachable, a call failed, the runtime does
/// not have what the gateway expects).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainError(pub String);

impl core::fmt::Display for ChainError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(&self.0)
	}
}

fn chain_error(error: impl ToString) -> ChainError {
	ChainError(error.to_string())
}

/// The chain as the gateway uses it.
pub trait Chain: Send + Sync + 'static {
	/// The genesis hash every voucher must name.
	fn genesis(&self) -> H256;
	/// The provider's account: the channels served are the ones that pay it.
	fn provider(&self) -> AccountId32;
	/// The blocks a provider has to settle after a close request (`ChallengePeriod`).
	fn challenge_period(&self) -> u32;
	/// The most vouchers one `settle_batch` takes (`MaxSettleBatch`).
	fn max_settle_batch(&self) -> usize;
	/// The latest finalized block's number.
	fn finalized(&self) -> BoxFuture<'_, Result<u32, ChainError>>;
	/// An open channel's state at the latest finalized block.
	fn channel(&self, id: u64) -> BoxFuture<'_, Result<Option<ChannelInfo>, ChainError>>;
	/// This provider's terms for `model`, or `None` when it has no offer for it.
	fn offer(&self, model: u32) -> BoxFuture<'_, Result<Option<Offer>, ChainError>>;
	/// Submits `settle_batch` signed by the provider and waits until it is finalized.
	fn settle_batch(
		&self,
		batch: Vec<SignedVoucher>,
	) -> BoxFuture<'_, Result<SettleReport, ChainError>>;
}

/// The provider's key, signing extrinsics for subxt.
struct ProviderSigner(sr25519::Pair);

impl subxt::tx::Signer<PolkadotConfig> for ProviderSigner {
	fn account_id(&self) -> subxt::utils::AccountId32 {
		subxt::utils::AccountId32(self.0.public().0)
	}

	fn sign(&self, payload: &[u8]) -> subxt::utils::MultiSignature {
		subxt::utils::MultiSignature::Sr25519(self.0.sign(payload).0)
	}
}

/// The chain through a node's WebSocket RPC. A broken connection is replaced on the next call.
pub struct NodeChain {
	url: String,
	client: Mutex<Option<OnlineClient<PolkadotConfig>>>,
	reconnecting: tokio::sync::Mutex<()>,
	signer: ProviderSigner,
	genesis: H256,
	challenge_period: u32,
	max_settle_batch: usize,
}

impl NodeChain {
	/// Connects to the node at `url` as the provider with key `provider`, and reads the
	/// runtime's constants the gateway depends on.
	pub async fn connect(url: &str, provider: sr25519::Pair) -> Result<Self, ChainError> {
		let client = OnlineClient::<PolkadotConfig>::from_insecure_url(url)
			.await
			.map_err(|e| ChainError(format!("cannot connect to {url}: {e}")))?;
		let at = client.at_current_block().await.map_err(chain_error)?;
		let constant = |name: &str| {
			at.constants()
				.entry(subxt::dynamic::constant::<u32>("InvocationMetering", name))
				.map_err(|e| ChainError(format!("InvocationMetering::{name}: {e}")))
		};
		let challenge_period = constant("ChallengePeriod")?;
		let max_settle_batch = usize::try_from(constant("MaxSettleBatch")?).unwrap_or(usize::MAX);
		let genesis = H256(client.genesis_hash().0);
		Ok(Self {
			url: url.to_string(),
			client: Mutex::new(Some(client)),
			reconnecting: tokio::sync::Mutex::new(()),
			signer: ProviderSigner(provider),
			genesis,
			challenge_period,
			max_settle_batch,
		})
	}

	async fn client(&self) -> Result<OnlineClient<PolkadotConfig>, ChainError> {
		let held = self.client.lock().map_err(chain_error)?.clone();
		if let Some(client) = held {
			return Ok(client);
		}
		// One reconnection at a time: the requests waiting meanwhile take the new connection
		// instead of each opening (and fetching the metadata for) their own.
		let _reconnecting = self.reconnecting.lock().await;
		let held = self.client.lock().map_err(chain_error)?.clone();
		if let Some(client) = held {
			return Ok(client);
		}
		let client = OnlineClient::<PolkadotConfig>::from_insecure_url(&self.url)
			.await
			.map_err(|e| ChainError(format!("cannot reconnect to {}: {e}", self.url)))?;
		*self.client.lock().map_err(chain_error)? = Some(client.clone());
		Ok(client)
	}

	/// Forgets the connection after a failure, so the next call opens a new one.
	fn failed(&self, error: impl ToString) -> ChainError {
		if let Ok(mut client) = self.client.lock() {
			*client = None;
		}
		chain_error(error)
	}

	async fn runtime_call<R: Decode>(
		&self,
		function: &str,
		args: Vec<u8>,
	) -> Result<R, ChainError> {
		let client = self.client().await?;
		let at = client.at_current_block().await.map_err(|e| self.failed(e))?;
		let bytes =
			at.runtime_apis().call_raw(function, Some(&args)).await.map_err(|e| self.failed(e))?;
		R::decode(&mut bytes.as_slice()).map_err(|e| ChainError(format!("{function}: {e}")))
	}

	async fn submit_settle_batch(
		&self,
		batch: Vec<SignedVoucher>,
	) -> Result<SettleReport, ChainError> {
		let client = self.client().await?;
		let at = client.at_current_block().await.map_err(|e| self.failed(e))?;
		let metadata = at.metadata();
		let pallet = metadata
			.pallet_by_name("InvocationMetering")
			.ok_or_else(|| chain_error("the runtime has no InvocationMetering pallet"))?;
		let call = pallet
			.call_variant_by_name("settle_batch")
			.ok_or_else(|| chain_error("the runtime has no InvocationMetering::settle_batch"))?;
		let mut data = vec![pallet.call_index(), call.index];
		batch.encode_to(&mut data);
		// Decoding the call data against the live metadata checks the runtime's types are the
		// ones encoded here before anything is signed.
		let mut transactions = at.transactions();
		let payload = transactions.from_call_data_bytes(&data).map_err(chain_error)?;
		let events = transactions
			.sign_and_submit_then_watch_default(&payload, &self.signer)
			.await
			.map_err(|e| self.failed(e))?
			.wait_for_finalized_success()
			.await
			.map_err(chain_error)?;
		let mut report = SettleReport::default();
		for event in events.iter() {
			let event = event.map_err(chain_error)?;
			if event.pallet_name() != "InvocationMetering" {
				continue;
			}
			let mut fields = event.field_bytes();
			match event.event_name() {
				"ChannelSettled" => {
					let (channel, _model, _version, units) =
						<(u64, u32, u32, u64)>::decode(&mut fields).map_err(chain_error)?;
					report.settled.push((channel, units));
				}
				"SettlementFailed" => {
					let (channel, error) = <(u64, sp_runtime::DispatchError)>::decode(&mut fields)
						.map_err(chain_error)?;
					report.failed.push((channel, describe(&metadata, error)));
				}
				_ => {}
			}
		}
		Ok(report)
	}
}

/// A dispatch error by name (`InvocationMetering::StaleVoucher`) where the metadata knows it.
fn describe(metadata: &subxt::metadata::Metadata, error: sp_runtime::DispatchError) -> String {
	if let sp_runtime::DispatchError::Module(module) = error {
		let named = metadata.pallet_by_error_index(module.index).and_then(|pallet| {
			let variant = pallet.error_variant_by_index(*module.error.first()?)?;
			Some(format!("{}::{}", pallet.name(), variant.name))
		});
		if let Some(name) = named {
			return name;
		}
	}
	format!("{error:?}")
}

impl Chain for NodeChain {
	fn genesis(&self) -> H256 {
		self.genesis
	}

	fn provider(&self) -> AccountId32 {
		AccountId32::from(self.signer.0.public().0)
	}

	fn challenge_period(&self) -> u32 {
		self.challenge_period
	}

	fn max_settle_batch(&self) -> usize {
		self.max_settle_batch
	}

	fn finalized(&self) -> BoxFuture<'_, Result<u32, ChainError>> {
		Box::pin(async move {
			let client = self.client().await?;
			let at = client.at_current_block().await.map_err(|e| self.failed(e))?;
			u32::try_from(at.block_number()).map_err(chain_error)
		})
	}

	fn channel(&self, id: u64) -> BoxFuture<'_, Result<Option<ChannelInfo>, ChainError>> {
		Box::pin(self.runtime_call("MeteringApi_channel", id.encode()))
	}

	fn offer(&self, model: u32) -> BoxFuture<'_, Result<Option<Offer>, ChainError>> {
		Box::pin(async move {
			type Quoted = Result<
				pallet_invocation_metering::runtime_api::VersionQuote<u128>,
				sp_runtime::DispatchError,
			>;
			let args = (model, None::<u32>, 1u64, Some(self.provider())).encode();
			let quoted: Quoted = self.runtime_call("MeteringApi_quote", args).await?;
			Ok(quoted.ok().map(|quoted| Offer {
				version: quoted.version,
				total_per_unit: quoted.quote.total,
				fee_per_unit: quoted.quote.provider_fee,
			}))
		})
	}

	fn settle_batch(
		&self,
		batch: Vec<SignedVoucher>,
	) -> BoxFuture<'_, Result<SettleReport, ChainError>> {
		Box::pin(self.submit_settle_batch(batch))
	}
}
