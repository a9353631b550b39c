//! Weights for `pallet_data_contribution`: a placeholder with the generated file's shape.
//! `scripts/benchmark.sh pallet_data_contribution` replaces it with measured weights.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weight functions needed for `pallet_data_contribution`.
pub trait WeightInfo {
	fn create_dataset() -> Weight;
	fn update_dataset_metadata() -> Weight;
	fn transfer_curatorship() -> Weight;
	fn accept_curatorship() -> Weight;
	fn freeze_dataset() -> Weight;
	fn submit_contribution() -> Weight;
	fn decide_contribution() -> Weight;
	fn review_contribution() -> Weight;
	fn withdraw_contribution() -> Weight;
	fn open_task() -> Weight;
	fn claim_slot() -> Weight;
	fn submit_result() -> Weight;
	fn review_item() -> Weight;
	fn reclaim_slot() -> Weight;
	fn close_task(n: u32) -> Weight;
	fn register_reviewer() -> Weight;
	fn unregister_reviewer() -> Weight;
	fn withdraw_reviewer() -> Weight;
	fn slash_reviewer() -> Weight;
	fn close_holding() -> Weight;
}

/// Weights for `pallet_data_contribution` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_dataset() -> Weight {
		Weight::zero()
	}
	fn update_dataset_metadata() -> Weight {
		Weight::zero()
	}
	fn transfer_curatorship() -> Weight {
		Weight::zero()
	}
	fn accept_curatorship() -> Weight {
		Weight::zero()
	}
	fn freeze_dataset() -> Weight {
		Weight::zero()
	}
	fn submit_contribution() -> Weight {
		Weight::zero()
	}
	fn decide_contribution() -> Weight {
		Weight::zero()
	}
	fn review_contribution() -> Weight {
		Weight::zero()
	}
	fn withdraw_contribution() -> Weight {
		Weight::zero()
	}
	fn open_task() -> Weight {
		Weight::zero()
	}
	fn claim_slot() -> Weight {
		Weight::zero()
	}
	fn submit_result() -> Weight {
		Weight::zero()
	}
	fn review_item() -> Weight {
		Weight::zero()
	}
	fn reclaim_slot() -> Weight {
		Weight::zero()
	}
	fn close_task(_n: u32) -> Weight {
		Weight::zero()
	}
	fn register_reviewer() -> Weight {
		Weight::zero()
	}
	fn unregister_reviewer() -> Weight {
		Weight::zero()
	}
	fn withdraw_reviewer() -> Weight {
		Weight::zero()
	}
	fn slash_reviewer() -> Weight {
		Weight::zero()
	}
	fn close_holding() -> Weight {
		Weight::zero()
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn create_dataset() -> Weight {
		Weight::zero()
	}
	fn update_dataset_metadata() -> Weight {
		Weight::zero()
	}
	fn transfer_curatorship() -> Weight {
		Weight::zero()
	}
	fn accept_curatorship() -> Weight {
		Weight::zero()
	}
	fn freeze_dataset() -> Weight {
		Weight::zero()
	}
	fn submit_contribution() -> Weight {
		Weight::zero()
	}
	fn decide_contribution() -> Weight {
		Weight::zero()
	}
	fn review_contribution() -> Weight {
		Weight::zero()
	}
	fn withdraw_contribution() -> Weight {
		Weight::zero()
	}
	fn open_task() -> Weight {
		Weight::zero()
	}
	fn claim_slot() -> Weight {
		Weight::zero()
	}
	fn submit_result() -> Weight {
		Weight::zero()
	}
	fn review_item() -> Weight {
		Weight::zero()
	}
	fn reclaim_slot() -> Weight {
		Weight::zero()
	}
	fn close_task(_n: u32) -> Weight {
		Weight::zero()
	}
	fn register_reviewer() -> Weight {
		Weight::zero()
	}
	fn unregister_reviewer() -> Weight {
		Weight::zero()
	}
	fn withdraw_reviewer() -> Weight {
		Weight::zero()
	}
	fn slash_reviewer() -> Weight {
		Weight::zero()
	}
	fn close_holding() -> Weight {
		Weight::zero()
	}
}
