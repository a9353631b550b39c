//! `tributary-gateway --config gateway.toml`: serves an OpenAI-compatible model API metered by
//! Tributary payment channels. See the crate's documentation and the README.

use clap::Parser;
use std::{path::PathBuf, process::ExitCode};

/// An OpenAI-compatible model API metered by Tributary payment channels.
#[derive(Parser, Debug)]
#[command(name = "tributary-gateway", version)]
struct Args {
	/// The configuration file (see `docker/gateway.toml.example`).
	#[arg(long)]
	config: PathBuf,
}

#[tokio::main]
async fn main() -> ExitCode {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		// Colours for a terminal, plain text for a log file or a container's log.
		.with_writer(std::io::stderr)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
		.init();
	let args = Args::parse();
	let config = std::fs::read_to_string(&args.config)
		.map_err(|e| format!("{}: {e}", args.config.display()))
		.and_then(|text| tributary_gateway::config::Config::parse(&text));
	let outcome = match config {
		Ok(config) => tributary_gateway::run(config).await,
		Err(error) => Err(format!("configuration: {error}")),
	};
	match outcome {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			tracing::error!("{error}");
			ExitCode::FAILURE
		}
	}
}
