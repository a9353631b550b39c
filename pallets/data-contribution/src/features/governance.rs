//! A dataset's own governance: its curator admits the reviewers who vote on its work and the
//! requesters who open tasks on it, and sets how much work one account may bring at once and
//! per day. Nobody mints shares in a dataset its curator has not opened to them.

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedDiv, SaturatedConversion};

impl<T: Config> Pallet<T> {
	/// The rules of a new dataset: as open as the runtime's bounds allow, until its curator
	/// tightens them.
	pub(crate) fn default_rules() -> DatasetRules {
		DatasetRules {
			max_contribution_items: T::MaxItemsPerContribution::get(),
			contribution_items_per_day: T::MaxItemsPerContribution::get(),
			annotations_per_day: T::MaxItemsPerTask::get(),
		}
	}

	pub(crate) fn do_admit_member(
		who: T::AccountId,
		dataset: DatasetId,
		member: T::AccountId,
		role: Role,
	) -> DispatchResult {
		Self::mutate_as_curator(&who, dataset, |record| {
			let mut membership = Members::<T>::get(dataset, &member);
			if membership.is_none() {
				ensure!(record.members < T::MaxMembers::get(), Error::<T>::TooManyMembers);
				record.members = record.members.saturating_add(1);
			}
			let mut roles = membership.take().unwrap_or_default();
			ensure!(!roles.has(role), Error::<T>::AlreadyMember);
			roles.set(role, true);
			if role == Role::Reviewer {
				record.reviewers = record.reviewers.saturating_add(1);
			}
			Members::<T>::insert(dataset, &member, roles);
			Ok(())
		})?;
		Self::deposit_event(Event::MemberAdmitted { dataset, member, role });
		Ok(())
	}

	pub(crate) fn do_dismiss_member(
		who: T::AccountId,
		dataset: DatasetId,
		member: T::AccountId,
		role: Role,
	) -> DispatchResult {
		Self::mutate_as_curator(&who, dataset, |record| {
			let mut roles = Members::<T>::get(dataset, &member)
				.filter(|roles| roles.has(role))
				.ok_or(Error::<T>::NotMember)?;
			roles.set(role, false);
			if role == Role::Reviewer {
				record.reviewers = record.reviewers.saturating_sub(1);
			}
			if roles.is_empty() {
				Members::<T>::remove(dataset, &member);
				record.members = record.members.saturating_sub(1);
			} else {
				Members::<T>::insert(dataset, &member, roles);
			}
			Ok(())
		})?;
		Self::deposit_event(Event::MemberDismissed { dataset, member, role });
		Ok(())
	}

	pub(crate) fn do_set_rules(
		who: T::AccountId,
		dataset: DatasetId,
		rules: DatasetRules,
	) -> DispatchResult {
		ensure!(
			rules.max_contribution_items > 0
				&& rules.max_contribution_items <= T::MaxItemsPerContribution::get()
				&& rules.contribution_items_per_day > 0
				&& rules.annotations_per_day > 0,
			Error::<T>::InvalidRules
		);
		Self::mutate_as_curator(&who, dataset, |record| {
			record.rules = rules;
			Ok(())
		})?;
		Self::deposit_event(Event::RulesSet { dataset, rules });
		Ok(())
	}

	/// Whether the curator admitted `who` to `role` in `dataset`.
	pub(crate) fn is_member(dataset: DatasetId, who: &T::AccountId, role: Role) -> bool {
		Members::<T>::get(dataset, who).is_some_and(|roles| roles.has(role))
	}

	/// Counts `items` of today's work of `who` in `dataset` against the daily cap `cap`, in its
	/// share record (which pending work has opened). `contribution` picks the counter.
	pub(crate) fn count_daily_work(
		dataset: DatasetId,
		who: &T::AccountId,
		items: u32,
		cap: u32,
		contribution: bool,
	) -> DispatchResult {
		let today = Self::today();
		Shareholdings::<T>::try_mutate(dataset, who, |maybe| {
			let shareholding = maybe.as_mut().ok_or(Error::<T>::NoShareholding)?;
			if shareholding.day != today {
				shareholding.day = today;
				shareholding.contributed_today = 0;
				shareholding.annotated_today = 0;
			}
			let counter = if contribution {
				&mut shareholding.contributed_today
			} else {
				&mut shareholding.annotated_today
			};
			let after = counter.saturating_add(items);
			ensure!(after <= cap, Error::<T>::DailyCapReached);
			*counter = after;
			Ok(())
		})
	}

	/// The current day: the block number divided by `BlocksPerDay`.
	fn today() -> u32 {
		let now: BlockNumberFor<T> = frame_system::Pallet::<T>::block_number();
		// A zero `BlocksPerDay` (a misconfiguration) counts everything in one day.
		now.checked_div(&T::BlocksPerDay::get()).unwrap_or_default().saturated_into()
	}
}
