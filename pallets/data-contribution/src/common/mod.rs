//! Helpers the features share. None of them is a call: each does one step of several calls and
//! leaves the rest (checks on the caller, events of the call itself) to the feature.
//!
//! - [`funds`]: holding, releasing and paying out deposits, bounties and bonds under this
//!   pallet's `HoldReason`.
//! - [`shares`]: share records, the pending work they track, and minting.
//! - [`ballots`]: who may vote, valid quorums, and judging voters once a ballot closes.

pub(crate) mod ballots;
pub(crate) mod funds;
pub(crate) mod shares;
