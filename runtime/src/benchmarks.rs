//! The pallets whose benchmarks `tributary-node benchmark pallet` runs.

pub use frame_benchmarking::baseline::Pallet as BaselineBench;
pub use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
pub use frame_system_benchmarking::Pallet as SystemBench;

#[allow(unused_imports)]
pub use crate::{
	Balances, DataContribution, InvocationMetering, ModelRegistry, RoyaltyDistribution, Runtime,
	Sudo, Timestamp, TransactionPayment, Treasury, Utility,
};

impl frame_system_benchmarking::Config for Runtime {}
impl frame_benchmarking::baseline::Config for Runtime {}
impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_treasury, Treasury]
	[pallet_data_contribution, DataContribution]
	[pallet_model_registry, ModelRegistry]
	[pallet_royalty_distribution, RoyaltyDistribution]
	[pallet_invocation_metering, InvocationMetering]
);
