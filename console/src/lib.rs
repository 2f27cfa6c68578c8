//! The agent console of tiledesk-local, a Leptos app talking only to the public REST and
//! WebSocket API. The tree is the map:
//! - `core`: pure logic (inbox filters and order, unread counts, visitor details, quick replies,
//!   typing throttle, read ticks), compiled everywhere and unit-tested natively;
//! - `web`: the browser part: REST calls, the live socket, storage, alerts, state and views.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// Entry point, run when the wasm module loads: mounts the console on the page's body.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    web::mount();
}
