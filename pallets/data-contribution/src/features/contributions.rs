//! Contributions: batches of items submitted to a dataset, decided by its curator or by a
//! panel of the reviewers it admitted (sealed votes, `reviews`). Acceptance mints
//! `shares_per_item` per item to the contributor and `ReviewerShare` of that to each reviewer
//! who revealed a vote, whichever way; rejection or withdrawal forfeits the contributor's
//! stake; a contribution nobody decides expires without a verdict.

use crate::{pallet::*, types::*};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::traits::{CheckedAdd, CheckedMul, Saturating, Zero};

/// How a pending contribution ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
	/// The curator decided.
	Decided(Verdict),
	/// The reviewers' panel decided.
	Voted(Verdict),
	/// The contributor took it back.
	Withdrawn,
	/// Nobody decided within `ContributionTimeout`.
	Expired,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_submit_contribution(
		who: T::AccountId,
		dataset: DatasetId,
		content_hash: ContentHash,
		item_count: u32,
	) -> DispatchResult {
		ensure!(item_count > 0, Error::<T>::ZeroItems);
		ensure!(item_count <= T::MaxItemsPerContribution::get(), Error::<T>::TooManyItems);
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(item_count <= record.rules.max_contribution_items, Error::<T>::TooManyItems);
		ensure!(!record.frozen, Error::<T>::DatasetFrozen);
		ensure!(
			record.pending_contributions < T::MaxPendingContributions::get(),
			Error::<T>::TooManyPendingContributions
		);
		// Reject a shares overflow now rather than when the contribution is accepted.
		Self::shares_for(&record.terms, item_count)?;
		let id = NextContributionId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;

		let deposit = T::ContributionDeposit::get();
		let stake = T::ContributionStakePerItem::get()
			.checked_mul(&item_count.into())
			.ok_or(Error::<T>::BountyOverflow)?;
		let held = deposit.checked_add(&stake).ok_or(Error::<T>::BountyOverflow)?;
		Self::hold(HoldReason::ContributionDeposit, &who, held)?;
		Self::open_pending(dataset, &mut record, &who)?;
		Self::count_daily_work(
			dataset,
			&who,
			item_count,
			record.rules.contribution_items_per_day,
			true,
		)?;
		record.pending_contributions = record.pending_contributions.saturating_add(1);
		let pool = record.reviewers;
		Datasets::<T>::insert(dataset, record);
		Contributions::<T>::insert(
			id,
			Contribution {
				dataset,
				contributor: who.clone(),
				content_hash,
				item_count,
				ballot: Ballot::new(frame_system::Pallet::<T>::block_number(), pool),
				deposit,
				stake,
				submitted_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		NextContributionId::<T>::put(next);
		Self::deposit_event(Event::ContributionSubmitted {
			contribution: id,
			dataset,
			contributor: who,
			content_hash,
			item_count,
		});
		Ok(())
	}

	pub(crate) fn do_decide_contribution(
		who: T::AccountId,
		id: ContributionId,
		accept: bool,
	) -> DispatchResult {
		let contribution = Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		let mut record =
			Datasets::<T>::get(contribution.dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(record.curator == who, Error::<T>::NotCurator);
		// The curator's verdict changes who holds the dataset's shares: a taker of an offered
		// curatorship must see it.
		record.revise();
		let verdict = if accept { Verdict::Accepted } else { Verdict::Rejected };
		Self::settle_contribution(id, contribution, record, Ending::Decided(verdict))
	}

	/// Applies a panel's verdict (from `reviews`).
	pub(crate) fn conclude_contribution(
		id: ContributionId,
		contribution: Contribution<T>,
		record: Dataset<T>,
		verdict: Verdict,
	) -> DispatchResult {
		Self::settle_contribution(id, contribution, record, Ending::Voted(verdict))
	}

	pub(crate) fn do_withdraw_contribution(
		who: T::AccountId,
		id: ContributionId,
	) -> DispatchResult {
		let contribution = Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		ensure!(contribution.contributor == who, Error::<T>::NotContributor);
		let record = Datasets::<T>::get(contribution.dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::settle_contribution(id, contribution, record, Ending::Withdrawn)
	}

	pub(crate) fn do_expire_contribution(id: ContributionId) -> DispatchResult {
		let contribution = Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		ensure!(
			frame_system::Pallet::<T>::block_number()
				>= contribution.submitted_at.saturating_add(T::ContributionTimeout::get()),
			Error::<T>::ContributionNotExpired
		);
		let record = Datasets::<T>::get(contribution.dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::settle_contribution(id, contribution, record, Ending::Expired)
	}

	/// Ends a contribution: decided, withdrawn or expired. Mints the shares of an accepted
	/// one, forfeits the stake of a rejected one, returns the rest, closes every voter's
	/// pending vote and judges the voters when there is a verdict.
	fn settle_contribution(
		id: ContributionId,
		contribution: Contribution<T>,
		mut record: Dataset<T>,
		ending: Ending,
	) -> DispatchResult {
		let dataset = contribution.dataset;
		let contributor = contribution.contributor.clone();
		let verdict = match ending {
			Ending::Decided(verdict) | Ending::Voted(verdict) => Some(verdict),
			Ending::Withdrawn | Ending::Expired => None,
		};
		if verdict == Some(Verdict::Accepted) {
			let shares = Self::shares_for(&record.terms, contribution.item_count)?;
			Self::mint(dataset, &mut record, &contributor, shares)?;
			// Validators of data earn from its later use, as reviewers of task items do, and
			// whichever way they voted: paying only approvals would pay for rubber stamps.
			let reviewer_shares = T::ReviewerShare::get().mul_floor(shares);
			for (reviewer, _) in contribution.ballot.revealed() {
				Self::mint(dataset, &mut record, reviewer, reviewer_shares)?;
			}
			Self::deposit_event(Event::ContributionAccepted {
				contribution: id,
				dataset,
				contributor: contributor.clone(),
				shares,
			});
		}
		Self::close_pending(dataset, &contributor);
		for voter in contribution.ballot.voters() {
			Self::close_pending(dataset, voter);
		}
		// Only a panel that ran its course judges its no-shows; the curator may cut it short.
		Self::close_seats(&contribution.ballot, verdict, matches!(ending, Ending::Voted(_)), false);
		record.pending_contributions = record.pending_contributions.saturating_sub(1);
		// A rejected contribution forfeits its stake, and so does a withdrawn one: otherwise a
		// submitter of junk would withdraw as soon as rejections (or the curator's decision)
		// appear, and junk would cost nothing.
		let forfeited = if verdict == Some(Verdict::Rejected) || ending == Ending::Withdrawn {
			Self::forfeit_stake(&contributor, contribution.stake)?
		} else {
			Self::release(HoldReason::ContributionDeposit, &contributor, contribution.stake);
			Zero::zero()
		};
		Self::release(HoldReason::ContributionDeposit, &contributor, contribution.deposit);
		Datasets::<T>::insert(dataset, record);
		Contributions::<T>::remove(id);
		match ending {
			Ending::Decided(Verdict::Accepted) | Ending::Voted(Verdict::Accepted) => {}
			Ending::Decided(Verdict::Rejected) | Ending::Voted(Verdict::Rejected) => {
				Self::deposit_event(Event::ContributionRejected {
					contribution: id,
					dataset,
					contributor,
					forfeited,
				})
			}
			Ending::Withdrawn => Self::deposit_event(Event::ContributionWithdrawn {
				contribution: id,
				dataset,
				contributor,
				forfeited,
			}),
			Ending::Expired => Self::deposit_event(Event::ContributionExpired {
				contribution: id,
				dataset,
				contributor,
			}),
		}
		Ok(())
	}

	/// Moves a rejected contribution's stake from the contributor's hold to the treasury.
	fn forfeit_stake(
		contributor: &T::AccountId,
		stake: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		if stake.is_zero() {
			return Ok(stake);
		}
		let moved = T::Currency::transfer_on_hold(
			&HoldReason::ContributionDeposit.into(),
			contributor,
			&T::TreasuryAccount::get(),
			stake,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)?;
		Ok(moved)
	}
}
