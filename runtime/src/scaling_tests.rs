//! What a call's cost depends on, measured exactly: the storage keys it writes and the size of
//! the storage proof of the state it reads (trie nodes included), in the real runtime. An invocation touches the
//! same state whatever the route, the lineage depth or the pool's holders; a settlement whatever
//! the units; a claim whatever the number of descendants that paid the claimant. Each
//! comparison prints a row of the scaling table `scripts/perf-report.sh` puts into
//! `docs/PERFORMANCE.md` (run with `--nocapture`).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use crate::{
	test_chain::*, AccountId, Balances, InvocationMetering, RoyaltyDistribution, Runtime, UNIT,
};
use codec::Encode;
use frame_support::assert_ok;
use sp_keyring::Sr25519Keyring as Keyring;
use sp_runtime::{MultiAddress, Perbill};

/// Prints one row of the scaling table (`SCALING` marks it for the report) and returns the
/// ratio of the proof sizes, `a` over `b`.
fn row(call: &str, what: &str, a: (usize, usize), b: (usize, usize)) -> f64 {
	let ratio = a.1 as f64 / b.1 as f64;
	println!("SCALING | {call} | {what} | {} vs {} | {} vs {} | {ratio:.3} |", a.0, b.0, a.1, b.1);
	ratio
}

/// A fresh account with `amount` to spend.
fn funded(seed: &(impl Encode + ?Sized), amount: crate::Balance) -> AccountId {
	let who = AccountId::new(sp_io::hashing::blake2_256(&seed.encode()));
	let _ = <Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(&who, amount);
	who
}

/// What running `f` touches: the number of storage keys it writes, and the size of the
/// storage proof of everything it reads and writes (trie nodes included).
fn footprint(ext: &mut sp_io::TestExternalities, f: impl FnOnce()) -> (usize, usize) {
	// Events of earlier calls are kept in one storage value that each new event appends to:
	// start from none, so that the proof shows the call's own work.
	ext.execute_with(frame_system::Pallet::<Runtime>::reset_events);
	ext.commit_all().unwrap();
	let (_, proof) = ext.execute_and_prove(f);
	let written = ext.overlayed_changes().changes().count();
	ext.commit_all().unwrap();
	(written, proof.encoded_size())
}

#[test]
fn an_invocation_touches_the_same_state_whatever_the_route_depth_or_contributors() {
	let mut ext = development();
	let (small_pool, big_pool, shallow, deep, wide) = ext.execute_with(|| {
		let alice = id(Keyring::Alice);
		let small = dataset(&alice, Perbill::zero(), 1);
		let big = dataset(&alice, Perbill::zero(), 1);
		contribute(small, &id(Keyring::Bob), 1);
		// 100,000 holders in the big pool, written directly: contributing them one by one
		// would only slow the test down.
		let holders = 100_000u32;
		for i in 0..holders {
			let holder: AccountId =
				sp_core::crypto::AccountId32::new(sp_io::hashing::blake2_256(&i.to_le_bytes()));
			pallet_data_contribution::Shareholdings::<Runtime>::insert(
				big,
				holder,
				pallet_data_contribution::Shareholding {
					shares: 1,
					pending: 0,
					deposit: 0,
					day: 0,
					contributed_today: 0,
					annotated_today: 0,
				},
			);
		}
		pallet_data_contribution::Datasets::<Runtime>::mutate(big, |d| {
			let d = d.as_mut().unwrap();
			d.total_shares = holders.into();
			d.holders = holders;
		});
		let on_small = register(&alice, spec(pct(50), &[(small, pct(50))], &[], UNIT));
		let on_big = register(&alice, spec(pct(50), &[(big, pct(50))], &[], UNIT));
		// A chain of 50 fine-tunes by 50 different owners, each giving its parent 90%: depth 50,
		// and every upstream owner is still paid: a route of 52 entries.
		let mut deep = on_small;
		for level in 0..50u32 {
			let owner: AccountId = sp_core::crypto::AccountId32::new(sp_io::hashing::blake2_256(
				&(level, "owner").encode(),
			));
			let _ = <Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
				&owner,
				100 * UNIT,
			);
			deep = register(&owner, spec(pct(10), &[], &[(deep, pct(90))], UNIT));
		}
		assert_eq!(pallet_model_registry::Routes::<Runtime>::get(deep, 1).unwrap().len(), 52);
		let shallow =
			register(&id(Keyring::Ferdie), spec(pct(50), &[], &[(on_small, pct(50))], UNIT));
		(on_small, on_big, shallow, deep, on_big)
	});
	let payer = id(Keyring::Eve);
	// Each model is invoked once first, so that every measured invocation updates the same
	// kinds of records instead of creating some.
	ext.execute_with(|| {
		for model in [small_pool, big_pool, shallow, deep, wide] {
			invoke(&payer, model, 1, None);
		}
	});
	let mut invoke_footprint = |model| footprint(&mut ext, || invoke(&payer, model, 1, None));
	let one_holder = invoke_footprint(small_pool);
	let many_holders = invoke_footprint(big_pool);
	let depth_one = invoke_footprint(shallow);
	let depth_fifty = invoke_footprint(deep);
	let route_two = invoke_footprint(wide);
	for (what, (keys_a, proof_a), (keys_b, proof_b)) in [
		("100,000 holders vs 1", many_holders, one_holder),
		("depth 50 vs 1", depth_fifty, depth_one),
		("route 52 vs 2", depth_fifty, route_two),
	] {
		let ratio = row("invoke", what, (keys_a, proof_a), (keys_b, proof_b));
		assert_eq!(keys_a, keys_b, "{what}: invoke writes more");
		// Proof sizes differ a little with where the keys sit in the trie; real growth with the
		// route would multiply them (see `distribute` below).
		assert!((0.8..=1.25).contains(&ratio), "{what}: invoke's proof changed by {ratio:.3}");
	}
	// The measurement does see growth where there is some: distributing the deep model's
	// revenue walks its 52-entry route.
	let mut distribute_footprint = |model| {
		footprint(&mut ext, || {
			assert_ok!(RoyaltyDistribution::distribute(signed(&payer), model, 1));
		})
	};
	let short = distribute_footprint(shallow);
	let long = distribute_footprint(deep);
	row("distribute", "route 52 vs 3", long, short);
	assert!(long.0 > 5 * short.0 && 2 * long.1 > 3 * short.1);
	// The first payment after a distribution also queues the version for the next one: a few
	// more keys, the same whatever the route.
	let mut queued_footprint = |model| footprint(&mut ext, || invoke(&payer, model, 1, None));
	let queued_short = queued_footprint(shallow);
	let queued_long = queued_footprint(deep);
	let ratio = row("invoke that queues its version", "route 52 vs 3", queued_long, queued_short);
	assert_eq!(queued_short.0, queued_long.0, "queuing invoke writes more on a longer route");
	assert!(queued_short.0 > depth_one.0, "queuing writes the queue's keys");
	assert!((0.8..=1.25).contains(&ratio), "queuing invoke's proof changed by {ratio:.3}");
}

#[test]
fn a_settlement_touches_the_same_state_whatever_its_units() {
	use tributary_vouchers::{Scheme, VoucherSigner};
	let mut ext = development();
	let consumer = VoucherSigner::from_suri(Scheme::Sr25519, "//Eve").unwrap();
	let dave = id(Keyring::Dave);
	let channels = ext.execute_with(|| {
		// A price at which a single unit already pays a protocol fee: both settlements write it.
		let model = register(&id(Keyring::Alice), spec(Perbill::one(), &[], &[], 1_000));
		assert_ok!(InvocationMetering::register_offer(
			signed(&dave),
			model,
			0,
			b"https://dave.example/v1".to_vec()
		));
		let mut channels = Vec::new();
		for _ in 0..2 {
			channels.push(pallet_invocation_metering::NextChannelId::<Runtime>::get());
			assert_ok!(InvocationMetering::open_channel(
				signed(&consumer.account()),
				MultiAddress::Id(dave.clone()),
				model,
				None,
				10 * UNIT,
				1_000,
			));
		}
		// A first settlement on each, so both measured ones update the same records.
		for channel in &channels {
			settle(&consumer, *channel, 1);
		}
		channels
	});
	let mut settle_footprint =
		|channel, units| footprint(&mut ext, || settle(&consumer, channel, units));
	let few = settle_footprint(channels[0], 2);
	let many = settle_footprint(channels[1], 1_000_001);
	let ratio = row("settle", "10^6 units vs 1", many, few);
	assert_eq!(few.0, many.0, "a larger settlement writes more");
	assert!((0.8..=1.25).contains(&ratio), "settle's proof changed by {ratio:.3}");
}

/// Settles `consumer`'s voucher for `units` cumulative units on `channel` as its provider.
fn settle(consumer: &tributary_vouchers::VoucherSigner, channel: u64, units: u64) {
	let genesis = InvocationMetering::genesis_hash();
	let voucher = tributary_vouchers::voucher(genesis, channel, units);
	let signature = consumer.sign(&voucher, &channel_binding(channel));
	assert_ok!(InvocationMetering::settle(signed(&id(Keyring::Dave)), channel, voucher, signature));
}

#[test]
fn a_claim_touches_the_same_state_whatever_the_descendants_that_paid() {
	let mut ext = development();
	let (alice, bob) = (id(Keyring::Alice), id(Keyring::Bob));
	ext.execute_with(|| {
		let payer = funded("payer", 1_000_000 * UNIT);
		// Bob's model has one paying derivative, Alice's a thousand, each of another owner.
		for (owner, descendants) in [(&bob, 1u32), (&alice, 1_000)] {
			let base = register(owner, spec(Perbill::one(), &[], &[], UNIT));
			for index in 0..descendants {
				let derivative_owner = funded(&(owner, index), 1_000 * UNIT);
				let derivative = register(
					&derivative_owner,
					spec(
						Perbill::from_percent(80),
						&[],
						&[(base, Perbill::from_percent(20))],
						UNIT,
					),
				);
				invoke(&payer, derivative, 1, None);
				assert_ok!(RoyaltyDistribution::distribute(signed(&payer), derivative, 1));
			}
		}
	});
	let credit = |who: &AccountId| {
		pallet_royalty_distribution::Credits::<Runtime>::get(who).unwrap_or_default()
	};
	let (bob_credit, alice_credit) = ext.execute_with(|| (credit(&bob), credit(&alice)));
	assert!(alice_credit > 999 * bob_credit, "every descendant paid Alice");
	let mut claim_footprint = |who: &AccountId| {
		footprint(&mut ext, || {
			assert_ok!(RoyaltyDistribution::claim(signed(who)));
		})
	};
	let one = claim_footprint(&bob);
	let thousand = claim_footprint(&alice);
	let ratio = row("claim", "1,000 paying descendants vs 1", thousand, one);
	assert_eq!(one.0, thousand.0, "claiming more descendants' payments writes more");
	assert!((0.8..=1.25).contains(&ratio), "claim's proof changed by {ratio:.3}");
}
