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
	/// The revenue's place in the distribution queue, while it waits there. Revenue joins the
	/// queue when it starts to accrue (a version's later payments ride along) and leaves it
	/// when distributed, or when `on_idle` finds the version's royalties frozen; what rounding
	/// carried over waits for the version's next payment.
	pub queued: Option<QueueSeq>,
}

/// A place in the distribution queue: places only grow, so a smaller place was queued earlier.
pub type QueueSeq = u64;

/// The queue of versions whose revenue waits for distribution, oldest first. Places below
/// `head` are all distributed or left the queue frozen by a dispute; places from `head` to
/// `tail` may be, out of order (a manual `distribute`), and leave holes the head skips over.
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
pub struct QueueBounds {
	/// The oldest place that may still wait.
	pub head: QueueSeq,
	/// The place the next queued revenue takes.
	pub tail: QueueSeq,
}

/// A version queued for distribution, and when.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct QueuedRevenue<BlockNumber> {
	/// The model.
	pub model: ModelId,
	/// The version.
	pub version: VersionNumber,
	/// The block its revenue started to accrue in.
	pub since: BlockNumber,
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
	/// the pool's active shares).
	pub remainder: U256,
	/// Shares minted while revenue paid before them was still waiting for distribution: they
	/// earn nothing until that revenue has reached the pools, so a newcomer never takes a part
	/// of what was earned before it held anything. The sum of the pending cohorts' shares.
	pub inactive: Shares,
	/// Cohorts with a smaller id have activated; those from here to `next_cohort` are pending.
	pub activated: u32,
	/// The id the next pending cohort takes.
	pub next_cohort: u32,
}

/// Inactive shares minted while the same revenue waited: they activate together, once the
/// queue's head reaches `activates_at`. Each cohort has its own point, so later mints never
/// delay earlier ones.
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
pub struct Cohort {
	/// The queue place the head must reach: the queue's tail when the cohort's last shares
	/// were minted, so every revenue queued before them has then been distributed (or left
	/// the queue frozen by a dispute).
	pub activates_at: QueueSeq,
	/// Its inactive shares.
	pub shares: Shares,
	/// Its holders.
	pub holders: u32,
}

/// The pool's state when a cohort of inactive shares activated, kept until each of the
/// cohort's holders has been settled with it.
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
pub struct Activation {
	/// The pool's `reward_per_share` when the cohort activated: its shares earn from there.
	pub reward_per_share: U256,
	/// The cohort's holders not settled since.
	pub holders: u32,
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
	/// Of the holder's shares, those not active yet (see [`Pool::inactive`]).
	pub inactive: Shares,
	/// The cohort the inactive shares belong to.
	pub cohort: u32,
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
