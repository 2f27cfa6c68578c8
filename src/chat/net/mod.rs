//! The chat's network: the Tiledesk REST API, uploads, and following a conversation live.

pub mod api;
pub mod live;
pub mod upload;
