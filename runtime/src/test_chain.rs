//! Helpers the runtime's chain-level tests share (`economy_tests`, `upgrade_tests`): the
//! development genesis, dev accounts, datasets with accepted contributions, model versions
//! whose licenses meet their lineage, invocations, voucher bindings, and every invariant.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use crate::{
	tests::preset_ext, AccountId, Balance, Balances, DataContribution, InvocationMetering,
	ModelRegistry, RoyaltyDistribution, Runtime, RuntimeOrigin, EXISTENTIAL_DEPOSIT, UNIT,
};
use frame_support::{assert_ok, traits::fungible::Inspect};
use pallet_data_contribution::{ContentHash, DatasetTerms};
use pallet_model_registry::{
	Derivatives, License, LineageSpec, Modality, ModelId, ModelVersionRef, VersionSpec,
};
use sp_keyring::Sr25519Keyring as Keyring;
use sp_runtime::{MultiAddress, Perbill};

pub(crate) const MILLI: Balance = UNIT / 1_000;

pub(crate) fn id(who: Keyring) -> AccountId {
	who.to_account_id()
}

/// Alice, Bob, Charlie, Dave, Eve and Ferdie, the funded dev accounts.
pub(crate) fn dev_accounts() -> (AccountId, AccountId, AccountId, AccountId, AccountId, AccountId) {
	use Keyring::*;
	(id(Alice), id(Bob), id(Charlie), id(Dave), id(Eve), id(Ferdie))
}

pub(crate) fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

pub(crate) fn pct(percent: u32) -> Perbill {
	Perbill::from_percent(percent)
}

pub(crate) fn free(who: &AccountId) -> Balance {
	Balances::balance(who)
}

pub(crate) fn dataset(curator: &AccountId, min_model_share: Perbill, shares_per_item: u128) -> u32 {
	let id = pallet_data_contribution::NextDatasetId::<Runtime>::get();
	assert_ok!(DataContribution::create_dataset(
		signed(curator),
		b"dataset".to_vec(),
		ContentHash::repeat_byte(1),
		b"text/jsonl".to_vec(),
		b"CC-BY-4.0".to_vec(),
		DatasetTerms { min_model_share, shares_per_item, contribution_quorum: 1 },
	));
	id
}

/// `contributor` adds `items` items to the dataset and its curator accepts them.
pub(crate) fn contribute(dataset: u32, contributor: &AccountId, items: u32) {
	let curator = pallet_data_contribution::Datasets::<Runtime>::get(dataset).unwrap().curator;
	let contribution = pallet_data_contribution::NextContributionId::<Runtime>::get();
	assert_ok!(DataContribution::submit_contribution(
		signed(contributor),
		dataset,
		ContentHash::repeat_byte(2),
		items
	));
	assert_ok!(DataContribution::decide_contribution(signed(&curator), contribution, true));
}

/// What a version with this lineage must at least demand of its own derivatives: its
/// datasets' minimums plus its parents' (their first versions).
fn upstream_demand(datasets: &[(u32, Perbill)], parents: &[(ModelId, Perbill)]) -> Perbill {
	use sp_runtime::Saturating;
	let datasets = datasets.iter().map(|(d, _)| {
		pallet_data_contribution::Datasets::<Runtime>::get(d).unwrap().terms.min_model_share
	});
	let parents = parents.iter().map(|(model, _)| {
		match pallet_model_registry::Versions::<Runtime>::get(model, 1).unwrap().license.derivatives
		{
			Derivatives::Allowed { min_upstream_share, .. } => min_upstream_share,
			Derivatives::Forbidden => Perbill::zero(),
		}
	});
	datasets.chain(parents).fold(Perbill::zero(), |sum, share| sum.saturating_add(share))
}

pub(crate) fn spec(
	owner_share: Perbill,
	datasets: &[(u32, Perbill)],
	parents: &[(ModelId, Perbill)],
	price_per_unit: Balance,
) -> VersionSpec<Runtime> {
	VersionSpec {
		label: b"1.0".to_vec(),
		artifact_hash: ContentHash::repeat_byte(3),
		price_per_unit,
		license: License {
			commercial_use: true,
			derivatives: Derivatives::share(pct(20).max(upstream_demand(datasets, parents))),
		},
		owner_share,
		lineage: LineageSpec {
			datasets: datasets.to_vec(),
			parents: parents
				.iter()
				.map(|(model, share)| (ModelVersionRef { model: *model, version: 1 }, *share))
				.collect(),
		},
	}
}

pub(crate) fn register(owner: &AccountId, spec: VersionSpec<Runtime>) -> ModelId {
	let model = pallet_model_registry::NextModelId::<Runtime>::get();
	assert_ok!(ModelRegistry::register(signed(owner), b"model".to_vec(), Modality::Text, spec));
	model
}

pub(crate) fn invoke(payer: &AccountId, model: ModelId, units: u64, provider: Option<&AccountId>) {
	assert_ok!(InvocationMetering::invoke(
		signed(payer),
		model,
		None,
		units,
		provider.map(|p| MultiAddress::Id(p.clone())),
		Balance::MAX
	));
}

/// Every pallet's invariants, and the pot holding exactly its existential deposit plus what
/// it owes.
/// What a voucher on `channel` binds besides itself: the channel's provider and nonce.
pub(crate) fn channel_binding(channel: u64) -> tributary_vouchers::ChannelBinding {
	let record = pallet_invocation_metering::Channels::<Runtime>::get(channel).unwrap();
	tributary_vouchers::ChannelBinding { provider: record.provider, nonce: record.nonce }
}

pub(crate) fn check_invariants() {
	DataContribution::do_try_state().expect("data-contribution invariants");
	ModelRegistry::do_try_state().expect("model-registry invariants");
	RoyaltyDistribution::do_try_state().expect("royalty-distribution invariants");
	InvocationMetering::do_try_state().expect("invocation-metering invariants");
	assert_eq!(
		free(&RoyaltyDistribution::pot()),
		EXISTENTIAL_DEPOSIT + RoyaltyDistribution::obligations(),
		"the pot holds exactly what it owes"
	);
}

/// Claims everything `who` is owed (credits and the given pools) and returns what it received.
pub(crate) fn claim_all(who: &AccountId, pools: &[u32]) -> Balance {
	let before = free(who);
	let _ = RoyaltyDistribution::claim(signed(who));
	let _ = RoyaltyDistribution::claim_pools(signed(who), pools.to_vec());
	free(who) - before
}

pub(crate) fn development() -> sp_io::TestExternalities {
	let mut ext = preset_ext(crate::genesis_config_presets::DEVELOPMENT_PRESET);
	ext.execute_with(|| frame_system::Pallet::<Runtime>::set_block_number(1));
	ext
}

pub(crate) struct Lineage3 {
	pub d0: u32,
	pub d1: u32,
	pub base: ModelId,
	pub tune: ModelId,
	pub composition: ModelId,
}

/// Two datasets with several contributors; Alice's base model on both; Ferdie's fine-tune of
/// it; Charlie's composition of the fine-tune and the base; Dave serves the composition.
pub(crate) fn three_levels() -> Lineage3 {
	let (alice, bob, charlie, dave, eve, ferdie) = dev_accounts();
	let d0 = dataset(&alice, pct(10), 10);
	contribute(d0, &bob, 3); // 30 shares
	contribute(d0, &charlie, 1); // 10 shares
	let d1 = dataset(&ferdie, pct(5), 1);
	contribute(d1, &dave, 1); // 1 share
	contribute(d1, &eve, 3); // 3 shares

	let base = register(&alice, spec(pct(70), &[(d0, pct(20)), (d1, pct(10))], &[], UNIT));
	let tune = register(&ferdie, spec(pct(50), &[], &[(base, pct(50))], 2 * UNIT));
	let composition =
		register(&charlie, spec(pct(40), &[], &[(tune, pct(40)), (base, pct(20))], 5 * UNIT));
	assert_ok!(InvocationMetering::register_offer(
		signed(&dave),
		composition,
		100 * MILLI,
		b"https://dave.example/v1".to_vec()
	));
	Lineage3 { d0, d1, base, tune, composition }
}
