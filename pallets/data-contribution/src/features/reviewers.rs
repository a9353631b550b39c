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
		// Leaving must not dodge a slash that is due: a reviewer below the floor is slashed
		// first (it reports itself, so the whole slash goes to the treasury).
		let due = T::SlashFraction::get().mul_floor(reviewer.bond);
		let bond = if reviewer.reputation < T::ReputationFloor::get() && !due.is_zero() {
			Self::slash(&who, &who, reviewer)?.bond
		} else {
			reviewer.bond
		};
		Self::release(HoldReason::ReviewerBond, &who, bond);
		Reviewers::<T>::remove(&who);
		Self::deposit_event(Event::ReviewerWithdrawn { reviewer: who, bond });
		Ok(())
	}

	pub(crate) fn do_slash_reviewer(reporter: T::AccountId, who: T::AccountId) -> DispatchResult {
		let reviewer = Reviewers::<T>::get(&who).ok_or(Error::<T>::NotReviewer)?;
		ensure!(reviewer.reputation < T::ReputationFloor::get(), Error::<T>::ReputationAboveFloor);
		let reviewer = Self::slash(&reporter, &who, reviewer)?;
		Reviewers::<T>::insert(&who, reviewer);
		Ok(())
	}

	/// Takes `SlashFraction` of a reviewer's bond: `SlashReward` of it to `reporter` (unless the
	/// reviewer reports itself), the rest to the treasury; its reputation restarts at the
	/// initial value. Returns the updated record for the caller to store or remove.
	fn slash(
		reporter: &T::AccountId,
		who: &T::AccountId,
		mut reviewer: Reviewer<T>,
	) -> Result<Reviewer<T>, DispatchError> {
		let amount = T::SlashFraction::get().mul_floor(reviewer.bond);
		ensure!(!amount.is_zero(), Error::<T>::NothingToSlash);
		let reporter_reward =
			if reporter == who { Zero::zero() } else { T::SlashReward::get().mul_floor(amount) };
		let reason = HoldReason::ReviewerBond.into();
		let to_reporter = T::Currency::transfer_on_hold(
			&reason,
			who,
			reporter,
			reporter_reward,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		let to_treasury = T::Currency::transfer_on_hold(
			&reason,
			who,
			&T::TreasuryAccount::get(),
			amount.saturating_sub(to_reporter),
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		let slashed = to_reporter.saturating_add(to_treasury);
		reviewer.bond = reviewer.bond.saturating_sub(slashed);
		reviewer.reputation = T::InitialReputation::get();
		Self::deposit_event(Event::ReviewerSlashed {
			reviewer: who.clone(),
			amount: slashed,
			reporter: reporter.clone(),
			reporter_reward: to_reporter,
			remaining_bond: reviewer.bond,
		});
		Ok(reviewer)
	}
}
