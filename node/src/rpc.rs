//! The node's JSON-RPC extensions beyond the standard substrate ones.

use std::sync::Arc;

use jsonrpsee::RpcModule;
use sc_consensus_manual_seal::{
	rpc::{ManualSeal, ManualSealApiServer},
	EngineCommand,
};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use tributary_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};

/// Everything the RPC extensions need.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// Sender of manual-seal commands, when the node runs with `--sealing manual`.
	pub manual_seal: Option<futures::channel::mpsc::Sender<EngineCommand<Hash>>>,
}

/// Builds the RPC extensions: account nonces, fee queries, the `tributary_*` methods and, for
/// manual sealing, `engine_createBlock` / `engine_finalizeBlock`.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: pallet_data_contribution::runtime_api::DataContributionApi<Block, AccountId>,
	C::Api: pallet_model_registry::runtime_api::ModelRegistryApi<Block, AccountId>,
	C::Api: pallet_royalty_distribution::runtime_api::RoyaltyApi<Block, AccountId, Balance>,
	C::Api: pallet_invocation_metering::runtime_api::MeteringApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
	>,
	P: TransactionPool + 'static,
{
	use crate::tributary_rpc::{Tributary, TributaryApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, manual_seal } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Tributary::<C, Block>::new(client).into_rpc())?;
	if let Some(sender) = manual_seal {
		module.merge(ManualSeal::new(sender).into_rpc())?;
	}

	Ok(module)
}
