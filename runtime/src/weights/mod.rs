//! Weights of the FRAME pallets the runtime uses, measured by `scripts/benchmark.sh` on the
//! optimised benchmark node like the Tributary pallets' own, so every call is priced on the same
//! machine. Each module is generated; this list is not.

pub mod frame_system;
pub mod pallet_balances;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_treasury;
pub mod pallet_utility;
