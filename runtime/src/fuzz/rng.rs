//! A small deterministic pseudo-random generator (SplitMix64): the same seed gives the same
//! run on every machine and every toolchain, so a seed is a complete reproduction recipe.

/// SplitMix64: 64 bits of state, every output a bijective mix of it.
#[derive(Clone)]
pub(super) struct Rng(u64);

/// Mixes a seed with an index into an independent seed (the run seeds of a fuzzing session).
pub(super) fn derive(seed: u64, index: u64) -> u64 {
	let mut rng = Rng::new(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
	rng.next_u64()
}

impl Rng {
	pub(super) fn new(seed: u64) -> Self {
		Self(seed)
	}

	pub(super) fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	pub(super) fn next_u128(&mut self) -> u128 {
		(u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
	}

	/// A number in `0..n` (`0` when `n` is zero).
	pub(super) fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			return 0;
		}
		self.next_u64() % n
	}

	/// A number in `lo..=hi`.
	pub(super) fn range(&mut self, lo: u64, hi: u64) -> u64 {
		if hi <= lo {
			return lo;
		}
		lo + self.below(hi - lo + 1)
	}

	/// `true` with probability `per_mille` / 1000.
	pub(super) fn chance(&mut self, per_mille: u64) -> bool {
		self.below(1000) < per_mille
	}

	pub(super) fn bool(&mut self) -> bool {
		self.next_u64() & 1 == 1
	}

	pub(super) fn bytes(&mut self, len: usize) -> Vec<u8> {
		(0..len).map(|_| self.next_u64() as u8).collect()
	}

	pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
		if items.is_empty() {
			return None;
		}
		items.get(self.below(items.len() as u64) as usize)
	}

	/// An index drawn with the given weights (`None` when they are all zero).
	pub(super) fn weighted(&mut self, weights: &[u64]) -> Option<usize> {
		let total: u64 = weights.iter().sum();
		if total == 0 {
			return None;
		}
		let mut point = self.below(total);
		for (index, weight) in weights.iter().enumerate() {
			if point < *weight {
				return Some(index);
			}
			point -= weight;
		}
		None
	}
}
