//! What the hot calls cost a client, read the way a client reads it: `query_info` on signed
//! extrinsics, against a balance transfer. The goals of the performance work are asserted here
//! on the committed weights; `scripts/perf-report.sh` prints the same table into
//! `docs/PERFORMANCE.md` (run this test with `--nocapture` to see it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::arithmetic_side_effects)]

use crate::{
	load::{self, Load, LoadCall},
	test_chain::development,
	AccountId, Balance, Executive, Runtime, RuntimeCall, TransactionPayment, UncheckedExtrinsic,
};
use codec::Encode;
use frame_support::{traits::Get, weights::Weight};
use pallet_royalty_distribution::WeightInfo as _;
use sp_keyring::Sr25519Keyring as Keyring;
use sp_runtime::{MultiAddress, MultiSignature};
use tributary_primitives::Voucher;

/// `call` signed by Alice, as a client submits it.
fn signed(call: RuntimeCall) -> UncheckedExtrinsic {
	let genesis = frame_system::Pallet::<Runtime>::block_hash(0);
	load::sign(LoadCall { signer: Keyring::Alice, nonce: 0, call }, genesis)
}

/// The fee `query_info` quotes for `call`, signed.
fn quoted_fee(call: RuntimeCall) -> Balance {
	let extrinsic = signed(call);
	let length = extrinsic.encoded_size() as u32;
	TransactionPayment::query_info(extrinsic, length).partial_fee
}

/// The fee of a call whose dispatch weighs `weight`, with a signed extrinsic's base, extensions
/// and length as for `template`: for the calls whose declared weight is their maximum.
fn fee_at_weight(template: RuntimeCall, declared: Weight, weight: Weight) -> Balance {
	let full = quoted_fee(template);
	let declared_fee = TransactionPayment::weight_to_fee(declared);
	full - declared_fee + TransactionPayment::weight_to_fee(weight)
}

fn bob() -> AccountId {
	Keyring::Bob.to_account_id()
}

fn transfer() -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: MultiAddress::Id(bob()),
		value: crate::UNIT,
	})
}

fn invoke() -> RuntimeCall {
	RuntimeCall::InvocationMetering(pallet_invocation_metering::Call::invoke {
		model: 0,
		version: None,
		units: 1_000,
		provider: Some(MultiAddress::Id(bob())),
		max_total: crate::UNIT,
	})
}

fn settle() -> RuntimeCall {
	let voucher = Voucher {
		genesis_hash: frame_system::Pallet::<Runtime>::block_hash(0),
		channel: 0,
		cumulative_units: 1_000,
	};
	let signature = MultiSignature::Sr25519(Keyring::Bob.sign(&voucher.encode()));
	RuntimeCall::InvocationMetering(pallet_invocation_metering::Call::settle {
		channel: 0,
		voucher,
		signature,
	})
}

fn claim() -> RuntimeCall {
	RuntimeCall::RoyaltyDistribution(pallet_royalty_distribution::Call::claim {})
}

fn claim_pool() -> RuntimeCall {
	RuntimeCall::RoyaltyDistribution(pallet_royalty_distribution::Call::claim_pool { dataset: 0 })
}

fn distribute() -> RuntimeCall {
	RuntimeCall::RoyaltyDistribution(pallet_royalty_distribution::Call::distribute {
		model: 0,
		version: 1,
	})
}

/// A goal: `fee` at most `limit`, printed with its ratio to a transfer.
struct Goal {
	call: String,
	fee: Balance,
	limit: Balance,
	rule: String,
}

/// Every goal of the weights issue, at the committed weights.
fn goals() -> Vec<Goal> {
	let transfer = quoted_fee(transfer());
	let mut goals: Vec<Goal> = [("invoke", invoke()), ("settle", settle()), ("claim", claim())]
		.into_iter()
		.chain([("claim_pool", claim_pool())])
		.map(|(call, extrinsic)| Goal {
			call: call.into(),
			fee: quoted_fee(extrinsic),
			limit: 2 * transfer,
			rule: "≤ 2.0 × transfer_keep_alive".into(),
		})
		.collect();
	type Royalties = <Runtime as pallet_royalty_distribution::Config>::WeightInfo;
	let max_route = <<Runtime as pallet_model_registry::Config>::MaxRouteLength as Get<u32>>::get();
	let write = TransactionPayment::weight_to_fee(
		<Runtime as frame_system::Config>::DbWeight::get().writes(1),
	);
	for route in [1, 8, max_route] {
		goals.push(Goal {
			call: format!("distribute({route})"),
			fee: fee_at_weight(
				distribute(),
				Royalties::distribute(max_route),
				Royalties::distribute(route),
			),
			limit: transfer + Balance::from(route) * (write + write / 10),
			rule: format!("≤ transfer + {route} × (one write + 10 %)"),
		});
	}
	goals
}

/// Every call of the four Tributary pallets at its worst case, beside a transfer: printed for the
/// report's weight table (`WEIGHT` marks its rows).
#[test]
fn every_calls_weight_beside_a_transfers() {
	use pallet_balances::WeightInfo as _;
	let transfer = <Runtime as pallet_balances::Config>::WeightInfo::transfer_keep_alive();
	let db = <Runtime as frame_system::Config>::DbWeight::get();
	assert!(db.read > 0 && db.write > db.read, "measured database weights: {db:?}");
	println!(
		"WEIGHT | transfer_keep_alive | {} | {} | 1.00 |",
		transfer.ref_time() / 1_000_000,
		transfer.proof_size()
	);
	for (call, weight) in crate::tests::every_tributary_call_at_its_worst_case() {
		let ratio = weight.ref_time() as f64 / transfer.ref_time() as f64;
		println!(
			"WEIGHT | {call} | {} | {} | {ratio:.2} |",
			weight.ref_time() / 1_000_000,
			weight.proof_size()
		);
		assert!(weight.ref_time() > 0, "{call} has a measured weight");
	}
}

/// The goals this runtime misses, each with the ratio to a transfer's fee it must stay under: a
/// guard against making them worse, not the goal (the committed weights' ratio plus 20 %, what
/// regenerating the weights on this machine moves them by). `docs/PERFORMANCE.md` says why they are
/// missed and what would meet them:
/// - `settle` verifies the consumer's signature and moves the settled amount out of the
///   consumer's held deposit (three balance keys: the hold, the consumer, the pot) before it
///   accrues like `invoke`;
/// - `distribute` writes, per route entry, the pool's reward counter and the dataset's usage
///   and, at its worst case, activates `MaxPendingCohorts` cohorts of shares in every pool:
///   about ten writes per entry, where the goal allows one.
const KNOWN_MISSES: [(&str, f64); 4] =
	[("settle", 2.55), ("distribute(1)", 2.5), ("distribute(8)", 10.5), ("distribute(64)", 75.0)];

#[test]
fn hot_calls_cost_a_client_at_most_their_goal() {
	development().execute_with(|| {
		let transfer = quoted_fee(transfer());
		println!("FEE | transfer_keep_alive | {transfer} | 1.00 | | |");
		let goals = goals();
		for goal in &goals {
			let ratio = goal.fee as f64 / transfer as f64;
			let met = if goal.fee <= goal.limit { "yes" } else { "no" };
			println!("FEE | {} | {} | {ratio:.2} | {} | {met} |", goal.call, goal.fee, goal.rule);
		}
		for goal in &goals {
			let ratio = goal.fee as f64 / transfer as f64;
			match KNOWN_MISSES.iter().find(|(call, _)| *call == goal.call) {
				None => assert!(
					goal.fee <= goal.limit,
					"{} costs {ratio:.2} × a transfer: goal missed",
					goal.call
				),
				Some((_, guard)) => {
					assert!(
						goal.fee > goal.limit,
						"{} now meets its goal: update KNOWN_MISSES",
						goal.call
					);
					assert!(ratio <= *guard, "{} got worse: {ratio:.2} × a transfer", goal.call);
				}
			}
		}
	});
}

/// Runs `measured` calls of `load` after its setup as the node's throughput benchmark does:
/// the first block on genesis at the load's timestamp, every extrinsic signed and applied whole.
fn run_load(load: Load, measured: u32) {
	let genesis = frame_system::Pallet::<Runtime>::block_hash(0);
	let header = <crate::Header as sp_runtime::traits::Header>::new(
		1,
		Default::default(),
		Default::default(),
		genesis,
		Default::default(),
	);
	Executive::initialize_block(&header);
	let timestamp =
		RuntimeCall::Timestamp(pallet_timestamp::Call::set { now: load::LOAD_TIMESTAMP });
	let inherent: UncheckedExtrinsic =
		sp_runtime::generic::UncheckedExtrinsic::new_bare(timestamp).into();
	assert_eq!(Executive::apply_extrinsic(inherent), Ok(Ok(())));
	let setup = load::setup(load).len() as u32;
	for index in 0..setup + measured {
		let extrinsic = load::sign(
			load::extrinsic(load, index, genesis, load::channel_nonce(genesis)),
			genesis,
		);
		assert_eq!(Executive::apply_extrinsic(extrinsic), Ok(Ok(())), "{load:?} extrinsic {index}");
	}
}

/// The development genesis before its first block, as the node's benchmark starts from it.
fn fresh_chain() -> sp_io::TestExternalities {
	crate::tests::preset_ext(crate::genesis_config_presets::DEVELOPMENT_PRESET)
}

#[test]
fn the_throughput_loads_succeed_call_after_call() {
	use crate::{test_chain::free, UNIT};
	use load::{LOAD_FEE_PER_UNIT, LOAD_PRICE_PER_UNIT};
	let charlie = Keyring::Charlie.to_account_id();
	fresh_chain().execute_with(|| {
		let before = free(&bob());
		run_load(Load::Transfer, 5);
		assert_eq!(free(&bob()), before + 5 * UNIT);
	});
	fresh_chain().execute_with(|| {
		run_load(Load::Invoke, 5);
		let usage = pallet_invocation_metering::ModelUsages::<Runtime>::get(load::LOAD_MODEL);
		assert_eq!((usage.invocations, usage.units), (5, 5));
		assert_eq!(usage.revenue, 5 * LOAD_PRICE_PER_UNIT);
		assert_eq!(
			pallet_royalty_distribution::Credits::<Runtime>::get(bob()),
			Some(5 * LOAD_FEE_PER_UNIT)
		);
		assert_eq!(frame_system::Pallet::<Runtime>::account_nonce(&charlie), 5);
	});
	fresh_chain().execute_with(|| {
		run_load(Load::Settle, 5);
		let genesis = frame_system::Pallet::<Runtime>::block_hash(0);
		let channel = pallet_invocation_metering::Channels::<Runtime>::get(load::LOAD_CHANNEL)
			.expect("the load's channel");
		assert_eq!(channel.nonce, load::channel_nonce(genesis));
		assert_eq!(channel.settled_units, 5);
		assert_eq!(
			pallet_royalty_distribution::Credits::<Runtime>::get(bob()),
			Some(5 * LOAD_FEE_PER_UNIT)
		);
	});
}
