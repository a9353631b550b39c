//! The `tributary_*` RPC methods: what a client needs about royalties, models, prices, channels
//! and dataset shares, read through the runtime APIs at the best block or any block given.
//!
//! For clients that cannot call runtime APIs with the metadata's types. Every answer is the
//! runtime API's own type serialised by serde, so one rule holds for every method: amounts
//! (balances, shares, units and counts, which exceed JSON's exact integers) are decimal
//! strings; ids, version numbers, block numbers and parts per billion are numbers; accounts
//! are SS58.
//!
//! Errors: an id that names nothing (a model, version, dataset or channel) is code 4004 in
//! every method; a request the runtime refuses is code 4000 with the pallet error's name as
//! message (e.g. `NoOffer`, `StaleVoucher`).

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_data_contribution::runtime_api::DataContributionApi;
use pallet_invocation_metering::{
	runtime_api::{ChannelInfo, MeteringApi, VersionQuote},
	ModelUsage, Quote,
};
use pallet_model_registry::runtime_api::{LineageInfo, ModelRegistryApi, RoutePart};
use pallet_royalty_distribution::runtime_api::{PendingRoyalties, RoyaltyApi};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::{traits::Block as BlockT, DispatchError};
use tributary_primitives::{ChannelId, DatasetId, ModelId, Shares, Units, VersionNumber};
use tributary_runtime::{AccountId, Balance, BlockNumber, RuntimeError};

/// Code of the error for an id that names nothing.
pub const UNKNOWN: i32 = 4004;
/// Code of the error for a request the runtime refuses.
pub const REFUSED: i32 = 4000;
/// Code of the error for a runtime API call that failed.
pub const RUNTIME_ERROR: i32 = 5000;

/// A dataset's shares: its total and, when a holder was named, the holder's.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct SharesInfo {
	/// All shares minted in the dataset.
	#[serde(serialize_with = "tributary_primitives::json::decimal")]
	pub total: Shares,
	/// The holder's shares, when one was named.
	#[serde(serialize_with = "optional_decimal")]
	pub holder: Option<Shares>,
}

fn optional_decimal<S: serde::Serializer>(
	value: &Option<Shares>,
	serializer: S,
) -> Result<S::Ok, S::Error> {
	match value {
		Some(value) => serializer.collect_str(value),
		None => serializer.serialize_none(),
	}
}

/// A version's undistributed revenue, as a decimal string.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(transparent)]
pub struct Amount(#[serde(serialize_with = "tributary_primitives::json::decimal")] pub Balance);

#[rpc(server)]
pub trait TributaryApi<BlockHash> {
	/// What an account may claim now: credits, per dataset pool, and the total.
	#[method(name = "tributary_pendingRoyalties")]
	fn pending_royalties(
		&self,
		who: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<PendingRoyalties<Balance>>;

	/// A model version's flattened royalty route.
	#[method(name = "tributary_route")]
	fn route(
		&self,
		model: ModelId,
		version: VersionNumber,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<RoutePart<AccountId>>>;

	/// A model version's lineage: owner share, datasets and parents.
	#[method(name = "tributary_lineage")]
	fn lineage(
		&self,
		model: ModelId,
		version: VersionNumber,
		at: Option<BlockHash>,
	) -> RpcResult<LineageInfo>;

	/// A model version's revenue awaiting distribution.
	#[method(name = "tributary_undistributed")]
	fn undistributed(
		&self,
		model: ModelId,
		version: VersionNumber,
		at: Option<BlockHash>,
	) -> RpcResult<Amount>;

	/// The price of invoking a model version for some units through a provider, by component.
	#[method(name = "tributary_quote")]
	fn quote(
		&self,
		model: ModelId,
		version: Option<VersionNumber>,
		units: Units,
		provider: Option<AccountId>,
		at: Option<BlockHash>,
	) -> RpcResult<VersionQuote<Balance>>;

	/// A model's usage counters.
	#[method(name = "tributary_usage")]
	fn usage(&self, model: ModelId, at: Option<BlockHash>) -> RpcResult<ModelUsage<Balance>>;

	/// An open payment channel's state.
	#[method(name = "tributary_channel")]
	fn channel(
		&self,
		channel: ChannelId,
		at: Option<BlockHash>,
	) -> RpcResult<ChannelInfo<AccountId, Balance, BlockNumber, BlockHash>>;

	/// What settling a voucher for `cumulative_units` on a channel would pay now.
	#[method(name = "tributary_voucherValue")]
	fn voucher_value(
		&self,
		channel: ChannelId,
		cumulative_units: Units,
		at: Option<BlockHash>,
	) -> RpcResult<Quote<Balance>>;

	/// A dataset's share total and, when a holder is given, its shares.
	#[method(name = "tributary_shares")]
	fn shares(
		&self,
		dataset: DatasetId,
		holder: Option<AccountId>,
		at: Option<BlockHash>,
	) -> RpcResult<SharesInfo>;
}

/// The `tributary_*` RPC handler.
pub struct Tributary<C, B> {
	client: Arc<C>,
	_block: std::marker::PhantomData<B>,
}

impl<C, B> Tributary<C, B> {
	/// A handler reading through `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: Default::default() }
	}
}

fn error(code: i32, message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObject::owned(code, message.into(), None::<()>)
}

fn runtime_error(e: impl std::fmt::Debug) -> ErrorObjectOwned {
	error(RUNTIME_ERROR, format!("runtime API call failed: {e:?}"))
}

fn unknown_version(model: ModelId, version: VersionNumber) -> ErrorObjectOwned {
	error(UNKNOWN, format!("no version {version} of model {model}"))
}

/// A refusal as a JSON-RPC error: an unknown model, version or channel is `UNKNOWN` like in
/// every other method; anything else `REFUSED`, named after the pallet error.
fn refused(error_in_runtime: DispatchError) -> ErrorObjectOwned {
	use pallet_invocation_metering::Error as Metering;
	match RuntimeError::from_dispatch_error(error_in_runtime) {
		Some(RuntimeError::InvocationMetering(Metering::NotInvocable)) => {
			error(UNKNOWN, "no such model version")
		}
		Some(RuntimeError::InvocationMetering(Metering::UnknownChannel)) => {
			error(UNKNOWN, "no such channel")
		}
		Some(RuntimeError::InvocationMetering(e)) => error(REFUSED, e.as_str()),
		_ => error(REFUSED, <&'static str>::from(error_in_runtime)),
	}
}

impl<C, B> Tributary<C, B>
where
	B: BlockT,
	C: HeaderBackend<B>,
{
	fn at(&self, at: Option<B::Hash>) -> B::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C, B> TributaryApiServer<B::Hash> for Tributary<C, B>
where
	B: BlockT,
	C: ProvideRuntimeApi<B> + HeaderBackend<B> + Send + Sync + 'static,
	C::Api: DataContributionApi<B, AccountId>
		+ ModelRegistryApi<B, AccountId>
		+ RoyaltyApi<B, AccountId, Balance>
		+ MeteringApi<B, AccountId, Balance, BlockNumber>,
{
	fn pending_royalties(
		&self,
		who: AccountId,
		at: Option<B::Hash>,
	) -> RpcResult<PendingRoyalties<Balance>> {
		self.client.runtime_api().pending_royalties(self.at(at), who).map_err(runtime_error)
	}

	fn route(
		&self,
		model: ModelId,
		version: VersionNumber,
		at: Option<B::Hash>,
	) -> RpcResult<Vec<RoutePart<AccountId>>> {
		self.client
			.runtime_api()
			.route(self.at(at), model, version)
			.map_err(runtime_error)?
			.ok_or_else(|| unknown_version(model, version))
	}

	fn lineage(
		&self,
		model: ModelId,
		version: VersionNumber,
		at: Option<B::Hash>,
	) -> RpcResult<LineageInfo> {
		self.client
			.runtime_api()
			.lineage(self.at(at), model, version)
			.map_err(runtime_error)?
			.ok_or_else(|| unknown_version(model, version))
	}

	fn undistributed(
		&self,
		model: ModelId,
		version: VersionNumber,
		at: Option<B::Hash>,
	) -> RpcResult<Amount> {
		self.client
			.runtime_api()
			.undistributed(self.at(at), model, version)
			.map_err(runtime_error)?
			.map(Amount)
			.ok_or_else(|| unknown_version(model, version))
	}

	fn quote(
		&self,
		model: ModelId,
		version: Option<VersionNumber>,
		units: Units,
		provider: Option<AccountId>,
		at: Option<B::Hash>,
	) -> RpcResult<VersionQuote<Balance>> {
		self.client
			.runtime_api()
			.quote(self.at(at), model, version, units, provider)
			.map_err(runtime_error)?
			.map_err(refused)
	}

	fn usage(&self, model: ModelId, at: Option<B::Hash>) -> RpcResult<ModelUsage<Balance>> {
		self.client
			.runtime_api()
			.usage(self.at(at), model)
			.map_err(runtime_error)?
			.ok_or_else(|| error(UNKNOWN, format!("no model {model}")))
	}

	fn channel(
		&self,
		channel: ChannelId,
		at: Option<B::Hash>,
	) -> RpcResult<ChannelInfo<AccountId, Balance, BlockNumber, B::Hash>> {
		self.client
			.runtime_api()
			.channel(self.at(at), channel)
			.map_err(runtime_error)?
			.ok_or_else(|| error(UNKNOWN, format!("no open channel {channel}")))
	}

	fn voucher_value(
		&self,
		channel: ChannelId,
		cumulative_units: Units,
		at: Option<B::Hash>,
	) -> RpcResult<Quote<Balance>> {
		self.client
			.runtime_api()
			.voucher_value(self.at(at), channel, cumulative_units)
			.map_err(runtime_error)?
			.map_err(refused)
	}

	fn shares(
		&self,
		dataset: DatasetId,
		holder: Option<AccountId>,
		at: Option<B::Hash>,
	) -> RpcResult<SharesInfo> {
		let at = self.at(at);
		let api = self.client.runtime_api();
		let unknown = || error(UNKNOWN, format!("no dataset {dataset}"));
		let total = api.total_shares(at, dataset).map_err(runtime_error)?.ok_or_else(unknown)?;
		let holder = match holder {
			Some(holder) => Some(
				api.shares_of(at, dataset, holder).map_err(runtime_error)?.ok_or_else(unknown)?,
			),
			None => None,
		};
		Ok(SharesInfo { total, holder })
	}
}
