//! Reviewer votes: who may vote, what a quorum may be, and judging the voters of a closed
//! ballot. Casting a vote is `Ballot::cast` (in `types`); the features decide what a verdict
//! does to the work voted on.

use crate::{pallet::*, types::*};
use frame_support::{defensive, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// The reviewer record of `who`, if it may vote now: bonded at least `MinReviewerBond`, at
	/// or above `ReputationFloor`, and not leaving.
	pub(crate) fn active_reviewer(who: &T::AccountId) -> Result<Reviewer<T>, DispatchError> {
		let reviewer = Reviewers::<T>::get(who).ok_or(Error::<T>::NotReviewer)?;
		ensure!(
			reviewer.unbonding_at.is_none()
				&& reviewer.bond >= T::MinReviewerBond::get()
				&& reviewer.reputation >= T::ReputationFloor::get(),
			Error::<T>::ReviewerInactive
		);
		Ok(reviewer)
	}

	/// A quorum must be reachable (at least one vote) and fit a ballot side (`MaxQuorum`).
	pub(crate) fn ensure_quorum(quorum: u32) -> DispatchResult {
		ensure!(quorum >= 1 && quorum <= T::MaxQuorum::get(), Error::<T>::InvalidQuorum);
		Ok(())
	}

	/// Closes every voter's open vote in a ballot and, when there is a verdict, moves each
	/// voter's reputation towards or away from it. Without a verdict (withdrawn work, a closed
	/// task) nobody is judged: no voter was wrong.
	pub(crate) fn close_ballot(dataset: DatasetId, ballot: &Ballot<T>, verdict: Option<Verdict>) {
		let judged = |approved: bool| match verdict {
			None => None,
			Some(Verdict::Accepted) => Some(approved),
			Some(Verdict::Rejected) => Some(!approved),
		};
		let votes = ballot
			.approvals
			.iter()
			.map(|who| (who, true))
			.chain(ballot.rejections.iter().map(|who| (who, false)));
		for (who, approved) in votes {
			Self::close_pending(dataset, who);
			let changed = Reviewers::<T>::mutate(who, |maybe| {
				let Some(reviewer) = maybe.as_mut() else {
					defensive!("a voter left while its vote was open");
					return None;
				};
				reviewer.open_votes = reviewer.open_votes.saturating_sub(1);
				let matched = judged(approved)?;
				reviewer.reputation = if matched {
					reviewer
						.reputation
						.saturating_add(T::ReputationReward::get())
						.min(T::MaxReputation::get())
				} else {
					reviewer.reputation.saturating_sub(T::ReputationPenalty::get())
				};
				Some(reviewer.reputation)
			});
			if let Some(reputation) = changed {
				Self::deposit_event(Event::ReputationChanged { reviewer: who.clone(), reputation });
			}
		}
	}
}
