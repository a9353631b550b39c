//! `tributary-node benchmark ...`: runtime benchmarks (only with `runtime-benchmarks`).

use crate::cli::Cli;
use frame_benchmarking_cli::BenchmarkCmd;
use sc_cli::SubstrateCli;
use sp_runtime::traits::HashingFor;
use tributary_runtime::opaque::Block;

/// Runs a benchmark subcommand. Pallet benchmarks (the ones that produce `weights.rs`) and the
/// machine benchmark are supported; the others need a client-side setup this chain has no use for.
pub fn run(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	let runner = cli.create_runner(cmd)?;
	runner.sync_run(|config| {
		match cmd {
		BenchmarkCmd::Pallet(cmd) =>
			cmd.run_with_spec::<HashingFor<Block>, ()>(Some(config.chain_spec)),
		BenchmarkCmd::Machine(cmd) =>
			cmd.run(&config, frame_benchmarking_cli::SUBSTRATE_REFERENCE_HARDWARE.clone()),
		_ => Err("this benchmark subcommand is not supported by tributary-node; use `pallet` or `machine`"
			.into()),
	}
	})
}
