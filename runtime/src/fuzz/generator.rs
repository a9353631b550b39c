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
use frame_support::traits::{GetCallMetadata, GetCallName};
use sp_core::{sr25519, H256};
use sp_keyring::Sr25519Keyring as Keyring;
use sp_runtime::{MultiAddress, Perbill};
use std::collections::BTreeSet;
use tributary_vouchers::VoucherSigner;

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
	OpenDispute,
	ExpireDispute,
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
	(PayItem, "DataContribution", "pay_item", 12),
	(DisputeItem, "DataContribution", "dispute_item", 24),
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
	(OpenDispute, "ModelRegistry", "open_dispute", 3),
	(ExpireDispute, "ModelRegistry", "expire_dispute", 3),
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
	pub(super) vouchers: Vec<VoucherSigner>,
	/// A reviewer who mostly votes against the outcome and mostly does not reveal, so that
	/// reputations fall, reviewers become inactive and slashing happens.
	pub(super) sloppy: usize,
}

pub(super) type Built = Option<(usize, RuntimeCall)>;

pub(super) fn now() -> BlockNumber {
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

	pub(super) fn index_of(&self, who: &AccountId) -> Option<usize> {
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
	pub(super) fn account(&mut self) -> AccountId {
		match self.rng.below(20) {
			0 => AccountId::from(<[u8; 32]>::try_from(self.rng.bytes(32)).unwrap()),
			1 => crate::RoyaltyDistribution::pot(),
			2 => crate::configs::TreasuryAccount::get(),
			_ => self.accounts[self.rng.below(KEYS.len() as u64) as usize].clone(),
		}
	}

	pub(super) fn text(&mut self, max: u64) -> Vec<u8> {
		let len = self.rng.range(0, max) as usize;
		(0..len).map(|_| b'a' + (self.rng.below(26) as u8)).collect()
	}

	pub(super) fn hash(&mut self) -> H256 {
		H256::from_slice(&self.rng.bytes(32))
	}

	/// A balance: mostly ordinary sizes, sometimes zero, dust or absurd.
	pub(super) fn amount(&mut self, typical: Balance) -> Balance {
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

	pub(super) fn perbill_up_to(&mut self, max_parts: u32) -> Perbill {
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

	/// A call for `target`, from its pallet's builders: `datasets.rs`, `reviews.rs`, `models.rs`,
	/// `royalties.rs` and `channels.rs` beside this file; balances and remarks below.
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
			OpenDispute | ExpireDispute => self.dispute_call(target),
			Distribute | Claim | ClaimFor | ClaimPool | ClaimPools => self.royalty_call(target),
			RegisterOffer | UpdateOffer | WithdrawOffer | Invoke => self.offer_call(target),
			OpenChannel | TopUp | Settle | SettleBatch | RequestClose | FinalizeClose
			| CloseChannel => self.channel_call(target),
			Transfer | TransferAll | Burn | Remark => self.other_call(target),
		}
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
