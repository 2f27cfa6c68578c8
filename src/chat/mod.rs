//! The full chat, the Leptos module the shell fetches on demand: its state split by concern
//! (`state`), its views (`components`), the REST API and the live socket (`net`), the host it
//! answers to (`host`), and how it starts (`boot`).

pub mod boot;
pub mod browser;
pub mod components;
pub mod host;
pub mod net;
pub mod state;

pub use state::Chat;
