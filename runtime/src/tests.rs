//! Runtime-level checks: genesis presets build, metadata lists the pallets, limits are sane.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::{
	configs::{RuntimeBlockLength, RuntimeBlockWeights},
	genesis_config_presets::{self, DEVELOPMENT_PRESET, ENDOWMENT, LOCAL_TESTNET_PRESET},
	Balance, Balances, Grandpa, Runtime, RuntimeGenesisConfig, System, EXISTENTIAL_DEPOSIT,
};
use frame_support::{dispatch::DispatchClass, traits::Get};
use pallet_balances::WeightInfo as _;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;
use sp_runtime::BuildStorage;

/// Builds the externalities of a named preset exactly as a node would from its chain spec.
pub(crate) fn preset_ext(name: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&PresetId::from(name)).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	let patch: serde_json::Value = serde_json::from_slice(&patch).unwrap();
	json_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
	config.build_storage().unwrap().into()
}

fn json_merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				json_merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

#[test]
fn preset_names_are_development_and_local_testnet() {
	let names: Vec<String> = genesis_config_presets::preset_names()
		.into_iter()
		.map(|id| {
			let name: &str = id.as_ref();
			name.to_string()
		})
		.collect();
	assert_eq!(names, vec!["development".to_string(), "local_testnet".to_string()]);
	assert!(genesis_config_presets::get_preset(&PresetId::from("no-such-preset")).is_none());
}

#[test]
fn development_preset_has_alice_as_sole_authority_and_sudo() {
	preset_ext(DEVELOPMENT_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(
			pallet_aura::Authorities::<Runtime>::get()[0],
			Sr25519Keyring::Alice.public().into()
		);
		assert_eq!(Grandpa::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));
		assert_eq!(Balances::free_balance(&alice), ENDOWMENT);
		// Twelve well-known accounts, each endowed once, and the existential deposits of the
		// royalty pot, of the treasury (which pallet-treasury's genesis creates) and of the
		// contracts pallet's account (pallet-revive's): issuance is exact.
		let pot = crate::RoyaltyDistribution::pot();
		assert_eq!(Balances::free_balance(&pot), EXISTENTIAL_DEPOSIT);
		let treasury = crate::configs::TreasuryAccount::get();
		assert_eq!(Balances::free_balance(&treasury), EXISTENTIAL_DEPOSIT);
		let contracts = pallet_revive::Pallet::<Runtime>::account_id();
		assert_eq!(Balances::free_balance(&contracts), EXISTENTIAL_DEPOSIT);
		assert_eq!(
			pallet_balances::TotalIssuance::<Runtime>::get(),
			ENDOWMENT * 12 + 3 * EXISTENTIAL_DEPOSIT
		);
	});
}

#[test]
fn local_testnet_preset_has_four_authorities() {
	preset_ext(LOCAL_TESTNET_PRESET).execute_with(|| {
		let aura: Vec<_> = pallet_aura::Authorities::<Runtime>::get().into_inner();
		let expected: Vec<sp_consensus_aura::sr25519::AuthorityId> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.iter()
		.map(|k| k.public().into())
		.collect();
		assert_eq!(aura, expected);
		let grandpa = Grandpa::grandpa_authorities();
		assert_eq!(grandpa.len(), 4);
		assert!(grandpa.iter().all(|(_, weight)| *weight == 1));
		assert_eq!(System::block_number(), 0);
	});
}

#[test]
fn metadata_lists_every_pallet() {
	// The contracts pallet's storage defaults read the fee multiplier: metadata is built inside
	// a state, as the node builds it.
	let metadata = sp_io::TestExternalities::default().execute_with(Runtime::metadata);
	let frame_metadata::RuntimeMetadata::V14(v14) = metadata.1 else {
		panic!("default metadata is v14");
	};
	let names: Vec<&str> = v14.pallets.iter().map(|p| p.name.as_str()).collect();
	assert_eq!(
		names,
		vec![
			"System",
			"Timestamp",
			"Aura",
			"Grandpa",
			"Balances",
			"TransactionPayment",
			"Sudo",
			"Utility",
			"DataContribution",
			"ModelRegistry",
			"RoyaltyDistribution",
			"InvocationMetering",
			"Treasury",
			"Revive"
		]
	);
	// polkadot.js needs v15 for runtime API types.
	assert!(Runtime::metadata_versions().contains(&15));
}

#[test]
fn block_limits_are_sane() {
	let weights = RuntimeBlockWeights::get();
	// Two seconds of compute in a six-second slot.
	assert_eq!(
		weights.max_block.ref_time(),
		2 * frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND
	);
	let normal = weights.get(DispatchClass::Normal).max_total.unwrap();
	assert_eq!(normal.ref_time(), weights.max_block.ref_time() * 3 / 4);
	let length = RuntimeBlockLength::get();
	assert_eq!(*length.max.get(DispatchClass::Normal), 5 * 1024 * 1024 * 3 / 4);
	assert_eq!(*length.max.get(DispatchClass::Operational), 5 * 1024 * 1024);
	assert_eq!(
		<<Runtime as pallet_balances::Config>::ExistentialDeposit as Get<Balance>>::get(),
		EXISTENTIAL_DEPOSIT
	);
	// A plain balance transfer costs a small fraction of a block.
	let transfer = <Runtime as pallet_balances::Config>::WeightInfo::transfer_keep_alive();
	assert!(transfer.ref_time() * 100 < weights.max_block.ref_time());
}

/// Every call of the four Tributary pallets, weighed at the largest value of its component.
pub(crate) fn every_tributary_call_at_its_worst_case(
) -> Vec<(&'static str, frame_support::weights::Weight)> {
	use pallet_data_contribution::WeightInfo as _;
	use pallet_invocation_metering::WeightInfo as _;
	use pallet_model_registry::WeightInfo as _;
	use pallet_royalty_distribution::WeightInfo as _;
	type Data = <Runtime as pallet_data_contribution::Config>::WeightInfo;
	type Models = <Runtime as pallet_model_registry::Config>::WeightInfo;
	type Royalties = <Runtime as pallet_royalty_distribution::Config>::WeightInfo;
	type Metering = <Runtime as pallet_invocation_metering::Config>::WeightInfo;
	let items = <<Runtime as pallet_data_contribution::Config>::MaxItemsPerTask as Get<u32>>::get();
	let route = <<Runtime as pallet_model_registry::Config>::MaxRouteLength as Get<u32>>::get();
	let pools =
		<<Runtime as pallet_royalty_distribution::Config>::MaxClaimPools as Get<u32>>::get();
	let batch =
		<<Runtime as pallet_invocation_metering::Config>::MaxSettleBatch as Get<u32>>::get();
	vec![
		("create_dataset", Data::create_dataset()),
		("update_dataset_metadata", Data::update_dataset_metadata()),
		("offer_curatorship", Data::offer_curatorship()),
		("accept_curatorship", Data::accept_curatorship()),
		("freeze_dataset", Data::freeze_dataset()),
		("submit_contribution", Data::submit_contribution()),
		("decide_contribution", Data::decide_contribution()),
		("withdraw_contribution", Data::withdraw_contribution()),
		("open_task", Data::open_task()),
		("claim_slot", Data::claim_slot()),
		("submit_result", Data::submit_result()),
		("commit_vote", Data::commit_vote()),
		("reveal_vote", Data::reveal_vote_item().max(Data::reveal_vote_contribution())),
		("conclude_ballot", Data::reveal_vote_item().max(Data::reveal_vote_contribution())),
		("pay_item", Data::pay_item()),
		("dispute_item", Data::dispute_item()),
		("reveal_gold", Data::reveal_gold(items)),
		("reclaim_slot", Data::reclaim_slot()),
		("close_task", Data::close_task(items)),
		("register_reviewer", Data::register_reviewer()),
		("unregister_reviewer", Data::unregister_reviewer()),
		("withdraw_reviewer", Data::withdraw_reviewer()),
		("slash_reviewer", Data::slash_reviewer()),
		("close_shareholding", Data::close_shareholding()),
		("admit_member", Data::admit_member()),
		("dismiss_member", Data::dismiss_member()),
		("set_rules", Data::set_rules()),
		("expire_contribution", Data::expire_contribution()),
		("remove_idle_shareholding", Data::remove_idle_shareholding()),
		("register", Models::register()),
		("publish_version", Models::publish_version()),
		("set_price", Models::set_price()),
		("update_metadata", Models::update_metadata()),
		("deprecate", Models::deprecate()),
		("offer_ownership", Models::offer_ownership()),
		("accept_ownership", Models::accept_ownership()),
		("open_dispute", Models::open_dispute()),
		("rule_dispute", Models::uphold_dispute().max(Models::reject_dispute())),
		("expire_dispute", Models::expire_dispute()),
		("distribute", Royalties::distribute(route)),
		("claim", Royalties::claim()),
		("claim_for", Royalties::claim_for()),
		("claim_pool", Royalties::claim_pool()),
		("claim_pools", Royalties::claim_pools(pools)),
		("register_offer", Metering::register_offer()),
		("update_offer", Metering::update_offer()),
		("withdraw_offer", Metering::withdraw_offer()),
		("invoke", Metering::invoke()),
		("open_channel", Metering::open_channel()),
		("top_up", Metering::top_up()),
		("settle", Metering::settle()),
		("settle_batch", Metering::settle_batch(batch)),
		("request_close", Metering::request_close()),
		("finalize_close", Metering::finalize_close()),
		("close_channel", Metering::close_channel()),
	]
}

/// One criterion for every call: at its worst case it takes at most a quarter of what a normal
/// extrinsic may, in time and in proof size, so at least four of the heaviest fit in a block.
#[test]
fn every_tributary_call_fits_a_quarter_of_a_block_at_its_worst_case() {
	let max_extrinsic =
		RuntimeBlockWeights::get().get(DispatchClass::Normal).max_extrinsic.expect("a limit");
	let calls = every_tributary_call_at_its_worst_case();
	// The table lists exactly the calls the four pallets have, as their metadata names them.
	use frame_support::traits::GetCallName;
	let mut declared: Vec<&str> = [
		pallet_data_contribution::Call::<Runtime>::get_call_names(),
		pallet_model_registry::Call::<Runtime>::get_call_names(),
		pallet_royalty_distribution::Call::<Runtime>::get_call_names(),
		pallet_invocation_metering::Call::<Runtime>::get_call_names(),
	]
	.concat();
	let mut listed: Vec<&str> = calls.iter().map(|(name, _)| *name).collect();
	declared.sort();
	listed.sort();
	assert_eq!(listed, declared, "every call of the four pallets is listed once");
	for (call, weight) in calls {
		assert!(
			weight.ref_time().saturating_mul(4) <= max_extrinsic.ref_time()
				&& weight.proof_size().saturating_mul(4) <= max_extrinsic.proof_size(),
			"{call} ({weight:?}) takes more than a quarter of {max_extrinsic:?}"
		);
	}
}

/// The calls that refund unused weight rely on their weight growing with what they walk.
#[test]
fn weights_with_a_component_grow_with_it() {
	use pallet_data_contribution::WeightInfo as _;
	use pallet_invocation_metering::WeightInfo as _;
	use pallet_royalty_distribution::WeightInfo as _;
	type Data = <Runtime as pallet_data_contribution::Config>::WeightInfo;
	type Royalties = <Runtime as pallet_royalty_distribution::Config>::WeightInfo;
	type Metering = <Runtime as pallet_invocation_metering::Config>::WeightInfo;
	let grows = |call: &str, weight: fn(u32) -> frame_support::weights::Weight, max: u32| {
		assert!(weight(max).ref_time() > weight(1).ref_time(), "{call}");
	};
	grows(
		"close_task",
		Data::close_task,
		<<Runtime as pallet_data_contribution::Config>::MaxItemsPerTask as Get<u32>>::get(),
	);
	grows("distribute", Royalties::distribute, crate::configs::MAX_ROUTE_LENGTH);
	grows(
		"claim_pools",
		Royalties::claim_pools,
		<<Runtime as pallet_royalty_distribution::Config>::MaxClaimPools as Get<u32>>::get(),
	);
	grows(
		"settle_batch",
		Metering::settle_batch,
		<<Runtime as pallet_invocation_metering::Config>::MaxSettleBatch as Get<u32>>::get(),
	);
}

/// The functions of a weight file's `header` block (a trait or an impl), in order.
fn weight_functions(file: &str, header: &str) -> Vec<String> {
	let start = file.find(header).unwrap_or_else(|| panic!("no `{header}`"));
	let block = &file[start..];
	let end = block.find("\n}").expect("the block ends");
	block[..end]
		.lines()
		.filter_map(|line| line.trim().strip_prefix("fn "))
		.map(|rest| rest.split('(').next().unwrap_or_default().to_string())
		.collect()
}

/// Every weight file is the benchmark CLI's output under the project's header, never edited by
/// hand into another shape: the four pallets' files come from their benchmarks as they are now
/// (the script stamps the benchmark sources' hash) and declare and implement one function per
/// benchmark, twice (the runtime's `SubstrateWeight` and the tests' `()`); the runtime's files
/// (FRAME pallets, extensions, database, block and extrinsic) carry the generator's marks.
#[test]
fn weight_files_are_generated() {
	let header = include_str!("../../scripts/weight-header.txt").trim();
	// Each pallet's weights with its benchmark sources, in the byte order of their paths.
	let pallets: [(&str, &[&str]); 4] = [
		(
			include_str!("../../pallets/data-contribution/src/weights.rs"),
			&[
				include_str!("../../pallets/data-contribution/src/benchmarking/mod.rs"),
				include_str!("../../pallets/data-contribution/src/benchmarking/setup.rs"),
			],
		),
		(
			include_str!("../../pallets/model-registry/src/weights.rs"),
			&[include_str!("../../pallets/model-registry/src/benchmarking.rs")],
		),
		(
			include_str!("../../pallets/royalty-distribution/src/weights.rs"),
			&[include_str!("../../pallets/royalty-distribution/src/benchmarking.rs")],
		),
		(
			include_str!("../../pallets/invocation-metering/src/weights.rs"),
			&[include_str!("../../pallets/invocation-metering/src/benchmarking.rs")],
		),
	];
	for (file, sources) in pallets {
		assert!(file.starts_with(header), "generated under the project's header");
		// Stamped by `scripts/benchmark.sh`: the weights come from the benchmarks as they are.
		let hash = sp_io::hashing::blake2_256(sources.concat().as_bytes());
		let stamp = format!(
			"// Benchmark sources: blake2-256 {}",
			sp_core::hexdisplay::HexDisplay::from(&hash)
		);
		assert_eq!(
			file.lines().nth(1),
			Some(stamp.as_str()),
			"the benchmarks changed since their weights were generated: run scripts/benchmark.sh"
		);
		assert!(file.contains("generated by the benchmark CLI"));
		let declared = weight_functions(file, "pub trait WeightInfo {");
		assert!(!declared.is_empty());
		assert_eq!(
			weight_functions(
				file,
				"impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {"
			),
			declared
		);
		assert_eq!(weight_functions(file, "impl WeightInfo for () {"), declared);
	}
	let runtime = [
		include_str!("weights/block_weights.rs"),
		include_str!("weights/extrinsic_weights.rs"),
		include_str!("weights/frame_system.rs"),
		include_str!("weights/frame_system_extensions.rs"),
		include_str!("weights/pallet_balances.rs"),
		include_str!("weights/pallet_sudo.rs"),
		include_str!("weights/pallet_timestamp.rs"),
		include_str!("weights/pallet_transaction_payment.rs"),
		include_str!("weights/pallet_treasury.rs"),
		include_str!("weights/pallet_utility.rs"),
		include_str!("weights/paritydb_weights.rs"),
	];
	for file in runtime {
		assert!(file.starts_with(header), "generated under the project's header");
		assert!(file.contains("AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI"));
	}
}
