//! The page that embeds the widget's iframe: its origin, and whether a message really comes from it.

/// The host page's origin when the widget runs in the loader's iframe (the loader names it in the
/// iframe URL's `#host=` hash); `None` top-level.
pub fn embedding_origin() -> Option<String> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;
    if wasm_bindgen::JsValue::from(parent) == wasm_bindgen::JsValue::from(window.clone()) {
        return None;
    }
    let hash = window.location().hash().ok()?;
    let encoded = hash.strip_prefix("#host=")?;
    let origin = js_sys::decode_uri_component(encoded).ok()?.as_string()?;
    (origin.starts_with("http://") || origin.starts_with("https://")).then_some(origin)
}

/// Whether `event` was posted by the parent window at the host page's `origin`.
pub fn from_embedding_page(event: &web_sys::MessageEvent, origin: &str) -> bool {
    let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
    let from_parent = match (event.source(), parent) {
        (Some(source), Some(parent)) => {
            wasm_bindgen::JsValue::from(source) == wasm_bindgen::JsValue::from(parent)
        }
        _ => false,
    };
    from_parent && event.origin() == origin
}
