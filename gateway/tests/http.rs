//! The gateway over HTTP, in one process: the stub model server, the gateway in front of it over
//! the in-memory chain, and the Rust caller of `tributary-vouchers` (feature `http-client`).
//! Calls are metered and settle exactly; refusals name their cause; the caller refuses an
//! overcharge.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects,
	clippy::panic
)]

use axum::{http::HeaderMap, routing::post, Json, Router};
use serde_json::{json, Value};
use sp_core::H256;
use std::{sync::Arc, time::Duration};
use tributary_gateway::{
	config::{Model, Settlement, UnitOf},
	metrics::Metrics,
	settle::Settler,
	testing::{serve, serve_gateway, FakeChain},
};
use tributary_vouchers::{
	client::{ClientError, GatewayClient},
	ChannelBinding, Scheme, VoucherSigner,
};

const GENESIS: H256 = H256::repeat_byte(0x42);

fn signer(suri: &str) -> VoucherSigner {
	VoucherSigner::from_suri(Scheme::Sr25519, suri).unwrap()
}

fn model(name: &str, model_id: u32, upstream: String, unit: UnitOf) -> Model {
	Model { name: name.into(), model_id, upstream, unit, default_max_tokens: 64, timeout_secs: 60 }
}

fn client(chain: &FakeChain, url: &str, channel: u64, who: &str) -> GatewayClient {
	let nonce = chain.state().channels[&channel].nonce;
	let binding = ChannelBinding { provider: signer("//Bob").account(), nonce };
	GatewayClient::new(url, GENESIS, channel, binding, signer(who), 0)
}

fn chat(model: &str, words: &str, max_tokens: u64) -> Value {
	json!({"model": model, "messages": [{"role": "user", "content": words}], "max_tokens": max_tokens})
}

#[tokio::test]
async fn calls_are_metered_refused_and_settled_exactly() {
	let dir = tempfile::tempdir().unwrap();
	let stub = serve(tributary_gateway::stub::router()).await.unwrap();
	let chain = Arc::new(FakeChain::new(GENESIS, signer("//Bob").account()));
	chain.open(0, signer("//Alice").account(), 0, 10_000 * 4, 3, 1);
	chain.open(1, signer("//Dave").account(), 1, 1_000, 3, 1);
	let models = vec![
		model("chat", 0, format!("{stub}/v1"), UnitOf::Tokens),
		model("per-call", 1, format!("{stub}/v1"), UnitOf::Calls),
	];
	let gateway =
		serve_gateway(chain.clone(), models, &dir.path().join("journal.redb")).await.unwrap();

	// Chat, completions and embeddings, metered from the stub's usage.
	let mut alice = client(&chain, &gateway.url, 0, "//Alice");
	let mut expected = 0;
	for i in 0..20u64 {
		let answer = alice
			.post("/v1/chat/completions", &chat("chat", "three small words", 1 + i % 8))
			.await
			.unwrap();
		expected += 3 + (1 + i % 8).min(8);
		assert_eq!(answer["usage"]["total_tokens"].as_u64(), Some(3 + (1 + i % 8)));
	}
	let completion = json!({"model": "chat", "prompt": "two words", "max_tokens": 4});
	alice.post("/v1/completions", &completion).await.unwrap();
	let embedding = json!({"model": "chat", "input": "four words to embed"});
	alice.post("/v1/embeddings", &embedding).await.unwrap();
	expected += 2 + 4 + 4;
	assert_eq!(alice.owed(), expected);

	// A call metered in calls costs one unit whatever its tokens.
	let mut dave = client(&chain, &gateway.url, 1, "//Dave");
	dave.post("/v1/chat/completions", &chat("per-call", "many many words here", 8)).await.unwrap();
	assert_eq!(dave.owed(), 1);

	// Refusals: the wrong model for the channel, a model not served, more than the deposit.
	let refused = |error: ClientError| match error {
		ClientError::Refused { status, code, .. } => (status, code),
		other => panic!("{other:?}"),
	};
	let wrong = alice.post("/v1/chat/completions", &chat("per-call", "x", 1)).await.unwrap_err();
	assert_eq!(refused(wrong), (400, "channel_model_mismatch".into()));
	let unknown = alice.post("/v1/chat/completions", &chat("gpt", "x", 1)).await.unwrap_err();
	assert_eq!(refused(unknown), (404, "model_not_found".into()));
	let huge = alice.post("/v1/chat/completions", &chat("chat", "x", 20_000)).await.unwrap_err();
	assert_eq!(refused(huge), (402, "deposit_short".into()));
	assert_eq!(alice.owed(), expected, "refusals cost nothing");

	// The last call paid, the channel settles exactly what was owed, once.
	alice.settle_up().await.unwrap();
	let state = alice.state().await.unwrap();
	assert_eq!(
		(state["owed"].as_u64(), state["voucherUnits"].as_u64()),
		(Some(expected), Some(expected))
	);
	let settlement = Settlement { amount: 1, max_age_secs: 3_600, margin_blocks: 0 };
	let settler = Arc::new(Settler::new(
		gateway.ledger.clone(),
		settlement,
		Arc::new(Metrics::new().unwrap()),
	));
	settler.clone().tick().await.unwrap();
	for _ in 0..200 {
		if chain.state().channels[&0].settled_units == expected {
			break;
		}
		tokio::time::sleep(Duration::from_millis(10)).await;
	}
	let settled = chain.state().channels[&0].clone();
	assert_eq!(settled.settled_units, expected);
	assert_eq!(settled.deposit, 10_000 * 4 - u128::from(expected) * 4);
	assert!(gateway
		.metrics
		.render()
		.contains(r#"tributary_gateway_calls_total{model="chat",outcome="ok"} 22"#));
}

/// A gateway that charges `units` for every call (owed from nothing) and says the answer used
/// `tokens`: its base URL.
async fn charging(units: u64, tokens: u64) -> String {
	let gateway = Router::new().route(
		"/v1/chat/completions",
		post(move || async move {
			let mut headers = HeaderMap::new();
			for (name, value) in [
				("x-tributary-units", units.to_string()),
				("x-tributary-owed", units.to_string()),
				("x-tributary-unit", "tokens".to_string()),
			] {
				headers.insert(name, value.parse().unwrap());
			}
			(headers, Json(json!({"usage": {"total_tokens": tokens}})))
		}),
	);
	serve(gateway).await.unwrap()
}

#[tokio::test]
async fn the_caller_refuses_a_charge_the_answer_does_not_justify() {
	// A gateway that charges 50 units for an answer of 10 tokens.
	let url = charging(50, 10).await;
	let chain = FakeChain::new(GENESIS, signer("//Bob").account());
	chain.open(0, signer("//Alice").account(), 0, 1_000, 1, 0);
	let mut alice = client(&chain, &url, 0, "//Alice");
	let error = alice.post("/v1/chat/completions", &chat("chat", "x", 8)).await.unwrap_err();
	assert!(matches!(error, ClientError::Overcharged(_)), "{error:?}");
	assert_eq!(alice.owed(), 0, "nothing owed for it");

	// One that also claims the answer used 5,000 tokens: more than the request's own bound.
	let url = charging(5_000, 5_000).await;
	let mut alice = client(&chain, &url, 0, "//Alice");
	let error = alice.post("/v1/chat/completions", &chat("chat", "x", 8)).await.unwrap_err();
	assert!(
		matches!(&error, ClientError::Overcharged(why) if why.contains("at most")),
		"{error:?}"
	);
	assert_eq!(alice.owed(), 0);
}
