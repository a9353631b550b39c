//! The invariants checked after every block.

use crate::{
	configs::RuntimeBlockWeights, Balance, DataContribution, InvocationMetering, ModelRegistry,
	RoyaltyDistribution, Runtime, RuntimeHoldReason,
};
use frame_support::{dispatch::DispatchClass, traits::VariantCount};
use std::collections::BTreeSet;

type Result = core::result::Result<(), String>;

/// The block's weight per class stays within its limits (checked before `finalize_block`,
/// whose hooks may add mandatory weight).
pub(super) fn block_limits() -> Result {
	let limits = RuntimeBlockWeights::get();
	let used = frame_system::Pallet::<Runtime>::block_weight();
	for class in [DispatchClass::Normal, DispatchClass::Operational] {
		if let Some(max) = limits.get(class).max_total {
			let weight = used.get(class);
			if !weight.all_lte(max) {
				return Err(format!("{class:?} block weight {weight:?} above its limit {max:?}"));
			}
		}
	}
	let length = frame_system::Pallet::<Runtime>::block_size();
	let max = *crate::configs::RuntimeBlockLength::get().max.get(DispatchClass::Operational);
	if length > max {
		return Err(format!("block size {length} above {max}"));
	}
	Ok(())
}

/// Every pallet's `try_state` checks, the balances checks `pallet-balances` has under
/// `try-runtime`, and the accounting of the whole chain:
/// - total issuance equals the sum of every account's free and reserved balance, and the
///   genesis issuance less the fees, dust and owner burns accounted for so far;
/// - no account has consumers but no providers, and no account record is left without any;
/// - every account's held balance is at most its reserved balance, it has no more holds and
///   freezes than allowed, and its frozen balance covers its largest lock and freeze;
/// - no hold or freeze belongs to an account that does not exist.
pub(super) fn invariants(expected_issuance: Balance) -> Result {
	let try_state =
		|pallet: &str, result: core::result::Result<(), sp_runtime::TryRuntimeError>| {
			result.map_err(|e| format!("{pallet}::do_try_state: {e:?}"))
		};
	try_state("DataContribution", DataContribution::do_try_state())?;
	try_state("ModelRegistry", ModelRegistry::do_try_state())?;
	try_state("RoyaltyDistribution", RoyaltyDistribution::do_try_state())?;
	try_state("InvocationMetering", InvocationMetering::do_try_state())?;

	let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
	if issuance != expected_issuance {
		return Err(format!(
			"total issuance {issuance} differs from the genesis issuance less fees, dust and \
			 burns: {expected_issuance}"
		));
	}
	if pallet_balances::InactiveIssuance::<Runtime>::get() > issuance {
		return Err("inactive issuance above total issuance".into());
	}

	let max_holds = RuntimeHoldReason::VARIANT_COUNT as usize;
	let max_freezes =
		<<Runtime as pallet_balances::Config>::MaxFreezes as frame_support::traits::Get<u32>>::get()
			as usize;
	let mut sum: Balance = 0;
	let mut accounts = BTreeSet::new();
	for (who, info) in frame_system::Account::<Runtime>::iter() {
		let data = info.data;
		sum = sum
			.checked_add(data.free)
			.and_then(|s| s.checked_add(data.reserved))
			.ok_or("the sum of all balances overflows")?;
		if info.consumers > 0 && info.providers == 0 {
			return Err(format!("{who} has {} consumers but no providers", info.consumers));
		}
		if info.providers == 0 && info.sufficients == 0 {
			return Err(format!("{who}'s account record has neither providers nor sufficients"));
		}
		let holds = pallet_balances::Holds::<Runtime>::get(&who);
		let held: Balance = holds.iter().map(|h| h.amount).sum();
		if held > data.reserved {
			return Err(format!("{who} holds {held} but has only {} reserved", data.reserved));
		}
		if holds.len() > max_holds {
			return Err(format!("{who} has {} holds", holds.len()));
		}
		let freezes = pallet_balances::Freezes::<Runtime>::get(&who);
		if freezes.len() > max_freezes {
			return Err(format!("{who} has {} freezes", freezes.len()));
		}
		let largest_freeze = freezes.iter().map(|f| f.amount).max().unwrap_or_default();
		let largest_lock = pallet_balances::Locks::<Runtime>::get(&who)
			.iter()
			.map(|l| l.amount)
			.max()
			.unwrap_or_default();
		if largest_freeze.max(largest_lock) > data.frozen {
			return Err(format!("{who}'s frozen balance does not cover its locks and freezes"));
		}
		accounts.insert(who);
	}
	if sum != issuance {
		return Err(format!(
			"total issuance {issuance} differs from the sum of free and reserved balances {sum}"
		));
	}
	for (who, holds) in pallet_balances::Holds::<Runtime>::iter() {
		if !holds.is_empty() && !accounts.contains(&who) {
			return Err(format!("{who} has holds but no account"));
		}
	}
	for (who, freezes) in pallet_balances::Freezes::<Runtime>::iter() {
		if !freezes.is_empty() && !accounts.contains(&who) {
			return Err(format!("{who} has freezes but no account"));
		}
	}
	Ok(())
}
