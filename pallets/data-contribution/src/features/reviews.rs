//! Sealed reviews of contributions and task items: drawn reviewers commit to their votes, then
//! reveal them once the panel is full, and the ballot concludes when every seat revealed or the
//! reveal period ran out. Nobody sees a vote before casting its own, so reviewers cannot copy
//! each other or follow the first vote.

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;
use sp_runtime::traits::Saturating;

/// The ballot a piece of work is voted on, with what the draw and the seats need to know.
struct OpenWork<T: Config> {
	dataset: DatasetId,
	record: Dataset<T>,
	ballot: Ballot<T>,
	panel: u32,
	/// Accounts that may not vote on it: the contributor, or the annotator and the requester.
	excluded: [Option<T::AccountId>; 2],
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_commit_vote(
		who: T::AccountId,
		work: Work,
		commitment: VoteCommitment,
	) -> DispatchResult {
		let mut open = Self::open_work(&work)?;
		ensure!(!open.excluded.iter().flatten().any(|x| x == &who), Error::<T>::SelfReview);
		ensure!(!open.ballot.is_seated(&who), Error::<T>::AlreadyVoted);
		ensure!(
			Self::is_member(open.dataset, &who, Role::Reviewer),
			Error::<T>::NotDatasetReviewer
		);
		let mut reviewer = Self::active_reviewer(&who)?;
		let seats = u32::try_from(open.ballot.seats.len()).unwrap_or(u32::MAX);
		ensure!(open.ballot.reveal_until.is_none() && seats < open.panel, Error::<T>::PanelFull);
		Self::ensure_drawn(&work, &who, open.ballot.opened_at, open.ballot.pool, open.panel)?;

		open.ballot
			.seats
			.try_push(Seat { reviewer: who.clone(), commitment, vote: None })
			.map_err(|_| Error::<T>::PanelFull)?;
		let seats = seats.saturating_add(1);
		if seats >= open.panel {
			let now = frame_system::Pallet::<T>::block_number();
			open.ballot.reveal_until = Some(now.saturating_add(T::RevealWindow::get()));
		}
		Self::open_pending(open.dataset, &mut open.record, &who)?;
		reviewer.open_votes = reviewer.open_votes.saturating_add(1);
		Reviewers::<T>::insert(&who, reviewer);
		Self::deposit_event(Event::VoteCommitted {
			work,
			reviewer: who,
			seats_taken: seats,
			reveal_until: open.ballot.reveal_until,
		});
		Datasets::<T>::insert(open.dataset, open.record);
		Self::store_ballot(&work, open.ballot)
	}

	pub(crate) fn do_reveal_vote(
		who: T::AccountId,
		work: Work,
		approve: bool,
		salt: Salt,
	) -> DispatchResult {
		let mut open = Self::open_work(&work)?;
		let until = open.ballot.reveal_until.ok_or(Error::<T>::RevealNotOpen)?;
		ensure!(frame_system::Pallet::<T>::block_number() <= until, Error::<T>::RevealPeriodOver);
		let seat = open
			.ballot
			.seats
			.iter_mut()
			.find(|seat| seat.reviewer == who)
			.ok_or(Error::<T>::NotSeated)?;
		ensure!(seat.vote.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(
			vote_commitment(&work, &who, approve, &salt) == seat.commitment,
			Error::<T>::CommitmentMismatch
		);
		seat.vote = Some(approve);
		Self::deposit_event(Event::VoteRevealed { work, reviewer: who, approve });
		if open.ballot.all_revealed() {
			Self::conclude(work, open)
		} else {
			Self::store_ballot(&work, open.ballot)
		}
	}

	pub(crate) fn do_conclude_ballot(work: Work) -> DispatchResult {
		let open = Self::open_work(&work)?;
		ensure!(
			open.ballot
				.reveal_until
				.is_some_and(|until| frame_system::Pallet::<T>::block_number() > until),
			Error::<T>::RevealPeriodNotOver
		);
		Self::conclude(work, open)
	}

	/// Applies the ballot's verdict to the work; a ballot nobody revealed lapses instead:
	/// its no-shows are penalised and a fresh ballot, drawn anew, starts now.
	fn conclude(work: Work, open: OpenWork<T>) -> DispatchResult {
		let OpenWork { dataset, record, ballot, .. } = open;
		match (ballot.tally(), work) {
			(Some(verdict), Work::Contribution(id)) => {
				let contribution =
					Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
				Self::conclude_contribution(
					id,
					Contribution { ballot, ..contribution },
					record,
					verdict,
				)
			}
			(Some(verdict), Work::Item { task, item }) => {
				Datasets::<T>::insert(dataset, record);
				Self::conclude_item(task, item, ballot, verdict)
			}
			(None, _) => {
				Self::close_seats(&ballot, None, true, false);
				for voter in ballot.voters() {
					Self::close_pending(dataset, voter);
				}
				let no_shows = u32::try_from(ballot.seats.len()).unwrap_or(u32::MAX);
				let restarted =
					Ballot::new(frame_system::Pallet::<T>::block_number(), record.reviewers);
				Self::deposit_event(Event::BallotLapsed { work, no_shows });
				Datasets::<T>::insert(dataset, record);
				Self::store_ballot(&work, restarted)
			}
		}
	}

	/// The ballot of a piece of work still open to votes.
	fn open_work(work: &Work) -> Result<OpenWork<T>, DispatchError> {
		let open = match *work {
			Work::Contribution(id) => {
				let c = Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
				let record = Datasets::<T>::get(c.dataset).ok_or(Error::<T>::UnknownDataset)?;
				OpenWork {
					dataset: c.dataset,
					panel: record.terms.contribution_quorum,
					record,
					ballot: c.ballot,
					excluded: [Some(c.contributor), None],
				}
			}
			Work::Item { task: id, item } => {
				let task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
				ensure!(item < task.item_count, Error::<T>::UnknownItem);
				let Some(Slot::Submitted { annotator, ballot, .. }) = Slots::<T>::get(id, item)
				else {
					return Err(Error::<T>::NotSubmitted.into());
				};
				OpenWork {
					dataset: task.dataset,
					record: Datasets::<T>::get(task.dataset).ok_or(Error::<T>::UnknownDataset)?,
					ballot,
					panel: task.reviewers_per_item,
					excluded: [Some(annotator), Some(task.requester)],
				}
			}
		};
		Ok(open)
	}

	/// Stores a ballot back into its work's record.
	fn store_ballot(work: &Work, ballot: Ballot<T>) -> DispatchResult {
		match *work {
			Work::Contribution(id) => Contributions::<T>::try_mutate(id, |maybe| {
				let contribution = maybe.as_mut().ok_or(Error::<T>::UnknownContribution)?;
				contribution.ballot = ballot;
				Ok(())
			}),
			Work::Item { task, item } => {
				Slots::<T>::try_mutate(task, item, |maybe| match maybe.as_mut() {
					Some(Slot::Submitted { ballot: stored, .. }) => {
						*stored = ballot;
						Ok(())
					}
					_ => Err(Error::<T>::NotSubmitted.into()),
				})
			}
		}
	}
}
