//! What the console keeps in its origin's localStorage: the session and, per project, when the
//! agent last opened each conversation.

use std::collections::HashMap;

use serde::{de::DeserializeOwned, Serialize};

/// Key of the signed-in session (`{token, user}`).
pub const SESSION: &str = "tiledesk_console_session";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The value kept under `key`, if it reads.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

/// Keeps `value` under `key` (silently nothing where storage is unavailable).
pub fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &text);
    }
}

/// Forgets `key`.
pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// Key of the conversations' last-opened times in project `pid`.
pub fn seen_key(pid: &str) -> String {
    format!("tiledesk_console_seen_{pid}")
}

/// When the agent last opened each conversation of project `pid` (request id → ISO time).
pub fn load_seen(pid: &str) -> HashMap<String, String> {
    load(&seen_key(pid)).unwrap_or_default()
}
