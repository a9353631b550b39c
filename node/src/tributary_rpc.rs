//! The `tributary_*` RPC methods: what a client needs about royalties, models, prices, channels
//! and dataset shares, read through the runtime APIs at the best block or any block given.
//!
//! Balances are decimal strings (they exceed JSON's safe integers); accounts are SS58.
//! Unknown ids are JSON-RPC errors with code 4004; a quote or voucher the runtime would refuse
//! is an error with code 4000 and the pallet error's name as message.

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use pallet_data_contribution::runtime_api::DataContributionApi;
use pallet_invocation_metering::{runtime_api::MeteringApi, Quote};
use pallet_model_registry::{runtime_api::ModelRegistryApi, Beneficiary};
use pallet_royalty_distribution::runtime_api::RoyaltyApi;
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use tributary_runtime::{AccountId, Balance, BlockNumber};

/// Code of the error for an id that names nothing.
pub const UNKNOWN: i32 = 4004;
/// Code of the error for a quote or voucher the runtime refuses.
pub const REFUSED: i32 = 4000;
/// Code of the error for a runtime API call that failed.
pub const RUNTIME_ERROR: i32 = 5000;

#[rpc(server)]
pub trait TributaryApi<BlockHash> {
	/// What an account may claim now: credits, per dataset pool, and the total.
	#[method(name = "tributary_pendingRoyalties")]
	fn pending_royalties(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<Value>;

	/// A model version's flattened royalty route.
	#[method(name = "tributary_route")]
	fn route(&self, model: u32, version: u32, at: Option<BlockHash>) -> RpcResult<Value>;

	/// A model version's lineage: owner share, datasets and parents.
	#[method(name = "tributary_lineage")]
	fn lineage(&self, model: u32, version: u32, at: Option<BlockHash>) -> RpcResult<Value>;

	/// A model version's revenue awaiting distribution.
	#[method(name = "tributary_undistributed")]
	fn undistributed(&self, model: u32, version: u32, at: Option<BlockHash>) -> RpcResult<Value>;

	/// The price of invoking a model version for some units through a provider, by component.
	#[method(name = "tributary_quote")]
	fn quote(
		&self,
		model: u32,
		version: Option<u32>,
		units: u64,
		provider: Option<AccountId>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// A model's usage counters.
	#[method(name = "tributary_usage")]
	fn usage(&self, model: u32, at: Option<BlockHash>) -> RpcResult<Value>;

	/// An open payment channel's state.
	#[method(name = "tributary_channel")]
	fn channel(&self, channel: u64, at: Option<BlockHash>) -> RpcResult<Value>;

	/// What settling a voucher for `cumulative_units` on a channel would pay now.
	#[method(name = "tributary_voucherValue")]
	fn voucher_value(
		&self,
		channel: u64,
		cumulative_units: u64,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;

	/// A dataset's share total and, when a holder is given, its shares.
	#[method(name = "tributary_shares")]
	fn shares(
		&self,
		dataset: u32,
		holder: Option<AccountId>,
		at: Option<BlockHash>,
	) -> RpcResult<Value>;
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

fn amount(value: Balance) -> Value {
	Value::String(value.to_string())
}

fn quote_json(quote: &Quote<Balance>) -> Value {
	json!({
		"royalty": amount(quote.royalty),
		"protocolFee": amount(quote.protocol_fee),
		"providerFee": amount(quote.provider_fee),
		"total": amount(quote.total),
	})
}

fn unknown_version(model: u32, version: u32) -> ErrorObjectOwned {
	error(UNKNOWN, format!("no version {version} of model {model}"))
}

fn refused(name: Vec<u8>) -> ErrorObjectOwned {
	error(REFUSED, String::from_utf8_lossy(&name).into_owned())
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
	fn pending_royalties(&self, who: AccountId, at: Option<B::Hash>) -> RpcResult<Value> {
		let pending =
			self.client.runtime_api().pending_royalties(self.at(at), who).map_err(runtime_error)?;
		let pools: Vec<Value> = pending
			.pools
			.iter()
			.map(|(dataset, value)| json!({ "dataset": dataset, "amount": amount(*value) }))
			.collect();
		Ok(json!({
			"credits": amount(pending.credits),
			"pools": pools,
			"total": amount(pending.total),
		}))
	}

	fn route(&self, model: u32, version: u32, at: Option<B::Hash>) -> RpcResult<Value> {
		let route = self
			.client
			.runtime_api()
			.route(self.at(at), model, version)
			.map_err(runtime_error)?
			.ok_or_else(|| unknown_version(model, version))?;
		Ok(Value::Array(
			route
				.into_iter()
				.map(|(beneficiary, part)| {
					let parts = part.deconstruct();
					match beneficiary {
						Beneficiary::Account(account) => {
							json!({ "account": account.to_string(), "parts": parts })
						}
						Beneficiary::Dataset(dataset) => {
							json!({ "dataset": dataset, "parts": parts })
						}
					}
				})
				.collect(),
		))
	}

	fn lineage(&self, model: u32, version: u32, at: Option<B::Hash>) -> RpcResult<Value> {
		let lineage = self
			.client
			.runtime_api()
			.lineage(self.at(at), model, version)
			.map_err(runtime_error)?
			.ok_or_else(|| unknown_version(model, version))?;
		let datasets: Vec<Value> = lineage
			.datasets
			.iter()
			.map(|(dataset, share)| json!({ "dataset": dataset, "parts": share.deconstruct() }))
			.collect();
		let parents: Vec<Value> = lineage
			.parents
			.iter()
			.map(|(parent, share)| {
				json!({ "model": parent.model, "version": parent.version, "parts": share.deconstruct() })
			})
			.collect();
		Ok(json!({
			"ownerShare": lineage.owner_share.deconstruct(),
			"datasets": datasets,
			"parents": parents,
		}))
	}

	fn undistributed(&self, model: u32, version: u32, at: Option<B::Hash>) -> RpcResult<Value> {
		let at = self.at(at);
		let api = self.client.runtime_api();
		if api.route(at, model, version).map_err(runtime_error)?.is_none() {
			return Err(unknown_version(model, version));
		}
		Ok(amount(api.undistributed(at, model, version).map_err(runtime_error)?))
	}

	fn quote(
		&self,
		model: u32,
		version: Option<u32>,
		units: u64,
		provider: Option<AccountId>,
		at: Option<B::Hash>,
	) -> RpcResult<Value> {
		let (version, quote) = self
			.client
			.runtime_api()
			.quote(self.at(at), model, version, units, provider)
			.map_err(runtime_error)?
			.map_err(refused)?;
		let mut value = quote_json(&quote);
		value["version"] = json!(version);
		Ok(value)
	}

	fn usage(&self, model: u32, at: Option<B::Hash>) -> RpcResult<Value> {
		let usage = self.client.runtime_api().usage(self.at(at), model).map_err(runtime_error)?;
		Ok(json!({
			"invocations": usage.invocations,
			"units": usage.units.to_string(),
			"revenue": amount(usage.revenue),
		}))
	}

	fn channel(&self, channel: u64, at: Option<B::Hash>) -> RpcResult<Value> {
		let info = self
			.client
			.runtime_api()
			.channel(self.at(at), channel)
			.map_err(runtime_error)?
			.ok_or_else(|| error(UNKNOWN, format!("no open channel {channel}")))?;
		Ok(json!({
			"consumer": info.consumer.to_string(),
			"provider": info.provider.to_string(),
			"model": info.model,
			"version": info.version,
			"pricePerUnit": amount(info.price_per_unit),
			"feePerUnit": amount(info.fee_per_unit),
			"deposit": amount(info.deposit),
			"settledUnits": info.settled_units,
			"expiresAt": info.expires_at,
			"closesAt": info.closes_at,
		}))
	}

	fn voucher_value(
		&self,
		channel: u64,
		cumulative_units: u64,
		at: Option<B::Hash>,
	) -> RpcResult<Value> {
		let quote = self
			.client
			.runtime_api()
			.voucher_value(self.at(at), channel, cumulative_units)
			.map_err(runtime_error)?
			.map_err(refused)?;
		Ok(quote_json(&quote))
	}

	fn shares(
		&self,
		dataset: u32,
		holder: Option<AccountId>,
		at: Option<B::Hash>,
	) -> RpcResult<Value> {
		let at = self.at(at);
		let api = self.client.runtime_api();
		let total = api
			.total_shares(at, dataset)
			.map_err(runtime_error)?
			.ok_or_else(|| error(UNKNOWN, format!("no dataset {dataset}")))?;
		let held = match holder {
			Some(holder) => Some(api.shares_of(at, dataset, holder).map_err(runtime_error)?),
			None => None,
		};
		Ok(json!({ "total": total.to_string(), "holder": held.map(|s| s.to_string()) }))
	}
}
