//! The generator's model builders: models registered and their versions published (with
//! specs that mostly satisfy the lineage rules), priced, renamed, deprecated, and their
//! ownership offered and accepted.

use super::generator::Target::*;
use super::generator::{Built, Generator, Target};
use crate::{Balance, Runtime, RuntimeCall, UNIT};
use pallet_model_registry::{
	Derivatives, License, LineageSpec, Modality, ModelVersionRef, VersionSpec,
};
use sp_runtime::{MultiAddress, Perbill};

impl Generator {
	/// A version spec that satisfies the lineage rules most of the time: existing datasets
	/// at or above their minimum share, parents that allow derivatives at or above theirs,
	/// and the owner taking the rest.
	fn version_spec(&mut self, model: Option<u32>) -> VersionSpec<Runtime> {
		use pallet_data_contribution::Datasets;
		use pallet_model_registry::Versions;
		let whole: u32 = Perbill::one().deconstruct();
		let mut remaining = whole;
		// What the lineage demands of the version's own derivatives (their minimum share).
		let mut demand = 0u32;
		let mut datasets = Vec::new();
		let all: Vec<_> = Datasets::<Runtime>::iter().collect();
		for _ in 0..self.rng.below(3) {
			let Some((id, record)) = self.rng.pick(&all) else { break };
			if datasets.iter().any(|(d, _)| d == id) {
				continue;
			}
			let share =
				record.terms.min_model_share.deconstruct() + self.rng.below(50_000_000) as u32;
			if share > remaining {
				continue;
			}
			remaining -= share;
			demand = demand.saturating_add(record.terms.min_model_share.deconstruct());
			datasets.push((*id, Perbill::from_parts(share)));
		}
		let mut parents = Vec::new();
		let mut commercial = true;
		// The least price that pays each parent its absolute royalty per unit.
		let mut price_floor: Balance = 0;
		let candidates: Vec<_> = Versions::<Runtime>::iter()
			.filter(|(m, _, v)| {
				Some(*m) != model
					&& !v.deprecated
					&& matches!(v.license.derivatives, Derivatives::Allowed { .. })
			})
			.collect();
		for _ in 0..self.rng.below(3) {
			let Some((m, number, version)) = self.rng.pick(&candidates) else { break };
			let parent = ModelVersionRef { model: *m, version: *number };
			if parents.iter().any(|(p, _)| *p == parent) {
				continue;
			}
			let Derivatives::Allowed { min_upstream_share, min_royalty_per_unit } =
				version.license.derivatives
			else {
				continue;
			};
			let share = min_upstream_share.deconstruct() + self.rng.below(50_000_000) as u32;
			if share > remaining {
				continue;
			}
			remaining -= share;
			demand = demand.saturating_add(min_upstream_share.deconstruct());
			commercial &= version.license.commercial_use;
			if min_royalty_per_unit > 0 {
				price_floor = price_floor.max(
					Perbill::from_parts(share).saturating_reciprocal_mul_ceil(min_royalty_per_unit),
				);
			}
			parents.push((parent, Perbill::from_parts(share)));
		}
		let mut owner_share = Perbill::from_parts(remaining);
		if self.rng.chance(30) {
			// Shares that do not add up.
			owner_share = Perbill::from_parts(remaining.saturating_sub(1));
		}
		let commercial_use = commercial && self.rng.chance(800);
		// A non-commercial version is free, except now and then on purpose.
		let mut price_per_unit =
			if commercial_use || self.rng.chance(30) { self.amount(UNIT) } else { 0 };
		// At least the floor, except now and then on purpose.
		if !self.rng.chance(30) {
			price_per_unit = price_per_unit.max(price_floor);
		}
		// Some licenses demand an absolute royalty per unit of each derivative (at least the
		// version's own floor, except now and then on purpose).
		let min_royalty_per_unit = if self.rng.chance(250) {
			let wanted = self.amount(UNIT / 10);
			if self.rng.chance(30) {
				wanted
			} else {
				wanted.max(price_floor)
			}
		} else if self.rng.chance(30) {
			0
		} else {
			price_floor
		};
		// Derivatives owe at least the lineage's demand, except now and then on purpose.
		let floor = if self.rng.chance(30) { 0 } else { demand.min(whole) };
		let min_upstream_share = sp_runtime::Saturating::saturating_add(
			Perbill::from_parts(floor),
			self.perbill_up_to(300_000_000),
		);
		VersionSpec {
			label: self.text(36),
			artifact_hash: self.hash(),
			price_per_unit,
			license: License {
				commercial_use,
				derivatives: if self.rng.chance(120) {
					Derivatives::Forbidden
				} else {
					Derivatives::Allowed { min_upstream_share, min_royalty_per_unit }
				},
			},
			owner_share,
			lineage: LineageSpec { datasets, parents },
		}
	}

	fn modality(&mut self) -> Modality {
		*self
			.rng
			.pick(&[
				Modality::Text,
				Modality::Image,
				Modality::Audio,
				Modality::Video,
				Modality::Multimodal,
				Modality::Embedding,
				Modality::Tabular,
				Modality::Other,
			])
			.unwrap()
	}

	pub(super) fn model_call(&mut self, target: Target) -> Built {
		use pallet_model_registry::{Call, Models, Versions};
		let models: Vec<_> = Models::<Runtime>::iter().collect();
		let call = match target {
			Register => {
				let spec = self.version_spec(None);
				(
					self.anyone(),
					Call::register { name: self.text(72), modality: self.modality(), spec },
				)
			}
			PublishVersion => {
				let (id, model) = self.rng.pick(&models)?.clone();
				let spec = self.version_spec(Some(id));
				(self.as_or_anyone(&model.owner), Call::publish_version { model: id, spec })
			}
			SetPrice | Deprecate => {
				let versions: Vec<_> = Versions::<Runtime>::iter()
					.filter(|(_, _, v)| target == SetPrice || !v.deprecated)
					.map(|(m, n, _)| (m, n))
					.collect();
				let (model, version) = *self.rng.pick(&versions)?;
				let owner = Models::<Runtime>::get(model)?.owner;
				let signer = self.as_or_anyone(&owner);
				if target == SetPrice {
					(signer, Call::set_price { model, version, price_per_unit: self.amount(UNIT) })
				} else {
					(signer, Call::deprecate { model, version })
				}
			}
			UpdateMetadata => {
				let (id, model) = self.rng.pick(&models)?.clone();
				(
					self.as_or_anyone(&model.owner),
					Call::update_metadata {
						model: id,
						name: self.text(72),
						modality: self.modality(),
					},
				)
			}
			OfferOwnership => {
				let (id, model) = self.rng.pick(&models)?.clone();
				let to = if self.rng.chance(150) {
					None
				} else {
					Some(MultiAddress::Id(self.account()))
				};
				(
					self.as_or_anyone(&model.owner),
					Call::offer_ownership { model: id, new_owner: to },
				)
			}
			_ => {
				let offered: Vec<_> =
					models.iter().filter(|(_, m)| m.pending_owner.is_some()).collect();
				let (id, model) = (*self.rng.pick(&offered)?).clone();
				let signer = self.as_or_anyone(model.pending_owner.as_ref()?);
				// Mostly the revision on chain; now and then a stale one.
				let revision = if self.rng.chance(100) {
					model.revision.wrapping_sub(1)
				} else {
					model.revision
				};
				(signer, Call::accept_ownership { model: id, revision })
			}
		};
		Some((call.0, RuntimeCall::ModelRegistry(call.1)))
	}

	/// Disputes of versions' lineages: mostly a dataset the lineage does not name, now and
	/// then another model's first version; and lapsed disputes closed. Rulings come from the
	/// run itself, as root (`Run::rule`).
	pub(super) fn dispute_call(&mut self, target: Target) -> Built {
		use pallet_data_contribution::Datasets;
		use pallet_model_registry::{Call, DisputeClaim, Disputes, Versions};
		let call = if target == OpenDispute {
			let versions: Vec<_> = Versions::<Runtime>::iter().map(|(m, n, _)| (m, n)).collect();
			let (model, version) = *self.rng.pick(&versions)?;
			let claim = if self.rng.chance(700) {
				let datasets: Vec<_> = Datasets::<Runtime>::iter_keys().collect();
				DisputeClaim::OmittedDataset(*self.rng.pick(&datasets)?)
			} else {
				let (other, _) = *self.rng.pick(&versions)?;
				DisputeClaim::CopiedWeights(ModelVersionRef { model: other, version: 1 })
			};
			let evidence = self.hash();
			Call::open_dispute { model, version, claim, evidence }
		} else {
			let open: Vec<_> = Disputes::<Runtime>::iter_keys().collect();
			Call::expire_dispute { dispute: *self.rng.pick(&open)? }
		};
		Some((self.anyone(), RuntimeCall::ModelRegistry(call)))
	}
}
