//! The Tiledesk-compatible chat widget. The tree is the map:
//! - `core`: pure logic, compiled everywhere and unit-tested natively;
//! - `platform`: browser glue both wasm modules use (storage, the embedding page, the console);
//! - `shell`: the first-load module (built without the `chat` feature): launcher, callout, the
//!   loader's handshake, and loading the chat module when it is needed;
//! - `chat`: the full Leptos chat (the default `chat` feature) that the shell hands over to.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod platform;

#[cfg(all(target_arch = "wasm32", not(feature = "chat")))]
pub mod shell;

#[cfg(all(target_arch = "wasm32", feature = "chat"))]
pub mod chat;

/// Entry point of the first-load shell, run when its wasm module loads.
#[cfg(all(target_arch = "wasm32", not(feature = "chat")))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    shell::boot();
}
