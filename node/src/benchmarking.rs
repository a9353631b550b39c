//! `tributary-node benchmark ...` (only with `runtime-benchmarks`): the pallets' weights, the
//! database's, the block and extrinsic base weights, and the throughput of full blocks.

use crate::{cli::Cli, service};
use frame_benchmarking_cli::{BenchmarkCmd, ExtrinsicBuilder, ExtrinsicFactory};
use sc_cli::SubstrateCli;
use sc_client_api::UsageProvider;
use sp_runtime::{traits::HashingFor, OpaqueExtrinsic};
use tributary_runtime::{
	load::{self, Load},
	opaque::Block,
	Hash,
};

/// Runs a benchmark subcommand.
pub fn run(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	match cmd {
		BenchmarkCmd::Pallet(cmd) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				cmd.run_with_spec::<HashingFor<Block>, ()>(Some(config.chain_spec))
			})
		}
		BenchmarkCmd::Machine(cmd) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				cmd.run(&config, frame_benchmarking_cli::SUBSTRATE_REFERENCE_HARDWARE.clone())
			})
		}
		BenchmarkCmd::Storage(cmd) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				let service::Service { client, backend, .. } = service::new_partial(&config)?;
				let db = backend.expose_db();
				let storage = backend.expose_storage();
				let trie_cache = backend.expose_shared_trie_cache();
				cmd.run(config, client, db, storage, trie_cache)
			})
		}
		BenchmarkCmd::Overhead(cmd) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				cmd.run_with_extrinsic_builder_and_spec::<Block, ()>(
					Box::new(|_metadata, genesis, _version| {
						Box::new(LoadBuilder { load: Load::Remark, genesis })
					}),
					Some(config.chain_spec),
				)
			})
		}
		BenchmarkCmd::Extrinsic(cmd) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				let service::Service { client, .. } = service::new_partial(&config)?;
				let genesis = client.usage_info().chain.genesis_hash;
				let factory = ExtrinsicFactory(
					[Load::Remark, Load::Transfer, Load::Invoke, Load::Settle]
						.into_iter()
						.map(|load| Box::new(LoadBuilder { load, genesis }) as Box<_>)
						.collect(),
				);
				cmd.run(client, first_block_inherents()?, Vec::new(), &factory)
			})
		}
		BenchmarkCmd::Block(_) => {
			Err("`benchmark block` re-executes a synced chain's blocks; use `extrinsic` for \
			     full blocks of one call"
				.into())
		}
	}
}

/// The inherents of the first block the throughput benchmark builds on genesis: the timestamp
/// the load's channel nonce assumes.
fn first_block_inherents() -> sc_cli::Result<sp_inherents::InherentData> {
	use sp_inherents::InherentDataProvider;
	let mut data = sp_inherents::InherentData::new();
	futures::executor::block_on(
		sp_timestamp::InherentDataProvider::new(load::LOAD_TIMESTAMP.into())
			.provide_inherent_data(&mut data),
	)
	.map_err(|error| format!("the timestamp inherent: {error}"))?;
	Ok(data)
}

/// Builds the extrinsics of a [`Load`], signed for the chain with `genesis`.
struct LoadBuilder {
	load: Load,
	genesis: Hash,
}

impl ExtrinsicBuilder for LoadBuilder {
	fn pallet(&self) -> &str {
		load::pallet_and_call(self.load).0
	}

	fn extrinsic(&self) -> &str {
		load::pallet_and_call(self.load).1
	}

	fn build(&self, index: u32) -> Result<OpaqueExtrinsic, &'static str> {
		let call =
			load::extrinsic(self.load, index, self.genesis, load::channel_nonce(self.genesis));
		Ok(load::sign(call, self.genesis).into())
	}
}
