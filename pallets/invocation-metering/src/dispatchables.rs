//! Offers and direct invocations: the logic behind their calls, and the quote both they and
//! the runtime API price an invocation with.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::Inspect,
		tokens::{Fortitude, Preservation},
	},
};
use sp_runtime::traits::Zero;
use tributary_primitives::{InvocationTerms, ModelInvocation};

impl<T: Config> Pallet<T> {
	/// An endpoint from a call argument. Calls take it unbounded (the block length and the
	/// length fee bound it) so that one too long fails with `EndpointTooLong` instead of being
	/// undecodable.
	pub(crate) fn bounded_endpoint(
		endpoint: Vec<u8>,
	) -> Result<BoundedVec<u8, T::MaxEndpointLength>, Error<T>> {
		endpoint.try_into().map_err(|_| Error::<T>::EndpointTooLong)
	}

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

	/// A version found infringing takes no new invocations or channels. A version licensed for
	/// non-commercial use only is not sold: neither its price (which the registry keeps at
	/// zero) nor a provider's fee may be charged for it.
	pub(crate) fn ensure_license_allows(
		terms: &InvocationTerms<T::AccountId, BalanceOf<T>>,
		fee_per_unit: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!terms.infringing, Error::<T>::Infringing);
		ensure!(
			terms.commercial_use || (terms.price_per_unit.is_zero() && fee_per_unit.is_zero()),
			Error::<T>::NonCommercialUse
		);
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
		Self::ensure_license_allows(&terms, fee_per_unit)?;
		Ok((terms.version, Self::cost(terms.price_per_unit, fee_per_unit, units)?))
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
