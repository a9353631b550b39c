//! Unit tests: offers, invocations with exact amounts, and every error.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{mock::*, pallet::*, types::*};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use pallet_royalty_distribution::{Credits, Revenue, Undistributed};

type E = Error<Test>;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn endpoint(url: &[u8]) -> BoundedVec<u8, <Test as Config>::MaxEndpointLength> {
	url.to_vec().try_into().unwrap()
}

fn balance(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::InvocationMetering(event) => Some(event),
			_ => None,
		})
		.next_back()
		.unwrap()
}

/// Model 0 version 1 at 100 per unit, served by `PROVIDER` at 20 per unit.
fn served_model() {
	MockModels::add(0, 1, OWNER, 100);
	assert_ok!(InvocationMetering::register_offer(origin(PROVIDER), 0, 20, endpoint(b"https://p")));
}

#[test]
fn a_provider_offers_updates_and_withdraws_with_its_deposit() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 100);
		assert_ok!(InvocationMetering::register_offer(origin(PROVIDER), 0, 20, endpoint(b"a")));
		assert_eq!(
			Offers::<Test>::get(0, PROVIDER).unwrap(),
			Offer { fee_per_unit: 20, endpoint: endpoint(b"a"), deposit: OFFER_DEPOSIT }
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::OfferDeposit.into(), &PROVIDER),
			OFFER_DEPOSIT
		);
		assert_eq!(balance(PROVIDER), INITIAL_BALANCE - OFFER_DEPOSIT);
		assert_eq!(
			last_event(),
			Event::OfferRegistered {
				model: 0,
				provider: PROVIDER,
				fee_per_unit: 20,
				deposit: OFFER_DEPOSIT
			}
		);

		assert_ok!(InvocationMetering::update_offer(origin(PROVIDER), 0, 25, endpoint(b"b")));
		let offer = Offers::<Test>::get(0, PROVIDER).unwrap();
		assert_eq!((offer.fee_per_unit, offer.endpoint), (25, endpoint(b"b")));
		assert_eq!(
			last_event(),
			Event::OfferUpdated { model: 0, provider: PROVIDER, fee_per_unit: 25 }
		);

		assert_ok!(InvocationMetering::withdraw_offer(origin(PROVIDER), 0));
		assert!(Offers::<Test>::get(0, PROVIDER).is_none());
		assert_eq!(balance(PROVIDER), INITIAL_BALANCE);
		assert_eq!(last_event(), Event::OfferWithdrawn { model: 0, provider: PROVIDER });
	});
}

#[test]
fn offer_errors_change_nothing() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			InvocationMetering::register_offer(origin(PROVIDER), 0, 20, endpoint(b"a")),
			E::NotInvocable
		);
		MockModels::add(0, 1, OWNER, 100);
		assert_noop!(
			InvocationMetering::register_offer(origin(50), 0, 20, endpoint(b"a")),
			E::InsufficientFunds
		);
		assert_ok!(InvocationMetering::register_offer(origin(PROVIDER), 0, 20, endpoint(b"a")));
		assert_noop!(
			InvocationMetering::register_offer(origin(PROVIDER), 0, 20, endpoint(b"a")),
			E::OfferExists
		);
		assert_noop!(
			InvocationMetering::update_offer(origin(OTHER_PROVIDER), 0, 1, endpoint(b"a")),
			E::NoOffer
		);
		assert_noop!(InvocationMetering::withdraw_offer(origin(OTHER_PROVIDER), 0), E::NoOffer);
	});
}

#[test]
fn an_invocation_pays_price_and_fee_split_exactly() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let pot = RoyaltyDistribution::pot();
		let pot_before = balance(pot);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, 3, Some(PROVIDER), 360));
		// Price 3 × 100 = 300: 5% protocol fee = 15, royalty 285; provider 3 × 20 = 60.
		assert_eq!(balance(PAYER), INITIAL_BALANCE - 360);
		assert_eq!(balance(pot), pot_before + 360);
		assert_eq!(Credits::<Test>::get(PROVIDER), Some(60));
		assert_eq!(Credits::<Test>::get(TREASURY), Some(15));
		assert_eq!(
			Undistributed::<Test>::get(0, 1),
			Some(Revenue { amount: 285, invocations: 1, units: 3 })
		);
		assert_eq!(Usage::<Test>::get(0), ModelUsage { invocations: 1, units: 3, revenue: 300 });
		assert_eq!(
			last_event(),
			Event::Invoked {
				payer: PAYER,
				model: 0,
				version: 1,
				units: 3,
				provider: Some(PROVIDER),
				royalty: 285,
				protocol_fee: 15,
				provider_fee: 60,
				total: 360,
			}
		);

		// The route (the owner, 100%) is paid at distribution; everyone claims to the unit.
		assert_ok!(RoyaltyDistribution::distribute(origin(PAYER), 0, 1));
		for (who, amount) in [(OWNER, 285), (PROVIDER, 60)] {
			let before = balance(who);
			assert_ok!(RoyaltyDistribution::claim(origin(who)));
			assert_eq!(balance(who), before + amount);
		}
		assert_eq!(Credits::<Test>::get(TREASURY), Some(15));
	});
}

#[test]
fn an_invocation_without_provider_pays_the_price_only() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 100);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, Some(1), 2, None, 200));
		assert_eq!(balance(PAYER), INITIAL_BALANCE - 200);
		assert_eq!(Credits::<Test>::get(TREASURY), Some(10));
		assert_eq!(Undistributed::<Test>::get(0, 1).unwrap().amount, 190);
	});
}

#[test]
fn the_latest_version_is_invoked_unless_one_is_named() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 100);
		MockModels::add(0, 2, OWNER, 40);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, 1, None, 40));
		assert_eq!(Undistributed::<Test>::get(0, 2).unwrap().amount, 38);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, Some(1), 1, None, 100));
		assert_eq!(Undistributed::<Test>::get(0, 1).unwrap().amount, 95);
		assert_eq!(Usage::<Test>::get(0), ModelUsage { invocations: 2, units: 2, revenue: 140 });
	});
}

#[test]
fn the_protocol_fee_rounds_down_in_favour_of_the_route() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 7);
		// 5% of 7 is 0.35: the treasury gets nothing, the route all 7.
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, 1, None, 7));
		assert_eq!(Credits::<Test>::get(TREASURY), None);
		assert_eq!(Undistributed::<Test>::get(0, 1).unwrap().amount, 7);
	});
}

#[test]
fn invocation_errors_change_nothing() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		MockModels::add(1, 1, OWNER, 100);
		assert_noop!(
			InvocationMetering::invoke(origin(PAYER), 0, None, 0, None, 1_000),
			E::ZeroUnits
		);
		assert_noop!(
			InvocationMetering::invoke(origin(PAYER), 7, None, 1, None, 1_000),
			E::NotInvocable
		);
		assert_noop!(
			InvocationMetering::invoke(origin(PAYER), 0, Some(2), 1, None, 1_000),
			E::NotInvocable
		);
		assert_noop!(
			InvocationMetering::invoke(origin(PAYER), 0, None, 1, Some(OTHER_PROVIDER), 1_000),
			E::NoOffer
		);
		// The provider serves model 0, not model 1.
		assert_noop!(
			InvocationMetering::invoke(origin(PAYER), 1, None, 1, Some(PROVIDER), 1_000),
			E::NoOffer
		);
		assert_noop!(
			InvocationMetering::invoke(origin(PAYER), 0, None, 3, Some(PROVIDER), 359),
			E::AboveMaxTotal
		);
		// POOR holds 600 and must keep the existential deposit.
		assert_noop!(
			InvocationMetering::invoke(origin(POOR), 0, None, 5, Some(PROVIDER), 600),
			E::InsufficientFunds
		);
		MockModels::add(2, 1, OWNER, Balance::MAX / 2);
		assert_noop!(
			InvocationMetering::invoke(origin(PAYER), 2, None, 3, None, Balance::MAX),
			E::Overflow
		);
	});
}

#[test]
fn many_invocations_are_distributed_and_claimed_once() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		for _ in 0..1_000 {
			assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, 1, Some(PROVIDER), 120));
		}
		assert_eq!(balance(PAYER), INITIAL_BALANCE - 120_000);
		assert_eq!(
			Undistributed::<Test>::get(0, 1),
			Some(Revenue { amount: 95_000, invocations: 1_000, units: 1_000 })
		);
		assert_ok!(RoyaltyDistribution::distribute(origin(PAYER), 0, 1));
		for (who, amount) in [(OWNER, 95_000), (PROVIDER, 20_000), (TREASURY, 5_000)] {
			let before = balance(who);
			assert_ok!(RoyaltyDistribution::claim(origin(who)));
			assert_eq!(balance(who), before + amount);
		}
		assert_eq!(balance(RoyaltyDistribution::pot()), EXISTENTIAL_DEPOSIT);
	});
}
