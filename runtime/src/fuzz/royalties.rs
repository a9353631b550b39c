//! The generator's royalty builders: versions' undistributed revenue distributed, and
//! credits and dataset pools claimed, by their holders or for them.

use super::generator::Target::*;
use super::generator::{Built, Generator, Target};
use crate::{Runtime, RuntimeCall};
use sp_runtime::MultiAddress;

impl Generator {
	pub(super) fn royalty_call(&mut self, target: Target) -> Built {
		use pallet_royalty_distribution::{Call, Credits, Settlements, Undistributed};
		let call = match target {
			Distribute => {
				let pending: Vec<_> =
					Undistributed::<Runtime>::iter().map(|(m, v, _)| (m, v)).collect();
				let (model, version) = match self.rng.pick(&pending) {
					Some(found) => *found,
					None => {
						let versions: Vec<_> = pallet_model_registry::Versions::<Runtime>::iter()
							.map(|(m, v, _)| (m, v))
							.collect();
						*self.rng.pick(&versions)?
					}
				};
				(self.anyone(), Call::distribute { model, version })
			}
			Claim => {
				let credited: Vec<_> =
					Credits::<Runtime>::iter().filter_map(|(who, _)| self.index_of(&who)).collect();
				let signer = match self.rng.pick(&credited) {
					Some(index) if !self.rng.chance(50) => *index,
					_ => self.anyone(),
				};
				(signer, Call::claim {})
			}
			ClaimFor => {
				// Mostly an account with credits (the treasury's among them), paid by anyone.
				let credited: Vec<_> = Credits::<Runtime>::iter().map(|(who, _)| who).collect();
				let beneficiary = match self.rng.pick(&credited) {
					Some(who) if !self.rng.chance(100) => who.clone(),
					_ => self.account(),
				};
				(self.anyone(), Call::claim_for { beneficiary: MultiAddress::Id(beneficiary) })
			}
			_ => {
				let settled: Vec<_> = Settlements::<Runtime>::iter()
					.filter_map(|(dataset, who, _)| self.index_of(&who).map(|i| (dataset, i)))
					.collect();
				let owed: Vec<_> = settled
					.iter()
					.filter(|(dataset, i)| {
						crate::RoyaltyDistribution::claimable_in_pool(*dataset, &self.accounts[*i])
							> 0
					})
					.copied()
					.collect();
				let (dataset, signer) = match self.rng.pick(&owed) {
					Some(found) if !self.rng.chance(100) => *found,
					_ => *self.rng.pick(&settled)?,
				};
				if target == ClaimPool {
					(signer, Call::claim_pool { dataset })
				} else {
					let mut datasets: Vec<u32> = settled
						.iter()
						.filter(|(_, i)| *i == signer)
						.map(|(d, _)| *d)
						.take(16)
						.collect();
					if self.rng.chance(200) {
						datasets.push(self.rng.below(64) as u32);
						datasets.push(dataset);
					}
					(signer, Call::claim_pools { datasets })
				}
			}
		};
		Some((call.0, RuntimeCall::RoyaltyDistribution(call.1)))
	}
}
