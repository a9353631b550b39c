//! `try-runtime` checks of a runtime upgrade on a chain that has lived: datasets with accepted
//! and pending contributions, an open task with work under review, admitted members and a
//! bonded reviewer, a three-level lineage with revenue both distributed and waiting, credits
//! partly claimed, and an open payment channel with a settled voucher. The upgrade runs every
//! pallet's `pre_upgrade`/`post_upgrade` (which include the storage-version check) and then
//! every `try_state`.
//!
//! Built only with the `try-runtime` feature (`scripts/test.sh` runs it in its own target
//! directory, so the node's build never carries the feature).

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use crate::{
	test_chain::{
		contribute, dataset, dev_accounts, development, id, invoke, pct, signed, three_levels,
		Lineage3,
	},
	AllPalletsWithSystem, DataContribution, Executive, InvocationMetering, RoyaltyDistribution,
	Runtime, UNIT,
};
use frame_support::{
	assert_ok,
	traits::{GetStorageVersion, StorageVersion, TryState, TryStateSelect},
};
use frame_try_runtime::UpgradeCheckSelect;
use pallet_data_contribution::{ContentHash, Role};
use sp_keyring::Sr25519Keyring as Keyring;
use sp_runtime::MultiAddress;

/// Builds the state described in the module docs.
fn lived_in_chain() -> sp_io::TestExternalities {
	let mut ext = development();
	ext.execute_with(|| {
		let Lineage3 { d0, d1, base, tune, composition } = three_levels();
		let (alice, bob, charlie, dave, eve, ferdie) = dev_accounts();
		// Revenue on all three models; the composition's distributed, the others waiting.
		invoke(&id(Keyring::BobStash), composition, 10, Some(&dave));
		invoke(&id(Keyring::FerdieStash), tune, 3, None);
		invoke(&id(Keyring::EveStash), base, 7, None);
		assert_ok!(RoyaltyDistribution::distribute(signed(&eve), composition, 1));
		assert_ok!(RoyaltyDistribution::claim(signed(&alice)));
		assert_ok!(RoyaltyDistribution::claim_pool(signed(&bob), d0));

		// Governance, a pending contribution, and a task with one item claimed and one under
		// review.
		assert_ok!(DataContribution::admit_member(
			signed(&alice),
			d0,
			MultiAddress::Id(charlie.clone()),
			Role::Reviewer
		));
		assert_ok!(DataContribution::register_reviewer(signed(&charlie), 100 * UNIT));
		let pending = dataset(&ferdie, pct(5), 2);
		contribute(pending, &eve, 2);
		assert_ok!(DataContribution::submit_contribution(
			signed(&bob),
			d1,
			ContentHash::repeat_byte(9),
			2
		));
		let task = pallet_data_contribution::NextTaskId::<Runtime>::get();
		assert_ok!(DataContribution::open_task(
			signed(&alice),
			d0,
			2,
			UNIT,
			UNIT / 10,
			1,
			100,
			None
		));
		assert_ok!(DataContribution::claim_slot(signed(&bob), task, 0));
		assert_ok!(DataContribution::claim_slot(signed(&eve), task, 1));
		assert_ok!(DataContribution::submit_result(
			signed(&bob),
			task,
			0,
			ContentHash::repeat_byte(4)
		));

		// A payment channel with a settled voucher, left open.
		let consumer = tributary_vouchers::VoucherSigner::from_suri(
			tributary_vouchers::Scheme::Sr25519,
			"//Alice",
		)
		.unwrap();
		let channel = pallet_invocation_metering::NextChannelId::<Runtime>::get();
		assert_ok!(InvocationMetering::open_channel(
			signed(&alice),
			MultiAddress::Id(dave.clone()),
			composition,
			None,
			1_000 * UNIT,
			1_000
		));
		let voucher = tributary_vouchers::voucher(InvocationMetering::genesis_hash(), channel, 40);
		assert_ok!(InvocationMetering::settle(
			signed(&dave),
			channel,
			voucher,
			consumer.sign(&voucher, &crate::test_chain::channel_binding(channel))
		));
		crate::test_chain::check_invariants();
	});
	ext
}

#[test]
fn the_upgrade_passes_every_check_on_a_lived_in_chain() {
	lived_in_chain().execute_with(|| {
		let weight = Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.expect("pre/post-upgrade checks and try_state");
		assert!(weight.ref_time() > 0, "the upgrade hooks report their weight");
		let now = frame_system::Pallet::<Runtime>::block_number();
		assert_ok!(AllPalletsWithSystem::try_state(now, TryStateSelect::All));
	});
}

/// The checks can fail: a pallet whose stored layout version differs from the code's (a
/// forgotten migration) fails the upgrade, and a corrupted holding fails `try_state`.
#[test]
fn the_checks_catch_a_missing_migration_and_corrupted_state() {
	lived_in_chain().execute_with(|| {
		StorageVersion::new(7).put::<crate::ModelRegistry>();
		assert_ne!(
			crate::ModelRegistry::on_chain_storage_version(),
			crate::ModelRegistry::in_code_storage_version()
		);
		assert!(Executive::try_runtime_upgrade(UpgradeCheckSelect::PreAndPost).is_err());
	});
	lived_in_chain().execute_with(|| {
		// A unit of credit the pot does not hold.
		pallet_royalty_distribution::Credits::<Runtime>::mutate(id(Keyring::Ferdie), |credit| {
			*credit = Some(credit.unwrap_or_default() + UNIT)
		});
		assert!(Executive::try_runtime_upgrade(UpgradeCheckSelect::TryState).is_err());
	});
}
