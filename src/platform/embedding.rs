//! The page that embeds the widget's iframe: its origin, whether a message really comes from it,
//! and posting to it.

/// The origins a page opened from a local file (Android assets, iOS bundles, `file://`) has, as
/// browsers name them: no origin a message can be addressed to.
const LOCAL_FILE_ORIGINS: [&str; 2] = ["null", "file://"];

/// The host page's origin when the widget runs in the loader's iframe (the loader names it in the
/// iframe URL's `#host=` hash): a web origin, or that of a page from a local file; `None`
/// top-level.
pub fn embedding_origin() -> Option<String> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;
    if wasm_bindgen::JsValue::from(parent) == wasm_bindgen::JsValue::from(window.clone()) {
        return None;
    }
    let hash = window.location().hash().ok()?;
    let encoded = hash.strip_prefix("#host=")?;
    let origin = js_sys::decode_uri_component(encoded).ok()?.as_string()?;
    let web = origin.starts_with("http://") || origin.starts_with("https://");
    (web || LOCAL_FILE_ORIGINS.contains(&origin.as_str())).then_some(origin)
}

/// Whether `event` was posted by the parent window at the host page's `origin` (a page from a
/// local file names itself `file://` but its messages come from `null`).
pub fn from_embedding_page(event: &web_sys::MessageEvent, origin: &str) -> bool {
    let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
    let from_parent = match (event.source(), parent) {
        (Some(source), Some(parent)) => {
            wasm_bindgen::JsValue::from(source) == wasm_bindgen::JsValue::from(parent)
        }
        _ => false,
    };
    let sender = event.origin();
    let local_file = |o: &str| LOCAL_FILE_ORIGINS.contains(&o);
    from_parent && (sender == origin || (local_file(origin) && local_file(&sender)))
}

/// Posts `message` to the parent window, only if it still shows a page of `origin`. A page from a
/// local file has no origin to name: the message goes to the parent window whatever it shows.
pub fn post_to_embedding_page(origin: &str, message: &wasm_bindgen::JsValue) {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let target = if LOCAL_FILE_ORIGINS.contains(&origin) {
        "*"
    } else {
        origin
    };
    let _ = parent.post_message(message, target);
}
