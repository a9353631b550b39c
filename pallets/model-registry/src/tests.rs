//! Unit tests: every call, every error, exact routes and balances; lineage depth 1, 2 and 50; a
//! composition sharing an ancestor; and a property test over random lineage graphs comparing
//! stored routes with a naive recursive expansion.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{mock::*, pallet::*, route, types::*};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{DispatchError, Perbill};
use std::collections::BTreeMap;
use tributary_primitives::{InvocationTerms, ModelInvocation, RouteProvider};

type E = Error<Test>;

const ONE: u32 = 1_000_000_000;

pub(crate) fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

pub(crate) fn pct(percent: u32) -> Perbill {
	Perbill::from_percent(percent)
}

fn parts(parts: u32) -> Perbill {
	Perbill::from_parts(parts)
}

pub(crate) fn open_license(min_upstream_share: Perbill) -> License<Balance> {
	License { commercial_use: true, derivatives: Derivatives::share(min_upstream_share) }
}

pub(crate) fn v(model: ModelId, version: VersionNumber) -> ModelVersionRef {
	ModelVersionRef { model, version }
}

pub(crate) fn acct(who: AccountId) -> Beneficiary<AccountId> {
	Beneficiary::Account(who)
}

pub(crate) fn ds(dataset: DatasetId) -> Beneficiary<AccountId> {
	Beneficiary::Dataset(dataset)
}

/// What a version with this lineage must at least demand of its own derivatives: its
/// datasets' minimums plus its parents' (zero for unknown ones, which the call refuses anyway).
fn upstream_demand(
	datasets: &[(DatasetId, Perbill)],
	parents: &[(ModelVersionRef, Perbill)],
) -> Perbill {
	use sp_runtime::Saturating;
	use tributary_primitives::{test_utils::MockDatasets, DatasetInspect};
	let datasets =
		datasets.iter().map(|(d, _)| MockDatasets::min_model_share(*d).unwrap_or_default());
	let parents = parents.iter().map(|(p, _)| {
		match Versions::<Test>::get(p.model, p.version).map(|v| v.license.derivatives) {
			Some(Derivatives::Allowed { min_upstream_share, .. }) => min_upstream_share,
			_ => Perbill::zero(),
		}
	});
	datasets.chain(parents).fold(Perbill::zero(), |sum, share| sum.saturating_add(share))
}

pub(crate) fn spec(
	owner_share: Perbill,
	datasets: &[(DatasetId, Perbill)],
	parents: &[(ModelVersionRef, Perbill)],
) -> VersionSpec<Test> {
	VersionSpec {
		label: b"1.0.0".to_vec(),
		artifact_hash: ContentHash::repeat_byte(7),
		price_per_unit: 50,
		license: open_license(pct(10).max(upstream_demand(datasets, parents))),
		owner_share,
		lineage: LineageSpec { datasets: datasets.to_vec(), parents: parents.to_vec() },
	}
}

pub(crate) fn name(bytes: &[u8]) -> Vec<u8> {
	bytes.to_vec()
}

pub(crate) fn register(
	owner: AccountId,
	spec: VersionSpec<Test>,
) -> Result<ModelId, DispatchError> {
	let id = NextModelId::<Test>::get();
	ModelRegistry::register(origin(owner), name(b"model"), Modality::Text, spec)?;
	Ok(id)
}

pub(crate) fn route_of(
	model: ModelId,
	version: VersionNumber,
) -> Vec<(Beneficiary<AccountId>, u32)> {
	Routes::<Test>::get(model, version)
		.unwrap()
		.iter()
		.map(|(b, p)| (b.clone(), p.deconstruct()))
		.collect()
}

/// The model's current revision, which an acceptance names.
pub(crate) fn revision(model: ModelId) -> u32 {
	Models::<Test>::get(model).map_or(0, |record| record.revision)
}

pub(crate) fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ModelDeposit.into(), &who)
}

fn version_deposit(model: ModelId, version: VersionNumber) -> Balance {
	let record = Versions::<Test>::get(model, version).unwrap();
	let route = Routes::<Test>::get(model, version).unwrap();
	let bytes = record.encoded_size() + route.encoded_size();
	VERSION_DEPOSIT_BASE + VERSION_DEPOSIT_PER_BYTE * bytes as Balance
}

/// Alice's base model: dataset 0 (requires 10%) at 20%, dataset 1 (requires 5%) at 30%, Alice
/// 50%. Its license asks derivatives for at least 25%. Checks the events registering it
/// deposits: the model, then its first version with a route of three entries.
fn base_model() -> ModelId {
	let d0 = add_dataset(pct(10));
	let d1 = add_dataset(pct(5));
	let mut base = spec(pct(50), &[(d0, pct(20)), (d1, pct(30))], &[]);
	base.license = open_license(pct(25));
	let model = register(ALICE, base).unwrap();
	assert_eq!(
		events_since_last_call(),
		vec![
			Event::ModelRegistered { model, owner: ALICE, modality: Modality::Text },
			Event::VersionPublished {
				model,
				version: 1,
				price_per_unit: 50,
				route_length: 3,
				deposit: version_deposit(model, 1),
			},
		]
	);
	model
}

// ------------------------------------------------------------------ register

#[test]
fn register_stores_the_model_its_first_version_and_a_depth_one_route() {
	ExtBuilder::default().build_and_execute(|| {
		let model = base_model();
		assert_eq!(model, 0);
		assert_eq!(NextModelId::<Test>::get(), 1);
		assert_eq!(
			route_of(model, 1),
			vec![(acct(ALICE), 500_000_000), (ds(0), 200_000_000), (ds(1), 300_000_000)]
		);

		let record = Models::<Test>::get(model).unwrap();
		assert_eq!(record.owner, ALICE);
		assert_eq!(record.metadata.name.to_vec(), b"model".to_vec());
		assert_eq!(record.metadata.modality, Modality::Text);
		assert_eq!(record.latest_version, 1);
		assert_eq!(record.pending_owner, None);
		assert_eq!(record.deposit, MODEL_DEPOSIT);
		let deposit = version_deposit(model, 1);
		assert_eq!(record.versions_deposit, deposit);

		let version = Versions::<Test>::get(model, 1).unwrap();
		assert_eq!(version.label.to_vec(), b"1.0.0".to_vec());
		assert_eq!(version.price_per_unit, 50);
		assert_eq!(version.owner_share, pct(50));
		assert_eq!(version.lineage.datasets.to_vec(), vec![(0, pct(20)), (1, pct(30))]);
		assert!(!version.deprecated);
		assert_eq!(version.published_at, 1);
		assert_eq!(version.deposit, deposit);

		// Deposits are held, exactly, and nothing else moved.
		assert_eq!(held(ALICE), MODEL_DEPOSIT + deposit);
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE - MODEL_DEPOSIT - deposit);
		// `base_model` checked the events: `ModelRegistered`, then `VersionPublished` with this
		// deposit; nothing else was deposited.
		assert_eq!(events_since_last_call(), vec![]);
	});
}

#[test]
fn a_model_without_lineage_routes_everything_to_its_owner() {
	ExtBuilder::default().build_and_execute(|| {
		let model = register(BOB, spec(pct(100), &[], &[])).unwrap();
		assert_eq!(route_of(model, 1), vec![(acct(BOB), ONE)]);
	});
}

#[test]
fn a_fine_tune_routes_its_parents_route_scaled_by_the_parents_share() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		// Bob gives the base 60% (its license asks at least 25%) and keeps 40%.
		let tune = register(BOB, spec(pct(40), &[], &[(v(base, 1), pct(60))])).unwrap();
		// Alice 60% × 50% = 30%, dataset 0 60% × 20% = 12%, dataset 1 60% × 30% = 18%.
		assert_eq!(
			route_of(tune, 1),
			vec![
				(acct(ALICE), 300_000_000),
				(acct(BOB), 400_000_000),
				(ds(0), 120_000_000),
				(ds(1), 180_000_000),
			]
		);
		// The base's route did not change.
		assert_eq!(
			route_of(base, 1),
			vec![(acct(ALICE), 500_000_000), (ds(0), 200_000_000), (ds(1), 300_000_000)]
		);
	});
}

#[test]
fn a_derivative_may_also_name_datasets_of_its_own() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		let d2 = add_dataset(pct(10));
		let tune =
			register(BOB, spec(pct(20), &[(d2, pct(20)), (0, pct(10))], &[(v(base, 1), pct(50))]))
				.unwrap();
		// Dataset 0: 10% directly + 50% × 20% through the base = 20%, one merged entry.
		assert_eq!(
			route_of(tune, 1),
			vec![
				(acct(ALICE), 250_000_000),
				(acct(BOB), 200_000_000),
				(ds(0), 200_000_000),
				(ds(1), 150_000_000),
				(ds(d2), 200_000_000),
			]
		);
	});
}

#[test]
fn the_rounding_remainder_goes_to_the_owner() {
	ExtBuilder::default().build_and_execute(|| {
		let d0 = add_dataset(Perbill::zero());
		let d1 = add_dataset(Perbill::zero());
		let mut third =
			spec(parts(333_333_334), &[(d0, parts(333_333_333)), (d1, parts(333_333_333))], &[]);
		third.license = open_license(Perbill::zero());
		let base = register(ALICE, third).unwrap();
		let tune =
			register(BOB, spec(parts(666_666_667), &[], &[(v(base, 1), parts(333_333_333))]))
				.unwrap();
		// Alice: 333,333,333 × 333,333,334 / 10⁹ = 111,111,111.2 → 111,111,111;
		// each dataset: 333,333,333² / 10⁹ = 111,111,110.9 → 111,111,110;
		// Bob: what is left, 10⁹ − 333,333,331 = 666,666,669 (two parts above his 666,666,667).
		assert_eq!(
			route_of(tune, 1),
			vec![
				(acct(ALICE), 111_111_111),
				(acct(BOB), 666_666_669),
				(ds(d0), 111_111_110),
				(ds(d1), 111_111_110),
			]
		);
	});
}

#[test]
fn an_owner_deriving_from_its_own_model_gets_one_merged_entry() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		let tune = register(ALICE, spec(pct(50), &[], &[(v(base, 1), pct(50))])).unwrap();
		assert_eq!(
			route_of(tune, 1),
			vec![(acct(ALICE), 750_000_000), (ds(0), 100_000_000), (ds(1), 150_000_000)]
		);
	});
}

#[test]
fn entries_rounded_to_nothing_and_zero_shares_are_left_out() {
	ExtBuilder::default().build_and_execute(|| {
		let free = add_dataset(Perbill::zero());
		let tiny = add_dataset(Perbill::zero());
		let mut base = spec(parts(ONE - 1), &[(tiny, parts(1)), (free, Perbill::zero())], &[]);
		base.license = open_license(Perbill::zero());
		let base = register(ALICE, base).unwrap();
		assert_eq!(route_of(base, 1), vec![(acct(ALICE), ONE - 1), (ds(tiny), 1)]);
		// 1 part × 50% rounds to nothing: the dataset drops out and Bob keeps the remainder.
		let tune = register(BOB, spec(pct(50), &[], &[(v(base, 1), pct(50))])).unwrap();
		assert_eq!(route_of(tune, 1), vec![(acct(ALICE), 499_999_999), (acct(BOB), 500_000_001)]);
		// An owner with a zero share and no remainder is not in the route.
		let pass =
			register(CHARLIE, spec(Perbill::zero(), &[], &[(v(base, 1), pct(100))])).unwrap();
		assert_eq!(route_of(pass, 1), vec![(acct(ALICE), ONE - 1), (ds(tiny), 1)]);
	});
}

/// The route of the last model of a chain `depth` fine-tunes long, computed by hand: the base
/// (owner 1000) gives dataset 0 20% and keeps 80%; each fine-tune (owner 1000 + i) gives its
/// parent 90% and keeps 10%. A parent's part p becomes ⌊p × 9 / 10⌋ one level down; the
/// owner of each level gets 10⁹ minus everyone else's parts.
fn chain_route_by_hand(depth: u32) -> Vec<(Beneficiary<AccountId>, u32)> {
	let mut entries: Vec<(Beneficiary<AccountId>, u32)> =
		vec![(acct(1000), 800_000_000), (ds(0), 200_000_000)];
	for level in 1..=depth {
		for entry in entries.iter_mut() {
			entry.1 = (entry.1 as u64 * 9 / 10) as u32;
		}
		entries.retain(|(_, part)| *part > 0);
		let others: u32 = entries.iter().map(|(_, part)| part).sum();
		entries.push((acct(1000 + level as AccountId), ONE - others));
	}
	entries.sort();
	entries
}

fn register_chain(depth: u32) -> ModelId {
	let d0 = add_dataset(pct(10));
	let mut base = spec(pct(80), &[(d0, pct(20))], &[]);
	base.license = open_license(pct(90));
	let mut model = register(1000, base).unwrap();
	for level in 1..=depth {
		let mut tune = spec(pct(10), &[], &[(v(model, 1), pct(90))]);
		tune.license = open_license(pct(90));
		model = register(1000 + level as AccountId, tune).unwrap();
	}
	model
}

#[test]
fn a_chain_of_fine_tunes_matches_the_hand_computation_at_depth_1_2_and_50() {
	ExtBuilder::default().with_funded_range(1000, 1050).build_and_execute(|| {
		let last = register_chain(50);
		for depth in [0u32, 1, 2, 50] {
			assert_eq!(route_of(depth, 1), chain_route_by_hand(depth), "depth {depth}");
		}
		// Spot-check the hand computation itself at depth 2: dataset 0 gets 20% × 0.9² = 16.2%,
		// the base owner 80% × 0.81 = 64.8%, the first fine-tuner 10% × 0.9 = 9%, the second 10%.
		assert_eq!(
			chain_route_by_hand(2),
			vec![
				(acct(1000), 648_000_000),
				(acct(1001), 90_000_000),
				(acct(1002), 100_000_000),
				(ds(0), 162_000_000),
			]
		);
		// At depth 50 every one of the 51 owners and the dataset are still paid.
		let route = route_of(last, 1);
		assert_eq!(route.len(), 52);
		assert_eq!(route.iter().map(|(_, p)| *p as u64).sum::<u64>(), ONE as u64);
		// 20% × 0.9⁵⁰ = 1,030,755.04 parts exactly; flooring at each of the 50 levels loses 4.
		let dataset_part = route.iter().find(|(b, _)| *b == ds(0)).unwrap().1;
		assert_eq!(dataset_part, 1_030_751);
		assert!((dataset_part as f64 - 2e8 * 0.9f64.powi(50)).abs() < 50.0);
	});
}

#[test]
fn a_composition_merges_the_entries_of_a_common_ancestor() {
	ExtBuilder::default().build_and_execute(|| {
		let d0 = add_dataset(pct(10));
		let mut base = spec(pct(80), &[(d0, pct(20))], &[]);
		base.license = open_license(pct(20));
		let a = register(ALICE, base).unwrap();
		let b = register(BOB, spec(pct(50), &[], &[(v(a, 1), pct(50))])).unwrap();
		let c = register(CHARLIE, spec(pct(50), &[], &[(v(a, 1), pct(50))])).unwrap();
		let d = register(DAVE, spec(pct(70), &[], &[(v(a, 1), pct(30))])).unwrap();
		let e = register(
			EVE,
			spec(pct(40), &[], &[(v(b, 1), pct(20)), (v(c, 1), pct(20)), (v(d, 1), pct(20))]),
		)
		.unwrap();
		// B: Alice 40%, Bob 50%, d0 10%. C: Alice 40%, Charlie 50%, d0 10%.
		// D: Alice 24%, Dave 70%, d0 6%. E = 20% of each + Eve 40%:
		// Alice 8 + 8 + 4.8 = 20.8%, d0 2 + 2 + 1.2 = 5.2%, one entry each.
		assert_eq!(
			route_of(e, 1),
			vec![
				(acct(ALICE), 208_000_000),
				(acct(BOB), 100_000_000),
				(acct(CHARLIE), 100_000_000),
				(acct(DAVE), 140_000_000),
				(acct(EVE), 400_000_000),
				(ds(d0), 52_000_000),
			]
		);
	});
}

// ------------------------------------------------------------ register errors

#[test]
fn shares_must_add_up_to_exactly_one_hundred_percent() {
	ExtBuilder::default().build_and_execute(|| {
		let d0 = add_dataset(pct(10));
		assert_noop!(register(ALICE, spec(pct(79), &[(d0, pct(20))], &[])), E::SharesNotWhole);
		assert_noop!(register(ALICE, spec(pct(81), &[(d0, pct(20))], &[])), E::SharesNotWhole);
		assert_noop!(
			register(ALICE, spec(Perbill::one(), &[(d0, pct(20))], &[])),
			E::SharesNotWhole
		);
		assert_noop!(register(ALICE, spec(Perbill::zero(), &[], &[])), E::SharesNotWhole);
	});
}

#[test]
fn a_dataset_must_exist_appear_once_and_get_its_minimum() {
	ExtBuilder::default().build_and_execute(|| {
		let d0 = add_dataset(pct(10));
		assert_noop!(register(ALICE, spec(pct(80), &[(9, pct(20))], &[])), E::UnknownDataset);
		assert_noop!(
			register(ALICE, spec(pct(60), &[(d0, pct(20)), (d0, pct(20))], &[])),
			E::DuplicateDataset
		);
		assert_noop!(
			register(ALICE, spec(parts(900_000_001), &[(d0, parts(99_999_999))], &[])),
			E::DatasetShareTooLow
		);
		assert_ok!(register(ALICE, spec(pct(90), &[(d0, pct(10))], &[])));
	});
}

#[test]
fn a_parent_must_exist_appear_once_and_get_its_minimum() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		assert_noop!(register(BOB, spec(pct(50), &[], &[(v(7, 1), pct(50))])), E::UnknownParent);
		assert_noop!(register(BOB, spec(pct(50), &[], &[(v(base, 2), pct(50))])), E::UnknownParent);
		assert_noop!(
			register(BOB, spec(pct(40), &[], &[(v(base, 1), pct(30)), (v(base, 1), pct(30))])),
			E::DuplicateParent
		);
		assert_noop!(
			register(BOB, spec(parts(750_000_001), &[], &[(v(base, 1), parts(249_999_999))])),
			E::ParentShareTooLow
		);
		assert_ok!(register(BOB, spec(pct(75), &[], &[(v(base, 1), pct(25))])));
	});
}

#[test]
fn a_parent_whose_license_forbids_derivatives_cannot_be_derived_from() {
	ExtBuilder::default().build_and_execute(|| {
		let mut closed = spec(pct(100), &[], &[]);
		closed.license = License { commercial_use: true, derivatives: Derivatives::Forbidden };
		let closed = register(ALICE, closed).unwrap();
		assert_noop!(
			register(BOB, spec(pct(50), &[], &[(v(closed, 1), pct(50))])),
			E::DerivativesForbidden
		);
	});
}

#[test]
fn a_non_commercial_parent_only_takes_non_commercial_derivatives() {
	ExtBuilder::default().build_and_execute(|| {
		let mut research = spec(pct(100), &[], &[]);
		research.license.commercial_use = false;
		research.price_per_unit = 0;
		let research = register(ALICE, research).unwrap();
		assert_noop!(
			register(BOB, spec(pct(50), &[], &[(v(research, 1), pct(50))])),
			E::CommercialUseForbidden
		);
		let mut derivative = spec(pct(50), &[], &[(v(research, 1), pct(50))]);
		derivative.license.commercial_use = false;
		derivative.price_per_unit = 0;
		assert_ok!(register(BOB, derivative));
	});
}

#[test]
fn a_deprecated_parent_takes_no_new_derivatives() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		assert_ok!(ModelRegistry::deprecate(origin(ALICE), base, 1));
		assert_noop!(
			register(BOB, spec(pct(50), &[], &[(v(base, 1), pct(50))])),
			E::ParentDeprecated
		);
	});
}

#[test]
fn a_route_longer_than_the_bound_is_refused_not_truncated() {
	ExtBuilder::default().with_funded_range(1000, 1100).build_and_execute(|| {
		// Each fine-tune of the chain adds its owner: the route at depth k has k + 2 entries.
		let longest = register_chain(MAX_ROUTE_LENGTH - 2);
		assert_eq!(route_of(longest, 1).len(), MAX_ROUTE_LENGTH as usize);
		let mut tune = spec(pct(10), &[], &[(v(longest, 1), pct(90))]);
		tune.license = open_license(pct(90));
		assert_noop!(register(1100, tune.clone()), E::RouteTooLong);
		// An owner already in the route adds no entry: the same lineage fits.
		assert_ok!(register(1000, tune));
	});
}

#[test]
fn registering_needs_the_deposits_in_free_balance() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(register(POOR, spec(pct(100), &[], &[])), E::InsufficientFunds);
	});
}

#[test]
fn model_ids_never_wrap() {
	ExtBuilder::default().build_and_execute(|| {
		NextModelId::<Test>::put(ModelId::MAX);
		assert_noop!(register(ALICE, spec(pct(100), &[], &[])), E::CounterOverflow);
	});
}

// ------------------------------------------------------------------ versions

#[test]
fn a_new_version_has_new_terms_and_the_old_one_keeps_its_route() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		let tune = register(BOB, spec(pct(40), &[], &[(v(base, 1), pct(60))])).unwrap();
		let first_route = route_of(tune, 1);
		let before = Balances::balance(&BOB);
		let d2 = add_dataset(pct(5));
		let mut second = spec(pct(70), &[(d2, pct(5))], &[(v(base, 1), pct(25))]);
		second.label = b"2.0.0".to_vec();
		second.price_per_unit = 80;
		assert_ok!(ModelRegistry::publish_version(origin(BOB), tune, second));

		assert_eq!(route_of(tune, 1), first_route);
		assert_eq!(
			route_of(tune, 2),
			vec![
				(acct(ALICE), 125_000_000),
				(acct(BOB), 700_000_000),
				(ds(0), 50_000_000),
				(ds(1), 75_000_000),
				(ds(d2), 50_000_000),
			]
		);
		let record = Models::<Test>::get(tune).unwrap();
		assert_eq!(record.latest_version, 2);
		let deposit = version_deposit(tune, 2);
		assert_eq!(record.versions_deposit, version_deposit(tune, 1) + deposit);
		assert_eq!(Balances::balance(&BOB), before - deposit);
		assert_eq!(
			events_since_last_call(),
			vec![
				Event::ModelRegistered { model: tune, owner: BOB, modality: Modality::Text },
				Event::VersionPublished {
					model: tune,
					version: 1,
					price_per_unit: 50,
					route_length: 4,
					deposit: version_deposit(tune, 1)
				},
				Event::VersionPublished {
					model: tune,
					version: 2,
					price_per_unit: 80,
					route_length: 5,
					deposit
				},
			]
		);
	});
}

#[test]
fn publishing_a_version_is_for_the_owner_only_and_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		let base_spec = || spec(pct(50), &[(0, pct(20)), (1, pct(30))], &[]);
		assert_noop!(ModelRegistry::publish_version(origin(BOB), base, base_spec()), E::NotOwner);
		assert_noop!(
			ModelRegistry::publish_version(origin(ALICE), 9, base_spec()),
			E::UnknownModel
		);
		for _ in 1..MAX_VERSIONS {
			assert_ok!(ModelRegistry::publish_version(origin(ALICE), base, base_spec()));
		}
		assert_noop!(
			ModelRegistry::publish_version(origin(ALICE), base, base_spec()),
			E::TooManyVersions
		);
	});
}

#[test]
fn a_version_cannot_descend_from_its_own_model() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		assert_noop!(
			ModelRegistry::publish_version(
				origin(ALICE),
				base,
				spec(pct(50), &[], &[(v(base, 1), pct(50))])
			),
			E::CyclicLineage
		);
		// Even naming the version about to be published.
		assert_noop!(
			ModelRegistry::publish_version(
				origin(ALICE),
				base,
				spec(pct(50), &[], &[(v(base, 2), pct(50))])
			),
			E::CyclicLineage
		);
		// A new model cannot name itself either.
		let next = NextModelId::<Test>::get();
		assert_noop!(register(BOB, spec(pct(50), &[], &[(v(next, 1), pct(50))])), E::CyclicLineage);
	});
}

#[test]
fn set_price_changes_what_invocations_pay() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		assert_noop!(ModelRegistry::set_price(origin(BOB), base, 1, 7), E::NotOwner);
		assert_noop!(ModelRegistry::set_price(origin(ALICE), base, 2, 7), E::UnknownVersion);
		assert_noop!(ModelRegistry::set_price(origin(ALICE), 9, 1, 7), E::UnknownModel);
		assert_ok!(ModelRegistry::set_price(origin(ALICE), base, 1, 7));
		assert_eq!(Versions::<Test>::get(base, 1).unwrap().price_per_unit, 7);
		assert_eq!(
			<ModelRegistry as ModelInvocation<_, _>>::invocation_terms(base, None)
				.unwrap()
				.price_per_unit,
			7
		);
		assert_eq!(
			events_since_last_call(),
			vec![Event::PriceUpdated { model: base, version: 1, price_per_unit: 7 }]
		);
	});
}

#[test]
fn update_metadata_replaces_name_and_modality() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		assert_noop!(
			ModelRegistry::update_metadata(origin(BOB), base, name(b"x"), Modality::Audio),
			E::NotOwner
		);
		assert_noop!(
			ModelRegistry::update_metadata(origin(ALICE), 9, name(b"x"), Modality::Audio),
			E::UnknownModel
		);
		assert_ok!(ModelRegistry::update_metadata(
			origin(ALICE),
			base,
			name(b"whisper-tiny"),
			Modality::Audio
		));
		let metadata = Models::<Test>::get(base).unwrap().metadata;
		assert_eq!(metadata.name.to_vec(), b"whisper-tiny".to_vec());
		assert_eq!(metadata.modality, Modality::Audio);
		assert_eq!(events_since_last_call(), vec![Event::MetadataUpdated { model: base }]);
	});
}

#[test]
fn a_deprecated_version_can_still_be_invoked() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		assert_noop!(ModelRegistry::deprecate(origin(BOB), base, 1), E::NotOwner);
		assert_noop!(ModelRegistry::deprecate(origin(ALICE), base, 2), E::UnknownVersion);
		assert_ok!(ModelRegistry::deprecate(origin(ALICE), base, 1));
		assert_noop!(ModelRegistry::deprecate(origin(ALICE), base, 1), E::AlreadyDeprecated);
		assert!(Versions::<Test>::get(base, 1).unwrap().deprecated);
		assert!(<ModelRegistry as ModelInvocation<_, _>>::invocation_terms(base, Some(1)).is_some());
		assert_eq!(
			events_since_last_call(),
			vec![Event::VersionDeprecated { model: base, version: 1 }]
		);
	});
}

// ----------------------------------------------------------------- ownership

#[test]
fn ownership_moves_with_the_deposits_when_the_new_owner_accepts() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		let total = MODEL_DEPOSIT + version_deposit(base, 1);
		assert_noop!(ModelRegistry::offer_ownership(origin(BOB), base, Some(CHARLIE)), E::NotOwner);
		assert_noop!(
			ModelRegistry::offer_ownership(origin(ALICE), base, Some(ALICE)),
			E::AlreadyOwner
		);
		assert_noop!(
			ModelRegistry::accept_ownership(origin(BOB), base, revision(base)),
			E::NotPendingOwner
		);

		assert_ok!(ModelRegistry::offer_ownership(origin(ALICE), base, Some(BOB)));
		assert_eq!(
			events_since_last_call(),
			vec![Event::OwnershipOffered { model: base, to: Some(BOB), revision: 1 }]
		);
		assert_noop!(
			ModelRegistry::accept_ownership(origin(CHARLIE), base, revision(base)),
			E::NotPendingOwner
		);
		assert_ok!(ModelRegistry::accept_ownership(origin(BOB), base, revision(base)));

		assert_eq!(Models::<Test>::get(base).unwrap().owner, BOB);
		assert_eq!(Models::<Test>::get(base).unwrap().pending_owner, None);
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE);
		assert_eq!(held(BOB), total);
		assert_eq!(Balances::balance(&BOB), INITIAL_BALANCE - total);
		assert_eq!(
			events_since_last_call(),
			vec![Event::OwnershipTransferred { model: base, from: ALICE, to: BOB }]
		);
		// The new owner controls the model; the published route still pays the accounts it names.
		assert_noop!(ModelRegistry::set_price(origin(ALICE), base, 1, 1), E::NotOwner);
		assert_ok!(ModelRegistry::set_price(origin(BOB), base, 1, 1));
		assert_eq!(route_of(base, 1)[0], (acct(ALICE), 500_000_000));
		assert_ok!(ModelRegistry::publish_version(
			origin(BOB),
			base,
			spec(pct(50), &[(0, pct(20)), (1, pct(30))], &[])
		));
		assert_eq!(route_of(base, 2)[0], (acct(BOB), 500_000_000));
	});
}

#[test]
fn an_offer_can_be_withdrawn_and_an_unfunded_acceptance_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let base = base_model();
		assert_ok!(ModelRegistry::offer_ownership(origin(ALICE), base, Some(BOB)));
		assert_ok!(ModelRegistry::offer_ownership(origin(ALICE), base, None));
		assert_eq!(
			events_since_last_call(),
			vec![
				Event::OwnershipOffered { model: base, to: Some(BOB), revision: 1 },
				Event::OwnershipOffered { model: base, to: None, revision: 2 },
			]
		);
		assert_noop!(
			ModelRegistry::accept_ownership(origin(BOB), base, revision(base)),
			E::NotPendingOwner
		);

		assert_ok!(ModelRegistry::offer_ownership(origin(ALICE), base, Some(POOR)));
		assert_noop!(
			ModelRegistry::accept_ownership(origin(POOR), base, revision(base)),
			E::InsufficientFunds
		);
		assert_noop!(ModelRegistry::accept_ownership(origin(POOR), 9, 0), E::UnknownModel);
	});
}

// ------------------------------------------------------------ route provider

#[test]
fn the_route_provider_reads_terms_routes_and_owners() {
	ExtBuilder::default().build_and_execute(|| {
		type Routes = ModelRegistry;
		let base = base_model();
		assert_ok!(ModelRegistry::publish_version(
			origin(ALICE),
			base,
			spec(pct(50), &[(0, pct(20)), (1, pct(30))], &[])
		));
		assert_ok!(ModelRegistry::set_price(origin(ALICE), base, 2, 70));
		let latest = <Routes as ModelInvocation<_, _>>::invocation_terms(base, None).unwrap();
		assert_eq!(
			latest,
			InvocationTerms {
				version: 2,
				price_per_unit: 70,
				owner: ALICE,
				commercial_use: true,
				infringing: false,
			}
		);
		let first = <Routes as ModelInvocation<_, _>>::invocation_terms(base, Some(1)).unwrap();
		assert_eq!(first.version, 1);
		assert_eq!(first.price_per_unit, 50);
		assert_eq!(<Routes as ModelInvocation<_, _>>::invocation_terms(base, Some(3)), None);
		assert_eq!(<Routes as ModelInvocation<_, _>>::invocation_terms(9, None), None);
		assert!(<Routes as ModelInvocation<_, _>>::invocation_terms(base, Some(3)).is_none());
		assert_eq!(
			<Routes as RouteProvider<_>>::route(base, 1).unwrap(),
			vec![(acct(ALICE), pct(50)), (ds(0), pct(20)), (ds(1), pct(30))]
		);
		assert_eq!(<Routes as RouteProvider<_>>::route(base, 3), None);
		assert_eq!(<Routes as ModelInvocation<_, _>>::model_owner(base), Some(ALICE));
		assert_eq!(<Routes as ModelInvocation<_, _>>::model_owner(9), None);
	});
}

#[test]
fn flatten_refuses_a_parent_route_that_is_not_whole() {
	let broken = vec![(acct(ALICE), pct(60))];
	assert_eq!(
		route::flatten(&BOB, pct(50), [], [(pct(50), broken.as_slice())], 64),
		Err(route::FlattenError::NotWhole)
	);
	assert!(!route::is_well_formed(&broken));
	assert!(!route::is_well_formed(&[(acct(BOB), pct(50)), (acct(ALICE), pct(50))]));
	assert!(route::is_well_formed(&[(acct(ALICE), pct(50)), (acct(BOB), pct(50))]));
}

#[test]
fn try_state_catches_a_broken_route() {
	ExtBuilder::default().build().execute_with(|| {
		let base = base_model();
		assert_ok!(ModelRegistry::do_try_state());
		Routes::<Test>::mutate(base, 1, |route| {
			route.as_mut().unwrap()[0].1 = pct(49);
		});
		assert!(ModelRegistry::do_try_state().is_err());
	});
}

// ------------------------------------------------------------ property test

/// The route of a version expanded recursively from the lineages themselves, never reading a
/// stored route: every parent is expanded again from its own lineage, down to the leaves.
fn naive_route(model: ModelId, version: VersionNumber) -> BTreeMap<Beneficiary<AccountId>, u32> {
	let record = Versions::<Test>::get(model, version).unwrap();
	let owner = Models::<Test>::get(model).unwrap().owner;
	let mut exact: BTreeMap<Beneficiary<AccountId>, u128> = BTreeMap::new();
	*exact.entry(acct(owner)).or_default() +=
		record.owner_share.deconstruct() as u128 * ONE as u128;
	for (dataset, share) in record.lineage.datasets.iter() {
		*exact.entry(ds(*dataset)).or_default() += share.deconstruct() as u128 * ONE as u128;
	}
	for (parent, share) in record.lineage.parents.iter() {
		for (beneficiary, part) in naive_route(parent.model, parent.version) {
			*exact.entry(beneficiary).or_default() += share.deconstruct() as u128 * part as u128;
		}
	}
	let mut route: BTreeMap<_, u32> = exact
		.into_iter()
		.filter(|(b, _)| *b != acct(owner))
		.map(|(b, amount)| (b, (amount / ONE as u128) as u32))
		.filter(|(_, part)| *part > 0)
		.collect();
	let rest = ONE - route.values().sum::<u32>();
	if rest > 0 {
		route.insert(acct(owner), rest);
	}
	route
}

/// The exact (unrounded) route as fractions, to bound the rounding of the stored one.
fn exact_route(model: ModelId, version: VersionNumber) -> BTreeMap<Beneficiary<AccountId>, f64> {
	let record = Versions::<Test>::get(model, version).unwrap();
	let owner = Models::<Test>::get(model).unwrap().owner;
	let mut exact: BTreeMap<Beneficiary<AccountId>, f64> = BTreeMap::new();
	*exact.entry(acct(owner)).or_default() += record.owner_share.deconstruct() as f64 / 1e9;
	for (dataset, share) in record.lineage.datasets.iter() {
		*exact.entry(ds(*dataset)).or_default() += share.deconstruct() as f64 / 1e9;
	}
	for (parent, share) in record.lineage.parents.iter() {
		for (beneficiary, part) in exact_route(parent.model, parent.version) {
			*exact.entry(beneficiary).or_default() += share.deconstruct() as f64 / 1e9 * part;
		}
	}
	exact
}

/// Splits 10⁹ parts into `cuts.len() + 1` shares at the given cut points.
fn split_whole(cuts: &[u32]) -> Vec<Perbill> {
	let mut points: Vec<u32> = cuts.iter().map(|cut| cut % (ONE + 1)).collect();
	points.push(0);
	points.push(ONE);
	points.sort();
	points.windows(2).map(|pair| Perbill::from_parts(pair[1] - pair[0])).collect()
}

#[derive(Debug, Clone)]
struct RandomModel {
	owner: AccountId,
	datasets: Vec<DatasetId>,
	parents: Vec<u32>,
	cuts: Vec<u32>,
}

fn random_model() -> impl proptest::strategy::Strategy<Value = RandomModel> {
	use proptest::prelude::*;
	(
		1..=6u64,
		proptest::sample::subsequence(vec![0u32, 1, 2], 0..=2),
		proptest::collection::btree_set(any::<u32>(), 0..=3),
		proptest::collection::vec(any::<u32>(), 6),
	)
		.prop_map(|(owner, datasets, parents, cuts)| RandomModel {
			owner,
			datasets,
			parents: parents.into_iter().collect(),
			cuts,
		})
}

proptest::proptest! {
	#![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

	#[test]
	fn stored_routes_equal_a_naive_recursive_expansion(
		models in proptest::collection::vec(random_model(), 1..14)
	) {
		ExtBuilder::default().build_and_execute(|| {
			for _ in 0..3 {
				add_dataset(Perbill::zero());
			}
			for (index, model) in models.iter().enumerate() {
				// Parents are any earlier models (a random DAG); the shares split 100% randomly.
				let mut parents: Vec<ModelId> = model
					.parents
					.iter()
					.filter(|_| index > 0)
					.map(|p| p % index as u32)
					.collect();
				parents.sort();
				parents.dedup();
				let count = 1 + model.datasets.len() + parents.len();
				let shares = split_whole(&model.cuts[..count - 1]);
				let mut spec = spec(
					shares[0],
					&model.datasets.iter().zip(&shares[1..]).map(|(d, s)| (*d, *s)).collect::<Vec<_>>(),
					&parents
						.iter()
						.zip(&shares[1 + model.datasets.len()..])
						.map(|(p, s)| (v(*p, 1), *s))
						.collect::<Vec<_>>(),
				);
				spec.license = open_license(Perbill::zero());
				let id = register(model.owner, spec).unwrap();
				assert_eq!(id, index as u32);
			}
			for id in 0..models.len() as u32 {
				let stored = route_of(id, 1);
				assert!(route::is_well_formed(&Routes::<Test>::get(id, 1).unwrap()));
				let naive: Vec<_> = naive_route(id, 1).into_iter().collect();
				assert_eq!(stored, naive, "model {id}");
				// Rounding costs each beneficiary less than one part per lineage level.
				for (beneficiary, fraction) in exact_route(id, 1) {
					let part = stored.iter().find(|(b, _)| *b == beneficiary).map_or(0, |e| e.1);
					assert!(
						(part as f64 - fraction * 1e9).abs() <= 64.0,
						"model {id}: {beneficiary:?} has {part}, exactly {}",
						fraction * 1e9
					);
				}
			}
		});
	}
}

/// Every bounded argument of `register`, `publish_version` and `update_metadata`, one step
/// over its bound, fails with the error naming that bound and changes nothing; at the bound
/// it is taken.
#[test]
fn oversized_arguments_fail_with_the_bound_they_exceed() {
	ExtBuilder::default().build_and_execute(|| {
		use frame_support::traits::Get;
		let name_max: u32 = <Test as Config>::MaxNameLength::get();
		let label_max: u32 = <Test as Config>::MaxVersionLabelLength::get();
		let (name_max, label_max) = (name_max as usize, label_max as usize);
		let datasets: Vec<_> = (0..=MAX_DATASETS).map(|_| add_dataset(pct(1))).collect();
		let model = register(ALICE, spec(pct(100), &[], &[])).unwrap();
		let parent = v(model, 1);

		let register_named =
			|name: Vec<u8>, spec| ModelRegistry::register(origin(BOB), name, Modality::Text, spec);
		assert_noop!(
			register_named(vec![b'n'; name_max + 1], spec(pct(100), &[], &[])),
			E::NameTooLong
		);
		let mut long_label = spec(pct(100), &[], &[]);
		long_label.label = vec![b'l'; label_max + 1];
		assert_noop!(register_named(name(b"m"), long_label.clone()), E::LabelTooLong);
		let too_many_datasets: Vec<_> = datasets.iter().map(|d| (*d, pct(10))).collect();
		let spec_datasets = spec(pct(100 - 10 * (MAX_DATASETS + 1)), &too_many_datasets, &[]);
		assert_noop!(register_named(name(b"m"), spec_datasets.clone()), E::TooManyDatasets);
		let too_many_parents: Vec<_> =
			(1..=MAX_PARENTS + 1).map(|version| (v(model, version), pct(10))).collect();
		let spec_parents = spec(pct(100 - 10 * (MAX_PARENTS + 1)), &[], &too_many_parents);
		assert_noop!(register_named(name(b"m"), spec_parents.clone()), E::TooManyParents);

		assert_noop!(
			ModelRegistry::publish_version(origin(ALICE), model, long_label),
			E::LabelTooLong
		);
		assert_noop!(
			ModelRegistry::publish_version(origin(ALICE), model, spec_datasets),
			E::TooManyDatasets
		);
		assert_noop!(
			ModelRegistry::publish_version(origin(ALICE), model, spec_parents),
			E::TooManyParents
		);
		assert_noop!(
			ModelRegistry::update_metadata(
				origin(ALICE),
				model,
				vec![b'n'; name_max + 1],
				Modality::Text
			),
			E::NameTooLong
		);

		let mut at_bounds =
			spec(pct(100 - 10 * MAX_DATASETS), &too_many_datasets[..MAX_DATASETS as usize], &[]);
		at_bounds.label = vec![b'l'; label_max];
		assert_ok!(register_named(vec![b'n'; name_max], at_bounds));
		let at_parents = spec(pct(90), &[], &[(parent, pct(10))]);
		assert_ok!(register_named(name(b"child"), at_parents));
	});
}
