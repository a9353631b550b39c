//! The calls `tributary-node benchmark extrinsic` fills blocks with to measure throughput:
//! balance transfers, invocations and channel settlements, each kind preceded by the few calls
//! that make it possible on a fresh development chain (a model, an offer, a channel).
//!
//! Only the node's benchmarking uses it (and a runtime test that runs the same sequence): a
//! block built from it is the first block on the development genesis, at [`LOAD_TIMESTAMP`].

use crate::{
	Balance, BlockNumber, Hash, Runtime, RuntimeCall, SignedPayload, TxExtension,
	UncheckedExtrinsic, DAYS, UNIT, VERSION,
};
use alloc::vec::Vec;
use codec::Encode;
use pallet_data_contribution::ContentHash;
use pallet_model_registry::{Derivatives, License, LineageSpec, Modality, VersionSpec};
use sp_keyring::Sr25519Keyring as Keyring;
use sp_runtime::generic::Era;
use sp_runtime::{MultiAddress, MultiSignature, Perbill};
use tributary_primitives::{ChannelId, Units, Voucher};

/// What a block is filled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Load {
	/// An empty `System::remark` by Alice: the base cost of an extrinsic.
	Remark,
	/// `Balances::transfer_keep_alive` from Alice to Bob.
	Transfer,
	/// `InvocationMetering::invoke` by Charlie of Alice's model through Bob's offer.
	Invoke,
	/// `InvocationMetering::settle` by Bob of Charlie's vouchers, one more unit each.
	Settle,
}

/// The pallet and call a load measures, in lower case, as `benchmark extrinsic` names them.
pub fn pallet_and_call(load: Load) -> (&'static str, &'static str) {
	match load {
		Load::Remark => ("system", "remark"),
		Load::Transfer => ("balances", "transfer_keep_alive"),
		Load::Invoke => ("invocationmetering", "invoke"),
		Load::Settle => ("invocationmetering", "settle"),
	}
}

/// One extrinsic of a load: who signs it, with which account nonce, and the call.
pub struct LoadCall {
	/// The dev account that signs.
	pub signer: Keyring,
	/// The signer's account nonce for this extrinsic.
	pub nonce: u32,
	/// What it calls.
	pub call: RuntimeCall,
}

/// Price of one unit of the load's model: small, so every deposit covers a block of calls.
pub const LOAD_PRICE_PER_UNIT: Balance = UNIT / 1_000;
/// The provider's fee per unit on the load's offer.
pub const LOAD_FEE_PER_UNIT: Balance = UNIT / 10_000;
/// What Charlie deposits into the load's channel: enough for a million units.
pub const LOAD_CHANNEL_DEPOSIT: Balance = 1_000 * UNIT;
/// The time of the block the loads fill, in milliseconds: within the genesis slot (Aura checks
/// it), and not zero, which the timestamp pallet reports as unset.
pub const LOAD_TIMESTAMP: u64 = 1;
/// The id of the model and the channel the load creates (the first of each on a fresh chain).
pub const LOAD_MODEL: u32 = 0;
/// See [`LOAD_MODEL`].
pub const LOAD_CHANNEL: ChannelId = 0;

fn account(who: Keyring) -> MultiAddress<crate::AccountId, ()> {
	MultiAddress::Id(who.to_account_id())
}

/// The calls that come before a load's first measured call.
pub fn setup(load: Load) -> Vec<LoadCall> {
	let model = RuntimeCall::ModelRegistry(pallet_model_registry::Call::register {
		name: b"load".to_vec(),
		modality: Modality::Text,
		spec: VersionSpec {
			label: b"1.0".to_vec(),
			artifact_hash: ContentHash::repeat_byte(1),
			price_per_unit: LOAD_PRICE_PER_UNIT,
			license: License {
				commercial_use: true,
				derivatives: Derivatives::share(Perbill::from_percent(20)),
			},
			owner_share: Perbill::one(),
			lineage: LineageSpec { datasets: Vec::new(), parents: Vec::new() },
		},
	});
	let offer = RuntimeCall::InvocationMetering(pallet_invocation_metering::Call::register_offer {
		model: LOAD_MODEL,
		fee_per_unit: LOAD_FEE_PER_UNIT,
		endpoint: b"https://bob.example/v1".to_vec(),
	});
	let channel = RuntimeCall::InvocationMetering(pallet_invocation_metering::Call::open_channel {
		provider: account(Keyring::Bob),
		model: LOAD_MODEL,
		version: None,
		deposit: LOAD_CHANNEL_DEPOSIT,
		expires_at: BlockNumber::from(30 * DAYS),
	});
	let call = |signer, call| LoadCall { signer, nonce: 0, call };
	match load {
		Load::Remark | Load::Transfer => Vec::new(),
		Load::Invoke => {
			alloc::vec![call(Keyring::Alice, model), call(Keyring::Bob, offer)]
		}
		Load::Settle => alloc::vec![
			call(Keyring::Alice, model),
			call(Keyring::Bob, offer),
			call(Keyring::Charlie, channel)
		],
	}
}

/// The `index`-th measured call of a load (from 0). A settlement needs the channel's nonce,
/// drawn when the setup opened it, to sign its voucher.
pub fn measured(load: Load, index: u32, genesis_hash: Hash, channel_nonce: Hash) -> LoadCall {
	match load {
		Load::Remark => LoadCall {
			signer: Keyring::Alice,
			nonce: index,
			call: RuntimeCall::System(frame_system::Call::remark { remark: Vec::new() }),
		},
		Load::Transfer => LoadCall {
			signer: Keyring::Alice,
			nonce: index,
			call: RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: account(Keyring::Bob),
				value: UNIT,
			}),
		},
		Load::Invoke => LoadCall {
			signer: Keyring::Charlie,
			nonce: index,
			call: RuntimeCall::InvocationMetering(pallet_invocation_metering::Call::invoke {
				model: LOAD_MODEL,
				version: None,
				units: 1,
				provider: Some(account(Keyring::Bob)),
				max_total: UNIT,
			}),
		},
		Load::Settle => {
			let voucher = Voucher {
				genesis_hash,
				channel: LOAD_CHANNEL,
				cumulative_units: Units::from(index).saturating_add(1),
			};
			let payload = voucher.signing_payload(&Keyring::Bob.to_account_id(), &channel_nonce);
			let signature = MultiSignature::Sr25519(Keyring::Charlie.sign(&payload));
			LoadCall {
				// Bob's first nonce went to his offer.
				signer: Keyring::Bob,
				nonce: index.saturating_add(1),
				call: RuntimeCall::InvocationMetering(pallet_invocation_metering::Call::settle {
					channel: LOAD_CHANNEL,
					voucher,
					signature,
				}),
			}
		}
	}
}

/// The load's `index`-th extrinsic, setup included.
pub fn extrinsic(load: Load, index: u32, genesis_hash: Hash, channel_nonce: Hash) -> LoadCall {
	let setup = setup(load);
	let before = setup.len() as u32;
	setup.into_iter().nth(index as usize).unwrap_or_else(|| {
		measured(load, index.saturating_sub(before), genesis_hash, channel_nonce)
	})
}

/// The nonce the load's channel gets: it is opened by the third setup extrinsic of the first
/// block on genesis, after the timestamp inherent (index 0), at [`LOAD_TIMESTAMP`].
pub fn channel_nonce(genesis_hash: Hash) -> Hash {
	pallet_invocation_metering::Pallet::<Runtime>::channel_nonce_at(
		genesis_hash,
		u128::from(LOAD_TIMESTAMP),
		Some(3),
		LOAD_CHANNEL,
	)
}

/// The extensions a signed extrinsic of this runtime carries.
pub fn extensions(era: Era, nonce: u32, tip: Balance) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(era),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(tip),
		// Left as a wallet leaves it: only `eth_transact` sets it.
		pallet_revive::evm::tx_extension::SetOrigin::default(),
		frame_system::WeightReclaim::new(),
	)
}

/// `call` signed by its signer as a wallet signs it: immortal, no tip, for the chain with
/// `genesis_hash` at this runtime's version.
pub fn sign(call: LoadCall, genesis_hash: Hash) -> UncheckedExtrinsic {
	let extensions = extensions(Era::Immortal, call.nonce, 0);
	let implicit = (
		(),
		VERSION.spec_version,
		VERSION.transaction_version,
		genesis_hash,
		genesis_hash,
		(),
		(),
		(),
		(),
		(),
	);
	let payload = SignedPayload::from_raw(call.call.clone(), extensions.clone(), implicit);
	let signature = payload.using_encoded(|bytes| call.signer.sign(bytes));
	sp_runtime::generic::UncheckedExtrinsic::new_signed(
		call.call,
		account(call.signer),
		MultiSignature::Sr25519(signature),
		extensions,
	)
	.into()
}
