//! Setups shared by the benchmarks: funded accounts, datasets with their reviewer pools, drawn
//! seats and tasks at their largest, each built with distinct accounts per item and seat.

use super::*;

pub(super) fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	// A large but safe balance: bounties of the largest task fit many times over.
	let amount = BalanceOf::<T>::max_value() / 1_000_000u32.into();
	T::Currency::set_balance(&who, amount);
	who
}

pub(super) fn max_bytes<S: Get<u32>>() -> Vec<u8> {
	vec![b'x'; S::get() as usize]
}

pub(super) fn unit<T: Config>() -> BalanceOf<T> {
	1_000_000u32.into()
}

/// A dataset whose contribution quorum is the largest allowed, curated by a funded account.
pub(super) fn dataset<T: Config>() -> (DatasetId, T::AccountId) {
	let curator = funded::<T>("curator", 0);
	let id = NextDatasetId::<T>::get();
	Pallet::<T>::create_dataset(
		RawOrigin::Signed(curator.clone()).into(),
		max_bytes::<T::MaxNameLength>(),
		ContentHash::repeat_byte(1),
		max_bytes::<T::MaxSchemaLength>(),
		max_bytes::<T::MaxLicenseLength>(),
		DatasetTerms {
			min_model_share: Perbill::from_percent(10),
			shares_per_item: 1_000,
			contribution_quorum: T::MaxQuorum::get(),
		},
	)
	.unwrap();
	(id, curator)
}

pub(super) fn reviewer<T: Config>(index: u32) -> T::AccountId {
	let who = funded::<T>("reviewer", index);
	Pallet::<T>::register_reviewer(
		RawOrigin::Signed(who.clone()).into(),
		T::MinReviewerBond::get(),
	)
	.unwrap();
	who
}

/// The dataset's curator admits `who` to `role`.
pub(super) fn admit<T: Config>(dataset: DatasetId, who: &T::AccountId, role: Role) {
	let curator = Datasets::<T>::get(dataset).unwrap().curator;
	Pallet::<T>::admit_member(
		RawOrigin::Signed(curator).into(),
		dataset,
		T::Lookup::unlookup(who.clone()),
		role,
	)
	.unwrap();
}

/// A bonded reviewer the dataset's curator admitted.
pub(super) fn dataset_reviewer<T: Config>(dataset: DatasetId, index: u32) -> T::AccountId {
	let who: T::AccountId = account("reviewer", index, 0);
	if !Reviewers::<T>::contains_key(&who) {
		reviewer::<T>(index);
	}
	if !Members::<T>::get(dataset, &who).is_some_and(|roles| roles.has(Role::Reviewer)) {
		admit::<T>(dataset, &who, Role::Reviewer);
	}
	who
}

/// The pool of admitted reviewers ballots draw from: every member a dataset may admit but
/// its requester, so reviewers are as distinct across items as they can be, and the draw
/// hashes (more reviewers than a panel opens places for).
pub(super) fn pool_size<T: Config>() -> u32 {
	T::MaxMembers::get().saturating_sub(1)
}

/// Admits the dataset's pool of bonded reviewers.
pub(super) fn reviewer_pool<T: Config>(dataset: DatasetId) {
	for i in 0..pool_size::<T>() {
		dataset_reviewer::<T>(dataset, i);
	}
}

/// Gives the block `opened_at` a hash, so the draw is checked in full, and moves to the next
/// block, where seats open.
pub(super) fn open_seats<T: Config>(opened_at: BlockNumberFor<T>) {
	frame_system::BlockHash::<T>::insert(opened_at, T::Hashing::hash(b"draw seed"));
	frame_system::Pallet::<T>::set_block_number(opened_at.saturating_add(1u32.into()));
}

/// The pool's reviewers the draw picks for `work` now, other than `excluded`; widens the draw
/// (moves time on) until there are `wanted`.
pub(super) fn drawn<T: Config>(
	work: &Work,
	dataset: DatasetId,
	opened_at: BlockNumberFor<T>,
	panel: u32,
	wanted: u32,
	excluded: &[T::AccountId],
) -> Vec<T::AccountId> {
	let pool = Datasets::<T>::get(dataset).unwrap().reviewers;
	loop {
		let picked: Vec<T::AccountId> = (0..pool_size::<T>())
			.map(|i| account::<T::AccountId>("reviewer", i, 0))
			.filter(|who| !excluded.contains(who))
			.filter(|who| Pallet::<T>::ensure_drawn(work, who, opened_at, pool, panel).is_ok())
			.take(wanted as usize)
			.collect();
		if picked.len() >= wanted as usize {
			return picked;
		}
		let later =
			frame_system::Pallet::<T>::block_number().saturating_add(T::DrawWidening::get());
		frame_system::Pallet::<T>::set_block_number(later);
	}
}

pub(super) fn salt_of(index: usize) -> Salt {
	[index as u8; 32]
}

/// Seats `seats` drawn reviewers on `work` (the `i`-th votes `approve(i)`) and reveals the
/// first `reveals`; returns the seated reviewers.
pub(super) fn seat<T: Config>(
	work: Work,
	dataset: DatasetId,
	opened_at: BlockNumberFor<T>,
	panel: u32,
	seats: u32,
	reveals: u32,
	approve: impl Fn(usize) -> bool,
	excluded: &[T::AccountId],
) -> Vec<T::AccountId> {
	let reviewers = drawn::<T>(&work, dataset, opened_at, panel, seats, excluded);
	for (i, who) in reviewers.iter().enumerate() {
		let commitment = vote_commitment(&work, who, approve(i), &salt_of(i));
		Pallet::<T>::commit_vote(RawOrigin::Signed(who.clone()).into(), work, commitment).unwrap();
	}
	for (i, who) in reviewers.iter().enumerate().take(reveals as usize) {
		Pallet::<T>::reveal_vote(
			RawOrigin::Signed(who.clone()).into(),
			work,
			approve(i),
			salt_of(i),
		)
		.unwrap();
	}
	reviewers
}

/// A pending contribution of the largest size whose full panel committed and all but one
/// revealed (approvals first): the fullest ballot that has not concluded.
pub(super) fn contribution_with_full_ballot<T: Config>(
	dataset: DatasetId,
) -> (ContributionId, T::AccountId) {
	reviewer_pool::<T>(dataset);
	let contributor = funded::<T>("contributor", 0);
	let id = NextContributionId::<T>::get();
	let opened_at = frame_system::Pallet::<T>::block_number();
	Pallet::<T>::submit_contribution(
		RawOrigin::Signed(contributor.clone()).into(),
		dataset,
		ContentHash::repeat_byte(2),
		T::MaxItemsPerContribution::get(),
	)
	.unwrap();
	open_seats::<T>(opened_at);
	let panel = T::MaxQuorum::get();
	seat::<T>(Work::Contribution(id), dataset, opened_at, panel, panel, panel - 1, |_| true, &[]);
	(id, contributor)
}

/// A task with `items` items, the largest panel and real amounts, opened by an admitted
/// requester, with an optional gold commitment.
pub(super) fn task_with_gold<T: Config>(
	dataset: DatasetId,
	items: u32,
	gold: Option<VoteCommitment>,
) -> (TaskId, T::AccountId) {
	let requester = funded::<T>("requester", 0);
	admit::<T>(dataset, &requester, Role::Requester);
	let id = NextTaskId::<T>::get();
	let deadline =
		frame_system::Pallet::<T>::block_number().saturating_add(T::MaxTaskDuration::get());
	Pallet::<T>::open_task(
		RawOrigin::Signed(requester.clone()).into(),
		dataset,
		items,
		unit::<T>(),
		unit::<T>(),
		T::MaxQuorum::get(),
		deadline,
		gold,
	)
	.unwrap();
	(id, requester)
}

pub(super) fn task<T: Config>(dataset: DatasetId, items: u32) -> (TaskId, T::AccountId) {
	task_with_gold::<T>(dataset, items, None)
}

/// `annotator` claims and submits `item` with `result`; returns the block it was submitted in.
pub(super) fn deliver<T: Config>(
	task: TaskId,
	item: ItemIndex,
	annotator: &T::AccountId,
	result: ContentHash,
) -> BlockNumberFor<T> {
	Pallet::<T>::claim_slot(RawOrigin::Signed(annotator.clone()).into(), task, item).unwrap();
	let submitted_at = frame_system::Pallet::<T>::block_number();
	Pallet::<T>::submit_result(RawOrigin::Signed(annotator.clone()).into(), task, item, result)
		.unwrap();
	submitted_at
}

/// How many distinct annotators a dataset can hold records for beside its reviewer pool and
/// requester (every one in the runtime; a test runtime's `MaxHolders` may be small).
pub(super) fn annotators<T: Config>() -> u32 {
	T::MaxHolders::get().saturating_sub(pool_size::<T>()).saturating_sub(2).max(1)
}

/// A distinct annotator per item, as far as `MaxHolders` allows.
pub(super) fn annotator<T: Config>(item: ItemIndex) -> T::AccountId {
	funded::<T>("annotator", item % annotators::<T>())
}

/// Item `item` delivered by its own annotator and seated by a full panel, `reveals` of which
/// revealed (`approve(i)` for the `i`-th seat).
pub(super) fn seated_item<T: Config>(
	task: TaskId,
	item: ItemIndex,
	result: ContentHash,
	reveals: u32,
	approve: impl Fn(usize) -> bool,
) -> Vec<T::AccountId> {
	seated_item_by::<T>(task, item, annotator::<T>(item), result, reveals, approve)
}

/// As `seated_item`, delivered by `who`.
pub(super) fn seated_item_by<T: Config>(
	task: TaskId,
	item: ItemIndex,
	who: T::AccountId,
	result: ContentHash,
	reveals: u32,
	approve: impl Fn(usize) -> bool,
) -> Vec<T::AccountId> {
	let stored = Tasks::<T>::get(task).unwrap();
	let opened_at = deliver::<T>(task, item, &who, result);
	open_seats::<T>(opened_at);
	let panel = stored.reviewers_per_item;
	seat::<T>(
		Work::Item { task, item },
		stored.dataset,
		opened_at,
		panel,
		panel,
		reveals,
		approve,
		&[who, stored.requester],
	)
}
