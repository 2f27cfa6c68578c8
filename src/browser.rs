//! The browser around the widget: its storage and the console.

use crate::storage_keys::storage_key;

/// The project's values in `localStorage`; every operation is a no-op where storage is unavailable
/// (blocked third-party storage, private modes).
#[derive(Debug, Clone)]
pub struct Store {
    project_id: String,
}

impl Store {
    /// The store of one project.
    pub fn new(project_id: &str) -> Self {
        Self {
            project_id: project_id.to_owned(),
        }
    }

    /// The stored value of `name`, if any.
    pub fn get(&self, name: &str) -> Option<String> {
        storage()?
            .get_item(&storage_key(&self.project_id, name))
            .ok()?
    }

    /// Stores `value` under `name`.
    pub fn set(&self, name: &str, value: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(&storage_key(&self.project_id, name), value);
        }
    }

    /// Forgets `name`.
    pub fn remove(&self, name: &str) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&storage_key(&self.project_id, name));
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Logs a warning for the website owner in the browser console.
pub fn warn(text: &str) {
    web_sys::console::warn_1(&format!("[tiledesk] {text}").into());
}
