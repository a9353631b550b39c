//! Deposits, bounties and bonds: every amount this pallet holds, under its `HoldReason`.

use crate::{pallet::*, types::*};
use frame_support::{
	defensive,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::traits::{CheckedAdd, CheckedMul, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Holds `amount` from `who` for `reason`. Any refusal of the currency (in practice a
	/// shortfall) is reported as `InsufficientFunds`.
	pub(crate) fn hold(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientFunds.into())
	}

	/// Releases a hold this pallet placed. The amount is always on hold (the invariants check
	/// it), so a shortfall is a bug: report it and release what is there.
	pub(crate) fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		if let Err(error) = T::Currency::release(&reason.into(), who, amount, Precision::Exact) {
			defensive!("a hold this pallet placed is missing", error);
			let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort);
		}
	}

	/// Pays `amount` to `to` out of the task's held bounty, straight from the requester's hold,
	/// and lowers the bounty the task still accounts for.
	pub(crate) fn pay_from_bounty(
		task: &mut AnnotationTask<T>,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer_on_hold(
			&HoldReason::TaskBounty.into(),
			&task.requester,
			to,
			amount,
			Precision::Exact,
			Restriction::Free,
			// Held funds pay whatever else the requester's account has frozen.
			Fortitude::Force,
		)?;
		task.remaining_bounty = task.remaining_bounty.saturating_sub(amount);
		Ok(())
	}

	/// Everything one accepted item costs the requester: the reward and `quorum` reviewer fees.
	/// `None` when it does not fit the balance type.
	pub(crate) fn cost_per_item(
		reward: BalanceOf<T>,
		reviewer_fee: BalanceOf<T>,
		quorum: u32,
	) -> Option<BalanceOf<T>> {
		reviewer_fee.checked_mul(&quorum.into())?.checked_add(&reward)
	}
}

impl<T: Config> Pallet<T> {
	/// Moves `amount` held from `from` under `reason` to `to`'s free balance.
	pub(crate) fn transfer_held(
		reason: HoldReason,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		if amount.is_zero() {
			return Ok(amount);
		}
		T::Currency::transfer_on_hold(
			&reason.into(),
			from,
			to,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)
	}

	/// Pays a reviewer of a rejected result its fee from the annotator's stake.
	pub(crate) fn pay_from_stake(
		annotator: &T::AccountId,
		reviewer: &T::AccountId,
		fee: BalanceOf<T>,
	) -> DispatchResult {
		Self::transfer_held(HoldReason::AnnotationStake, annotator, reviewer, fee).map(|_| ())
	}
}
