//! The HTTP surface: OpenAI's model endpoints, metered, and the gateway's own.
//!
//! A model call goes: find the model, bound its cost (the prompt's bytes and the completion's
//! token limit, which the gateway sets when the caller did not), admit it against the
//! channel ([`Ledger::admit`]), forward it, read the upstream's `usage`, charge it and journal
//! it, then answer with the units in the headers. Nothing is charged for a call that fails.

use crate::{
	chain::Offer,
	config::{Config, Model, UnitOf},
	ledger::{Charged, Ledger, Reservation},
	metrics::Metrics,
	refusal::Refusal,
	sse::{EventKind, SseEvents},
};
use axum::{
	body::Body,
	extract::{Path, State},
	http::{header, HeaderMap, HeaderValue, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use serde_json::{json, Value};
use std::{
	collections::HashMap,
	sync::Arc,
	time::{Duration, Instant},
};

/// The client the gateway reaches model servers with.
pub type Upstream = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// Everything a handler needs.
#[derive(Clone)]
pub struct AppState {
	/// The configuration.
	pub config: Arc<Config>,
	/// The channels.
	pub ledger: Arc<Ledger>,
	/// The upstream client.
	pub upstream: Upstream,
	/// The metrics.
	pub metrics: Arc<Metrics>,
	/// One permit per call being answered: beyond `max_concurrent_calls` a call is refused at
	/// once (503) rather than queued without bound.
	calls: Arc<tokio::sync::Semaphore>,
	/// Each model's on-chain terms, read at most every [`OFFER_TTL`].
	offers: Arc<std::sync::Mutex<OfferCache>>,
}

/// Each model's terms, and when they were read.
type OfferCache = HashMap<u32, (Instant, Option<Offer>)>;

/// How long `GET /v1/models` reuses a model's terms read from the chain.
const OFFER_TTL: Duration = Duration::from_secs(10);

impl AppState {
	/// The state of a gateway with `config` over `ledger`.
	pub fn new(config: Config, ledger: Arc<Ledger>, metrics: Arc<Metrics>) -> Self {
		let permits = config.max_concurrent_calls;
		Self {
			config: Arc::new(config),
			ledger,
			upstream: upstream_client(),
			metrics,
			calls: Arc::new(tokio::sync::Semaphore::new(permits)),
			offers: Arc::default(),
		}
	}

	async fn offer(&self, model: u32) -> Option<Offer> {
		let cached = self.offers.lock().ok().and_then(|offers| offers.get(&model).cloned());
		if let Some((read, offer)) = cached {
			if read.elapsed() < OFFER_TTL {
				return offer;
			}
		}
		let offer = self.ledger.chain().offer(model).await.ok()?;
		if let Ok(mut offers) = self.offers.lock() {
			offers.insert(model, (Instant::now(), offer.clone()));
		}
		offer
	}
}

/// A new upstream client.
pub fn upstream_client() -> Upstream {
	Client::builder(TokioExecutor::new()).build_http()
}

/// The gateway's routes.
pub fn router(state: AppState) -> Router {
	Router::new()
		.route("/v1/models", get(models))
		.route("/v1/chat/completions", post(|s, h, b| call(s, h, b, Endpoint::Chat)))
		.route("/v1/completions", post(|s, h, b| call(s, h, b, Endpoint::Completions)))
		.route("/v1/embeddings", post(|s, h, b| call(s, h, b, Endpoint::Embeddings)))
		.route("/v1/tributary/vouchers", post(pay))
		.route("/v1/tributary/channels/{id}", get(channel_state))
		.route("/health", get(health))
		.route("/metrics", get(metrics))
		.with_state(state)
}

impl IntoResponse for Refusal {
	fn into_response(self) -> Response {
		(self.status(), Json(self.body())).into_response()
	}
}

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
	fn path(self) -> &'static str {
		match self {
			Self::Chat => "/chat/completions",
			Self::Completions => "/completions",
			Self::Embeddings => "/embeddings",
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

fn voucher_header(headers: &HeaderMap) -> Option<&str> {
	headers.get(tributary_vouchers::header::NAME).and_then(|value| value.to_str().ok())
}

fn number(value: u64) -> HeaderValue {
	HeaderValue::from(value)
}

/// The response headers that tell the caller what it owes.
fn charge_headers(headers: &mut HeaderMap, channel: u64, unit: UnitOf, charged: Option<Charged>) {
	headers.insert("x-tributary-channel", number(channel));
	let unit = match unit {
		UnitOf::Tokens => "tokens",
		UnitOf::Calls => "calls",
	};
	headers.insert("x-tributary-unit", HeaderValue::from_static(unit));
	if let Some(charged) = charged {
		headers.insert("x-tributary-units", number(charged.units));
		headers.insert("x-tributary-owed", number(charged.owed));
		headers.insert("x-tributary-remaining", number(charged.remaining));
	}
}

async fn call(
	State(state): State<AppState>,
	headers: HeaderMap,
	body: Bytes,
	endpoint: Endpoint,
) -> Response {
	match serve_call(&state, &headers, &body, endpoint).await {
		Ok(response) => response,
		Err((model, refusal)) => {
			state.metrics.call(&model, refusal.code());
			refusal.into_response()
		}
	}
}

async fn serve_call(
	state: &AppState,
	headers: &HeaderMap,
	body: &Bytes,
	endpoint: Endpoint,
) -> Result<Response, (String, Refusal)> {
	let unknown = |refusal| (String::from("-"), refusal);
	let permit = state.calls.clone().try_acquire_owned().map_err(|_| unknown(Refusal::Busy))?;
	let mut request: Value = serde_json::from_slice(body)
		.map_err(|e| unknown(Refusal::BadRequest(format!("the body is not JSON: {e}"))))?;
	let name = request.get("model").and_then(Value::as_str).unwrap_or_default().to_string();
	let model = state
		.config
		.model(&name)
		.cloned()
		.ok_or_else(|| unknown(Refusal::UnknownModel(name.clone())))?;
	let refused = |refusal| (model.name.clone(), refusal);
	let wants_usage =
		request.pointer("/stream_options/include_usage").and_then(Value::as_bool).unwrap_or(false);
	let (max_units, streaming) =
		bound_call(endpoint, &model, &mut request, body.len()).map_err(refused)?;
	let reservation = state
		.ledger
		.admit(voucher_header(headers), Some(model.model_id), max_units)
		.await
		.map_err(refused)?;
	let channel = reservation.channel;

	let started = Instant::now();
	let limit = Duration::from_secs(model.timeout_secs);
	let forwarded = tokio::time::timeout(limit, forward(state, &model, endpoint, &request))
		.await
		.unwrap_or_else(|_| Err(format!("no answer within {} s", model.timeout_secs)));
	state.metrics.upstream(&model.name, started.elapsed().as_secs_f64());
	let response = match forwarded {
		Ok(response) => response,
		Err(why) => return Err(refused(refuse(state, reservation, Refusal::Upstream(why)).await)),
	};
	let status = response.status();
	if !status.is_success() {
		let body = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
		if status.is_client_error() {
			// The caller's mistake (a context too long, a bad parameter): passed through as the
			// model server said it, not charged.
			state.ledger.cancel(reservation).await.map_err(refused)?;
			state.metrics.call(&model.name, "upstream_refused");
			return Ok((status, [(header::CONTENT_TYPE, "application/json")], body).into_response());
		}
		let why = format!("status {status}");
		return Err(refused(refuse(state, reservation, Refusal::Upstream(why)).await));
	}
	// A model server that answers a stream request with one JSON body is metered as one.
	let event_stream = response
		.headers()
		.get(header::CONTENT_TYPE)
		.and_then(|value| value.to_str().ok())
		.is_some_and(|value| value.starts_with("text/event-stream"));
	if streaming && event_stream {
		return Ok(stream(state.clone(), model, reservation, response, wants_usage, permit));
	}
	let collected = tokio::time::timeout(limit, response.into_body().collect()).await;
	let body = match collected {
		Ok(Ok(body)) => body.to_bytes(),
		Ok(Err(e)) => {
			let why = format!("the body broke off: {e}");
			return Err(refused(refuse(state, reservation, Refusal::Upstream(why)).await));
		}
		Err(_) => {
			let why = format!("no answer within {} s", model.timeout_secs);
			return Err(refused(refuse(state, reservation, Refusal::Upstream(why)).await));
		}
	};
	let answer: Option<Value> = serde_json::from_slice(&body).ok();
	let Some(units) = usage_units(model.unit, answer.as_ref().and_then(|a| a.get("usage"))) else {
		let why = "the answer has no usage to meter".to_string();
		return Err(refused(refuse(state, reservation, Refusal::Upstream(why)).await));
	};
	let charged = state.ledger.complete(reservation, units).await.map_err(refused)?;
	state.metrics.charged(&model.name, charged.units);
	let mut response =
		(StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response();
	charge_headers(response.headers_mut(), channel, model.unit, Some(charged));
	Ok(response)
}

/// Cancels `reservation` (nothing is charged) and returns the refusal to answer with.
async fn refuse(state: &AppState, reservation: Reservation, refusal: Refusal) -> Refusal {
	match state.ledger.cancel(reservation).await {
		Ok(()) => refusal,
		Err(journal) => journal,
	}
}

async fn forward(
	state: &AppState,
	model: &Model,
	endpoint: Endpoint,
	request: &Value,
) -> Result<hyper::Response<hyper::body::Incoming>, String> {
	let uri = format!("{}{}", model.upstream.trim_end_matches('/'), endpoint.path());
	let upstream = hyper::Request::post(uri)
		.header(header::CONTENT_TYPE, "application/json")
		.body(Full::new(Bytes::from(request.to_string())))
		.map_err(|e| e.to_string())?;
	state.upstream.request(upstream).await.map_err(|e| format!("unreachable: {e}"))
}

/// Relays an upstream event stream, charging the call from its final usage chunk. The units
/// reach the caller in a comment, `: tributary owed=<owed> units=<units>`, before
/// `data: [DONE]`. A stream that breaks off before its usage, or whose caller leaves first,
/// is not charged.
fn stream(
	state: AppState,
	model: Model,
	reservation: Reservation,
	response: hyper::Response<hyper::body::Incoming>,
	wants_usage: bool,
	permit: tokio::sync::OwnedSemaphorePermit,
) -> Response {
	let channel = reservation.channel;
	let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(32);
	tokio::spawn(async move {
		// The call holds its permit until its stream ends.
		let _permit = permit;
		let idle = Duration::from_secs(model.timeout_secs);
		let mut body = response.into_body();
		let mut events = SseEvents::default();
		let mut units = None;
		let mut reservation = Some(reservation);
		let mut finished = false;
		// A caller that leaves mid-answer still got part of it: the model server's usage is
		// read to the end and charged.
		let mut caller_left = false;
		while !finished {
			let chunk = match tokio::time::timeout(idle, body.frame()).await {
				Ok(Some(Ok(frame))) => match frame.into_data() {
					Ok(data) => data,
					Err(_) => continue,
				},
				// Broken off, ended, or silent for too long.
				Ok(Some(Err(_)) | None) | Err(_) => break,
			};
			let Some(complete) = events.push(&chunk) else {
				tracing::warn!(channel, "an event of the model server's stream is too large");
				break;
			};
			for event in complete {
				let outgoing = match event.kind() {
					EventKind::Done => {
						finished = true;
						break;
					}
					EventKind::Usage { usage, has_choices } => {
						units = usage_units(model.unit, Some(&usage));
						// The gateway asked for the usage chunk; a caller that did not gets
						// none, as OpenAI would send it.
						if !wants_usage && !has_choices {
							continue;
						}
						event.bytes
					}
					EventKind::Other => event.bytes,
				};
				if !caller_left && sender.send(Ok(outgoing)).await.is_err() {
					caller_left = true;
					state.metrics.call(&model.name, "caller_left");
				}
			}
		}
		let Some(reservation) = reservation.take() else { return };
		let Some(units) = units.or_else(|| usage_units(model.unit, None)) else {
			let _ = state.ledger.cancel(reservation).await;
			state.metrics.call(&model.name, "upstream_failed");
			let _ = sender
				.send(Ok(Bytes::from_static(b": tributary owed=unchanged units=0\n\n")))
				.await;
			return;
		};
		match state.ledger.complete(reservation, units).await {
			Ok(charged) => {
				state.metrics.charged(&model.name, charged.units);
				let trailer = format!(
					": tributary owed={} units={}\n\ndata: [DONE]\n\n",
					charged.owed, charged.units
				);
				let _ = sender.send(Ok(Bytes::from(trailer))).await;
			}
			Err(refusal) => {
				tracing::error!(channel, code = refusal.code(), "a streamed call was not recorded");
			}
		}
	});
	let body = Body::from_stream(futures::stream::unfold(receiver, |mut receiver| async move {
		receiver.recv().await.map(|item| (item, receiver))
	}));
	let mut response = Response::new(body);
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
	charge_headers(response.headers_mut(), channel, model.unit, None);
	response
}

/// `POST /v1/tributary/vouchers`: a voucher without a call, paying for the last one.
async fn pay(State(state): State<AppState>, headers: HeaderMap) -> Response {
	let outcome = async {
		let reservation = state.ledger.admit(voucher_header(&headers), None, 0).await?;
		let channel = reservation.channel;
		state.ledger.complete(reservation, 0).await?;
		channel_json(&state, channel).await
	};
	match outcome.await {
		Ok(body) => Json(body).into_response(),
		Err(refusal) => refusal.into_response(),
	}
}

/// `GET /v1/tributary/channels/{id}`: what the gateway holds for a channel.
async fn channel_state(State(state): State<AppState>, Path(id): Path<u64>) -> Response {
	match channel_json(&state, id).await {
		Ok(body) => Json(body).into_response(),
		Err(refusal) => refusal.into_response(),
	}
}

async fn channel_json(state: &AppState, id: u64) -> Result<Value, Refusal> {
	let account = state.ledger.account(id).await?.ok_or(Refusal::UnknownChannel(id))?;
	Ok(json!({
		"channel": id,
		"owed": account.owed,
		"voucherUnits": account.voucher_units(),
		"settledUnits": account.info.settled_units,
		"coveredUnits": account.covered_units(),
		"closing": account.closing(state.ledger.finalized()),
	}))
}

/// `GET /v1/models`: the models served, with this provider's terms on chain.
async fn models(State(state): State<AppState>) -> Response {
	let provider = state.ledger.chain().provider().to_string();
	let mut data = Vec::new();
	for model in &state.config.models {
		let offer = state.offer(model.model_id).await;
		data.push(json!({
			"id": model.name,
			"object": "model",
			"created": 0,
			"owned_by": provider,
			"tributary": {
				"model": model.model_id,
				"unit": match model.unit { UnitOf::Tokens => "tokens", UnitOf::Calls => "calls" },
				"offered": offer.is_some(),
				"version": offer.as_ref().map(|offer| offer.version),
				"pricePerUnit": offer.as_ref().map(|offer| offer.total_per_unit.to_string()),
				"feePerUnit": offer.as_ref().map(|offer| offer.fee_per_unit.to_string()),
			},
		}));
	}
	Json(json!({ "object": "list", "data": data })).into_response()
}

async fn health(State(state): State<AppState>) -> Response {
	match state.ledger.chain().finalized().await {
		Ok(finalized) => {
			state.ledger.set_finalized(finalized);
			Json(json!({ "status": "ok", "finalized": finalized, "channels": state.ledger.len() }))
				.into_response()
		}
		Err(error) => (
			StatusCode::SERVICE_UNAVAILABLE,
			Json(json!({ "status": "chain unavailable", "error": error.0 })),
		)
			.into_response(),
	}
}

async fn metrics(State(state): State<AppState>) -> Response {
	([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
	use super::*;

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
}
