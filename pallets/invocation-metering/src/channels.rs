//! Payment channels: a consumer's held deposit pays a provider for metered off-chain calls,
//! settled on chain with the consumer's signed cumulative vouchers.

use crate::{pallet::*, types::*};
use frame_support::{pallet_prelude::*, storage::with_storage_layer};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, CheckedDiv, CheckedSub, Hash as _, Saturating, Zero};
use tributary_primitives::ModelInvocation;

impl<T: Config> Pallet<T> {
	/// The genesis hash every voucher must name.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// What `units` units cost on a channel, at its fixed terms.
	pub(crate) fn channel_quote(
		channel: &Channel<T>,
		units: Units,
	) -> Result<Quote<BalanceOf<T>>, DispatchError> {
		Self::cost(channel.price_per_unit, channel.fee_per_unit, units)
	}

	pub(crate) fn do_open_channel(
		consumer: T::AccountId,
		provider: T::AccountId,
		model: ModelId,
		version: Option<VersionNumber>,
		deposit: BalanceOf<T>,
		expires_at: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(!deposit.is_zero(), Error::<T>::ZeroDeposit);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			expires_at > now && expires_at <= now.saturating_add(T::MaxChannelDuration::get()),
			Error::<T>::InvalidExpiry
		);
		let terms = T::Models::invocation_terms(model, version).ok_or(Error::<T>::NotInvocable)?;
		let offer = Offers::<T>::get(model, &provider).ok_or(Error::<T>::NoOffer)?;
		Self::ensure_license_allows(&terms, offer.fee_per_unit)?;
		let id = NextChannelId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let record_deposit = T::ChannelDeposit::get();
		let held = deposit.checked_add(&record_deposit).ok_or(Error::<T>::Overflow)?;
		Self::hold(HoldReason::ChannelDeposit, &consumer, held)?;

		let nonce = Self::channel_nonce(id);
		let channel = Channel {
			consumer: consumer.clone(),
			provider: provider.clone(),
			model,
			version: terms.version,
			price_per_unit: terms.price_per_unit,
			fee_per_unit: offer.fee_per_unit,
			nonce,
			deposit,
			deposited: deposit,
			record_deposit,
			settled_units: 0,
			expires_at,
			closes_at: None,
		};
		Channels::<T>::insert(id, channel);
		NextChannelId::<T>::put(next);
		Self::deposit_event(Event::ChannelOpened {
			channel: id,
			consumer,
			provider,
			model,
			version: terms.version,
			price_per_unit: terms.price_per_unit,
			fee_per_unit: offer.fee_per_unit,
			deposit,
			expires_at,
			nonce,
		});
		Ok(())
	}

	/// A new channel's nonce: the hash of the parent block's hash, the time, the extrinsic's
	/// index and the channel's id. Within a chain the parent hash and index already differ per
	/// channel; across relaunches of a chain with the same genesis, the time does.
	pub(crate) fn channel_nonce(id: ChannelId) -> T::Hash {
		use frame_support::traits::UnixTime;
		let now = T::UnixTime::now().as_millis();
		let parent = frame_system::Pallet::<T>::parent_hash();
		let index = frame_system::Pallet::<T>::extrinsic_index();
		Self::channel_nonce_at(parent, now, index, id)
	}

	/// The nonce of channel `id` opened by the extrinsic at `index` of the block on `parent` at
	/// `now_millis`: for a client that builds blocks itself (the node's throughput benchmark).
	pub fn channel_nonce_at(
		parent: T::Hash,
		now_millis: u128,
		index: Option<u32>,
		id: ChannelId,
	) -> T::Hash {
		T::Hashing::hash_of(&(b"tributary/channel-nonce", parent, now_millis, index, id))
	}

	pub(crate) fn do_top_up(
		who: T::AccountId,
		id: ChannelId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroDeposit);
		let mut channel = Self::open_channel_record(id)?;
		ensure!(channel.consumer == who, Error::<T>::NotConsumer);
		ensure!(channel.closes_at.is_none(), Error::<T>::ChannelClosing);
		// A channel of a version found infringing settles what was used, but takes no more.
		let infringing = T::Models::invocation_terms(channel.model, Some(channel.version))
			.is_some_and(|terms| terms.infringing);
		ensure!(!infringing, Error::<T>::Infringing);
		channel.deposit = channel.deposit.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		channel.deposited = channel.deposited.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		Self::hold(HoldReason::ChannelDeposit, &who, amount)?;
		let deposit = channel.deposit;
		Channels::<T>::insert(id, channel);
		Self::deposit_event(Event::ChannelToppedUp { channel: id, amount, deposit });
		Ok(())
	}

	pub(crate) fn do_settle(
		who: T::AccountId,
		id: ChannelId,
		voucher: Voucher<T::Hash>,
		signature: T::OffchainSignature,
	) -> DispatchResult {
		let mut channel = Self::open_channel_record(id)?;
		ensure!(channel.provider == who, Error::<T>::NotProvider);
		ensure!(voucher.channel == id, Error::<T>::WrongChannel);
		ensure!(voucher.genesis_hash == Self::genesis_hash(), Error::<T>::WrongChain);
		if !voucher.is_signed_by(&signature, &channel.consumer, &channel.provider, &channel.nonce) {
			ensure!(
				!voucher.is_legacy_signed_by(&signature, &channel.consumer),
				Error::<T>::OutdatedVoucher
			);
			return Err(Error::<T>::BadSignature.into());
		}
		let units = voucher
			.cumulative_units
			.checked_sub(channel.settled_units)
			.filter(|units| *units > 0)
			.ok_or(Error::<T>::StaleVoucher)?;

		// Pay what the deposit covers: the units beyond it stay owed (the voucher can be settled
		// again after a top-up), so a consumer cannot void a voucher by signing past its deposit.
		let payable = Self::payable_units(&channel, units)?;
		let quote = Self::channel_quote(&channel, payable)?;
		let remaining =
			channel.deposit.checked_sub(&quote.total).ok_or(Error::<T>::VoucherExceedsDeposit)?;
		let settled_units =
			channel.settled_units.checked_add(payable).ok_or(Error::<T>::Overflow)?;

		// The payment leaves the hold and, in the same call, the consumer's account: it enters
		// the royalty pot exactly as a direct invocation's would.
		Self::release(HoldReason::ChannelDeposit, &channel.consumer, quote.total);
		Self::pay(
			&channel.consumer,
			channel.model,
			channel.version,
			payable,
			Some(&channel.provider),
			&quote,
		)?;

		channel.deposit = remaining;
		channel.settled_units = settled_units;
		let model = channel.model;
		let version = channel.version;
		Channels::<T>::insert(id, channel);
		Self::deposit_event(Event::ChannelSettled {
			channel: id,
			model,
			version,
			units: payable,
			cumulative_units: settled_units,
			royalty: quote.royalty,
			protocol_fee: quote.protocol_fee,
			provider_fee: quote.provider_fee,
			total: quote.total,
			remaining_deposit: remaining,
		});
		let unpaid_units = units.saturating_sub(payable);
		if unpaid_units > 0 {
			Self::deposit_event(Event::ChannelExhausted { channel: id, unpaid_units });
		}
		Ok(())
	}

	/// How many of `units` the channel's deposit pays for at its fixed terms: all of them, or
	/// as many whole units as the deposit covers; an error when it covers none.
	pub(crate) fn payable_units(
		channel: &Channel<T>,
		units: Units,
	) -> Result<Units, DispatchError> {
		let per_unit = channel
			.price_per_unit
			.checked_add(&channel.fee_per_unit)
			.ok_or(Error::<T>::Overflow)?;
		let covered: Units = match channel.deposit.checked_div(&per_unit) {
			// A free channel pays for every unit.
			None => units,
			Some(covered) => covered.try_into().unwrap_or(Units::MAX),
		};
		let payable = units.min(covered);
		ensure!(payable > 0, Error::<T>::VoucherExceedsDeposit);
		Ok(payable)
	}

	/// Settles each voucher on its own: a failing one is reported in a `SettlementFailed`
	/// event and changes nothing, the others go through.
	pub(crate) fn do_settle_batch(who: T::AccountId, vouchers: alloc::vec::Vec<SignedVoucher<T>>) {
		for (channel, voucher, signature) in vouchers {
			if let Err(error) =
				with_storage_layer(|| Self::do_settle(who.clone(), channel, voucher, signature))
			{
				Self::deposit_event(Event::SettlementFailed { channel, error });
			}
		}
	}

	pub(crate) fn do_request_close(who: T::AccountId, id: ChannelId) -> DispatchResult {
		let mut channel = Self::open_channel_record(id)?;
		ensure!(channel.consumer == who, Error::<T>::NotConsumer);
		ensure!(channel.closes_at.is_none(), Error::<T>::ChannelClosing);
		let closes_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::ChallengePeriod::get());
		channel.closes_at = Some(closes_at);
		Channels::<T>::insert(id, channel);
		Self::deposit_event(Event::ChannelCloseRequested { channel: id, closes_at });
		Ok(())
	}

	pub(crate) fn do_finalize_close(id: ChannelId) -> DispatchResult {
		let channel = Self::open_channel_record(id)?;
		let now = frame_system::Pallet::<T>::block_number();
		// Expiry, like a close request, leaves the provider the whole challenge period to
		// settle the last vouchers: a consumer cannot open a channel that expires at once, use
		// it and take the deposit back before the provider could settle.
		let closable = now >= channel.expires_at.saturating_add(T::ChallengePeriod::get())
			|| channel.closes_at.is_some_and(|closes_at| now >= closes_at);
		ensure!(closable, Error::<T>::ChannelStillOpen);
		Self::close(id, channel);
		Ok(())
	}

	pub(crate) fn do_close_channel(who: T::AccountId, id: ChannelId) -> DispatchResult {
		let channel = Self::open_channel_record(id)?;
		ensure!(channel.provider == who, Error::<T>::NotProvider);
		Self::close(id, channel);
		Ok(())
	}

	/// Removes a channel and releases what is left of its deposits to the consumer.
	fn close(id: ChannelId, channel: Channel<T>) {
		let refunded = channel.deposit.saturating_add(channel.record_deposit);
		Self::release(HoldReason::ChannelDeposit, &channel.consumer, refunded);
		Channels::<T>::remove(id);
		Self::deposit_event(Event::ChannelClosed {
			channel: id,
			settled_units: channel.settled_units,
			refunded,
		});
	}

	/// The record of an open channel; a known id without a record was finalized.
	pub(crate) fn open_channel_record(id: ChannelId) -> Result<Channel<T>, DispatchError> {
		Channels::<T>::get(id).ok_or_else(|| {
			if id < NextChannelId::<T>::get() {
				Error::<T>::ChannelFinalized.into()
			} else {
				Error::<T>::UnknownChannel.into()
			}
		})
	}
}
