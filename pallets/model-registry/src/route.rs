//! Flattening a lineage into a royalty route.
//!
//! A version's route is its own direct entries (the owner and its datasets) plus every parent's
//! stored route scaled by that parent's share. Parts are accumulated exactly, in billionths of a
//! billionth (a `Perbill` times a `Perbill`), merged per beneficiary, and only then rounded down
//! to `Perbill` once per beneficiary; what rounding leaves over goes to the owner, so the route
//! sums to exactly 100%. Because parents' routes are already flat, the work is bounded by
//! `parents × route length`, whatever the depth of the lineage.

use crate::types::{Beneficiary, DatasetId, RouteEntry};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use sp_runtime::{traits::Saturating, PerThing, Perbill};

/// Why a lineage could not be flattened.
#[derive(Debug, PartialEq, Eq)]
pub enum FlattenError {
	/// The owner's share, the datasets' and the parents' shares do not add up to 100%, or a
	/// parent route does not.
	NotWhole,
	/// The flattened route has more entries than allowed.
	TooLong,
}

const ONE: u128 = Perbill::ACCURACY as u128;

/// Flattens a lineage. `parents` pairs each parent's share with the parent's stored route.
/// Returns the route sorted by beneficiary, with no zero parts, summing to exactly 100%.
pub fn flatten<'a, AccountId: Ord + Clone + 'a>(
	owner: &AccountId,
	owner_share: Perbill,
	datasets: impl IntoIterator<Item = (DatasetId, Perbill)>,
	parents: impl IntoIterator<Item = (Perbill, &'a [RouteEntry<AccountId>])>,
	max_length: u32,
) -> Result<Vec<RouteEntry<AccountId>>, FlattenError> {
	let mut exact: BTreeMap<Beneficiary<AccountId>, u128> = BTreeMap::new();
	let mut add = |beneficiary: Beneficiary<AccountId>, amount: u128| {
		let entry = exact.entry(beneficiary).or_default();
		*entry = entry.saturating_add(amount);
	};
	let scale = |share: Perbill, part: Perbill| {
		u128::from(share.deconstruct()).saturating_mul(u128::from(part.deconstruct()))
	};

	let mut declared = u128::from(owner_share.deconstruct());
	add(Beneficiary::Account(owner.clone()), scale(owner_share, Perbill::one()));
	for (dataset, share) in datasets {
		declared = declared.saturating_add(share.deconstruct().into());
		add(Beneficiary::Dataset(dataset), scale(share, Perbill::one()));
	}
	for (share, route) in parents {
		declared = declared.saturating_add(share.deconstruct().into());
		let mut route_total = 0u128;
		for (beneficiary, part) in route {
			route_total = route_total.saturating_add(part.deconstruct().into());
			add(beneficiary.clone(), scale(share, *part));
		}
		if route_total != ONE {
			return Err(FlattenError::NotWhole);
		}
	}
	if declared != ONE {
		return Err(FlattenError::NotWhole);
	}

	let owner = Beneficiary::Account(owner.clone());
	let mut route = Vec::with_capacity(exact.len());
	let mut assigned = 0u128;
	let mut owner_index = None;
	for (beneficiary, amount) in exact {
		if beneficiary == owner {
			owner_index = Some(route.len());
			// Placeholder: the owner's part is what the others leave, set below.
			route.push((beneficiary, Perbill::zero()));
			continue;
		}
		let part = amount.checked_div(ONE).unwrap_or_default();
		if part == 0 {
			continue;
		}
		assigned = assigned.saturating_add(part);
		route.push((beneficiary, Perbill::from_parts(part.try_into().unwrap_or(u32::MAX))));
	}
	// The exact amounts sum to ONE × ONE, so the rounded-down parts of the others sum to at most
	// ONE and the owner's remainder is never negative.
	let remainder = ONE.checked_sub(assigned).ok_or(FlattenError::NotWhole)?;
	if let Some(index) = owner_index {
		if remainder == 0 {
			route.remove(index);
		} else if let Some(entry) = route.get_mut(index) {
			entry.1 = Perbill::from_parts(remainder.try_into().unwrap_or(u32::MAX));
		}
	}
	if route.len() > max_length as usize {
		return Err(FlattenError::TooLong);
	}
	Ok(route)
}

/// Whether `route` is well formed: parts summing to exactly 100%, no zero part, strictly sorted
/// by beneficiary (so no beneficiary appears twice).
pub fn is_well_formed<AccountId: Ord>(route: &[RouteEntry<AccountId>]) -> bool {
	let total: u128 = route.iter().map(|(_, part)| u128::from(part.deconstruct())).sum();
	total == ONE
		&& route.iter().all(|(_, part)| !part.is_zero())
		&& route.windows(2).all(|pair| matches!(pair, [a, b] if a.0 < b.0))
}

/// A corrective route: every entry of `route` scaled by `1 − share`, and `share` to `to`
/// (merged with its entry if it has one). Each other beneficiary's part is rounded down once;
/// what rounding leaves goes to `to`, so the route still sums to exactly 100%. When adding `to`
/// would make the route longer than `max_length`, the smallest other entries are folded into
/// `to` until it fits: an upheld dispute is never refused for the length of the route.
pub fn redirect<AccountId: Ord + Clone>(
	route: &[RouteEntry<AccountId>],
	to: Beneficiary<AccountId>,
	share: Perbill,
	max_length: u32,
) -> Result<Vec<RouteEntry<AccountId>>, FlattenError> {
	let kept = u128::from(Perbill::one().saturating_sub(share).deconstruct());
	let mut corrected = Vec::with_capacity(route.len().saturating_add(1));
	let mut assigned = 0u128;
	for (beneficiary, part) in route {
		if *beneficiary == to {
			continue;
		}
		let exact = kept.saturating_mul(u128::from(part.deconstruct()));
		let rounded = exact.checked_div(ONE).unwrap_or_default();
		if rounded == 0 {
			continue;
		}
		assigned = assigned.saturating_add(rounded);
		corrected.push((
			beneficiary.clone(),
			Perbill::from_parts(rounded.try_into().unwrap_or(u32::MAX)),
		));
	}
	while corrected.len() >= max_length as usize {
		// Room for `to`: the smallest part (the last of equals) goes to it.
		let smallest = corrected
			.iter()
			.enumerate()
			.min_by_key(|(index, (_, part))| (part.deconstruct(), core::cmp::Reverse(*index)))
			.map(|(index, _)| index);
		let Some(index) = smallest else { break };
		let (_, part) = corrected.remove(index);
		assigned = assigned.saturating_sub(u128::from(part.deconstruct()));
	}
	let remainder = ONE.checked_sub(assigned).ok_or(FlattenError::NotWhole)?;
	if remainder > 0 {
		let position = corrected.partition_point(|(beneficiary, _)| *beneficiary < to);
		corrected
			.insert(position, (to, Perbill::from_parts(remainder.try_into().unwrap_or(u32::MAX))));
	}
	if corrected.len() > max_length as usize {
		return Err(FlattenError::TooLong);
	}
	Ok(corrected)
}
