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

/// Whether the visitor is on a phone or tablet, as the browser names itself (the widget's frame is
/// no measure of the screen).
pub fn is_mobile() -> bool {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .is_some_and(|agent| {
            ["Mobi", "Android", "iPhone", "iPad", "iPod"]
                .iter()
                .any(|mark| agent.contains(mark))
        })
}
