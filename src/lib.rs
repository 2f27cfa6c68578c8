//! The Tiledesk-compatible chat widget: pure logic compiled everywhere, the Leptos UI on wasm32.

pub mod commands;
pub mod contrast;
pub mod conversation;
pub mod i18n;
pub mod live_policy;
pub mod markdown;
pub mod outbox;
pub mod prechat;
pub mod settings;
pub mod storage_keys;
pub mod urls;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod boot;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod chat;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod host;
#[cfg(target_arch = "wasm32")]
pub mod live;

/// Entry point run when the widget's wasm module loads.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    boot::boot();
}
