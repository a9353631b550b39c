//! How a consumer or a provider could try to get a payment channel to pay less or more than it
//! owes, each a test named after its scenario: written against the pallet before the fix (each
//! failed then) and passing since. Balances are checked exactly.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use sp_runtime::testing::TestSignature;
use sp_runtime::DispatchError;

type E = Error<Test>;
const PRICE: Balance = 100;
const FEE: Balance = 20;
const PER_UNIT: Balance = PRICE + FEE;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn served_model() {
	MockModels::add(0, 1, OWNER, PRICE);
	assert_ok!(InvocationMetering::register_offer(origin(PROVIDER), 0, FEE, b"https://p".to_vec()));
}

fn settle(channel: ChannelId, units: Units) -> sp_runtime::DispatchResult {
	let voucher = Voucher {
		genesis_hash: InvocationMetering::genesis_hash(),
		channel,
		cumulative_units: units,
	};
	let signature = crate::tests::signed_by(PAYER, &voucher);
	InvocationMetering::settle(origin(PROVIDER), channel, voucher, signature)
}

/// A consumer opens a channel expiring at the next block, uses the API, and finalizes the close
/// at expiry before the provider can settle: the provider always has the full challenge period
/// after expiry.
#[test]
fn channel_expiry_leaves_the_provider_the_challenge_period() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let channel = NextChannelId::<Test>::get();
		assert_ok!(InvocationMetering::open_channel(origin(PAYER), PROVIDER, 0, None, 10_000, 2));
		System::set_block_number(2);
		assert_noop!(
			InvocationMetering::finalize_close(origin(PAYER), channel),
			E::ChannelStillOpen
		);
		System::set_block_number(2 + CHALLENGE_PERIOD - 1);
		assert_noop!(
			InvocationMetering::finalize_close(origin(PAYER), channel),
			E::ChannelStillOpen
		);
		assert_ok!(settle(channel, 10));
		System::set_block_number(2 + CHALLENGE_PERIOD);
		assert_ok!(InvocationMetering::finalize_close(origin(PAYER), channel));
		assert_eq!(Balances::balance(&PAYER), INITIAL_BALANCE - 10 * PER_UNIT);
	});
}

/// A consumer signs a voucher for more than its deposit covers: today that voucher pays
/// nothing at all. It pays what the deposit covers, and the channel is marked exhausted.
#[test]
fn a_voucher_beyond_the_deposit_pays_what_the_deposit_covers() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		let channel = NextChannelId::<Test>::get();
		// 1,000 covers 8 units of 120 (960), not 9.
		assert_ok!(InvocationMetering::open_channel(origin(PAYER), PROVIDER, 0, None, 1_000, 500));
		assert_ok!(settle(channel, 50));
		let record = Channels::<Test>::get(channel).unwrap();
		assert_eq!((record.settled_units, record.deposit), (8, 1_000 - 8 * PER_UNIT));
		assert_eq!(Balances::balance(&POT), EXISTENTIAL_DEPOSIT + 8 * PER_UNIT);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::InvocationMetering(Event::ChannelExhausted {
				channel,
				unpaid_units: 42
			})));
		// Never more than the deposit: the rest of the voucher pays nothing until a top-up.
		let refused: DispatchError = E::VoucherExceedsDeposit.into();
		assert_noop!(settle(channel, 50), refused);
		assert_ok!(InvocationMetering::finalize_close(origin(PAYER), channel).or_else(|_| {
			System::set_block_number(500 + CHALLENGE_PERIOD);
			InvocationMetering::finalize_close(origin(PAYER), channel)
		}));
		assert_eq!(Balances::balance(&PAYER), INITIAL_BALANCE - 8 * PER_UNIT);
	});
}

/// Invoking a free model with a huge unit count used to inflate its public usage for the
/// transaction fee alone. Units now count only when paid for: a free invocation counts once.
#[test]
fn free_invocations_do_not_inflate_usage() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add(0, 1, OWNER, 0);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, u64::MAX, None, 0));
		let usage = ModelUsages::<Test>::get(0);
		assert_eq!((usage.invocations, usage.units, usage.revenue), (1, 0, 0));
		let accrued = Royalties::accruals();
		assert_eq!(accrued.last().map(|a| (a.units, a.royalty)), Some((0, 0)));

		// A paid invocation counts its units and what it paid.
		MockModels::add(1, 1, OWNER, PRICE);
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 1, None, 3, None, 3 * PRICE));
		let usage = ModelUsages::<Test>::get(1);
		assert_eq!((usage.invocations, usage.units, usage.revenue), (1, 3, 3 * PRICE));
	});
}

/// A version licensed for non-commercial use only is served free of charge: no provider may
/// sell invocations of it, directly or through a channel.
#[test]
fn a_non_commercial_version_is_not_sold_through_a_provider() {
	ExtBuilder.build_and_execute(|| {
		MockModels::add_non_commercial(0, 1, OWNER);
		assert_ok!(InvocationMetering::register_offer(origin(PROVIDER), 0, FEE, b"p".to_vec()));
		let before = Balances::balance(&PAYER);
		assert_noop!(
			InvocationMetering::invoke(origin(PAYER), 0, None, 10, Some(PROVIDER), u128::MAX),
			E::NonCommercialUse
		);
		assert_noop!(
			InvocationMetering::open_channel(origin(PAYER), PROVIDER, 0, None, 10_000, 100),
			E::NonCommercialUse
		);
		// Served without a fee, it may be invoked, for nothing.
		assert_ok!(InvocationMetering::register_offer(origin(OTHER_PROVIDER), 0, 0, b"q".to_vec()));
		assert_ok!(InvocationMetering::invoke(origin(PAYER), 0, None, 10, Some(OTHER_PROVIDER), 0));
		assert_eq!(Balances::balance(&PAYER), before);
	});
}

/// A version found infringing by an upheld dispute takes no new invocations, channels or
/// top-ups; a channel opened before the ruling still settles, so the provider is paid for work
/// done.
#[test]
fn an_infringing_version_takes_no_new_invocations_or_channels() {
	ExtBuilder.build_and_execute(|| {
		served_model();
		assert_ok!(InvocationMetering::open_channel(origin(PAYER), PROVIDER, 0, None, 10_000, 50));
		MockModels::set_infringing(0, 1);
		assert_noop!(
			InvocationMetering::invoke(origin(PAYER), 0, None, 10, Some(PROVIDER), u128::MAX),
			E::Infringing
		);
		assert_noop!(InvocationMetering::top_up(origin(PAYER), 0, 1_000), E::Infringing);
		assert_noop!(
			InvocationMetering::open_channel(origin(PAYER), PROVIDER, 0, None, 10_000, 50),
			E::Infringing
		);
		let voucher = Voucher {
			genesis_hash: InvocationMetering::genesis_hash(),
			channel: 0,
			cumulative_units: 40,
		};
		let signature = crate::tests::signed_by(PAYER, &voucher);
		assert_ok!(InvocationMetering::settle(origin(PROVIDER), 0, voucher, signature));
	});
}

/// Dev and local chains have fixed genesis hashes: after a relaunch, channel ids restart and a
/// provider holding vouchers from the earlier launch would settle them again. A voucher signs
/// its channel's nonce, which a relaunch never draws again, and its provider; a voucher in the
/// first format, which signed neither, is refused by name.
#[test]
fn vouchers_of_a_relaunched_chain_do_not_settle() {
	let mut first_launch = None;
	WallClock::set(1_700_000_000_000);
	ExtBuilder.build_and_execute(|| {
		served_model();
		assert_ok!(InvocationMetering::open_channel(origin(PAYER), PROVIDER, 0, None, 10_000, 50));
		let voucher = Voucher {
			genesis_hash: InvocationMetering::genesis_hash(),
			channel: 0,
			cumulative_units: 40,
		};
		let signature = crate::tests::signed_by(PAYER, &voucher);
		assert_ok!(InvocationMetering::settle(origin(PROVIDER), 0, voucher, signature.clone()));
		first_launch = Some((voucher, signature));
	});
	let (voucher, signature) = first_launch.unwrap();

	// The same chain, launched again a minute later: same genesis, same channel id.
	WallClock::set(1_700_000_060_000);
	ExtBuilder.build_and_execute(|| {
		served_model();
		assert_ok!(InvocationMetering::open_channel(origin(PAYER), PROVIDER, 0, None, 10_000, 50));
		assert_eq!(voucher.genesis_hash, InvocationMetering::genesis_hash());
		let before = Balances::balance(&PAYER);
		assert_noop!(
			InvocationMetering::settle(origin(PROVIDER), 0, voucher, signature.clone()),
			E::BadSignature
		);
		// Nor does a voucher signed for another provider settle.
		let other = Channels::<Test>::get(0).unwrap();
		let for_other =
			TestSignature(PAYER, voucher.signing_payload(&OTHER_PROVIDER, &other.nonce));
		assert_noop!(
			InvocationMetering::settle(origin(PROVIDER), 0, voucher, for_other),
			E::BadSignature
		);
		// A voucher in the first format is refused by name.
		let legacy = TestSignature(PAYER, voucher.legacy_signing_payload());
		assert_noop!(
			InvocationMetering::settle(origin(PROVIDER), 0, voucher, legacy),
			E::OutdatedVoucher
		);
		// The consumer's voucher for this launch settles.
		let fresh = crate::tests::signed_by(PAYER, &voucher);
		assert_ok!(InvocationMetering::settle(origin(PROVIDER), 0, voucher, fresh));
		assert_eq!(Balances::balance(&PAYER), before);
		assert_eq!(Channels::<Test>::get(0).unwrap().settled_units, 40);
	});
}
