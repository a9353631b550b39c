//! Storage migrations.
//!
//! **v0 → v1** (the distribution queue and share cohorts). Revenue, pools and settlements gain
//! fields. The migration:
//! - queues every version with revenue waiting, as of the upgrade block (so `on_idle`
//!   distributes it `AutoDistributeAfter` later, unless someone does sooner);
//! - keeps every pool's and holder's shares active: v0 had no inactive shares;
//! - indexes each holder's pools (`HolderPools`).
//!
//! Funds do not move, and the invariants (`do_try_state`) hold after it. It visits every
//! revenue, pool and settlement once, in one block: fine for a young chain; a large one would
//! need a multi-block migration.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use sp_core::U256;
use sp_runtime::Saturating;

/// The v0 layouts, decoded once by the migration.
mod v0 {
	use super::*;

	#[derive(Encode, Decode)]
	pub struct Revenue<Balance> {
		pub amount: Balance,
		pub invocations: u64,
		pub units: u128,
	}

	#[derive(Encode, Decode)]
	pub struct Pool<Balance> {
		pub reward_per_share: U256,
		pub balance: Balance,
		pub remainder: U256,
	}

	#[derive(Encode, Decode)]
	pub struct Settlement {
		pub paid_per_share: U256,
		pub pending: U256,
	}
}

/// Moves the pallet's storage from v0 to v1; see the module's documentation.
pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut reads = 0u64;
		let mut writes = 0u64;

		let mut waiting = Vec::new();
		Undistributed::<T>::translate::<v0::Revenue<BalanceOf<T>>, _>(|model, version, old| {
			reads.saturating_inc();
			writes.saturating_inc();
			if old.amount != Default::default() {
				waiting.push((model, version));
			}
			Some(Revenue {
				amount: old.amount,
				invocations: old.invocations,
				units: old.units,
				queued: None,
			})
		});
		for (model, version) in waiting {
			let place = Pallet::<T>::enqueue(model, version);
			Undistributed::<T>::mutate(model, version, |maybe| {
				if let Some(revenue) = maybe {
					revenue.queued = Some(place);
				}
			});
			reads.saturating_accrue(2);
			writes.saturating_accrue(3);
		}

		Pools::<T>::translate::<v0::Pool<BalanceOf<T>>, _>(|_, old| {
			reads.saturating_inc();
			writes.saturating_inc();
			Some(Pool {
				reward_per_share: old.reward_per_share,
				balance: old.balance,
				remainder: old.remainder,
				..Default::default()
			})
		});

		let mut holders = Vec::new();
		Settlements::<T>::translate::<v0::Settlement, _>(|dataset, holder, old| {
			reads.saturating_inc();
			writes.saturating_inc();
			holders.push((holder, dataset));
			Some(Settlement {
				paid_per_share: old.paid_per_share,
				pending: old.pending,
				..Default::default()
			})
		});
		for (holder, dataset) in holders {
			HolderPools::<T>::insert(holder, dataset, ());
			writes.saturating_inc();
		}

		T::DbWeight::get().reads_writes(reads, writes)
	}
}

/// The v0 → v1 migration, run once: it does nothing when the pallet is at v1 already.
pub type MigrateToV1<T> = VersionedMigration<
	0,
	1,
	InnerMigrateV0ToV1<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
