//! Types stored by the pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;
use scale_info::TypeInfo;
use sp_core::U256;

use crate::Config;
pub use tributary_primitives::{Beneficiary, DatasetId, ModelId, Shares, Units, VersionNumber};

/// Balance type of the configured currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Account type of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// The longest route a version may have, as the route provider declares it.
pub type MaxRouteLengthOf<T> =
	<<T as Config>::Routes as tributary_primitives::RouteProvider<AccountIdOf<T>>>::MaxRouteLength;

/// Fixed-point scale of reward-per-share values: one unit of balance per share is `SCALE`.
pub const SCALE: u128 = 1_000_000_000_000_000_000;

/// Revenue of a model version that has not been pushed along its route yet.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Revenue<Balance> {
	/// The royalty part of every payment accrued since the last distribution, plus what the
	/// last distribution's rounding left.
	pub amount: Balance,
	/// Invocations accrued since the last distribution.
	pub invocations: u64,
	/// Units accrued since the last distribution.
	pub units: u128,
}

/// A dataset's contributor pool.
///
/// `reward_per_share` only grows: a holder is owed `shares × (reward_per_share − paid)` /
/// `SCALE` on top of what was settled for it. What a distribution cannot divide evenly among
/// the shares is carried in `remainder` to the next one, so nothing is rounded away.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Pool<Balance> {
	/// Cumulative reward per share, scaled by `SCALE`.
	pub reward_per_share: U256,
	/// What the pool holds in the pot: distributed to it and not claimed yet.
	pub balance: Balance,
	/// Scaled amount distributed but not yet reflected in `reward_per_share` (always below
	/// the pool's total shares).
	pub remainder: U256,
}

/// A share holder's settlement state in one pool.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Settlement {
	/// The pool's `reward_per_share` when the holder was last settled.
	pub paid_per_share: U256,
	/// Earned and not claimed yet, scaled by `SCALE` (fractions of a unit carry over).
	pub pending: U256,
}

/// Usage of a dataset through the models that route to it, counted when revenue is
/// distributed.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct DatasetUsage<Balance> {
	/// Invocations of models routing to the dataset.
	pub invocations: u64,
	/// Units of those invocations.
	pub units: u128,
	/// Revenue the dataset's pool (or, before it has shares, its curator) received.
	pub revenue: Balance,
}
