//! The console's views: sign-in, the header, the inbox, a conversation, the visitor's details and
//! the team.

mod app;
mod attachment;
mod conversation;
mod details;
mod inbox;
mod signin;
mod team;

pub use app::App;
