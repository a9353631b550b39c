//! The gateway's overhead per call: the same chat completion sent to the stub model server
//! directly and through the gateway (voucher decoded, sr25519 signature verified, deposit
//! checked, call journaled durably before the answer), at 1 and 100 concurrent callers, each
//! on its own channel. Prints a Markdown table: p50 and p99 latency, calls per second, and the
//! gateway's p50 overhead.
//!
//! The chain is the in-memory one of `tributary_gateway::testing` (after a channel's first
//! call the gateway does not read the chain on the request path), the journal a real redb
//! file on this machine's disk. Vouchers are signed before the clock starts: a caller's
//! signing is not the gateway's overhead.
//!
//! `cargo run --release -p tributary-gateway --example bench -- [--calls N]`, or
//! `scripts/gateway-bench.sh`, which writes the table into docs/PERFORMANCE.md.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use sp_core::H256;
use std::{
	sync::Arc,
	time::{Duration, Instant},
};
use tributary_gateway::{
	config::{Model, UnitOf},
	testing::{serve, serve_gateway, FakeChain},
};
use tributary_vouchers::{header, ChannelBinding, Scheme, VoucherSigner};

/// Units of the benchmark's call at the stub: two words of prompt, eight tokens of answer.
const UNITS_PER_CALL: u64 = 10;
const BODY: &str =
	r#"{"model":"bench","messages":[{"role":"user","content":"hello world"}],"max_tokens":8}"#;

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// One caller: `calls` calls in a row, each with the voucher for what the ones before cost
/// (`vouchers[i]`, or none when calling the stub directly). Returns each call's latency.
async fn caller(client: HttpClient, url: String, vouchers: Vec<Option<String>>) -> Vec<Duration> {
	let mut latencies = Vec::with_capacity(vouchers.len());
	for voucher in vouchers {
		let mut request = hyper::Request::post(&url).header("content-type", "application/json");
		if let Some(voucher) = voucher {
			request = request.header(header::NAME, voucher);
		}
		let request = request.body(Full::new(Bytes::from_static(BODY.as_bytes()))).unwrap();
		let started = Instant::now();
		let response = client.request(request).await.unwrap();
		let status = response.status();
		let body = response.into_body().collect().await.unwrap().to_bytes();
		latencies.push(started.elapsed());
		assert!(status.is_success(), "{status}: {}", String::from_utf8_lossy(&body));
	}
	latencies
}

struct Run {
	p50: Duration,
	p99: Duration,
	per_second: f64,
}

async fn run(client: &HttpClient, url: &str, vouchers: Vec<Vec<Option<String>>>) -> Run {
	let started = Instant::now();
	let tasks: Vec<_> = vouchers
		.into_iter()
		.map(|vouchers| tokio::spawn(caller(client.clone(), url.to_string(), vouchers)))
		.collect();
	let mut latencies = Vec::new();
	for task in tasks {
		latencies.extend(task.await.unwrap());
	}
	let elapsed = started.elapsed();
	latencies.sort();
	let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
	Run { p50: at(0.50), p99: at(0.99), per_second: latencies.len() as f64 / elapsed.as_secs_f64() }
}

fn ms(duration: Duration) -> String {
	format!("{:.3}", duration.as_secs_f64() * 1_000.0)
}

#[tokio::main]
async fn main() {
	let calls: usize = std::env::args()
		.skip_while(|arg| arg != "--calls")
		.nth(1)
		.map_or(4_000, |n| n.parse().expect("--calls N"));
	let dir = tempfile::tempdir().unwrap();
	let stub = serve(tributary_gateway::stub::router()).await.unwrap();

	let genesis = H256::repeat_byte(0x42);
	let provider_account = VoucherSigner::from_suri(Scheme::Sr25519, "//Bob").unwrap().account();
	let chain = Arc::new(FakeChain::new(genesis, provider_account.clone()));
	let consumers: Vec<VoucherSigner> = (0..100)
		.map(|i| VoucherSigner::from_suri(Scheme::Sr25519, &format!("//Consumer{i}")).unwrap())
		.collect();
	for (id, consumer) in consumers.iter().enumerate() {
		chain.open(id as u64, consumer.account(), 0, u128::MAX / 4, 1, 0);
	}
	let model = Model {
		name: "bench".into(),
		model_id: 0,
		upstream: format!("{stub}/v1"),
		unit: UnitOf::Tokens,
		default_max_tokens: 16,
		timeout_secs: 60,
	};
	let served =
		serve_gateway(chain.clone(), vec![model], &dir.path().join("journal.redb")).await.unwrap();
	let (gateway, metrics) = (served.url, served.metrics);
	let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();

	// Each channel's vouchers, signed in advance: call k pays for the k calls before it.
	let mut next_call = vec![0u64; consumers.len()];
	let mut vouchers = |callers: usize, per_caller: usize| -> Vec<Vec<Option<String>>> {
		(0..callers)
			.map(|id| {
				let binding = ChannelBinding {
					provider: provider_account.clone(),
					nonce: H256::from_low_u64_be(id as u64 + 1),
				};
				(0..per_caller)
					.map(|_| {
						let units = next_call[id] * UNITS_PER_CALL;
						next_call[id] += 1;
						let voucher = tributary_vouchers::voucher(genesis, id as u64, units);
						Some(header::encode(&voucher, &consumers[id].sign(&voucher, &binding)))
					})
					.collect()
			})
			.collect()
	};
	let unpaid = |callers: usize, per_caller: usize| vec![vec![None; per_caller]; callers];

	let chat = |base: &str| format!("{base}/v1/chat/completions");
	// Warm up both paths (connections, every channel's first read of the chain).
	run(&client, &chat(&stub), unpaid(100, 5)).await;
	run(&client, &chat(&gateway), vouchers(100, 5)).await;

	println!("| callers | path | p50 (ms) | p99 (ms) | calls/s |");
	println!("|---:|---|---:|---:|---:|");
	let mut overheads = Vec::new();
	for callers in [1usize, 100] {
		let per_caller = (calls / callers).max(1);
		let direct = run(&client, &chat(&stub), unpaid(callers, per_caller)).await;
		let through = run(&client, &chat(&gateway), vouchers(callers, per_caller)).await;
		for (path, figures) in [("stub directly", &direct), ("through the gateway", &through)] {
			println!(
				"| {callers} | {path} | {} | {} | {:.0} |",
				ms(figures.p50),
				ms(figures.p99),
				figures.per_second
			);
		}
		overheads.push((callers, through.p50.saturating_sub(direct.p50), through.per_second));
	}
	println!();
	// For scripts: callers, p50 overhead in ms, calls per second through the gateway.
	for (callers, overhead, per_second) in overheads {
		println!("GATEWAY {callers} {} {per_second:.0}", ms(overhead));
	}
	let text = metrics.render();
	let commits = text
		.lines()
		.find(|line| line.starts_with("tributary_gateway_journal_commit_seconds_count"))
		.and_then(|line| line.split_whitespace().last())
		.unwrap_or("?");
	let charged = text
		.lines()
		.find(|line| line.starts_with("tributary_gateway_units_total"))
		.and_then(|line| line.split_whitespace().last())
		.unwrap_or("?");
	println!("JOURNAL {commits} commits for {charged} units charged");
}
