//! The logic behind every call, and the accrual and shares hooks the other pallets call.

use crate::{pallet::*, types::*};
use frame_support::{
	defensive,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{DepositConsequence, Preservation, Provenance},
	},
};
use sp_core::U256;
use sp_runtime::traits::{AccountIdConversion, Saturating, UniqueSaturatedInto, Zero};
use tributary_primitives::{OnSharesMinted, RouteProvider, RoyaltySink, SharePools};

/// An amount in the fixed-point scale of reward-per-share values.
pub(crate) fn scaled<B: UniqueSaturatedInto<u128>>(amount: B) -> U256 {
	U256::from(amount.unique_saturated_into()).saturating_mul(U256::from(SCALE))
}

/// The whole units of a scaled amount (its fraction of a unit stays behind).
fn whole_units<B: sp_runtime::traits::UniqueSaturatedFrom<u128>>(scaled: U256) -> B {
	let units = scaled.checked_div(U256::from(SCALE)).unwrap_or_default();
	B::unique_saturated_from(u128::try_from(units).unwrap_or(u128::MAX))
}

impl<T: Config> Pallet<T> {
	/// The pot's account.
	pub fn pot() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Pushes a version's undistributed revenue along its route; returns the route's length.
	pub(crate) fn do_distribute(
		model: ModelId,
		version: VersionNumber,
	) -> Result<u32, DispatchError> {
		let route = T::Routes::route(model, version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(!T::Routes::royalties_frozen(model, version), Error::<T>::RoyaltiesFrozen);
		let revenue = Undistributed::<T>::get(model, version).unwrap_or_default();
		ensure!(!revenue.amount.is_zero(), Error::<T>::NothingToDistribute);

		// Read before the revenue leaves the queue: shares waiting for this revenue to reach
		// their pool must not activate in time to share it.
		let head = Queue::<T>::get().head;
		let mut distributed = BalanceOf::<T>::zero();
		for (beneficiary, part) in route.iter() {
			let portion = part.mul_floor(revenue.amount);
			let paid = match beneficiary {
				Beneficiary::Account(who) => {
					Self::credit(who, portion);
					true
				}
				Beneficiary::Dataset(dataset) => Self::pay_pool(*dataset, portion, &revenue, head),
			};
			if paid {
				// The parts sum to 100%, so the portions never exceed the revenue.
				distributed = distributed.saturating_add(portion);
			}
		}
		if let Some(place) = revenue.queued {
			Self::dequeue(place);
		}
		let carried = revenue.amount.saturating_sub(distributed);
		if carried.is_zero() {
			Undistributed::<T>::remove(model, version);
		} else {
			// What rounding left waits, out of the queue, for the version's next payment.
			Undistributed::<T>::insert(
				model,
				version,
				Revenue { amount: carried, invocations: 0, units: 0, queued: None },
			);
		}
		let route_length = u32::try_from(route.len()).unwrap_or(u32::MAX);
		Self::deposit_event(Event::RevenueDistributed {
			model,
			version,
			distributed,
			carried,
			route_length,
		});
		Ok(route_length)
	}

	/// Pays `portion` into a dataset's pool, divided among its active shares (or, before it
	/// has any, to its curator) and counts the usage. Returns whether it was paid.
	fn pay_pool(
		dataset: DatasetId,
		portion: BalanceOf<T>,
		revenue: &Revenue<BalanceOf<T>>,
		head: QueueSeq,
	) -> bool {
		let stored = Pools::<T>::get(dataset);
		let mut pool = stored.clone().unwrap_or_default();
		Self::activate_if_due(dataset, &mut pool, head);
		let active = T::Datasets::total_shares(dataset).saturating_sub(pool.inactive);
		if active == 0 {
			let Some(curator) = T::Datasets::curator(dataset) else {
				defensive!("a route names a dataset that does not exist");
				Self::store_pool(dataset, stored, pool);
				return false;
			};
			Self::credit(&curator, portion);
		} else if !portion.is_zero() {
			let incoming = scaled(portion).saturating_add(pool.remainder);
			// `active` is not zero here, so neither division can fail.
			let divisor = U256::from(active);
			let per_share = incoming.checked_div(divisor).unwrap_or_default();
			pool.reward_per_share = pool.reward_per_share.saturating_add(per_share);
			pool.remainder = incoming.checked_rem(divisor).unwrap_or_default();
			pool.balance = pool.balance.saturating_add(portion);
		}
		Self::store_pool(dataset, stored, pool);
		DatasetUsages::<T>::mutate(dataset, |usage| {
			usage.invocations = usage.invocations.saturating_add(revenue.invocations);
			usage.units = usage.units.saturating_add(revenue.units);
			usage.revenue = usage.revenue.saturating_add(portion);
		});
		true
	}

	/// Writes a pool back when it changed (a pool that never held anything is not stored).
	fn store_pool(
		dataset: DatasetId,
		stored: Option<Pool<BalanceOf<T>>>,
		pool: Pool<BalanceOf<T>>,
	) {
		let changed = match stored {
			Some(stored) => stored != pool,
			None => pool != Pool::default(),
		};
		if changed {
			Pools::<T>::insert(dataset, pool);
		}
	}

	/// Adds to an account's credits. Credits are backed by the pot, whose balance bounds
	/// their sum, so the addition cannot saturate.
	fn credit(who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		Credits::<T>::mutate(who, |credit| {
			*credit = Some(credit.unwrap_or_default().saturating_add(amount));
		});
	}

	pub(crate) fn do_claim(who: T::AccountId) -> DispatchResult {
		let amount = Credits::<T>::get(&who).unwrap_or_default();
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		Self::pay_out(&who, amount)?;
		Credits::<T>::remove(&who);
		Self::deposit_event(Event::CreditsClaimed { who, amount });
		Ok(())
	}

	pub(crate) fn do_claim_pools(who: T::AccountId, datasets: &[DatasetId]) -> DispatchResult {
		let mut claims = alloc::vec::Vec::with_capacity(datasets.len());
		let mut total = BalanceOf::<T>::zero();
		for dataset in datasets {
			if claims.iter().any(|(d, _, _, _)| d == dataset) {
				continue;
			}
			let Some(mut settlement) = Settlements::<T>::get(dataset, &who) else { continue };
			let pool = Pools::<T>::get(dataset).unwrap_or_default();
			let converted = Self::settle(
				*dataset,
				&mut settlement,
				&pool,
				T::Datasets::shares_of(*dataset, &who),
			);
			let amount: BalanceOf<T> = whole_units(settlement.pending);
			if amount.is_zero() {
				continue;
			}
			settlement.pending = settlement.pending.saturating_sub(scaled(amount));
			total = total.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			claims.push((*dataset, settlement, amount, converted));
		}
		ensure!(!total.is_zero(), Error::<T>::NothingToClaim);
		Self::pay_out(&who, total)?;
		for (dataset, settlement, amount, converted) in claims {
			if let Some(cohort) = converted {
				Self::release_activation(dataset, cohort);
			}
			Settlements::<T>::insert(dataset, &who, settlement);
			Pools::<T>::mutate(dataset, |maybe| {
				if let Some(pool) = maybe.as_mut() {
					pool.balance = pool.balance.saturating_sub(amount);
				}
			});
			Self::deposit_event(Event::PoolClaimed { dataset, who: who.clone(), amount });
		}
		Ok(())
	}

	/// Adds what the holder's `shares` earned since the last settlement to its pending
	/// earnings: its active shares since then, its inactive ones since their cohort activated
	/// (they become active). Returns the cohort whose activation record it no longer needs.
	pub(crate) fn settle(
		dataset: DatasetId,
		settlement: &mut Settlement,
		pool: &Pool<BalanceOf<T>>,
		shares: Shares,
	) -> Option<u32> {
		let active = shares.saturating_sub(settlement.inactive);
		let growth = pool.reward_per_share.saturating_sub(settlement.paid_per_share);
		let mut earned = U256::from(active).saturating_mul(growth);
		let mut converted = None;
		if settlement.inactive > 0 && settlement.cohort < pool.activated {
			match Activations::<T>::get(dataset, settlement.cohort) {
				Some(activation) => {
					let growth = pool.reward_per_share.saturating_sub(activation.reward_per_share);
					let inactive = U256::from(settlement.inactive);
					earned = earned.saturating_add(inactive.saturating_mul(growth));
				}
				None => {
					defensive!("an activated cohort lost its record");
				}
			}
			converted = Some(settlement.cohort);
			settlement.inactive = 0;
		}
		settlement.pending = settlement.pending.saturating_add(earned);
		settlement.paid_per_share = pool.reward_per_share;
		converted
	}

	/// Pays `amount` from the pot, which always keeps its existential deposit.
	fn pay_out(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		match T::Currency::can_deposit(who, amount, Provenance::Extant) {
			DepositConsequence::Success => {}
			DepositConsequence::BelowMinimum => Err(Error::<T>::BelowExistentialDeposit)?,
			_ => Err(Error::<T>::CannotReceive)?,
		}
		T::Currency::transfer(&Self::pot(), who, amount, Preservation::Preserve)
			.map(|_| ())
			.inspect_err(|error| {
				defensive!("the pot holds every claim", error);
			})
	}

	/// What `who` may claim from its account credits.
	pub fn claimable_credits(who: &T::AccountId) -> BalanceOf<T> {
		Credits::<T>::get(who).unwrap_or_default()
	}

	/// What `who` may claim from a dataset pool now (whole units).
	pub fn claimable_in_pool(dataset: DatasetId, who: &T::AccountId) -> BalanceOf<T> {
		let Some(mut settlement) = Settlements::<T>::get(dataset, who) else {
			return Zero::zero();
		};
		let pool = Pools::<T>::get(dataset).unwrap_or_default();
		Self::settle(dataset, &mut settlement, &pool, T::Datasets::shares_of(dataset, who));
		whole_units(settlement.pending)
	}
}

impl<T: Config> RoyaltySink<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn accrue(
		payer: &T::AccountId,
		model: ModelId,
		version: VersionNumber,
		units: Units,
		royalty: BalanceOf<T>,
		credits: &[(T::AccountId, BalanceOf<T>)],
	) -> DispatchResult {
		let mut total = royalty;
		for (_, amount) in credits {
			total = total.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		}
		if !total.is_zero() {
			T::Currency::transfer(payer, &Self::pot(), total, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientFunds)?;
		}
		for (who, amount) in credits {
			Self::credit(who, *amount);
		}
		Undistributed::<T>::mutate(model, version, |maybe| {
			let revenue = maybe.get_or_insert_with(Default::default);
			revenue.amount = revenue.amount.saturating_add(royalty);
			revenue.invocations = revenue.invocations.saturating_add(1);
			revenue.units = revenue.units.saturating_add(units.into());
			if revenue.queued.is_none() && !royalty.is_zero() {
				revenue.queued = Some(Self::enqueue(model, version));
			}
		});
		Self::deposit_event(Event::RevenueAccrued {
			model,
			version,
			payer: payer.clone(),
			royalty,
			total,
		});
		Ok(())
	}
}

impl<T: Config> OnSharesMinted<T::AccountId> for Pallet<T> {
	fn before_mint(
		dataset: DatasetId,
		holder: &T::AccountId,
		current: Shares,
		_total: Shares,
		minted: Shares,
	) {
		if minted == 0 {
			return;
		}
		let bounds = Queue::<T>::get();
		let stored = Pools::<T>::get(dataset);
		let mut pool = stored.clone().unwrap_or_default();
		Self::activate_if_due(dataset, &mut pool, bounds.head);
		let existing = Settlements::<T>::get(dataset, holder);
		let is_new = existing.is_none();
		let mut settlement = existing
			.unwrap_or(Settlement { paid_per_share: pool.reward_per_share, ..Default::default() });
		if let Some(cohort) = Self::settle(dataset, &mut settlement, &pool, current) {
			Self::release_activation(dataset, cohort);
		}
		if bounds.head < bounds.tail {
			// Older revenue may still be on its way to this pool: the new shares wait for it.
			Self::join_cohort(dataset, &mut pool, &mut settlement, minted, bounds.tail);
		}
		Self::store_pool(dataset, stored, pool);
		Settlements::<T>::insert(dataset, holder, settlement);
		if is_new {
			HolderPools::<T>::insert(holder, dataset, ());
		}
	}

	/// `MaxPendingCohorts` cohorts of other holders' shares wait in the pool, each for its own
	/// queued revenue, all distributed since: the next mint activates every one of them. More
	/// revenue waits, so the minted shares join a new cohort too.
	#[cfg(feature = "runtime-benchmarks")]
	fn prepare_worst_mint(dataset: DatasetId) {
		for cohort in 0..T::MaxPendingCohorts::get() {
			let place = Self::enqueue(ModelId::MAX, cohort);
			let holder: T::AccountId = frame_benchmarking::account("cohort", cohort, 0);
			Self::before_mint(dataset, &holder, 0, 0, 1_000);
			RevenueQueue::<T>::remove(place);
		}
		Queue::<T>::mutate(|bounds| bounds.head = bounds.tail);
		Self::enqueue(ModelId::MAX, 0);
	}
}
