//! Loading the chat module on demand, and the calls that start it.

use std::rc::Rc;

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::js::{set, start_fetch};
use super::view::element;

/// The chat module's file stem, content-hashed by `cargo xtask build`.
const CHAT_MODULE: &str = match option_env!("TILEDESK_CHAT_MODULE") {
    Some(stem) => stem,
    None => "chat",
};

#[wasm_bindgen]
extern "C" {
    /// The chat module's initialiser: the global its `wasm-bindgen --target no-modules` glue defines.
    #[wasm_bindgen(js_name = tiledesk_chat, catch)]
    fn init_chat_module(options: &JsValue) -> Result<Promise, JsValue>;

    /// `chat::boot::take_over` of the chat module.
    #[wasm_bindgen(js_namespace = tiledesk_chat, js_name = take_over, catch)]
    pub(super) fn chat_take_over(
        init: &JsValue,
        queued: &Array,
        shell: &Object,
        remote: &JsValue,
    ) -> Result<(), JsValue>;

    /// `chat::boot::start_top_level` of the chat module.
    #[wasm_bindgen(js_namespace = tiledesk_chat, js_name = start_top_level, catch)]
    pub(super) fn chat_start_top_level() -> Result<(), JsValue>;
}

/// Reports a failed call into the chat module.
pub(super) fn report(result: Result<(), JsValue>) {
    if let Err(error) = result {
        web_sys::console::error_2(&"[tiledesk] the chat failed to start:".into(), &error);
    }
}

/// Initialises the chat module's wasm, first adding its script to the page unless an earlier try
/// did; then calls `loaded`, or `failed` when either cannot be fetched or started. The wasm is
/// requested at once, beside the script, not after it.
pub(super) fn load_chat_module(loaded: Rc<dyn Fn()>, failed: Rc<dyn Fn()>) {
    thread_local! {
        /// Whether the chat module's script has run (a second copy could not redefine its global).
        static SCRIPT_RAN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    let wasm = start_fetch(&format!("{CHAT_MODULE}_bg.wasm"));
    let initialise = {
        let failed = failed.clone();
        move || {
            let options = Object::new();
            set(&options, "module_or_path", wasm.clone());
            let Ok(starting) = init_chat_module(&options) else {
                return failed();
            };
            let (loaded, failed) = (loaded.clone(), failed.clone());
            spawn_local(async move {
                match JsFuture::from(starting).await {
                    Ok(_) => loaded(),
                    Err(error) => {
                        web_sys::console::error_2(&"[tiledesk]".into(), &error);
                        failed();
                    }
                }
            });
        }
    };
    if SCRIPT_RAN.get() {
        return initialise();
    }
    let document = web_sys::window().and_then(|w| w.document());
    let (Some(document), Some(head)) = (document.clone(), document.and_then(|d| d.head())) else {
        return failed();
    };
    let script = element(&document, "script").unchecked_into::<web_sys::HtmlElement>();
    let _ = script.set_attribute("src", &format!("{CHAT_MODULE}.js"));
    let on_load = Closure::once_into_js(move || {
        SCRIPT_RAN.set(true);
        initialise();
    });
    let on_error = {
        let script = script.clone();
        Closure::once_into_js(move || {
            script.remove();
            failed();
        })
    };
    script.set_onload(Some(on_load.unchecked_ref()));
    script.set_onerror(Some(on_error.unchecked_ref()));
    let _ = head.append_child(&script);
}
