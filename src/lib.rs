//! The Tiledesk-compatible chat widget: pure logic compiled everywhere; on wasm32 two modules,
//! the first-load shell in plain DOM (without the `chat` feature: launcher, callout, the loader's
//! handshake) and the full Leptos chat (the default `chat` feature) the shell loads when needed.

pub mod commands;
pub mod contrast;
pub mod conversation;
pub mod handover;
pub mod i18n;
pub mod live_policy;
pub mod markdown;
pub mod message_window;
pub mod outbox;
pub mod prechat;
pub mod settings;
pub mod storage_keys;
pub mod theme;
pub mod urls;

#[cfg(all(target_arch = "wasm32", feature = "chat"))]
pub mod api;
#[cfg(all(target_arch = "wasm32", feature = "chat"))]
pub mod boot;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(all(target_arch = "wasm32", feature = "chat"))]
pub mod chat;
#[cfg(all(target_arch = "wasm32", feature = "chat"))]
pub mod components;
#[cfg(all(target_arch = "wasm32", feature = "chat"))]
pub mod host;
#[cfg(all(target_arch = "wasm32", feature = "chat"))]
pub mod live;
#[cfg(all(target_arch = "wasm32", not(feature = "chat")))]
pub mod shell;

/// Entry point of the first-load shell, run when its wasm module loads.
#[cfg(all(target_arch = "wasm32", not(feature = "chat")))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    shell::boot();
}
