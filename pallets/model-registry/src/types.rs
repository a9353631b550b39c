//! Types stored by the pallet and taken by its calls.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, traits::fungible::Inspect, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{traits::Zero, Perbill};

use crate::Config;
pub use tributary_primitives::{
	Beneficiary, ContentHash, DatasetId, ModelId, ModelVersionRef, RouteEntry, VersionNumber,
};

/// Balance type of the configured currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Account type of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
use frame_system::pallet_prelude::BlockNumberFor;

/// What kind of input and output a model works with.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Modality {
	/// Text in, text out.
	Text,
	/// Images (generation, classification, detection).
	Image,
	/// Speech and sound.
	Audio,
	/// Video.
	Video,
	/// Several modalities at once.
	Multimodal,
	/// Vector embeddings.
	Embedding,
	/// Tabular data.
	Tabular,
	/// Anything else.
	Other,
}

/// Whether others may register models derived from a model version, and on what terms.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Derivatives<Balance> {
	/// Nobody may register a model with this version as a parent.
	Forbidden,
	/// Anyone may, without asking, as long as the derivative routes at least
	/// `min_upstream_share` of its royalties to this version, and at least
	/// `min_royalty_per_unit` for each unit it is invoked for, whatever price it sets.
	Allowed {
		/// The least share of a derivative's royalties this version must receive.
		min_upstream_share: Perbill,
		/// The least amount of each unit's price of a derivative that reaches this version
		/// (like every royalty, net of the protocol fee). A derivative's price may not be set
		/// below what pays every parent its amount through its route.
		min_royalty_per_unit: Balance,
	},
}

impl<Balance: Zero> Derivatives<Balance> {
	/// Derivatives on a share and no absolute amount.
	pub fn share(min_upstream_share: Perbill) -> Self {
		Self::Allowed { min_upstream_share, min_royalty_per_unit: Zero::zero() }
	}
}

/// The license a model version is published under; enforced when others derive from it.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct License<Balance> {
	/// Whether the version may be sold, and derivatives used commercially. A version that
	/// forbids commercial use is never priced, and its derivatives must forbid it too.
	pub commercial_use: bool,
	/// Whether, and on what terms, others may derive from the version.
	pub derivatives: Derivatives<Balance>,
}

/// What a model version was built from, with the share of royalties each input receives.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Lineage<T: Config> {
	/// Datasets the version was trained on, each with its share (at least the dataset's
	/// `min_model_share`).
	pub datasets: BoundedVec<(DatasetId, Perbill), T::MaxDatasets>,
	/// Parent versions (one for a fine-tune, several for a composition), each with its share
	/// (at least the parent license's `min_upstream_share`).
	pub parents: BoundedVec<(ModelVersionRef, Perbill), T::MaxParents>,
}

impl<T: Config> Default for Lineage<T> {
	fn default() -> Self {
		Self { datasets: BoundedVec::new(), parents: BoundedVec::new() }
	}
}

/// A flattened royalty route: no model entries, parts summing to exactly 100%, sorted by
/// beneficiary, no beneficiary twice, no zero part.
pub type Route<T> = BoundedVec<RouteEntry<AccountIdOf<T>>, <T as Config>::MaxRouteLength>;

/// The lineage as a call names it: like [`Lineage`], but unbounded, so that too many entries
/// fail with an error naming the bound (`TooManyDatasets`, `TooManyParents`) rather than being
/// undecodable. The block length and the length fee bound it.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, Default, TypeInfo)]
pub struct LineageSpec {
	/// Datasets the version was trained on, each with its share (at most `MaxDatasets`).
	pub datasets: Vec<(DatasetId, Perbill)>,
	/// Parent versions, each with its share (at most `MaxParents`).
	pub parents: Vec<(ModelVersionRef, Perbill)>,
}

/// Everything that defines a new model version; the argument of `register` and
/// `publish_version`. Its texts and lists are unbounded here and checked against the
/// runtime's bounds with named errors.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
)]
#[scale_info(skip_type_params(T))]
pub struct VersionSpec<T: Config> {
	/// Human-readable version label, e.g. `1.2.0` (at most `MaxVersionLabelLength` bytes).
	pub label: Vec<u8>,
	/// Content hash of the model artifact (weights, stored off chain).
	pub artifact_hash: ContentHash,
	/// Price of one unit of invocation (e.g. a thousand tokens), paid along the route.
	pub price_per_unit: BalanceOf<T>,
	/// The license derivatives are bound by.
	pub license: License<BalanceOf<T>>,
	/// The owner's own share of the royalties, before rounding remainders.
	pub owner_share: Perbill,
	/// The datasets and parent versions the version was built from.
	pub lineage: LineageSpec,
}

/// A published model version. Its lineage never changes; its route only through an upheld dispute.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ModelVersion<T: Config> {
	/// Human-readable version label.
	pub label: BoundedVec<u8, T::MaxVersionLabelLength>,
	/// Content hash of the model artifact.
	pub artifact_hash: ContentHash,
	/// Price of one unit of invocation; the owner may change it, never below `price_floor`.
	pub price_per_unit: BalanceOf<T>,
	/// The least price per unit that pays every parent its `min_royalty_per_unit` through the
	/// lineage's shares; fixed at publication (zero without such parents).
	pub price_floor: BalanceOf<T>,
	/// The license derivatives are bound by.
	pub license: License<BalanceOf<T>>,
	/// The owner's share as declared (the route holds the owner's exact part).
	pub owner_share: Perbill,
	/// The datasets and parent versions the version was built from.
	pub lineage: Lineage<T>,
	/// Entries of the version's flattened royalty route (stored apart, in `Routes`).
	pub route_length: u32,
	/// A deprecated version takes no new derivatives but may still be invoked.
	pub deprecated: bool,
	/// The block the version was published in.
	pub published_at: BlockNumberFor<T>,
	/// Deposit held from the model's owner for this record and the version's route.
	pub deposit: BalanceOf<T>,
}

/// Descriptive metadata of a model; the owner may change it.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ModelMetadata<T: Config> {
	/// Human-readable name.
	pub name: BoundedVec<u8, T::MaxNameLength>,
	/// The model's modality.
	pub modality: Modality,
}

/// A registered model.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Model<T: Config> {
	/// Who controls the model: publishes versions, sets prices, deprecates.
	pub owner: AccountIdOf<T>,
	/// Descriptive metadata.
	pub metadata: ModelMetadata<T>,
	/// The newest version; versions `1..=latest_version` exist.
	pub latest_version: VersionNumber,
	/// An account offered ownership, which becomes owner when it accepts.
	pub pending_owner: Option<AccountIdOf<T>>,
	/// Deposit held from the owner for this record.
	pub deposit: BalanceOf<T>,
	/// Sum of the deposits of the model's versions, also held from the owner.
	pub versions_deposit: BalanceOf<T>,
	/// Counts the owner's changes to the model and its versions (publications, prices,
	/// deprecations, metadata, offers). Accepting an offer names the revision accepted, so a
	/// model changed after the taker looked at it is not handed over.
	pub revision: u32,
}

impl<T: Config> Model<T> {
	/// Records a change by the owner. Wrapping takes 2³² paid changes, so a revision never
	/// comes back within any offer's lifetime.
	pub(crate) fn revise(&mut self) {
		self.revision = self.revision.wrapping_add(1);
	}
}

/// Identifies a dispute.
pub type DisputeId = u32;

/// What a dispute claims a version's lineage hides.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum DisputeClaim {
	/// The version was trained on a dataset its lineage omits; the dataset's pool is wronged.
	OmittedDataset(DatasetId),
	/// The version derives from a model version its lineage omits; that model's owner is
	/// wronged.
	OmittedParent(ModelVersionRef),
	/// The version's weights are a copy of another model version's; that model's owner is
	/// wronged.
	CopiedWeights(ModelVersionRef),
}

/// An open dispute of a version's lineage.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Dispute<T: Config> {
	/// The model disputed.
	pub model: ModelId,
	/// The version disputed.
	pub version: VersionNumber,
	/// Who opened it; its bond is held until the ruling or the lapse.
	pub claimant: AccountIdOf<T>,
	/// What it claims.
	pub claim: DisputeClaim,
	/// Hash of the evidence, kept off chain.
	pub evidence: ContentHash,
	/// The bond held from the claimant.
	pub bond: BalanceOf<T>,
	/// When it was opened; it lapses `DisputeTimeout` later if nobody rules.
	pub opened_at: BlockNumberFor<T>,
}

/// The disputes open on a version, and until when they freeze its royalties.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct OpenDisputes<T: Config> {
	/// The open disputes, oldest first.
	pub disputes: BoundedVec<DisputeId, T::MaxOpenDisputes>,
	/// The royalties are frozen until this block: `DisputeTimeout` after the first of the
	/// disputes opened. Later disputes do not extend it, so stacking disputes cannot freeze a
	/// version for longer than one timeout; the disputes can still be ruled on after it.
	pub frozen_until: BlockNumberFor<T>,
}

/// What an upheld dispute decided about a version.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Infringement<T: Config> {
	/// The dispute upheld.
	pub dispute: DisputeId,
	/// Who the version's revenue now partly goes to.
	pub wronged: Beneficiary<AccountIdOf<T>>,
	/// The part of every payment for the version redirected to the wronged party.
	pub share: Perbill,
}
