//! `tributary-node`: the Tributary blockchain node.

// `sc_cli::Error` and `sc_service::Error` are large by design; every substrate node returns them.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;
mod tributary_rpc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;

fn main() -> sc_cli::Result<()> {
	command::run()
}
