//! What a call may cost, decided before it is forwarded: the endpoints, the request fields the
//! gateway forwards, and the bound in units the call is admitted (and charged at most) for.
//!
//! The bound must hold whatever the model server does with the request, so only fields whose
//! effect on the tokens is known are forwarded: OpenAI's own, text content only. A field that
//! could make the server generate or read more than the bound counts (a chat template, images,
//! audio, a server's own sampling extensions) is refused, not passed through.

use crate::{
	config::{Model, UnitOf},
	refusal::Refusal,
};
use serde_json::{json, Value};

/// The request fields forwarded, by endpoint.
const CHAT_FIELDS: &[&str] = &[
	"model",
	"messages",
	"max_tokens",
	"max_completion_tokens",
	"n",
	"stream",
	"stream_options",
	"temperature",
	"top_p",
	"stop",
	"presence_penalty",
	"frequency_penalty",
	"logit_bias",
	"logprobs",
	"top_logprobs",
	"user",
	"seed",
	"response_format",
	"tools",
	"tool_choice",
	"parallel_tool_calls",
];
const COMPLETION_FIELDS: &[&str] = &[
	"model",
	"prompt",
	"max_tokens",
	"n",
	"best_of",
	"stream",
	"stream_options",
	"temperature",
	"top_p",
	"stop",
	"presence_penalty",
	"frequency_penalty",
	"logit_bias",
	"logprobs",
	"echo",
	"suffix",
	"user",
	"seed",
];
const EMBEDDING_FIELDS: &[&str] = &["model", "input", "encoding_format", "dimensions", "user"];

/// The model endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
	/// `/v1/chat/completions`
	Chat,
	/// `/v1/completions`
	Completions,
	/// `/v1/embeddings`
	Embeddings,
}

impl Endpoint {
	/// The path below the upstream's base URL.
	pub fn path(self) -> &'static str {
		match self {
			Self::Chat => "/chat/completions",
			Self::Completions => "/completions",
			Self::Embeddings => "/embeddings",
		}
	}

	/// The fields forwarded.
	fn fields(self) -> &'static [&'static str] {
		match self {
			Self::Chat => CHAT_FIELDS,
			Self::Completions => COMPLETION_FIELDS,
			Self::Embeddings => EMBEDDING_FIELDS,
		}
	}

	/// The request field holding the input the caller pays for.
	fn input(self) -> &'static str {
		match self {
			Self::Chat => "messages",
			Self::Completions => "prompt",
			Self::Embeddings => "input",
		}
	}
}

/// Bounds a call's cost in units and sets the limits that make the bound hold upstream.
///
/// The prompt is bounded by the request's bytes (every field counted: messages, tools, prompts;
/// a token is at least a byte). The completion is bounded by its token limit — the larger of
/// `max_tokens` and `max_completion_tokens`, or the model's `default_max_tokens` — written back
/// into the request, times every completion the request asks for (`n`, `best_of`, one per
/// prompt of a batch). A stream is made to end with its usage chunk. Returns the bound and
/// whether the call streams.
pub fn bound_call(
	endpoint: Endpoint,
	model: &Model,
	request: &mut Value,
	request_bytes: usize,
) -> Result<(u64, bool), Refusal> {
	let bad = |why: &str| Refusal::BadRequest(why.into());
	let body = request.as_object_mut().ok_or_else(|| bad("the body is not a JSON object"))?;
	if let Some(field) = body.keys().find(|field| !endpoint.fields().contains(&field.as_str())) {
		return Err(Refusal::BadRequest(format!(
			"`{field}` is not forwarded by this gateway (its cost cannot be bounded)"
		)));
	}
	if endpoint == Endpoint::Chat {
		text_only(body.get("messages"))?;
	}
	if body
		.get("stream_options")
		.and_then(Value::as_object)
		.is_some_and(|options| options.keys().any(|option| option != "include_usage"))
	{
		return Err(bad("`stream_options` takes `include_usage` only"));
	}
	let input = body
		.get(endpoint.input())
		.ok_or_else(|| Refusal::BadRequest(format!("`{}` is missing", endpoint.input())))?;
	let prompts = match input {
		Value::Array(items) if endpoint == Endpoint::Completions && !items.is_empty() => {
			// A batch of prompts (strings, or token arrays) gets a completion each; one array
			// of token ids is one prompt.
			if items.iter().all(Value::is_number) {
				1
			} else {
				items.len()
			}
		}
		_ => 1,
	};
	let streaming = match body.get("stream") {
		None | Some(Value::Null) => false,
		Some(Value::Bool(streaming)) => *streaming,
		Some(_) => return Err(bad("`stream` is not a boolean")),
	};
	if streaming && endpoint == Endpoint::Embeddings {
		return Err(bad("embeddings do not stream"));
	}
	let whole = |field: &str| -> Result<Option<u64>, Refusal> {
		match body.get(field) {
			None | Some(Value::Null) => Ok(None),
			Some(value) => value
				.as_u64()
				.map(Some)
				.ok_or_else(|| Refusal::BadRequest(format!("`{field}` is not a whole number"))),
		}
	};
	let completion_bound = match endpoint {
		Endpoint::Embeddings => 0,
		Endpoint::Chat | Endpoint::Completions => {
			let given = whole("max_tokens")?.max(whole("max_completion_tokens")?);
			let limit = given.unwrap_or(model.default_max_tokens);
			let copies = whole("n")?.unwrap_or(1).max(whole("best_of")?.unwrap_or(1));
			body.insert("max_tokens".into(), limit.into());
			if endpoint == Endpoint::Chat {
				body.insert("max_completion_tokens".into(), limit.into());
			} else {
				body.remove("max_completion_tokens");
			}
			limit.saturating_mul(copies).saturating_mul(u64::try_from(prompts).unwrap_or(u64::MAX))
		}
	};
	if streaming {
		let options = body.entry("stream_options").or_insert_with(|| json!({}));
		let options =
			options.as_object_mut().ok_or_else(|| bad("`stream_options` is not an object"))?;
		options.insert("include_usage".into(), true.into());
	}
	let bound = match model.unit {
		UnitOf::Calls => 1,
		UnitOf::Tokens => {
			u64::try_from(request_bytes).unwrap_or(u64::MAX).saturating_add(completion_bound)
		}
	};
	Ok((bound, streaming))
}

/// The units a finished call costs, from the upstream's `usage`: total tokens, or one call.
pub fn usage_units(unit: UnitOf, usage: Option<&Value>) -> Option<u64> {
	match unit {
		UnitOf::Calls => Some(1),
		UnitOf::Tokens => usage?.get("total_tokens")?.as_u64(),
	}
}

/// Refuses messages whose content is not text: an image or a sound costs tokens its bytes do
/// not bound.
fn text_only(messages: Option<&Value>) -> Result<(), Refusal> {
	let Some(Value::Array(messages)) = messages else {
		return Err(Refusal::BadRequest("`messages` is not a list".into()));
	};
	for message in messages {
		if let Some(Value::Array(parts)) = message.get("content") {
			let text = |part: &Value| part.get("type").and_then(Value::as_str) == Some("text");
			if let Some(part) = parts.iter().find(|part| !text(part)) {
				let kind = part.get("type").and_then(Value::as_str).unwrap_or("untyped");
				return Err(Refusal::BadRequest(format!(
					"a `{kind}` content part: only text is metered here"
				)));
			}
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
	use super::*;
	use crate::config::Model;

	fn model(unit: UnitOf) -> Model {
		Model {
			name: "m".into(),
			model_id: 0,
			upstream: "http://127.0.0.1:1/v1".into(),
			unit,
			default_max_tokens: 100,
			timeout_secs: 60,
		}
	}

	fn bound(endpoint: Endpoint, request: Value) -> Result<(u64, bool, Value), Refusal> {
		let mut request = request;
		let bytes = request.to_string().len();
		let (bound, streaming) = bound_call(endpoint, &model(UnitOf::Tokens), &mut request, bytes)?;
		Ok((bound.saturating_sub(bytes as u64), streaming, request))
	}

	#[test]
	fn every_completion_a_request_asks_for_is_in_its_bound() {
		let messages = json!([{"role": "user", "content": "hi"}]);
		let chat = |extra: Value| {
			let mut request = json!({"model": "m", "messages": messages});
			for (key, value) in extra.as_object().unwrap() {
				request[key] = value.clone();
			}
			bound(Endpoint::Chat, request).unwrap()
		};
		// The model's default limit is set when none is given.
		let (completion, streaming, sent) = chat(json!({}));
		assert_eq!((completion, streaming), (100, false));
		assert_eq!(
			(sent["max_tokens"].as_u64(), sent["max_completion_tokens"].as_u64()),
			(Some(100), Some(100))
		);
		// The larger limit counts, and both fields carry it upstream.
		let (completion, _, sent) = chat(json!({"max_completion_tokens": 1, "max_tokens": 8000}));
		assert_eq!(completion, 8000);
		assert_eq!(sent["max_completion_tokens"].as_u64(), Some(8000));
		assert_eq!(chat(json!({"max_tokens": 10, "n": 3})).0, 30);
		let batch =
			json!({"model": "m", "prompt": ["a", "b", "c", "d"], "max_tokens": 5, "best_of": 2});
		let (completion, _, sent) = bound(Endpoint::Completions, batch).unwrap();
		assert_eq!(completion, 5 * 2 * 4);
		assert!(sent.get("max_completion_tokens").is_none(), "completions servers read max_tokens");
		let tokens = json!({"model": "m", "prompt": [1, 2, 3], "max_tokens": 5});
		assert_eq!(bound(Endpoint::Completions, tokens).unwrap().0, 5, "one prompt of token ids");
		let embeddings = json!({"model": "m", "input": ["a", "b"]});
		assert_eq!(bound(Endpoint::Embeddings, embeddings).unwrap().0, 0);
		// A stream is made to end with its usage.
		let (_, streaming, sent) = chat(json!({"stream": true}));
		assert!(streaming);
		assert_eq!(sent["stream_options"]["include_usage"], json!(true));
		// Whatever the request holds counts toward the prompt: tools, documents, anything.
		let tools = json!({"model": "m", "messages": messages, "max_tokens": 1, "tools": ["x".repeat(5000)]});
		let bytes = tools.to_string().len() as u64;
		let mut sent = tools.clone();
		let (total, _) =
			bound_call(Endpoint::Chat, &model(UnitOf::Tokens), &mut sent, bytes as usize).unwrap();
		assert_eq!(total, bytes + 1);
		// A call-metered model's calls cost one unit.
		let mut request = json!({"model": "m", "messages": messages, "n": 5});
		assert_eq!(
			bound_call(Endpoint::Chat, &model(UnitOf::Calls), &mut request, 10).unwrap().0,
			1
		);
	}

	#[test]
	fn malformed_limits_and_streams_are_refused() {
		let refused = |endpoint, request: Value| {
			let refusal = bound(endpoint, request).unwrap_err();
			assert_eq!(refusal.code(), "invalid_request");
			refusal.message()
		};
		let messages = json!([{"role": "user", "content": "hi"}]);
		assert!(refused(Endpoint::Chat, json!({"messages": messages, "stream": "true"}))
			.contains("boolean"));
		assert!(refused(Endpoint::Chat, json!({"messages": messages, "max_tokens": -1}))
			.contains("whole"));
		assert!(refused(Endpoint::Chat, json!({"messages": messages, "n": 1.5})).contains("whole"));
		assert!(refused(Endpoint::Chat, json!({"model": "m"})).contains("messages"));
		assert!(
			refused(Endpoint::Embeddings, json!({"input": "x", "stream": true})).contains("stream")
		);
		assert!(refused(Endpoint::Chat, json!([1])).contains("object"));
	}

	#[test]
	fn fields_whose_cost_cannot_be_bounded_are_refused() {
		let refused = |endpoint, request: Value| bound(endpoint, request).unwrap_err().message();
		let text = json!([{"role": "user", "content": [{"type": "text", "text": "hi"}]}]);
		assert!(bound(Endpoint::Chat, json!({"messages": text})).is_ok());
		let image = json!([{"role": "user", "content": [
			{"type": "text", "text": "what is it"},
			{"type": "image_url", "image_url": {"url": "https://x/y.png"}}
		]}]);
		assert!(refused(Endpoint::Chat, json!({"messages": image})).contains("image_url"));
		let messages = json!([{"role": "user", "content": "hi"}]);
		for field in ["chat_template", "chat_template_kwargs", "use_beam_search", "min_tokens"] {
			let message = refused(Endpoint::Chat, json!({"messages": messages, field: "x"}));
			assert!(message.contains(field), "{message}");
		}
		assert!(refused(
			Endpoint::Completions,
			json!({"prompt": "x", "best_of": 2, "guided_json": {}})
		)
		.contains("guided_json"));
		assert!(refused(Endpoint::Embeddings, json!({"input": "x", "truncate_prompt_tokens": 1}))
			.contains("truncate"));
		let options = json!({"messages": messages, "stream": true, "stream_options": {"continuous_usage_stats": true}});
		assert!(refused(Endpoint::Chat, options).contains("include_usage"));
	}
}
