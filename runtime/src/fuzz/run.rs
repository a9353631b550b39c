//! One fuzzing run: a fresh development chain, blocks produced as a node's block builder does
//! (aura pre-digest, the timestamp inherent, signed extrinsics through
//! `Executive::apply_extrinsic`, each rolled back when it is invalid, then `finalize_block`),
//! and every oracle checked after every block.

use super::{
	generator::{self, Generated, Generator, KEYS, TRIBUTARY_PALLETS},
	oracles,
	rng::Rng,
	CallCount, Stats, Violation,
};
use crate::{
	AccountId, Balance, BlockNumber, Executive, Hash, Header, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, SignedPayload, TxExtension, UncheckedExtrinsic, MILLI_UNIT, SLOT_DURATION,
};
use codec::Encode;
use frame_support::{
	dispatch::{DispatchClass, DispatchInfo, GetDispatchInfo, PostDispatchInfo},
	traits::Get,
};
use frame_system::{EventRecord, Phase};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::Pair;
use sp_runtime::{
	generic::{Digest, DigestItem, Era},
	traits::{DispatchTransaction, Dispatchable, Header as _, TransactionExtension},
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	DispatchErrorWithPostInfo, MultiAddress, MultiSignature,
};
use std::collections::BTreeSet;

/// The first block's slot: a realistic wall-clock time (late 2026) in six-second slots.
const FIRST_SLOT: u64 = 1_800_000_000_000 / SLOT_DURATION;
/// Longest jump ahead in one block (past the longest wait of any pallet: an undecided
/// contribution's 30 days before it may expire).
const MAX_GAP: BlockNumber = 31 * crate::DAYS;

/// An extrinsic that was applied (included in the block), with what its accounting needs.
struct Applied {
	index: u32,
	who: AccountId,
	call: RuntimeCall,
	names: Vec<(&'static str, &'static str)>,
	dispatched_ok: bool,
	issuance_before: Balance,
	issuance_after: Balance,
	payer_exists: bool,
}

pub(super) struct Run {
	pub seed: u64,
	steps: u64,
	gen: Generator,
	rng: Rng,
	pub stats: Stats,
	/// Tributary calls that succeeded in this run: the generator tries the others more.
	covered: BTreeSet<(&'static str, &'static str)>,
	number: BlockNumber,
	slot: u64,
	parent: Hash,
	/// Genesis issuance less every fee, dust and owner burn so far.
	expected_issuance: Balance,
}

type Result<T> = core::result::Result<T, String>;

impl Run {
	pub(super) fn new(seed: u64, steps: u64) -> Self {
		Self {
			seed,
			steps,
			gen: Generator::new(super::rng::derive(seed, 1)),
			rng: Rng::new(super::rng::derive(seed, 2)),
			stats: Stats::default(),
			covered: BTreeSet::new(),
			number: 0,
			slot: FIRST_SLOT,
			parent: Hash::default(),
			expected_issuance: 0,
		}
	}

	/// Runs to the end of the budget or the first violation; a panic propagates.
	pub(super) fn execute(&mut self) {
		let mut ext = crate::tests::preset_ext(crate::genesis_config_presets::DEVELOPMENT_PRESET);
		ext.execute_with(|| {
			self.parent = frame_system::Pallet::<Runtime>::block_hash(0);
			self.expected_issuance = pallet_balances::TotalIssuance::<Runtime>::get();
		});
		self.stats.runs = 1;
		while self.stats.steps < self.steps {
			let extrinsics = if self.rng.chance(50) { 0 } else { self.rng.range(1, 10) }
				.min(self.steps - self.stats.steps);
			let step_before = self.stats.steps;
			if let Err(what) = ext.execute_with(|| self.block(extrinsics)) {
				self.stats.violations.push(Violation {
					seed: self.seed,
					steps: self.steps,
					block: self.number,
					step: step_before,
					what,
				});
				return;
			}
			ext.commit_all().expect("the in-memory backend takes the block's changes");
		}
	}

	/// Blocks to move ahead: one, a few (missed slots), or up to a pending deadline, claim
	/// timeout, challenge period or reviewer cooldown so that the calls waiting on them run.
	fn gap(&mut self) -> BlockNumber {
		let roll = self.rng.below(1000);
		if roll < 20 {
			return self.rng.range(2, 50) as BlockNumber;
		}
		if roll >= 45 {
			return 1;
		}
		let now = self.number;
		let mut waits: Vec<BlockNumber> = Vec::new();
		let timeout: BlockNumber =
			<Runtime as pallet_data_contribution::Config>::SlotTimeout::get();
		for (_, _, slot) in pallet_data_contribution::Slots::<Runtime>::iter() {
			if let pallet_data_contribution::Slot::Claimed { claimed_at, .. } = slot {
				waits.push(claimed_at + timeout + 1);
			}
		}
		let review_window: BlockNumber =
			<Runtime as pallet_data_contribution::Config>::ReviewWindow::get();
		for (_, task) in pallet_data_contribution::Tasks::<Runtime>::iter() {
			waits.push(task.deadline + 1);
			waits.push(task.deadline + review_window + 1);
		}
		let contribution_timeout: BlockNumber =
			<Runtime as pallet_data_contribution::Config>::ContributionTimeout::get();
		for (_, contribution) in pallet_data_contribution::Contributions::<Runtime>::iter() {
			waits.push(contribution.submitted_at + contribution_timeout);
		}
		let challenge: BlockNumber =
			<Runtime as pallet_invocation_metering::Config>::ChallengePeriod::get();
		for (_, reviewer) in pallet_data_contribution::Reviewers::<Runtime>::iter() {
			waits.extend(reviewer.unbonding_at);
		}
		let dispute_timeout: BlockNumber =
			<Runtime as pallet_model_registry::Config>::DisputeTimeout::get();
		for (_, dispute) in pallet_model_registry::Disputes::<Runtime>::iter() {
			waits.push(dispute.opened_at + dispute_timeout);
		}
		for (_, channel) in pallet_invocation_metering::Channels::<Runtime>::iter() {
			waits.push(channel.expires_at);
			waits.push(channel.expires_at + challenge);
			waits.extend(channel.closes_at);
		}
		waits.retain(|at| *at > now && *at - now <= MAX_GAP);
		match self.rng.pick(&waits) {
			Some(at) => at - now,
			None => 1,
		}
	}

	/// Rules on an open dispute as the dispute origin (root) would, after the block's
	/// extrinsics: upheld or rejected, a random share redirected. Counted as a call of its own.
	fn rule(&mut self) {
		let open: Vec<_> = pallet_model_registry::Disputes::<Runtime>::iter_keys().collect();
		let Some(dispute) = self.rng.pick(&open).copied() else { return };
		let upheld = self.rng.bool();
		let share = sp_runtime::Perbill::from_percent(self.rng.range(0, 100) as u32);
		let call = RuntimeCall::ModelRegistry(pallet_model_registry::Call::rule_dispute {
			dispute,
			upheld,
			share,
		});
		let ok = call.dispatch(RuntimeOrigin::root()).is_ok();
		self.count_call(("ModelRegistry", "rule_dispute"), ok);
	}

	/// Counts a call reached, and succeeded when `ok`; a Tributary call that succeeded is
	/// covered.
	fn count_call(&mut self, name: (&'static str, &'static str), ok: bool) {
		let count: &mut CallCount = self.stats.calls.entry(name).or_default();
		count.reached += 1;
		if ok {
			count.ok += 1;
			if TRIBUTARY_PALLETS.contains(&name.0) {
				self.covered.insert(name);
			}
		}
	}

	/// Produces one block with `extrinsics` generated extrinsics and checks every oracle.
	fn block(&mut self, extrinsics: u64) -> Result<()> {
		let gap = self.gap();
		let missed_slots = if self.rng.chance(100) { self.rng.range(1, 3) } else { 0 };
		self.number += gap;
		self.slot += u64::from(gap) + missed_slots;
		self.stats.blocks += 1;
		self.stats.skipped_blocks += u64::from(gap - 1);

		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(self.slot).encode())],
		};
		let header =
			Header::new(self.number, Default::default(), Default::default(), self.parent, digest);
		if gap > 1 {
			// The empty blocks in between change nothing any pallet here reads but the block
			// number, which frame-system lets a test set.
			frame_system::Pallet::<Runtime>::set_block_number(self.number - 1);
		}
		Executive::initialize_block(&header);
		let now = self.slot * SLOT_DURATION;
		let inherent: UncheckedExtrinsic = sp_runtime::generic::UncheckedExtrinsic::new_bare(
			RuntimeCall::Timestamp(pallet_timestamp::Call::set { now }),
		)
		.into();
		match Executive::apply_extrinsic(inherent) {
			Ok(Ok(())) => {}
			other => return Err(format!("the timestamp inherent failed: {other:?}")),
		}
		Executive::inherents_applied();

		let mut applied = Vec::new();
		for _ in 0..extrinsics {
			self.stats.steps += 1;
			if let Some(record) = self.step()? {
				applied.push(record);
			}
		}
		// Rulings are rare enough that some disputes wait out their timeout and lapse.
		if self.rng.chance(40) {
			self.rule();
		}
		oracles::block_limits()?;
		let mut header = Executive::finalize_block();
		// sr25519 signatures are randomised: hashing the extrinsics into the next block's parent
		// hash (the seed of reviewer draws, channel nonces) would make a run depend on more than
		// its seed. The state root already commits to everything the block did.
		header.extrinsics_root = Default::default();
		self.parent = header.hash();

		let events = frame_system::Pallet::<Runtime>::events();
		for record in &applied {
			self.account(record, &events)?;
		}
		oracles::invariants(self.expected_issuance)
	}

	/// Generates, signs and applies one extrinsic. Returns it when it was included.
	fn step(&mut self) -> Result<Option<Applied>> {
		let planned = match self.gen.next(&self.covered) {
			Generated::Call(planned) => *planned,
			Generated::Undecodable(source) => {
				*self.stats.undecodable.entry(source).or_default() += 1;
				return Ok(None);
			}
			Generated::Excluded => {
				self.stats.excluded += 1;
				return Ok(None);
			}
		};
		self.stats.by_source.entry(planned.source).or_default().0 += 1;
		let who = self.gen.accounts[planned.signer].clone();
		let call = planned.call;

		// Mostly the right nonce; sometimes a used one or one from the future.
		let mut nonce = frame_system::Pallet::<Runtime>::account_nonce(&who);
		let roll = self.rng.below(1000);
		if roll < 25 {
			nonce = nonce.checked_sub(1).unwrap_or(nonce + 1);
		} else if roll < 50 {
			nonce += self.rng.range(1, 3) as u32;
		}
		// Now and then someone else's signature.
		let key = if self.rng.chance(15) {
			(planned.signer + 1 + self.rng.below(KEYS.len() as u64 - 1) as usize) % KEYS.len()
		} else {
			planned.signer
		};
		let era = if self.rng.chance(200) {
			let back = if self.rng.chance(100) { self.rng.range(2, 64) } else { 1 };
			Era::mortal(1 << self.rng.range(2, 8), u64::from(self.number).saturating_sub(back))
		} else {
			Era::Immortal
		};
		let tip = if self.rng.chance(100) {
			Balance::from(self.rng.range(1, 10)) * MILLI_UNIT
		} else {
			0
		};
		let extension = extension(era, nonce, tip);
		let payload = match SignedPayload::new(call.clone(), extension.clone()) {
			Ok(payload) => payload,
			// The era's birth block is unknown: sign an immortal one instead.
			Err(_) => SignedPayload::new(call.clone(), extension_immortal(nonce, tip))
				.expect("an immortal payload has its implicit data"),
		};
		let signature = payload.using_encoded(|bytes| self.gen.pairs[key].sign(bytes));
		let (_, extension, _) = payload.deconstruct();
		let xt: UncheckedExtrinsic = sp_runtime::generic::UncheckedExtrinsic::new_signed(
			call.clone(),
			MultiAddress::Id(who.clone()),
			MultiSignature::Sr25519(signature),
			extension.clone(),
		)
		.into();
		let len = xt.encoded_size();

		// A dry run of the same pipeline (extensions, dispatch, post-dispatch), rolled back,
		// to see the call's own post-dispatch weight, which the block's events only report
		// clamped to the declared weight.
		let mut info: DispatchInfo = call.get_dispatch_info();
		info.extension_weight = extension.weight(&call);
		let mut raw: Option<
			core::result::Result<PostDispatchInfo, DispatchErrorWithPostInfo<PostDispatchInfo>>,
		> = None;
		sp_io::storage::start_transaction();
		let dry = extension.test_run(
			RuntimeOrigin::signed(who.clone()),
			&call,
			&info,
			len,
			0,
			|origin| {
				let result = call.clone().dispatch(origin);
				raw = Some(result);
				result
			},
		);
		sp_io::storage::rollback_transaction();

		let index = frame_system::Pallet::<Runtime>::extrinsic_index().unwrap_or_default();
		let issuance_before = pallet_balances::TotalIssuance::<Runtime>::get();
		sp_io::storage::start_transaction();
		let result = Executive::apply_extrinsic(xt);
		let outcome = match result {
			Ok(outcome) => {
				sp_io::storage::commit_transaction();
				outcome
			}
			Err(error) => {
				// The block builder drops an invalid extrinsic and every change it made.
				sp_io::storage::rollback_transaction();
				let expected_difference = key != planned.signer
					&& error == TransactionValidityError::Invalid(InvalidTransaction::BadProof);
				// Executive also refuses a mandatory call (an inherent's) that fails dispatch.
				let mandatory_failed = info.class == DispatchClass::Mandatory
					&& matches!(&dry, Ok(Err(_)))
					&& error == TransactionValidityError::Invalid(InvalidTransaction::BadMandatory);
				let dry_agrees = matches!(&dry, Err(e) if *e == error) || mandatory_failed;
				// Only the signature (and the extrinsic's decoding depth) is checked before
				// the dry run's pipeline.
				let decoding = error == TransactionValidityError::Invalid(InvalidTransaction::Call);
				if !expected_difference && !dry_agrees && !decoding {
					return Err(format!(
						"apply_extrinsic refused {call:?} with {error:?}, the dry run gave {dry:?}"
					));
				}
				*self.stats.invalid.entry(format!("{error:?}")).or_default() += 1;
				return Ok(None);
			}
		};
		self.stats.applied += 1;
		self.stats.by_source.entry(planned.source).or_default().1 += 1;
		if key != planned.signer {
			return Err(format!("an extrinsic signed by the wrong key was applied: {call:?}"));
		}

		// The dry run must agree with the real application, and no weight may exceed what
		// was declared and charged for.
		let dry =
			dry.map_err(|e| format!("the dry run refused {call:?} ({e:?}) but it applied"))?;
		if dry.is_ok() != outcome.is_ok()
			|| dry.as_ref().err().map(|e| e.error) != outcome.as_ref().err().copied()
		{
			return Err(format!("{call:?}: applied with {outcome:?}, the dry run gave {dry:?}"));
		}
		let raw = raw.expect("the dry run dispatched the call");
		let raw_post = match &raw {
			Ok(post) => post,
			Err(e) => &e.post_info,
		};
		if let Some(actual) = raw_post.actual_weight {
			if !actual.all_lte(info.call_weight) {
				return Err(format!(
					"{call:?}: actual weight {actual:?} above its declared weight {:?}",
					info.call_weight
				));
			}
		}
		let post = match &dry {
			Ok(post) => post,
			Err(e) => &e.post_info,
		};
		if let Some(actual) = post.actual_weight {
			if !actual.all_lte(info.total_weight()) {
				return Err(format!(
					"{call:?}: actual weight with extensions {actual:?} above the declared {:?}",
					info.total_weight()
				));
			}
		}

		let mut names = Vec::new();
		generator::call_names(&call, &mut names);
		Ok(Some(Applied {
			index,
			who: who.clone(),
			call,
			names,
			dispatched_ok: outcome.is_ok(),
			issuance_before,
			issuance_after: pallet_balances::TotalIssuance::<Runtime>::get(),
			payer_exists: frame_system::Pallet::<Runtime>::account_exists(&who),
		}))
	}

	/// Checks one applied extrinsic against its events (outcome, fee, issuance) and counts the
	/// calls it reached.
	fn account(
		&mut self,
		applied: &Applied,
		events: &[EventRecord<RuntimeEvent, Hash>],
	) -> Result<()> {
		use pallet_balances::Event as B;
		let mine: Vec<&RuntimeEvent> = events
			.iter()
			.filter(|e| e.phase == Phase::ApplyExtrinsic(applied.index))
			.map(|e| &e.event)
			.collect();
		let describe = || format!("{:?} by {}", applied.call, applied.who);

		let successes = mine
			.iter()
			.filter(|e| {
				matches!(e, RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. }))
			})
			.count();
		let failures = mine
			.iter()
			.filter(|e| {
				matches!(e, RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { .. }))
			})
			.count();
		if successes + failures != 1 || (successes == 1) != applied.dispatched_ok {
			return Err(format!(
				"{}: {successes} success and {failures} failure events for one extrinsic",
				describe()
			));
		}

		let fees: Vec<Balance> = mine
			.iter()
			.filter_map(|e| match e {
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid {
						who, actual_fee, ..
					},
				) if *who == applied.who => Some(*actual_fee),
				_ => None,
			})
			.collect();
		let [actual_fee] = fees[..] else {
			return Err(format!("{}: {} fee events", describe(), fees.len()));
		};
		let withdrawn = mine
			.iter()
			.find_map(|e| match e {
				RuntimeEvent::Balances(B::Withdraw { who, amount }) if *who == applied.who => {
					Some(*amount)
				}
				_ => None,
			})
			.unwrap_or_default();
		let dust: Balance = mine
			.iter()
			.filter_map(|e| match e {
				RuntimeEvent::Balances(B::DustLost { amount, .. }) => Some(*amount),
				_ => None,
			})
			.sum();
		let owner_burns = applied.names.contains(&("Balances", "burn"));
		let burned: Balance = mine
			.iter()
			.filter_map(|e| match e {
				RuntimeEvent::Balances(B::Burned { amount, .. }) if owner_burns => Some(*amount),
				_ => None,
			})
			.sum();
		// The fee is burnt (`FungibleAdapter<Balances, ()>`): the actual fee, or all that was
		// withdrawn when the payer's account is gone and the refund has nowhere to go.
		let fee_burnt = if applied.payer_exists { actual_fee } else { withdrawn };
		let explained = fee_burnt + dust + burned;
		if applied.issuance_before.checked_sub(applied.issuance_after) != Some(explained) {
			return Err(format!(
				"{}: total issuance went from {} to {}, but fees ({fee_burnt}), dust ({dust}) \
				 and owner burns ({burned}) account for a decrease of {explained}",
				describe(),
				applied.issuance_before,
				applied.issuance_after
			));
		}
		self.expected_issuance -= explained;
		self.stats.fees_burnt += fee_burnt;
		self.stats.dust_lost += dust;
		if dust > 0 {
			self.stats.dust_events += 1;
		}

		// Coverage: every call the extrinsic carried was reached; the outer call succeeded
		// when it dispatched without error; items of a plain batch succeeded as its events say.
		let mut succeeded = vec![false; applied.names.len()];
		succeeded[0] = applied.dispatched_ok;
		batch_items(&applied.call, &mine, applied.dispatched_ok, &mut succeeded);
		for (name, ok) in applied.names.iter().zip(succeeded) {
			self.count_call(*name, ok);
		}
		if applied.dispatched_ok {
			self.stats.dispatched_ok += 1;
		}
		Ok(())
	}
}

/// Marks which items of an outer `Utility` call succeeded, from its events, when none of its
/// items is itself a `Utility` call (whose events would interleave).
fn batch_items(call: &RuntimeCall, events: &[&RuntimeEvent], ok: bool, succeeded: &mut [bool]) {
	use pallet_utility::{Call as U, Event as E};
	let RuntimeCall::Utility(inner) = call else { return };
	let items: Vec<&RuntimeCall> = match inner {
		U::batch { calls } | U::batch_all { calls } | U::force_batch { calls } => {
			calls.iter().collect()
		}
		U::as_derivative { call, .. } => vec![&**call],
		U::if_else { main, fallback } => vec![&**main, &**fallback],
		_ => return,
	};
	if items.iter().any(|c| matches!(c, RuntimeCall::Utility(_)))
		|| succeeded.len() != items.len() + 1
	{
		return;
	}
	let utility: Vec<&E> = events
		.iter()
		.filter_map(|e| match e {
			RuntimeEvent::Utility(event) => Some(event),
			_ => None,
		})
		.collect();
	let item_ok: Vec<bool> = match inner {
		U::batch_all { .. } | U::as_derivative { .. } => vec![ok; items.len()],
		U::batch { .. } => {
			let completed = utility.iter().filter(|e| matches!(e, E::ItemCompleted)).count();
			(0..items.len()).map(|i| i < completed).collect()
		}
		U::force_batch { .. } => utility
			.iter()
			.filter_map(|e| match e {
				E::ItemCompleted => Some(true),
				E::ItemFailed { .. } => Some(false),
				_ => None,
			})
			.collect(),
		_ => {
			let main = utility.iter().any(|e| matches!(e, E::IfElseMainSuccess));
			let fallback = utility.iter().any(|e| matches!(e, E::IfElseFallbackCalled { .. }));
			vec![main, fallback && ok]
		}
	};
	for (slot, item) in succeeded.iter_mut().skip(1).zip(item_ok) {
		*slot = item;
	}
}

/// The runtime's transaction extensions, as a wallet builds them.
fn extension(era: Era, nonce: u32, tip: Balance) -> TxExtension {
	crate::load::extensions(era, nonce, tip)
}

fn extension_immortal(nonce: u32, tip: Balance) -> TxExtension {
	extension(Era::Immortal, nonce, tip)
}
