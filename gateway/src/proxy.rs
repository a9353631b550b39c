//! The HTTP surface: OpenAI's model endpoints, metered, and the gateway's own.
//!
//! A model call goes: find the model, bound its cost ([`crate::bound`]), admit it against the
//! channel ([`Ledger::admit`]), forward it, read the upstream's `usage`, charge it and journal
//! it, then answer with the units in the headers. Nothing is charged for a call that fails or
//! is refused; a call the model server answered is charged even if its caller hung up.

use crate::{
	bound::{bound_call, usage_units, Endpoint},
	chain::Offer,
	config::{Config, Model, UnitOf},
	ledger::{Charged, Ledger, Reservation},
	metrics::Metrics,
	refusal::Refusal,
	stream::stream,
};
use axum::{
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

fn voucher_header(headers: &HeaderMap) -> Option<&str> {
	headers.get(tributary_vouchers::header::NAME).and_then(|value| value.to_str().ok())
}

fn number(value: u64) -> HeaderValue {
	HeaderValue::from(value)
}

/// The response headers that tell the caller what it owes.
pub(crate) fn charge_headers(
	headers: &mut HeaderMap,
	channel: u64,
	unit: UnitOf,
	charged: Option<Charged>,
) {
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
	// What no voucher covers yet is the last call: the provider caps what one call may cost.
	if max_units > state.config.max_call_units {
		return Err(refused(Refusal::CallTooLarge {
			bound: max_units,
			max: state.config.max_call_units,
		}));
	}
	let reservation = state
		.ledger
		.admit(voucher_header(headers), Some(model.model_id), max_units)
		.await
		.map_err(refused)?;
	// Answered in a task of its own: a caller that hangs up does not stop a call the model
	// server is answering, which is charged (the work was done) and journaled all the same.
	let call = Call {
		state: state.clone(),
		model: model.clone(),
		endpoint,
		request,
		wants_usage,
		streaming,
	};
	tokio::spawn(call.answer(reservation, permit))
		.await
		.unwrap_or_else(|_| Err(Refusal::Upstream("the call's task failed".into())))
		.map_err(refused)
}

/// An admitted call, on its way to the model server.
struct Call {
	state: AppState,
	model: Model,
	endpoint: Endpoint,
	request: Value,
	wants_usage: bool,
	streaming: bool,
}

impl Call {
	async fn answer(
		self,
		reservation: Reservation,
		permit: tokio::sync::OwnedSemaphorePermit,
	) -> Result<Response, Refusal> {
		let Call { state, model, endpoint, request, wants_usage, streaming } = self;
		let channel = reservation.channel;
		let started = Instant::now();
		let limit = Duration::from_secs(model.timeout_secs);
		let forwarded = tokio::time::timeout(limit, forward(&state, &model, endpoint, &request))
			.await
			.unwrap_or_else(|_| Err(format!("no answer within {} s", model.timeout_secs)));
		state.metrics.upstream(&model.name, started.elapsed().as_secs_f64());
		let response = match forwarded {
			Ok(response) => response,
			Err(why) => return Err(refuse(&state, reservation, Refusal::Upstream(why)).await),
		};
		let status = response.status();
		if !status.is_success() {
			let body =
				response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
			if status.is_client_error() {
				// The caller's mistake (a context too long, a bad parameter): passed through as
				// the model server said it, not charged.
				state.ledger.cancel(reservation).await?;
				state.metrics.call(&model.name, "upstream_refused");
				return Ok(
					(status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
				);
			}
			let why = format!("status {status}");
			return Err(refuse(&state, reservation, Refusal::Upstream(why)).await);
		}
		// A model server that answers a stream request with one JSON body is metered as one.
		let event_stream = response
			.headers()
			.get(header::CONTENT_TYPE)
			.and_then(|value| value.to_str().ok())
			.is_some_and(|value| value.starts_with("text/event-stream"));
		if streaming && event_stream {
			return Ok(stream(state, model, reservation, response, wants_usage, permit));
		}
		let body = match tokio::time::timeout(limit, response.into_body().collect()).await {
			Ok(Ok(body)) => body.to_bytes(),
			Ok(Err(e)) => {
				let why = format!("the body broke off: {e}");
				return Err(refuse(&state, reservation, Refusal::Upstream(why)).await);
			}
			Err(_) => {
				let why = format!("no answer within {} s", model.timeout_secs);
				return Err(refuse(&state, reservation, Refusal::Upstream(why)).await);
			}
		};
		let answer: Option<Value> = serde_json::from_slice(&body).ok();
		let Some(units) = usage_units(model.unit, answer.as_ref().and_then(|a| a.get("usage")))
		else {
			let why = "the answer has no usage to meter".to_string();
			return Err(refuse(&state, reservation, Refusal::Upstream(why)).await);
		};
		let charged = state.ledger.complete(reservation, units).await?;
		state.metrics.charged(&model.name, charged.units);
		let mut response =
			(StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response();
		charge_headers(response.headers_mut(), channel, model.unit, Some(charged));
		Ok(response)
	}
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
	// It may read the chain: it shares the calls' bound on work in progress.
	let Ok(_permit) = state.calls.clone().try_acquire_owned() else {
		return Refusal::Busy.into_response();
	};
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

/// How long the chain may stay silent before `/health` says the gateway is unhealthy.
const CHAIN_SILENCE_MS: u64 = 30_000;

/// `GET /health`: healthy while the settlement loop reaches the chain (no chain read of its own,
/// so probes cost nothing).
async fn health(State(state): State<AppState>) -> Response {
	let seen = state.ledger.chain_seen_ms();
	let silent_ms = crate::ledger::now_ms().saturating_sub(seen);
	let healthy = seen > 0 && silent_ms <= CHAIN_SILENCE_MS;
	let body = Json(json!({
		"status": if healthy { "ok" } else { "chain unreachable" },
		"finalized": state.ledger.finalized(),
		"channels": state.ledger.len(),
		"chainSeenMsAgo": (seen > 0).then_some(silent_ms),
	}));
	let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
	(status, body).into_response()
}

async fn metrics(State(state): State<AppState>) -> Response {
	([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}
