//! In-memory doubles of each trait's provider, for the pallets' mock runtimes: one set, so no
//! mock hand-copies another pallet's behaviour. Accounts are `u64` and balances `u128`, as in
//! every mock runtime of the workspace. State is thread-local: call [`reset`] when a test's
//! externalities are built.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::arithmetic_side_effects)]

use alloc::vec::Vec;
use core::{cell::RefCell, marker::PhantomData};
use frame_support::traits::{fungible::Mutate, tokens::Preservation};
use sp_core::ConstU32;
use sp_runtime::{DispatchError, DispatchResult, Perbill};
use std::collections::BTreeMap;

use crate::{
	Beneficiary, DatasetId, DatasetInspect, InvocationTerms, ModelId, ModelInvocation,
	OnSharesMinted, RouteEntry, RouteProvider, RoyaltySink, SharePools, Shares, Units,
	VersionNumber,
};

/// The account type of the mock runtimes.
pub type AccountId = u64;
/// The balance type of the mock runtimes.
pub type Balance = u128;
/// A route of the mock runtimes.
pub type Route = Vec<RouteEntry<AccountId>>;

/// The longest route the doubles accept, as [`RouteProvider::MaxRouteLength`].
pub const MAX_ROUTE_LENGTH: u32 = 64;

#[derive(Clone, Default)]
struct Dataset {
	curator: AccountId,
	min_model_share: Perbill,
	holdings: BTreeMap<AccountId, Shares>,
}

#[derive(Clone)]
struct Version {
	owner: AccountId,
	price_per_unit: Balance,
	route: Route,
	commercial_use: bool,
	frozen: bool,
	infringing: bool,
}

/// One accrued payment, as [`MockRoyaltySink`] recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accrual {
	/// Who paid.
	pub payer: AccountId,
	/// The model version paid for.
	pub model: ModelId,
	/// The version.
	pub version: VersionNumber,
	/// Units paid for.
	pub units: Units,
	/// The royalty part.
	pub royalty: Balance,
	/// The credited fees.
	pub credits: Vec<(AccountId, Balance)>,
}

std::thread_local! {
	static DATASETS: RefCell<BTreeMap<DatasetId, Dataset>> = const { RefCell::new(BTreeMap::new()) };
	static VERSIONS: RefCell<BTreeMap<(ModelId, VersionNumber), Version>> =
		const { RefCell::new(BTreeMap::new()) };
	static ACCRUALS: RefCell<Vec<Accrual>> = const { RefCell::new(Vec::new()) };
}

/// Forgets every dataset, model and accrual of the current thread.
pub fn reset() {
	DATASETS.with(|d| d.borrow_mut().clear());
	VERSIONS.with(|v| v.borrow_mut().clear());
	ACCRUALS.with(|a| a.borrow_mut().clear());
}

/// Datasets with a curator, a minimum model share and share holdings, standing in for the data
/// contribution pallet.
pub struct MockDatasets;

impl MockDatasets {
	/// Adds a dataset curated by `curator` that requires `min_model_share`; returns its id
	/// (ids count up from 0).
	pub fn add(curator: AccountId, min_model_share: Perbill) -> DatasetId {
		DATASETS.with(|datasets| {
			let mut datasets = datasets.borrow_mut();
			let id = datasets.keys().next_back().map_or(0, |last| last + 1);
			datasets.insert(id, Dataset { curator, min_model_share, holdings: BTreeMap::new() });
			id
		})
	}

	/// Mints `shares` of `dataset` to `holder`, calling `Hook` first as the real pallet does.
	pub fn mint<Hook: OnSharesMinted<AccountId>>(
		dataset: DatasetId,
		holder: AccountId,
		shares: Shares,
	) {
		Hook::before_mint(
			dataset,
			&holder,
			Self::shares_of(dataset, &holder),
			Self::total_shares(dataset),
			shares,
		);
		DATASETS.with(|datasets| {
			let mut datasets = datasets.borrow_mut();
			let dataset = datasets.get_mut(&dataset).expect("a known dataset");
			*dataset.holdings.entry(holder).or_default() += shares;
		});
	}

	fn read<R>(dataset: DatasetId, f: impl FnOnce(&Dataset) -> R) -> Option<R> {
		DATASETS.with(|datasets| datasets.borrow().get(&dataset).map(f))
	}
}

impl DatasetInspect for MockDatasets {
	fn dataset_exists(dataset: DatasetId) -> bool {
		Self::read(dataset, |_| ()).is_some()
	}
	fn min_model_share(dataset: DatasetId) -> Option<Perbill> {
		Self::read(dataset, |d| d.min_model_share)
	}
}

impl SharePools<AccountId> for MockDatasets {
	fn curator(dataset: DatasetId) -> Option<AccountId> {
		Self::read(dataset, |d| d.curator)
	}
	fn total_shares(dataset: DatasetId) -> Shares {
		Self::read(dataset, |d| d.holdings.values().sum()).unwrap_or(0)
	}
	fn shares_of(dataset: DatasetId, holder: &AccountId) -> Shares {
		Self::read(dataset, |d| d.holdings.get(holder).copied()).flatten().unwrap_or(0)
	}
}

/// Model versions with an owner, a price and a route, standing in for the model registry.
pub struct MockModels;

impl MockModels {
	/// Adds `version` of `model`, owned by `owner`, priced at `price_per_unit`, whose route pays
	/// `owner` 100%.
	pub fn add(model: ModelId, version: VersionNumber, owner: AccountId, price_per_unit: Balance) {
		let route = alloc::vec![(Beneficiary::Account(owner), Perbill::one())];
		Self::add_with_route(model, version, owner, price_per_unit, route);
	}

	/// Adds `version` of `model` with the given route.
	pub fn add_with_route(
		model: ModelId,
		version: VersionNumber,
		owner: AccountId,
		price_per_unit: Balance,
		route: Route,
	) {
		VERSIONS.with(|versions| {
			versions.borrow_mut().insert(
				(model, version),
				Version {
					owner,
					price_per_unit,
					route,
					commercial_use: true,
					frozen: false,
					infringing: false,
				},
			)
		});
	}

	/// Adds `version` of `model`, owned by `owner`, licensed for non-commercial use only: its
	/// price is zero, as the registry requires.
	pub fn add_non_commercial(model: ModelId, version: VersionNumber, owner: AccountId) {
		let route = alloc::vec![(Beneficiary::Account(owner), Perbill::one())];
		VERSIONS.with(|versions| {
			versions.borrow_mut().insert(
				(model, version),
				Version {
					owner,
					price_per_unit: 0,
					route,
					commercial_use: false,
					frozen: false,
					infringing: false,
				},
			)
		});
	}

	/// Freezes or unfreezes a version's royalties, as an open dispute does.
	pub fn set_frozen(model: ModelId, version: VersionNumber, frozen: bool) {
		VERSIONS.with(|v| {
			if let Some(record) = v.borrow_mut().get_mut(&(model, version)) {
				record.frozen = frozen;
			}
		});
	}

	/// Marks a version infringing, as an upheld dispute does.
	pub fn set_infringing(model: ModelId, version: VersionNumber) {
		VERSIONS.with(|v| {
			if let Some(record) = v.borrow_mut().get_mut(&(model, version)) {
				record.infringing = true;
			}
		});
	}

	/// The number of versions known, of every model: a fresh model id for the benchmarks.
	pub fn count() -> u32 {
		VERSIONS.with(|versions| versions.borrow().len() as u32)
	}

	fn latest(model: ModelId) -> Option<VersionNumber> {
		VERSIONS.with(|versions| {
			versions.borrow().keys().filter(|(m, _)| *m == model).map(|(_, v)| *v).max()
		})
	}

	fn read<R>(model: ModelId, version: VersionNumber, f: impl FnOnce(&Version) -> R) -> Option<R> {
		VERSIONS.with(|versions| versions.borrow().get(&(model, version)).map(f))
	}
}

impl ModelInvocation<AccountId, Balance> for MockModels {
	fn invocation_terms(
		model: ModelId,
		version: Option<VersionNumber>,
	) -> Option<InvocationTerms<AccountId, Balance>> {
		let version = version.or_else(|| Self::latest(model))?;
		Self::read(model, version, |v| InvocationTerms {
			version,
			price_per_unit: v.price_per_unit,
			owner: v.owner,
			commercial_use: v.commercial_use,
			infringing: v.infringing,
		})
	}
	fn model_owner(model: ModelId) -> Option<AccountId> {
		Self::read(model, Self::latest(model)?, |v| v.owner)
	}
}

impl RouteProvider<AccountId> for MockModels {
	type MaxRouteLength = ConstU32<MAX_ROUTE_LENGTH>;

	fn route(model: ModelId, version: VersionNumber) -> Option<Route> {
		Self::read(model, version, |v| v.route.clone())
	}

	fn royalties_frozen(model: ModelId, version: VersionNumber) -> bool {
		Self::read(model, version, |v| v.frozen).unwrap_or(false)
	}
}

/// A route splitting 100% as evenly as possible among `datasets`, the first taking the rest.
pub fn even_route(datasets: &[DatasetId]) -> Route {
	let count = datasets.len() as u32;
	let each = 1_000_000_000 / count;
	let first = 1_000_000_000 - each * (count - 1);
	datasets
		.iter()
		.enumerate()
		.map(|(i, d)| {
			let part = if i == 0 { first } else { each };
			(Beneficiary::Dataset(*d), Perbill::from_parts(part))
		})
		.collect()
}

/// A royalty sink that moves each payment into the account `Pot` (through the currency
/// `Currency`, so balances are real) and records what it was told, standing in for the royalty
/// distribution.
pub struct MockRoyaltySink<Currency, Pot>(PhantomData<(Currency, Pot)>);

impl<Currency, Pot> MockRoyaltySink<Currency, Pot> {
	/// Every payment accrued so far, oldest first.
	pub fn accruals() -> Vec<Accrual> {
		ACCRUALS.with(|accruals| accruals.borrow().clone())
	}

	/// What `account` was credited in all, over every accrual.
	pub fn credited(account: AccountId) -> Balance {
		Self::accruals()
			.iter()
			.flat_map(|a| a.credits.iter())
			.filter(|(who, _)| *who == account)
			.map(|(_, amount)| amount)
			.sum()
	}

	/// The royalties accrued for `version` of `model`, in all.
	pub fn royalties(model: ModelId, version: VersionNumber) -> Balance {
		Self::accruals()
			.iter()
			.filter(|a| a.model == model && a.version == version)
			.map(|a| a.royalty)
			.sum()
	}
}

impl<Currency, Pot> RoyaltySink<AccountId, Balance> for MockRoyaltySink<Currency, Pot>
where
	Currency: Mutate<AccountId, Balance = Balance>,
	Pot: sp_core::Get<AccountId>,
{
	fn accrue(
		payer: &AccountId,
		model: ModelId,
		version: VersionNumber,
		units: Units,
		royalty: Balance,
		credits: &[(AccountId, Balance)],
	) -> DispatchResult {
		let total = credits
			.iter()
			.try_fold(royalty, |sum, (_, amount)| sum.checked_add(*amount))
			.ok_or(DispatchError::Arithmetic(sp_runtime::ArithmeticError::Overflow))?;
		// The real sink refuses a payment that would kill the payer's account; so does this.
		Currency::transfer(payer, &Pot::get(), total, Preservation::Preserve)?;
		ACCRUALS.with(|accruals| {
			accruals.borrow_mut().push(Accrual {
				payer: *payer,
				model,
				version,
				units,
				royalty,
				credits: credits.to_vec(),
			})
		});
		Ok(())
	}
}
