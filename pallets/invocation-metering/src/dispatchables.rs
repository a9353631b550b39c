//! The logic behind every call, and the invariants `try_state` checks.

use crate::{pallet::*, types::*};
use frame_support::{
	defensive,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use tributary_primitives::ModelInvocation;
use tributary_primitives::RoyaltySink;
use sp_runtime::traits::{CheckedAdd, CheckedMul, Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_offer(
		provider: T::AccountId,
		model: ModelId,
		fee_per_unit: BalanceOf<T>,
		endpoint: BoundedVec<u8, T::MaxEndpointLength>,
	) -> DispatchResult {
		ensure!(T::Models::model_owner(model).is_some(), Error::<T>::NotInvocable);
		ensure!(!Offers::<T>::contains_key(model, &provider), Error::<T>::OfferExists);
		let deposit = T::OfferDeposit::get();
		Self::hold(HoldReason::OfferDeposit, &provider, deposit)?;
		Offers::<T>::insert(model, &provider, Offer { fee_per_unit, endpoint, deposit });
		Self::deposit_event(Event::OfferRegistered { model, provider, fee_per_unit, deposit });
		Ok(())
	}

	pub(crate) fn do_update_offer(
		provider: T::AccountId,
		model: ModelId,
		fee_per_unit: BalanceOf<T>,
		endpoint: BoundedVec<u8, T::MaxEndpointLength>,
	) -> DispatchResult {
		Offers::<T>::try_mutate(model, &provider, |maybe| {
			let offer = maybe.as_mut().ok_or(Error::<T>::NoOffer)?;
			offer.fee_per_unit = fee_per_unit;
			offer.endpoint = endpoint;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::OfferUpdated { model, provider, fee_per_unit });
		Ok(())
	}

	pub(crate) fn do_withdraw_offer(provider: T::AccountId, model: ModelId) -> DispatchResult {
		let offer = Offers::<T>::take(model, &provider).ok_or(Error::<T>::NoOffer)?;
		Self::release(HoldReason::OfferDeposit, &provider, offer.deposit);
		Self::deposit_event(Event::OfferWithdrawn { model, provider });
		Ok(())
	}

	/// Prices an invocation: which version, and every amount. Changes nothing.
	pub(crate) fn quote(
		model: ModelId,
		version: Option<VersionNumber>,
		units: Units,
		provider: Option<&T::AccountId>,
	) -> Result<(VersionNumber, Quote<BalanceOf<T>>), DispatchError> {
		ensure!(units > 0, Error::<T>::ZeroUnits);
		let terms = T::Models::invocation_terms(model, version).ok_or(Error::<T>::NotInvocable)?;
		let fee_per_unit = match provider {
			Some(provider) => {
				Offers::<T>::get(model, provider).ok_or(Error::<T>::NoOffer)?.fee_per_unit
			}
			None => Zero::zero(),
		};
		Ok((terms.version, Self::cost(terms.price_per_unit, fee_per_unit, units)?))
	}

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
		let protocol = (T::TreasuryAccount::get(), quote.protocol_fee);
		match provider {
			Some(provider) => T::Royalties::accrue(
				payer,
				model,
				version,
				units,
				quote.royalty,
				&[(provider.clone(), quote.provider_fee), protocol],
			),
			None => T::Royalties::accrue(payer, model, version, units, quote.royalty, &[protocol]),
		}?;
		ModelUsages::<T>::mutate(model, |usage| {
			usage.invocations = usage.invocations.saturating_add(1);
			usage.units = usage.units.saturating_add(units.into());
			usage.revenue =
				usage.revenue.saturating_add(quote.royalty.saturating_add(quote.protocol_fee));
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

	pub(crate) fn do_invoke(
		payer: T::AccountId,
		model: ModelId,
		version: Option<VersionNumber>,
		units: Units,
		provider: Option<T::AccountId>,
		max_total: BalanceOf<T>,
	) -> DispatchResult {
		let (version, quote) = Self::quote(model, version, units, provider.as_ref())?;
		ensure!(quote.total <= max_total, Error::<T>::AboveMaxTotal);
		let spendable =
			T::Currency::reducible_balance(&payer, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= quote.total, Error::<T>::InsufficientFunds);

		Self::pay(&payer, model, version, units, provider.as_ref(), &quote)?;
		Self::deposit_event(Event::Invoked {
			payer,
			model,
			version,
			units,
			provider,
			royalty: quote.royalty,
			protocol_fee: quote.protocol_fee,
			provider_fee: quote.provider_fee,
			total: quote.total,
		});
		Ok(())
	}
}

#[cfg(any(feature = "try-runtime", feature = "std"))]
impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants: every offer's deposit is on hold from its provider
	/// (the sum per provider equals the held amount) and belongs to an existing model; every
	/// channel's remaining and record deposits are on hold from its consumer, and its id was
	/// issued.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		use sp_runtime::TryRuntimeError;

		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (model, provider, offer) in Offers::<T>::iter() {
			if T::Models::model_owner(model).is_none() {
				return Err(TryRuntimeError::Other("an offer for an unknown model"));
			}
			let sum = held.entry(provider).or_default();
			*sum = sum.saturating_add(offer.deposit);
		}
		for (provider, amount) in held {
			if T::Currency::balance_on_hold(&HoldReason::OfferDeposit.into(), &provider) != amount {
				return Err(TryRuntimeError::Other("a provider's held deposit differs"));
			}
		}
		Ok(())
	}
}
