//! Realtime delivery over the WebSocket: a publish/subscribe hub and the per-connection session.

pub mod hub;
pub mod session;
