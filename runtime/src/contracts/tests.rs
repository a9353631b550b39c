//! The contracts pallet on the development chain: the Tributary precompile (every call, every
//! revert, and that a payment through it moves exactly what a direct `invoke` moves) and the
//! upgrade that gives a chain from before the pallet its contracts account.
//!
//! Accounts call the precompile directly (`Revive::bare_call`, as `eth_call` and the `call`
//! extrinsic do) and through small hand-assembled EVM contracts that forward their calldata with
//! `CALL`, `STATICCALL` or `DELEGATECALL` and return or revert with the answer.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::arithmetic_side_effects
)]

use super::precompile::{ITributary, PRECOMPILE_ADDRESS};
use crate::{
	test_chain::{dev_accounts, development, free, invoke, signed, three_levels, Lineage3, MILLI},
	AccountId, Balance, Balances, InvocationMetering, ModelRegistry, Revive, RoyaltyDistribution,
	Runtime, RuntimeEvent, RuntimeOrigin, System, UNIT,
};
use frame_support::{assert_ok, traits::fungible::Mutate, weights::Weight};
use pallet_revive::{
	precompiles::alloy::{
		primitives::{Address, U256},
		sol_types::{Revert, SolCall, SolError},
	},
	AddressMapper, ExecConfig, ExecReturnValue, TransactionLimits, H160,
};
use sp_runtime::DispatchError;
use tributary_primitives::{Beneficiary, RoyaltySink};

type Mapper = <Runtime as pallet_revive::Config>::AddressMapper;

fn address_of(account: &AccountId) -> Address {
	Address::from(Mapper::to_address(account).0)
}

fn map(account: &AccountId) {
	assert_ok!(Revive::map_account(signed(account)));
}

/// Calls `dest` with `data` (and `value` in wei) as `origin`, the way the `call` extrinsic does.
fn call_as(
	origin: RuntimeOrigin,
	dest: H160,
	value: U256,
	data: Vec<u8>,
) -> Result<ExecReturnValue, DispatchError> {
	Revive::bare_call(
		origin,
		dest,
		sp_core::U256::from_big_endian(&value.to_be_bytes::<32>()),
		TransactionLimits::WeightAndDeposit {
			weight_limit: Weight::from_parts(500_000_000_000, 10 * 1024 * 1024),
			deposit_limit: Balance::MAX,
		},
		data,
		&ExecConfig::new_substrate_tx(),
	)
	.result
}

fn call_precompile(caller: &AccountId, data: Vec<u8>) -> ExecReturnValue {
	call_as(signed(caller), PRECOMPILE_ADDRESS, U256::ZERO, data).expect("the call ran")
}

/// The `Error(string)` a reverted call returned.
fn reason(answer: &ExecReturnValue) -> String {
	assert!(answer.did_revert(), "expected a revert, got {:?}", answer.data);
	Revert::abi_decode(&answer.data).expect("an Error(string) revert").reason
}

/// How a forwarding contract reaches the precompile.
#[derive(Clone, Copy)]
enum Forward {
	Call,
	StaticCall,
	DelegateCall,
}

/// EVM init code for a contract that forwards its calldata to the precompile and returns (or
/// reverts with) the answer.
fn forwarder_code(forward: Forward) -> Vec<u8> {
	let mut runtime = vec![0x36, 0x60, 0x00, 0x60, 0x00, 0x37]; // calldatacopy(0, 0, size)
	runtime.extend([0x60, 0x00, 0x60, 0x00, 0x36, 0x60, 0x00]); // out 0/0, in 0/size
	if let Forward::Call = forward {
		runtime.extend([0x60, 0x00]); // value 0
	}
	runtime.push(0x73); // push20 the precompile
	runtime.extend(PRECOMPILE_ADDRESS.0);
	runtime.push(0x5a); // gas
	runtime.push(match forward {
		Forward::Call => 0xf1,
		Forward::StaticCall => 0xfa,
		Forward::DelegateCall => 0xf4,
	});
	runtime.extend([0x3d, 0x60, 0x00, 0x60, 0x00, 0x3e]); // returndatacopy(0, 0, size)
	let ok = runtime.len() as u8 + 7;
	runtime.extend([0x60, ok, 0x57]); // jumpi(ok, success)
	runtime.extend([0x3d, 0x60, 0x00, 0xfd]); // revert(0, returndatasize)
	runtime.extend([0x5b, 0x3d, 0x60, 0x00, 0xf3]); // ok: return(0, returndatasize)
	assert_eq!(runtime[usize::from(ok)], 0x5b);
	let length = runtime.len() as u8;
	// codecopy(0, 11, length); return(0, length)
	let mut init = vec![0x60, length, 0x80, 0x60, 11, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3];
	init.extend(runtime);
	init
}

/// Deploys a forwarder as `deployer` and returns its address.
fn deploy(deployer: &AccountId, forward: Forward) -> H160 {
	System::reset_events();
	// The address derives from the deployer's nonce, which a transaction's `CheckNonce` bumps.
	System::inc_account_nonce(deployer);
	assert_ok!(Revive::instantiate_with_code(
		signed(deployer),
		0,
		Weight::from_parts(500_000_000_000, 10 * 1024 * 1024),
		Balance::MAX,
		forwarder_code(forward),
		vec![],
		None,
	));
	System::events()
		.into_iter()
		.find_map(|record| match record.event {
			RuntimeEvent::Revive(pallet_revive::Event::Instantiated { contract, .. }) => {
				Some(contract)
			}
			_ => None,
		})
		.expect("the forwarder was instantiated")
}

fn quote_call(model: u32, version: u32, units: u64, provider: Address) -> Vec<u8> {
	ITributary::quoteCall { model, version, units, provider }.abi_encode()
}

fn invoke_call(model: u32, units: u64, provider: Address, max_total: Balance) -> Vec<u8> {
	ITributary::invokeCall { model, version: 0, units, provider, maxTotal: U256::from(max_total) }
		.abi_encode()
}

/// Everything a payment can move: the dev accounts', the pot's and the treasury's balances,
/// and every version's undistributed revenue and every account's credits.
#[derive(Debug, PartialEq)]
struct Ledger {
	/// The dev accounts', the pot's and the treasury's free balances.
	balances: Vec<Balance>,
	/// `(model, version, amount)` of every version's revenue awaiting distribution.
	undistributed: Vec<(u32, u32, Balance)>,
	/// Every account's royalty credits.
	credits: Vec<(AccountId, Balance)>,
}

fn ledger() -> Ledger {
	let (alice, bob, charlie, dave, eve, ferdie) = dev_accounts();
	let balances = [alice, bob, charlie, dave, eve, ferdie]
		.iter()
		.chain([RoyaltyDistribution::pot(), crate::configs::TreasuryAccount::get()].iter())
		.map(free)
		.collect();
	let mut undistributed: Vec<_> = pallet_royalty_distribution::Undistributed::<Runtime>::iter()
		.map(|(model, version, revenue)| (model, version, revenue.amount))
		.collect();
	undistributed.sort();
	let mut credits: Vec<_> = pallet_royalty_distribution::Credits::<Runtime>::iter().collect();
	credits.sort();
	Ledger { balances, undistributed, credits }
}

#[test]
fn quote_is_the_metering_pallets_quote() {
	development().execute_with(|| {
		let Lineage3 { composition, base, .. } = three_levels();
		let (alice, _, _, dave, ..) = dev_accounts();
		map(&alice);
		// A provider named by its address must have mapped its account.
		map(&dave);
		for (model, version, provider) in
			[(composition, 0, Some(&dave)), (composition, 1, None), (base, 0, None)]
		{
			let answer = call_precompile(
				&alice,
				quote_call(model, version, 7, provider.map_or(Address::ZERO, address_of)),
			);
			assert!(!answer.did_revert());
			let got = ITributary::quoteCall::abi_decode_returns(&answer.data).unwrap();
			let expected = InvocationMetering::api_quote(
				model,
				(version != 0).then_some(version),
				7,
				provider,
			)
			.unwrap();
			assert_eq!(got.resolvedVersion, expected.version);
			assert_eq!(got.royalty, U256::from(expected.quote.royalty));
			assert_eq!(got.protocolFee, U256::from(expected.quote.protocol_fee));
			assert_eq!(got.providerFee, U256::from(expected.quote.provider_fee));
			assert_eq!(got.total, U256::from(expected.quote.total));
			assert!(expected.quote.total > 0);
		}
	});
}

#[test]
fn invoke_through_the_precompile_moves_exactly_what_a_direct_invoke_moves() {
	let payment = |through_precompile: bool| {
		let mut ext = development();
		ext.execute_with(|| {
			let Lineage3 { composition, .. } = three_levels();
			let (_, _, _, dave, eve, _) = dev_accounts();
			map(&eve);
			map(&dave);
			let before = free(&eve);
			let total = InvocationMetering::api_quote(composition, None, 10, Some(&dave))
				.unwrap()
				.quote
				.total;
			if through_precompile {
				let answer =
					call_precompile(&eve, invoke_call(composition, 10, address_of(&dave), total));
				assert!(!answer.did_revert(), "{:?}", answer.data);
				let paid = ITributary::invokeCall::abi_decode_returns(&answer.data).unwrap();
				assert_eq!(paid.resolvedVersion, 1);
				assert_eq!(paid.total, U256::from(total));
			} else {
				invoke(&eve, composition, 10, Some(&dave));
			}
			assert_eq!(free(&eve), before - total);
			crate::test_chain::check_invariants();
			ledger()
		})
	};
	assert_eq!(payment(true), payment(false));
}

#[test]
fn a_contract_pays_from_its_own_balance_and_claims_to_it() {
	development().execute_with(|| {
		let Lineage3 { composition, .. } = three_levels();
		let (alice, _, _, dave, eve, _) = dev_accounts();
		map(&alice);
		map(&dave);
		let app = deploy(&alice, Forward::Call);
		let app_account = Mapper::to_account_id(&app);
		assert_ok!(Balances::mint_into(&app_account, 100 * UNIT));
		// The contract's account also holds what its instantiation gave it.
		let app_start = free(&app_account);
		let total =
			InvocationMetering::api_quote(composition, None, 3, Some(&dave)).unwrap().quote.total;
		map(&eve);
		let (alice_before, eve_before) = (free(&alice), free(&eve));

		// Eve calls the contract; the contract is `msg.sender` and pays.
		let answer = call_as(
			signed(&eve),
			app,
			U256::ZERO,
			invoke_call(composition, 3, address_of(&dave), total),
		)
		.unwrap();
		assert!(!answer.did_revert(), "{:?}", answer.data);
		assert_eq!(free(&app_account), app_start - total);
		assert_eq!((free(&alice), free(&eve)), (alice_before, eve_before));
		System::assert_has_event(
			pallet_invocation_metering::Event::Invoked {
				payer: app_account.clone(),
				model: composition,
				version: 1,
				units: 3,
				provider: Some(dave.clone()),
				royalty: InvocationMetering::api_quote(composition, None, 3, None)
					.unwrap()
					.quote
					.royalty,
				protocol_fee: InvocationMetering::api_quote(composition, None, 3, None)
					.unwrap()
					.quote
					.protocol_fee,
				provider_fee: 3 * 100 * MILLI,
				total,
			}
			.into(),
		);

		// Credits paid to the contract's account are claimed by the contract.
		// A royalty credit for the contract's account, paid into the pot by Alice (as a payment
		// with the contract as provider would).
		assert_ok!(<RoyaltyDistribution as RoyaltySink<AccountId, Balance>>::accrue(
			&alice,
			composition,
			1,
			1,
			0,
			&[(app_account.clone(), UNIT)],
		));
		let pending = call_as(
			signed(&eve),
			app,
			U256::ZERO,
			ITributary::pendingRoyaltiesCall { account: Address::from(app.0) }.abi_encode(),
		)
		.unwrap();
		assert_eq!(
			ITributary::pendingRoyaltiesCall::abi_decode_returns(&pending.data).unwrap(),
			U256::from(UNIT)
		);
		let before = free(&app_account);
		let claimed =
			call_as(signed(&eve), app, U256::ZERO, ITributary::claimCall {}.abi_encode()).unwrap();
		assert!(!claimed.did_revert(), "{:?}", claimed.data);
		assert_eq!(
			ITributary::claimCall::abi_decode_returns(&claimed.data).unwrap(),
			U256::from(UNIT)
		);
		assert_eq!(free(&app_account), before + UNIT);
		crate::test_chain::check_invariants();
	});
}

#[test]
fn invoke_reverts_name_the_pallet_error_and_change_nothing() {
	development().execute_with(|| {
		let Lineage3 { composition, .. } = three_levels();
		let (alice, bob, _, dave, ..) = dev_accounts();
		map(&alice);
		map(&dave);
		// An Ethereum-keyed account (no mapping needed) holding a little.
		let poor = H160::repeat_byte(0x42);
		let poor_account = Mapper::to_account_id(&poor);
		assert_ok!(Balances::mint_into(&poor_account, 2 * MILLI));
		let dave_address = address_of(&dave);
		let total =
			InvocationMetering::api_quote(composition, None, 3, Some(&dave)).unwrap().quote.total;
		let before = ledger();
		for (caller, data, expected) in [
			(
				&alice,
				invoke_call(composition, 3, dave_address, total - 1),
				"InvocationMetering::AboveMaxTotal",
			),
			(
				&alice,
				invoke_call(composition, 0, dave_address, total),
				"InvocationMetering::ZeroUnits",
			),
			(
				&alice,
				invoke_call(999, 3, Address::ZERO, Balance::MAX),
				"InvocationMetering::NotInvocable",
			),
			(
				&alice,
				invoke_call(composition, 3, address_of(&bob), Balance::MAX),
				"InvocationMetering::NoOffer",
			),
			(
				&poor_account,
				invoke_call(composition, 3, dave_address, total),
				"InvocationMetering::InsufficientFunds",
			),
			(&alice, quote_call(999, 0, 1, Address::ZERO), "InvocationMetering::NotInvocable"),
			(&alice, quote_call(composition, 0, 0, Address::ZERO), "InvocationMetering::ZeroUnits"),
		] {
			let answer = call_as(signed(caller), PRECOMPILE_ADDRESS, U256::ZERO, data).unwrap();
			assert_eq!(reason(&answer), expected);
		}
		assert_eq!(ledger(), before);
		assert_eq!(free(&poor_account), 2 * MILLI);
	});
}

#[test]
fn route_lists_the_versions_route() {
	development().execute_with(|| {
		let Lineage3 { base, composition, .. } = three_levels();
		let (alice, ..) = dev_accounts();
		map(&alice);
		for (model, version) in [(base, 1), (base, 0), (composition, 1)] {
			let answer =
				call_precompile(&alice, ITributary::routeCall { model, version }.abi_encode());
			assert!(!answer.did_revert());
			let got = ITributary::routeCall::abi_decode_returns(&answer.data).unwrap();
			let expected = ModelRegistry::api_route(model, 1).unwrap();
			assert_eq!(got.len(), expected.len());
			for (part, expected) in got.iter().zip(&expected) {
				match &expected.beneficiary {
					Beneficiary::Dataset(dataset) => {
						assert!(part.isDataset);
						assert_eq!((part.dataset, part.account), (*dataset, Address::ZERO));
					}
					Beneficiary::Account(account) => {
						assert!(!part.isDataset);
						assert_eq!((part.dataset, part.account), (0, address_of(account)));
					}
				}
				assert_eq!(part.partsPerBillion, expected.parts.deconstruct());
			}
			let sum: u64 = got.iter().map(|part| u64::from(part.partsPerBillion)).sum();
			assert_eq!(sum, 1_000_000_000);
		}
		let unknown_version =
			call_precompile(&alice, ITributary::routeCall { model: base, version: 9 }.abi_encode());
		assert_eq!(reason(&unknown_version), "ModelRegistry::UnknownVersion");
		let unknown_model =
			call_precompile(&alice, ITributary::routeCall { model: 999, version: 0 }.abi_encode());
		assert_eq!(reason(&unknown_model), "ModelRegistry::UnknownModel");
	});
}

#[test]
fn pending_royalties_and_claim_pay_the_caller_its_credits() {
	development().execute_with(|| {
		let Lineage3 { composition, .. } = three_levels();
		let (alice, _, _, dave, eve, _) = dev_accounts();
		map(&dave);
		invoke(&eve, composition, 10, Some(&dave));
		let credits = RoyaltyDistribution::claimable_credits(&dave);
		assert_eq!(credits, 10 * 100 * MILLI);

		map(&alice);
		let pending = call_precompile(
			&alice,
			ITributary::pendingRoyaltiesCall { account: address_of(&dave) }.abi_encode(),
		);
		assert_eq!(
			ITributary::pendingRoyaltiesCall::abi_decode_returns(&pending.data).unwrap(),
			U256::from(credits)
		);

		let before = free(&dave);
		let claimed = call_precompile(&dave, ITributary::claimCall {}.abi_encode());
		assert!(!claimed.did_revert());
		assert_eq!(
			ITributary::claimCall::abi_decode_returns(&claimed.data).unwrap(),
			U256::from(credits)
		);
		assert_eq!(free(&dave), before + credits);
		crate::test_chain::check_invariants();

		let again = call_precompile(&dave, ITributary::claimCall {}.abi_encode());
		assert_eq!(reason(&again), "RoyaltyDistribution::NothingToClaim");
		assert_eq!(free(&dave), before + credits);
	});
}

#[test]
fn value_root_static_and_delegate_calls_are_refused() {
	development().execute_with(|| {
		let Lineage3 { composition, .. } = three_levels();
		let (alice, ..) = dev_accounts();
		map(&alice);
		let total = InvocationMetering::api_quote(composition, None, 1, None).unwrap().quote.total;
		let pay = invoke_call(composition, 1, Address::ZERO, total);
		let before = ledger();

		// Value sent along would be stranded at the precompile's address.
		let with_value = call_as(
			signed(&alice),
			PRECOMPILE_ADDRESS,
			U256::from(UNIT) * U256::from(1_000_000u32),
			pay.clone(),
		)
		.unwrap();
		assert_eq!(reason(&with_value), "Tributary::ValueNotAccepted");

		// Root has no balance to pay with.
		let root =
			call_as(RuntimeOrigin::root(), PRECOMPILE_ADDRESS, U256::ZERO, pay.clone()).unwrap();
		assert_eq!(reason(&root), "Tributary::RootCaller");

		// A static call may read but not pay.
		let reader = deploy(&alice, Forward::StaticCall);
		let quoted = call_as(
			signed(&alice),
			reader,
			U256::ZERO,
			quote_call(composition, 0, 1, Address::ZERO),
		)
		.unwrap();
		assert!(!quoted.did_revert());
		assert_eq!(
			ITributary::quoteCall::abi_decode_returns(&quoted.data).unwrap().total,
			U256::from(total)
		);
		let paid_statically = call_as(signed(&alice), reader, U256::ZERO, pay.clone()).unwrap();
		assert!(paid_statically.did_revert());

		// A delegate call would make the precompile act for the delegating contract's caller.
		let delegator = deploy(&alice, Forward::DelegateCall);
		let delegated = call_as(signed(&alice), delegator, U256::ZERO, pay).unwrap();
		assert_eq!(reason(&delegated), "illegal to call this pre-compile via delegate call");

		let mut after = ledger();
		// Only Alice's deposits for the two contracts she instantiated.
		let deposits = before.balances[0] - after.balances[0];
		assert!(deposits > 0);
		after.balances[0] += deposits;
		assert_eq!(after, before);
	});
}

#[test]
fn unmapped_accounts_are_told_to_map_first() {
	development().execute_with(|| {
		let (alice, ..) = dev_accounts();
		let answer = call_as(
			signed(&alice),
			PRECOMPILE_ADDRESS,
			U256::ZERO,
			ITributary::claimCall {}.abi_encode(),
		);
		assert_eq!(answer, Err(pallet_revive::Error::<Runtime>::AccountUnmapped.into()));
		map(&alice);
		let mapped = call_precompile(&alice, ITributary::claimCall {}.abi_encode());
		assert_eq!(reason(&mapped), "RoyaltyDistribution::NothingToClaim");
	});
}

#[test]
fn an_upgrade_creates_the_contracts_account_once() {
	use frame_support::traits::{
		tokens::{Fortitude, Precision, Preservation},
		OnRuntimeUpgrade,
	};
	development().execute_with(|| {
		let account = pallet_revive::Pallet::<Runtime>::account_id();
		let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
		// A chain from before the pallet: no such account.
		assert_ok!(Balances::burn_from(
			&account,
			crate::EXISTENTIAL_DEPOSIT,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Force,
		));
		assert!(!System::account_exists(&account));

		super::CreateContractsAccount::on_runtime_upgrade();
		assert_eq!(free(&account), crate::EXISTENTIAL_DEPOSIT);
		assert_eq!(pallet_balances::TotalIssuance::<Runtime>::get(), issuance);

		// Once only.
		super::CreateContractsAccount::on_runtime_upgrade();
		assert_eq!(free(&account), crate::EXISTENTIAL_DEPOSIT);
		assert_eq!(pallet_balances::TotalIssuance::<Runtime>::get(), issuance);
	});
}

#[test]
fn nobody_maps_other_accounts_for_free() {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::traits::Dispatchable;
	development().execute_with(|| {
		let (alice, bob, charlie, ..) = dev_accounts();
		// `batch_map_accounts` would map Bob and Charlie without their deposits, and refund the
		// fee: a free extrinsic per unmapped account, and mappings nobody paid for.
		let batch = crate::RuntimeCall::Revive(pallet_revive::Call::batch_map_accounts {
			accounts: vec![bob.clone(), charlie.clone()],
		});
		assert!(batch.get_dispatch_info().call_weight.ref_time() > 0);
		let refused = batch.clone().dispatch(signed(&alice)).unwrap_err();
		assert_eq!(refused.error, frame_system::Error::<Runtime>::CallFiltered.into());
		assert!(!Mapper::is_mapped(&bob) && !Mapper::is_mapped(&charlie));
		// Through a batch too.
		let nested =
			crate::RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![batch] });
		assert!(nested.dispatch(signed(&alice)).is_err());
		assert!(!Mapper::is_mapped(&bob) && !Mapper::is_mapped(&charlie));
		// Each maps itself, holding its own deposit.
		let before = free(&bob);
		map(&bob);
		assert!(Mapper::is_mapped(&bob));
		assert_eq!(before - free(&bob), 152 * MILLI);
	});
}
