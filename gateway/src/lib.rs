//! The provider-side gateway of Tributary's metered model API.
//!
//! A compute provider runs it in front of OpenAI-compatible model servers. Callers pay through a
//! payment channel: each request carries a voucher signed by the channel's consumer for the
//! units owed so far; the gateway bounds the call's cost ([`bound`]), checks the voucher and the
//! deposit ([`ledger`]), forwards the call ([`proxy`], [`stream`]), journals the newest voucher
//! durably before answering ([`journal`], [`writer`]), and settles vouchers on chain with
//! `settle_batch` ([`settle`], [`chain`]).

pub mod bound;
pub mod chain;
pub mod config;
pub mod journal;
pub mod ledger;
pub mod metrics;
pub mod proxy;
pub mod refusal;
pub mod settle;
pub mod sse;
pub mod stream;
pub mod stub;
pub mod testing;
pub mod writer;

use std::{sync::Arc, time::Duration};

/// How often the settlement loop reads the chain.
const SETTLEMENT_PERIOD: Duration = Duration::from_secs(2);

/// Starts the gateway with `config` and serves until interrupted (Ctrl-C or SIGTERM).
pub async fn run(config: config::Config) -> Result<(), String> {
	let provider = config.provider_key()?;
	let chain = loop {
		match chain::NodeChain::connect(&config.node_url, provider.clone()).await {
			Ok(chain) => break chain,
			Err(error) => {
				tracing::warn!(%error, "waiting for the node");
				tokio::time::sleep(Duration::from_secs(2)).await;
			}
		}
	};
	let chain: Arc<dyn chain::Chain> = Arc::new(chain);
	let journal = journal::Journal::open(
		&config.journal,
		chain.genesis().as_bytes(),
		chain.provider().as_ref(),
	)
	.map_err(|e| format!("journal {}: {e}", config.journal.display()))?;
	let journal = Arc::new(journal);
	let metrics = Arc::new(metrics::Metrics::new().map_err(|e| e.to_string())?);
	let commits = metrics.journal_commit_seconds.clone();
	let writer = writer::JournalWriter::start(journal.clone(), move |s| commits.observe(s));
	let ledger = Arc::new(ledger::Ledger::new(chain.clone(), writer));
	let held = journal.entries().map_err(|e| e.to_string())?;
	let recovered = loop {
		match ledger.recover(held.clone()).await {
			Ok(recovered) => break recovered,
			Err(error) => {
				tracing::warn!(%error, "waiting for the node to read the journal's channels");
				tokio::time::sleep(Duration::from_secs(2)).await;
			}
		}
	};
	let settler =
		Arc::new(settle::Settler::new(ledger.clone(), config.settlement.clone(), metrics.clone()));
	tokio::spawn(settler.run(SETTLEMENT_PERIOD));

	let listener = tokio::net::TcpListener::bind(&config.listen)
		.await
		.map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
	tracing::info!(
		listen = %config.listen,
		provider = %chain.provider(),
		recovered,
		"serving"
	);
	let state = proxy::AppState::new(config, ledger, metrics);
	axum::serve(listener, proxy::router(state))
		.with_graceful_shutdown(shutdown())
		.await
		.map_err(|e| e.to_string())
}

async fn shutdown() {
	let interrupt = tokio::signal::ctrl_c();
	#[cfg(unix)]
	{
		let mut terminate =
			match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
				Ok(signal) => signal,
				Err(_) => return interrupt.await.unwrap_or_default(),
			};
		tokio::select! {
			_ = interrupt => {},
			_ = terminate.recv() => {},
		}
	}
	#[cfg(not(unix))]
	interrupt.await.unwrap_or_default();
}

#[cfg(test)]
mod ledger_tests;
