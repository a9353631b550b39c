//! Interfaces this pallet offers to the rest of the runtime.

use crate::types::{DatasetId, Shares};
use sp_runtime::Perbill;

/// Read access to datasets and their share pools, for the model registry and the royalty
/// distribution.
pub trait ContributorShares<AccountId> {
	/// Whether the dataset exists.
	fn dataset_exists(dataset: DatasetId) -> bool;
	/// The share of a model's royalties a model trained on the dataset must route to it.
	fn min_model_share(dataset: DatasetId) -> Option<Perbill>;
	/// The dataset's curator.
	fn curator(dataset: DatasetId) -> Option<AccountId>;
	/// All shares minted in the dataset.
	fn total_shares(dataset: DatasetId) -> Shares;
	/// The shares `holder` holds in the dataset.
	fn shares_of(dataset: DatasetId, holder: &AccountId) -> Shares;
}

/// Called before shares are minted, so that whoever tracks per-share rewards (the royalty
/// distribution) can settle what the holder earned with its current shares first: a holder
/// earns only from revenue that arrives after its shares exist.
pub trait OnSharesMinted<AccountId> {
	/// `holder` holds `current` shares of `dataset`, whose pool totals `total`, and is about to
	/// receive more.
	fn before_mint(dataset: DatasetId, holder: &AccountId, current: Shares, total: Shares);
}

impl<AccountId> OnSharesMinted<AccountId> for () {
	fn before_mint(_: DatasetId, _: &AccountId, _: Shares, _: Shares) {}
}
