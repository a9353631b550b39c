//! The invariants `try_state` checks (after every block under `try-runtime`, and after every
//! test). Held amounts are compared per [`HoldReason`]: what each account should have on hold
//! for a reason is summed from the records that reason backs.

use crate::{pallet::*, types::*};
use alloc::collections::btree_map::BTreeMap;
use frame_support::traits::fungible::InspectHold;
use sp_runtime::{traits::CheckedAdd, TryRuntimeError};
use tributary_primitives::ModelInvocation;

/// What each account should have on hold for one reason.
type Expected<T> = BTreeMap<AccountIdOf<T>, BalanceOf<T>>;

fn check(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(TryRuntimeError::Other(message))
	}
}

/// Adds `amount` to what `who` should have on hold.
fn expect<T: Config>(
	expected: &mut Expected<T>,
	who: AccountIdOf<T>,
	amount: BalanceOf<T>,
) -> Result<(), TryRuntimeError> {
	let sum = expected.entry(who).or_default();
	*sum = sum.checked_add(&amount).ok_or(TryRuntimeError::Other("held deposits overflow"))?;
	Ok(())
}

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - every offer is for an existing model, and each provider's `OfferDeposit` hold equals
	///   the deposits of its offers;
	/// - every channel's id was issued (it is below `NextChannelId`);
	/// - every channel paid out exactly its settled units at its fixed terms: what the consumer
	///   deposited equals what is left plus the cost of `settled_units`, so the settled units
	///   never exceed what the deposits covered;
	/// - each consumer's `ChannelDeposit` hold equals its open channels' remaining and record
	///   deposits.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut offer_deposits = Expected::<T>::new();
		for (model, provider, offer) in Offers::<T>::iter() {
			check(T::Models::model_owner(model).is_some(), "an offer for an unknown model")?;
			expect::<T>(&mut offer_deposits, provider, offer.deposit)?;
		}
		Self::check_holds(
			HoldReason::OfferDeposit,
			offer_deposits,
			"a provider's held offer deposit differs from its offers' deposits",
		)?;

		let next_id = NextChannelId::<T>::get();
		let mut channel_deposits = Expected::<T>::new();
		for (id, channel) in Channels::<T>::iter() {
			check(id < next_id, "a channel id not yet issued")?;
			Self::check_channel_paid_its_settled_units(&channel)?;
			let held = channel
				.deposit
				.checked_add(&channel.record_deposit)
				.ok_or(TryRuntimeError::Other("a channel's deposits overflow"))?;
			expect::<T>(&mut channel_deposits, channel.consumer, held)?;
		}
		Self::check_holds(
			HoldReason::ChannelDeposit,
			channel_deposits,
			"a consumer's held channel deposit differs from its channels' deposits",
		)
	}

	/// A channel's settlements paid `(price + fee) × settled_units` from its deposits, no more
	/// and no less: the settled units are covered by what the consumer deposited, and the rest
	/// is still there.
	fn check_channel_paid_its_settled_units(channel: &Channel<T>) -> Result<(), TryRuntimeError> {
		let paid = Self::cost(channel.price_per_unit, channel.fee_per_unit, channel.settled_units)
			.map_err(|_| TryRuntimeError::Other("a channel's settled units cost more than exists"))?
			.total;
		check(
			channel.deposit.checked_add(&paid) == Some(channel.deposited),
			"a channel's settled units and remaining deposit differ from what was deposited",
		)
	}

	/// Each account's hold for `reason` equals what the records account for.
	fn check_holds(
		reason: HoldReason,
		expected: Expected<T>,
		message: &'static str,
	) -> Result<(), TryRuntimeError> {
		let reason = reason.into();
		for (who, amount) in expected {
			check(T::Currency::balance_on_hold(&reason, &who) == amount, message)?;
		}
		Ok(())
	}
}
