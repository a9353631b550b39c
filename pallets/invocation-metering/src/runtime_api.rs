//! The runtime API of invocations and payment channels, for clients and the `tributary_*` RPC.

use crate::types::{ChannelId, ModelId, ModelUsage, Quote, Units, VersionNumber};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Why the runtime refuses a quote or a voucher: the name of the pallet's error, e.g.
/// `NoOffer` or `StaleVoucher`.
pub type Refusal = Vec<u8>;

/// A payment channel's state.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ChannelInfo<AccountId, Balance, BlockNumber> {
	/// Who pays and signs vouchers.
	pub consumer: AccountId,
	/// Who serves and settles.
	pub provider: AccountId,
	/// The model served.
	pub model: ModelId,
	/// The version served.
	pub version: VersionNumber,
	/// Price per unit, fixed at opening.
	pub price_per_unit: Balance,
	/// Provider fee per unit, fixed at opening.
	pub fee_per_unit: Balance,
	/// What is left of the deposit.
	pub deposit: Balance,
	/// Units settled so far.
	pub settled_units: Units,
	/// From this block anyone may close the channel.
	pub expires_at: BlockNumber,
	/// End of the challenge period, when the consumer asked to close.
	pub closes_at: Option<BlockNumber>,
}

sp_api::decl_runtime_apis! {
	/// Prices, usage and payment channels.
	pub trait MeteringApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// What invoking a model version (the latest when `None`) for `units` units through
		/// `provider` costs, component by component, and which version that is.
		fn quote(
			model: ModelId,
			version: Option<VersionNumber>,
			units: Units,
			provider: Option<AccountId>,
		) -> Result<(VersionNumber, Quote<Balance>), Refusal>;
		/// A model's usage counters.
		fn usage(model: ModelId) -> ModelUsage<Balance>;
		/// An open channel's state, or `None`.
		fn channel(channel: ChannelId) -> Option<ChannelInfo<AccountId, Balance, BlockNumber>>;
		/// What settling a voucher for `cumulative_units` on a channel would pay now (the
		/// units since the last settlement), or why it would be refused.
		fn voucher_value(channel: ChannelId, cumulative_units: Units) -> Result<Quote<Balance>, Refusal>;
	}
}
