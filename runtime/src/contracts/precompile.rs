//! The Tributary precompile: contracts quote, pay for and read model invocations, and claim
//! royalties, with the interface in `contracts/ITributary.sol`.
//!
//! Payments and claims are dispatched as the pallets' own calls, signed by `msg.sender`: the
//! split, the checks and the events are exactly a direct `invoke`'s or `claim`'s. Each call first
//! charges its weight (the pallet's benchmarked weight for a dispatch, the database reads for a
//! view), as a precompile is not metered otherwise.

use crate::{
	AllPalletsWithSystem, Balance, InvocationMetering, ModelRegistry, RoyaltyDistribution, Runtime,
	RuntimeCall, RuntimeOrigin,
};
use alloc::{format, string::String, vec::Vec};
use core::num::NonZero;
use frame_support::{dispatch::GetDispatchInfo, traits::PalletsInfoAccess, weights::Weight};
use pallet_invocation_metering::runtime_api::VersionQuote;
use pallet_revive::precompiles::{
	alloy::{
		self,
		primitives::{Address, U256},
		sol_types::{Revert, SolCall},
	},
	AddressMapper, AddressMatcher, Error, Ext, Precompile, RuntimeCosts, H160,
};
use sp_runtime::{traits::Dispatchable, DispatchError};
use tributary_primitives::{Beneficiary, VersionNumber};

alloy::sol!("../contracts/ITributary.sol");

use ITributary::ITributaryCalls;

/// The two bytes that place the precompile at `0x0000000000000000000000000000000074720000`
/// ("tr").
pub const PRECOMPILE_INDEX: u16 = 0x7472;

/// The precompile's address, as `ITributary.sol` declares it.
pub const PRECOMPILE_ADDRESS: H160 = {
	let mut address = [0u8; 20];
	let index = PRECOMPILE_INDEX.to_be_bytes();
	address[16] = index[0];
	address[17] = index[1];
	H160(address)
};

/// The Tributary precompile (see the module docs).
pub struct TributaryPrecompile;

type AccountMapper = <Runtime as pallet_revive::Config>::AddressMapper;

impl Precompile for TributaryPrecompile {
	type T = Runtime;
	type Interface = ITributaryCalls;
	const MATCHER: AddressMatcher = AddressMatcher::Fixed(match NonZero::new(PRECOMPILE_INDEX) {
		Some(index) => index,
		// `PRECOMPILE_INDEX` is a non-zero literal.
		None => NonZero::<u16>::MAX,
	});
	const HAS_CONTRACT_INFO: bool = false;

	fn call(
		_address: &[u8; 20],
		input: &Self::Interface,
		env: &mut impl Ext<T = Runtime>,
	) -> Result<Vec<u8>, Error> {
		// Run in a contract's own frame, `msg.sender` would be the contract's caller.
		if env.is_delegate_call() {
			return Err(Error::try_to_revert::<Runtime>(
				pallet_revive::Error::<Runtime>::PrecompileDelegateDenied.into(),
			));
		}
		// Value sent here would land in an account nobody controls.
		if !env.value_transferred().is_zero() {
			return Err(Revert::from("Tributary::ValueNotAccepted").into());
		}
		match input {
			ITributaryCalls::invoke(_) | ITributaryCalls::claim(_) if env.is_read_only() => {
				Err(Error::Error(pallet_revive::Error::<Runtime>::StateChangeDenied.into()))
			}
			ITributaryCalls::quote(call) => quote(call, env),
			ITributaryCalls::invoke(call) => invoke(call, env),
			ITributaryCalls::route(call) => route(call, env),
			ITributaryCalls::pendingRoyalties(call) => pending_royalties(call, env),
			ITributaryCalls::claim(_) => claim(env),
		}
	}
}

/// `quote`: the four reads of `invoke`'s quote (model, version, infringement, offer), and the
/// provider's address mapping.
fn quote(call: &ITributary::quoteCall, env: &mut impl Ext<T = Runtime>) -> Result<Vec<u8>, Error> {
	env.charge(quote_reads().saturating_add(mapping_read(call.provider)))?;
	let provider = optional_account(call.provider);
	let quoted = quote_now(call.model, call.version, call.units, provider.as_ref())?;
	Ok(ITributary::quoteCall::abi_encode_returns(&ITributary::quoteReturn {
		resolvedVersion: quoted.version,
		royalty: U256::from(quoted.quote.royalty),
		protocolFee: U256::from(quoted.quote.protocol_fee),
		providerFee: U256::from(quoted.quote.provider_fee),
		total: U256::from(quoted.quote.total),
	}))
}

/// `invoke`: `InvocationMetering::invoke` signed by `msg.sender`, after its quote (for the
/// answer; the same reads the call repeats).
fn invoke(
	call: &ITributary::invokeCall,
	env: &mut impl Ext<T = Runtime>,
) -> Result<Vec<u8>, Error> {
	// The provider's address mapping is read to build the call.
	env.charge(mapping_read(call.provider))?;
	let provider = optional_account(call.provider);
	// A limit above any balance is no limit.
	let max_total = u128::try_from(call.maxTotal).unwrap_or(u128::MAX);
	let dispatch = RuntimeCall::InvocationMetering(pallet_invocation_metering::Call::invoke {
		model: call.model,
		version: version(call.version),
		units: call.units,
		provider: provider.clone().map(Into::into),
		max_total,
	});
	let charged =
		env.charge(dispatch.get_dispatch_info().call_weight.saturating_add(quote_reads()))?;
	let payer = caller(env)?;
	let quoted = quote_now(call.model, call.version, call.units, provider.as_ref())?;
	let post = dispatch.dispatch(RuntimeOrigin::signed(payer)).map_err(|e| revert(e.error))?;
	if let Some(actual) = post.actual_weight {
		env.adjust_gas(charged, actual.saturating_add(quote_reads()));
	}
	Ok(ITributary::invokeCall::abi_encode_returns(&ITributary::invokeReturn {
		resolvedVersion: quoted.version,
		total: U256::from(quoted.quote.total),
	}))
}

/// `route`: the reads of the model (for its latest version) and of the route, and an address
/// hashed for each account on it.
fn route(call: &ITributary::routeCall, env: &mut impl Ext<T = Runtime>) -> Result<Vec<u8>, Error> {
	env.charge(reads(2))?;
	let number = match version(call.version) {
		Some(number) => number,
		None => pallet_model_registry::Models::<Runtime>::get(call.model)
			.map(|model| model.latest_version)
			.ok_or_else(|| revert(pallet_model_registry::Error::<Runtime>::UnknownModel.into()))?,
	};
	let route = ModelRegistry::api_route(call.model, number)
		.ok_or_else(|| revert(pallet_model_registry::Error::<Runtime>::UnknownVersion.into()))?;
	let mut parts = Vec::with_capacity(route.len());
	for part in route {
		let (is_dataset, dataset, account) = match part.beneficiary {
			Beneficiary::Dataset(dataset) => (true, dataset, Address::ZERO),
			Beneficiary::Account(account) => {
				env.frame_meter_mut().charge_weight_token(RuntimeCosts::HashKeccak256(32))?;
				(false, 0, Address::from(AccountMapper::to_address(&account).0))
			}
		};
		parts.push(ITributary::RoutePart {
			isDataset: is_dataset,
			dataset,
			account,
			partsPerBillion: part.parts.deconstruct(),
		});
	}
	Ok(ITributary::routeCall::abi_encode_returns(&parts))
}

/// `pendingRoyalties`: the reads of the address's mapping and of the account's credits.
fn pending_royalties(
	call: &ITributary::pendingRoyaltiesCall,
	env: &mut impl Ext<T = Runtime>,
) -> Result<Vec<u8>, Error> {
	env.charge(reads(2))?;
	let account = AccountMapper::to_account_id(&H160(call.account.into_array()));
	let credits = RoyaltyDistribution::claimable_credits(&account);
	Ok(ITributary::pendingRoyaltiesCall::abi_encode_returns(&U256::from(credits)))
}

/// `claim`: `RoyaltyDistribution::claim` signed by `msg.sender`, after a read of what it pays.
fn claim(env: &mut impl Ext<T = Runtime>) -> Result<Vec<u8>, Error> {
	let dispatch = RuntimeCall::RoyaltyDistribution(pallet_royalty_distribution::Call::claim {});
	let charged = env.charge(dispatch.get_dispatch_info().call_weight.saturating_add(reads(1)))?;
	let claimer = caller(env)?;
	let credits = RoyaltyDistribution::claimable_credits(&claimer);
	let post = dispatch.dispatch(RuntimeOrigin::signed(claimer)).map_err(|e| revert(e.error))?;
	if let Some(actual) = post.actual_weight {
		env.adjust_gas(charged, actual.saturating_add(reads(1)));
	}
	Ok(ITributary::claimCall::abi_encode_returns(&U256::from(credits)))
}

/// What `invoke` charges now for `units` of `model`'s `version` (0: the latest) served by
/// `provider`, or the error it fails with.
fn quote_now(
	model: u32,
	version_or_latest: u32,
	units: u64,
	provider: Option<&crate::AccountId>,
) -> Result<VersionQuote<Balance>, Error> {
	InvocationMetering::api_quote(model, version(version_or_latest), units, provider)
		.map_err(revert)
}

/// The account that pays and claims: `msg.sender`. Root (a call from `sudo`) has no balance.
fn caller(env: &mut impl Ext<T = Runtime>) -> Result<crate::AccountId, Error> {
	env.caller().account_id().cloned().map_err(|_| Revert::from("Tributary::RootCaller").into())
}

/// `address(0)` is "no provider"; any other address is the account it maps to.
fn optional_account(address: Address) -> Option<crate::AccountId> {
	(address != Address::ZERO).then(|| AccountMapper::to_account_id(&H160(address.into_array())))
}

/// Version 0 is "the latest": versions are numbered from 1.
fn version(version: u32) -> Option<VersionNumber> {
	(version != 0).then_some(version)
}

fn reads(count: u64) -> Weight {
	<Runtime as frame_system::Config>::DbWeight::get().reads(count)
}

fn quote_reads() -> Weight {
	reads(4)
}

/// Resolving a provider's address reads its mapping (`Revive::OriginalAccount`); none for
/// `address(0)`.
fn mapping_read(provider: Address) -> Weight {
	if provider == Address::ZERO {
		Weight::zero()
	} else {
		reads(1)
	}
}

/// A failed dispatch as a Solidity revert naming the error: "Pallet::Error" for a pallet's,
/// the error's description otherwise (e.g. "Funds are unavailable").
fn revert(error: DispatchError) -> Error {
	let reason: String = match error {
		DispatchError::Module(module) => {
			let pallet = AllPalletsWithSystem::infos()
				.into_iter()
				.find(|info| info.index == usize::from(module.index))
				.map_or("Unknown", |info| info.name);
			format!("{pallet}::{}", module.message.unwrap_or("Unknown"))
		}
		other => String::from(<&'static str>::from(other)),
	};
	Revert::from(reason).into()
}
