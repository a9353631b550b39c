//! `tributary-voucher`: sign a payment-channel voucher from the command line.
//!
//! ```text
//! tributary-voucher --suri //Alice --genesis 0x… --channel 0 --provider 5F… --nonce 0x… \
//!     --units 1000 [--scheme ed25519] [--header]
//! ```
//!
//! The channel's provider and nonce are in its `ChannelOpened` event and its record (the
//! `tributary_channel` RPC returns both).
//!
//! Prints the consumer account, the signed payload, and the signature as the SCALE encoding of
//! a `MultiSignature` (what `settle` takes) and as raw bytes; with `--header`, only the
//! gateway's credential header, `X-Tributary-Voucher: 0x…` (for `curl -H`).

use clap::Parser;
use codec::Encode;
use sp_core::{bytes::to_hex, crypto::Ss58Codec, H256};
use sp_runtime::AccountId32;
use std::process::ExitCode;
use tributary_vouchers::{voucher, ChannelBinding, ChannelId, Scheme, Units, VoucherSigner};

/// Signs a Tributary payment-channel voucher as the channel's consumer.
#[derive(Parser, Debug)]
#[command(name = "tributary-voucher", version)]
struct Args {
	/// The consumer's secret: a mnemonic, a hex seed, or a derivation such as `//Alice`.
	#[arg(long)]
	suri: String,
	/// The genesis hash of the chain (0x-prefixed hex, 32 bytes).
	#[arg(long)]
	genesis: H256,
	/// The channel id.
	#[arg(long)]
	channel: ChannelId,
	/// The channel's provider (SS58 address).
	#[arg(long, value_parser = parse_account)]
	provider: AccountId32,
	/// The channel's nonce (0x-prefixed hex, 32 bytes).
	#[arg(long)]
	nonce: H256,
	/// Units consumed on the channel since it opened.
	#[arg(long)]
	units: Units,
	/// The key's signature scheme: sr25519 or ed25519.
	#[arg(long, default_value = "sr25519")]
	scheme: Scheme,
	/// Print only the gateway's `X-Tributary-Voucher` header line.
	#[arg(long)]
	header: bool,
}

fn parse_account(address: &str) -> Result<AccountId32, String> {
	AccountId32::from_ss58check(address).map_err(|e| format!("invalid SS58 address: {e:?}"))
}

fn run(args: Args) -> Result<String, String> {
	let signer = VoucherSigner::from_suri(args.scheme, &args.suri)?;
	let voucher = voucher(args.genesis, args.channel, args.units);
	let binding = ChannelBinding { provider: args.provider, nonce: args.nonce };
	let signature = signer.sign(&voucher, &binding);
	if args.header {
		let value = tributary_vouchers::header::encode(&voucher, &signature);
		return Ok(format!("X-Tributary-Voucher: {value}\n"));
	}
	let raw: &[u8] = match &signature {
		sp_runtime::MultiSignature::Sr25519(s) => s.as_ref(),
		sp_runtime::MultiSignature::Ed25519(s) => s.as_ref(),
		sp_runtime::MultiSignature::Ecdsa(s) => s.as_ref(),
		sp_runtime::MultiSignature::Eth(s) => s.as_ref(),
	};
	Ok(format!(
		"consumer: {}\npayload: {}\nsignature (MultiSignature, SCALE): {}\nsignature (raw): {}\n",
		signer.account().to_ss58check(),
		to_hex(&voucher.signing_payload(&binding.provider, &binding.nonce), false),
		to_hex(&signature.encode(), false),
		to_hex(raw, false),
	))
}

fn main() -> ExitCode {
	match run(Args::parse()) {
		Ok(output) => {
			print!("{output}");
			ExitCode::SUCCESS
		}
		Err(error) => {
			eprintln!("{error}");
			ExitCode::FAILURE
		}
	}
}
