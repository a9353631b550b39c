//! The distribution queue, and the activation of shares minted while older revenue waited in
//! it.

use crate::{pallet::*, types::*, weights::WeightInfo};
use frame_support::{defensive, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Queues a version whose revenue starts to accrue; returns its place.
	pub(crate) fn enqueue(model: ModelId, version: VersionNumber) -> QueueSeq {
		let mut bounds = Queue::<T>::get();
		let place = bounds.tail;
		bounds.tail = bounds.tail.saturating_add(1);
		Queue::<T>::put(bounds);
		let since = frame_system::Pallet::<T>::block_number();
		RevenueQueue::<T>::insert(place, QueuedRevenue { model, version, since });
		place
	}

	/// Takes a distributed revenue out of the queue; the head moves on when it was the oldest
	/// (holes left by versions distributed out of order are skipped by `on_idle`).
	pub(crate) fn dequeue(place: QueueSeq) {
		RevenueQueue::<T>::remove(place);
		Queue::<T>::mutate(|bounds| {
			if bounds.head == place {
				bounds.head = bounds.head.saturating_add(1);
			}
		});
	}

	/// Activates the pool's inactive shares once the queue's head has passed every revenue
	/// queued before them, recording the pool's reward per share for their holders.
	pub(crate) fn activate_if_due(
		dataset: DatasetId,
		pool: &mut Pool<BalanceOf<T>>,
		head: QueueSeq,
	) {
		if pool.inactive == 0 || head < pool.activates_at {
			return;
		}
		Activations::<T>::insert(
			dataset,
			pool.cohort,
			Activation { reward_per_share: pool.reward_per_share, holders: pool.cohort_holders },
		);
		Self::deposit_event(Event::SharesActivated {
			dataset,
			cohort: pool.cohort,
			shares: pool.inactive,
		});
		pool.inactive = 0;
		pool.cohort = pool.cohort.saturating_add(1);
		pool.cohort_holders = 0;
	}

	/// One holder of an activated cohort was settled with its record: the last one removes it.
	pub(crate) fn release_activation(dataset: DatasetId, cohort: u32) {
		Activations::<T>::mutate_exists(dataset, cohort, |maybe| {
			let Some(activation) = maybe else {
				defensive!("an activated cohort lost its record");
				return;
			};
			activation.holders = activation.holders.saturating_sub(1);
			if activation.holders == 0 {
				*maybe = None;
			}
		});
	}

	/// Distributes the queue's oldest versions that waited `AutoDistributeAfter`, within
	/// `limit`; returns the weight used. Each distribution is charged for the longest route
	/// before it starts, and for its actual route after.
	pub(crate) fn distribute_queue(now: BlockNumberFor<T>, limit: Weight) -> Weight {
		let db = T::DbWeight::get();
		let worst = T::WeightInfo::distribute(MaxRouteLengthOf::<T>::get())
			.saturating_add(db.reads_writes(2, 2));
		let mut used = db.reads_writes(1, 1);
		if used.any_gt(limit) {
			return Weight::zero();
		}
		let wait = T::AutoDistributeAfter::get();
		let mut bounds = Queue::<T>::get();
		while bounds.head < bounds.tail && !used.saturating_add(db.reads(1)).any_gt(limit) {
			let place = bounds.head;
			used.saturating_accrue(db.reads(1));
			let Some(entry) = RevenueQueue::<T>::get(place) else {
				// A version distributed out of order left this place empty.
				bounds.head = place.saturating_add(1);
				continue;
			};
			if now < entry.since.saturating_add(wait) || used.saturating_add(worst).any_gt(limit) {
				break;
			}
			Queue::<T>::put(&bounds);
			match Self::do_distribute(entry.model, entry.version) {
				Ok(route_length) => used.saturating_accrue(
					T::WeightInfo::distribute(route_length).saturating_add(db.reads_writes(2, 1)),
				),
				Err(error) => {
					// Queued revenue always has a route and an amount; never let it block the
					// queue.
					defensive!("queued revenue could not be distributed", error);
					Undistributed::<T>::mutate(entry.model, entry.version, |maybe| {
						if let Some(revenue) = maybe {
							revenue.queued = None;
						}
					});
					used.saturating_accrue(worst);
				}
			}
			if RevenueQueue::<T>::contains_key(place) {
				// The version's revenue named another place: this one must not hold the head.
				defensive!("a queue place outlived its distribution");
				Self::dequeue(place);
			}
			bounds = Queue::<T>::get();
		}
		Queue::<T>::put(bounds);
		used
	}
}
