//! `tributary-node`: the Tributary blockchain node.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;

fn main() -> sc_cli::Result<()> {
	command::run()
}
