//! # Model registry
//!
//! Models, their versions and licenses, their lineage, and the royalty route every payment for
//! a version follows.
//!
//! - Anyone may **register** a model: its first version names the datasets it was trained on
//!   and the parent versions it derives from (one for a fine-tune, several for a composition),
//!   each with a share of the royalties, plus the owner's own share; the shares add up to 100%.
//!   Each dataset receives at least its `min_model_share`, each parent at least the
//!   `min_upstream_share` of its license. Deriving needs nobody's permission: a license either
//!   allows derivatives on those terms or forbids them.
//! - At publication the lineage is **flattened** into a route of `(Beneficiary, Perbill)`:
//!   each parent's share is replaced by the parent's own route scaled by that share, equal
//!   beneficiaries are merged and the rounding remainder goes to the owner. A route holds only
//!   accounts and dataset pools, so paying it costs the same at any lineage depth. A version's
//!   lineage never changes, nor its route, unless a dispute of its lineage is upheld; a route
//!   longer than `MaxRouteLength` is refused, never truncated.
//! - Anyone may **dispute** a version's lineage (a hidden dataset or parent, copied weights)
//!   with a bond; the version's royalties freeze until `DisputeOrigin` rules, for at most
//!   `DisputeTimeout` from the version's first open dispute. Upheld, the
//!   version is infringing (no new invocations or channels), a share of its revenue goes to the
//!   wronged party through a corrective route, and its deposit to the claimant; rejected, the
//!   bond goes to the treasury; unruled, the dispute lapses after `DisputeTimeout`.
//! - The owner publishes new versions (new terms, going forward), changes prices and metadata,
//!   deprecates versions (no new derivatives; invocations continue) and hands the model over
//!   (the new owner accepts and takes over the deposits).
//!
//! Every record is backed by a deposit held from the owner under [`HoldReason`]; prices are
//! offered to the metering through the primitives' `ModelInvocation`, and routes to the
//! distribution through `RouteProvider`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod api;
mod dispatchables;
mod disputes;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
pub mod route;
pub mod runtime_api;
mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod dispute_tests;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod royalty_evasion_tests;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
pub use traits::BenchmarkHelper;
pub use types::*;
pub use weights::WeightInfo;

// FRAME's storage, error and pallet macros expand to code that calls `expect`; the pallet's own
// logic lives in `dispatchables.rs`, `route.rs`, `api.rs` and `invariants.rs`, where the
// workspace's no-panic lints apply in full.
#[allow(clippy::expect_used, clippy::unwrap_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::StaticLookup, Perbill};
	use tributary_primitives::DatasetInspect;

	/// Lookup of an account from a call argument.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An owner's deposit for a model record and its version records.
		#[codec(index = 0)]
		ModelDeposit,
		/// A claimant's bond for an open dispute of a version's lineage.
		#[codec(index = 1)]
		DisputeBond,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The datasets models are trained on, with their required shares.
		type Datasets: DatasetInspect;

		/// Deposit held from an owner per model record.
		#[pallet::constant]
		type ModelDeposit: Get<BalanceOf<Self>>;
		/// Deposit held from an owner per version record, on top of the per-byte part.
		#[pallet::constant]
		type VersionDepositBase: Get<BalanceOf<Self>>;
		/// Deposit held per byte of a version record (its route and lineage vary in length).
		#[pallet::constant]
		type VersionDepositPerByte: Get<BalanceOf<Self>>;

		/// Longest model name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;
		/// Longest version label, in bytes.
		#[pallet::constant]
		type MaxVersionLabelLength: Get<u32>;
		/// Most datasets in a version's lineage.
		#[pallet::constant]
		type MaxDatasets: Get<u32>;
		/// Most parents in a version's lineage.
		#[pallet::constant]
		type MaxParents: Get<u32>;
		/// Most entries in a flattened royalty route. Paying a route costs one credit per entry,
		/// so this bounds the cost of distributing a version's revenue.
		#[pallet::constant]
		type MaxRouteLength: Get<u32>;
		/// Most versions of one model.
		#[pallet::constant]
		type MaxVersions: Get<u32>;

		/// Who rules on disputes of a version's lineage (root in the dev runtime; a collective
		/// where governance exists).
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The bond a claimant puts up to open a dispute; lost to the treasury when the dispute
		/// is rejected.
		#[pallet::constant]
		type DisputeBond: Get<BalanceOf<Self>>;

		/// Most disputes open on one version at once.
		#[pallet::constant]
		type MaxOpenDisputes: Get<u32>;

		/// How long a dispute waits for a ruling before it may lapse (its bond returned); also
		/// the longest a version's royalties stay frozen, counted from its first open dispute.
		#[pallet::constant]
		type DisputeTimeout: Get<BlockNumberFor<Self>>;

		/// Where rejected disputes' bonds go.
		type Treasury: Get<Self::AccountId>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates datasets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// The id the next model receives.
	#[pallet::storage]
	pub type NextModelId<T> = StorageValue<_, ModelId, ValueQuery>;

	/// Models by id.
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Blake2_128Concat, ModelId, Model<T>>;

	/// Model versions: `(model, version) -> version`, with its terms and lineage.
	#[pallet::storage]
	pub type Versions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ModelId,
		Twox64Concat,
		VersionNumber,
		ModelVersion<T>,
	>;

	/// Flattened royalty routes: `(model, version) -> route`. Kept apart from the version so
	/// that reading a version's price costs the same whatever the length of its route.
	#[pallet::storage]
	pub type Routes<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Twox64Concat, VersionNumber, Route<T>>;

	/// The id the next dispute takes.
	#[pallet::storage]
	pub type NextDisputeId<T> = StorageValue<_, DisputeId, ValueQuery>;

	/// Open disputes of versions' lineages.
	#[pallet::storage]
	pub type Disputes<T: Config> = StorageMap<_, Twox64Concat, DisputeId, Dispute<T>>;

	/// The disputes open on each version: until their `frozen_until` the version's royalties
	/// are frozen (revenue accrues, nothing is distributed).
	#[pallet::storage]
	pub type VersionDisputes<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ModelId,
		Twox64Concat,
		VersionNumber,
		OpenDisputes<T>,
	>;

	/// Versions found infringing: no new invocations or channels, and their revenue follows a
	/// corrective route that includes the wronged party.
	#[pallet::storage]
	pub type Infringements<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ModelId,
		Twox64Concat,
		VersionNumber,
		Infringement<T>,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A model was registered; its first version is announced by `VersionPublished`.
		ModelRegistered {
			/// The new model's id.
			model: ModelId,
			/// Its owner, from whom the deposits are held.
			owner: T::AccountId,
			/// What kind of data the model works on.
			modality: Modality,
		},
		/// A version was published with its flattened route.
		VersionPublished {
			/// The model.
			model: ModelId,
			/// The new version's number (1 for a model's first version).
			version: VersionNumber,
			/// What an invocation of the version pays per unit, provider fees aside.
			price_per_unit: BalanceOf<T>,
			/// Entries in the version's flattened royalty route.
			route_length: u32,
			/// Deposit held from the owner for the version's record and route.
			deposit: BalanceOf<T>,
		},
		/// A version's price changed.
		PriceUpdated {
			/// The model.
			model: ModelId,
			/// The version.
			version: VersionNumber,
			/// The new price per unit, paid by invocations from now on.
			price_per_unit: BalanceOf<T>,
		},
		/// A model's metadata was replaced.
		MetadataUpdated {
			/// The model.
			model: ModelId,
		},
		/// A version stopped taking new derivatives.
		VersionDeprecated {
			/// The model.
			model: ModelId,
			/// The version deprecated; it can still be invoked.
			version: VersionNumber,
		},
		/// The owner offered the model to another account (or withdrew the offer).
		OwnershipOffered {
			/// The model.
			model: ModelId,
			/// The account that may accept the model, or `None` when the offer was withdrawn.
			to: Option<T::AccountId>,
			/// The model's revision, which `accept_ownership` names.
			revision: u32,
		},
		/// A version's lineage was disputed; its royalties are frozen until the ruling or, at
		/// the latest, `DisputeTimeout` after the version's first open dispute.
		DisputeOpened {
			/// The dispute.
			dispute: DisputeId,
			/// The model disputed.
			model: ModelId,
			/// The version disputed.
			version: VersionNumber,
			/// Who opened it.
			claimant: T::AccountId,
			/// What it claims.
			claim: DisputeClaim,
			/// Hash of the evidence.
			evidence: ContentHash,
			/// The bond held from the claimant.
			bond: BalanceOf<T>,
		},
		/// A dispute was upheld: the version is infringing, its revenue follows a corrective
		/// route, and the owner's version deposit went to the claimant.
		DisputeUpheld {
			/// The dispute.
			dispute: DisputeId,
			/// The model.
			model: ModelId,
			/// The version, infringing from now on.
			version: VersionNumber,
			/// Who its revenue now partly goes to.
			wronged: Beneficiary<T::AccountId>,
			/// The part of every payment redirected to the wronged party.
			share: Perbill,
			/// The version deposit moved from the owner to the claimant.
			slashed: BalanceOf<T>,
		},
		/// A dispute was rejected: the claimant's bond went to the treasury.
		DisputeRejected {
			/// The dispute.
			dispute: DisputeId,
			/// The bond lost.
			slashed: BalanceOf<T>,
		},
		/// A dispute nobody ruled on lapsed: its bond was returned.
		DisputeLapsed {
			/// The dispute.
			dispute: DisputeId,
		},
		/// Another dispute of the same version was upheld first: this one closed, its bond
		/// returned.
		DisputeSuperseded {
			/// The dispute.
			dispute: DisputeId,
		},
		/// The model and its deposits moved to a new owner.
		OwnershipTransferred {
			/// The model.
			model: ModelId,
			/// The previous owner, whose deposits were released.
			from: T::AccountId,
			/// The new owner, from whom the deposits are now held.
			to: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No model has this id.
		UnknownModel,
		/// The model has no such version.
		UnknownVersion,
		/// A dataset named in the lineage does not exist.
		UnknownDataset,
		/// A parent named in the lineage does not exist.
		UnknownParent,
		/// Only the model's owner may do this.
		NotOwner,
		/// Only the account offered the model may accept it.
		NotPendingOwner,
		/// The owner's, the datasets' and the parents' shares do not add up to exactly 100%.
		SharesNotWhole,
		/// A dataset appears twice in the lineage.
		DuplicateDataset,
		/// A parent version appears twice in the lineage.
		DuplicateParent,
		/// A dataset is given less than its `min_model_share`.
		DatasetShareTooLow,
		/// A parent is given less than its license's `min_upstream_share`.
		ParentShareTooLow,
		/// A parent's license forbids derivatives.
		DerivativesForbidden,
		/// A parent's license forbids commercial use, and the new version allows it.
		CommercialUseForbidden,
		/// A parent version is deprecated and takes no new derivatives.
		ParentDeprecated,
		/// A version may not descend from its own model: the lineage would form a cycle.
		CyclicLineage,
		/// The flattened route would have more than `MaxRouteLength` entries.
		RouteTooLong,
		/// The model has as many versions as allowed.
		TooManyVersions,
		/// The version is already deprecated.
		AlreadyDeprecated,
		/// The caller already owns the model.
		AlreadyOwner,
		/// The deposit exceeds the caller's free balance.
		InsufficientFunds,
		/// A counter that cannot be exhausted in practice was exhausted.
		CounterOverflow,
		/// The name is longer than `MaxNameLength` bytes.
		NameTooLong,
		/// A license lets derivatives give the version less than its own upstream demands
		/// (the datasets' `min_model_share` plus the parents' `min_upstream_share`).
		UpstreamShareBelowLineage,
		/// A version licensed for non-commercial use only cannot have a price.
		NonCommercialPriced,
		/// The model changed after the revision the caller accepts.
		OfferChanged,
		/// The price per unit is below the version's `price_floor`: a parent would receive less
		/// than its license's `min_royalty_per_unit`.
		PriceBelowRoyaltyFloor,
		/// A license lets derivatives pay the version less per unit than one unit of it owes its
		/// own parents (its `price_floor`).
		RoyaltyBelowLineage,
		/// The version label is longer than `MaxVersionLabelLength` bytes.
		LabelTooLong,
		/// The lineage names more than `MaxDatasets` datasets.
		TooManyDatasets,
		/// The lineage names more than `MaxParents` parents.
		TooManyParents,
		/// No open dispute has this id.
		UnknownDispute,
		/// The version already has `MaxOpenDisputes` open disputes.
		TooManyDisputes,
		/// The version was already found infringing.
		AlreadyInfringing,
		/// The claim names what the lineage already declares (or the version's own model).
		ClaimMatchesLineage,
		/// The dispute has not waited `DisputeTimeout` yet.
		DisputeNotExpired,
		/// An upheld dispute redirects a part of the revenue that is zero.
		ZeroShare,
		/// A parent version was found infringing and takes no new derivatives.
		ParentInfringing,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxRouteLength::get() >= 1, "a route holds at least its owner");
			assert!(T::MaxVersions::get() >= 1, "a model has at least one version");
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register a model with its first version, holding `ModelDeposit` and the version's
		/// deposit from the caller, who becomes its owner. Needs nobody's permission: every
		/// parent's license allows derivatives, or the call fails.
		///
		/// - `origin`: signed; the owner.
		/// - `name`, `modality`: descriptive metadata; `name` at most `MaxNameLength` bytes
		///   (`NameTooLong`).
		/// - `spec`: the first version: label, artifact hash, price per unit, license, owner's
		///   share and lineage (datasets and parent versions with their shares). The shares add
		///   up to exactly 100%; each dataset gets at least its `min_model_share`, each parent at
		///   least its `min_upstream_share`. At most `MaxVersionLabelLength` bytes of label
		///   (`LabelTooLong`), `MaxDatasets` datasets (`TooManyDatasets`) and `MaxParents` parents
		///   (`TooManyParents`).
		#[pallet::call_index(0)]
		pub fn register(
			origin: OriginFor<T>,
			name: Vec<u8>,
			modality: Modality,
			spec: VersionSpec<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register(owner, ModelMetadata::bounded(name, modality)?, spec)
		}

		/// Publish a new version of a model: new terms and lineage, going forward. Earlier
		/// versions and their routes stay as they are.
		///
		/// - `origin`: signed; the owner.
		/// - `model`: the model.
		/// - `spec`: the version, with the same rules as in `register`; no parent may be a
		///   version of `model` itself.
		#[pallet::call_index(1)]
		pub fn publish_version(
			origin: OriginFor<T>,
			model: ModelId,
			spec: VersionSpec<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_publish_version(who, model, spec)
		}

		/// Change the price per unit of a version; invocations pay the new price from now on.
		///
		/// - `origin`: signed; the owner.
		/// - `model`, `version`: the version.
		/// - `price_per_unit`: the new price.
		#[pallet::call_index(2)]
		pub fn set_price(
			origin: OriginFor<T>,
			model: ModelId,
			version: VersionNumber,
			price_per_unit: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_price(who, model, version, price_per_unit)
		}

		/// Replace a model's metadata.
		///
		/// - `origin`: signed; the owner.
		/// - `model`: the model.
		/// - `name`, `modality`: the new metadata; `name` at most `MaxNameLength` bytes
		///   (`NameTooLong`).
		#[pallet::call_index(3)]
		pub fn update_metadata(
			origin: OriginFor<T>,
			model: ModelId,
			name: Vec<u8>,
			modality: Modality,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_metadata(who, model, ModelMetadata::bounded(name, modality)?)
		}

		/// Deprecate a version for good: no new derivatives may name it as a parent. It can
		/// still be invoked, and its route still pays.
		///
		/// - `origin`: signed; the owner.
		/// - `model`, `version`: the version.
		#[pallet::call_index(4)]
		pub fn deprecate(
			origin: OriginFor<T>,
			model: ModelId,
			version: VersionNumber,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deprecate(who, model, version)
		}

		/// Offer the model to another account, or withdraw the offer with `None`. The offer
		/// takes effect when that account calls `accept_ownership`.
		///
		/// - `origin`: signed; the owner.
		/// - `model`: the model.
		/// - `new_owner`: the account offered the model, or `None`.
		#[pallet::call_index(5)]
		pub fn offer_ownership(
			origin: OriginFor<T>,
			model: ModelId,
			new_owner: Option<AccountIdLookupOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let new_owner = new_owner.map(T::Lookup::lookup).transpose()?;
			Self::do_offer_ownership(who, model, new_owner)
		}

		/// Accept an offered model: the model's and its versions' deposits are held from the
		/// caller and released to the previous owner. Control passes to the caller, including
		/// the owner's share of versions published from now on; routes already published keep
		/// paying the accounts they name.
		///
		/// - `origin`: signed; the account offered the model.
		/// - `model`: the model.
		/// - `revision`: the model's revision the caller accepts (`OwnershipOffered` gives it,
		///   and the model's record holds it); if the owner changed anything since, the call
		///   fails with `OfferChanged`.
		#[pallet::call_index(6)]
		pub fn accept_ownership(
			origin: OriginFor<T>,
			model: ModelId,
			revision: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_ownership(who, model, revision)
		}

		/// Dispute a version's lineage: it hides a dataset it was trained on, a parent it
		/// derives from, or copies another version's weights. The claimant's bond is held; the
		/// version's royalties are frozen (revenue accrues, nothing is distributed) until the
		/// ruling or, at the latest, `DisputeTimeout` after the version's first open dispute.
		///
		/// - `origin`: signed; anyone, the claimant.
		/// - `model`, `version`: the version disputed.
		/// - `claim`: what it hides; it may not name what the lineage declares
		///   (`ClaimMatchesLineage`).
		/// - `evidence`: hash of the evidence, kept off chain.
		#[pallet::call_index(7)]
		pub fn open_dispute(
			origin: OriginFor<T>,
			model: ModelId,
			version: VersionNumber,
			claim: DisputeClaim,
			evidence: ContentHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_dispute(who, model, version, claim, evidence)
		}

		/// Rule on a dispute. Upheld: the version is infringing (no new invocations or
		/// channels), `share` of its frozen and future revenue goes to the wronged party (the
		/// omitted dataset's pool, or the copied or omitted model's owner) through a corrective
		/// route, the owner's deposit for the version goes to the claimant and the claimant's
		/// bond is returned. Rejected: the claimant's bond goes to the treasury.
		///
		/// - `origin`: `DisputeOrigin`.
		/// - `dispute`: the dispute.
		/// - `upheld`: the ruling.
		/// - `share`: when upheld, the part of every payment redirected (taken from every
		///   entry of the route in proportion); ignored when rejected.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::uphold_dispute().max(T::WeightInfo::reject_dispute()))]
		pub fn rule_dispute(
			origin: OriginFor<T>,
			dispute: DisputeId,
			upheld: bool,
			share: Perbill,
		) -> DispatchResult {
			T::DisputeOrigin::ensure_origin(origin)?;
			if upheld {
				Self::do_uphold_dispute(dispute, share)
			} else {
				Self::do_reject_dispute(dispute)
			}
		}

		/// Close a dispute nobody ruled on within `DisputeTimeout`: the claimant's bond is
		/// returned (the version's royalties unfroze at that timeout already).
		///
		/// - `origin`: signed; anyone.
		/// - `dispute`: the dispute.
		#[pallet::call_index(9)]
		pub fn expire_dispute(origin: OriginFor<T>, dispute: DisputeId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_expire_dispute(dispute)
		}
	}
}
