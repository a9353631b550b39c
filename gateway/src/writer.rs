//! The journal's single writer: it groups the changes submitted while a commit is under way
//! into the next commit, so a hundred concurrent calls share one disk sync instead of queueing
//! for a hundred. A change is acknowledged only once it is on disk.

use crate::journal::{Change, Journal, JournalError};
use std::{sync::Arc, time::Instant};
use tokio::sync::{mpsc, oneshot};

/// Most changes in one commit: bounds the latency a large group adds to its first member.
const MAX_GROUP: usize = 1_024;

type Ack = oneshot::Sender<Result<(), JournalError>>;

/// A handle to the writer thread.
#[derive(Clone)]
pub struct JournalWriter {
	sender: mpsc::UnboundedSender<(Change, Ack)>,
}

/// A submitted change, waiting for its commit.
pub struct Pending(oneshot::Receiver<Result<(), JournalError>>);

impl Pending {
	/// Waits until the change is on disk (or refused).
	pub async fn durable(self) -> Result<(), JournalError> {
		self.0.await.unwrap_or_else(|_| Err(JournalError::Storage("the writer stopped".into())))
	}
}

impl JournalWriter {
	/// Starts the writer thread over `journal`; `observe` receives each commit's duration in
	/// seconds (for the metrics).
	pub fn start(journal: Arc<Journal>, observe: impl Fn(f64) + Send + 'static) -> Self {
		let (sender, mut receiver) = mpsc::unbounded_channel::<(Change, Ack)>();
		std::thread::Builder::new()
			.name("journal-writer".into())
			.spawn(move || {
				while let Some(first) = receiver.blocking_recv() {
					let mut group = vec![first];
					while group.len() < MAX_GROUP {
						match receiver.try_recv() {
							Ok(next) => group.push(next),
							Err(_) => break,
						}
					}
					let (changes, acks): (Vec<_>, Vec<_>) = group.into_iter().unzip();
					let started = Instant::now();
					match journal.apply(changes) {
						Ok(results) => {
							observe(started.elapsed().as_secs_f64());
							for (ack, result) in acks.into_iter().zip(results) {
								let _ = ack.send(result);
							}
						}
						Err(error) => {
							tracing::error!(%error, "journal commit failed");
							for ack in acks {
								let _ = ack.send(Err(JournalError::Storage(error.to_string())));
							}
						}
					}
				}
			})
			.map(|_| ())
			.unwrap_or_else(|error| tracing::error!(%error, "cannot start the journal writer"));
		Self { sender }
	}

	/// Submits `change`; it is committed in order with every change submitted before it.
	pub fn submit(&self, change: Change) -> Pending {
		let (ack, pending) = oneshot::channel();
		// A stopped writer drops the acknowledgement, which `durable` reports as a failure.
		let _ = self.sender.send((change, ack));
		Pending(pending)
	}
}
