//! A streamed call: the model server's events relayed as they come, the call charged from its
//! final usage chunk.

use crate::{
	bound::usage_units,
	config::Model,
	ledger::Reservation,
	proxy::{charge_headers, AppState},
	sse::{EventKind, SseEvents},
};
use axum::{
	body::Body,
	http::{header, HeaderValue},
	response::Response,
};
use bytes::Bytes;
use http_body_util::BodyExt;
use std::time::Duration;

/// Relays an upstream event stream, charging the call from its final usage chunk. The units
/// reach the caller in a comment, `: tributary owed=<owed> units=<units>`, before
/// `data: [DONE]`. A stream that breaks off before its usage is not charged; one whose caller
/// leaves (or stops reading) is read to its end and charged — the model server did the work.
pub fn stream(
	state: AppState,
	model: Model,
	reservation: Reservation,
	response: hyper::Response<hyper::body::Incoming>,
	wants_usage: bool,
	permit: tokio::sync::OwnedSemaphorePermit,
) -> Response {
	let channel = reservation.channel;
	let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(32);
	tokio::spawn(async move {
		// The call holds its permit until its stream ends.
		let _permit = permit;
		let idle = Duration::from_secs(model.timeout_secs);
		let mut body = response.into_body();
		let mut events = SseEvents::default();
		let mut units = None;
		let mut reservation = Some(reservation);
		let mut finished = false;
		// A caller that leaves mid-answer still got part of it: the model server's usage is
		// read to the end and charged.
		let mut caller_left = false;
		while !finished {
			let chunk = match tokio::time::timeout(idle, body.frame()).await {
				Ok(Some(Ok(frame))) => match frame.into_data() {
					Ok(data) => data,
					Err(_) => continue,
				},
				// Broken off, ended, or silent for too long.
				Ok(Some(Err(_)) | None) | Err(_) => break,
			};
			let Some(complete) = events.push(&chunk) else {
				tracing::warn!(channel, "an event of the model server's stream is too large");
				break;
			};
			for event in complete {
				let outgoing = match event.kind() {
					EventKind::Done => {
						finished = true;
						break;
					}
					EventKind::Usage { usage, has_choices } => {
						// A later chunk without a count does not erase the one read.
						units = usage_units(model.unit, Some(&usage)).or(units);
						// The gateway asked for the usage chunk; a caller that did not gets
						// none, as OpenAI would send it.
						if !wants_usage && !has_choices {
							continue;
						}
						event.bytes
					}
					EventKind::Other => event.bytes,
				};
				// A caller that stops reading would hold the call (and its permit) forever.
				if !caller_left
					&& !matches!(
						tokio::time::timeout(idle, sender.send(Ok(outgoing))).await,
						Ok(Ok(()))
					) {
					caller_left = true;
					state.metrics.call(&model.name, "caller_left");
				}
			}
		}
		let Some(reservation) = reservation.take() else { return };
		let Some(units) = units.or_else(|| usage_units(model.unit, None)) else {
			let _ = state.ledger.cancel(reservation).await;
			state.metrics.call(&model.name, "upstream_failed");
			let failed = Bytes::from_static(b": tributary owed=unchanged units=0\n\n");
			let _ = tokio::time::timeout(idle, sender.send(Ok(failed))).await;
			return;
		};
		match state.ledger.complete(reservation, units).await {
			Ok(charged) => {
				state.metrics.charged(&model.name, charged.units);
				let trailer = format!(
					": tributary owed={} units={}\n\ndata: [DONE]\n\n",
					charged.owed, charged.units
				);
				if !caller_left {
					let _ = tokio::time::timeout(idle, sender.send(Ok(Bytes::from(trailer)))).await;
				}
			}
			Err(refusal) => {
				tracing::error!(channel, code = refusal.code(), "a streamed call was not recorded");
			}
		}
	});
	let body = Body::from_stream(futures::stream::unfold(receiver, |mut receiver| async move {
		receiver.recv().await.map(|item| (item, receiver))
	}));
	let mut response = Response::new(body);
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
	charge_headers(response.headers_mut(), channel, model.unit, None);
	response
}
