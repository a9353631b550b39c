//! Server-sent events, cut into whole events however the bytes arrive, so the gateway can find
//! the usage chunk and the end of a stream in what it relays.

use bytes::Bytes;
use serde_json::Value;

/// One whole event, with the blank line that ends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
	/// Its bytes, as received.
	pub bytes: Bytes,
}

/// What an event is to the gateway.
#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
	/// `data: [DONE]`: the end of the answer.
	Done,
	/// A chunk carrying the call's `usage`.
	Usage {
		/// The `usage` object.
		usage: Value,
		/// Whether the chunk also carries choices (then it is relayed in any case).
		has_choices: bool,
	},
	/// Anything else, relayed as it is.
	Other,
}

impl Event {
	/// The event's `data:` lines, joined.
	fn data(&self) -> String {
		let text = String::from_utf8_lossy(&self.bytes).replace("\r\n", "\n").replace('\r', "\n");
		let lines: Vec<&str> = text
			.lines()
			.filter_map(|line| line.strip_prefix("data:"))
			.map(|data| data.strip_prefix(' ').unwrap_or(data))
			.collect();
		lines.join("\n")
	}

	/// What it is.
	pub fn kind(&self) -> EventKind {
		let data = self.data();
		if data.trim() == "[DONE]" {
			return EventKind::Done;
		}
		let Ok(chunk) = serde_json::from_str::<Value>(&data) else { return EventKind::Other };
		match chunk.get("usage") {
			Some(usage) if usage.is_object() => EventKind::Usage {
				usage: usage.clone(),
				has_choices: chunk
					.get("choices")
					.and_then(Value::as_array)
					.is_some_and(|choices| !choices.is_empty()),
			},
			_ => EventKind::Other,
		}
	}
}

/// The largest event the gateway buffers: far above any chunk of a token stream, far below
/// what would let a model server (or a caller's request for a stream it never ends) grow the
/// gateway's memory.
pub const MAX_EVENT_BYTES: usize = 1 << 20;

/// Bytes in, whole events out.
#[derive(Default)]
pub struct SseEvents {
	pending: Vec<u8>,
	/// How far `pending` was searched for an event's end already.
	scanned: usize,
}

/// Where the blank line ending the first event of `bytes` ends, if it is there: SSE ends lines
/// with LF, CRLF or CR.
fn event_end(bytes: &[u8]) -> Option<usize> {
	let ends: [&[u8]; 4] = [b"\n\n", b"\r\n\r\n", b"\r\r", b"\n\r\n"];
	ends.iter()
		.filter_map(|end| {
			bytes.windows(end.len()).position(|w| w == *end).map(|at| at.saturating_add(end.len()))
		})
		.min()
}

impl SseEvents {
	/// Adds `chunk` and returns the events it completed; `None` once an event grows past
	/// [`MAX_EVENT_BYTES`].
	pub fn push(&mut self, chunk: &[u8]) -> Option<Vec<Event>> {
		self.pending.extend_from_slice(chunk);
		let mut events = Vec::new();
		// The end of an event is at most four bytes long: search only from just before the
		// bytes not searched yet, so a long event costs linear time, not quadratic.
		while let Some(end) = self
			.pending
			.get(self.scanned.saturating_sub(3)..)
			.and_then(event_end)
			.map(|end| end.saturating_add(self.scanned.saturating_sub(3)))
		{
			let rest = self.pending.split_off(end);
			let whole = std::mem::replace(&mut self.pending, rest);
			events.push(Event { bytes: Bytes::from(whole) });
			self.scanned = 0;
		}
		self.scanned = self.pending.len();
		if self.pending.len() > MAX_EVENT_BYTES {
			return None;
		}
		Some(events)
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
	use super::*;

	const STREAM: &str = "data: {\"choices\":[{\"delta\":{\"content\":\"tok\"}}]}\n\n\
		: a comment\n\n\
		data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\r\n\r\n\
		data: [DONE]\n\n";

	fn kinds(events: &[Event]) -> Vec<EventKind> {
		events.iter().map(Event::kind).collect()
	}

	#[test]
	fn a_stream_cut_anywhere_gives_the_same_events() {
		let whole = SseEvents::default().push(STREAM.as_bytes()).unwrap();
		assert_eq!(whole.len(), 4);
		let usage =
			serde_json::json!({"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5});
		assert_eq!(
			kinds(&whole),
			vec![
				EventKind::Other,
				EventKind::Other,
				EventKind::Usage { usage, has_choices: false },
				EventKind::Done
			]
		);
		let bytes = STREAM.as_bytes();
		for cut in 0..bytes.len() {
			for second in cut..bytes.len() {
				let mut events = SseEvents::default();
				let mut got = events.push(&bytes[..cut]).unwrap();
				got.extend(events.push(&bytes[cut..second]).unwrap());
				got.extend(events.push(&bytes[second..]).unwrap());
				assert_eq!(got, whole, "cut at {cut} and {second}");
			}
		}
		// Byte by byte, too (the search resumes where it stopped).
		let mut events = SseEvents::default();
		let got: Vec<Event> = bytes.iter().flat_map(|b| events.push(&[*b]).unwrap()).collect();
		assert_eq!(got, whole);
	}

	#[test]
	fn every_line_ending_of_sse_ends_an_event() {
		let usage = "{\"choices\":[],\"usage\":{\"total_tokens\":7}}";
		for newline in ["\n", "\r\n", "\r"] {
			let stream = format!("data: {usage}{newline}{newline}data: [DONE]{newline}{newline}");
			let events = SseEvents::default().push(stream.as_bytes()).unwrap();
			assert_eq!(events.len(), 2, "{newline:?}");
			assert!(matches!(events[0].kind(), EventKind::Usage { .. }), "{newline:?}");
			assert_eq!(events[1].kind(), EventKind::Done, "{newline:?}");
		}
	}

	#[test]
	fn an_endless_event_is_refused_not_buffered() {
		let mut events = SseEvents::default();
		let line = vec![b'x'; 64 * 1024];
		let mut refused = false;
		for _ in 0..32 {
			match events.push(&line) {
				Some(got) => assert!(got.is_empty()),
				None => {
					refused = true;
					break;
				}
			}
		}
		assert!(refused);
	}
}
