//! The reads behind the runtime API: the runtime only forwards to these.

use crate::{
	pallet::*,
	runtime_api::{PendingRoyalties, PoolEarning},
	types::*,
};
use alloc::vec::Vec;
use sp_runtime::traits::{Saturating, Zero};
use tributary_primitives::RouteProvider;

impl<T: Config> Pallet<T> {
	/// What `who` may claim now: its account credits, and its whole units in each pool it has a
	/// settlement in (read from its own index, whatever the number of pools on the chain).
	pub fn api_pending_royalties(who: &T::AccountId) -> PendingRoyalties<BalanceOf<T>> {
		let credits = Self::claimable_credits(who);
		let pools: Vec<_> = HolderPools::<T>::iter_key_prefix(who)
			.filter_map(|dataset| {
				let amount = Self::claimable_in_pool(dataset, who);
				(!amount.is_zero()).then_some(PoolEarning { dataset, amount })
			})
			.collect();
		let total = pools.iter().fold(credits, |sum, pool| sum.saturating_add(pool.amount));
		PendingRoyalties { credits, pools, total }
	}

	/// A version's revenue awaiting distribution, or `None` when there is no such version.
	pub fn api_undistributed(model: ModelId, version: VersionNumber) -> Option<BalanceOf<T>> {
		T::Routes::route(model, version)?;
		Some(Undistributed::<T>::get(model, version).map_or_else(Zero::zero, |r| r.amount))
	}
}
