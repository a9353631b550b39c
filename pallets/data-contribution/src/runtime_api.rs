//! The runtime API of dataset share pools, for clients and the `tributary_*` RPC.

use crate::types::{DatasetId, Shares};

sp_api::decl_runtime_apis! {
	/// Dataset share pools.
	pub trait DataContributionApi<AccountId> where AccountId: codec::Codec {
		/// All shares minted in a dataset, or `None` when there is no such dataset.
		fn total_shares(dataset: DatasetId) -> Option<Shares>;
		/// The shares `holder` holds in a dataset (0 when none), or `None` when there is no such
		/// dataset.
		fn shares_of(dataset: DatasetId, holder: AccountId) -> Option<Shares>;
	}
}
