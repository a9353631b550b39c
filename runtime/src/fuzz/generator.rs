//! The call generator: meaningful calls of every pallet built from the chain's current state
//! (ids drawn from what exists, signers who may make the call), some of them mutated at the
//! byte level and decoded again, plus pure noise decoded from random byte streams.
//!
//! Selection is coverage-guided per run: a Tributary call that has not yet succeeded in the run
//! is tried far more often than one that has, so every call is reached early and the rest of
//! the budget explores sequences.

use super::rng::Rng;
use crate::{AccountId, Balance, BlockNumber, Runtime, RuntimeCall, EXISTENTIAL_DEPOSIT, UNIT};
use codec::{DecodeLimit, Encode};
use frame_support::traits::{Get, GetCallMetadata, GetCallName};
use pallet_data_contribution::{DatasetTerms, Slot};
use pallet_model_registry::{
	Derivatives, License, LineageSpec, Modality, ModelVersionRef, VersionSpec,
};
use sp_core::{sr25519, H256};
use sp_keyring::Sr25519Keyring as Keyring;
use sp_runtime::{MultiAddress, Perbill};
use std::collections::BTreeSet;
use tributary_vouchers::{Voucher, VoucherSigner};

/// The signers: six funded well-known accounts and one account that holds nothing.
pub(super) const KEYS: [Keyring; 7] = [
	Keyring::Alice,
	Keyring::Bob,
	Keyring::Charlie,
	Keyring::Dave,
	Keyring::Eve,
	Keyring::Ferdie,
	Keyring::One,
];
/// Signers `0..FUNDED` are endowed at genesis.
pub(super) const FUNDED: usize = 6;
/// The signer without funds: its extrinsics cannot pay their fee.
pub(super) const UNFUNDED: usize = 6;

/// Pallet indices of the runtime, for noise that at least names a pallet.
const PALLET_INDICES: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 20, 21, 22, 23];

/// The four Tributary pallets, whose every call must be reached successfully.
pub(super) const TRIBUTARY_PALLETS: [&str; 4] =
	["DataContribution", "ModelRegistry", "RoyaltyDistribution", "InvocationMetering"];

/// Where a call came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Source {
	/// Built from the state by a builder (possibly wrapped in a `Utility` call).
	Built,
	/// Built, encoded, mutated at the byte level and decoded again.
	Mutated,
	/// Decoded from a random byte stream.
	Noise,
}

/// A call to sign and apply.
pub(super) struct Planned {
	pub signer: usize,
	pub call: RuntimeCall,
	pub source: Source,
}

/// What one generation step produced.
pub(super) enum Generated {
	Call(Box<Planned>),
	/// The bytes did not decode to a call.
	Undecodable(Source),
	/// The call decoded but is excluded (`Sudo`, chain-bricking `System` calls).
	Excluded,
}

/// Whether the fuzzer may submit `call`: no `Sudo` call and none of the `System` calls that
/// replace code or raw storage, at any depth of `Utility` nesting.
pub(super) fn allowed(call: &RuntimeCall) -> bool {
	use pallet_utility::Call as U;
	match call {
		RuntimeCall::Sudo(_) => false,
		RuntimeCall::System(call) => {
			!matches!(
				call.get_call_name(),
				"set_code"
					| "set_code_without_checks"
					| "set_storage" | "kill_storage"
					| "kill_prefix" | "set_heap_pages"
					| "authorize_upgrade"
					| "authorize_upgrade_without_checks"
					| "apply_authorized_upgrade"
			)
		}
		RuntimeCall::Utility(call) => match call {
			U::batch { calls } | U::batch_all { calls } | U::force_batch { calls } => {
				calls.iter().all(allowed)
			}
			U::as_derivative { call, .. }
			| U::dispatch_as { call, .. }
			| U::with_weight { call, .. }
			| U::dispatch_as_fallible { call, .. } => allowed(call),
			U::if_else { main, fallback } => allowed(main) && allowed(fallback),
			_ => true,
		},
		_ => true,
	}
}

/// Every `(pallet, call)` in `call`, the outer call first, nested `Utility` calls after it.
pub(super) fn call_names(call: &RuntimeCall, out: &mut Vec<(&'static str, &'static str)>) {
	use pallet_utility::Call as U;
	let meta = call.get_call_metadata();
	out.push((meta.pallet_name, meta.function_name));
	if let RuntimeCall::Utility(inner) = call {
		match inner {
			U::batch { calls } | U::batch_all { calls } | U::force_batch { calls } => {
				calls.iter().for_each(|c| call_names(c, out))
			}
			U::as_derivative { call, .. }
			| U::dispatch_as { call, .. }
			| U::with_weight { call, .. }
			| U::dispatch_as_fallible { call, .. } => call_names(call, out),
			U::if_else { main, fallback } => {
				call_names(main, out);
				call_names(fallback, out);
			}
			_ => {}
		}
	}
}

/// The calls the builders target, each with its base weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
	// DataContribution
	CreateDataset,
	UpdateDatasetMetadata,
	OfferCuratorship,
	AcceptCuratorship,
	FreezeDataset,
	SubmitContribution,
	DecideContribution,
	WithdrawContribution,
	OpenTask,
	ClaimSlot,
	SubmitResult,
	ReclaimSlot,
	CloseTask,
	RegisterReviewer,
	UnregisterReviewer,
	WithdrawReviewer,
	SlashReviewer,
	CloseShareholding,
	AdmitMember,
	DismissMember,
	SetRules,
	ExpireContribution,
	RemoveIdleShareholding,
	CommitVote,
	RevealVote,
	ConcludeBallot,
	PayItem,
	DisputeItem,
	RevealGold,
	// ModelRegistry
	Register,
	PublishVersion,
	SetPrice,
	UpdateMetadata,
	Deprecate,
	OfferOwnership,
	AcceptOwnership,
	// RoyaltyDistribution
	Distribute,
	Claim,
	ClaimFor,
	ClaimPool,
	ClaimPools,
	// InvocationMetering
	RegisterOffer,
	UpdateOffer,
	WithdrawOffer,
	Invoke,
	OpenChannel,
	TopUp,
	Settle,
	SettleBatch,
	RequestClose,
	FinalizeClose,
	CloseChannel,
	// Other pallets
	Transfer,
	TransferAll,
	Burn,
	Remark,
}

use Target::*;

/// `(target, pallet, call, base weight)`. Calls that end something (freeze, deprecate,
/// withdraw, close) weigh little so that state accumulates; calls that build on state weigh
/// more.
const TARGETS: &[(Target, &str, &str, u64)] = &[
	(CreateDataset, "DataContribution", "create_dataset", 20),
	(UpdateDatasetMetadata, "DataContribution", "update_dataset_metadata", 6),
	(OfferCuratorship, "DataContribution", "offer_curatorship", 6),
	(AcceptCuratorship, "DataContribution", "accept_curatorship", 10),
	(FreezeDataset, "DataContribution", "freeze_dataset", 2),
	(SubmitContribution, "DataContribution", "submit_contribution", 40),
	(DecideContribution, "DataContribution", "decide_contribution", 25),
	(WithdrawContribution, "DataContribution", "withdraw_contribution", 6),
	(OpenTask, "DataContribution", "open_task", 20),
	(ClaimSlot, "DataContribution", "claim_slot", 30),
	(SubmitResult, "DataContribution", "submit_result", 30),
	(CommitVote, "DataContribution", "commit_vote", 45),
	(RevealVote, "DataContribution", "reveal_vote", 45),
	(ConcludeBallot, "DataContribution", "conclude_ballot", 4),
	(PayItem, "DataContribution", "pay_item", 20),
	(DisputeItem, "DataContribution", "dispute_item", 10),
	(RevealGold, "DataContribution", "reveal_gold", 4),
	(ReclaimSlot, "DataContribution", "reclaim_slot", 8),
	(CloseTask, "DataContribution", "close_task", 6),
	(RegisterReviewer, "DataContribution", "register_reviewer", 12),
	(UnregisterReviewer, "DataContribution", "unregister_reviewer", 2),
	(WithdrawReviewer, "DataContribution", "withdraw_reviewer", 6),
	(SlashReviewer, "DataContribution", "slash_reviewer", 8),
	(CloseShareholding, "DataContribution", "close_shareholding", 6),
	(AdmitMember, "DataContribution", "admit_member", 25),
	(DismissMember, "DataContribution", "dismiss_member", 2),
	(SetRules, "DataContribution", "set_rules", 3),
	(ExpireContribution, "DataContribution", "expire_contribution", 4),
	(RemoveIdleShareholding, "DataContribution", "remove_idle_shareholding", 3),
	(Register, "ModelRegistry", "register", 20),
	(PublishVersion, "ModelRegistry", "publish_version", 12),
	(SetPrice, "ModelRegistry", "set_price", 8),
	(UpdateMetadata, "ModelRegistry", "update_metadata", 5),
	(Deprecate, "ModelRegistry", "deprecate", 2),
	(OfferOwnership, "ModelRegistry", "offer_ownership", 5),
	(AcceptOwnership, "ModelRegistry", "accept_ownership", 8),
	(Distribute, "RoyaltyDistribution", "distribute", 25),
	(Claim, "RoyaltyDistribution", "claim", 20),
	(ClaimFor, "RoyaltyDistribution", "claim_for", 6),
	(ClaimPool, "RoyaltyDistribution", "claim_pool", 15),
	(ClaimPools, "RoyaltyDistribution", "claim_pools", 12),
	(RegisterOffer, "InvocationMetering", "register_offer", 15),
	(UpdateOffer, "InvocationMetering", "update_offer", 5),
	(WithdrawOffer, "InvocationMetering", "withdraw_offer", 2),
	(Invoke, "InvocationMetering", "invoke", 45),
	(OpenChannel, "InvocationMetering", "open_channel", 20),
	(TopUp, "InvocationMetering", "top_up", 8),
	(Settle, "InvocationMetering", "settle", 30),
	(SettleBatch, "InvocationMetering", "settle_batch", 12),
	(RequestClose, "InvocationMetering", "request_close", 5),
	(FinalizeClose, "InvocationMetering", "finalize_close", 8),
	(CloseChannel, "InvocationMetering", "close_channel", 2),
	(Transfer, "Balances", "transfer_keep_alive", 15),
	(TransferAll, "Balances", "transfer_all", 1),
	(Burn, "Balances", "burn", 2),
	(Remark, "System", "remark", 4),
];

/// The calls that lead to a reviewer's reputation falling below the floor: the sloppy
/// reviewer takes seats it does not reveal, and the ballots conclude with it a no-show.
const PATH_TO_SLASHING: &[Target] =
	&[RegisterReviewer, AdmitMember, SubmitContribution, CommitVote, ConcludeBallot];

/// How much more often a Tributary call that has not succeeded yet in the run is tried.
const UNCOVERED_BOOST: u64 = 8;

/// Builds calls. Holds the signers' keys; reads the chain's state when it builds.
pub(super) struct Generator {
	pub(super) rng: Rng,
	pub accounts: Vec<AccountId>,
	pub pairs: Vec<sr25519::Pair>,
	vouchers: Vec<VoucherSigner>,
	/// A reviewer who mostly votes against the outcome and mostly does not reveal, so that
	/// reputations fall, reviewers become inactive and slashing happens.
	pub(super) sloppy: usize,
}

pub(super) type Built = Option<(usize, RuntimeCall)>;

fn now() -> BlockNumber {
	frame_system::Pallet::<Runtime>::block_number()
}

impl Generator {
	pub(super) fn new(seed: u64) -> Self {
		let pairs: Vec<sr25519::Pair> = KEYS.iter().map(|k| k.pair()).collect();
		let accounts = KEYS.iter().map(|k| k.to_account_id()).collect();
		let vouchers = pairs.iter().map(|p| VoucherSigner::Sr25519(Box::new(p.clone()))).collect();
		let mut rng = Rng::new(seed);
		let sloppy = rng.below(FUNDED as u64) as usize;
		Self { rng, accounts, pairs, vouchers, sloppy }
	}

	/// One generation step.
	pub(super) fn next(&mut self, covered: &BTreeSet<(&'static str, &'static str)>) -> Generated {
		let roll = self.rng.below(1000);
		if roll < 60 {
			return self.noise();
		}
		let (signer, call) =
			if roll < 140 { self.utility(covered) } else { self.meaningful(covered) };
		if self.rng.chance(180) {
			return self.mutated(signer, &call);
		}
		if !allowed(&call) {
			return Generated::Excluded;
		}
		Generated::Call(Box::new(Planned { signer, call, source: Source::Built }))
	}

	/// A random funded signer, now and then the unfunded one.
	pub(super) fn anyone(&mut self) -> usize {
		if self.rng.chance(15) {
			UNFUNDED
		} else {
			self.rng.below(FUNDED as u64) as usize
		}
	}

	fn index_of(&self, who: &AccountId) -> Option<usize> {
		self.accounts.iter().position(|a| a == who)
	}

	/// `who`'s signer index if it is one of ours (nine times in ten), else anyone: a call by
	/// the wrong account is worth trying too.
	pub(super) fn as_or_anyone(&mut self, who: &AccountId) -> usize {
		match self.index_of(who) {
			Some(index) if !self.rng.chance(100) => index,
			_ => self.anyone(),
		}
	}

	/// Another account: a signer (mostly), a fresh account, or a pallet account.
	fn account(&mut self) -> AccountId {
		match self.rng.below(20) {
			0 => AccountId::from(<[u8; 32]>::try_from(self.rng.bytes(32)).unwrap()),
			1 => crate::RoyaltyDistribution::pot(),
			2 => crate::configs::TreasuryAccount::get(),
			_ => self.accounts[self.rng.below(KEYS.len() as u64) as usize].clone(),
		}
	}

	fn text(&mut self, max: u64) -> Vec<u8> {
		let len = self.rng.range(0, max) as usize;
		(0..len).map(|_| b'a' + (self.rng.below(26) as u8)).collect()
	}

	pub(super) fn hash(&mut self) -> H256 {
		H256::from_slice(&self.rng.bytes(32))
	}

	/// A balance: mostly ordinary sizes, sometimes zero, dust or absurd.
	fn amount(&mut self, typical: Balance) -> Balance {
		match self.rng.below(100) {
			0..=2 => 0,
			3..=5 => self.rng.range(1, EXISTENTIAL_DEPOSIT as u64) as Balance,
			6 => Balance::MAX - self.rng.below(3) as Balance,
			7 => self.rng.next_u128(),
			_ => {
				let scale = typical.max(1);
				(scale / 1000).max(1) * Balance::from(self.rng.range(1, 1000))
			}
		}
	}

	/// One of the eligible reviewers (the sloppy one often), now and then anyone.
	/// The sloppy one takes seats it mostly never reveals (on a panel of one too: its ballots
	/// lapse), so reputations fall.
	pub(super) fn reviewer(&mut self, eligible: &[usize]) -> usize {
		if self.rng.chance(50) {
			return self.anyone();
		}
		if eligible.contains(&self.sloppy) && self.rng.chance(600) {
			return self.sloppy;
		}
		match self.rng.pick(eligible) {
			Some(index) => *index,
			None => self.anyone(),
		}
	}

	/// A reviewer's vote: mostly approve (accepted work pays everyone), except the sloppy
	/// reviewer, who mostly rejects.
	pub(super) fn vote(&mut self, reviewer: usize) -> bool {
		if reviewer == self.sloppy {
			self.rng.chance(100)
		} else {
			self.rng.chance(700)
		}
	}

	fn perbill_up_to(&mut self, max_parts: u32) -> Perbill {
		Perbill::from_parts(self.rng.below(u64::from(max_parts) + 1) as u32)
	}

	// ------------------------------------------------------------------ selection

	fn meaningful(
		&mut self,
		covered: &BTreeSet<(&'static str, &'static str)>,
	) -> (usize, RuntimeCall) {
		// Slashing needs a reviewer judged wrong six times: until it happened, review more.
		let slashing = !covered.contains(&("DataContribution", "slash_reviewer"));
		let weights: Vec<u64> = TARGETS
			.iter()
			.map(|(target, pallet, call, weight)| {
				let tributary = TRIBUTARY_PALLETS.contains(pallet);
				let weight = if slashing && PATH_TO_SLASHING.contains(target) {
					weight * 6
				} else {
					*weight
				};
				if tributary && !covered.contains(&(*pallet, *call)) {
					weight * UNCOVERED_BOOST
				} else {
					weight
				}
			})
			.collect();
		for _ in 0..12 {
			let index = self.rng.weighted(&weights).unwrap_or(0);
			if let Some(built) = self.build(TARGETS[index].0) {
				return built;
			}
		}
		self.build(Transfer).expect("a transfer can always be built")
	}

	/// A `Utility` call around meaningful calls, mostly by the same signer.
	fn utility(
		&mut self,
		covered: &BTreeSet<(&'static str, &'static str)>,
	) -> (usize, RuntimeCall) {
		use pallet_utility::Call as U;
		let (signer, first) = self.meaningful(covered);
		let mut calls = vec![first];
		let items = self.rng.range(1, 4);
		for _ in 1..items {
			let mut chosen = None;
			for _ in 0..6 {
				let (who, call) = self.meaningful(covered);
				if who == signer {
					chosen = Some(call);
					break;
				}
				chosen.get_or_insert(call);
			}
			calls.extend(chosen);
		}
		let call = match self.rng.below(100) {
			0..=39 => U::batch { calls },
			40..=69 => U::batch_all { calls },
			70..=89 => U::force_batch { calls },
			90..=94 => U::as_derivative {
				index: self.rng.below(3) as u16,
				call: Box::new(calls.swap_remove(0)),
			},
			_ => {
				let main = calls.swap_remove(0);
				let fallback = calls.pop().unwrap_or_else(|| main.clone());
				U::if_else { main: Box::new(main), fallback: Box::new(fallback) }
			}
		};
		(signer, RuntimeCall::Utility(call))
	}

	/// A built call, encoded, mutated and decoded again.
	fn mutated(&mut self, signer: usize, call: &RuntimeCall) -> Generated {
		let mut bytes = call.encode();
		let edits = self.rng.range(1, 4);
		for _ in 0..edits {
			// Mostly leave the pallet and call indices alone: mutate the arguments.
			let start = if self.rng.chance(900) { 2.min(bytes.len()) } else { 0 };
			let span = bytes.len().saturating_sub(start).max(1) as u64;
			let at = start + self.rng.below(span) as usize;
			match self.rng.below(8) {
				0 if at < bytes.len() => bytes[at] ^= 1 << self.rng.below(8),
				1 if at < bytes.len() => bytes[at] = self.rng.next_u64() as u8,
				2 if at < bytes.len() => {
					bytes[at] = *self.rng.pick(&[0u8, 1, 2, 0x7f, 0x80, 0xfe, 0xff]).unwrap()
				}
				3 => {
					let fill = if self.rng.bool() { 0 } else { 0xff };
					let width = *self.rng.pick(&[2usize, 4, 8, 16]).unwrap();
					for byte in bytes.iter_mut().skip(at).take(width) {
						*byte = fill;
					}
				}
				4 => {
					let len = self.rng.range(1, 8) as usize;
					let extra = self.rng.bytes(len);
					let at = at.min(bytes.len());
					bytes.splice(at..at, extra);
				}
				5 if at < bytes.len() => {
					let end = (at + self.rng.range(1, 8) as usize).min(bytes.len());
					bytes.drain(at..end);
				}
				6 => bytes.truncate(at),
				_ => {
					let len = self.rng.range(1, 32) as usize;
					let extra = self.rng.bytes(len);
					bytes.extend(extra);
				}
			}
		}
		self.decode(bytes, signer, Source::Mutated)
	}

	/// A call decoded from a random byte stream.
	fn noise(&mut self) -> Generated {
		let len = self.rng.range(2, 96) as usize;
		let mut bytes = self.rng.bytes(len);
		// Random bytes are mostly zeros and small numbers in real encodings.
		for byte in bytes.iter_mut() {
			if self.rng.chance(300) {
				*byte = 0;
			} else if self.rng.chance(200) {
				*byte &= 0x0f;
			}
		}
		if self.rng.chance(900) {
			bytes[0] = *self.rng.pick(&PALLET_INDICES).unwrap();
			let calls = if self.rng.chance(800) { 12 } else { 256 };
			bytes[1] = self.rng.below(calls) as u8;
		}
		let signer = self.anyone();
		self.decode(bytes, signer, Source::Noise)
	}

	fn decode(&mut self, bytes: Vec<u8>, signer: usize, source: Source) -> Generated {
		match RuntimeCall::decode_with_depth_limit(
			frame_support::MAX_EXTRINSIC_DEPTH,
			&mut &bytes[..],
		) {
			Ok(call) if allowed(&call) => {
				Generated::Call(Box::new(Planned { signer, call, source }))
			}
			Ok(_) => Generated::Excluded,
			Err(_) => Generated::Undecodable(source),
		}
	}

	// ------------------------------------------------------------------- builders

	fn build(&mut self, target: Target) -> Built {
		match target {
			CreateDataset
			| UpdateDatasetMetadata
			| OfferCuratorship
			| AcceptCuratorship
			| FreezeDataset
			| SubmitContribution
			| DecideContribution
			| WithdrawContribution
			| CloseShareholding
			| SetRules
			| ExpireContribution
			| RemoveIdleShareholding => self.dataset_call(target),
			AdmitMember | DismissMember => self.member_call(target),
			OpenTask | ClaimSlot | SubmitResult | ReclaimSlot | CloseTask => self.task_call(target),
			CommitVote | RevealVote | ConcludeBallot | PayItem | DisputeItem | RevealGold => {
				self.review_call(target)
			}
			RegisterReviewer | UnregisterReviewer | WithdrawReviewer | SlashReviewer => {
				self.reviewer_call(target)
			}
			Register | PublishVersion | SetPrice | UpdateMetadata | Deprecate | OfferOwnership
			| AcceptOwnership => self.model_call(target),
			Distribute | Claim | ClaimFor | ClaimPool | ClaimPools => self.royalty_call(target),
			RegisterOffer | UpdateOffer | WithdrawOffer | Invoke => self.offer_call(target),
			OpenChannel | TopUp | Settle | SettleBatch | RequestClose | FinalizeClose
			| CloseChannel => self.channel_call(target),
			Transfer | TransferAll | Burn | Remark => self.other_call(target),
		}
	}

	fn dataset_call(&mut self, target: Target) -> Built {
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

	fn task_call(&mut self, target: Target) -> Built {
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
	fn member_call(&mut self, target: Target) -> Built {
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

	fn reviewer_call(&mut self, target: Target) -> Built {
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

	/// A version spec that satisfies the lineage rules most of the time: existing datasets
	/// at or above their minimum share, parents that allow derivatives at or above theirs,
	/// and the owner taking the rest.
	fn version_spec(&mut self, model: Option<u32>) -> VersionSpec<Runtime> {
		use pallet_data_contribution::Datasets;
		use pallet_model_registry::Versions;
		let whole: u32 = Perbill::one().deconstruct();
		let mut remaining = whole;
		// What the lineage demands of the version's own derivatives (their minimum share).
		let mut demand = 0u32;
		let mut datasets = Vec::new();
		let all: Vec<_> = Datasets::<Runtime>::iter().collect();
		for _ in 0..self.rng.below(3) {
			let Some((id, record)) = self.rng.pick(&all) else { break };
			if datasets.iter().any(|(d, _)| d == id) {
				continue;
			}
			let share =
				record.terms.min_model_share.deconstruct() + self.rng.below(50_000_000) as u32;
			if share > remaining {
				continue;
			}
			remaining -= share;
			demand = demand.saturating_add(record.terms.min_model_share.deconstruct());
			datasets.push((*id, Perbill::from_parts(share)));
		}
		let mut parents = Vec::new();
		let mut commercial = true;
		// The least price that pays each parent its absolute royalty per unit.
		let mut price_floor: Balance = 0;
		let candidates: Vec<_> = Versions::<Runtime>::iter()
			.filter(|(m, _, v)| {
				Some(*m) != model
					&& !v.deprecated
					&& matches!(v.license.derivatives, Derivatives::Allowed { .. })
			})
			.collect();
		for _ in 0..self.rng.below(3) {
			let Some((m, number, version)) = self.rng.pick(&candidates) else { break };
			let parent = ModelVersionRef { model: *m, version: *number };
			if parents.iter().any(|(p, _)| *p == parent) {
				continue;
			}
			let Derivatives::Allowed { min_upstream_share, min_royalty_per_unit } =
				version.license.derivatives
			else {
				continue;
			};
			let share = min_upstream_share.deconstruct() + self.rng.below(50_000_000) as u32;
			if share > remaining {
				continue;
			}
			remaining -= share;
			demand = demand.saturating_add(min_upstream_share.deconstruct());
			commercial &= version.license.commercial_use;
			if min_royalty_per_unit > 0 {
				price_floor = price_floor.max(
					Perbill::from_parts(share).saturating_reciprocal_mul_ceil(min_royalty_per_unit),
				);
			}
			parents.push((parent, Perbill::from_parts(share)));
		}
		let mut owner_share = Perbill::from_parts(remaining);
		if self.rng.chance(30) {
			// Shares that do not add up.
			owner_share = Perbill::from_parts(remaining.saturating_sub(1));
		}
		let commercial_use = commercial && self.rng.chance(800);
		// A non-commercial version is free, except now and then on purpose.
		let mut price_per_unit =
			if commercial_use || self.rng.chance(30) { self.amount(UNIT) } else { 0 };
		// At least the floor, except now and then on purpose.
		if !self.rng.chance(30) {
			price_per_unit = price_per_unit.max(price_floor);
		}
		// Some licenses demand an absolute royalty per unit of each derivative (at least the
		// version's own floor, except now and then on purpose).
		let min_royalty_per_unit = if self.rng.chance(250) {
			let wanted = self.amount(UNIT / 10);
			if self.rng.chance(30) {
				wanted
			} else {
				wanted.max(price_floor)
			}
		} else if self.rng.chance(30) {
			0
		} else {
			price_floor
		};
		// Derivatives owe at least the lineage's demand, except now and then on purpose.
		let floor = if self.rng.chance(30) { 0 } else { demand.min(whole) };
		let min_upstream_share = sp_runtime::Saturating::saturating_add(
			Perbill::from_parts(floor),
			self.perbill_up_to(300_000_000),
		);
		VersionSpec {
			label: self.text(36),
			artifact_hash: self.hash(),
			price_per_unit,
			license: License {
				commercial_use,
				derivatives: if self.rng.chance(120) {
					Derivatives::Forbidden
				} else {
					Derivatives::Allowed { min_upstream_share, min_royalty_per_unit }
				},
			},
			owner_share,
			lineage: LineageSpec { datasets, parents },
		}
	}

	fn modality(&mut self) -> Modality {
		*self
			.rng
			.pick(&[
				Modality::Text,
				Modality::Image,
				Modality::Audio,
				Modality::Video,
				Modality::Multimodal,
				Modality::Embedding,
				Modality::Tabular,
				Modality::Other,
			])
			.unwrap()
	}

	fn model_call(&mut self, target: Target) -> Built {
		use pallet_model_registry::{Call, Models, Versions};
		let models: Vec<_> = Models::<Runtime>::iter().collect();
		let call = match target {
			Register => {
				let spec = self.version_spec(None);
				(
					self.anyone(),
					Call::register { name: self.text(72), modality: self.modality(), spec },
				)
			}
			PublishVersion => {
				let (id, model) = self.rng.pick(&models)?.clone();
				let spec = self.version_spec(Some(id));
				(self.as_or_anyone(&model.owner), Call::publish_version { model: id, spec })
			}
			SetPrice | Deprecate => {
				let versions: Vec<_> = Versions::<Runtime>::iter()
					.filter(|(_, _, v)| target == SetPrice || !v.deprecated)
					.map(|(m, n, _)| (m, n))
					.collect();
				let (model, version) = *self.rng.pick(&versions)?;
				let owner = Models::<Runtime>::get(model)?.owner;
				let signer = self.as_or_anyone(&owner);
				if target == SetPrice {
					(signer, Call::set_price { model, version, price_per_unit: self.amount(UNIT) })
				} else {
					(signer, Call::deprecate { model, version })
				}
			}
			UpdateMetadata => {
				let (id, model) = self.rng.pick(&models)?.clone();
				(
					self.as_or_anyone(&model.owner),
					Call::update_metadata {
						model: id,
						name: self.text(72),
						modality: self.modality(),
					},
				)
			}
			OfferOwnership => {
				let (id, model) = self.rng.pick(&models)?.clone();
				let to = if self.rng.chance(150) {
					None
				} else {
					Some(MultiAddress::Id(self.account()))
				};
				(
					self.as_or_anyone(&model.owner),
					Call::offer_ownership { model: id, new_owner: to },
				)
			}
			_ => {
				let offered: Vec<_> =
					models.iter().filter(|(_, m)| m.pending_owner.is_some()).collect();
				let (id, model) = (*self.rng.pick(&offered)?).clone();
				let signer = self.as_or_anyone(model.pending_owner.as_ref()?);
				// Mostly the revision on chain; now and then a stale one.
				let revision = if self.rng.chance(100) {
					model.revision.wrapping_sub(1)
				} else {
					model.revision
				};
				(signer, Call::accept_ownership { model: id, revision })
			}
		};
		Some((call.0, RuntimeCall::ModelRegistry(call.1)))
	}

	fn royalty_call(&mut self, target: Target) -> Built {
		use pallet_royalty_distribution::{Call, Credits, Settlements, Undistributed};
		let call = match target {
			Distribute => {
				let pending: Vec<_> =
					Undistributed::<Runtime>::iter().map(|(m, v, _)| (m, v)).collect();
				let (model, version) = match self.rng.pick(&pending) {
					Some(found) => *found,
					None => {
						let versions: Vec<_> = pallet_model_registry::Versions::<Runtime>::iter()
							.map(|(m, v, _)| (m, v))
							.collect();
						*self.rng.pick(&versions)?
					}
				};
				(self.anyone(), Call::distribute { model, version })
			}
			Claim => {
				let credited: Vec<_> =
					Credits::<Runtime>::iter().filter_map(|(who, _)| self.index_of(&who)).collect();
				let signer = match self.rng.pick(&credited) {
					Some(index) if !self.rng.chance(50) => *index,
					_ => self.anyone(),
				};
				(signer, Call::claim {})
			}
			ClaimFor => {
				// Mostly an account with credits (the treasury's among them), paid by anyone.
				let credited: Vec<_> = Credits::<Runtime>::iter().map(|(who, _)| who).collect();
				let beneficiary = match self.rng.pick(&credited) {
					Some(who) if !self.rng.chance(100) => who.clone(),
					_ => self.account(),
				};
				(self.anyone(), Call::claim_for { beneficiary: MultiAddress::Id(beneficiary) })
			}
			_ => {
				let settled: Vec<_> = Settlements::<Runtime>::iter()
					.filter_map(|(dataset, who, _)| self.index_of(&who).map(|i| (dataset, i)))
					.collect();
				let owed: Vec<_> = settled
					.iter()
					.filter(|(dataset, i)| {
						crate::RoyaltyDistribution::claimable_in_pool(*dataset, &self.accounts[*i])
							> 0
					})
					.copied()
					.collect();
				let (dataset, signer) = match self.rng.pick(&owed) {
					Some(found) if !self.rng.chance(100) => *found,
					_ => *self.rng.pick(&settled)?,
				};
				if target == ClaimPool {
					(signer, Call::claim_pool { dataset })
				} else {
					let mut datasets: Vec<u32> = settled
						.iter()
						.filter(|(_, i)| *i == signer)
						.map(|(d, _)| *d)
						.take(16)
						.collect();
					if self.rng.chance(200) {
						datasets.push(self.rng.below(64) as u32);
						datasets.push(dataset);
					}
					(signer, Call::claim_pools { datasets })
				}
			}
		};
		Some((call.0, RuntimeCall::RoyaltyDistribution(call.1)))
	}

	fn units(&mut self) -> u64 {
		match self.rng.below(100) {
			0..=1 => 0,
			2 => u64::MAX,
			_ => self.rng.range(1, 100),
		}
	}

	fn offer_call(&mut self, target: Target) -> Built {
		use pallet_invocation_metering::{Call, Offers};
		use pallet_model_registry::{Models, Versions};
		let offers: Vec<_> =
			Offers::<Runtime>::iter().map(|(m, p, o)| (m, p, o.fee_per_unit)).collect();
		let call = match target {
			RegisterOffer => {
				let models: Vec<u32> = Models::<Runtime>::iter_keys().collect();
				let model = *self.rng.pick(&models)?;
				let free: Vec<usize> = (0..FUNDED)
					.filter(|i| {
						!offers.iter().any(|(m, p, _)| *m == model && *p == self.accounts[*i])
					})
					.collect();
				let signer = match self.rng.pick(&free) {
					Some(index) if !self.rng.chance(50) => *index,
					_ => self.anyone(),
				};
				(
					signer,
					Call::register_offer {
						model,
						fee_per_unit: self.amount(UNIT / 10),
						endpoint: self.text(264),
					},
				)
			}
			UpdateOffer | WithdrawOffer => {
				let (model, provider, _) = self.rng.pick(&offers)?.clone();
				let signer = self.as_or_anyone(&provider);
				if target == UpdateOffer {
					(
						signer,
						Call::update_offer {
							model,
							fee_per_unit: self.amount(UNIT / 10),
							endpoint: self.text(264),
						},
					)
				} else {
					(signer, Call::withdraw_offer { model })
				}
			}
			_ => {
				// Invoke: a version, maybe through a provider that offers the model.
				let versions: Vec<_> =
					Versions::<Runtime>::iter().map(|(m, n, v)| (m, n, v.price_per_unit)).collect();
				let (model, version, price) = *self.rng.pick(&versions)?;
				let serving: Vec<_> = offers.iter().filter(|(m, _, _)| *m == model).collect();
				let provider = if self.rng.chance(600) {
					self.rng.pick(&serving).map(|(_, p, fee)| (p.clone(), *fee))
				} else {
					None
				};
				let units = self.units();
				let total = price
					.saturating_add(provider.as_ref().map_or(0, |(_, fee)| *fee))
					.saturating_mul(Balance::from(units));
				let max_total = match self.rng.below(10) {
					0..=5 => Balance::MAX,
					6..=8 => total,
					_ => total.saturating_sub(1),
				};
				(
					self.anyone(),
					Call::invoke {
						model,
						version: if self.rng.chance(700) { Some(version) } else { None },
						units,
						provider: provider.map(|(p, _)| MultiAddress::Id(p)),
						max_total,
					},
				)
			}
		};
		Some((call.0, RuntimeCall::InvocationMetering(call.1)))
	}

	/// A voucher for `channel` worth up to what is left of its deposit, signed by its consumer
	/// (now and then by someone else, for an older unit count or for another chain).
	fn voucher(
		&mut self,
		id: u64,
		channel: &pallet_invocation_metering::Channel<Runtime>,
	) -> Option<(Voucher<H256>, crate::Signature)> {
		let consumer = self.index_of(&channel.consumer)?;
		let per_unit = channel.price_per_unit.saturating_add(channel.fee_per_unit);
		let affordable = match channel.deposit.checked_div(per_unit) {
			Some(units) => u64::try_from(units).unwrap_or(u64::MAX).min(1_000),
			None => 1_000,
		};
		let units = match self.rng.below(100) {
			0..=3 => 0,
			4..=6 => affordable.saturating_add(1),
			_ => self.rng.range(1, affordable.max(1)),
		};
		let genesis = if self.rng.chance(20) {
			self.hash()
		} else {
			crate::InvocationMetering::genesis_hash()
		};
		let voucher = tributary_vouchers::voucher(
			genesis,
			if self.rng.chance(20) { id + 1 } else { id },
			channel.settled_units.saturating_add(units),
		);
		let signer = if self.rng.chance(30) { self.anyone() } else { consumer };
		// Bound to the channel's provider and nonce; now and then to another provider, another
		// nonce (a voucher of another launch), or in the first format.
		let mut binding = tributary_vouchers::ChannelBinding {
			provider: channel.provider.clone(),
			nonce: channel.nonce,
		};
		match self.rng.below(100) {
			0 => {
				let other = self.anyone();
				binding.provider = self.accounts[other].clone();
			}
			1 => binding.nonce = self.hash(),
			2 => {
				let legacy = voucher.legacy_signing_payload();
				let signature = match &self.vouchers[signer] {
					VoucherSigner::Sr25519(pair) => sp_core::Pair::sign(&**pair, &legacy).into(),
					VoucherSigner::Ed25519(pair) => sp_core::Pair::sign(&**pair, &legacy).into(),
				};
				return Some((voucher, signature));
			}
			_ => {}
		}
		let signature = self.vouchers[signer].sign(&voucher, &binding);
		Some((voucher, signature))
	}

	fn channel_call(&mut self, target: Target) -> Built {
		use pallet_invocation_metering::{Call, Channels, Offers};
		let channels: Vec<_> = Channels::<Runtime>::iter().collect();
		let now = now();
		let call = match target {
			OpenChannel => {
				let offers: Vec<_> = Offers::<Runtime>::iter().map(|(m, p, _)| (m, p)).collect();
				let (model, provider) = self.rng.pick(&offers)?.clone();
				let latest = pallet_model_registry::Models::<Runtime>::get(model)?.latest_version;
				let expires_at = match self.rng.below(100) {
					0..=2 => now,
					3 => now + 91 * crate::DAYS,
					_ => now + self.rng.range(1, 3000) as u32,
				};
				(
					self.anyone(),
					Call::open_channel {
						provider: MultiAddress::Id(provider),
						model,
						version: if self.rng.bool() {
							Some(self.rng.range(1, u64::from(latest)) as u32)
						} else {
							None
						},
						deposit: self.amount(50 * UNIT),
						expires_at,
					},
				)
			}
			TopUp | RequestClose => {
				let open: Vec<_> = channels.iter().filter(|(_, c)| c.closes_at.is_none()).collect();
				let (id, channel) = match self.rng.pick(&open) {
					Some(found) => (*found).clone(),
					None => self.rng.pick(&channels)?.clone(),
				};
				let signer = self.as_or_anyone(&channel.consumer);
				if target == TopUp {
					(signer, Call::top_up { channel: id, amount: self.amount(10 * UNIT) })
				} else {
					(signer, Call::request_close { channel: id })
				}
			}
			Settle => {
				let (id, channel) = self.rng.pick(&channels)?.clone();
				let (voucher, signature) = self.voucher(id, &channel)?;
				let signer = self.as_or_anyone(&channel.provider);
				(signer, Call::settle { channel: id, voucher, signature })
			}
			SettleBatch => {
				let (_, first) = self.rng.pick(&channels)?.clone();
				let provider = first.provider.clone();
				let mut vouchers = Vec::new();
				for (id, channel) in channels.iter().filter(|(_, c)| c.provider == provider) {
					if vouchers.len() >= 6 || self.rng.chance(200) {
						continue;
					}
					if let Some((voucher, signature)) = self.voucher(*id, channel) {
						vouchers.push((*id, voucher, signature));
					}
				}
				let signer = self.as_or_anyone(&provider);
				(signer, Call::settle_batch { vouchers })
			}
			FinalizeClose => {
				let closable: Vec<_> = channels
					.iter()
					.filter(|(_, c)| now >= c.expires_at || c.closes_at.is_some_and(|at| now >= at))
					.collect();
				let id = match self.rng.pick(&closable) {
					Some((id, _)) => *id,
					None => self.rng.pick(&channels)?.0,
				};
				(self.anyone(), Call::finalize_close { channel: id })
			}
			_ => {
				let (id, channel) = self.rng.pick(&channels)?.clone();
				(self.as_or_anyone(&channel.provider), Call::close_channel { channel: id })
			}
		};
		Some((call.0, RuntimeCall::InvocationMetering(call.1)))
	}

	fn other_call(&mut self, target: Target) -> Built {
		use pallet_balances::Call as B;
		let signer = self.anyone();
		let call = match target {
			Transfer => {
				let dest = MultiAddress::Id(self.account());
				let value = self.amount(1_000 * UNIT);
				if self.rng.bool() {
					RuntimeCall::Balances(B::transfer_keep_alive { dest, value })
				} else {
					RuntimeCall::Balances(B::transfer_allow_death { dest, value })
				}
			}
			TransferAll => RuntimeCall::Balances(B::transfer_all {
				dest: MultiAddress::Id(self.account()),
				keep_alive: self.rng.bool(),
			}),
			Burn => RuntimeCall::Balances(B::burn {
				value: self.amount(UNIT),
				keep_alive: self.rng.bool(),
			}),
			_ => {
				let len = self.rng.below(64) as usize;
				let remark = self.rng.bytes(len);
				if self.rng.bool() {
					RuntimeCall::System(frame_system::Call::remark { remark })
				} else {
					RuntimeCall::System(frame_system::Call::remark_with_event { remark })
				}
			}
		};
		Some((signer, call))
	}
}
