//! The generator's dataset builders: datasets created, curated, frozen and governed (rules,
//! members), contributions submitted, decided, withdrawn and expired, shareholdings closed,
//! annotation tasks opened, claimed, submitted, reclaimed and closed, and reviewers registered,
//! unbonded, withdrawn and slashed.

use super::generator::Target::*;
use super::generator::{now, Built, Generator, Target, FUNDED};
use crate::{Balance, BlockNumber, Runtime, RuntimeCall, UNIT};
use frame_support::traits::Get;
use pallet_data_contribution::{DatasetTerms, Slot};
use sp_runtime::{MultiAddress, Perbill};

impl Generator {
	pub(super) fn dataset_call(&mut self, target: Target) -> Built {
		use pallet_data_contribution::{Call, Contributions, Datasets, Shareholdings};
		let datasets: Vec<_> = Datasets::<Runtime>::iter().collect();
		let call = match target {
			CreateDataset => {
				let terms = DatasetTerms {
					min_model_share: if self.rng.chance(200) {
						Perbill::zero()
					} else {
						self.perbill_up_to(300_000_000)
					},
					shares_per_item: match self.rng.below(100) {
						0..=1 => 0,
						2 => u128::MAX / u128::from(self.rng.range(1, 4)),
						_ => u128::from(self.rng.range(1, 1000)),
					},
					contribution_quorum: match self.rng.below(100) {
						0..=1 => 0,
						2..=3 => self.rng.range(6, 9) as u32,
						_ => self.rng.range(1, 3) as u32,
					},
				};
				let signer = self.anyone();
				return Some((
					signer,
					RuntimeCall::DataContribution(Call::create_dataset {
						name: self.text(72),
						manifest_hash: self.hash(),
						schema: self.text(72),
						license: self.text(72),
						terms,
					}),
				));
			}
			UpdateDatasetMetadata => {
				let (id, record) = self.rng.pick(&datasets)?.clone();
				let signer = self.as_or_anyone(&record.curator);
				(
					signer,
					Call::update_dataset_metadata {
						dataset: id,
						name: self.text(72),
						manifest_hash: self.hash(),
						schema: self.text(72),
						license: self.text(72),
					},
				)
			}
			OfferCuratorship => {
				let (id, record) = self.rng.pick(&datasets)?.clone();
				let signer = self.as_or_anyone(&record.curator);
				let to = if self.rng.chance(150) {
					None
				} else {
					Some(MultiAddress::Id(self.account()))
				};
				(signer, Call::offer_curatorship { dataset: id, new_curator: to })
			}
			AcceptCuratorship => {
				let offered: Vec<_> =
					datasets.iter().filter(|(_, d)| d.pending_curator.is_some()).collect();
				let (id, record) = (*self.rng.pick(&offered)?).clone();
				let signer = self.as_or_anyone(record.pending_curator.as_ref()?);
				// Mostly the revision on chain; now and then a stale one.
				let revision = if self.rng.chance(100) {
					record.revision.wrapping_sub(1)
				} else {
					record.revision
				};
				(signer, Call::accept_curatorship { dataset: id, revision })
			}
			FreezeDataset => {
				let (id, record) = self.rng.pick(&datasets)?.clone();
				let signer = self.as_or_anyone(&record.curator);
				(signer, Call::freeze_dataset { dataset: id })
			}
			SubmitContribution => {
				let open: Vec<_> = datasets.iter().filter(|(_, d)| !d.frozen).collect();
				let id = match self.rng.pick(&open) {
					Some((id, _)) if !self.rng.chance(30) => *id,
					_ => self.rng.below(
						u64::from(pallet_data_contribution::NextDatasetId::<Runtime>::get()) + 2,
					) as u32,
				};
				let items = match self.rng.below(100) {
					0..=1 => 0,
					2 => 1_000_001,
					_ => self.rng.range(1, 50) as u32,
				};
				(
					self.anyone(),
					Call::submit_contribution {
						dataset: id,
						content_hash: self.hash(),
						item_count: items,
					},
				)
			}
			DecideContribution | WithdrawContribution => {
				let pending: Vec<_> = Contributions::<Runtime>::iter().collect();
				// Curators mostly decide what a reviewer rejected (and judge that reviewer).
				let rejected: Vec<_> = pending
					.iter()
					.filter(|(_, c)| c.ballot.revealed().any(|(_, approve)| !approve))
					.collect();
				let (id, contribution) = match self.rng.pick(&rejected) {
					Some(found) if target == DecideContribution && self.rng.bool() => {
						(*found).clone()
					}
					_ => self.rng.pick(&pending)?.clone(),
				};
				match target {
					DecideContribution => {
						let curator = Datasets::<Runtime>::get(contribution.dataset)?.curator;
						let signer = self.as_or_anyone(&curator);
						// Mostly overrule a rejecting reviewer.
						let accept = if !contribution.ballot.revealed().any(|(_, a)| !a) {
							self.rng.chance(600)
						} else {
							self.rng.chance(850)
						};
						(signer, Call::decide_contribution { contribution: id, accept })
					}
					_ => {
						let signer = self.as_or_anyone(&contribution.contributor);
						(signer, Call::withdraw_contribution { contribution: id })
					}
				}
			}
			SetRules => {
				let (id, record) = self.rng.pick(&datasets)?.clone();
				let signer = self.as_or_anyone(&record.curator);
				let max: u32 =
					<Runtime as pallet_data_contribution::Config>::MaxItemsPerContribution::get();
				let rules = pallet_data_contribution::DatasetRules {
					max_contribution_items: match self.rng.below(100) {
						0..=1 => 0,
						2..=3 => max + 1,
						_ => self.rng.range(1, 60) as u32,
					},
					contribution_items_per_day: self.rng.range(1, 200) as u32,
					annotations_per_day: self.rng.range(1, 50) as u32,
				};
				(signer, Call::set_rules { dataset: id, rules })
			}
			ExpireContribution => {
				let pending: Vec<_> = Contributions::<Runtime>::iter().collect();
				let timeout: BlockNumber =
					<Runtime as pallet_data_contribution::Config>::ContributionTimeout::get();
				let now = now();
				let old: Vec<_> =
					pending.iter().filter(|(_, c)| now >= c.submitted_at + timeout).collect();
				let id = match self.rng.pick(&old) {
					Some((id, _)) => *id,
					None => self.rng.pick(&pending)?.0,
				};
				(self.anyone(), Call::expire_contribution { contribution: id })
			}
			RemoveIdleShareholding => {
				let holdings: Vec<_> = Shareholdings::<Runtime>::iter().collect();
				let idle: Vec<_> =
					holdings.iter().filter(|(_, _, h)| h.shares == 0 && h.pending == 0).collect();
				let (dataset, holder, _) = match self.rng.pick(&idle) {
					Some(found) if !self.rng.chance(100) => (*found).clone(),
					_ => self.rng.pick(&holdings)?.clone(),
				};
				let curator = Datasets::<Runtime>::get(dataset)?.curator;
				let signer = self.as_or_anyone(&curator);
				(
					signer,
					Call::remove_idle_shareholding { dataset, holder: MultiAddress::Id(holder) },
				)
			}
			_ => {
				// CloseShareholding: an empty holding if there is one.
				let holdings: Vec<_> = Shareholdings::<Runtime>::iter().collect();
				let empty: Vec<_> =
					holdings.iter().filter(|(_, _, h)| h.shares == 0 && h.pending == 0).collect();
				let (dataset, holder, _) = match self.rng.pick(&empty) {
					Some(found) if !self.rng.chance(100) => (*found).clone(),
					_ => self.rng.pick(&holdings)?.clone(),
				};
				let signer = self.as_or_anyone(&holder);
				(signer, Call::close_shareholding { dataset })
			}
		};
		Some((call.0, RuntimeCall::DataContribution(call.1)))
	}

	pub(super) fn task_call(&mut self, target: Target) -> Built {
		use pallet_data_contribution::{Call, Datasets, Slots, Tasks};
		let now = now();
		let call = match target {
			OpenTask => {
				let open: Vec<_> = Datasets::<Runtime>::iter().filter(|(_, d)| !d.frozen).collect();
				let (id, record) = self.rng.pick(&open)?.clone();
				// The curator or a requester it admitted, now and then anyone (refused).
				let requesters: Vec<usize> = (0..FUNDED)
					.filter(|i| {
						let who = &self.accounts[*i];
						*who == record.curator
							|| pallet_data_contribution::Members::<Runtime>::get(id, who)
								.is_some_and(|m| m.requester)
					})
					.collect();
				let requester = match self.rng.pick(&requesters) {
					Some(index) if !self.rng.chance(100) => *index,
					_ => self.anyone(),
				};
				let quorum = record.terms.contribution_quorum;
				let deadline = match self.rng.below(100) {
					0..=2 => now,
					3..=4 => now + 31 * crate::DAYS,
					_ => now + self.rng.range(1, 1500) as u32,
				};
				(
					requester,
					Call::open_task {
						dataset: id,
						item_count: match self.rng.below(100) {
							0..=1 => 0,
							2..=3 => 129,
							_ => self.rng.range(1, 6) as u32,
						},
						reward_per_item: self.amount(5 * UNIT),
						reviewer_fee: self.amount(UNIT / 2),
						reviewers_per_item: match self.rng.below(100) {
							0..=1 => 0,
							2..=3 => 6,
							4..=9 => quorum.saturating_sub(1),
							_ => quorum.max(self.rng.range(1, 2) as u32),
						},
						deadline,
						gold: self.rng.chance(300).then(super::reviews::gold_commitment),
					},
				)
			}
			_ => {
				let tasks: Vec<_> = Tasks::<Runtime>::iter().collect();
				let (task_id, task) = self.rng.pick(&tasks)?.clone();
				let slots: Vec<_> = Slots::<Runtime>::iter_prefix(task_id).collect();
				match target {
					ClaimSlot => {
						let free: Vec<u32> = (0..task.item_count)
							.filter(|i| !slots.iter().any(|(item, _)| item == i))
							.collect();
						let item = match self.rng.pick(&free) {
							Some(item) if !self.rng.chance(50) => *item,
							_ => self.rng.below(u64::from(task.item_count) + 1) as u32,
						};
						(self.anyone(), Call::claim_slot { task: task_id, item })
					}
					SubmitResult => {
						let claimed: Vec<_> = slots
							.iter()
							.filter_map(|(item, slot)| match slot {
								Slot::Claimed { annotator, .. } => Some((*item, annotator.clone())),
								_ => None,
							})
							.collect();
						let (item, annotator) = self.rng.pick(&claimed)?.clone();
						let signer = self.as_or_anyone(&annotator);
						// A gold item's answer half the time, so gold answers both pass and fail.
						let result_hash = match super::reviews::gold_answer(item) {
							Some(answer) if self.rng.bool() => answer,
							_ => self.hash(),
						};
						(signer, Call::submit_result { task: task_id, item, result_hash })
					}
					ReclaimSlot => {
						let timeout: BlockNumber =
							<Runtime as pallet_data_contribution::Config>::SlotTimeout::get();
						let claimed: Vec<_> = slots
							.iter()
							.filter_map(|(item, slot)| match slot {
								Slot::Claimed { claimed_at, .. } => Some((*item, *claimed_at)),
								_ => None,
							})
							.collect();
						let expired: Vec<u32> = claimed
							.iter()
							.filter(|(_, at)| now > at + timeout)
							.map(|(item, _)| *item)
							.collect();
						let item = match self.rng.pick(&expired) {
							Some(item) => *item,
							None => self.rng.pick(&claimed)?.0,
						};
						(self.anyone(), Call::reclaim_slot { task: task_id, item })
					}
					_ => {
						// CloseTask: the requester, or anyone after the deadline.
						let signer = if now > task.deadline && self.rng.bool() {
							self.anyone()
						} else {
							self.as_or_anyone(&task.requester)
						};
						(signer, Call::close_task { task: task_id })
					}
				}
			}
		};
		Some((call.0, RuntimeCall::DataContribution(call.1)))
	}

	/// A curator admitting a registered reviewer (or anyone) to its dataset, mostly as a
	/// reviewer, or dismissing a member.
	pub(super) fn member_call(&mut self, target: Target) -> Built {
		use pallet_data_contribution::{Call, Datasets, Members, Reviewers, Role};
		let datasets: Vec<_> = Datasets::<Runtime>::iter().collect();
		let (id, record) = self.rng.pick(&datasets)?.clone();
		let signer = self.as_or_anyone(&record.curator);
		let role = if self.rng.chance(700) { Role::Reviewer } else { Role::Requester };
		let call = match target {
			AdmitMember => {
				// Mostly a registered reviewer not admitted yet, so reviews can follow.
				let candidates: Vec<usize> = (0..FUNDED)
					.filter(|i| {
						let who = &self.accounts[*i];
						!Members::<Runtime>::get(id, who).is_some_and(|m| m.has(role))
							&& (role == Role::Requester || Reviewers::<Runtime>::contains_key(who))
					})
					.collect();
				let member = match self.rng.pick(&candidates) {
					Some(index) if !self.rng.chance(100) => self.accounts[*index].clone(),
					_ => self.account(),
				};
				Call::admit_member { dataset: id, member: MultiAddress::Id(member), role }
			}
			_ => {
				let members: Vec<_> = Members::<Runtime>::iter_prefix(id).collect();
				let member = match self.rng.pick(&members) {
					Some((who, _)) => who.clone(),
					None => self.account(),
				};
				Call::dismiss_member { dataset: id, member: MultiAddress::Id(member), role }
			}
		};
		Some((signer, RuntimeCall::DataContribution(call)))
	}

	pub(super) fn reviewer_call(&mut self, target: Target) -> Built {
		use pallet_data_contribution::{Call, Reviewers};
		let reviewers: Vec<_> = Reviewers::<Runtime>::iter().collect();
		let now = now();
		let call = match target {
			RegisterReviewer => {
				let min = <Runtime as pallet_data_contribution::Config>::MinReviewerBond::get();
				let candidates: Vec<usize> = (0..FUNDED)
					.filter(|i| !reviewers.iter().any(|(who, _)| *who == self.accounts[*i]))
					.collect();
				let signer = match self.rng.pick(&candidates) {
					Some(index) if !self.rng.chance(50) => *index,
					_ => self.anyone(),
				};
				let bond = match self.rng.below(100) {
					0..=2 => min - 1,
					3 => Balance::MAX,
					_ => min + Balance::from(self.rng.below(100)) * UNIT,
				};
				(signer, Call::register_reviewer { bond })
			}
			UnregisterReviewer => {
				let active: Vec<_> =
					reviewers.iter().filter(|(_, r)| r.unbonding_at.is_none()).collect();
				let (who, _) = self.rng.pick(&active)?;
				(self.as_or_anyone(&who.clone()), Call::unregister_reviewer {})
			}
			WithdrawReviewer => {
				let ready: Vec<_> = reviewers
					.iter()
					.filter(|(_, r)| {
						r.unbonding_at.is_some_and(|at| now >= at) && r.open_votes == 0
					})
					.collect();
				let who = match self.rng.pick(&ready) {
					Some((who, _)) => who.clone(),
					None => self.rng.pick(&reviewers)?.0.clone(),
				};
				(self.as_or_anyone(&who), Call::withdraw_reviewer {})
			}
			_ => {
				// SlashReviewer: one below the reputation floor if there is one.
				let floor = <Runtime as pallet_data_contribution::Config>::ReputationFloor::get();
				let low: Vec<_> = reviewers.iter().filter(|(_, r)| r.reputation < floor).collect();
				let who = match self.rng.pick(&low) {
					Some((who, _)) => who.clone(),
					None => self.rng.pick(&reviewers)?.0.clone(),
				};
				(self.anyone(), Call::slash_reviewer { reviewer: MultiAddress::Id(who) })
			}
		};
		Some((call.0, RuntimeCall::DataContribution(call.1)))
	}
}
