//! A caller of a provider's gateway (feature `http-client`): sends each request with a voucher
//! for the units owed so far, and checks every charge before owing it — the Rust counterpart of
//! the JavaScript client in `clients/js`. Plain HTTP (a gateway's callers reach it over TLS
//! through the provider's reverse proxy, or on a private network); answers are read whole
//! (no streaming).
//!
//! ```no_run
//! # async fn example() -> Result<(), tributary_vouchers::client::ClientError> {
//! use tributary_vouchers::{client::GatewayClient, ChannelBinding, Scheme, VoucherSigner};
//! let consumer = VoucherSigner::from_suri(Scheme::Sr25519, "//Alice").unwrap();
//! let provider = VoucherSigner::from_suri(Scheme::Sr25519, "//Charlie").unwrap().account();
//! let binding = ChannelBinding { provider, nonce: [7u8; 32].into() };
//! let mut client = GatewayClient::new("http://127.0.0.1:8080", [1u8; 32].into(), 0, binding, consumer, 0);
//! let hello = serde_json::json!({"model": "stub-chat", "messages": [{"role": "user", "content": "Hi"}]});
//! let answer = client.post("/v1/chat/completions", &hello).await?;
//! println!("{} — {} units owed", answer["choices"][0]["message"]["content"], client.owed());
//! client.settle_up().await?; // the voucher for the last call
//! # Ok(()) }
//! ```

use crate::{header, voucher, ChannelBinding, ChannelId, Units, VoucherSigner};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use serde_json::Value;
use sp_core::H256;

/// Why a call through the gateway gave no answer to use.
#[derive(Debug, PartialEq, Eq)]
pub enum ClientError {
	/// The request could not be sent or the answer not read.
	Http(String),
	/// The gateway refused the call (OpenAI's error body: status, `error.code`, message).
	Refused {
		/// The HTTP status.
		status: u16,
		/// `error.code`, e.g. `voucher_behind`, `deposit_short`.
		code: String,
		/// `error.message`.
		message: String,
	},
	/// The gateway charged what the answer does not justify: nothing is owed for it.
	Overcharged(String),
}

impl core::fmt::Display for ClientError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Http(why) => write!(f, "http: {why}"),
			Self::Refused { status, code, message } => write!(f, "{status} {code}: {message}"),
			Self::Overcharged(why) => write!(f, "overcharged: {why}"),
		}
	}
}

fn http(error: impl ToString) -> ClientError {
	ClientError::Http(error.to_string())
}

/// A channel's caller of one gateway.
pub struct GatewayClient {
	base: String,
	genesis_hash: H256,
	channel: ChannelId,
	binding: ChannelBinding,
	signer: VoucherSigner,
	owed: Units,
	http: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
}

/// The most units a request may cost, as the gateway bounds it: its bytes plus its completion
/// limit times every completion it asks for. `None` when the request sets no limit (the
/// gateway's default then applies, which the caller cannot know): set `max_tokens` for the
/// check.
fn bound(path: &str, body: &Value, bytes: usize) -> Option<u64> {
	let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
	if path.ends_with("/embeddings") {
		return Some(bytes);
	}
	let field = |name: &str| body.get(name).and_then(Value::as_u64);
	let limit = field("max_tokens").max(field("max_completion_tokens"))?;
	let copies = field("n").unwrap_or(1).max(field("best_of").unwrap_or(1)).max(1);
	let prompts = match body.get("prompt") {
		Some(Value::Array(items)) if !items.is_empty() && !items.iter().all(Value::is_number) => {
			u64::try_from(items.len()).unwrap_or(u64::MAX)
		}
		_ => 1,
	};
	Some(bytes.saturating_add(limit.saturating_mul(copies).saturating_mul(prompts)))
}

/// A header of the answer, as a number.
fn number(headers: &hyper::HeaderMap, name: &str) -> Option<u64> {
	headers.get(name)?.to_str().ok()?.parse().ok()
}

impl GatewayClient {
	/// A caller of the gateway at `base` (e.g. `http://127.0.0.1:8080`) on `channel` of the
	/// chain `genesis_hash`, whose provider and nonce `binding` holds, signing as `signer` (the
	/// channel's consumer), `owed` units owed already.
	pub fn new(
		base: &str,
		genesis_hash: H256,
		channel: ChannelId,
		binding: ChannelBinding,
		signer: VoucherSigner,
		owed: Units,
	) -> Self {
		Self {
			base: base.trim_end_matches('/').to_string(),
			genesis_hash,
			channel,
			binding,
			signer,
			owed,
			http: Client::builder(TokioExecutor::new()).build_http(),
		}
	}

	/// Units the channel owes for the calls answered so far.
	pub fn owed(&self) -> Units {
		self.owed
	}

	/// The `X-Tributary-Voucher` header's value for what is owed now.
	pub fn header(&self) -> String {
		let voucher = voucher(self.genesis_hash, self.channel, self.owed);
		header::encode(&voucher, &self.signer.sign(&voucher, &self.binding))
	}

	async fn send(
		&self,
		method: &str,
		path: &str,
		body: Option<&Value>,
	) -> Result<(u16, hyper::HeaderMap, Value), ClientError> {
		let bytes = body.map(|body| Bytes::from(body.to_string())).unwrap_or_default();
		let request = hyper::Request::builder()
			.method(method)
			.uri(format!("{}{path}", self.base))
			.header("content-type", "application/json")
			.header(header::NAME, self.header())
			.body(Full::new(bytes))
			.map_err(http)?;
		let response = self.http.request(request).await.map_err(http)?;
		let status = response.status().as_u16();
		let headers = response.headers().clone();
		let bytes = response.into_body().collect().await.map_err(http)?.to_bytes();
		let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
		if !(200..300).contains(&status) {
			let field = |name: &str| {
				body.pointer(&format!("/error/{name}"))
					.and_then(Value::as_str)
					.unwrap_or_default()
					.to_string()
			};
			return Err(ClientError::Refused {
				status,
				code: field("code"),
				message: field("message"),
			});
		}
		Ok((status, headers, body))
	}

	/// A metered call: POSTs `body` to `path` (`/v1/chat/completions`, `/v1/completions`,
	/// `/v1/embeddings`) with the voucher for what is owed, and returns the answer once its
	/// charge is checked: the owed count must grow by exactly the charged units, and a call
	/// metered in tokens may cost no more than the answer's `usage.total_tokens`; a call metered
	/// in calls, one unit. A charge that fails the check is not owed.
	pub async fn post(&mut self, path: &str, body: &Value) -> Result<Value, ClientError> {
		let (_, headers, answer) = self.send("POST", path, Some(body)).await?;
		let units = number(&headers, "x-tributary-units");
		let owed = number(&headers, "x-tributary-owed");
		let (units, owed) = match (units, owed) {
			(Some(units), Some(owed)) => (units, owed),
			_ => {
				return Err(ClientError::Overcharged("the answer does not say what it cost".into()))
			}
		};
		if owed != self.owed.saturating_add(units) {
			return Err(ClientError::Overcharged(format!(
				"owed {owed} after a call of {units} units; {} were owed before",
				self.owed
			)));
		}
		let unit = headers.get("x-tributary-unit").and_then(|value| value.to_str().ok());
		let allowed = match unit {
			Some("calls") => Some(1),
			Some("tokens") => answer.pointer("/usage/total_tokens").and_then(Value::as_u64),
			_ => None,
		};
		let bound = match unit {
			Some("tokens") => bound(path, body, body.to_string().len()),
			_ => None,
		};
		if bound.is_some_and(|bound| units > bound) {
			return Err(ClientError::Overcharged(format!(
				"{units} units charged; the request may cost at most {bound:?}"
			)));
		}
		match allowed {
			Some(allowed) if units <= allowed => {}
			_ => {
				return Err(ClientError::Overcharged(format!(
					"{units} units charged; the answer justifies {allowed:?} ({unit:?})"
				)))
			}
		}
		self.owed = owed;
		Ok(answer)
	}

	/// Sends the voucher for what is owed without a call: pays for the last one. Returns what
	/// the gateway holds for the channel.
	pub async fn settle_up(&self) -> Result<Value, ClientError> {
		self.send("POST", "/v1/tributary/vouchers", None).await.map(|(_, _, body)| body)
	}

	/// What the gateway holds for the channel: `owed`, `voucherUnits`, `settledUnits`,
	/// `coveredUnits`, `closing`.
	pub async fn state(&self) -> Result<Value, ClientError> {
		let path = format!("/v1/tributary/channels/{}", self.channel);
		self.send("GET", &path, None).await.map(|(_, _, body)| body)
	}
}
