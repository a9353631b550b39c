//! Prometheus metrics, served at `/metrics`.

use prometheus::{
	Encoder, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts,
	Registry, TextEncoder,
};

/// The gateway's metrics.
pub struct Metrics {
	registry: Registry,
	calls: IntCounterVec,
	units: IntCounterVec,
	upstream_seconds: HistogramVec,
	/// Unsettled value per channel, in planck.
	pub unsettled: GaugeVec,
	/// Time from submitting a settlement to its finality.
	pub settlement_seconds: Histogram,
	/// Units settled on chain.
	pub settled_units: IntCounter,
	/// Vouchers the chain refused, and submissions that failed.
	pub settlement_failures: IntCounter,
	/// Time of a journal commit (one disk sync for a group of calls).
	pub journal_commit_seconds: Histogram,
}

const LATENCY_BUCKETS: &[f64] =
	&[0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

impl Metrics {
	/// Registers every metric.
	pub fn new() -> Result<Self, prometheus::Error> {
		let registry = Registry::new_custom(Some("tributary_gateway".into()), None)?;
		let calls = IntCounterVec::new(
			Opts::new("calls_total", "Calls by model and outcome (ok, or the refusal's code)"),
			&["model", "outcome"],
		)?;
		let units =
			IntCounterVec::new(Opts::new("units_total", "Units charged by model"), &["model"])?;
		let upstream_seconds = HistogramVec::new(
			HistogramOpts::new("upstream_seconds", "Time to the model server's answer")
				.buckets(LATENCY_BUCKETS.to_vec()),
			&["model"],
		)?;
		let unsettled = GaugeVec::new(
			Opts::new(
				"unsettled_planck",
				"Value of the newest voucher not settled yet, by channel",
			),
			&["channel"],
		)?;
		let settlement_seconds = Histogram::with_opts(
			HistogramOpts::new(
				"settlement_seconds",
				"From submitting settle_batch to its finality",
			)
			.buckets(LATENCY_BUCKETS.to_vec()),
		)?;
		let settled_units = IntCounter::new("settled_units_total", "Units settled on chain")?;
		let settlement_failures = IntCounter::new(
			"settlement_failures_total",
			"Vouchers refused and submissions failed",
		)?;
		let journal_commit_seconds = Histogram::with_opts(
			HistogramOpts::new("journal_commit_seconds", "One durable journal commit")
				.buckets(LATENCY_BUCKETS.to_vec()),
		)?;
		registry.register(Box::new(calls.clone()))?;
		registry.register(Box::new(units.clone()))?;
		registry.register(Box::new(upstream_seconds.clone()))?;
		registry.register(Box::new(unsettled.clone()))?;
		registry.register(Box::new(settlement_seconds.clone()))?;
		registry.register(Box::new(settled_units.clone()))?;
		registry.register(Box::new(settlement_failures.clone()))?;
		registry.register(Box::new(journal_commit_seconds.clone()))?;
		Ok(Self {
			registry,
			calls,
			units,
			upstream_seconds,
			unsettled,
			settlement_seconds,
			settled_units,
			settlement_failures,
			journal_commit_seconds,
		})
	}

	/// A call of `model` ended with `outcome`.
	pub fn call(&self, model: &str, outcome: &str) {
		self.calls.with_label_values(&[model, outcome]).inc();
	}

	/// A call of `model` was answered and charged `units`.
	pub fn charged(&self, model: &str, units: u64) {
		self.call(model, "ok");
		self.units.with_label_values(&[model]).inc_by(units);
	}

	/// The model server of `model` took `seconds`.
	pub fn upstream(&self, model: &str, seconds: f64) {
		self.upstream_seconds.with_label_values(&[model]).observe(seconds);
	}

	/// The text exposition.
	pub fn render(&self) -> String {
		let mut buffer = Vec::new();
		if let Err(error) = TextEncoder::new().encode(&self.registry.gather(), &mut buffer) {
			tracing::error!(%error, "cannot encode the metrics");
		}
		String::from_utf8(buffer).unwrap_or_default()
	}
}
