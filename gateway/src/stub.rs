//! A deterministic OpenAI-compatible model server, for trying the gateway without a model and
//! for its tests and benchmark (the `tributary-gateway-stub` binary serves it).
//!
//! Every answer is computed from the request alone: the prompt costs one token per
//! whitespace-separated word of the input, the completion is `min(max_tokens, 8)` tokens of
//! `tok` (16 when no limit is given), embeddings are 4 numbers. `GET /stats` counts the calls
//! served, so a test can show a refused call never reached the model.

use axum::{
	extract::State,
	http::{header, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use serde_json::{json, Value};
use std::sync::{
	atomic::{AtomicU64, Ordering},
	Arc,
};

/// The stub's routes: `/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/stats`.
pub fn router() -> Router {
	Router::new()
		.route("/v1/chat/completions", post(chat))
		.route("/v1/completions", post(completions))
		.route("/v1/embeddings", post(embeddings))
		.route("/stats", get(stats))
		.with_state(Arc::new(Stats::default()))
}

#[derive(Default)]
struct Stats {
	calls: AtomicU64,
}

/// Tokens of the input the caller sent: its words.
fn prompt_tokens(input: Option<&Value>) -> u64 {
	fn words(value: &Value) -> u64 {
		match value {
			Value::String(text) => text.split_whitespace().count() as u64,
			Value::Array(items) => items.iter().map(words).fold(0, u64::saturating_add),
			Value::Object(fields) => fields.get("content").map_or(0, words),
			_ => 0,
		}
	}
	input.map_or(0, words)
}

fn completion_tokens(request: &Value) -> u64 {
	let limit = request
		.get("max_completion_tokens")
		.or_else(|| request.get("max_tokens"))
		.and_then(Value::as_u64);
	limit.map_or(16, |limit| limit.min(8))
}

fn usage(prompt: u64, completion: u64) -> Value {
	json!({
		"prompt_tokens": prompt,
		"completion_tokens": completion,
		"total_tokens": prompt.saturating_add(completion),
	})
}

async fn chat(State(stats): State<Arc<Stats>>, Json(request): Json<Value>) -> Response {
	complete(stats, request, true)
}

async fn completions(State(stats): State<Arc<Stats>>, Json(request): Json<Value>) -> Response {
	complete(stats, request, false)
}

fn complete(stats: Arc<Stats>, request: Value, chat: bool) -> Response {
	stats.calls.fetch_add(1, Ordering::Relaxed);
	let model = request.get("model").cloned().unwrap_or(Value::Null);
	let input = request.get(if chat { "messages" } else { "prompt" });
	let prompt = prompt_tokens(input);
	let completion = completion_tokens(&request);
	let text = vec!["tok"; usize::try_from(completion).unwrap_or(0)].join(" ");
	let object = if chat { "chat.completion" } else { "text_completion" };
	let choice = |text: &str, finish: Option<&str>| {
		if chat {
			json!({"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish})
		} else {
			json!({"index": 0, "text": text, "finish_reason": finish})
		}
	};
	if request.get("stream").and_then(Value::as_bool) != Some(true) {
		return Json(json!({
			"id": "stub-1",
			"object": object,
			"created": 0,
			"model": model,
			"choices": [choice(&text, Some("length"))],
			"usage": usage(prompt, completion),
		}))
		.into_response();
	}
	let chunk_object = if chat { "chat.completion.chunk" } else { "text_completion" };
	let delta = |text: &str, finish: Option<&str>| {
		if chat {
			json!({"index": 0, "delta": {"content": text}, "finish_reason": finish})
		} else {
			json!({"index": 0, "text": text, "finish_reason": finish})
		}
	};
	let mut events = String::new();
	for i in 0..completion {
		let finish = (i.saturating_add(1) == completion).then_some("length");
		let chunk = json!({"id": "stub-1", "object": chunk_object, "created": 0, "model": model,
			"choices": [delta("tok ", finish)]});
		events.push_str(&format!("data: {chunk}\n\n"));
	}
	if request.pointer("/stream_options/include_usage").and_then(Value::as_bool) == Some(true) {
		let chunk = json!({"id": "stub-1", "object": chunk_object, "created": 0, "model": model,
			"choices": [], "usage": usage(prompt, completion)});
		events.push_str(&format!("data: {chunk}\n\n"));
	}
	events.push_str("data: [DONE]\n\n");
	(StatusCode::OK, [(header::CONTENT_TYPE, "text/event-stream")], events).into_response()
}

async fn embeddings(State(stats): State<Arc<Stats>>, Json(request): Json<Value>) -> Response {
	stats.calls.fetch_add(1, Ordering::Relaxed);
	let prompt = prompt_tokens(request.get("input"));
	Json(json!({
		"object": "list",
		"data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3, 0.4]}],
		"model": request.get("model").cloned().unwrap_or(Value::Null),
		"usage": {"prompt_tokens": prompt, "total_tokens": prompt},
	}))
	.into_response()
}

async fn stats(State(stats): State<Arc<Stats>>) -> Response {
	Json(json!({"calls": stats.calls.load(Ordering::Relaxed)})).into_response()
}
