//! Why the gateway refuses a call, as the HTTP status and OpenAI's error body
//! (`{"error": {"message", "type", "param", "code"}}`) an OpenAI client understands.

use http::StatusCode;

/// A refused call. The upstream is never called for any of them but [`Refusal::Upstream`],
/// and nothing is charged for any of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
	/// The request names a model this provider does not serve.
	UnknownModel(String),
	/// The request body is not what the endpoint takes.
	BadRequest(String),
	/// The request carries no voucher.
	MissingVoucher,
	/// The voucher header does not decode.
	MalformedVoucher(String),
	/// The voucher names a channel that does not exist (or is closed).
	UnknownChannel(u64),
	/// The channel's provider is another account.
	WrongProvider,
	/// The voucher is for another chain.
	WrongChain,
	/// The signature is not the channel's consumer's over this voucher and channel.
	BadSignature,
	/// The channel pays for another model.
	ChannelModelMismatch,
	/// The voucher owes less than the calls already answered.
	VoucherBehind { owed: u64, signed: u64 },
	/// The voucher signs for more units than the answered calls owe: the caller would pay for
	/// calls it did not get.
	VoucherAhead { owed: u64, signed: u64 },
	/// The channel cannot pay for this call at its largest (the unpaid units plus the call's
	/// maximum exceed what the deposit covers).
	DepositShort { covered: u64, needed: u64 },
	/// The call may cost more than the gateway answers one call for.
	CallTooLarge { bound: u64, max: u64 },
	/// The channel is closing: no new calls.
	ChannelClosing,
	/// A call on the channel is still being answered: one at a time.
	CallInFlight,
	/// The upstream model server failed; nothing was charged.
	Upstream(String),
	/// The chain cannot be read now; nothing was charged.
	ChainUnavailable(String),
	/// The gateway is answering as many calls as it is configured for.
	Busy,
	/// The journal could not record the call: it was answered by the model but cannot be
	/// proven, so the gateway stops short of answering.
	Journal(String),
}

impl Refusal {
	/// The HTTP status: 404 unknown model, 401 who is paying is not established, 402 payment is
	/// short, 400 a malformed pairing, 502 the upstream failed.
	pub fn status(&self) -> StatusCode {
		match self {
			Self::UnknownModel(_) => StatusCode::NOT_FOUND,
			Self::MissingVoucher
			| Self::MalformedVoucher(_)
			| Self::UnknownChannel(_)
			| Self::WrongProvider
			| Self::WrongChain
			| Self::BadSignature => StatusCode::UNAUTHORIZED,
			Self::BadRequest(_)
			| Self::ChannelModelMismatch
			| Self::VoucherAhead { .. }
			| Self::CallTooLarge { .. } => StatusCode::BAD_REQUEST,
			Self::VoucherBehind { .. } | Self::DepositShort { .. } | Self::ChannelClosing => {
				StatusCode::PAYMENT_REQUIRED
			}
			Self::Upstream(_) => StatusCode::BAD_GATEWAY,
			Self::CallInFlight => StatusCode::TOO_MANY_REQUESTS,
			Self::ChainUnavailable(_) | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
			Self::Journal(_) => StatusCode::INTERNAL_SERVER_ERROR,
		}
	}

	/// OpenAI's `error.code`: stable, for programs.
	pub fn code(&self) -> &'static str {
		match self {
			Self::UnknownModel(_) => "model_not_found",
			Self::BadRequest(_) => "invalid_request",
			Self::MissingVoucher => "missing_voucher",
			Self::MalformedVoucher(_) => "malformed_voucher",
			Self::UnknownChannel(_) => "unknown_channel",
			Self::WrongProvider => "wrong_provider",
			Self::WrongChain => "wrong_chain",
			Self::BadSignature => "bad_signature",
			Self::ChannelModelMismatch => "channel_model_mismatch",
			Self::VoucherBehind { .. } => "voucher_behind",
			Self::VoucherAhead { .. } => "voucher_ahead",
			Self::DepositShort { .. } => "deposit_short",
			Self::ChannelClosing => "channel_closing",
			Self::CallTooLarge { .. } => "call_too_large",
			Self::CallInFlight => "call_in_flight",
			Self::Upstream(_) => "upstream_failed",
			Self::ChainUnavailable(_) => "chain_unavailable",
			Self::Busy => "server_busy",
			Self::Journal(_) => "journal_failed",
		}
	}

	/// The message, for people.
	pub fn message(&self) -> String {
		match self {
			Self::UnknownModel(name) => format!("The model `{name}` is not served here."),
			Self::BadRequest(why) => format!("Bad request: {why}."),
			Self::MalformedVoucher(why) => {
				format!("The X-Tributary-Voucher header is unusable: {why}.")
			}
			Self::MissingVoucher => "No voucher: sign one for the units owed so far on your \
			                         channel and send it in the X-Tributary-Voucher header."
				.into(),
			Self::UnknownChannel(id) => format!("Channel {id} is not open on this chain."),
			Self::WrongProvider => "The channel pays another provider.".into(),
			Self::WrongChain => "The voucher is for another chain (genesis hash).".into(),
			Self::BadSignature => {
				"The signature is not the channel consumer's over this voucher.".into()
			}
			Self::ChannelModelMismatch => "The channel pays for another model.".into(),
			Self::VoucherBehind { owed, signed } => format!(
				"The voucher signs for {signed} units; {owed} are owed for the calls answered."
			),
			Self::VoucherAhead { owed, signed } => format!(
				"The voucher signs for {signed} units; only {owed} are owed: sign for exactly {owed}."
			),
			Self::DepositShort { covered, needed } => format!(
				"The channel's deposit covers {covered} more units; this call may take {needed}. \
				 Top the channel up."
			),
			Self::ChannelClosing => "The channel is closing: open a new one.".into(),
			Self::CallTooLarge { bound, max } => format!(
				"This call may cost {bound} units (its input's bytes and its token limit); one call \
				 may cost at most {max} here. Lower max_tokens or split the input."
			),
			Self::CallInFlight => "A call on this channel is still being answered: one call at a \
			                       time per channel (open more channels to call in parallel)."
				.into(),
			Self::Upstream(why) => format!("The model server failed ({why}); nothing was charged."),
			Self::ChainUnavailable(why) => {
				format!("The chain cannot be read now ({why}); nothing was charged.")
			}
			Self::Journal(why) => format!("The gateway cannot record the call ({why})."),
			Self::Busy => "The gateway is answering as many calls as it can; try again.".into(),
		}
	}

	/// OpenAI's error body.
	pub fn body(&self) -> serde_json::Value {
		let kind = match self.status() {
			StatusCode::BAD_GATEWAY
			| StatusCode::SERVICE_UNAVAILABLE
			| StatusCode::INTERNAL_SERVER_ERROR => "server_error",
			StatusCode::UNAUTHORIZED => "authentication_error",
			StatusCode::PAYMENT_REQUIRED => "insufficient_quota",
			StatusCode::TOO_MANY_REQUESTS => "rate_limit_error",
			_ => "invalid_request_error",
		};
		serde_json::json!({
			"error": {
				"message": self.message(),
				"type": kind,
				"param": serde_json::Value::Null,
				"code": self.code(),
			}
		})
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::indexing_slicing)]
	use super::*;

	#[test]
	fn each_refusal_has_its_status_and_openai_shape() {
		let cases = [
			(Refusal::UnknownModel("x".into()), 404, "model_not_found"),
			(Refusal::BadRequest("x".into()), 400, "invalid_request"),
			(Refusal::MissingVoucher, 401, "missing_voucher"),
			(Refusal::MalformedVoucher("x".into()), 401, "malformed_voucher"),
			(Refusal::UnknownChannel(4), 401, "unknown_channel"),
			(Refusal::WrongProvider, 401, "wrong_provider"),
			(Refusal::WrongChain, 401, "wrong_chain"),
			(Refusal::BadSignature, 401, "bad_signature"),
			(Refusal::ChannelModelMismatch, 400, "channel_model_mismatch"),
			(Refusal::VoucherBehind { owed: 10, signed: 9 }, 402, "voucher_behind"),
			(Refusal::VoucherAhead { owed: 10, signed: 11 }, 400, "voucher_ahead"),
			(Refusal::DepositShort { covered: 5, needed: 9 }, 402, "deposit_short"),
			(Refusal::ChannelClosing, 402, "channel_closing"),
			(Refusal::CallTooLarge { bound: 9, max: 8 }, 400, "call_too_large"),
			(Refusal::CallInFlight, 429, "call_in_flight"),
			(Refusal::Upstream("timeout".into()), 502, "upstream_failed"),
			(Refusal::ChainUnavailable("down".into()), 503, "chain_unavailable"),
			(Refusal::Busy, 503, "server_busy"),
			(Refusal::Journal("disk".into()), 500, "journal_failed"),
		];
		for (refusal, status, code) in cases {
			assert_eq!(refusal.status().as_u16(), status, "{refusal:?}");
			let body = refusal.body();
			assert_eq!(body["error"]["code"], code);
			assert!(body["error"]["param"].is_null());
			assert!(!body["error"]["message"].as_str().unwrap_or_default().is_empty());
			assert!(body["error"]["type"].is_string());
		}
		assert!(Refusal::VoucherBehind { owed: 10, signed: 9 }.message().contains("10 are owed"));
	}
}
