//! How a model's owner could try to route around what its upstream is owed, or hand over a
//! model that is not what the taker accepted, each a test named after its scenario: written
//! against the pallet before the fix (each failed then) and passing since.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{mock::*, pallet::*, tests::*, types::Derivatives};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

type E = Error<Test>;

/// Dataset D requires 30%; model M1 gives D its 30% but lets derivatives give it 0%; M2 derives
/// from M1 at 0% and D would get nothing from M2's revenue. A version's derivative terms may not
/// demand less than its own upstream demands, so D's minimum carries down every lineage.
#[test]
fn laundering_a_datasets_minimum_through_an_intermediate_model_fails() {
	ExtBuilder::default().build_and_execute(|| {
		let d = add_dataset(pct(30));
		let mut launderer = spec(pct(70), &[(d, pct(30))], &[]);
		launderer.license = open_license(pct(0));
		assert_noop!(register(ALICE, launderer), E::UpstreamShareBelowLineage);

		// At 30%, M2 must give M1 at least 30%, of which D receives 30%: 9% of M2's revenue.
		let mut m1 = spec(pct(70), &[(d, pct(30))], &[]);
		m1.license = open_license(pct(30));
		let m1 = register(ALICE, m1).unwrap();
		let mut free_riding = spec(pct(100), &[], &[(v(m1, 1), pct(0))]);
		free_riding.license = open_license(pct(30));
		assert_noop!(register(BOB, free_riding), E::ParentShareTooLow);
		let mut m2 = spec(pct(70), &[], &[(v(m1, 1), pct(30))]);
		// M2's own derivatives must pass on at least what M1 demands of M2.
		m2.license = open_license(pct(29));
		assert_noop!(register(BOB, m2.clone()), E::UpstreamShareBelowLineage);
		m2.license = open_license(pct(30));
		let m2 = register(BOB, m2).unwrap();
		let mut route = route_of(m2, 1);
		route.sort();
		let mut expected = vec![
			(acct(ALICE), pct(21).deconstruct()),
			(acct(BOB), pct(70).deconstruct()),
			(ds(d), pct(9).deconstruct()),
		];
		expected.sort();
		assert_eq!(route, expected);
	});
}

/// A version licensed for non-commercial use only is never sold: it cannot be priced, at
/// publication or later.
#[test]
fn a_non_commercial_version_cannot_be_priced() {
	ExtBuilder::default().build_and_execute(|| {
		let mut priced = spec(pct(100), &[], &[]);
		priced.license.commercial_use = false;
		priced.price_per_unit = 50;
		assert_noop!(register(ALICE, priced.clone()), E::NonCommercialPriced);
		priced.price_per_unit = 0;
		let model = register(ALICE, priced).unwrap();
		assert_noop!(ModelRegistry::set_price(origin(ALICE), model, 1, 1), E::NonCommercialPriced);
		assert_eq!(Versions::<Test>::get(model, 1).unwrap().price_per_unit, 0);
	});
}

/// Alice offers her model to Bob; before Bob accepts, she publishes a version with a bigger
/// deposit and drops the price of the first. Bob names the state he accepts (the model's
/// revision, which the offer's event gives); a model that changed since is not handed over.
#[test]
fn accepting_a_model_that_changed_after_the_offer_fails() {
	ExtBuilder::default().build_and_execute(|| {
		let d = add_dataset(pct(10));
		let model = register(ALICE, spec(pct(90), &[(d, pct(10))], &[])).unwrap();
		assert_ok!(ModelRegistry::offer_ownership(origin(ALICE), model, Some(BOB)));
		let offered = Models::<Test>::get(model).unwrap().revision;
		assert_eq!(
			events_since_last_call().last(),
			Some(&Event::OwnershipOffered { model, to: Some(BOB), revision: offered })
		);

		assert_ok!(ModelRegistry::set_price(origin(ALICE), model, 1, 0));
		assert_noop!(ModelRegistry::accept_ownership(origin(BOB), model, offered), E::OfferChanged);
		let repriced = Models::<Test>::get(model).unwrap().revision;
		assert_ok!(ModelRegistry::publish_version(
			origin(ALICE),
			model,
			spec(pct(90), &[(d, pct(10))], &[])
		));
		assert_noop!(
			ModelRegistry::accept_ownership(origin(BOB), model, repriced),
			E::OfferChanged
		);

		// Bob accepts the model as it is now, knowingly, and holds every deposit it carries.
		let record = Models::<Test>::get(model).unwrap();
		assert_ok!(ModelRegistry::accept_ownership(origin(BOB), model, record.revision));
		assert_eq!(Models::<Test>::get(model).unwrap().owner, BOB);
		assert_eq!(held(BOB), record.deposit + record.versions_deposit);
		assert_eq!(held(ALICE), 0);
	});
}

/// A fine-tune whose parent's license demands 20% and 10 per unit sets its own price to zero
/// (or one) and sells through its own provider offer with a high fee: the parent would get
/// nothing.
/// A version's price never drops below what pays each parent its absolute royalty through the
/// lineage's share (its `price_floor`), at publication or later; and its own license must
/// demand at least that of its derivatives, so the amount carries down every lineage.
#[test]
fn price_zero_fee_everything_fails() {
	ExtBuilder::default().build_and_execute(|| {
		let demands = |share, amount| Derivatives::Allowed {
			min_upstream_share: pct(share),
			min_royalty_per_unit: amount,
		};
		let mut base = spec(pct(100), &[], &[]);
		base.license.derivatives = demands(20, 10);
		let base = register(ALICE, base).unwrap();

		// Giving the base 25%, a fine-tune must charge at least 10 / 25% = 40 per unit.
		for price in [0, 1, 39] {
			let mut tune = spec(pct(75), &[], &[(v(base, 1), pct(25))]);
			tune.price_per_unit = price;
			tune.license.derivatives = demands(25, 40);
			assert_noop!(register(BOB, tune), E::PriceBelowRoyaltyFloor);
		}
		let mut tune = spec(pct(75), &[], &[(v(base, 1), pct(25))]);
		tune.price_per_unit = 40;
		tune.license.derivatives = demands(25, 39);
		assert_noop!(register(BOB, tune.clone()), E::RoyaltyBelowLineage);
		tune.license.derivatives = demands(25, 40);
		let tune = register(BOB, tune).unwrap();
		assert_eq!(Versions::<Test>::get(tune, 1).unwrap().price_floor, 40);
		assert_noop!(ModelRegistry::set_price(origin(BOB), tune, 1, 39), E::PriceBelowRoyaltyFloor);
		assert_ok!(ModelRegistry::set_price(origin(BOB), tune, 1, 40));

		// A derivative of the fine-tune giving it 50% charges at least 80: 40 reach the
		// fine-tune, 10 of which reach the base.
		let mut grand = spec(pct(50), &[], &[(v(tune, 1), pct(50))]);
		grand.price_per_unit = 79;
		grand.license.derivatives = demands(25, 80);
		assert_noop!(register(CHARLIE, grand.clone()), E::PriceBelowRoyaltyFloor);
		grand.price_per_unit = 80;
		let grand = register(CHARLIE, grand).unwrap();
		let mut route = route_of(grand, 1);
		route.sort();
		// The base's part of 80: 50% × 25% = 12.5%, i.e. 10.
		let mut expected = vec![
			(acct(ALICE), pct(25).deconstruct() / 2),
			(acct(BOB), (pct(75).deconstruct()) / 2),
			(acct(CHARLIE), pct(50).deconstruct()),
		];
		expected.sort();
		assert_eq!(route, expected);
		assert_eq!(Perbill::from_parts(route_part(&route, ALICE)).mul_floor(80u128), 10);

		// A share of zero cannot pay an absolute amount.
		let mut nothing = spec(pct(100), &[], &[(v(base, 1), pct(0))]);
		nothing.price_per_unit = 1_000;
		assert_noop!(register(DAVE, nothing), E::ParentShareTooLow);
	});
}

fn route_part(
	route: &[(tributary_primitives::Beneficiary<AccountId>, u32)],
	who: AccountId,
) -> u32 {
	route.iter().find(|(b, _)| *b == acct(who)).map_or(0, |(_, part)| *part)
}
