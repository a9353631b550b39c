//! The logic behind every call, one file per feature, as `pallet-nfts` lays out its own. Each
//! call in `lib.rs` checks its origin and forwards to a `do_*` function here; the steps several
//! features share (holds, share records, ballots) are in `crate::common`.
//!
//! - [`datasets`]: creating datasets, their metadata, curatorship and freezing.
//! - [`contributions`]: batches of items decided by the curator or a reviewer quorum.
//! - [`reviews`]: sealed votes of drawn reviewers on contributions and task items.
//! - [`tasks`]: annotation tasks, their item slots, verdicts and closing.
//! - [`acceptance`]: paying or disputing accepted items, and gold items.
//! - [`reviewers`]: bonds, leaving, and slashing reviewers below the reputation floor.
//! - [`shareholdings`]: closing an empty share record.
//! - [`governance`]: the curator's members (reviewers, requesters) and rules.

pub(crate) mod acceptance;
pub(crate) mod contributions;
pub(crate) mod datasets;
pub(crate) mod governance;
pub(crate) mod reviewers;
pub(crate) mod reviews;
pub(crate) mod shareholdings;
pub(crate) mod tasks;
