//! The traits pallets meet through, one per consumer need.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_core::Get;
use sp_runtime::{DispatchResult, Perbill};

use crate::{DatasetId, ModelId, RouteEntry, Shares, Units, VersionNumber};

/// What the model registry checks of the datasets a model declares as training data.
pub trait DatasetInspect {
	/// Whether the dataset exists.
	fn dataset_exists(dataset: DatasetId) -> bool;
	/// The share of a model's royalties a model trained on the dataset must route to it, or
	/// `None` when there is no such dataset.
	fn min_model_share(dataset: DatasetId) -> Option<Perbill>;
}

/// Dataset share pools, as the royalty distribution reads them.
pub trait SharePools<AccountId> {
	/// The dataset's curator, who receives the dataset's revenue while it has no shares.
	fn curator(dataset: DatasetId) -> Option<AccountId>;
	/// All shares minted in the dataset.
	fn total_shares(dataset: DatasetId) -> Shares;
	/// The shares `holder` holds in the dataset.
	fn shares_of(dataset: DatasetId, holder: &AccountId) -> Shares;
}

/// Called before shares are minted, so that whoever tracks per-share rewards (the royalty
/// distribution) can settle what the holder earned with its current shares first: a holder
/// earns only from revenue that arrives after its shares exist.
pub trait OnSharesMinted<AccountId> {
	/// `holder` holds `current` shares of `dataset`, whose pool totals `total`, and is about to
	/// receive `minted` more.
	fn before_mint(
		dataset: DatasetId,
		holder: &AccountId,
		current: Shares,
		total: Shares,
		minted: Shares,
	);

	/// Benchmarks only: puts the hook in its most expensive state for the next mint into
	/// `dataset`, so that the minting calls' benchmarks weigh it at its worst case.
	#[cfg(feature = "runtime-benchmarks")]
	fn prepare_worst_mint(_dataset: DatasetId) {}
}

impl<AccountId> OnSharesMinted<AccountId> for () {
	fn before_mint(_: DatasetId, _: &AccountId, _: Shares, _: Shares, _: Shares) {}
}

/// What an invocation of a model version needs to know, read in one storage access.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct InvocationTerms<AccountId, Balance> {
	/// The version invoked (the latest one when the caller named none).
	pub version: VersionNumber,
	/// Price of one unit.
	pub price_per_unit: Balance,
	/// The model's owner.
	pub owner: AccountId,
	/// Whether the version's license allows commercial use. A version that does not is never
	/// sold: its price is zero, and it is served without a provider fee.
	pub commercial_use: bool,
	/// Whether the version was found infringing by an upheld dispute: it takes no new
	/// invocations or channels (vouchers of channels already open still settle).
	pub infringing: bool,
}

/// The terms model versions are invoked on, for the invocation metering.
pub trait ModelInvocation<AccountId, Balance> {
	/// The terms an invocation of `version` of `model` (the latest version when `None`) is paid
	/// on, or `None` when there is no such version to invoke. Deprecated versions may be
	/// invoked: deprecation only stops new derivatives.
	fn invocation_terms(
		model: ModelId,
		version: Option<VersionNumber>,
	) -> Option<InvocationTerms<AccountId, Balance>>;

	/// The model's current owner, or `None` when there is no such model.
	fn model_owner(model: ModelId) -> Option<AccountId>;
}

/// Flattened royalty routes of model versions, for the royalty distribution.
pub trait RouteProvider<AccountId> {
	/// The longest route a version may have: the one bound both the registry (when it
	/// flattens a lineage) and the distribution (when it walks a route) rely on.
	type MaxRouteLength: Get<u32>;

	/// The version's flattened royalty route: parts summing to exactly 100%, no model entries,
	/// at most `MaxRouteLength` entries; `None` when there is no such version.
	fn route(model: ModelId, version: VersionNumber) -> Option<Vec<RouteEntry<AccountId>>>;

	/// Whether the version's royalties are frozen (a dispute of its lineage opened less than a
	/// timeout ago): revenue accrues, nothing is distributed.
	fn royalties_frozen(_model: ModelId, _version: VersionNumber) -> bool {
		false
	}
}

/// Takes payments for model invocations into the royalty pot, in constant time.
pub trait RoyaltySink<AccountId, Balance> {
	/// Moves `royalty` plus every credit's amount from `payer` into the pot, credits each
	/// `(account, amount)` of `credits` (the provider's fee, the protocol fee) to that account,
	/// and adds `royalty` to the undistributed revenue of `version` of `model`. Either all of it
	/// happens or, when the payer cannot pay, nothing.
	fn accrue(
		payer: &AccountId,
		model: ModelId,
		version: VersionNumber,
		units: Units,
		royalty: Balance,
		credits: &[(AccountId, Balance)],
	) -> DispatchResult;
}
