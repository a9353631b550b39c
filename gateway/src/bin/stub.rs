//! `tributary-gateway-stub [--listen 127.0.0.1:8000]`: serves the gateway's deterministic stub
//! model server (see `tributary_gateway::stub`).

use clap::Parser;

/// A deterministic OpenAI-compatible model server.
#[derive(Parser, Debug)]
#[command(name = "tributary-gateway-stub")]
struct Args {
	/// Address to listen on.
	#[arg(long, default_value = "127.0.0.1:8000")]
	listen: String,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
	let args = Args::parse();
	let listener = match tokio::net::TcpListener::bind(&args.listen).await {
		Ok(listener) => listener,
		Err(error) => {
			eprintln!("cannot listen on {}: {error}", args.listen);
			return std::process::ExitCode::FAILURE;
		}
	};
	println!("stub model server on {}", args.listen);
	match axum::serve(listener, tributary_gateway::stub::router()).await {
		Ok(()) => std::process::ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("{error}");
			std::process::ExitCode::FAILURE
		}
	}
}
