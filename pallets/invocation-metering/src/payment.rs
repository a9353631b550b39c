//! How a use of a model is priced and paid, and the holds this pallet places: shared by direct
//! invocations and channel settlements.

use crate::{pallet::*, types::*};
use frame_support::{
	defensive,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::traits::{CheckedAdd, CheckedMul, Saturating, Zero};
use tributary_primitives::RoyaltySink;

impl<T: Config> Pallet<T> {
	/// What `units` units cost at a price and a provider fee per unit, split into what each
	/// party is owed. The protocol fee is rounded down: rounding favours the route.
	pub(crate) fn cost(
		price_per_unit: BalanceOf<T>,
		fee_per_unit: BalanceOf<T>,
		units: Units,
	) -> Result<Quote<BalanceOf<T>>, DispatchError> {
		let units: BalanceOf<T> = units.try_into().map_err(|_| Error::<T>::Overflow)?;
		let price = price_per_unit.checked_mul(&units).ok_or(Error::<T>::Overflow)?;
		let provider_fee = fee_per_unit.checked_mul(&units).ok_or(Error::<T>::Overflow)?;
		let total = price.checked_add(&provider_fee).ok_or(Error::<T>::Overflow)?;
		let protocol_fee = T::ProtocolFee::get().mul_floor(price);
		let royalty = price.saturating_sub(protocol_fee);
		Ok(Quote { royalty, protocol_fee, provider_fee, total })
	}

	/// Moves a paid use of a model into the royalty pot (the provider's fee and the protocol
	/// fee credited, the royalty accrued to the version) and counts it in the model's usage.
	pub(crate) fn pay(
		payer: &T::AccountId,
		model: ModelId,
		version: VersionNumber,
		units: Units,
		provider: Option<&T::AccountId>,
		quote: &Quote<BalanceOf<T>>,
	) -> DispatchResult {
		// Units count only when they were paid for: a free invocation counts once, whatever
		// units it names, so the public counters cannot be inflated for transaction fees alone.
		let price = quote.royalty.saturating_add(quote.protocol_fee);
		let paid_units = if price.is_zero() { 0 } else { units };
		let protocol = (T::TreasuryAccount::get(), quote.protocol_fee);
		match provider {
			Some(provider) => T::Royalties::accrue(
				payer,
				model,
				version,
				paid_units,
				quote.royalty,
				&[(provider.clone(), quote.provider_fee), protocol],
			),
			None => {
				T::Royalties::accrue(payer, model, version, paid_units, quote.royalty, &[protocol])
			}
		}?;
		ModelUsages::<T>::mutate(model, |usage| {
			usage.invocations = usage.invocations.saturating_add(1);
			usage.units = usage.units.saturating_add(paid_units.into());
			usage.revenue = usage.revenue.saturating_add(price);
		});
		Ok(())
	}

	/// Holds `amount` from `who` for `reason`.
	pub(crate) fn hold(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientFunds.into())
	}

	/// Releases a hold this pallet placed. The amount is always on hold (the invariants check
	/// it), so a shortfall is a bug: report it and release what is there.
	pub(crate) fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		let reason = reason.into();
		if let Err(error) = T::Currency::release(&reason, who, amount, Precision::Exact) {
			defensive!("a hold this pallet placed is missing", error);
			let _ = T::Currency::release(&reason, who, amount, Precision::BestEffort);
		}
	}
}
