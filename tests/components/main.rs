//! Component tests in headless Chromium: the real views mounted on a real DOM.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod api_calls;
mod composer;
mod long_conversation;
mod panel;
mod pre_chat;
mod storage;
mod support;
