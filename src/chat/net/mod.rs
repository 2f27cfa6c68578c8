//! The chat's network: the Tiledesk REST API and following a conversation live.

pub mod api;
pub mod live;
