//! The reads behind the runtime API: the runtime only forwards to these.

use crate::{
	pallet::*,
	runtime_api::{ChannelInfo, VersionQuote},
	types::*,
};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use tributary_primitives::ModelInvocation;

/// A channel's state as the runtime API returns it.
pub type ChannelInfoOf<T> = ChannelInfo<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as frame_system::Config>::Hash,
>;

impl<T: Config> Pallet<T> {
	/// What invoking a model version (the latest when `None`) for `units` units through
	/// `provider` costs, component by component, and which version that is; or the error
	/// `invoke` would fail with (`NotInvocable` when there is no such version).
	pub fn api_quote(
		model: ModelId,
		version: Option<VersionNumber>,
		units: Units,
		provider: Option<&T::AccountId>,
	) -> Result<VersionQuote<BalanceOf<T>>, DispatchError> {
		let (version, quote) = Self::quote(model, version, units, provider)?;
		Ok(VersionQuote { version, quote })
	}

	/// A model's usage counters, or `None` when there is no such model.
	pub fn api_usage(model: ModelId) -> Option<ModelUsage<BalanceOf<T>>> {
		T::Models::model_owner(model)?;
		Some(ModelUsages::<T>::get(model))
	}

	/// An open channel's state, or `None` when no channel with that id is open.
	pub fn api_channel(id: ChannelId) -> Option<ChannelInfoOf<T>> {
		Channels::<T>::get(id).map(|c| ChannelInfo {
			consumer: c.consumer,
			provider: c.provider,
			model: c.model,
			version: c.version,
			price_per_unit: c.price_per_unit,
			fee_per_unit: c.fee_per_unit,
			deposit: c.deposit,
			settled_units: c.settled_units,
			expires_at: c.expires_at,
			closes_at: c.closes_at,
			nonce: c.nonce,
		})
	}

	/// What settling a voucher for `cumulative_units` would pay now (the units since the last
	/// settlement), or the error `settle` would fail with (signature aside).
	pub fn api_voucher_value(
		id: ChannelId,
		cumulative_units: Units,
	) -> Result<Quote<BalanceOf<T>>, DispatchError> {
		let channel = Self::open_channel_record(id)?;
		let units = cumulative_units
			.checked_sub(channel.settled_units)
			.filter(|units| *units > 0)
			.ok_or(Error::<T>::StaleVoucher)?;
		// What `settle` would pay: the units the deposit covers.
		Self::channel_quote(&channel, Self::payable_units(&channel, units)?)
	}
}
