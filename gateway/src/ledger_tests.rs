//! The ledger and the settlement loop against the in-memory chain: admission, reservations,
//! recovery after a crash, and settlement.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::{
	chain::Chain,
	config::Settlement,
	journal::{Entry, Journal},
	ledger::{Ledger, Reservation},
	metrics::Metrics,
	refusal::Refusal,
	settle::{due, Due, Settler},
	testing::FakeChain,
	writer::JournalWriter,
};
use codec::Encode;
use sp_core::H256;
use std::sync::Arc;
use tributary_vouchers::{header, ChannelBinding, Scheme, VoucherSigner};

const GENESIS: H256 = H256::repeat_byte(0x42);
/// Price 3 + fee 1 per unit.
const PER_UNIT: u128 = 4;

struct World {
	chain: Arc<FakeChain>,
	ledger: Arc<Ledger>,
	journal: Arc<Journal>,
	consumer: VoucherSigner,
	_dir: tempfile::TempDir,
}

fn signer(suri: &str) -> VoucherSigner {
	VoucherSigner::from_suri(Scheme::Sr25519, suri).unwrap()
}

fn provider() -> sp_runtime::AccountId32 {
	signer("//Bob").account()
}

/// A gateway over a chain where Alice has channel 0 on model 7 with a deposit for 100 units.
fn world() -> World {
	let dir = tempfile::tempdir().unwrap();
	let chain = Arc::new(FakeChain::new(GENESIS, provider()));
	let consumer = signer("//Alice");
	chain.open(0, consumer.account(), 7, 100 * PER_UNIT, 3, 1);
	let journal = Arc::new(Journal::open(&dir.path().join("j.redb"), b"g", b"p").unwrap());
	let ledger =
		Arc::new(Ledger::new(chain.clone(), JournalWriter::start(journal.clone(), |_| {})));
	World { chain, ledger, journal, consumer, _dir: dir }
}

impl World {
	/// A new gateway on the same chain and journal, as after a crash.
	fn restart(&self) -> Arc<Ledger> {
		Arc::new(Ledger::new(
			self.chain.clone(),
			JournalWriter::start(self.journal.clone(), |_| {}),
		))
	}

	fn voucher(&self, channel: u64, units: u64) -> String {
		self.voucher_by(&self.consumer, channel, units)
	}

	fn voucher_by(&self, who: &VoucherSigner, channel: u64, units: u64) -> String {
		let nonce = self.chain.state().channels[&channel].nonce;
		let binding = ChannelBinding { provider: provider(), nonce };
		let voucher = tributary_vouchers::voucher(GENESIS, channel, units);
		header::encode(&voucher, &who.sign(&voucher, &binding))
	}

	async fn admit(&self, units: u64, max: u64) -> Result<Reservation, Refusal> {
		self.ledger.admit(Some(&self.voucher(0, units)), Some(7), max).await
	}

	/// One answered call costing `units`, paid for up to now with a voucher for `owed`.
	async fn call(&self, owed: u64, units: u64) -> u64 {
		let reservation = self.admit(owed, units).await.unwrap();
		self.ledger.complete(reservation, units).await.unwrap().owed
	}
}

fn settlement() -> Settlement {
	Settlement { amount: 1_000, max_age_secs: 3_600, margin_blocks: 10 }
}

#[tokio::test]
async fn a_call_needs_a_voucher_for_exactly_what_the_answered_calls_owe() {
	let w = world();
	assert_eq!(w.ledger.admit(None, Some(7), 1).await.unwrap_err(), Refusal::MissingVoucher);
	assert_eq!(w.call(0, 10).await, 10);
	assert_eq!(w.admit(9, 1).await.unwrap_err(), Refusal::VoucherBehind { owed: 10, signed: 9 });
	assert_eq!(w.admit(11, 1).await.unwrap_err(), Refusal::VoucherAhead { owed: 10, signed: 11 });
	assert_eq!(w.call(10, 5).await, 15);
	// What the journal holds is what the answers owe and the newest voucher.
	let entry = w.journal.get(0).unwrap().unwrap();
	assert_eq!((entry.voucher_units, entry.owed_units), (10, 15));
}

#[tokio::test]
async fn refusals_name_what_is_wrong() {
	let w = world();
	let mallory = signer("//Mallory");
	w.chain.open(1, mallory.account(), 8, 100, 1, 0);
	let cases = [
		(w.voucher_by(&mallory, 0, 0), Refusal::BadSignature),
		(w.voucher(1, 0), Refusal::BadSignature),
		(w.voucher_by(&mallory, 1, 0), Refusal::ChannelModelMismatch),
		("0x00".to_string(), Refusal::MalformedVoucher(String::new())),
	];
	for (voucher, refusal) in cases {
		let got = w.ledger.admit(Some(&voucher), Some(7), 1).await.unwrap_err();
		assert_eq!(std::mem::discriminant(&got), std::mem::discriminant(&refusal), "{got:?}");
	}
	// Another chain's voucher, and a channel that does not exist.
	let elsewhere = tributary_vouchers::voucher(H256::repeat_byte(1), 0, 0);
	let signature =
		w.consumer.sign(&elsewhere, &ChannelBinding { provider: provider(), nonce: H256::zero() });
	let foreign = header::encode(&elsewhere, &signature);
	assert_eq!(w.ledger.admit(Some(&foreign), Some(7), 1).await.unwrap_err(), Refusal::WrongChain);
	let missing = header::encode(&tributary_vouchers::voucher(GENESIS, 9, 0), &signature);
	assert_eq!(
		w.ledger.admit(Some(&missing), Some(7), 1).await.unwrap_err(),
		Refusal::UnknownChannel(9)
	);
	// A channel paying another provider.
	let mut elsewhere = w.chain.state().channels[&1].clone();
	elsewhere.provider = signer("//Charlie").account();
	w.chain.state().channels.insert(2, elsewhere);
	assert_eq!(
		w.ledger.admit(Some(&w.voucher_by(&mallory, 2, 0)), Some(8), 1).await.unwrap_err(),
		Refusal::WrongProvider
	);
}

#[tokio::test]
async fn a_call_holds_its_largest_cost_against_the_deposit_one_call_at_a_time() {
	let w = world();
	assert_eq!(w.call(0, 30).await, 30);
	// 70 units left: a call of up to 71 does not fit, one of up to 50 does.
	assert_eq!(
		w.admit(30, 71).await.unwrap_err(),
		Refusal::DepositShort { covered: 70, needed: 71 }
	);
	let first = w.admit(30, 50).await.unwrap();
	// A second call while the first is answered is refused, whatever its size: sent at once
	// with one voucher, many calls could all go unpaid.
	assert_eq!(w.admit(30, 1).await.unwrap_err(), Refusal::CallInFlight);
	// The first is charged at most its bound.
	assert_eq!(w.ledger.complete(first, 99).await.unwrap().owed, 30 + 50);
	assert_eq!(
		w.admit(80, 21).await.unwrap_err(),
		Refusal::DepositShort { covered: 20, needed: 21 }
	);
	// A top-up on chain is read before refusing.
	w.chain.state().channels.get_mut(&0).unwrap().deposit += 100 * PER_UNIT;
	let reservation = w.admit(80, 21).await.unwrap();
	assert_eq!(w.ledger.complete(reservation, 21).await.unwrap().remaining, 200 - 101);
}

#[tokio::test]
async fn a_call_whose_caller_hung_up_releases_its_hold_and_costs_nothing() {
	let w = world();
	let reservation = w.admit(0, 100).await.unwrap();
	// The handler holding it is cancelled (the caller hung up): the reservation is dropped.
	drop(reservation);
	let again = w.admit(0, 100).await.expect("the hold was released");
	w.ledger.cancel(again).await.unwrap();
	assert_eq!(w.ledger.account(0).await.unwrap().unwrap().owed, 0);
}

#[tokio::test]
async fn a_closing_or_expired_channel_takes_no_new_call() {
	let w = world();
	w.call(0, 1).await;
	w.chain.state().channels.get_mut(&0).unwrap().closes_at = Some(50);
	w.ledger.refresh(0).await.unwrap();
	assert_eq!(w.admit(1, 1).await.unwrap_err(), Refusal::ChannelClosing);
	// The voucher for the last call is still taken, without a call: it settles before the
	// channel closes.
	let paid = w.ledger.admit(Some(&w.voucher(0, 1)), None, 0).await.unwrap();
	w.ledger.complete(paid, 0).await.unwrap();
	assert_eq!(w.journal.get(0).unwrap().unwrap().voucher_units, 1);
	let w = world();
	w.ledger.set_finalized(1_000_000);
	assert_eq!(w.admit(0, 1).await.unwrap_err(), Refusal::ChannelClosing);
}

#[tokio::test]
async fn settlement_pays_the_newest_voucher_once_and_the_journal_forgets_it() {
	let w = world();
	let metrics = Arc::new(Metrics::new().unwrap());
	let settler = Arc::new(Settler::new(w.ledger.clone(), settlement(), metrics));
	w.chain.state().channels.get_mut(&0).unwrap().deposit = 1_000 * PER_UNIT;
	let mut owed = 0;
	for units in [100, 150] {
		owed = w.call(owed, units).await; // 250 units × 4 = 1,000 planck: due by amount
	}
	// The voucher signs for 100 of them (the last call is paid by the next voucher).
	let account = w.ledger.account(0).await.unwrap().unwrap();
	assert_eq!(due(&account, &settlement(), crate::ledger::now_ms(), 0), None, "400 planck");
	// Paying for the last call makes 1,000 planck due.
	let pay = w.ledger.admit(Some(&w.voucher(0, 250)), None, 0).await.unwrap();
	w.ledger.complete(pay, 0).await.unwrap();
	let account = w.ledger.account(0).await.unwrap().unwrap();
	assert_eq!(due(&account, &settlement(), crate::ledger::now_ms(), 0), Some(Due::Amount));
	settler.clone().tick().await.unwrap();
	wait_for(|| w.chain.state().batches.len() == 1).await;
	wait_for(|| w.journal.get(0).unwrap().is_none()).await;
	let channel = w.chain.state().channels[&0].clone();
	assert_eq!((channel.settled_units, channel.deposit), (250, 1_000 * PER_UNIT - 1_000));
	// Nothing more is due: a further round submits nothing.
	settler.clone().tick().await.unwrap();
	tokio::time::sleep(std::time::Duration::from_millis(100)).await;
	assert_eq!(w.chain.state().batches.len(), 1);
	// And a restarted gateway knows the channel owes 250 (from the chain: the journal let go).
	let restarted = w.restart();
	let reservation =
		restarted.admit(Some(&w.voucher(0, 250)), Some(7), 1).await.expect("owed is 250");
	restarted.cancel(reservation).await.unwrap();
}

#[tokio::test]
async fn a_restarted_gateway_settles_what_the_journal_holds_and_only_that() {
	let w = world();
	let mut owed = 0;
	for _ in 0..5 {
		owed = w.call(owed, 10).await;
	}
	// The crash: the ledger is gone; the journal holds voucher 40, owed 50.
	let restarted = w.restart();
	assert_eq!(restarted.recover(w.journal.entries().unwrap()).await.unwrap(), 1);
	assert_eq!(
		restarted.admit(Some(&w.voucher(0, 40)), Some(7), 1).await.unwrap_err(),
		Refusal::VoucherBehind { owed: 50, signed: 40 }
	);
	// The channel closes: the deadline makes it due at once.
	w.chain.state().channels.get_mut(&0).unwrap().closes_at = Some(600);
	let settler =
		Arc::new(Settler::new(restarted.clone(), settlement(), Arc::new(Metrics::new().unwrap())));
	settler.clone().tick().await.unwrap();
	wait_for(|| w.chain.state().batches.len() == 1).await;
	assert_eq!(w.chain.state().channels[&0].settled_units, 40);
	// The last call's voucher never came: the entry stays, owing 10 units no voucher covers.
	let entry = w.journal.get(0).unwrap().unwrap();
	assert_eq!((entry.voucher_units, entry.owed_units), (40, 50));
	// A channel that closed while the gateway was down is forgotten at the next start; so is
	// one whose id is now another channel's (the chain was relaunched: another nonce).
	let Entry { voucher_units, .. } = w.journal.get(0).unwrap().unwrap();
	assert_eq!(voucher_units, 40);
	let relaunched = {
		let mut state = w.chain.state();
		let channel = state.channels.get_mut(&0).unwrap();
		channel.nonce = H256::repeat_byte(9);
		channel.clone()
	};
	assert_eq!(w.restart().recover(w.journal.entries().unwrap()).await.unwrap(), 0);
	assert!(w.journal.entries().unwrap().is_empty());
	assert_eq!(relaunched.settled_units, 40);
	w.chain.state().channels.remove(&0);
	assert_eq!(w.restart().recover(vec![]).await.unwrap(), 0);
}

#[tokio::test]
async fn a_voucher_the_chain_refuses_does_not_hold_up_the_others() {
	let w = world();
	let dave = signer("//Dave");
	w.chain.open(1, dave.account(), 7, 1_000 * PER_UNIT, 3, 1);
	w.chain.state().channels.get_mut(&0).unwrap().deposit = 1_000 * PER_UNIT;
	w.call(0, 300).await;
	let pay = w.ledger.admit(Some(&w.voucher(0, 300)), None, 0).await.unwrap();
	w.ledger.complete(pay, 0).await.unwrap();
	let reservation = w.ledger.admit(Some(&w.voucher_by(&dave, 1, 0)), Some(7), 300).await.unwrap();
	w.ledger.complete(reservation, 300).await.unwrap();
	let pay = w.ledger.admit(Some(&w.voucher_by(&dave, 1, 300)), None, 0).await.unwrap();
	w.ledger.complete(pay, 0).await.unwrap();
	// Channel 0's voucher is forged in the journal's copy: the chain refuses it.
	let mut forged = w.journal.get(0).unwrap().unwrap();
	forged.signature =
		sp_runtime::MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw([1; 64]))
			.encode();
	w.journal.record(0, &Entry { ..forged }).unwrap();
	let restarted = w.restart();
	restarted.recover(w.journal.entries().unwrap()).await.unwrap();
	let metrics = Arc::new(Metrics::new().unwrap());
	let settler = Arc::new(Settler::new(restarted.clone(), settlement(), metrics.clone()));
	settler.clone().tick().await.unwrap();
	wait_for(|| w.chain.state().batches.len() == 1).await;
	wait_for(|| w.chain.state().channels[&1].settled_units == 300).await;
	assert_eq!(w.chain.state().channels[&0].settled_units, 0);
	// The refused one waits (backs off) instead of being resubmitted every round.
	settler.clone().tick().await.unwrap();
	tokio::time::sleep(std::time::Duration::from_millis(100)).await;
	assert_eq!(w.chain.state().batches.len(), 1);
	assert!(metrics.render().contains("tributary_gateway_settlement_failures_total 1"));
}

async fn wait_for(condition: impl Fn() -> bool) {
	for _ in 0..200 {
		if condition() {
			return;
		}
		tokio::time::sleep(std::time::Duration::from_millis(10)).await;
	}
	panic!("timed out");
}

#[test]
fn the_deadline_comes_before_the_challenge_period_ends() {
	let w = world();
	let rt = tokio::runtime::Runtime::new().unwrap();
	rt.block_on(async {
		w.call(0, 1).await;
		let pay = w.ledger.admit(Some(&w.voucher(0, 1)), None, 0).await.unwrap();
		w.ledger.complete(pay, 0).await.unwrap();
	});
	let account = rt.block_on(w.ledger.account(0)).unwrap().unwrap();
	let now = crate::ledger::now_ms();
	// Worth 4 planck, one second old: not due, until expiry comes within the margin.
	assert_eq!(due(&account, &settlement(), now, 0), None);
	assert_eq!(due(&account, &settlement(), now, 1_000_000 - 10), Some(Due::Deadline));
	assert_eq!(due(&account, &settlement(), now.saturating_add(3_600_000), 0), Some(Due::Age));
	assert!(w.chain.challenge_period() > 0);
}

#[tokio::test]
async fn a_channel_id_the_chain_does_not_know_is_not_asked_again_at_once() {
	let w = world();
	let alice = signer("//Alice");
	let missing = {
		let voucher = tributary_vouchers::voucher(GENESIS, 5, 0);
		let binding = ChannelBinding { provider: provider(), nonce: H256::from_low_u64_be(6) };
		header::encode(&voucher, &alice.sign(&voucher, &binding))
	};
	assert_eq!(
		w.ledger.admit(Some(&missing), Some(7), 1).await.unwrap_err(),
		Refusal::UnknownChannel(5)
	);
	// Opened on chain meanwhile: a request within the next ten seconds is answered from the
	// gateway's memory of the miss, so naming ids that do not exist costs one read per id.
	w.chain.open(5, alice.account(), 7, 100, 1, 0);
	assert_eq!(
		w.ledger.admit(Some(&missing), Some(7), 1).await.unwrap_err(),
		Refusal::UnknownChannel(5)
	);
	assert!(w.ledger.account(5).await.unwrap().is_none());
}

#[tokio::test]
async fn a_channel_relaunched_under_the_same_id_is_another_channel() {
	let w = world();
	w.call(0, 10).await;
	w.chain.state().channels.get_mut(&0).unwrap().nonce = H256::repeat_byte(0xee);
	assert!(w.ledger.refresh(0).await.unwrap().is_none(), "the channel the gateway knew is gone");
	// The new channel starts from nothing owed, and signs with its own nonce.
	let reservation = w.admit(0, 1).await.expect("a fresh channel");
	w.ledger.cancel(reservation).await.unwrap();
}
