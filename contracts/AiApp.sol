// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {ITributary, TRIBUTARY} from "./ITributary.sol";

/// @title AiApp
/// @notice An AI application that sells calls of one model to its users: a user pays the
/// model's on-chain price plus the app's markup, and the app pays for the call through Tributary,
/// which splits it among everyone upstream of the model. The markup stays with the app until its
/// owner withdraws it.
contract AiApp {
	/// Wei per planck: TRIB has 12 decimals, `msg.value` counts 18.
	uint256 private constant WEI_PER_PLANCK = 1e6;

	ITributary private constant tributary = ITributary(TRIBUTARY);

	/// Who may withdraw the app's margin.
	address public immutable owner;
	/// The model the app serves (its latest version at each call).
	uint32 public immutable model;
	/// The compute provider that serves it, or `address(0)`.
	address public immutable provider;
	/// The app's margin over the model's price, in percent.
	uint256 public immutable markupPercent;

	/// A user paid for `units`: `charged` wei from the user, `paid` plancks to Tributary.
	event Served(address indexed user, uint64 units, uint32 version, uint256 charged, uint256 paid);

	constructor(uint32 model_, address provider_, uint256 markupPercent_) {
		owner = msg.sender;
		model = model_;
		provider = provider_;
		markupPercent = markupPercent_;
	}

	/// What a user pays for `units`, in wei: the model's price now plus the markup.
	function priceOf(uint64 units) public view returns (uint256 weiPrice) {
		(, , , , uint256 total) = tributary.quote(model, 0, units, provider);
		return (total * (100 + markupPercent) / 100) * WEI_PER_PLANCK;
	}

	/// Pays for `units` of the model with the caller's value; any value above the price stays
	/// with the app.
	function serve(uint64 units) external payable returns (uint256 paid) {
		(, , , , uint256 total) = tributary.quote(model, 0, units, provider);
		require(msg.value >= (total * (100 + markupPercent) / 100) * WEI_PER_PLANCK, "AiApp: pay priceOf(units)");
		uint32 version;
		(version, paid) = tributary.invoke(model, 0, units, provider, total);
		emit Served(msg.sender, units, version, msg.value, paid);
	}

	/// Royalties credited to the app (e.g. if it is on a route) are claimable by it.
	function claimRoyalties() external returns (uint256 claimed) {
		require(msg.sender == owner, "AiApp: only the owner");
		return tributary.claim();
	}

	/// Sends `amount` wei of the app's margin to `to`.
	function withdraw(address payable to, uint256 amount) external {
		require(msg.sender == owner, "AiApp: only the owner");
		(bool sent, ) = to.call{value: amount}("");
		require(sent, "AiApp: transfer failed");
	}
}
