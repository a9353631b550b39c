//! Share records and minting.
//!
//! A share record is opened (and its deposit held) when an account first starts work that may
//! mint shares to it: a contribution, a claimed slot or a vote. Its `pending` counter tracks
//! that work, so the record cannot be closed while shares may still arrive, and minting never
//! has to charge anyone.

use crate::{pallet::*, types::*};
use frame_support::{defensive, pallet_prelude::*};
use tributary_primitives::OnSharesMinted;

impl<T: Config> Pallet<T> {
	/// Registers pending work for `who` in `dataset`, opening its share record (and holding
	/// its deposit) if it has none: shares are later minted without charging anyone.
	pub(crate) fn open_pending(
		dataset: DatasetId,
		record: &mut Dataset<T>,
		who: &T::AccountId,
	) -> DispatchResult {
		match Shareholdings::<T>::get(dataset, who) {
			Some(mut shareholding) => {
				shareholding.pending =
					shareholding.pending.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
				Shareholdings::<T>::insert(dataset, who, shareholding);
			}
			None => {
				ensure!(record.holders < T::MaxHolders::get(), Error::<T>::TooManyHolders);
				let deposit = T::ShareholdingDeposit::get();
				Self::hold(HoldReason::ShareholdingDeposit, who, deposit)?;
				record.holders = record.holders.saturating_add(1);
				Shareholdings::<T>::insert(
					dataset,
					who,
					Shareholding {
						shares: 0,
						pending: 1,
						deposit,
						day: 0,
						contributed_today: 0,
						annotated_today: 0,
					},
				);
			}
		}
		Ok(())
	}

	/// Ends one piece of pending work of `who` in `dataset` (decided, withdrawn or released).
	pub(crate) fn close_pending(dataset: DatasetId, who: &T::AccountId) {
		Shareholdings::<T>::mutate(dataset, who, |maybe| match maybe {
			Some(shareholding) if shareholding.pending > 0 => {
				shareholding.pending = shareholding.pending.saturating_sub(1)
			}
			_ => {
				defensive!("pending work without a share record");
			}
		});
	}

	/// Mints shares to a holder whose record exists (opened by `open_pending`), after telling
	/// `T::SharesHook` so the royalty distribution can settle the holder at its old shares.
	pub(crate) fn mint(
		dataset: DatasetId,
		record: &mut Dataset<T>,
		who: &T::AccountId,
		shares: Shares,
	) -> DispatchResult {
		if shares == 0 {
			return Ok(());
		}
		let mut shareholding =
			Shareholdings::<T>::get(dataset, who).ok_or(Error::<T>::NoShareholding)?;
		let total = record.total_shares.checked_add(shares).ok_or(Error::<T>::SharesOverflow)?;
		let held = shareholding.shares.checked_add(shares).ok_or(Error::<T>::SharesOverflow)?;
		T::SharesHook::before_mint(dataset, who, shareholding.shares, record.total_shares, shares);
		shareholding.shares = held;
		record.total_shares = total;
		// Who holds the shares is what a taker of an offered curatorship accepts.
		record.revise();
		Shareholdings::<T>::insert(dataset, who, shareholding);
		Self::deposit_event(Event::SharesMinted { dataset, holder: who.clone(), shares, total });
		Ok(())
	}

	/// The shares `items` accepted items mint under a dataset's terms.
	pub(crate) fn shares_for(terms: &DatasetTerms, items: u32) -> Result<Shares, DispatchError> {
		terms
			.shares_per_item
			.checked_mul(Shares::from(items))
			.ok_or_else(|| Error::<T>::SharesOverflow.into())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Mints `shares` of `dataset` to `holder` as an accepted contribution does (share record
	/// deposit held, shares hook called first), for other pallets' benchmarks.
	pub fn mint_for_benchmarks(
		dataset: DatasetId,
		holder: &T::AccountId,
		shares: Shares,
	) -> DispatchResult {
		let mut record = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		Self::open_pending(dataset, &mut record, holder)?;
		Self::close_pending(dataset, holder);
		Self::mint(dataset, &mut record, holder, shares)?;
		Datasets::<T>::insert(dataset, record);
		Ok(())
	}
}
