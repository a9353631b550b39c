//! The invariants `try_state` checks (after every block under `try-runtime`, and after every
//! test), and what the pot owes. The pallet holds no funds: the pot is an account, and what it
//! owes is checked against its balance.

use crate::{dispatchables::scaled, pallet::*, types::*};
use alloc::collections::btree_map::BTreeMap;
use frame_support::traits::fungible::Inspect;
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
	///   unsettled) plus its carried remainder, and the remainder is below its total shares;
	/// - each pool's holders with a settlement hold all of the dataset's shares (no holder
	///   escaped the shares hook);
	/// - no zero credit is stored.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let pot = T::Currency::balance(&Self::pot());
		let owed = Self::obligations().saturating_add(T::Currency::minimum_balance());
		check(pot >= owed, "the pot holds less than it owes")?;
		check(Credits::<T>::iter_values().all(|c| !c.is_zero()), "a zero credit is stored")?;

		let mut owed_by_pool: BTreeMap<DatasetId, U256> = BTreeMap::new();
		let mut shares_by_pool: BTreeMap<DatasetId, Shares> = BTreeMap::new();
		for (dataset, holder, settlement) in Settlements::<T>::iter() {
			let pool = Pools::<T>::get(dataset).unwrap_or_default();
			let shares = T::Datasets::shares_of(dataset, &holder);
			let mut current = settlement.clone();
			Self::settle(&mut current, &pool, shares);
			check(
				settlement.paid_per_share <= pool.reward_per_share,
				"a holder was settled beyond its pool",
			)?;
			let owed = owed_by_pool.entry(dataset).or_default();
			*owed = owed.saturating_add(current.pending);
			let held = shares_by_pool.entry(dataset).or_default();
			*held = held.saturating_add(shares);
		}
		for (dataset, pool) in Pools::<T>::iter() {
			let total = T::Datasets::total_shares(dataset);
			check(
				pool.remainder < U256::from(total),
				"a pool's remainder is not below its shares",
			)?;
			let owed = owed_by_pool.get(&dataset).copied().unwrap_or_default();
			check(
				scaled(pool.balance) == owed.saturating_add(pool.remainder),
				"a pool's balance differs from what its holders are owed",
			)?;
		}
		for (dataset, held) in shares_by_pool {
			check(
				held == T::Datasets::total_shares(dataset),
				"a share holder escaped the shares hook",
			)?;
		}
		Ok(())
	}
}
