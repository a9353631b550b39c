//! # Royalty distribution
//!
//! The royalty pot: every payment for a model invocation lands here once, and leaves only
//! when the people it belongs to claim it.
//!
//! Paying upstream happens in two phases, so that an invocation costs the same whatever the
//! lineage depth, the route length or the number of contributors:
//!
//! 1. **Accrue** (`RoyaltySink::accrue`, called by the metering pallet), O(1): the payer's
//!    whole payment moves into the pot; the provider's and the protocol's fees are credited to
//!    those accounts; the royalty is added to the model version's undistributed revenue.
//! 2. **Distribute** (`distribute`, permissionless), O(route length): the undistributed
//!    revenue is pushed along the version's flattened route. An account entry is credited; a
//!    dataset entry raises the dataset pool's reward per share, in O(1) however many holders
//!    the pool has. A pool without shares yet pays its curator, so nothing is stranded.
//!
//! Revenue does not wait on anyone's goodwill: each version whose revenue starts to accrue joins
//! a queue, and `on_idle` distributes the queue's oldest versions once they have waited
//! `AutoDistributeAfter` blocks (anyone may `distribute` a version sooner).
//!
//! **Shares earn only from revenue paid after they were minted.** Share holders are settled
//! before their shares grow (`OnSharesMinted`, the primitives' hook the data contribution
//! calls). Shares minted while older revenue still waits in the queue are *inactive*: they
//! earn nothing, and the pool divides among its active shares only, until every revenue queued
//! before them has been distributed (or, frozen by a dispute of its version's lineage, left the
//! queue: shares minted meanwhile may share that revenue once it is distributed); then they
//! activate together (a cohort). Each cohort has its
//! own activation point, so shares minted later never postpone shares minted earlier (up to
//! `MaxPendingCohorts` per pool; past it the newest cohort takes new shares and waits for
//! them). So minting shares and calling `distribute` right after takes nothing of what was earned before: the
//! just-in-time capture of old revenue is impossible. The price is borne by newcomers: revenue
//! paid between their minting and their activation (at most the queue's wait) goes to the
//! holders already active. Claims are pull-based: `claim` pays the
//! caller's account credits, `claim_pool` / `claim_pools` its earnings in dataset pools.
//!
//! **Nothing is rounded away.** Route parts are rounded down and what is left stays
//! undistributed for the next distribution; what a pool cannot divide among its shares is
//! carried to the next distribution; a holder's earnings are kept in fractions of a unit and
//! only whole units are paid. Hence the pot always holds exactly the existential deposit plus
//! Σ credits + Σ undistributed revenue + Σ pool balances, and each pool's balance is exactly
//! what its holders are owed plus its carried remainder (less than one unit in total).
//!
//! **Claims below the existential deposit** are paid when the claimant's account exists (or
//! the amount reaches the existential deposit); otherwise the claim fails with
//! `BelowExistentialDeposit` and the earnings stay, accumulating until they can be paid.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod api;
mod dispatchables;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
pub mod migrations;
mod queue;
pub mod runtime_api;
pub mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod capture_tests;
#[cfg(test)]
mod migration_tests;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
pub use traits::BenchmarkHelper;
pub use types::*;
pub use weights::WeightInfo;

// FRAME's storage, error and pallet macros expand to code that calls `expect`; the pallet's own
// logic lives in `dispatchables.rs`, `api.rs` and `invariants.rs`, where the workspace's no-panic
// lints apply in full.
#[allow(clippy::expect_used, clippy::unwrap_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{Saturating, Zero};
	use tributary_primitives::{RouteProvider, SharePools};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency royalties are paid in.
		type Currency: Inspect<Self::AccountId> + Mutate<Self::AccountId>;

		/// The pot's id; its account holds every payment until it is claimed.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The routes of model versions.
		type Routes: RouteProvider<Self::AccountId>;

		/// Dataset share pools: totals, holdings and curators.
		type Datasets: SharePools<Self::AccountId>;

		/// Most pools one `claim_pools` call may claim from.
		#[pallet::constant]
		type MaxClaimPools: Get<u32>;

		/// How long a version's revenue waits in the queue before `on_idle` distributes it.
		#[pallet::constant]
		type AutoDistributeAfter: Get<BlockNumberFor<Self>>;

		/// Most cohorts of inactive shares a pool keeps pending. Past it, new shares join the
		/// newest cohort and postpone its activation (never an older one's).
		#[pallet::constant]
		type MaxPendingCohorts: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates models and share holders for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Account credits not claimed yet: provider fees, protocol fees, route parts of accounts,
	/// and revenue of datasets that had no shares.
	#[pallet::storage]
	pub type Credits<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>>;

	/// Royalties of model versions accrued and not distributed yet.
	#[pallet::storage]
	pub type Undistributed<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ModelId,
		Twox64Concat,
		VersionNumber,
		Revenue<BalanceOf<T>>,
	>;

	/// Where the distribution queue starts and ends.
	#[pallet::storage]
	pub type Queue<T: Config> = StorageValue<_, QueueBounds, ValueQuery>;

	/// The distribution queue: the version whose revenue waits at each place.
	#[pallet::storage]
	pub type RevenueQueue<T: Config> =
		StorageMap<_, Twox64Concat, QueueSeq, QueuedRevenue<BlockNumberFor<T>>>;

	/// Each pending cohort of a pool's inactive shares: `(dataset, cohort) -> cohort`, at most
	/// `MaxPendingCohorts` per pool.
	#[pallet::storage]
	pub type PendingCohorts<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, DatasetId, Twox64Concat, u32, Cohort>;

	/// Each activated cohort of a pool's shares: `(dataset, cohort) -> activation`, kept until
	/// its last holder has been settled.
	#[pallet::storage]
	pub type Activations<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, DatasetId, Twox64Concat, u32, Activation>;

	/// The pools each holder has a settlement in: `(holder, dataset)`, so the holder's
	/// earnings are read from its own pools only.
	#[pallet::storage]
	pub type HolderPools<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, DatasetId, ()>;

	/// Dataset pools: reward per share, balance and carried remainder.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Blake2_128Concat, DatasetId, Pool<BalanceOf<T>>>;

	/// Each holder's settlement in each pool: `(dataset, holder) -> settlement`.
	#[pallet::storage]
	pub type Settlements<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		DatasetId,
		Blake2_128Concat,
		T::AccountId,
		Settlement,
	>;

	/// Usage of each dataset through the models routing to it, counted at distribution.
	#[pallet::storage]
	pub type DatasetUsages<T: Config> =
		StorageMap<_, Blake2_128Concat, DatasetId, DatasetUsage<BalanceOf<T>>, ValueQuery>;

	/// Genesis has nothing to configure: it funds the pot with the existential deposit.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The runtime this genesis is for.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// The pot keeps the existential deposit for good, so payments of any size can land
			// in it and claims never reap it.
			let pot = Pallet::<T>::pot();
			let missing = T::Currency::minimum_balance().saturating_sub(T::Currency::balance(&pot));
			if !missing.is_zero() {
				let _ = T::Currency::mint_into(&pot, missing);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A payment for a model version entered the pot: `royalty` awaits distribution along
		/// the route, the rest was credited to fee recipients.
		RevenueAccrued {
			/// The model paid for.
			model: ModelId,
			/// The version paid for.
			version: VersionNumber,
			/// Who paid.
			payer: T::AccountId,
			/// The part awaiting distribution along the version's route.
			royalty: BalanceOf<T>,
			/// Everything the payer paid into the pot: the royalty and the credited fees.
			total: BalanceOf<T>,
		},
		/// A version's undistributed revenue was pushed along its route; `carried` stays
		/// undistributed (what rounding left, or a dataset pool that could not be paid).
		RevenueDistributed {
			/// The model.
			model: ModelId,
			/// The version.
			version: VersionNumber,
			/// What was credited to the route's accounts and paid into its dataset pools.
			distributed: BalanceOf<T>,
			/// What stays undistributed until the next distribution.
			carried: BalanceOf<T>,
			/// Entries in the route (what the call is charged for).
			route_length: u32,
		},
		/// Shares minted while older revenue waited for distribution activated: that revenue
		/// has reached the pool, and they earn from now on.
		SharesActivated {
			/// The dataset whose pool they are in.
			dataset: DatasetId,
			/// The cohort that activated.
			cohort: u32,
			/// How many shares activated.
			shares: Shares,
		},
		/// An account claimed its credits.
		CreditsClaimed {
			/// The account, paid from the pot.
			who: T::AccountId,
			/// Every credit it had, paid at once.
			amount: BalanceOf<T>,
		},
		/// A share holder claimed its earnings in a dataset pool.
		PoolClaimed {
			/// The dataset whose pool paid.
			dataset: DatasetId,
			/// The share holder, paid from the pot.
			who: T::AccountId,
			/// The whole units paid; fractions of a unit stay in the pool for later.
			amount: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The model version does not exist.
		UnknownVersion,
		/// The version has no undistributed revenue.
		NothingToDistribute,
		/// There is nothing to claim.
		NothingToClaim,
		/// The claim is below the existential deposit and the claimant's account does not
		/// exist; the earnings stay until they reach it or the account exists.
		BelowExistentialDeposit,
		/// The claimant's account cannot receive the amount.
		CannotReceive,
		/// The payer cannot pay the whole amount and stay alive.
		InsufficientFunds,
		/// An amount overflowed.
		Overflow,
		/// More than `MaxClaimPools` datasets in one claim.
		TooManyPools,
		/// The version's royalties are frozen by a dispute of its lineage: its revenue accrues
		/// and waits.
		RoyaltiesFrozen,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn on_idle(now: BlockNumberFor<T>, limit: Weight) -> Weight {
			Self::distribute_queue(now, limit)
		}

		fn integrity_test() {
			assert!(T::MaxClaimPools::get() >= 1, "claim_pools takes at least one pool");
			assert!(T::MaxPendingCohorts::get() >= 1, "a pool keeps at least one pending cohort");
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Push a model version's undistributed revenue along its royalty route. Anyone may
		/// call this; the cost grows with the route's length only (charged for the longest
		/// route, refunded to the actual one).
		///
		/// - `origin`: signed; anyone.
		/// - `model`, `version`: the model version.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::distribute(MaxRouteLengthOf::<T>::get()))]
		pub fn distribute(
			origin: OriginFor<T>,
			model: ModelId,
			version: VersionNumber,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let route_length = Self::do_distribute(model, version)?;
			Ok(Some(T::WeightInfo::distribute(route_length)).into())
		}

		/// Claim the caller's account credits (fees and route parts), all at once.
		///
		/// - `origin`: signed; the account credited.
		#[pallet::call_index(1)]
		pub fn claim(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(who)
		}

		/// Pay an account's credits to it, on its behalf: for accounts that cannot sign, such as
		/// the treasury's, whose protocol fees wait in the pot until someone moves them. The
		/// caller pays the transaction fee; the credits go only to their owner.
		///
		/// - `origin`: signed; anyone.
		/// - `beneficiary`: the account whose credits are paid to it.
		#[pallet::call_index(4)]
		pub fn claim_for(
			origin: OriginFor<T>,
			beneficiary: <T::Lookup as sp_runtime::traits::StaticLookup>::Source,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let beneficiary = <T::Lookup as sp_runtime::traits::StaticLookup>::lookup(beneficiary)?;
			Self::do_claim(beneficiary)
		}

		/// Claim the caller's earnings in one dataset pool.
		///
		/// - `origin`: signed; a share holder of the dataset.
		/// - `dataset`: the dataset.
		#[pallet::call_index(2)]
		pub fn claim_pool(origin: OriginFor<T>, dataset: DatasetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_pools(who, &[dataset])
		}

		/// Claim the caller's earnings in several dataset pools, paid in one transfer. Pools
		/// with nothing owed are skipped.
		///
		/// - `origin`: signed; a share holder.
		/// - `datasets`: the datasets, at most `MaxClaimPools` (`TooManyPools`; such a claim
		///   is charged as a full one).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::claim_pools(
			u32::try_from(datasets.len()).unwrap_or(u32::MAX).min(T::MaxClaimPools::get())
		))]
		pub fn claim_pools(origin: OriginFor<T>, datasets: Vec<DatasetId>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(datasets.len() <= T::MaxClaimPools::get() as usize, Error::<T>::TooManyPools);
			Self::do_claim_pools(who, &datasets)
		}
	}
}
