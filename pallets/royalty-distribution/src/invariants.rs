//! The invariants `try_state` checks (after every block under `try-runtime`, and after every
//! test), and what the pot owes. The pallet holds no funds: the pot is an account, and what it
//! owes is checked against its balance.

use crate::{dispatchables::scaled, pallet::*, types::*};
use alloc::collections::btree_map::BTreeMap;
use frame_support::traits::{fungible::Inspect, Get};
use sp_core::U256;
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};
use tributary_primitives::SharePools;

fn check(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(TryRuntimeError::Other(message))
	}
}

impl<T: Config> Pallet<T> {
	/// What the pot owes: Σ credits + Σ undistributed revenue + Σ pool balances.
	pub fn obligations() -> BalanceOf<T> {
		let credits =
			Credits::<T>::iter_values().fold(Zero::zero(), BalanceOf::<T>::saturating_add);
		let revenue = Undistributed::<T>::iter_values()
			.fold(BalanceOf::<T>::zero(), |sum, revenue| sum.saturating_add(revenue.amount));
		let pools = Pools::<T>::iter_values()
			.fold(BalanceOf::<T>::zero(), |sum, pool| sum.saturating_add(pool.balance));
		credits.saturating_add(revenue).saturating_add(pools)
	}

	/// Checks every invariant of the pallet's storage:
	/// - the pot holds its existential deposit plus everything it owes (anything more is a
	///   donation);
	/// - each pool's balance, scaled, equals exactly what its holders are owed (settled and
	///   unsettled) plus its carried remainder, and the remainder is below its active shares;
	/// - each pool's holders with a settlement hold all of the dataset's shares (no holder
	///   escaped the shares hook); its pending cohorts (at most `MaxPendingCohorts`, waiting in
	///   order) hold exactly its holders' inactive shares, and sum to its inactive shares; each
	///   activation record counts exactly the holders not settled with it yet;
	/// - the queue: every queued revenue has its place between head and tail, every place
	///   names a version whose revenue waits there, and no revenue waits without an amount;
	/// - each holder's pool index matches its settlements;
	/// - no zero credit is stored.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let pot = T::Currency::balance(&Self::pot());
		let owed = Self::obligations().saturating_add(T::Currency::minimum_balance());
		check(pot >= owed, "the pot holds less than it owes")?;
		check(Credits::<T>::iter_values().all(|c| !c.is_zero()), "a zero credit is stored")?;
		Self::check_queue()?;

		let mut owed_by_pool: BTreeMap<DatasetId, U256> = BTreeMap::new();
		let mut shares_by_pool: BTreeMap<DatasetId, Shares> = BTreeMap::new();
		let mut pending_cohorts: BTreeMap<(DatasetId, u32), (Shares, u32)> = BTreeMap::new();
		let mut activated: BTreeMap<(DatasetId, u32), u32> = BTreeMap::new();
		for (dataset, holder, settlement) in Settlements::<T>::iter() {
			let pool = Pools::<T>::get(dataset).unwrap_or_default();
			let shares = T::Datasets::shares_of(dataset, &holder);
			check(settlement.inactive <= shares, "a holder has more inactive shares than shares")?;
			check(
				settlement.inactive == 0 || settlement.cohort < pool.next_cohort,
				"a holder is in a cohort its pool has not had",
			)?;
			if settlement.inactive > 0 {
				if settlement.cohort >= pool.activated {
					let cohort = pending_cohorts.entry((dataset, settlement.cohort)).or_default();
					cohort.0 = cohort.0.saturating_add(settlement.inactive);
					cohort.1 = cohort.1.saturating_add(1);
				} else {
					let holders = activated.entry((dataset, settlement.cohort)).or_default();
					*holders = holders.saturating_add(1);
				}
			}
			check(
				HolderPools::<T>::contains_key(&holder, dataset),
				"a holder's pool is not indexed",
			)?;
			let mut current = settlement.clone();
			Self::settle(dataset, &mut current, &pool, shares);
			check(
				settlement.paid_per_share <= pool.reward_per_share,
				"a holder was settled beyond its pool",
			)?;
			let owed = owed_by_pool.entry(dataset).or_default();
			*owed = owed.saturating_add(current.pending);
			let held = shares_by_pool.entry(dataset).or_default();
			*held = held.saturating_add(shares);
		}
		check(
			HolderPools::<T>::iter_keys()
				.all(|(holder, dataset)| Settlements::<T>::contains_key(dataset, holder)),
			"a holder's pool index names a pool it has no settlement in",
		)?;
		for (dataset, cohort, activation) in Activations::<T>::iter() {
			check(
				activated.remove(&(dataset, cohort)) == Some(activation.holders),
				"an activation record miscounts its holders",
			)?;
		}
		check(activated.is_empty(), "an activated cohort lost its record")?;
		let tail = Queue::<T>::get().tail;
		for (dataset, pool) in Pools::<T>::iter() {
			let total = T::Datasets::total_shares(dataset);
			let active = total.saturating_sub(pool.inactive);
			check(pool.inactive <= total, "a pool has more inactive shares than shares")?;
			check(
				pool.remainder.is_zero() || pool.remainder < U256::from(active),
				"a pool's remainder is not below its active shares",
			)?;
			check(pool.activated <= pool.next_cohort, "a pool activated a cohort it has not had")?;
			check(
				pool.next_cohort.saturating_sub(pool.activated) <= T::MaxPendingCohorts::get(),
				"a pool keeps more pending cohorts than it may",
			)?;
			let mut inactive: Shares = 0;
			let mut previous: QueueSeq = 0;
			for id in pool.activated..pool.next_cohort {
				let Some(cohort) = PendingCohorts::<T>::get(dataset, id) else {
					return Err(TryRuntimeError::Other("a pending cohort lost its record"));
				};
				let (shares, holders) = pending_cohorts.remove(&(dataset, id)).unwrap_or_default();
				check(
					cohort.shares == shares && cohort.holders == holders,
					"a pending cohort's shares differ from its holders'",
				)?;
				check(
					previous <= cohort.activates_at && cohort.activates_at <= tail,
					"pending cohorts wait out of order or for a place not queued yet",
				)?;
				previous = cohort.activates_at;
				inactive = inactive.saturating_add(cohort.shares);
			}
			check(inactive == pool.inactive, "a pool's inactive shares differ from its cohorts'")?;
			let owed = owed_by_pool.get(&dataset).copied().unwrap_or_default();
			check(
				scaled(pool.balance) == owed.saturating_add(pool.remainder),
				"a pool's balance differs from what its holders are owed",
			)?;
		}
		check(pending_cohorts.is_empty(), "holders wait in a cohort of no pool")?;
		check(
			PendingCohorts::<T>::iter().all(|(dataset, id, _)| {
				Pools::<T>::get(dataset)
					.is_some_and(|pool| pool.activated <= id && id < pool.next_cohort)
			}),
			"a pending cohort is outside its pool's range",
		)?;
		for (dataset, held) in shares_by_pool {
			check(
				held == T::Datasets::total_shares(dataset),
				"a share holder escaped the shares hook",
			)?;
		}
		Ok(())
	}

	/// The queue's invariants (see `do_try_state`).
	fn check_queue() -> Result<(), TryRuntimeError> {
		let bounds = Queue::<T>::get();
		check(bounds.head <= bounds.tail, "the queue's head is past its tail")?;
		let mut places = 0usize;
		for (model, version, revenue) in Undistributed::<T>::iter() {
			let Some(place) = revenue.queued else { continue };
			places = places.saturating_add(1);
			check(!revenue.amount.is_zero(), "revenue without an amount is queued")?;
			check(
				bounds.head <= place && place < bounds.tail,
				"queued revenue is outside the queue",
			)?;
			let entry = RevenueQueue::<T>::get(place);
			check(
				entry.is_some_and(|e| e.model == model && e.version == version),
				"queued revenue's place names another version",
			)?;
		}
		check(RevenueQueue::<T>::iter_keys().count() == places, "a queue place waits for nothing")?;
		Ok(())
	}
}
