// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Tributary
/// @notice Pay for model invocations and read their terms from a contract. Every payment is split
/// on chain exactly as a direct `InvocationMetering.invoke` is: the version's route (dataset
/// contributors, reviewers, model developers, parent models), the protocol fee, the provider.
/// @dev The precompile lives at `TRIBUTARY`. Amounts are in plancks (1 TRIB = 10^12 plancks), not
/// in wei: `msg.value` and `address.balance` count wei, and 1 planck = 10^6 wei. The account that
/// pays and claims is always `msg.sender` (the calling contract, or the externally owned account
/// that calls the precompile directly), never `tx.origin`. The precompile accepts no value.
/// A failure reverts with `Error(string)` naming the pallet error, e.g.
/// "InvocationMetering::AboveMaxTotal" or "RoyaltyDistribution::NothingToClaim".
interface ITributary {
	/// One beneficiary of a model version's royalty route.
	struct RoutePart {
		/// True when the part goes to a dataset's contributor pool (`dataset`), false when it
		/// goes to an account (`account`).
		bool isDataset;
		/// The dataset, when `isDataset`.
		uint32 dataset;
		/// The account's address, when not `isDataset`.
		address account;
		/// Its part of every royalty, in parts per billion (the parts of a route sum to 10^9).
		uint32 partsPerBillion;
	}

	/// What `invoke` with the same arguments would charge now; reverts as `invoke` would.
	/// @param model The model.
	/// @param version The version, or 0 for the model's latest.
	/// @param units The units to pay for (more than 0).
	/// @param provider The compute provider (it must have an offer for the model), or
	/// `address(0)` for none. A Substrate account is reached by its address only once it has
	/// mapped it (`Revive.map_account`); until then its address names another account, which
	/// has no offer ("InvocationMetering::NoOffer").
	/// @return resolvedVersion The version priced.
	/// @return royalty Paid along the version's route.
	/// @return protocolFee Paid to the treasury.
	/// @return providerFee Paid to the provider.
	/// @return total What the payer pays: the sum of the three.
	function quote(uint32 model, uint32 version, uint64 units, address provider)
		external
		view
		returns (
			uint32 resolvedVersion,
			uint256 royalty,
			uint256 protocolFee,
			uint256 providerFee,
			uint256 total
		);

	/// Pays for `units` of a model version from `msg.sender`'s balance, split as `quote` says.
	/// @param maxTotal The most `msg.sender` accepts to pay; a higher total reverts with
	/// "InvocationMetering::AboveMaxTotal".
	/// @return resolvedVersion The version paid for.
	/// @return total What was paid.
	function invoke(uint32 model, uint32 version, uint64 units, address provider, uint256 maxTotal)
		external
		returns (uint32 resolvedVersion, uint256 total);

	/// A model version's royalty route; reverts with "ModelRegistry::UnknownVersion" when there is
	/// no such version (0 names the latest). An account's part carries the account's address,
	/// which `pendingRoyalties` reads only once the account has mapped it.
	function route(uint32 model, uint32 version) external view returns (RoutePart[] memory parts);

	/// The royalty credits `account` may claim now with `claim` (fees and route parts paid to
	/// the account itself; dataset pool earnings are claimed per dataset, outside contracts).
	function pendingRoyalties(address account) external view returns (uint256 credits);

	/// Pays `msg.sender`'s royalty credits to it; reverts with
	/// "RoyaltyDistribution::NothingToClaim" when there are none.
	/// @return claimed What was paid.
	function claim() external returns (uint256 claimed);
}

// The Tributary precompile's address.
address constant TRIBUTARY = 0x0000000000000000000000000000000074720000;
