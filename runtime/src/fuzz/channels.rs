//! The generator's metering builders: providers' offers registered, updated and withdrawn,
//! one-off invocations, and payment channels opened, topped up, settled with vouchers signed
//! by their consumer (now and then wrongly), and closed.

use super::generator::Target::*;
use super::generator::{now, Built, Generator, Target, FUNDED};
use crate::{Balance, Runtime, RuntimeCall, UNIT};
use sp_core::H256;
use sp_runtime::MultiAddress;
use tributary_vouchers::{Voucher, VoucherSigner};

impl Generator {
	fn units(&mut self) -> u64 {
		match self.rng.below(100) {
			0..=1 => 0,
			2 => u64::MAX,
			_ => self.rng.range(1, 100),
		}
	}

	pub(super) fn offer_call(&mut self, target: Target) -> Built {
		use pallet_invocation_metering::{Call, Offers};
		use pallet_model_registry::{Models, Versions};
		let offers: Vec<_> =
			Offers::<Runtime>::iter().map(|(m, p, o)| (m, p, o.fee_per_unit)).collect();
		let call = match target {
			RegisterOffer => {
				let models: Vec<u32> = Models::<Runtime>::iter_keys().collect();
				let model = *self.rng.pick(&models)?;
				let free: Vec<usize> = (0..FUNDED)
					.filter(|i| {
						!offers.iter().any(|(m, p, _)| *m == model && *p == self.accounts[*i])
					})
					.collect();
				let signer = match self.rng.pick(&free) {
					Some(index) if !self.rng.chance(50) => *index,
					_ => self.anyone(),
				};
				(
					signer,
					Call::register_offer {
						model,
						fee_per_unit: self.amount(UNIT / 10),
						endpoint: self.text(264),
					},
				)
			}
			UpdateOffer | WithdrawOffer => {
				let (model, provider, _) = self.rng.pick(&offers)?.clone();
				let signer = self.as_or_anyone(&provider);
				if target == UpdateOffer {
					(
						signer,
						Call::update_offer {
							model,
							fee_per_unit: self.amount(UNIT / 10),
							endpoint: self.text(264),
						},
					)
				} else {
					(signer, Call::withdraw_offer { model })
				}
			}
			_ => {
				// Invoke: a version, maybe through a provider that offers the model.
				let versions: Vec<_> =
					Versions::<Runtime>::iter().map(|(m, n, v)| (m, n, v.price_per_unit)).collect();
				let (model, version, price) = *self.rng.pick(&versions)?;
				let serving: Vec<_> = offers.iter().filter(|(m, _, _)| *m == model).collect();
				let provider = if self.rng.chance(600) {
					self.rng.pick(&serving).map(|(_, p, fee)| (p.clone(), *fee))
				} else {
					None
				};
				let units = self.units();
				let total = price
					.saturating_add(provider.as_ref().map_or(0, |(_, fee)| *fee))
					.saturating_mul(Balance::from(units));
				let max_total = match self.rng.below(10) {
					0..=5 => Balance::MAX,
					6..=8 => total,
					_ => total.saturating_sub(1),
				};
				(
					self.anyone(),
					Call::invoke {
						model,
						version: if self.rng.chance(700) { Some(version) } else { None },
						units,
						provider: provider.map(|(p, _)| MultiAddress::Id(p)),
						max_total,
					},
				)
			}
		};
		Some((call.0, RuntimeCall::InvocationMetering(call.1)))
	}

	/// A voucher for `channel` worth up to what is left of its deposit, signed by its consumer
	/// (now and then by someone else, for an older unit count or for another chain).
	fn voucher(
		&mut self,
		id: u64,
		channel: &pallet_invocation_metering::Channel<Runtime>,
	) -> Option<(Voucher<H256>, crate::Signature)> {
		let consumer = self.index_of(&channel.consumer)?;
		let per_unit = channel.price_per_unit.saturating_add(channel.fee_per_unit);
		let affordable = match channel.deposit.checked_div(per_unit) {
			Some(units) => u64::try_from(units).unwrap_or(u64::MAX).min(1_000),
			None => 1_000,
		};
		let units = match self.rng.below(100) {
			0..=3 => 0,
			4..=6 => affordable.saturating_add(1),
			_ => self.rng.range(1, affordable.max(1)),
		};
		let genesis = if self.rng.chance(20) {
			self.hash()
		} else {
			crate::InvocationMetering::genesis_hash()
		};
		let voucher = tributary_vouchers::voucher(
			genesis,
			if self.rng.chance(20) { id + 1 } else { id },
			channel.settled_units.saturating_add(units),
		);
		let signer = if self.rng.chance(30) { self.anyone() } else { consumer };
		// Bound to the channel's provider and nonce; now and then to another provider, another
		// nonce (a voucher of another launch), or in the first format.
		let mut binding = tributary_vouchers::ChannelBinding {
			provider: channel.provider.clone(),
			nonce: channel.nonce,
		};
		match self.rng.below(100) {
			0 => {
				let other = self.anyone();
				binding.provider = self.accounts[other].clone();
			}
			1 => binding.nonce = self.hash(),
			2 => {
				let legacy = voucher.legacy_signing_payload();
				let signature = match &self.vouchers[signer] {
					VoucherSigner::Sr25519(pair) => sp_core::Pair::sign(&**pair, &legacy).into(),
					VoucherSigner::Ed25519(pair) => sp_core::Pair::sign(&**pair, &legacy).into(),
				};
				return Some((voucher, signature));
			}
			_ => {}
		}
		let signature = self.vouchers[signer].sign(&voucher, &binding);
		Some((voucher, signature))
	}

	pub(super) fn channel_call(&mut self, target: Target) -> Built {
		use pallet_invocation_metering::{Call, Channels, Offers};
		let channels: Vec<_> = Channels::<Runtime>::iter().collect();
		let now = now();
		let call = match target {
			OpenChannel => {
				let offers: Vec<_> = Offers::<Runtime>::iter().map(|(m, p, _)| (m, p)).collect();
				let (model, provider) = self.rng.pick(&offers)?.clone();
				let latest = pallet_model_registry::Models::<Runtime>::get(model)?.latest_version;
				let expires_at = match self.rng.below(100) {
					0..=2 => now,
					3 => now + 91 * crate::DAYS,
					_ => now + self.rng.range(1, 3000) as u32,
				};
				(
					self.anyone(),
					Call::open_channel {
						provider: MultiAddress::Id(provider),
						model,
						version: if self.rng.bool() {
							Some(self.rng.range(1, u64::from(latest)) as u32)
						} else {
							None
						},
						deposit: self.amount(50 * UNIT),
						expires_at,
					},
				)
			}
			TopUp | RequestClose => {
				let open: Vec<_> = channels.iter().filter(|(_, c)| c.closes_at.is_none()).collect();
				let (id, channel) = match self.rng.pick(&open) {
					Some(found) => (*found).clone(),
					None => self.rng.pick(&channels)?.clone(),
				};
				let signer = self.as_or_anyone(&channel.consumer);
				if target == TopUp {
					(signer, Call::top_up { channel: id, amount: self.amount(10 * UNIT) })
				} else {
					(signer, Call::request_close { channel: id })
				}
			}
			Settle => {
				let (id, channel) = self.rng.pick(&channels)?.clone();
				let (voucher, signature) = self.voucher(id, &channel)?;
				let signer = self.as_or_anyone(&channel.provider);
				(signer, Call::settle { channel: id, voucher, signature })
			}
			SettleBatch => {
				let (_, first) = self.rng.pick(&channels)?.clone();
				let provider = first.provider.clone();
				let mut vouchers = Vec::new();
				for (id, channel) in channels.iter().filter(|(_, c)| c.provider == provider) {
					if vouchers.len() >= 6 || self.rng.chance(200) {
						continue;
					}
					if let Some((voucher, signature)) = self.voucher(*id, channel) {
						vouchers.push((*id, voucher, signature));
					}
				}
				let signer = self.as_or_anyone(&provider);
				(signer, Call::settle_batch { vouchers })
			}
			FinalizeClose => {
				let closable: Vec<_> = channels
					.iter()
					.filter(|(_, c)| now >= c.expires_at || c.closes_at.is_some_and(|at| now >= at))
					.collect();
				let id = match self.rng.pick(&closable) {
					Some((id, _)) => *id,
					None => self.rng.pick(&channels)?.0,
				};
				(self.anyone(), Call::finalize_close { channel: id })
			}
			_ => {
				let (id, channel) = self.rng.pick(&channels)?.clone();
				(self.as_or_anyone(&channel.provider), Call::close_channel { channel: id })
			}
		};
		Some((call.0, RuntimeCall::InvocationMetering(call.1)))
	}
}
