//! # Invocation metering
//!
//! Paid model invocations and the compute providers that serve them.
//!
//! - A **compute provider** registers an offer to serve a model at a fee per unit (with an
//!   endpoint for clients, and a deposit), updates it, or withdraws it.
//! - Anyone may **invoke** a model version (the latest when none is named) for a number of
//!   units, optionally through a provider: the payer pays the model's price × units plus the
//!   provider's fee × units, never more than the `max_total` it signed for. A configured part
//!   of the model price (`ProtocolFee`) is owed to the treasury, the provider's fee to the
//!   provider, and the rest to the version's royalty route — all accrued through the royalty
//!   distribution in constant time, whatever the route, the lineage or the number of dataset
//!   contributors behind it.
//! - Usage counters per model (invocations, units, revenue) are public; per-dataset counters
//!   are kept by the royalty distribution when revenue reaches the datasets.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod dispatchables;
pub mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
pub use traits::BenchmarkHelper;
pub use types::*;
pub use weights::WeightInfo;

// FRAME's storage, error and pallet macros expand to code that calls `expect`; the pallet's own
// logic lives in `dispatchables.rs`, where the workspace's no-panic lints apply in full.
#[allow(clippy::expect_used, clippy::unwrap_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use pallet_model_registry::RouteProvider;
	use pallet_royalty_distribution::RoyaltySink;
	use sp_runtime::{traits::StaticLookup, Permill};

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
		/// A provider's deposit for an offer record.
		#[codec(index = 0)]
		OfferDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The currency invocations are paid and deposits held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Model versions: prices and whether they may be invoked.
		type Routes: RouteProvider<Self::AccountId, BalanceOf<Self>>;

		/// Takes every payment into the royalty pot.
		type Royalties: RoyaltySink<Self::AccountId, BalanceOf<Self>>;

		/// Receives the protocol fee.
		#[pallet::constant]
		type TreasuryAccount: Get<Self::AccountId>;

		/// The protocol's part of every model price.
		#[pallet::constant]
		type ProtocolFee: Get<Permill>;

		/// Deposit held from a provider per offer.
		#[pallet::constant]
		type OfferDeposit: Get<BalanceOf<Self>>;

		/// Longest provider endpoint, in bytes.
		#[pallet::constant]
		type MaxEndpointLength: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates invocable models for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<BalanceOf<Self>>;
	}

	/// Compute providers' offers: `(model, provider) -> offer`.
	#[pallet::storage]
	pub type Offers<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Blake2_128Concat, T::AccountId, Offer<T>>;

	/// Usage of each model: invocations, units and revenue.
	#[pallet::storage]
	pub type Usage<T: Config> =
		StorageMap<_, Blake2_128Concat, ModelId, ModelUsage<BalanceOf<T>>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider offered to serve a model.
		OfferRegistered {
			model: ModelId,
			provider: T::AccountId,
			fee_per_unit: BalanceOf<T>,
			deposit: BalanceOf<T>,
		},
		/// A provider changed its offer.
		OfferUpdated { model: ModelId, provider: T::AccountId, fee_per_unit: BalanceOf<T> },
		/// A provider withdrew its offer; its deposit was released.
		OfferWithdrawn { model: ModelId, provider: T::AccountId },
		/// A model version was invoked and paid for.
		Invoked {
			payer: T::AccountId,
			model: ModelId,
			version: VersionNumber,
			units: Units,
			provider: Option<T::AccountId>,
			royalty: BalanceOf<T>,
			protocol_fee: BalanceOf<T>,
			provider_fee: BalanceOf<T>,
			total: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such model, or no such version to invoke.
		NotInvocable,
		/// The provider has no offer for this model.
		NoOffer,
		/// The provider already has an offer for this model.
		OfferExists,
		/// An invocation needs at least one unit.
		ZeroUnits,
		/// The invocation costs more than the `max_total` the payer accepted.
		AboveMaxTotal,
		/// The payer cannot pay the total and stay alive, or the provider the deposit.
		InsufficientFunds,
		/// An amount overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Offer to serve a model, holding `OfferDeposit` from the caller.
		///
		/// - `origin`: signed; the compute provider.
		/// - `model`: the model served (every version of it).
		/// - `fee_per_unit`: the provider's fee per unit, on top of the model's price.
		/// - `endpoint`: how clients reach the provider.
		#[pallet::call_index(0)]
		pub fn register_offer(
			origin: OriginFor<T>,
			model: ModelId,
			fee_per_unit: BalanceOf<T>,
			endpoint: BoundedVec<u8, T::MaxEndpointLength>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_register_offer(provider, model, fee_per_unit, endpoint)
		}

		/// Change an offer's fee and endpoint; invocations pay the new fee from now on.
		///
		/// - `origin`: signed; the provider.
		/// - `model`: the model of the offer.
		/// - `fee_per_unit`, `endpoint`: the new terms.
		#[pallet::call_index(1)]
		pub fn update_offer(
			origin: OriginFor<T>,
			model: ModelId,
			fee_per_unit: BalanceOf<T>,
			endpoint: BoundedVec<u8, T::MaxEndpointLength>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_update_offer(provider, model, fee_per_unit, endpoint)
		}

		/// Withdraw an offer and release its deposit.
		///
		/// - `origin`: signed; the provider.
		/// - `model`: the model of the offer.
		#[pallet::call_index(2)]
		pub fn withdraw_offer(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_withdraw_offer(provider, model)
		}

		/// Invoke a model and pay for it: price × units plus the provider's fee × units, split
		/// among the route, the treasury and the provider. Costs the same whatever the model's
		/// lineage.
		///
		/// - `origin`: signed; the payer.
		/// - `model`: the model.
		/// - `version`: the version, or `None` for the latest.
		/// - `units`: units consumed (> 0).
		/// - `provider`: the compute provider that served it, if any; it must have an offer.
		/// - `max_total`: the most the payer accepts to pay; a higher total fails.
		#[pallet::call_index(3)]
		pub fn invoke(
			origin: OriginFor<T>,
			model: ModelId,
			version: Option<VersionNumber>,
			units: Units,
			provider: Option<AccountIdLookupOf<T>>,
			max_total: BalanceOf<T>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			let provider = provider.map(T::Lookup::lookup).transpose()?;
			Self::do_invoke(payer, model, version, units, provider, max_total)
		}
	}
}
