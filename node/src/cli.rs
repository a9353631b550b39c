//! Command-line interface of the node.

/// How a development node seals blocks.
#[derive(Debug, Copy, Clone, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Sealing {
	/// Aura authors a block every slot and grandpa finalizes them (the production engines).
	#[default]
	Aura,
	/// A block is authored and finalized as soon as a transaction enters the pool.
	Instant,
	/// Blocks are authored only when the `engine_createBlock` RPC asks for one.
	Manual,
}

/// The node's command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Block sealing engine. `instant` and `manual` are for development chains only.
	#[arg(long, value_enum, ignore_case = true, default_value_t = Sealing::Aura)]
	pub sealing: Sealing,
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Runtime benchmarks (built only with the `runtime-benchmarks` feature).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
