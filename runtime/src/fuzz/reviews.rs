//! The generator's sealed reviews: drawn reviewers commit and reveal (now and then the wrong
//! vote, or out of turn), ballots are concluded, accepted items paid or disputed, and gold
//! answers revealed. A reviewer's salt is derived from the work and the reviewer, so the
//! generator reads what it sealed back from the chain instead of remembering it.

use super::generator::{Generator, FUNDED};
use crate::{AccountId, Runtime, RuntimeCall};
use codec::Encode;
use pallet_data_contribution::{
	Call, Contributions, Datasets, Members, Reviewers, Salt, Slot, Slots, Tasks, Work,
};
use sp_core::H256;
use sp_runtime::traits::{BlakeTwo256, Hash};

/// Every gold task's answers: item 0's result is this hash.
const GOLD: [(u32, H256); 1] = [(0, H256::repeat_byte(0x60))];
const GOLD_SALT: Salt = [6; 32];

/// The commitment of the generator's gold tasks.
pub(super) fn gold_commitment() -> H256 {
	pallet_data_contribution::gold_commitment(&GOLD, &GOLD_SALT)
}

/// The gold answer of `item` in the generator's gold tasks, if it is a gold item.
pub(super) fn gold_answer(item: u32) -> Option<H256> {
	GOLD.iter().find(|(gold, _)| *gold == item).map(|(_, answer)| *answer)
}

fn salt(work: &Work, who: &AccountId) -> Salt {
	BlakeTwo256::hash(&(work, who).encode()).0
}

/// Open ballots: `(work, dataset, excluded voters, ballot)`.
fn ballots() -> Vec<OpenBallot> {
	let contributions = Contributions::<Runtime>::iter()
		.map(|(id, c)| (Work::Contribution(id), c.dataset, vec![c.contributor], c.ballot));
	let items = Slots::<Runtime>::iter().filter_map(|(task, item, slot)| match slot {
		Slot::Submitted { annotator, ballot, .. } => {
			let record = Tasks::<Runtime>::get(task)?;
			Some((
				Work::Item { task, item },
				record.dataset,
				vec![annotator, record.requester],
				ballot,
			))
		}
		_ => None,
	});
	let mut all: Vec<_> = contributions.chain(items).collect();
	all.sort_by_key(|(work, ..)| work.encode());
	all
}

type OpenBallot = (Work, u32, Vec<AccountId>, pallet_data_contribution::Ballot<Runtime>);

impl Generator {
	/// A ballot of `ballots`, a task item's most of the time: items are rarer than
	/// contributions, and their later steps (payment, disputes, gold) need them decided.
	fn pick_preferring_items(&mut self, ballots: &[OpenBallot]) -> Option<OpenBallot> {
		let items: Vec<_> =
			ballots.iter().filter(|(w, ..)| matches!(w, Work::Item { .. })).cloned().collect();
		match self.rng.pick(&items) {
			Some(found) if !self.rng.chance(200) => Some(found.clone()),
			_ => self.rng.pick(ballots).cloned(),
		}
	}

	pub(super) fn review_call(
		&mut self,
		target: super::generator::Target,
	) -> super::generator::Built {
		use super::generator::Target::*;
		let call = match target {
			CommitVote => {
				let open: Vec<_> =
					ballots().into_iter().filter(|(.., b)| b.reveal_until.is_none()).collect();
				let (work, dataset, excluded, ballot) = self.pick_preferring_items(&open)?;
				// Admitted, active, drawn reviewers not seated yet (the sloppy one among them).
				let eligible: Vec<usize> = (0..FUNDED)
					.filter(|i| {
						let who = &self.accounts[*i];
						!excluded.contains(who)
							&& !ballot.is_seated(who)
							&& Members::<Runtime>::get(dataset, who).is_some_and(|m| m.reviewer)
							&& Reviewers::<Runtime>::get(who)
								.is_some_and(|r| r.unbonding_at.is_none() && r.reputation >= 50)
							&& pallet_data_contribution::Pallet::<Runtime>::is_drawn(&work, who)
					})
					.collect();
				// The sloppy reviewer takes every contribution seat it can (and sits silent on
				// it); items' panels are left to the others, so that items get accepted.
				let contribution = matches!(work, Work::Contribution(_));
				let signer =
					if contribution && eligible.contains(&self.sloppy) && self.rng.chance(800) {
						self.sloppy
					} else {
						self.reviewer(&eligible)
					};
				let approve = self.vote(signer);
				let who =
					self.accounts.get(signer).cloned().unwrap_or_else(|| self.accounts[0].clone());
				let commitment = pallet_data_contribution::vote_commitment(
					&work,
					&who,
					approve,
					&salt(&work, &who),
				);
				(signer, Call::commit_vote { work, commitment })
			}
			RevealVote | ConcludeBallot => {
				let full: Vec<_> =
					ballots().into_iter().filter(|(.., b)| b.reveal_until.is_some()).collect();
				let sloppy = self.accounts.get(self.sloppy).cloned();
				let silent_sloppy = |ballot: &pallet_data_contribution::Ballot<Runtime>| {
					ballot
						.seats
						.iter()
						.any(|s| Some(&s.reviewer) == sloppy.as_ref() && s.vote.is_none())
				};
				if target == ConcludeBallot {
					// Mostly a ballot over its reveal period on which the sloppy reviewer sat
					// silent: concluding it penalises the no-show, until it can be slashed.
					let now = frame_system::Pallet::<Runtime>::block_number();
					let overdue: Vec<_> = full
						.iter()
						.filter(|(.., b)| {
							b.reveal_until.is_some_and(|u| now > u) && silent_sloppy(b)
						})
						.cloned()
						.collect();
					let (work, ..) = match self.rng.pick(&overdue) {
						Some(found) if !self.rng.chance(200) => found.clone(),
						_ => self.pick_preferring_items(&full)?,
					};
					(self.anyone(), Call::conclude_ballot { work })
				} else {
					let (work, _, _, ballot) = self.pick_preferring_items(&full)?;
					// The sloppy reviewer takes seats and mostly never reveals.
					let unrevealed: Vec<_> =
						ballot.seats.iter().filter(|s| s.vote.is_none()).collect();
					let others: Vec<_> = unrevealed
						.iter()
						.filter(|s| Some(&s.reviewer) != sloppy.as_ref())
						.copied()
						.collect();
					let seat = match self.rng.pick(&others) {
						Some(seat) if !self.rng.chance(100) => (*seat).clone(),
						_ => (*self.rng.pick(&unrevealed)?).clone(),
					};
					let salt = salt(&work, &seat.reviewer);
					let sealed = pallet_data_contribution::vote_commitment(
						&work,
						&seat.reviewer,
						true,
						&salt,
					) == seat.commitment;
					// The vote it sealed, now and then the other one (refused).
					let approve = if self.rng.chance(30) { !sealed } else { sealed };
					let signer = self.as_or_anyone(&seat.reviewer);
					(signer, Call::reveal_vote { work, approve, salt })
				}
			}
			PayItem | DisputeItem => {
				let now = frame_system::Pallet::<Runtime>::block_number();
				let accepted: Vec<_> = Slots::<Runtime>::iter()
					.filter_map(|(task, item, slot)| match slot {
						Slot::Accepted { payable_at, .. } => Some((task, item, payable_at)),
						_ => None,
					})
					.collect();
				// Disputes mostly aim at items still in their window (time jumps far here).
				let in_window: Vec<_> =
					accepted.iter().filter(|(.., payable_at)| now < *payable_at).copied().collect();
				let (task, item, _) = match self.rng.pick(&in_window) {
					Some(found) if target == DisputeItem && !self.rng.chance(200) => *found,
					_ => *self.rng.pick(&accepted)?,
				};
				let record = Tasks::<Runtime>::get(task)?;
				let curator = Datasets::<Runtime>::get(record.dataset)?.curator;
				// The requester or the curator mostly; anyone now and then (allowed to pay
				// once the window is over).
				let signer = match self.rng.below(10) {
					0..=6 => self.as_or_anyone(&record.requester),
					7..=8 => self.as_or_anyone(&curator),
					_ => self.anyone(),
				};
				if target == PayItem {
					(signer, Call::pay_item { task, item })
				} else {
					(signer, Call::dispute_item { task, item })
				}
			}
			_ => {
				// RevealGold: a task with sealed gold answers, mostly the right answers.
				let gold: Vec<_> = Tasks::<Runtime>::iter()
					.filter(|(_, t)| matches!(t.gold, pallet_data_contribution::Gold::Committed(_)))
					.map(|(id, t)| (id, t.requester))
					.collect();
				let (task, requester) = self.rng.pick(&gold)?.clone();
				let signer = self.as_or_anyone(&requester);
				let salt = if self.rng.chance(50) { [0; 32] } else { GOLD_SALT };
				(signer, Call::reveal_gold { task, answers: GOLD.to_vec(), salt })
			}
		};
		Some((call.0, RuntimeCall::DataContribution(call.1)))
	}
}
