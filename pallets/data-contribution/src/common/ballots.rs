//! Reviewer votes: who may take a seat on a panel (admitted, bonded, drawn), what a quorum may
//! be, and judging the seated reviewers once a ballot concludes. The features decide what a
//! verdict does to the work voted on.
//!
//! **The draw.** A reviewer may take a seat on a ballot only if the draw picks it: its position
//! `blake2_256(DRAW_DOMAIN, seed, work, reviewer) mod pool` must fall below the number of
//! places open, `2 × panel`, doubling every `DrawWidening` blocks the ballot waits. The seed is
//! the hash of the block in which the ballot opened, so nobody knows the draw when it submits
//! work; seats open from the next block on. Its limits: the author of that block can choose
//! among the blocks it could build (transactions in or out) to steer the hash, and the draw
//! picks from the reviewers the curator admitted, so a curator who admits a ring still
//! decides who reviews. Once the chain has forgotten the hash (`BlockHashCount` blocks), or
//! the doubling has opened every place, every admitted reviewer is drawn.

use crate::{pallet::*, types::*};
use codec::Encode;
use frame_support::{defensive, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{BlakeTwo256, CheckedDiv, Hash, SaturatedConversion, Saturating};

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

	/// A quorum must be reachable (at least one vote) and fit a ballot (`MaxQuorum`).
	pub(crate) fn ensure_quorum(quorum: u32) -> DispatchResult {
		ensure!(quorum >= 1 && quorum <= T::MaxQuorum::get(), Error::<T>::InvalidQuorum);
		Ok(())
	}

	/// Fails unless the draw of a ballot opened at `opened_at` picks `who` now, out of a pool
	/// of `pool` admitted reviewers, for a panel of `panel` seats (see the module's docs).
	pub(crate) fn ensure_drawn(
		work: &Work,
		who: &T::AccountId,
		opened_at: BlockNumberFor<T>,
		pool: u32,
		panel: u32,
	) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now > opened_at, Error::<T>::DrawPending);
		let age = now.saturating_sub(opened_at);
		let doublings: u32 = age
			.checked_div(&T::DrawWidening::get())
			.map(|d| d.saturated_into::<u32>())
			.unwrap_or(u32::MAX)
			.min(31);
		let places = u64::from(panel).saturating_mul(2).saturating_mul(1u64 << doublings);
		if places >= u64::from(pool) {
			return Ok(());
		}
		let seed = frame_system::Pallet::<T>::block_hash(opened_at);
		if seed == T::Hash::default() {
			// The chain no longer keeps that block's hash: the draw cannot be checked, and the
			// ballot has waited long enough to be open to every admitted reviewer.
			return Ok(());
		}
		let draw = BlakeTwo256::hash(&(DRAW_DOMAIN, seed, work, who).encode());
		let position = u64::from_le_bytes(
			draw.as_bytes().get(..8).and_then(|bytes| bytes.try_into().ok()).unwrap_or([0u8; 8]),
		)
		.checked_rem(u64::from(pool))
		.unwrap_or_default();
		ensure!(position < places, Error::<T>::NotDrawn);
		Ok(())
	}

	/// Judges every seat once a ballot concludes and closes its open vote: a revealed vote
	/// moves towards or away from `verdict`, a seat that never revealed down (when `no_shows`
	/// are judged: the reveal period ran out). Without a verdict (withdrawn work, a closed task,
	/// a curator's decision before the reveal) a revealed vote is not judged. With
	/// `keep_revealed_open`, revealed votes stay open (an accepted item's, until it is paid).
	pub(crate) fn close_seats(
		ballot: &Ballot<T>,
		verdict: Option<Verdict>,
		no_shows: bool,
		keep_revealed_open: bool,
	) {
		for seat in ballot.seats.iter() {
			let judgement = match (seat.vote, verdict) {
				(Some(vote), Some(verdict)) => {
					Judgement::of(vote == (verdict == Verdict::Accepted))
				}
				(None, _) if no_shows => Judgement::Wrong,
				_ => Judgement::None,
			};
			let close = !(keep_revealed_open && seat.vote.is_some());
			Self::judge_vote(&seat.reviewer, judgement, close);
		}
	}

	/// Moves the reputation of `who` by `judgement` and, if `close`, ends one of its open votes.
	pub(crate) fn judge_vote(who: &T::AccountId, judgement: Judgement, close: bool) {
		let changed = Reviewers::<T>::mutate(who, |maybe| {
			let Some(reviewer) = maybe.as_mut() else {
				defensive!("a voter left while its vote was open");
				return None;
			};
			if close {
				reviewer.open_votes = reviewer.open_votes.saturating_sub(1);
			}
			let before = reviewer.reputation;
			reviewer.reputation = match judgement {
				Judgement::None => return None,
				Judgement::Right => before.saturating_add(T::ReputationReward::get()),
				Judgement::Wrong => before.saturating_sub(T::ReputationPenalty::get()),
				// The earlier penalty is undone and the reward given.
				Judgement::OverturnedToRight => before
					.saturating_add(T::ReputationPenalty::get())
					.saturating_add(T::ReputationReward::get()),
				// The earlier reward is undone and the penalty taken.
				Judgement::OverturnedToWrong => before
					.saturating_sub(T::ReputationReward::get())
					.saturating_sub(T::ReputationPenalty::get()),
			}
			.min(T::MaxReputation::get());
			Some(reviewer.reputation)
		});
		if let Some(reputation) = changed {
			Self::deposit_event(Event::ReputationChanged { reviewer: who.clone(), reputation });
		}
	}
}

/// How a closing vote moves its reviewer's reputation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Judgement {
	/// Not judged.
	None,
	/// The vote matched the verdict: `ReputationReward`.
	Right,
	/// The vote went against the verdict, or was never revealed: `ReputationPenalty`.
	Wrong,
	/// A later finding (a dispute, a gold answer) proved right a vote judged wrong at the
	/// verdict.
	OverturnedToRight,
	/// A later finding proved wrong a vote judged right at the verdict.
	OverturnedToWrong,
}

impl Judgement {
	fn of(right: bool) -> Self {
		if right {
			Self::Right
		} else {
			Self::Wrong
		}
	}
}
