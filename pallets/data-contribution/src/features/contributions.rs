//! Contributions: batches of items submitted to a dataset, decided by its curator or by a
//! quorum of reviewers. Acceptance mints `shares_per_item` per item to the contributor.

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;

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
		Self::hold(HoldReason::ContributionDeposit, &who, deposit)?;
		Self::open_pending(dataset, &mut record, &who)?;
		record.pending_contributions = record.pending_contributions.saturating_add(1);
		Datasets::<T>::insert(dataset, record);
		Contributions::<T>::insert(
			id,
			Contribution {
				dataset,
				contributor: who.clone(),
				content_hash,
				item_count,
				ballot: Ballot::default(),
				deposit,
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
		let record = Datasets::<T>::get(contribution.dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(record.curator == who, Error::<T>::NotCurator);
		let verdict = if accept { Verdict::Accepted } else { Verdict::Rejected };
		Self::settle_contribution(id, contribution, record, Some(verdict))
	}

	pub(crate) fn do_review_contribution(
		who: T::AccountId,
		id: ContributionId,
		approve: bool,
	) -> DispatchResult {
		let mut contribution =
			Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		ensure!(contribution.contributor != who, Error::<T>::SelfReview);
		ensure!(!contribution.ballot.has_voted(&who), Error::<T>::AlreadyVoted);
		let mut record =
			Datasets::<T>::get(contribution.dataset).ok_or(Error::<T>::UnknownDataset)?;
		let mut reviewer = Self::active_reviewer(&who)?;

		let verdict = contribution
			.ballot
			.cast(who.clone(), approve, record.terms.contribution_quorum)
			.map_err(|_| Error::<T>::AlreadyVoted)?;
		Self::open_pending(contribution.dataset, &mut record, &who)?;
		reviewer.open_votes = reviewer.open_votes.saturating_add(1);
		Reviewers::<T>::insert(&who, reviewer);
		Self::deposit_event(Event::ContributionReviewed {
			contribution: id,
			reviewer: who,
			approve,
		});

		match verdict {
			Some(verdict) => Self::settle_contribution(id, contribution, record, Some(verdict)),
			None => {
				Datasets::<T>::insert(contribution.dataset, record);
				Contributions::<T>::insert(id, contribution);
				Ok(())
			}
		}
	}

	pub(crate) fn do_withdraw_contribution(
		who: T::AccountId,
		id: ContributionId,
	) -> DispatchResult {
		let contribution = Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		ensure!(contribution.contributor == who, Error::<T>::NotContributor);
		let record = Datasets::<T>::get(contribution.dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::settle_contribution(id, contribution, record, None)
	}

	/// Ends a contribution: with a verdict (accepted or rejected) or withdrawn (`None`).
	/// Releases its deposit, closes every voter's pending vote and judges the voters.
	fn settle_contribution(
		id: ContributionId,
		contribution: Contribution<T>,
		mut record: Dataset<T>,
		verdict: Option<Verdict>,
	) -> DispatchResult {
		let dataset = contribution.dataset;
		let contributor = contribution.contributor.clone();
		if verdict == Some(Verdict::Accepted) {
			let shares = Self::shares_for(&record.terms, contribution.item_count)?;
			Self::mint(dataset, &mut record, &contributor, shares)?;
			Self::deposit_event(Event::ContributionAccepted {
				contribution: id,
				dataset,
				contributor: contributor.clone(),
				shares,
			});
		}
		Self::close_pending(dataset, &contributor);
		Self::close_ballot(dataset, &contribution.ballot, verdict);
		record.pending_contributions = record.pending_contributions.saturating_sub(1);
		Self::release(HoldReason::ContributionDeposit, &contributor, contribution.deposit);
		Datasets::<T>::insert(dataset, record);
		Contributions::<T>::remove(id);
		match verdict {
			Some(Verdict::Accepted) => {}
			Some(Verdict::Rejected) => Self::deposit_event(Event::ContributionRejected {
				contribution: id,
				dataset,
				contributor,
			}),
			None => Self::deposit_event(Event::ContributionWithdrawn {
				contribution: id,
				dataset,
				contributor,
			}),
		}
		Ok(())
	}
}
