//! What the browser tells about the visitor, and the console where the website owner reads warnings.

/// The browser's preferred languages, most wanted first.
pub fn browser_languages() -> Vec<String> {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let listed: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    if listed.is_empty() {
        navigator.language().into_iter().collect()
    } else {
        listed
    }
}

/// Logs a warning for the website owner in the browser console.
pub fn warn(text: &str) {
    web_sys::console::warn_1(&format!("[tiledesk] {text}").into());
}
