//! The chat's network: the Tiledesk REST API, uploads, the emoji list, and following a
//! conversation live.

pub mod api;
pub mod emoji;
pub mod live;
pub mod upload;
