//! # Invocation metering
//!
//! Paid model invocations and the compute providers that serve them.
//!
//! - A **compute provider** registers an offer to serve a model at a fee per unit (with an
//!   endpoint for clients, and a deposit), updates it, or withdraws it.
//! - Anyone may **invoke** a model version (the latest when none is named) for a number of
//!   units, optionally through a provider: the payer pays the model's price × units plus the
//!   provider's fee × units, never more than the `max_total` it signed for. A configured part
//!   of the model price (`ProtocolFee`) is owed to the treasury, the provider's fee to the
//!   provider, and the rest to the version's royalty route — all accrued through the royalty
//!   distribution in constant time, whatever the route, the lineage or the number of dataset
//!   contributors behind it.
//! - Usage counters per model (invocations, units, revenue) are public; per-dataset counters
//!   are kept by the royalty distribution when revenue reaches the datasets.
//!
//! ## Payment channels
//!
//! The settlement path for Web2 backends calling models through a provider's metered API:
//! a consumer opens a channel to a provider for one model version with a held deposit, the
//! price and fee fixed at opening. Off chain, after each call, it signs a [`Voucher`] for the
//! cumulative units consumed: the SCALE encoding of `(VOUCHER_DOMAIN, genesis hash, channel,
//! cumulative units)`. The provider settles the latest voucher whenever it likes (`settle`,
//! or many channels at once with `settle_batch`) and is paid only for the units not settled
//! before, split exactly as a direct invocation of those units. The consumer may top up or
//! ask to close; the provider may still settle during the challenge period, after which (or
//! after the channel expires) anyone may finalize the close and the rest of the deposit is
//! released. A million calls cost one settlement. Channel ids are never reused, so a voucher
//! can only ever apply to the channel it names.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod api;
mod channels;
mod dispatchables;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
mod payment;
pub mod runtime_api;
pub mod traits;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod channel_abuse_tests;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
pub use traits::BenchmarkHelper;
pub use types::*;
pub use weights::WeightInfo;

// FRAME's storage, error and pallet macros expand to code that calls `expect`; the pallet's own
// logic lives in `dispatchables.rs`, `channels.rs`, `payment.rs`, `api.rs` and `invariants.rs`,
// where the workspace's no-panic lints apply in full.
#[allow(clippy::expect_used, clippy::unwrap_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{IdentifyAccount, StaticLookup, Verify},
		Permill,
	};
	use tributary_primitives::{ModelInvocation, RoyaltySink};

	/// Lookup of an account from a call argument.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A provider's deposit for an offer record.
		#[codec(index = 0)]
		OfferDeposit,
		/// A consumer's channel deposit and the deposit for its record.
		#[codec(index = 1)]
		ChannelDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency invocations are paid and deposits held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Model versions: prices and whether they may be invoked.
		type Models: ModelInvocation<Self::AccountId, BalanceOf<Self>>;

		/// Takes every payment into the royalty pot.
		type Royalties: RoyaltySink<Self::AccountId, BalanceOf<Self>>;

		/// Receives the protocol fee.
		#[pallet::constant]
		type TreasuryAccount: Get<Self::AccountId>;

		/// The protocol's part of every model price.
		#[pallet::constant]
		type ProtocolFee: Get<Permill>;

		/// Deposit held from a provider per offer.
		#[pallet::constant]
		type OfferDeposit: Get<BalanceOf<Self>>;

		/// Longest provider endpoint, in bytes.
		#[pallet::constant]
		type MaxEndpointLength: Get<u32>;

		/// A consumer's signature of a voucher.
		type OffchainSignature: Verify<Signer = Self::OffchainPublic> + Parameter;
		/// The key that signs vouchers, identifying the consumer's account.
		type OffchainPublic: IdentifyAccount<AccountId = Self::AccountId>;

		/// Deposit held from a consumer per channel record, on top of the channel's deposit.
		#[pallet::constant]
		type ChannelDeposit: Get<BalanceOf<Self>>;
		/// Blocks the provider has to settle after the consumer asks to close.
		#[pallet::constant]
		type ChallengePeriod: Get<BlockNumberFor<Self>>;
		/// Longest time between opening a channel and its expiry.
		#[pallet::constant]
		type MaxChannelDuration: Get<BlockNumberFor<Self>>;
		/// Most vouchers one `settle_batch` call settles.
		#[pallet::constant]
		type MaxSettleBatch: Get<u32>;

		/// The time, mixed into each channel's nonce: a relaunched chain with the same genesis
		/// reaches the same block numbers and parent hashes, never the same times.
		type UnixTime: frame_support::traits::UnixTime;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates invocable models and signs vouchers for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<
			BalanceOf<Self>,
			Self::AccountId,
			Self::OffchainSignature,
		>;
	}

	/// Compute providers' offers: `(model, provider) -> offer`.
	#[pallet::storage]
	pub type Offers<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, ModelId, Blake2_128Concat, T::AccountId, Offer<T>>;

	/// Usage of each model: invocations (a channel settlement counts as one), units and
	/// revenue.
	#[pallet::storage]
	pub type ModelUsages<T: Config> =
		StorageMap<_, Blake2_128Concat, ModelId, ModelUsage<BalanceOf<T>>, ValueQuery>;

	/// The id the next channel receives.
	#[pallet::storage]
	pub type NextChannelId<T> = StorageValue<_, ChannelId, ValueQuery>;

	/// Open payment channels by id. Closed channels are removed; their ids are never reused.
	#[pallet::storage]
	pub type Channels<T: Config> = StorageMap<_, Twox64Concat, ChannelId, Channel<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A provider offered to serve a model.
		OfferRegistered {
			/// The model served (every version of it).
			model: ModelId,
			/// The compute provider.
			provider: T::AccountId,
			/// The provider's fee per unit, paid on top of the model's price.
			fee_per_unit: BalanceOf<T>,
			/// Deposit held from the provider for the offer.
			deposit: BalanceOf<T>,
		},
		/// A provider changed its offer.
		OfferUpdated {
			/// The model of the offer.
			model: ModelId,
			/// The compute provider.
			provider: T::AccountId,
			/// The new fee per unit, paid by invocations from now on.
			fee_per_unit: BalanceOf<T>,
		},
		/// A provider withdrew its offer; its deposit was released.
		OfferWithdrawn {
			/// The model of the offer.
			model: ModelId,
			/// The compute provider.
			provider: T::AccountId,
		},
		/// A model version was invoked and paid for.
		Invoked {
			/// Who paid.
			payer: T::AccountId,
			/// The model invoked.
			model: ModelId,
			/// The version invoked (the latest, when the call named none).
			version: VersionNumber,
			/// Units consumed and paid.
			units: Units,
			/// The compute provider that served it, if any.
			provider: Option<T::AccountId>,
			/// The part of the price owed along the version's royalty route.
			royalty: BalanceOf<T>,
			/// The part of the price owed to the treasury.
			protocol_fee: BalanceOf<T>,
			/// What the provider was paid (zero without a provider).
			provider_fee: BalanceOf<T>,
			/// Everything the payer paid: `royalty + protocol_fee + provider_fee`.
			total: BalanceOf<T>,
		},
		/// A payment channel was opened and its deposit held.
		ChannelOpened {
			/// The new channel's id, which its vouchers name.
			channel: ChannelId,
			/// Who pays, and signs vouchers.
			consumer: T::AccountId,
			/// Who serves the calls and settles vouchers.
			provider: T::AccountId,
			/// The model served.
			model: ModelId,
			/// The version served, fixed for the channel's life.
			version: VersionNumber,
			/// The model's price per unit, fixed for the channel's life.
			price_per_unit: BalanceOf<T>,
			/// The provider's fee per unit, fixed for the channel's life.
			fee_per_unit: BalanceOf<T>,
			/// What the channel may pay out (held from the consumer, with the record deposit).
			deposit: BalanceOf<T>,
			/// From this block anyone may close the channel.
			expires_at: BlockNumberFor<T>,
			/// The channel's nonce, which every voucher on it signs.
			nonce: T::Hash,
		},
		/// The consumer added to a channel's deposit.
		ChannelToppedUp {
			/// The channel.
			channel: ChannelId,
			/// What was added and held.
			amount: BalanceOf<T>,
			/// What is left of the channel's deposit now.
			deposit: BalanceOf<T>,
		},
		/// A voucher was settled: the units since the last settlement were paid from the
		/// deposit, split as a direct invocation of them.
		ChannelSettled {
			/// The channel.
			channel: ChannelId,
			/// The model served.
			model: ModelId,
			/// The version served.
			version: VersionNumber,
			/// Units paid by this settlement: those since the last one, or as many of them as the
			/// deposit covers (see `ChannelExhausted`).
			units: Units,
			/// The channel's settled units now: the voucher's cumulative units, or fewer when
			/// the deposit did not cover them all.
			cumulative_units: Units,
			/// The part of the payment owed along the version's royalty route.
			royalty: BalanceOf<T>,
			/// The part of the payment owed to the treasury.
			protocol_fee: BalanceOf<T>,
			/// What the provider was paid.
			provider_fee: BalanceOf<T>,
			/// Everything paid from the deposit: `royalty + protocol_fee + provider_fee`.
			total: BalanceOf<T>,
			/// What is left of the channel's deposit.
			remaining_deposit: BalanceOf<T>,
		},
		/// A voucher asked for more units than the channel's deposit covers: the deposit paid
		/// what it covers, and the rest stays owed until the consumer tops up and the provider
		/// settles the same voucher again.
		ChannelExhausted {
			/// The channel.
			channel: ChannelId,
			/// Units the voucher signed for that the deposit could not pay.
			unpaid_units: Units,
		},
		/// A voucher of a batch could not be settled; it changed nothing.
		SettlementFailed {
			/// The channel the voucher was given for.
			channel: ChannelId,
			/// Why it could not be settled (what `settle` would have failed with).
			error: DispatchError,
		},
		/// The consumer asked to close a channel; the provider may settle until `closes_at`.
		ChannelCloseRequested {
			/// The channel.
			channel: ChannelId,
			/// From this block anyone may finalize the close.
			closes_at: BlockNumberFor<T>,
		},
		/// A channel was closed and what was left of its deposits released to the consumer.
		ChannelClosed {
			/// The channel; its id is never reused and its vouchers are void.
			channel: ChannelId,
			/// Units settled over the channel's life.
			settled_units: Units,
			/// What was released to the consumer: the rest of the deposit and the record
			/// deposit.
			refunded: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such model, or no such version to invoke.
		NotInvocable,
		/// The provider has no offer for this model.
		NoOffer,
		/// The provider already has an offer for this model.
		OfferExists,
		/// An invocation needs at least one unit.
		ZeroUnits,
		/// The invocation costs more than the `max_total` the payer accepted.
		AboveMaxTotal,
		/// The payer cannot pay the total and stay alive, or the provider or consumer the
		/// deposit.
		InsufficientFunds,
		/// An amount overflowed.
		Overflow,
		/// A channel needs a deposit, and a top-up an amount.
		ZeroDeposit,
		/// The expiry is not in the future or further than `MaxChannelDuration`.
		InvalidExpiry,
		/// No channel has this id.
		UnknownChannel,
		/// The channel was closed and finalized; its vouchers are void.
		ChannelFinalized,
		/// Only the channel's consumer may do this.
		NotConsumer,
		/// Only the channel's provider may do this.
		NotProvider,
		/// The channel is closing: no top-ups, no second request.
		ChannelClosing,
		/// The channel has neither expired nor finished its challenge period.
		ChannelStillOpen,
		/// The voucher names another channel.
		WrongChannel,
		/// The voucher is for another chain (its genesis hash differs).
		WrongChain,
		/// The signature is not the consumer's signature of this voucher.
		BadSignature,
		/// The voucher's cumulative units are not above those already settled (a replay or an
		/// older voucher).
		StaleVoucher,
		/// What is left of the deposit does not pay for a single unit of the voucher.
		VoucherExceedsDeposit,
		/// The endpoint is longer than `MaxEndpointLength` bytes.
		EndpointTooLong,
		/// More than `MaxSettleBatch` vouchers in one batch.
		TooManyVouchers,
		/// The version is licensed for non-commercial use only: it is served free of charge,
		/// without a provider fee.
		NonCommercialUse,
		/// The voucher was signed in the first format (`tributary/voucher/v1`), which does not
		/// bind the channel's provider and nonce: the consumer must sign it again.
		OutdatedVoucher,
		/// The version was found infringing by an upheld dispute of its lineage: it takes no
		/// new invocations or channels.
		Infringing,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Offer to serve a model, holding `OfferDeposit` from the caller.
		///
		/// - `origin`: signed; the compute provider.
		/// - `model`: the model served (every version of it).
		/// - `fee_per_unit`: the provider's fee per unit, on top of the model's price.
		/// - `endpoint`: how clients reach the provider, at most `MaxEndpointLength` bytes
		///   (`EndpointTooLong`).
		#[pallet::call_index(0)]
		pub fn register_offer(
			origin: OriginFor<T>,
			model: ModelId,
			fee_per_unit: BalanceOf<T>,
			endpoint: Vec<u8>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let endpoint = Self::bounded_endpoint(endpoint)?;
			Self::do_register_offer(provider, model, fee_per_unit, endpoint)
		}

		/// Change an offer's fee and endpoint; invocations pay the new fee from now on.
		///
		/// - `origin`: signed; the provider.
		/// - `model`: the model of the offer.
		/// - `fee_per_unit`, `endpoint`: the new terms, bounded as in `register_offer`.
		#[pallet::call_index(1)]
		pub fn update_offer(
			origin: OriginFor<T>,
			model: ModelId,
			fee_per_unit: BalanceOf<T>,
			endpoint: Vec<u8>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			let endpoint = Self::bounded_endpoint(endpoint)?;
			Self::do_update_offer(provider, model, fee_per_unit, endpoint)
		}

		/// Withdraw an offer and release its deposit.
		///
		/// - `origin`: signed; the provider.
		/// - `model`: the model of the offer.
		#[pallet::call_index(2)]
		pub fn withdraw_offer(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_withdraw_offer(provider, model)
		}

		/// Invoke a model and pay for it: price × units plus the provider's fee × units, split
		/// among the route, the treasury and the provider. Costs the same whatever the model's
		/// lineage.
		///
		/// - `origin`: signed; the payer.
		/// - `model`: the model.
		/// - `version`: the version, or `None` for the latest.
		/// - `units`: units consumed (> 0).
		/// - `provider`: the compute provider that served it, if any; it must have an offer.
		/// - `max_total`: the most the payer accepts to pay; a higher total fails.
		#[pallet::call_index(3)]
		pub fn invoke(
			origin: OriginFor<T>,
			model: ModelId,
			version: Option<VersionNumber>,
			units: Units,
			provider: Option<AccountIdLookupOf<T>>,
			max_total: BalanceOf<T>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			let provider = provider.map(T::Lookup::lookup).transpose()?;
			Self::do_invoke(payer, model, version, units, provider, max_total)
		}

		/// Open a payment channel to a provider for one model version, holding `deposit` and
		/// `ChannelDeposit` from the caller. The model's price and the provider's fee are fixed
		/// for the channel's life.
		///
		/// - `origin`: signed; the consumer, who signs vouchers.
		/// - `provider`: the provider; it must have an offer for the model.
		/// - `model`, `version`: the model version (`None`: the latest).
		/// - `deposit`: what the channel may pay out in total (top-ups may add to it).
		/// - `expires_at`: from this block anyone may close the channel (at most
		///   `MaxChannelDuration` away).
		#[pallet::call_index(4)]
		pub fn open_channel(
			origin: OriginFor<T>,
			provider: AccountIdLookupOf<T>,
			model: ModelId,
			version: Option<VersionNumber>,
			deposit: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let consumer = ensure_signed(origin)?;
			let provider = T::Lookup::lookup(provider)?;
			Self::do_open_channel(consumer, provider, model, version, deposit, expires_at)
		}

		/// Add to a channel's deposit.
		///
		/// - `origin`: signed; the consumer.
		/// - `channel`: the channel, not closing.
		/// - `amount`: held from the caller.
		#[pallet::call_index(5)]
		pub fn top_up(
			origin: OriginFor<T>,
			channel: ChannelId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_top_up(who, channel, amount)
		}

		/// Settle a voucher: pay the provider, the route and the treasury for the units
		/// consumed since the last settlement, from the channel's deposit.
		///
		/// - `origin`: signed; the channel's provider.
		/// - `channel`: the channel.
		/// - `voucher`: the consumer's latest voucher (this chain's genesis hash, this channel,
		///   cumulative units above those settled).
		/// - `signature`: the consumer's signature of the voucher.
		#[pallet::call_index(6)]
		pub fn settle(
			origin: OriginFor<T>,
			channel: ChannelId,
			voucher: Voucher<T::Hash>,
			signature: T::OffchainSignature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_settle(who, channel, voucher, signature)
		}

		/// Settle up to `MaxSettleBatch` vouchers in one call, each on its own: one that fails
		/// is reported in a `SettlementFailed` event and changes nothing; the others settle.
		/// Charged for every voucher given.
		///
		/// - `origin`: signed; the provider of every channel.
		/// - `vouchers`: `(channel, voucher, signature)` triples, at most `MaxSettleBatch`
		///   (`TooManyVouchers`; such a batch is charged as a full one).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::settle_batch(
			u32::try_from(vouchers.len()).unwrap_or(u32::MAX).min(T::MaxSettleBatch::get())
		))]
		pub fn settle_batch(
			origin: OriginFor<T>,
			vouchers: Vec<SignedVoucher<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				vouchers.len() <= T::MaxSettleBatch::get() as usize,
				Error::<T>::TooManyVouchers
			);
			Self::do_settle_batch(who, vouchers);
			Ok(())
		}

		/// Ask to close a channel. The provider may still settle for `ChallengePeriod` blocks;
		/// then anyone may finalize the close.
		///
		/// - `origin`: signed; the consumer.
		/// - `channel`: the channel.
		#[pallet::call_index(8)]
		pub fn request_close(origin: OriginFor<T>, channel: ChannelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_close(who, channel)
		}

		/// Close a channel whose challenge period is over or which has expired, releasing what
		/// is left of its deposits to the consumer.
		///
		/// - `origin`: signed; anyone.
		/// - `channel`: the channel.
		#[pallet::call_index(9)]
		pub fn finalize_close(origin: OriginFor<T>, channel: ChannelId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_finalize_close(channel)
		}

		/// Close a channel at once, as its provider: no more settlements; what is left of the
		/// deposits goes back to the consumer.
		///
		/// - `origin`: signed; the provider.
		/// - `channel`: the channel.
		#[pallet::call_index(10)]
		pub fn close_channel(origin: OriginFor<T>, channel: ChannelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_channel(who, channel)
		}
	}
}
