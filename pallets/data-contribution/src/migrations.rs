//! Storage migrations.
//!
//! **v0 → v1** (sealed, drawn reviews). Ballots were open lists of approvals and rejections, a
//! task counted `accepted` items paid at once, and a dataset did not count its reviewers. The
//! migration:
//! - counts each dataset's admitted reviewers (the pool panels are drawn from);
//! - voids every open v0 ballot: each voter's open vote and pending share record entry are
//!   closed without judgement, and the work gets a fresh sealed ballot opened now;
//! - carries each task's panel size over from `required_approvals`, its accepted items to
//!   `paid` (v0 paid them on acceptance), with no gold items and nothing disputed;
//! - turns v0 `Accepted` slots (paid) into `Paid`; a v0 `Submitted` slot holds no annotation
//!   stake (none was taken).
//!
//! Funds do not move: every hold stays as it was, and the invariants (`do_try_state`) hold
//! after it. It visits every dataset, member, contribution, task and slot once, in one block:
//! fine for a young chain; a large one would need a multi-block migration.

use crate::{pallet::*, types::*};
use alloc::collections::btree_map::BTreeMap;
use codec::{Decode, Encode};
use frame_support::{
	migrations::VersionedMigration,
	pallet_prelude::*,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

/// The v0 layouts, decoded once by the migration.
mod v0 {
	use super::*;

	#[derive(Encode, Decode)]
	pub struct Dataset<T: Config> {
		pub curator: AccountIdOf<T>,
		pub pending_curator: Option<AccountIdOf<T>>,
		pub metadata: DatasetMetadata<T>,
		pub terms: DatasetTerms,
		pub total_shares: Shares,
		pub holders: u32,
		pub pending_contributions: u32,
		pub open_tasks: u32,
		pub members: u32,
		pub rules: DatasetRules,
		pub frozen: bool,
		pub deposit: BalanceOf<T>,
		pub revision: u32,
	}

	#[derive(Encode, Decode)]
	pub struct Ballot<T: Config> {
		pub approvals: BoundedVec<AccountIdOf<T>, T::MaxQuorum>,
		pub rejections: BoundedVec<AccountIdOf<T>, T::MaxQuorum>,
	}

	#[derive(Encode, Decode)]
	pub struct Contribution<T: Config> {
		pub dataset: DatasetId,
		pub contributor: AccountIdOf<T>,
		pub content_hash: ContentHash,
		pub item_count: u32,
		pub ballot: Ballot<T>,
		pub deposit: BalanceOf<T>,
		pub stake: BalanceOf<T>,
		pub submitted_at: BlockNumberFor<T>,
	}

	#[derive(Encode, Decode)]
	pub struct AnnotationTask<T: Config> {
		pub requester: AccountIdOf<T>,
		pub dataset: DatasetId,
		pub item_count: u32,
		pub reward_per_item: BalanceOf<T>,
		pub reviewer_fee: BalanceOf<T>,
		pub required_approvals: u32,
		pub deadline: BlockNumberFor<T>,
		pub occupied: u32,
		pub under_review: u32,
		pub accepted: u32,
		pub remaining_bounty: BalanceOf<T>,
		pub deposit: BalanceOf<T>,
	}

	#[derive(Encode, Decode)]
	pub enum Slot<T: Config> {
		Claimed { annotator: AccountIdOf<T>, claimed_at: BlockNumberFor<T> },
		Submitted { annotator: AccountIdOf<T>, result_hash: ContentHash, ballot: Ballot<T> },
		Accepted { annotator: AccountIdOf<T>, result_hash: ContentHash },
	}
}

#[cfg(test)]
pub(crate) use v0::{
	AnnotationTask as TaskV0, Ballot as BallotV0, Contribution as ContributionV0,
	Dataset as DatasetV0, Slot as SlotV0,
};

/// The v0 → v1 step; run it through [`MigrateToV1`], which checks and sets the storage version.
pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

impl<T: Config> InnerMigrateV0ToV1<T> {
	/// Closes, without judgement, the open vote of every voter of a v0 ballot.
	fn void(dataset: DatasetId, ballot: &v0::Ballot<T>, writes: &mut u64) {
		for voter in ballot.approvals.iter().chain(ballot.rejections.iter()) {
			Pallet::<T>::close_pending(dataset, voter);
			Reviewers::<T>::mutate(voter, |maybe| {
				if let Some(reviewer) = maybe.as_mut() {
					reviewer.open_votes = reviewer.open_votes.saturating_sub(1);
				}
			});
			*writes = writes.saturating_add(2);
		}
	}
}

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
	fn on_runtime_upgrade() -> Weight {
		let (mut reads, mut writes) = (0u64, 0u64);
		let now = frame_system::Pallet::<T>::block_number();

		let mut pools: BTreeMap<DatasetId, u32> = BTreeMap::new();
		for (dataset, _, roles) in Members::<T>::iter() {
			reads = reads.saturating_add(1);
			if roles.reviewer {
				let pool = pools.entry(dataset).or_default();
				*pool = pool.saturating_add(1);
			}
		}
		Datasets::<T>::translate::<v0::Dataset<T>, _>(|id, old| {
			reads = reads.saturating_add(1);
			writes = writes.saturating_add(1);
			Some(Dataset {
				curator: old.curator,
				pending_curator: old.pending_curator,
				metadata: old.metadata,
				terms: old.terms,
				total_shares: old.total_shares,
				holders: old.holders,
				pending_contributions: old.pending_contributions,
				open_tasks: old.open_tasks,
				members: old.members,
				reviewers: pools.get(&id).copied().unwrap_or_default(),
				rules: old.rules,
				frozen: old.frozen,
				deposit: old.deposit,
				revision: old.revision,
			})
		});
		let pool = |dataset: DatasetId| pools.get(&dataset).copied().unwrap_or_default();

		Contributions::<T>::translate::<v0::Contribution<T>, _>(|_, old| {
			reads = reads.saturating_add(1);
			writes = writes.saturating_add(1);
			Self::void(old.dataset, &old.ballot, &mut writes);
			Some(Contribution {
				dataset: old.dataset,
				contributor: old.contributor,
				content_hash: old.content_hash,
				item_count: old.item_count,
				ballot: Ballot::new(now, pool(old.dataset)),
				deposit: old.deposit,
				stake: old.stake,
				submitted_at: old.submitted_at,
			})
		});

		let mut datasets_of_tasks: BTreeMap<TaskId, DatasetId> = BTreeMap::new();
		Tasks::<T>::translate::<v0::AnnotationTask<T>, _>(|id, old| {
			reads = reads.saturating_add(1);
			writes = writes.saturating_add(1);
			datasets_of_tasks.insert(id, old.dataset);
			Some(AnnotationTask {
				requester: old.requester,
				dataset: old.dataset,
				item_count: old.item_count,
				reward_per_item: old.reward_per_item,
				reviewer_fee: old.reviewer_fee,
				reviewers_per_item: old.required_approvals,
				deadline: old.deadline,
				gold: Gold::None,
				occupied: old.occupied,
				under_review: old.under_review,
				awaiting_payment: 0,
				paid: old.accepted,
				disputed: 0,
				remaining_bounty: old.remaining_bounty,
				deposit: old.deposit,
			})
		});

		Slots::<T>::translate::<v0::Slot<T>, _>(|task, _, old| {
			reads = reads.saturating_add(1);
			writes = writes.saturating_add(1);
			Some(match old {
				v0::Slot::Claimed { annotator, claimed_at } => {
					Slot::Claimed { annotator, claimed_at }
				}
				v0::Slot::Submitted { annotator, result_hash, ballot } => {
					let dataset = datasets_of_tasks.get(&task).copied().unwrap_or_default();
					Self::void(dataset, &ballot, &mut writes);
					Slot::Submitted {
						annotator,
						result_hash,
						stake: Zero::zero(),
						ballot: Ballot::new(now, pool(dataset)),
					}
				}
				v0::Slot::Accepted { annotator, result_hash } => {
					Slot::Paid { annotator, result_hash }
				}
			})
		});
		T::DbWeight::get().reads_writes(reads, writes)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		Pallet::<T>::do_try_state()
	}
}

/// Migrates the pallet's storage from v0 to v1 (see the module's docs), once: it runs only
/// while the on-chain storage version is 0, and sets it to 1.
pub type MigrateToV1<T> = VersionedMigration<
	0,
	1,
	InnerMigrateV0ToV1<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
