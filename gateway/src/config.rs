//! `gateway.toml`: the node to settle on, the provider's key, where the journal lives, when to
//! settle, and which upstream model server serves each on-chain model.

use serde::Deserialize;
use std::{collections::BTreeSet, path::PathBuf};

/// How a model's calls are counted in units.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum UnitOf {
	/// The upstream's `usage.total_tokens`.
	Tokens,
	/// One unit per call.
	Calls,
}

/// One model the provider serves: the on-chain model it is and the server that runs it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Model {
	/// The name callers use (`model` in OpenAI requests).
	pub name: String,
	/// The model's id on chain.
	pub model_id: u32,
	/// Base URL of its OpenAI-compatible server, e.g. `http://127.0.0.1:8000/v1`.
	pub upstream: String,
	/// What a unit is.
	#[serde(default = "tokens")]
	pub unit: UnitOf,
	/// The `max_tokens` a request without one is held to: it bounds a call's cost up front.
	#[serde(default = "default_max_tokens")]
	pub default_max_tokens: u64,
	/// Seconds the model server may take to answer (or, streaming, between two chunks) before
	/// the call fails as an upstream failure (nothing charged).
	#[serde(default = "timeout_secs")]
	pub timeout_secs: u64,
}

fn timeout_secs() -> u64 {
	300
}

fn tokens() -> UnitOf {
	UnitOf::Tokens
}

fn default_max_tokens() -> u64 {
	1_024
}

/// When the newest voucher of a channel is settled on chain.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
	/// Once a channel owes at least this many planck unsettled (TOML integers are 64-bit:
	/// up to 18 million TRIB, far beyond any sensible threshold).
	pub amount: u64,
	/// Once its oldest unsettled voucher is this old, in seconds.
	pub max_age_secs: u64,
	/// How many blocks before a channel expires it is settled at the latest (a channel whose
	/// consumer asked to close is settled at once: its challenge period is the last chance).
	#[serde(default = "margin_blocks")]
	pub margin_blocks: u32,
}

fn margin_blocks() -> u32 {
	100
}

/// The whole configuration.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// WebSocket RPC endpoint of a Tributary node.
	pub node_url: String,
	/// Address the HTTP API listens on, e.g. `127.0.0.1:8080`.
	pub listen: String,
	/// The provider's secret URI (a mnemonic, hex seed or `//Dev` derivation); or
	pub provider_suri: Option<String>,
	/// a file holding it.
	pub provider_key_file: Option<PathBuf>,
	/// The journal's file: every voucher accepted, written before its call is answered.
	pub journal: PathBuf,
	/// When to settle.
	pub settlement: Settlement,
	/// The most units one call may cost at its largest (its bound), beyond which it is refused
	/// (`call_too_large`). The last call of a channel is paid only by the caller's next voucher:
	/// this caps what a caller that never sends one can take, per channel.
	#[serde(default = "max_call_units")]
	pub max_call_units: u64,
	/// Calls answered at once, beyond which a call is refused with 503 (`server_busy`).
	#[serde(default = "max_concurrent_calls")]
	pub max_concurrent_calls: usize,
	/// The models served.
	pub models: Vec<Model>,
}

fn max_call_units() -> u64 {
	32_768
}

fn max_concurrent_calls() -> usize {
	1_024
}

impl Config {
	/// Parses and checks a configuration: exactly one provider key source, at least one model,
	/// no model name or on-chain id twice, upstreams given as http(s) URLs.
	pub fn parse(text: &str) -> Result<Self, String> {
		let config: Config = toml::from_str(text).map_err(|error| error.to_string())?;
		match (&config.provider_suri, &config.provider_key_file) {
			(Some(_), None) | (None, Some(_)) => {}
			_ => return Err("give exactly one of provider_suri and provider_key_file".into()),
		}
		if config.max_concurrent_calls == 0 {
			return Err("max_concurrent_calls is zero: the gateway would answer nothing".into());
		}
		if config.models.is_empty() {
			return Err("no [[models]]: the gateway would serve nothing".into());
		}
		let mut names = BTreeSet::new();
		let mut ids = BTreeSet::new();
		for model in &config.models {
			if !names.insert(model.name.as_str()) {
				return Err(format!("model name {:?} appears twice", model.name));
			}
			if !ids.insert(model.model_id) {
				return Err(format!("on-chain model {} appears twice", model.model_id));
			}
			// Model servers run beside the gateway; the gateway speaks plain HTTP to them.
			if !model.upstream.starts_with("http://") {
				return Err(format!(
					"upstream of {:?} is not an http:// URL (TLS to model servers is not supported)",
					model.name
				));
			}
			if model.default_max_tokens == 0 {
				return Err(format!("default_max_tokens of {:?} is zero", model.name));
			}
			if model.timeout_secs == 0 {
				return Err(format!("timeout_secs of {:?} is zero", model.name));
			}
		}
		Ok(config)
	}

	/// The provider's key, from `provider_suri` or the file `provider_key_file` holds.
	pub fn provider_key(&self) -> Result<sp_core::sr25519::Pair, String> {
		use sp_core::Pair;
		let suri = match (&self.provider_suri, &self.provider_key_file) {
			(Some(suri), _) => suri.clone(),
			(None, Some(path)) => std::fs::read_to_string(path)
				.map_err(|e| format!("provider_key_file {}: {e}", path.display()))?
				.trim()
				.to_string(),
			(None, None) => return Err("no provider key".into()),
		};
		sp_core::sr25519::Pair::from_string(&suri, None)
			.map_err(|e| format!("the provider key is not a valid secret URI: {e:?}"))
	}

	/// The model callers name `name`.
	pub fn model(&self, name: &str) -> Option<&Model> {
		self.models.iter().find(|model| model.name == name)
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;

	const GOOD: &str = r#"
node_url = "ws://127.0.0.1:9944"
listen = "127.0.0.1:8080"
provider_suri = "//Bob"
journal = "/var/lib/tributary-gateway/journal.redb"

[settlement]
amount = 1000000000000
max_age_secs = 600

[[models]]
name = "tributary-chat"
model_id = 0
upstream = "http://127.0.0.1:8000/v1"

[[models]]
name = "tributary-embed"
model_id = 3
upstream = "http://10.0.0.7:8000/v1"
unit = "calls"
"#;

	#[test]
	fn a_full_configuration_parses_with_its_defaults() {
		let config = Config::parse(GOOD).unwrap();
		assert_eq!(config.settlement.margin_blocks, 100);
		let chat = config.model("tributary-chat").unwrap();
		assert_eq!((chat.model_id, chat.unit, chat.default_max_tokens), (0, UnitOf::Tokens, 1_024));
		assert_eq!(config.model("tributary-embed").unwrap().unit, UnitOf::Calls);
		assert!(config.model("gpt-4").is_none());
	}

	#[test]
	fn the_documented_example_configuration_parses() {
		let example = include_str!("../../docker/gateway.toml.example");
		let config = Config::parse(example).unwrap();
		assert_eq!(config.node_url, "ws://rpc:9944");
		assert_eq!(config.model("stub-chat").unwrap().upstream, "http://model-stub:8000/v1");
		assert!(config.provider_key().is_ok());
	}

	#[test]
	fn bad_configurations_are_refused_with_the_reason() {
		let cases = [
			(GOOD.replace("provider_suri = \"//Bob\"\n", ""), "exactly one of"),
			(
				GOOD.replace("provider_suri", "provider_key_file = \"/k\"\nprovider_suri"),
				"exactly one of",
			),
			(GOOD.replace("model_id = 3", "model_id = 0"), "on-chain model 0 appears twice"),
			(GOOD.replace("tributary-embed", "tributary-chat"), "appears twice"),
			(GOOD.replace("http://10.0.0.7", "ftp://10.0.0.7"), "not an http:// URL"),
			(GOOD.replace("http://10.0.0.7", "https://10.0.0.7"), "TLS"),
			(GOOD.replace("listen =", "lsten ="), "unknown field"),
		];
		for (text, reason) in cases {
			let error = Config::parse(&text).unwrap_err();
			assert!(error.contains(reason), "{error:?} should say {reason:?}");
		}
		let without_models = "models = []\n".to_string() + GOOD.split("[[models]]").next().unwrap();
		assert!(Config::parse(&without_models).unwrap_err().contains("serve nothing"));
	}
}
