//! Unit tests: offers, invocations and payment channels with exact amounts and events, every
//! error, the invariants catching corrupted storage, and a property test of channel deposits.

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
	traits::{
		fungible::{Inspect, InspectHold, MutateHold},
		tokens::Precision,
	},
	BoundedVec,
};
use sp_runtime::{testing::TestSignature, traits::Hash as _};

type E = Error<Test>;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn endpoint(url: &[u8]) -> Vec<u8> {
	url.to_vec()
}

fn bounded(url: &[u8]) -> BoundedVec<u8, <Test as Config>::MaxEndpointLength> {
	url.to_vec().try_into().unwrap()
}

fn balance(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// Model 0 version 1 at 100 per unit, served by `PROVIDER` at 20 per unit.
fn served_model() {
	MockModels::add(0, 1, OWNER, 100);
	assert_ok!(InvocationMetering::register_offer(origin(PROVIDER), 0, 20, endpoint(b"https://p")));
	assert_eq!(
		events_since_last_call(),
		vec![Event::OfferRegistered {
			model: 0,
			provider: PROVIDER,
			fee_per_unit: 20,
			deposit: OFFER_DEPOSIT
		}]
	);
}

#[test]
fn a_provider_offers_updates_and_withdraws_with_its_deposit() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 100);
		assert_ok!(InvocationMetering::register_offer(origin(PROVIDER), 0, 20, endpoint(b"a")));
		assert_eq!(
			Offers::<Test>::get(0, PROVIDER).unwrap(),
			Offer { fee_per_unit: 20, endpoint: bounded(b"a"), deposit: OFFER_DEPOSIT }
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::OfferDeposit.into(), &PROVIDER),
			OFFER_DEPOSIT
		);
		assert_eq!(balance(PROVIDER), INITIAL_BALANCE - OFFER_DEPOSIT);
		assert_eq!(
			events_since_last_call(),
			vec![Event::OfferRegistered {
				model: 0,
				provider: PROVIDER,
				fee_per_unit: 20,
				deposit: OFFER_DEPOSIT
			}]
		);

		assert_ok!(InvocationMetering::update_offer(origin(PROVIDER), 0, 25, endpoint(b"b")));
		let offer = Offers::<Test>::get(0, PROVIDER).unwrap();
		assert_eq!((offer.fee_per_unit, offer.endpoint), (25, bounded(b"b")));
		assert_eq!(
			events_since_last_call(),
			vec![Event::OfferUpdated { model: 0, provider: PROVIDER, fee_per_unit: 25 }]
		);

		assert_ok!(InvocationMetering::withdraw_offer(origin(PROVIDER), 0));
		assert!(Offers::<Test>::get(0, PROVIDER).is_none());
		assert_eq!(balance(PROVIDER), INITIAL_BALANCE);
		assert_eq!(
			events_since_last_call(),
			vec![Event::OfferWithdrawn { model: 0, provider: PROVIDER }]
		);
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
		let pot = POT;
		let pot_before = balance(pot);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, 3, Some(PROVIDER), 360));
		// Price 3 × 100 = 300: 5% protocol fee = 15, royalty 285; provider 3 × 20 = 60.
		assert_eq!(balance(PAYER), INITIAL_BALANCE - 360);
		assert_eq!(balance(pot), pot_before + 360);
		assert_eq!(credit(PROVIDER), Some(60));
		assert_eq!(credit(TREASURY), Some(15));
		assert_eq!(undistributed(0, 1), Some(Revenue { amount: 285, invocations: 1, units: 3 }));
		assert_eq!(
			ModelUsages::<Test>::get(0),
			ModelUsage { invocations: 1, units: 3, revenue: 300 }
		);
		assert_eq!(
			events_since_last_call(),
			vec![Event::Invoked {
				payer: PAYER,
				model: 0,
				version: 1,
				units: 3,
				provider: Some(PROVIDER),
				royalty: 285,
				protocol_fee: 15,
				provider_fee: 60,
				total: 360,
			}]
		);

		// What the royalty sink was told is exactly the split: one accrual.
		assert_eq!(
			Royalties::accruals(),
			vec![test_utils::Accrual {
				payer: PAYER,
				model: 0,
				version: 1,
				units: 3,
				royalty: 285,
				credits: vec![(PROVIDER, 60), (TREASURY, 15)],
			}]
		);
	});
}

#[test]
fn an_invocation_without_provider_pays_the_price_only() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 100);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, Some(1), 2, None, 200));
		assert_eq!(balance(PAYER), INITIAL_BALANCE - 200);
		assert_eq!(credit(TREASURY), Some(10));
		assert_eq!(undistributed(0, 1).unwrap().amount, 190);
	});
}

#[test]
fn the_latest_version_is_invoked_unless_one_is_named() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 100);
		MockModels::add(0, 2, OWNER, 40);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, 1, None, 40));
		assert_eq!(undistributed(0, 2).unwrap().amount, 38);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, Some(1), 1, None, 100));
		assert_eq!(undistributed(0, 1).unwrap().amount, 95);
		assert_eq!(
			ModelUsages::<Test>::get(0),
			ModelUsage { invocations: 2, units: 2, revenue: 140 }
		);
	});
}

#[test]
fn the_protocol_fee_rounds_down_in_favour_of_the_route() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 7);
		// 5% of 7 is 0.35: the treasury gets nothing, the route all 7.
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, 1, None, 7));
		assert_eq!(credit(TREASURY), None);
		assert_eq!(undistributed(0, 1).unwrap().amount, 7);
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
fn many_invocations_accrue_to_one_revenue() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		for _ in 0..1_000 {
			assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, 1, Some(PROVIDER), 120));
		}
		assert_eq!(balance(PAYER), INITIAL_BALANCE - 120_000);
		assert_eq!(
			undistributed(0, 1),
			Some(Revenue { amount: 95_000, invocations: 1_000, units: 1_000 })
		);
		assert_eq!(credit(PROVIDER), Some(20_000));
		assert_eq!(credit(TREASURY), Some(5_000));
		// Every unit paid is in the pot: 95,000 royalty + 20,000 + 5,000 fees.
		assert_eq!(balance(POT), EXISTENTIAL_DEPOSIT + 120_000);
	});
}

// ------------------------------------------------------------------ payment channels

const DEPOSIT: Balance = 100_000;
/// Model 0 costs 100 per unit and `PROVIDER` charges 20: 120 per unit, of which 5 goes to the
/// treasury and 95 to the route.
const PER_UNIT: Balance = 120;

fn voucher(channel: ChannelId, cumulative_units: Units) -> Voucher<sp_core::H256> {
	Voucher { genesis_hash: InvocationMetering::genesis_hash(), channel, cumulative_units }
}

/// `who`'s signature of `voucher`, bound to its channel's provider and nonce (as a consumer
/// signs after reading the channel); a voucher for a channel that does not exist is signed for
/// `PROVIDER` and a zero nonce.
pub(crate) fn signed_by(who: AccountId, voucher: &Voucher<sp_core::H256>) -> TestSignature {
	let (provider, nonce) = Channels::<Test>::get(voucher.channel)
		.map_or((PROVIDER, Default::default()), |channel| (channel.provider, channel.nonce));
	TestSignature(who, voucher.signing_payload(&provider, &nonce))
}

/// `PAYER` opens a channel to `PROVIDER` for model 0 with `DEPOSIT`, expiring at block 500.
fn open() -> ChannelId {
	let id = NextChannelId::<Test>::get();
	assert_ok!(InvocationMetering::open_channel(origin(PAYER), PROVIDER, 0, None, DEPOSIT, 500));
	id
}

fn settle(channel: ChannelId, units: Units) -> sp_runtime::DispatchResult {
	let voucher = voucher(channel, units);
	InvocationMetering::settle(origin(PROVIDER), channel, voucher, signed_by(PAYER, &voucher))
}

fn channel_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ChannelDeposit.into(), &who)
}

/// The event of `open()` opening `channel`.
fn opened(channel: ChannelId) -> Event<Test> {
	Event::ChannelOpened {
		channel,
		consumer: PAYER,
		provider: PROVIDER,
		model: 0,
		version: 1,
		price_per_unit: 100,
		fee_per_unit: 20,
		deposit: DEPOSIT,
		expires_at: 500,
		nonce: Channels::<Test>::get(channel)
			.map_or_else(|| InvocationMetering::channel_nonce(channel), |c| c.nonce),
	}
}

/// The event of settling `units` more units on a channel of `served_model()` at `PER_UNIT`,
/// up to `cumulative_units`, leaving `remaining_deposit`.
fn settled(
	channel: ChannelId,
	units: Units,
	cumulative_units: Units,
	remaining_deposit: Balance,
) -> Event<Test> {
	let units_paid = units as Balance;
	Event::ChannelSettled {
		channel,
		model: 0,
		version: 1,
		units,
		cumulative_units,
		royalty: 95 * units_paid,
		protocol_fee: 5 * units_paid,
		provider_fee: 20 * units_paid,
		total: PER_UNIT * units_paid,
		remaining_deposit,
	}
}

#[test]
fn opening_a_channel_holds_the_deposit_and_fixes_the_terms() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let channel = open();
		assert_eq!(channel, 0);
		assert_eq!(
			Channels::<Test>::get(0).unwrap(),
			Channel {
				consumer: PAYER,
				provider: PROVIDER,
				model: 0,
				version: 1,
				price_per_unit: 100,
				fee_per_unit: 20,
				deposit: DEPOSIT,
				deposited: DEPOSIT,
				record_deposit: CHANNEL_DEPOSIT,
				settled_units: 0,
				expires_at: 500,
				closes_at: None,
				nonce: <Test as frame_system::Config>::Hashing::hash_of(&(
					b"tributary/channel-nonce",
					System::parent_hash(),
					1_700_000_000_000u128,
					System::extrinsic_index(),
					0u64,
				)),
			}
		);
		assert_eq!(channel_held(PAYER), DEPOSIT + CHANNEL_DEPOSIT);
		assert_eq!(balance(PAYER), INITIAL_BALANCE - DEPOSIT - CHANNEL_DEPOSIT);
		assert_eq!(
			events_since_last_call(),
			vec![Event::ChannelOpened {
				channel: 0,
				consumer: PAYER,
				provider: PROVIDER,
				model: 0,
				version: 1,
				price_per_unit: 100,
				fee_per_unit: 20,
				deposit: DEPOSIT,
				expires_at: 500,
				nonce: Channels::<Test>::get(0).unwrap().nonce,
			}]
		);
		// Later price changes do not reach an open channel.
		MockModels::add(0, 1, OWNER, 1_000);
		assert_ok!(InvocationMetering::update_offer(origin(PROVIDER), 0, 1_000, endpoint(b"p")));
		assert_ok!(settle(0, 10));
		assert_eq!(Channels::<Test>::get(0).unwrap().deposit, DEPOSIT - 10 * PER_UNIT);
		assert_eq!(open(), 1, "ids are never reused");
	});
}

#[test]
fn opening_errors_change_nothing() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let open_with = |who, provider, model, deposit, expires_at| {
			InvocationMetering::open_channel(
				origin(who),
				provider,
				model,
				None,
				deposit,
				expires_at,
			)
		};
		assert_noop!(open_with(PAYER, PROVIDER, 0, 0, 500), E::ZeroDeposit);
		assert_noop!(open_with(PAYER, PROVIDER, 0, DEPOSIT, 1), E::InvalidExpiry);
		assert_noop!(
			open_with(PAYER, PROVIDER, 0, DEPOSIT, 2 + MAX_CHANNEL_DURATION),
			E::InvalidExpiry
		);
		assert_noop!(open_with(PAYER, PROVIDER, 7, DEPOSIT, 500), E::NotInvocable);
		assert_noop!(open_with(PAYER, OTHER_PROVIDER, 0, DEPOSIT, 500), E::NoOffer);
		assert_noop!(open_with(POOR, PROVIDER, 0, DEPOSIT, 500), E::InsufficientFunds);
	});
}

#[test]
fn settling_pays_only_the_units_since_the_last_voucher_like_a_direct_invocation() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let channel = open();
		let pot = POT;
		let pot_before = balance(pot);
		assert_ok!(settle(channel, 10));
		assert_ok!(settle(channel, 25));
		// 25 units in all: 3,000, of which the provider 500, the treasury 125, the route 2,375.
		assert_eq!(balance(pot), pot_before + 25 * PER_UNIT);
		assert_eq!(credit(PROVIDER), Some(500));
		assert_eq!(credit(TREASURY), Some(125));
		assert_eq!(undistributed(0, 1), Some(Revenue { amount: 2_375, invocations: 2, units: 25 }));
		assert_eq!(
			ModelUsages::<Test>::get(0),
			ModelUsage { invocations: 2, units: 25, revenue: 2_500 }
		);
		assert_eq!(
			events_since_last_call(),
			vec![
				opened(channel),
				settled(channel, 10, 10, DEPOSIT - 1_200),
				Event::ChannelSettled {
					channel,
					model: 0,
					version: 1,
					units: 15,
					cumulative_units: 25,
					royalty: 1_425,
					protocol_fee: 75,
					provider_fee: 300,
					total: 1_800,
					remaining_deposit: DEPOSIT - 3_000,
				},
			]
		);
		// Exactly what a direct invocation of the same 15 units is split into.
		let quote = InvocationMetering::api_quote(0, None, 15, Some(&PROVIDER)).unwrap().quote;
		assert_eq!(
			quote,
			Quote { royalty: 1_425, protocol_fee: 75, provider_fee: 300, total: 1_800 }
		);
		assert_eq!(channel_held(PAYER), DEPOSIT - 3_000 + CHANNEL_DEPOSIT);
		assert_eq!(balance(PAYER), INITIAL_BALANCE - DEPOSIT - CHANNEL_DEPOSIT);
	});
}

#[test]
fn bad_vouchers_are_refused_with_their_own_errors_and_change_nothing() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let channel = open();
		let other = open();
		assert_ok!(settle(channel, 10));
		// A replay, and an older voucher.
		assert_noop!(settle(channel, 10), E::StaleVoucher);
		assert_noop!(settle(channel, 5), E::StaleVoucher);
		// A voucher for another channel.
		let for_other = voucher(other, 20);
		assert_noop!(
			InvocationMetering::settle(
				origin(PROVIDER),
				channel,
				for_other,
				signed_by(PAYER, &for_other)
			),
			E::WrongChannel
		);
		// A voucher for another chain.
		let foreign =
			Voucher { genesis_hash: sp_core::H256::repeat_byte(9), ..voucher(channel, 20) };
		assert_noop!(
			InvocationMetering::settle(
				origin(PROVIDER),
				channel,
				foreign,
				signed_by(PAYER, &foreign)
			),
			E::WrongChain
		);
		// Signed by someone else, or a signature of other units.
		let v = voucher(channel, 20);
		assert_noop!(
			InvocationMetering::settle(origin(PROVIDER), channel, v, signed_by(OWNER, &v)),
			E::BadSignature
		);
		assert_noop!(
			InvocationMetering::settle(
				origin(PROVIDER),
				channel,
				v,
				signed_by(PAYER, &voucher(channel, 19))
			),
			E::BadSignature
		);
		// Worth more than the deposit left: (100,000 − 1,200) / 120 = 823 units more at most.
		// The deposit pays those; the rest stays owed and the channel is exhausted.
		events_since_last_call();
		assert_ok!(settle(channel, 10 + 900));
		assert_eq!(
			events_since_last_call(),
			vec![
				settled(channel, 823, 10 + 823, DEPOSIT - 833 * PER_UNIT),
				Event::ChannelExhausted { channel, unpaid_units: 77 },
			]
		);
		// Nothing left that pays a unit: the same voucher is refused until a top-up.
		assert_noop!(settle(channel, 10 + 900), E::VoucherExceedsDeposit);
		// Only the provider settles.
		let v = voucher(channel, 900);
		assert_noop!(
			InvocationMetering::settle(origin(PAYER), channel, v, signed_by(PAYER, &v)),
			E::NotProvider
		);
		assert_noop!(settle(9, 1), E::UnknownChannel);
	});
}

#[test]
fn a_batch_settles_each_voucher_on_its_own() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let (a, b, c) = (open(), open(), open());
		assert_ok!(settle(b, 50));
		let good_a = voucher(a, 10);
		let stale_b = voucher(b, 50);
		let good_c = voucher(c, 30);
		let batch = vec![
			(a, good_a, signed_by(PAYER, &good_a)),
			(b, stale_b, signed_by(PAYER, &stale_b)),
			(c, good_c, signed_by(PAYER, &good_c)),
		];
		assert_ok!(InvocationMetering::settle_batch(origin(PROVIDER), batch));
		assert_eq!(Channels::<Test>::get(a).unwrap().settled_units, 10);
		assert_eq!(Channels::<Test>::get(b).unwrap().settled_units, 50);
		assert_eq!(Channels::<Test>::get(c).unwrap().settled_units, 30);
		assert_eq!(
			events_since_last_call(),
			vec![
				opened(a),
				opened(b),
				opened(c),
				settled(b, 50, 50, DEPOSIT - 50 * PER_UNIT),
				settled(a, 10, 10, DEPOSIT - 10 * PER_UNIT),
				Event::SettlementFailed { channel: b, error: E::StaleVoucher.into() },
				settled(c, 30, 30, DEPOSIT - 30 * PER_UNIT),
			]
		);
		assert_eq!(ModelUsages::<Test>::get(0).units, 90);
	});
}

#[test]
fn closing_leaves_the_provider_a_challenge_period_then_refunds_the_rest() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let channel = open();
		assert_ok!(settle(channel, 10));
		assert_noop!(InvocationMetering::request_close(origin(PROVIDER), channel), E::NotConsumer);
		assert_ok!(InvocationMetering::request_close(origin(PAYER), channel));
		let closes_at = 1 + CHALLENGE_PERIOD;
		assert_eq!(
			events_since_last_call(),
			vec![
				opened(channel),
				settled(channel, 10, 10, DEPOSIT - 10 * PER_UNIT),
				Event::ChannelCloseRequested { channel, closes_at },
			]
		);
		assert_noop!(InvocationMetering::request_close(origin(PAYER), channel), E::ChannelClosing);
		assert_noop!(InvocationMetering::top_up(origin(PAYER), channel, 5), E::ChannelClosing);
		// The provider still settles during the challenge period.
		System::set_block_number(closes_at - 1);
		assert_noop!(
			InvocationMetering::finalize_close(origin(OWNER), channel),
			E::ChannelStillOpen
		);
		assert_ok!(settle(channel, 20));
		System::set_block_number(closes_at);
		assert_ok!(InvocationMetering::finalize_close(origin(OWNER), channel));
		let refunded = DEPOSIT - 20 * PER_UNIT + CHANNEL_DEPOSIT;
		assert_eq!(
			events_since_last_call(),
			vec![
				settled(channel, 10, 20, DEPOSIT - 20 * PER_UNIT),
				Event::ChannelClosed { channel, settled_units: 20, refunded },
			]
		);
		assert_eq!(channel_held(PAYER), 0);
		assert_eq!(balance(PAYER), INITIAL_BALANCE - 20 * PER_UNIT);
		// The channel's vouchers are void for good.
		assert_noop!(settle(channel, 30), E::ChannelFinalized);
		assert_noop!(
			InvocationMetering::finalize_close(origin(OWNER), channel),
			E::ChannelFinalized
		);
	});
}

#[test]
fn an_expired_channel_closes_without_a_request_and_a_provider_may_close_at_once() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let expiring = open();
		let closed_by_provider = open();
		// Expiry at block 500 leaves the provider the challenge period to settle.
		System::set_block_number(500 + CHALLENGE_PERIOD - 1);
		assert_noop!(
			InvocationMetering::finalize_close(origin(OWNER), expiring),
			E::ChannelStillOpen
		);
		System::set_block_number(500 + CHALLENGE_PERIOD);
		assert_ok!(InvocationMetering::finalize_close(origin(OWNER), expiring));
		assert_noop!(
			InvocationMetering::close_channel(origin(PAYER), closed_by_provider),
			E::NotProvider
		);
		assert_ok!(InvocationMetering::close_channel(origin(PROVIDER), closed_by_provider));
		assert_eq!(balance(PAYER), INITIAL_BALANCE);
	});
}

#[test]
fn a_top_up_lets_larger_vouchers_settle() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let channel = open();
		// 1,000 units cost 120,000; the deposit covers 833 of them and 40 is left.
		assert_ok!(settle(channel, 1_000));
		let left = DEPOSIT - 833 * PER_UNIT;
		assert_noop!(settle(channel, 1_000), E::VoucherExceedsDeposit);
		assert_noop!(InvocationMetering::top_up(origin(OWNER), channel, 50_000), E::NotConsumer);
		assert_noop!(InvocationMetering::top_up(origin(PAYER), channel, 0), E::ZeroDeposit);
		assert_ok!(InvocationMetering::top_up(origin(PAYER), channel, 20_000));
		// The same voucher now pays the 167 units still owed: 20,040 exactly.
		assert_ok!(settle(channel, 1_000));
		assert_eq!(Channels::<Test>::get(channel).unwrap().deposit, 0);
		assert_eq!(Channels::<Test>::get(channel).unwrap().settled_units, 1_000);
		assert_eq!(
			events_since_last_call(),
			vec![
				opened(channel),
				settled(channel, 833, 833, left),
				Event::ChannelExhausted { channel, unpaid_units: 167 },
				Event::ChannelToppedUp { channel, amount: 20_000, deposit: left + 20_000 },
				settled(channel, 167, 1_000, 0),
			]
		);
	});
}

#[test]
fn a_million_calls_are_settled_once() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 3);
		assert_ok!(InvocationMetering::register_offer(origin(PROVIDER), 0, 1, endpoint(b"p")));
		assert_ok!(InvocationMetering::open_channel(
			origin(PAYER),
			PROVIDER,
			0,
			None,
			5_000_000,
			500
		));
		// One voucher per call, signed off chain; only the last is ever sent.
		let mut latest = None;
		for calls in 1..=1_000_000u64 {
			let voucher = voucher(0, calls);
			latest = Some((voucher, signed_by(PAYER, &voucher)));
		}
		let (voucher, signature) = latest.unwrap();
		assert_ok!(InvocationMetering::settle(origin(PROVIDER), 0, voucher, signature));
		assert_ok!(InvocationMetering::close_channel(origin(PROVIDER), 0));
		// 1,000,000 × 3 = 3,000,000 price (150,000 protocol fee) + 1,000,000 provider fee.
		assert_eq!(balance(PAYER), INITIAL_BALANCE - 4_000_000);
		assert_eq!(credit(PROVIDER), Some(1_000_000));
		assert_eq!(credit(TREASURY), Some(150_000));
		assert_eq!(undistributed(0, 1).unwrap().amount, 2_850_000);
		assert_eq!(
			ModelUsages::<Test>::get(0),
			ModelUsage { invocations: 1, units: 1_000_000, revenue: 3_000_000 }
		);
	});
}

// ------------------------------------------------------------------ invariants

const OFFER_HOLD: &str = "a provider's held offer deposit differs from its offers' deposits";
const CHANNEL_HOLD: &str = "a consumer's held channel deposit differs from its channels' deposits";
const UNISSUED_ID: &str = "a channel id not yet issued";
const NOT_PAID_AS_SETTLED: &str =
	"a channel's settled units and remaining deposit differ from what was deposited";

/// The invariants fail with `message`.
fn violated(message: &'static str) -> Result<(), sp_runtime::TryRuntimeError> {
	Err(sp_runtime::DispatchError::Other(message))
}

/// Runs `test` on fresh state without the final invariant check: the test corrupts storage.
fn corrupting(test: impl FnOnce()) {
	ExtBuilder.build().execute_with(test)
}

fn hold(reason: HoldReason, who: AccountId, amount: Balance) {
	assert_ok!(Balances::hold(&reason.into(), &who, amount));
}

fn release(reason: HoldReason, who: AccountId, amount: Balance) {
	assert_ok!(Balances::release(&reason.into(), &who, amount, Precision::Exact));
}

#[test]
fn try_state_checks_each_providers_offer_hold_against_its_offers() {
	corrupting(|| {
		served_model();
		MockModels::add(1, 1, OWNER, 100);
		assert_ok!(InvocationMetering::register_offer(origin(PROVIDER), 1, 5, endpoint(b"q")));
		assert_ok!(InvocationMetering::register_offer(
			origin(OTHER_PROVIDER),
			1,
			5,
			endpoint(b"r")
		));
		assert_ok!(InvocationMetering::do_try_state());
		// More held for offers than the provider's two offers account for.
		hold(HoldReason::OfferDeposit, PROVIDER, 1);
		assert_eq!(InvocationMetering::do_try_state(), violated(OFFER_HOLD));
		release(HoldReason::OfferDeposit, PROVIDER, 1);
		assert_ok!(InvocationMetering::do_try_state());
		// An offer's record claims less than is held.
		Offers::<Test>::mutate(1, OTHER_PROVIDER, |offer| offer.as_mut().unwrap().deposit -= 1);
		assert_eq!(InvocationMetering::do_try_state(), violated(OFFER_HOLD));
	});
}

#[test]
fn try_state_checks_each_consumers_channel_hold_against_its_channels() {
	corrupting(|| {
		served_model();
		let (a, _) = (open(), open());
		assert_ok!(InvocationMetering::open_channel(origin(OWNER), PROVIDER, 0, None, 7_000, 500));
		assert_ok!(settle(a, 10));
		assert_ok!(InvocationMetering::top_up(origin(PAYER), a, 3_000));
		assert_ok!(InvocationMetering::do_try_state());
		// More held for channels than the consumer's two channels account for.
		hold(HoldReason::ChannelDeposit, PAYER, 1);
		assert_eq!(InvocationMetering::do_try_state(), violated(CHANNEL_HOLD));
		// The same total held, but a unit of it under another reason: still caught.
		release(HoldReason::ChannelDeposit, PAYER, 2);
		hold(HoldReason::OfferDeposit, PAYER, 1);
		assert_eq!(InvocationMetering::do_try_state(), violated(CHANNEL_HOLD));
		release(HoldReason::OfferDeposit, PAYER, 1);
		hold(HoldReason::ChannelDeposit, PAYER, 1);
		assert_ok!(InvocationMetering::do_try_state());
		// A channel's record claims more than is held (its remaining deposit and what was
		// deposited alike, so the settlements still add up).
		Channels::<Test>::mutate(a, |channel| {
			let channel = channel.as_mut().unwrap();
			channel.deposit += 1;
			channel.deposited += 1;
		});
		assert_eq!(InvocationMetering::do_try_state(), violated(CHANNEL_HOLD));
	});
}

#[test]
fn try_state_catches_a_channel_id_not_yet_issued() {
	corrupting(|| {
		served_model();
		let channel = open();
		assert_ok!(InvocationMetering::do_try_state());
		// The channel renumbered to the id the next channel will receive: its deposits are
		// still held, only the id is wrong.
		let next = NextChannelId::<Test>::get();
		let record = Channels::<Test>::take(channel).unwrap();
		Channels::<Test>::insert(next, record.clone());
		assert_eq!(InvocationMetering::do_try_state(), violated(UNISSUED_ID));
		Channels::<Test>::remove(next);
		Channels::<Test>::insert(next + 5, record.clone());
		assert_eq!(InvocationMetering::do_try_state(), violated(UNISSUED_ID));
		Channels::<Test>::remove(next + 5);
		Channels::<Test>::insert(channel, record);
		assert_ok!(InvocationMetering::do_try_state());
	});
}

#[test]
fn try_state_catches_settled_units_the_deposits_did_not_pay_for() {
	corrupting(|| {
		served_model();
		let channel = open();
		assert_ok!(settle(channel, 10));
		assert_ok!(InvocationMetering::top_up(origin(PAYER), channel, 5_000));
		assert_ok!(settle(channel, 30));
		assert_ok!(InvocationMetering::do_try_state());
		let corrupt = |change: fn(&mut Channel<Test>)| {
			let honest = Channels::<Test>::get(channel).unwrap();
			let mut record = honest.clone();
			change(&mut record);
			Channels::<Test>::insert(channel, record);
			let result = InvocationMetering::do_try_state();
			Channels::<Test>::insert(channel, honest);
			result
		};
		// One unit more recorded as settled than was paid for.
		assert_eq!(corrupt(|c| c.settled_units += 1), violated(NOT_PAID_AS_SETTLED));
		// Settled units worth more than everything ever deposited (105,000 buys 875 units).
		assert_eq!(corrupt(|c| c.settled_units = 876), violated(NOT_PAID_AS_SETTLED));
		// Fewer settled units than were paid for.
		assert_eq!(corrupt(|c| c.settled_units -= 1), violated(NOT_PAID_AS_SETTLED));
		// A top-up forgotten: more paid out than deposited.
		assert_eq!(corrupt(|c| c.deposited -= 5_000), violated(NOT_PAID_AS_SETTLED));
		assert_ok!(InvocationMetering::do_try_state());
	});
}

#[derive(Debug, Clone)]
enum ChannelStep {
	Open { deposit: u32 },
	TopUp { channel: u8, amount: u32 },
	Settle { channel: u8, units: u16 },
	RequestClose { channel: u8 },
	Advance { blocks: u8 },
	Finalize { channel: u8 },
	ProviderClose { channel: u8 },
}

fn channel_step() -> impl proptest::strategy::Strategy<Value = ChannelStep> {
	use proptest::prelude::*;
	prop_oneof![
		1 => (1..50_000u32).prop_map(|deposit| ChannelStep::Open { deposit }),
		1 => (0..6u8, 0..20_000u32).prop_map(|(channel, amount)| ChannelStep::TopUp { channel, amount }),
		3 => (0..6u8, 0..300u16).prop_map(|(channel, units)| ChannelStep::Settle { channel, units }),
		1 => (0..6u8).prop_map(|channel| ChannelStep::RequestClose { channel }),
		1 => (0..20u8).prop_map(|blocks| ChannelStep::Advance { blocks }),
		1 => (0..6u8).prop_map(|channel| ChannelStep::Finalize { channel }),
		1 => (0..6u8).prop_map(|channel| ChannelStep::ProviderClose { channel }),
	]
}

proptest::proptest! {
	#![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

	/// Every unit a consumer puts into its channels is, at every step, either still held in an
	/// open channel, paid into the royalty pot by a settlement, or refunded at close.
	#[test]
	fn channel_deposits_are_conserved(steps in proptest::collection::vec(channel_step(), 1..100)) {
		ExtBuilder.build_and_execute(|| {
			served_model();
			let start = balance(PAYER);
			let pot = POT;
			let pot_start = balance(pot);
			let mut put_in: Balance = 0;
			let mut units_signed = [0u64; 6];
			for step in &steps {
				let now = System::block_number();
				match *step {
					ChannelStep::Open { deposit } => {
						let deposit = deposit as Balance;
						if InvocationMetering::open_channel(origin(PAYER), PROVIDER, 0, None, deposit, now + 30).is_ok() {
							put_in += deposit + CHANNEL_DEPOSIT;
						}
					},
					ChannelStep::TopUp { channel, amount } => {
						if InvocationMetering::top_up(origin(PAYER), channel as u64, amount as Balance).is_ok() {
							put_in += amount as Balance;
						}
					},
					ChannelStep::Settle { channel, units } => {
						let slot = channel as usize;
						let cumulative = units_signed[slot] + units as u64;
						if settle(channel as u64, cumulative).is_ok() {
							units_signed[slot] = cumulative;
						}
					},
					ChannelStep::RequestClose { channel } => {
						let _ = InvocationMetering::request_close(origin(PAYER), channel as u64);
					},
					ChannelStep::Advance { blocks } => System::set_block_number(now + blocks as u64),
					ChannelStep::Finalize { channel } => {
						let _ = InvocationMetering::finalize_close(origin(OWNER), channel as u64);
					},
					ChannelStep::ProviderClose { channel } => {
						let _ = InvocationMetering::close_channel(origin(PROVIDER), channel as u64);
					},
				}
				let held: Balance = Channels::<Test>::iter_values()
					.map(|c| c.deposit + c.record_deposit)
					.sum();
				let paid = balance(pot) - pot_start;
				let refunded = balance(PAYER) - (start - put_in);
				assert_eq!(held, channel_held(PAYER));
				assert_eq!(put_in, held + paid + refunded, "deposits are conserved");
				InvocationMetering::do_try_state().unwrap();
			}
		});
	}
}

/// An endpoint one byte over `MaxEndpointLength`, or a batch one voucher over
/// `MaxSettleBatch`, fails with the error naming that bound and changes nothing.
#[test]
fn oversized_arguments_fail_with_the_bound_they_exceed() {
	ExtBuilder.build_and_execute(|| {
		use frame_support::traits::Get;
		served_model();
		let max: u32 = <Test as Config>::MaxEndpointLength::get();
		let max = max as usize;
		assert_noop!(
			InvocationMetering::register_offer(origin(OTHER_PROVIDER), 0, 20, vec![b'e'; max + 1]),
			E::EndpointTooLong
		);
		assert_noop!(
			InvocationMetering::update_offer(origin(PROVIDER), 0, 20, vec![b'e'; max + 1]),
			E::EndpointTooLong
		);
		assert_ok!(InvocationMetering::update_offer(origin(PROVIDER), 0, 20, vec![b'e'; max]));

		let batch_max: u32 = <Test as Config>::MaxSettleBatch::get();
		let batch: Vec<_> = (0..=batch_max)
			.map(|_| {
				let channel = open();
				let voucher = voucher(channel, 1);
				(channel, voucher, signed_by(PAYER, &voucher))
			})
			.collect();
		assert_noop!(
			InvocationMetering::settle_batch(origin(PROVIDER), batch.clone()),
			E::TooManyVouchers
		);
		assert_ok!(InvocationMetering::settle_batch(
			origin(PROVIDER),
			batch[..batch_max as usize].to_vec()
		));
	});
}
