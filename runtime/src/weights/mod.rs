//! Weights measured by `scripts/benchmark.sh` on the optimised benchmark node, like the
//! Tributary pallets' own, so every call is priced on the same machine: the FRAME pallets and
//! transaction extensions the runtime uses, the database's reads and writes (ParityDB, on a
//! development genesis with 100,000 accounts), and the base weights of a block and of an
//! extrinsic. Each module is generated; this list is not.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_treasury;
pub mod pallet_utility;
// The generator documents the fields of a struct expression, which rustc does not keep.
#[allow(unused_doc_comments)]
pub mod paritydb_weights;
