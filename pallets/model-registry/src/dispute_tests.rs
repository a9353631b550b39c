//! Disputes of a version's lineage, each a test named after its scenario with exact balances:
//! a version that hides a dataset it was trained on (or copies another model) pays the wronged
//! party once a dispute is upheld; frivolous disputes cost their bond; unruled ones lapse.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{mock::*, pallet::*, tests::*, types::*};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_core::H256;
use sp_runtime::DispatchResult;
use tributary_primitives::{ModelInvocation, RouteProvider};

type E = Error<Test>;

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

fn evidence() -> H256 {
	H256::repeat_byte(7)
}

/// `who` disputes version 1 of `model` with `claim`.
fn dispute(who: AccountId, model: ModelId, claim: DisputeClaim) -> DispatchResult {
	ModelRegistry::open_dispute(origin(who), model, 1, claim, evidence())
}

fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

fn bond_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::DisputeBond.into(), &who)
}

/// Alice trains on Carol's dataset `d` but declares none: her version routes everything to
/// herself. Dave disputes it; the ruling upholds: the version is infringing (no new
/// invocations), 30% of its revenue goes to `d`'s pool through a corrective route, Alice's
/// version deposit goes to Dave and Dave's bond comes back.
#[test]
fn a_version_hiding_its_training_dataset_pays_it_once_the_dispute_is_upheld() {
	ExtBuilder::default().build_and_execute(|| {
		let d = add_dataset(pct(10));
		let model = register(ALICE, spec(pct(100), &[], &[])).unwrap();
		assert_eq!(route_of(model, 1), vec![(acct(ALICE), pct(100).deconstruct())]);
		let deposit = Versions::<Test>::get(model, 1).unwrap().deposit;
		let (alice, dave) = (free(ALICE), free(DAVE));

		assert_ok!(dispute(DAVE, model, DisputeClaim::OmittedDataset(d)));
		assert_eq!((free(DAVE), bond_held(DAVE)), (dave - DISPUTE_BOND, DISPUTE_BOND));
		assert!(<ModelRegistry as RouteProvider<AccountId>>::royalties_frozen(model, 1));

		assert_ok!(ModelRegistry::rule_dispute(root(), 0, true, pct(30)));
		let mut route = route_of(model, 1);
		route.sort();
		let mut expected =
			vec![(acct(ALICE), pct(70).deconstruct()), (ds(d), pct(30).deconstruct())];
		expected.sort();
		assert_eq!(route, expected);
		assert!(!<ModelRegistry as RouteProvider<AccountId>>::royalties_frozen(model, 1));
		assert!(ModelRegistry::invocation_terms(model, Some(1)).unwrap().infringing);
		assert_eq!(free(DAVE), dave + deposit);
		assert_eq!(bond_held(DAVE), 0);
		assert_eq!(free(ALICE), alice);
		assert_eq!(held(ALICE), MODEL_DEPOSIT);
		let version = Versions::<Test>::get(model, 1).unwrap();
		assert_eq!((version.deposit, version.route_length), (0, 2));
		assert_eq!(
			events_since_last_call().last(),
			Some(&Event::DisputeUpheld {
				dispute: 0,
				model,
				version: 1,
				wronged: ds(d),
				share: pct(30),
				slashed: deposit,
			})
		);
		// Found infringing once, the version takes no second dispute.
		assert_noop!(dispute(EVE, model, DisputeClaim::OmittedDataset(d)), E::AlreadyInfringing);
	});
}

/// Bob's fine-tune copies Alice's base weights but claims to be trained from scratch: upheld,
/// Alice, the owner of the copied model, receives the share.
#[test]
fn copied_weights_pay_the_copied_models_owner() {
	ExtBuilder::default().build_and_execute(|| {
		let base = register(ALICE, spec(pct(100), &[], &[])).unwrap();
		let copy = register(BOB, spec(pct(100), &[], &[])).unwrap();
		assert_ok!(dispute(ALICE, copy, DisputeClaim::CopiedWeights(v(base, 1))));
		assert_ok!(ModelRegistry::rule_dispute(root(), 0, true, pct(50)));
		let mut route = route_of(copy, 1);
		route.sort();
		assert_eq!(
			route,
			vec![(acct(ALICE), pct(50).deconstruct()), (acct(BOB), pct(50).deconstruct())]
		);
	});
}

/// A frivolous dispute costs its bond, which goes to the treasury; the version is untouched.
#[test]
fn a_rejected_dispute_costs_the_claimant_its_bond() {
	ExtBuilder::default().build_and_execute(|| {
		let d = add_dataset(pct(10));
		let model = register(ALICE, spec(pct(100), &[], &[])).unwrap();
		let (dave, treasury) = (free(DAVE), free(TREASURY));
		assert_ok!(dispute(DAVE, model, DisputeClaim::OmittedDataset(d)));
		assert_noop!(
			ModelRegistry::rule_dispute(origin(DAVE), 0, false, pct(0)),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(ModelRegistry::rule_dispute(root(), 0, false, pct(0)));
		assert_eq!(free(DAVE), dave - DISPUTE_BOND);
		assert_eq!(free(TREASURY), treasury + DISPUTE_BOND);
		assert_eq!(route_of(model, 1), vec![(acct(ALICE), pct(100).deconstruct())]);
		assert!(!ModelRegistry::invocation_terms(model, Some(1)).unwrap().infringing);
		assert!(Disputes::<Test>::get(0).is_none());
		assert_eq!(VersionDisputes::<Test>::get(model, 1), None);
	});
}

/// Nobody rules: the royalties unfreeze at `DisputeTimeout`, and from then on anyone closes the
/// dispute, its bond returned.
#[test]
fn an_unruled_dispute_lapses_with_its_bond_returned() {
	ExtBuilder::default().build_and_execute(|| {
		let d = add_dataset(pct(10));
		let model = register(ALICE, spec(pct(100), &[], &[])).unwrap();
		let dave = free(DAVE);
		assert_ok!(dispute(DAVE, model, DisputeClaim::OmittedDataset(d)));
		let frozen = || <ModelRegistry as RouteProvider<AccountId>>::royalties_frozen(model, 1);
		System::set_block_number(DISPUTE_TIMEOUT);
		assert!(frozen());
		assert_noop!(ModelRegistry::expire_dispute(origin(EVE), 0), E::DisputeNotExpired);
		System::set_block_number(1 + DISPUTE_TIMEOUT);
		assert!(!frozen());
		assert_eq!(free(DAVE), dave - DISPUTE_BOND);
		assert_ok!(ModelRegistry::expire_dispute(origin(EVE), 0));
		assert_eq!(free(DAVE), dave);
		assert_eq!(VersionDisputes::<Test>::get(model, 1), None);
		assert_noop!(ModelRegistry::expire_dispute(origin(EVE), 0), E::UnknownDispute);
	});
}

/// Claims must name something the lineage hides, disputes per version are bounded, and a
/// claimant must afford the bond; each refusal changes nothing.
#[test]
fn bad_disputes_fail_with_named_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let d = add_dataset(pct(10));
		let declared = register(ALICE, spec(pct(90), &[(d, pct(10))], &[])).unwrap();
		let open =
			|who, claim| ModelRegistry::open_dispute(origin(who), declared, 1, claim, evidence());
		assert_noop!(open(DAVE, DisputeClaim::OmittedDataset(d)), E::ClaimMatchesLineage);
		assert_noop!(open(DAVE, DisputeClaim::OmittedDataset(99)), E::UnknownDataset);
		assert_noop!(
			open(DAVE, DisputeClaim::CopiedWeights(v(declared, 1))),
			E::ClaimMatchesLineage
		);
		assert_noop!(open(DAVE, DisputeClaim::OmittedParent(v(42, 1))), E::UnknownParent);
		assert_noop!(
			ModelRegistry::open_dispute(
				origin(DAVE),
				declared,
				9,
				DisputeClaim::OmittedDataset(d),
				evidence()
			),
			E::UnknownVersion
		);
		let other = add_dataset(pct(10));
		assert_noop!(open(POOR, DisputeClaim::OmittedDataset(other)), E::InsufficientFunds);
		assert_ok!(open(DAVE, DisputeClaim::OmittedDataset(other)));
		assert_ok!(open(EVE, DisputeClaim::OmittedDataset(other)));
		assert_noop!(open(BOB, DisputeClaim::OmittedDataset(other)), E::TooManyDisputes);
		assert_noop!(ModelRegistry::rule_dispute(root(), 0, true, pct(0)), E::ZeroShare);
		assert_noop!(ModelRegistry::rule_dispute(root(), 7, false, pct(0)), E::UnknownDispute);
	});
}

/// Stacking disputes cannot freeze a version for longer than one timeout: later disputes do not
/// extend the freeze of the first, and they can still be ruled on after it.
#[test]
fn stacked_disputes_freeze_for_one_timeout_only() {
	ExtBuilder::default().build_and_execute(|| {
		let d = add_dataset(pct(10));
		let other = add_dataset(pct(10));
		let model = register(ALICE, spec(pct(100), &[], &[])).unwrap();
		let frozen = || <ModelRegistry as RouteProvider<AccountId>>::royalties_frozen(model, 1);
		assert_ok!(dispute(DAVE, model, DisputeClaim::OmittedDataset(d)));
		System::set_block_number(DISPUTE_TIMEOUT);
		assert_ok!(dispute(EVE, model, DisputeClaim::OmittedDataset(other)));
		assert!(frozen());
		System::set_block_number(1 + DISPUTE_TIMEOUT);
		assert!(!frozen(), "the first dispute's timeout ends the freeze");
		assert_ok!(ModelRegistry::rule_dispute(root(), 1, false, pct(0)));
	});
}

/// Upholding one claim settles the version: the other open claims close with their bonds
/// returned (they can no longer be upheld).
#[test]
fn upholding_one_dispute_closes_the_others() {
	ExtBuilder::default().build_and_execute(|| {
		let d = add_dataset(pct(10));
		let other = add_dataset(pct(10));
		let model = register(ALICE, spec(pct(100), &[], &[])).unwrap();
		let eve = free(EVE);
		for (who, dataset) in [(DAVE, d), (EVE, other)] {
			assert_ok!(dispute(who, model, DisputeClaim::OmittedDataset(dataset)));
		}
		assert_eq!(free(EVE), eve - DISPUTE_BOND);
		assert_ok!(ModelRegistry::rule_dispute(root(), 0, true, pct(10)));
		assert_eq!(free(EVE), eve);
		assert!(Disputes::<Test>::get(1).is_none());
		assert_eq!(VersionDisputes::<Test>::get(model, 1), None);
		assert!(events_since_last_call().contains(&Event::DisputeSuperseded { dispute: 1 }));
	});
}

/// A version found infringing takes no new derivatives: its owner cannot launder it into a
/// fresh model that names it as a parent.
#[test]
fn an_infringing_version_takes_no_derivatives() {
	ExtBuilder::default().build_and_execute(|| {
		let d = add_dataset(pct(10));
		let mut base = spec(pct(100), &[], &[]);
		base.license = open_license(pct(10));
		let model = register(ALICE, base).unwrap();
		assert_ok!(dispute(DAVE, model, DisputeClaim::OmittedDataset(d)));
		assert_ok!(ModelRegistry::rule_dispute(root(), 0, true, pct(30)));
		assert_noop!(
			register(ALICE, spec(pct(90), &[], &[(v(model, 1), pct(10))])),
			E::ParentInfringing
		);
	});
}

/// A route already at its longest still takes the wronged party: the smallest entries fold
/// into its part, and the result sums to exactly 100%.
#[test]
fn a_full_route_is_corrected_by_folding_its_smallest_entry() {
	let route: Vec<_> =
		(0..4u32).map(|d| (ds(d), if d == 3 { pct(10) } else { pct(30) })).collect();
	let corrected = crate::route::redirect(&route, acct(ALICE), pct(10), 4).unwrap();
	assert!(crate::route::is_well_formed(&corrected));
	assert_eq!(corrected.len(), 4);
	// Dataset 3 (the smallest) is gone: Alice holds 10% plus its 90% of 10%.
	assert_eq!(
		corrected,
		vec![(acct(ALICE), pct(19)), (ds(0), pct(27)), (ds(1), pct(27)), (ds(2), pct(27)),]
	);
}
