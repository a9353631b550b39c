//! The provider-side gateway of Tributary's metered model API (work in progress).
//!
//! A compute provider runs it in front of OpenAI-compatible model servers. Callers pay through a
//! payment channel: each request carries a voucher signed by the channel's consumer for the
//! cumulative units owed so far; the gateway checks it, forwards the call, journals the newest
//! voucher before answering, and settles vouchers on chain with `settle_batch`.
//!
//! Built so far: the configuration ([`config`]), the refusals in OpenAI's error shape
//! ([`refusal`]) and the crash-safe voucher journal ([`journal`]). The HTTP surface, the chain
//! client and the settlement loop follow.

pub mod config;
pub mod journal;
pub mod refusal;
