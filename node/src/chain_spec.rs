//! Chain specifications built from the runtime's genesis presets.

use sc_service::ChainType;
use tributary_runtime::{
	genesis_config_presets::{DEVELOPMENT_PRESET, LOCAL_TESTNET_PRESET},
	SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY,
};

/// The chain specification type of this node: no client extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token symbol, decimals and address format, shown by wallets such as polkadot.js Apps.
fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime wasm is not available: build without SKIP_WASM_BUILD to start a chain."
			.to_string()
	})
}

fn chain_spec(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// Single-authority development chain: alice authors and finalizes, all dev accounts endowed.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	chain_spec("Tributary Development", "tributary_dev", ChainType::Development, DEVELOPMENT_PRESET)
}

/// Four-authority local testnet: alice, bob, charlie and dave.
pub fn local_testnet_chain_spec() -> Result<ChainSpec, String> {
	chain_spec(
		"Tributary Local Testnet",
		"tributary_local_testnet",
		ChainType::Local,
		LOCAL_TESTNET_PRESET,
	)
}
