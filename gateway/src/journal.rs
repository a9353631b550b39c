//! The journal: every voucher the gateway accepts, on disk before the call it pays for is
//! answered. After a crash (even `kill -9`) the gateway reopens it and settles what it holds:
//! nothing accepted is lost, and settling again is harmless (the chain pays only the units
//! above what a channel already settled).

use codec::{Decode, Encode};
use redb::{Database, ReadableTable, TableDefinition};
use std::path::Path;

/// Channel id → its [`Entry`], SCALE-encoded.
const CHANNELS: TableDefinition<u64, &[u8]> = TableDefinition::new("channels");
/// `genesis` and `provider` → the chain and provider the journal belongs to.
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// What the gateway holds for a channel: the newest voucher, and what the calls answered so
/// far owe.
#[derive(Clone, Debug, Encode, Decode, PartialEq, Eq)]
pub struct Entry {
	/// The channel's nonce: a channel with the same id on a relaunched chain is another one.
	pub channel_nonce: [u8; 32],
	/// The cumulative units the newest voucher signs for.
	pub voucher_units: u64,
	/// Its signature (a SCALE-encoded `MultiSignature`).
	pub signature: Vec<u8>,
	/// The units the answered calls owe: the next voucher must sign for at least this.
	pub owed_units: u64,
	/// When the oldest voucher not settled yet was accepted, in Unix milliseconds.
	pub unsettled_since_ms: u64,
}

/// A journal refused an operation.
#[derive(Debug)]
pub enum JournalError {
	/// The journal belongs to another chain or provider.
	Foreign(&'static str),
	/// A voucher for fewer units than the journal already holds: vouchers only grow.
	Regressed { held: u64, offered: u64 },
	/// A stored entry does not decode.
	Corrupt(u64),
	/// The database failed.
	Storage(String),
}

impl core::fmt::Display for JournalError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Foreign(what) => write!(f, "the journal belongs to another {what}"),
			Self::Regressed { held, offered } => {
				write!(f, "a voucher for {offered} units after one for {held}")
			}
			Self::Corrupt(channel) => write!(f, "the entry of channel {channel} does not decode"),
			Self::Storage(why) => write!(f, "journal storage: {why}"),
		}
	}
}

fn storage(error: impl ToString) -> JournalError {
	JournalError::Storage(error.to_string())
}

/// The entry `table` holds for `channel`.
fn held(
	table: &impl ReadableTable<u64, &'static [u8]>,
	channel: u64,
) -> Result<Option<Entry>, JournalError> {
	match table.get(channel).map_err(storage)? {
		Some(bytes) => decode(channel, bytes.value()).map(Some),
		None => Ok(None),
	}
}

fn decode(channel: u64, mut bytes: &[u8]) -> Result<Entry, JournalError> {
	Entry::decode(&mut bytes).map_err(|_| JournalError::Corrupt(channel))
}

/// The journal, a redb database: every write is committed durably before it returns.
pub struct Journal {
	db: Database,
}

impl Journal {
	/// Opens (or creates) the journal at `path` for the chain with `genesis` and the provider
	/// `provider`. A journal written for another chain or provider is refused: its vouchers
	/// could never settle here.
	pub fn open(path: &Path, genesis: &[u8], provider: &[u8]) -> Result<Self, JournalError> {
		let db = Database::create(path).map_err(storage)?;
		let tx = db.begin_write().map_err(storage)?;
		{
			tx.open_table(CHANNELS).map_err(storage)?;
			let mut meta = tx.open_table(META).map_err(storage)?;
			for (key, value, what) in
				[("genesis", genesis, "chain"), ("provider", provider, "provider")]
			{
				let stored = meta.get(key).map_err(storage)?.map(|held| held.value().to_vec());
				match stored {
					Some(held) if held != value => return Err(JournalError::Foreign(what)),
					Some(_) => {}
					None => {
						meta.insert(key, value).map_err(storage)?;
					}
				}
			}
		}
		tx.commit().map_err(storage)?;
		Ok(Self { db })
	}

	/// Records `entry` for `channel`, durably. A voucher for fewer units than the one held is
	/// refused: a caller cannot take back what it signed.
	pub fn record(&self, channel: u64, entry: &Entry) -> Result<(), JournalError> {
		let mut results = self.apply(vec![Change::Record(channel, entry.clone())])?;
		results.pop().unwrap_or(Ok(()))
	}

	/// Applies `changes` in order in one durable commit (one disk sync for all of them): the
	/// gateway's writer groups the calls answered meanwhile. Returns each change's outcome; a
	/// refused change leaves the others applied.
	pub fn apply(
		&self,
		changes: Vec<Change>,
	) -> Result<Vec<Result<(), JournalError>>, JournalError> {
		let tx = self.db.begin_write().map_err(storage)?;
		let mut results = Vec::with_capacity(changes.len());
		{
			let mut table = tx.open_table(CHANNELS).map_err(storage)?;
			for change in changes {
				results.push(apply_one(&mut table, change));
			}
		}
		tx.commit().map_err(storage)?;
		Ok(results)
	}

	/// The entry held for `channel`.
	pub fn get(&self, channel: u64) -> Result<Option<Entry>, JournalError> {
		let tx = self.db.begin_read().map_err(storage)?;
		held(&tx.open_table(CHANNELS).map_err(storage)?, channel)
	}

	/// Every channel's entry, by channel id: what a restarted gateway settles.
	pub fn entries(&self) -> Result<Vec<(u64, Entry)>, JournalError> {
		let tx = self.db.begin_read().map_err(storage)?;
		let table = tx.open_table(CHANNELS).map_err(storage)?;
		let mut entries = Vec::new();
		for item in table.iter().map_err(storage)? {
			let (channel, bytes) = item.map_err(storage)?;
			let channel = channel.value();
			entries.push((channel, decode(channel, bytes.value())?));
		}
		Ok(entries)
	}
}

/// A change to the journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
	/// Hold `Entry` for the channel (its voucher may not go back).
	Record(u64, Entry),
	/// The chain settled the channel up to these units: the entry leaves once it holds nothing
	/// unpaid.
	Settled { channel: u64, settled_units: u64 },
	/// The channel closed on chain: nothing it holds can be settled any more.
	Forget(u64),
}

fn apply_one(
	table: &mut redb::Table<'_, u64, &'static [u8]>,
	change: Change,
) -> Result<(), JournalError> {
	match change {
		Change::Record(channel, entry) => {
			if let Some(held) = held(table, channel)? {
				if entry.voucher_units < held.voucher_units {
					return Err(JournalError::Regressed {
						held: held.voucher_units,
						offered: entry.voucher_units,
					});
				}
			}
			table.insert(channel, entry.encode().as_slice()).map_err(storage)?;
		}
		Change::Settled { channel, settled_units } => {
			if let Some(entry) = held(table, channel)? {
				if settled_units >= entry.voucher_units && entry.voucher_units >= entry.owed_units {
					table.remove(channel).map_err(storage)?;
				}
			}
		}
		Change::Forget(channel) => {
			table.remove(channel).map_err(storage)?;
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
	use super::*;

	fn entry(voucher_units: u64, owed_units: u64) -> Entry {
		Entry {
			channel_nonce: [3; 32],
			voucher_units,
			signature: vec![7; 65],
			owed_units,
			unsettled_since_ms: 1_000,
		}
	}

	#[test]
	fn what_is_recorded_survives_a_reopen() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("journal.redb");
		{
			let journal = Journal::open(&path, b"chain", b"bob").unwrap();
			journal.record(3, &entry(10, 10)).unwrap();
			journal.record(1, &entry(5, 6)).unwrap();
			journal.record(3, &entry(12, 12)).unwrap();
			// Every record was committed durably when it returned; what a `kill -9` does to a
			// running gateway is the end-to-end tests' to show.
			drop(journal);
		}
		let journal = Journal::open(&path, b"chain", b"bob").unwrap();
		assert_eq!(journal.entries().unwrap(), vec![(1, entry(5, 6)), (3, entry(12, 12))]);
		assert_eq!(journal.get(3).unwrap(), Some(entry(12, 12)));
		assert_eq!(journal.get(2).unwrap(), None);
	}

	#[test]
	fn vouchers_never_go_back() {
		let dir = tempfile::tempdir().unwrap();
		let journal = Journal::open(&dir.path().join("j.redb"), b"chain", b"bob").unwrap();
		journal.record(0, &entry(10, 10)).unwrap();
		assert!(matches!(
			journal.record(0, &entry(9, 9)),
			Err(JournalError::Regressed { held: 10, offered: 9 })
		));
		assert_eq!(journal.get(0).unwrap(), Some(entry(10, 10)));
		// The same voucher again (a retried call) is fine.
		journal.record(0, &entry(10, 12)).unwrap();
	}

	#[test]
	fn a_journal_of_another_chain_or_provider_is_refused() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("j.redb");
		drop(Journal::open(&path, b"chain", b"bob").unwrap());
		assert!(matches!(
			Journal::open(&path, b"other", b"bob"),
			Err(JournalError::Foreign("chain"))
		));
		assert!(matches!(
			Journal::open(&path, b"chain", b"eve"),
			Err(JournalError::Foreign("provider"))
		));
		assert!(Journal::open(&path, b"chain", b"bob").is_ok());
	}

	#[test]
	fn an_entry_leaves_only_once_everything_it_holds_is_settled() {
		let dir = tempfile::tempdir().unwrap();
		let journal = Journal::open(&dir.path().join("j.redb"), b"chain", b"bob").unwrap();
		journal.record(0, &entry(10, 10)).unwrap();
		journal.record(1, &entry(10, 14)).unwrap();
		let settled = |channel, settled_units| {
			let outcome = journal.apply(vec![Change::Settled { channel, settled_units }]).unwrap();
			assert!(outcome.iter().all(Result::is_ok));
		};
		settled(0, 9);
		assert_eq!(journal.get(0).unwrap(), Some(entry(10, 10)), "one unit short");
		settled(0, 10);
		assert_eq!(journal.get(0).unwrap(), None);
		// Calls answered beyond the voucher still wait for the next voucher.
		settled(1, 10);
		assert_eq!(journal.get(1).unwrap(), Some(entry(10, 14)));
		settled(7, 100);
		assert_eq!(journal.entries().unwrap(), vec![(1, entry(10, 14))], "nothing else held");
	}

	#[test]
	fn changes_apply_in_order_in_one_commit_and_a_refused_one_leaves_the_rest() {
		let dir = tempfile::tempdir().unwrap();
		let journal = Journal::open(&dir.path().join("j.redb"), b"chain", b"bob").unwrap();
		let results = journal
			.apply(vec![
				Change::Record(0, entry(10, 10)),
				Change::Record(0, entry(12, 15)),
				Change::Record(0, entry(11, 16)),
				Change::Record(1, entry(3, 3)),
				Change::Settled { channel: 1, settled_units: 3 },
				Change::Record(2, entry(4, 4)),
				Change::Forget(2),
			])
			.unwrap();
		assert!(matches!(results[2], Err(JournalError::Regressed { held: 12, offered: 11 })));
		assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 6);
		assert_eq!(journal.entries().unwrap(), vec![(0, entry(12, 15))]);
	}
}
