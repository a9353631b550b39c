//! The distribution queue, and the activation of shares minted while older revenue waited in
//! it.

use crate::{pallet::*, types::*, weights::WeightInfo};
use frame_support::{defensive, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;
use tributary_primitives::RouteProvider;

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

	/// Takes a version's revenue out of the queue without distributing it: it waits, unqueued,
	/// for a manual `distribute` or the version's next payment. The caller moves the head.
	fn leave_queue(place: QueueSeq, entry: &QueuedRevenue<BlockNumberFor<T>>) {
		RevenueQueue::<T>::remove(place);
		Undistributed::<T>::mutate(entry.model, entry.version, |maybe| {
			if let Some(revenue) = maybe {
				revenue.queued = None;
			}
		});
	}

	/// Activates the pool's pending cohorts, oldest first, whose revenue queued before them
	/// has all been distributed (the queue's head reached their point), recording the pool's
	/// reward per share for their holders.
	pub(crate) fn activate_if_due(
		dataset: DatasetId,
		pool: &mut Pool<BalanceOf<T>>,
		head: QueueSeq,
	) {
		while pool.activated < pool.next_cohort {
			let cohort = pool.activated;
			let Some(pending) = PendingCohorts::<T>::get(dataset, cohort) else {
				defensive!("a pending cohort lost its record");
				pool.activated = pool.activated.saturating_add(1);
				continue;
			};
			if head < pending.activates_at {
				// Later cohorts wait for later places.
				return;
			}
			PendingCohorts::<T>::remove(dataset, cohort);
			if pending.holders > 0 {
				Activations::<T>::insert(
					dataset,
					cohort,
					Activation {
						reward_per_share: pool.reward_per_share,
						holders: pending.holders,
					},
				);
			}
			Self::deposit_event(Event::SharesActivated { dataset, cohort, shares: pending.shares });
			pool.inactive = pool.inactive.saturating_sub(pending.shares);
			pool.activated = pool.activated.saturating_add(1);
		}
	}

	/// Places `minted` new shares of a holder in the pool's pending cohort for revenue queued
	/// up to `tail`: the newest one if it waits for the same place (or the pool keeps as many
	/// cohorts as it may), a new one otherwise. The holder's shares still pending in an older
	/// cohort move with them: a holder's own mints only delay its own shares.
	pub(crate) fn join_cohort(
		dataset: DatasetId,
		pool: &mut Pool<BalanceOf<T>>,
		settlement: &mut Settlement,
		minted: Shares,
		tail: QueueSeq,
	) {
		let newest = pool.next_cohort.checked_sub(1).filter(|newest| *newest >= pool.activated);
		let pending = pool.next_cohort.saturating_sub(pool.activated);
		let cohort = match newest {
			Some(newest)
				if pending >= T::MaxPendingCohorts::get()
					|| PendingCohorts::<T>::get(dataset, newest)
						.is_some_and(|c| c.activates_at == tail) =>
			{
				newest
			}
			_ => {
				let id = pool.next_cohort;
				pool.next_cohort = pool.next_cohort.saturating_add(1);
				id
			}
		};
		let mut moved = minted;
		if settlement.inactive > 0 && settlement.cohort != cohort {
			// Still pending (settling converted it otherwise), in an older cohort.
			PendingCohorts::<T>::mutate(dataset, settlement.cohort, |maybe| {
				if let Some(older) = maybe {
					older.shares = older.shares.saturating_sub(settlement.inactive);
					older.holders = older.holders.saturating_sub(1);
				}
			});
			moved = moved.saturating_add(settlement.inactive);
		}
		let joins = settlement.inactive == 0 || settlement.cohort != cohort;
		PendingCohorts::<T>::mutate(dataset, cohort, |maybe| {
			let target = maybe.get_or_insert_with(Default::default);
			target.activates_at = target.activates_at.max(tail);
			target.shares = target.shares.saturating_add(moved);
			if joins {
				target.holders = target.holders.saturating_add(1);
			}
		});
		settlement.cohort = cohort;
		settlement.inactive = settlement.inactive.saturating_add(minted);
		pool.inactive = pool.inactive.saturating_add(minted);
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
	///
	/// A version frozen by a dispute leaves the queue instead (its revenue waits, unqueued, to
	/// be distributed by hand after the ruling or with its next payment): one dispute must not
	/// hold back the activation of every share minted after it on the chain. Shares minted
	/// while it is out of the queue may share its revenue when it is distributed; that is the
	/// lesser harm, and it needs shares accepted into the datasets the version pays.
	pub(crate) fn distribute_queue(now: BlockNumberFor<T>, limit: Weight) -> Weight {
		let db = T::DbWeight::get();
		let worst = T::WeightInfo::distribute(MaxRouteLengthOf::<T>::get())
			.saturating_add(db.reads_writes(3, 3));
		let mut used = db.reads_writes(1, 1);
		if used.any_gt(limit) {
			return Weight::zero();
		}
		let wait = T::AutoDistributeAfter::get();
		let mut bounds = Queue::<T>::get();
		while bounds.head < bounds.tail && !used.saturating_add(worst).any_gt(limit) {
			let place = bounds.head;
			used.saturating_accrue(db.reads(1));
			let Some(entry) = RevenueQueue::<T>::get(place) else {
				// A version distributed out of order left this place empty.
				bounds.head = place.saturating_add(1);
				continue;
			};
			if now < entry.since.saturating_add(wait) {
				break;
			}
			used.saturating_accrue(db.reads(1));
			if T::Routes::royalties_frozen(entry.model, entry.version) {
				Self::leave_queue(place, &entry);
				bounds.head = place.saturating_add(1);
				used.saturating_accrue(db.reads_writes(1, 2));
				continue;
			}
			Queue::<T>::put(&bounds);
			match Self::do_distribute(entry.model, entry.version) {
				Ok(route_length) => used.saturating_accrue(
					T::WeightInfo::distribute(route_length).saturating_add(db.reads_writes(3, 1)),
				),
				Err(error) => {
					// Queued revenue always has a route and an amount; never let it block the
					// queue.
					defensive!("queued revenue could not be distributed", error);
					Self::leave_queue(place, &entry);
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
