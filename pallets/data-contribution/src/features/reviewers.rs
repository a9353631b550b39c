//! Reviewers: registering with a bond, leaving after a cooldown once every vote is decided,
//! and slashing a reviewer whose reputation fell below the floor.

use crate::{pallet::*, types::*};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_reviewer(who: T::AccountId, bond: BalanceOf<T>) -> DispatchResult {
		ensure!(!Reviewers::<T>::contains_key(&who), Error::<T>::AlreadyReviewer);
		ensure!(bond >= T::MinReviewerBond::get(), Error::<T>::BondTooLow);
		Self::hold(HoldReason::ReviewerBond, &who, bond)?;
		Reviewers::<T>::insert(
			&who,
			Reviewer {
				bond,
				reputation: T::InitialReputation::get(),
				open_votes: 0,
				unbonding_at: None,
			},
		);
		Self::deposit_event(Event::ReviewerRegistered { reviewer: who, bond });
		Ok(())
	}

	pub(crate) fn do_unregister_reviewer(who: T::AccountId) -> DispatchResult {
		let unlock_at = Reviewers::<T>::try_mutate(&who, |maybe| {
			let reviewer = maybe.as_mut().ok_or(Error::<T>::NotReviewer)?;
			ensure!(reviewer.unbonding_at.is_none(), Error::<T>::AlreadyUnbonding);
			let unlock_at = frame_system::Pallet::<T>::block_number()
				.saturating_add(T::ReviewerCooldown::get());
			reviewer.unbonding_at = Some(unlock_at);
			Ok::<_, DispatchError>(unlock_at)
		})?;
		Self::deposit_event(Event::ReviewerUnbonding { reviewer: who, unlock_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_reviewer(who: T::AccountId) -> DispatchResult {
		let reviewer = Reviewers::<T>::get(&who).ok_or(Error::<T>::NotReviewer)?;
		let unlock_at = reviewer.unbonding_at.ok_or(Error::<T>::NotUnbonding)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() >= unlock_at,
			Error::<T>::CooldownNotOver
		);
		ensure!(reviewer.open_votes == 0, Error::<T>::OpenVotes);
		Self::release(HoldReason::ReviewerBond, &who, reviewer.bond);
		Reviewers::<T>::remove(&who);
		Self::deposit_event(Event::ReviewerWithdrawn { reviewer: who, bond: reviewer.bond });
		Ok(())
	}

	pub(crate) fn do_slash_reviewer(who: T::AccountId) -> DispatchResult {
		let mut reviewer = Reviewers::<T>::get(&who).ok_or(Error::<T>::NotReviewer)?;
		ensure!(reviewer.reputation < T::ReputationFloor::get(), Error::<T>::ReputationAboveFloor);
		let amount = T::SlashFraction::get().mul_floor(reviewer.bond);
		ensure!(!amount.is_zero(), Error::<T>::NothingToSlash);
		let slashed = T::Currency::transfer_on_hold(
			&HoldReason::ReviewerBond.into(),
			&who,
			&T::TreasuryAccount::get(),
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		reviewer.bond = reviewer.bond.saturating_sub(slashed);
		reviewer.reputation = T::InitialReputation::get();
		let remaining_bond = reviewer.bond;
		Reviewers::<T>::insert(&who, reviewer);
		Self::deposit_event(Event::ReviewerSlashed {
			reviewer: who,
			amount: slashed,
			remaining_bond,
		});
		Ok(())
	}
}
