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
use pallet_model_registry::RouteProvider;
use pallet_royalty_distribution::RoyaltySink;
use sp_runtime::traits::{CheckedAdd, CheckedMul, Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_offer(
		provider: T::AccountId,
		model: ModelId,
		fee_per_unit: BalanceOf<T>,
		endpoint: BoundedVec<u8, T::MaxEndpointLength>,
	) -> DispatchResult {
		ensure!(T::Routes::owner(model).is_some(), Error::<T>::NotInvocable);
		ensure!(!Offers::<T>::contains_key(model, &provider), Error::<T>::OfferExists);
		let deposit = T::OfferDeposit::get();
		if !deposit.is_zero() {
			T::Currency::hold(&HoldReason::OfferDeposit.into(), &provider, deposit)
				.map_err(|_| Error::<T>::InsufficientFunds)?;
		}
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
		if !offer.deposit.is_zero() {
			let reason = HoldReason::OfferDeposit.into();
			if let Err(error) =
				T::Currency::release(&reason, &provider, offer.deposit, Precision::Exact)
			{
				defensive!("an offer's deposit is not on hold", error);
				let _ =
					T::Currency::release(&reason, &provider, offer.deposit, Precision::BestEffort);
			}
		}
		Self::deposit_event(Event::OfferWithdrawn { model, provider });
		Ok(())
	}

	/// Prices an invocation: which version, and every amount. Changes nothing.
	pub fn quote(
		model: ModelId,
		version: Option<VersionNumber>,
		units: Units,
		provider: Option<&T::AccountId>,
	) -> Result<(VersionNumber, Quote<BalanceOf<T>>), DispatchError> {
		ensure!(units > 0, Error::<T>::ZeroUnits);
		let terms = T::Routes::invocation_terms(model, version).ok_or(Error::<T>::NotInvocable)?;
		let units_balance: BalanceOf<T> = units.try_into().map_err(|_| Error::<T>::Overflow)?;
		let price = terms.price_per_unit.checked_mul(&units_balance).ok_or(Error::<T>::Overflow)?;
		let provider_fee = match provider {
			Some(provider) => {
				let offer = Offers::<T>::get(model, provider).ok_or(Error::<T>::NoOffer)?;
				offer.fee_per_unit.checked_mul(&units_balance).ok_or(Error::<T>::Overflow)?
			}
			None => Zero::zero(),
		};
		Ok((terms.version, Self::split(price, provider_fee)?))
	}

	/// Splits a model price and a provider fee into what each party is owed. The protocol fee
	/// is rounded down: rounding favours the route.
	pub(crate) fn split(
		price: BalanceOf<T>,
		provider_fee: BalanceOf<T>,
	) -> Result<Quote<BalanceOf<T>>, DispatchError> {
		let total = price.checked_add(&provider_fee).ok_or(Error::<T>::Overflow)?;
		let protocol_fee = T::ProtocolFee::get().mul_floor(price);
		let royalty = price.saturating_sub(protocol_fee);
		Ok(Quote { royalty, protocol_fee, provider_fee, total })
	}

	/// Counts a paid use of a model.
	pub(crate) fn count_usage(model: ModelId, units: Units, quote: &Quote<BalanceOf<T>>) {
		Usage::<T>::mutate(model, |usage| {
			usage.invocations = usage.invocations.saturating_add(1);
			usage.units = usage.units.saturating_add(units.into());
			usage.revenue =
				usage.revenue.saturating_add(quote.royalty.saturating_add(quote.protocol_fee));
		});
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

		let treasury = T::TreasuryAccount::get();
		match &provider {
			Some(provider) => T::Royalties::accrue(
				&payer,
				model,
				version,
				units,
				quote.royalty,
				&[(provider.clone(), quote.provider_fee), (treasury, quote.protocol_fee)],
			),
			None => T::Royalties::accrue(
				&payer,
				model,
				version,
				units,
				quote.royalty,
				&[(treasury, quote.protocol_fee)],
			),
		}?;

		Self::count_usage(model, units, &quote);
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
			if T::Routes::owner(model).is_none() {
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
