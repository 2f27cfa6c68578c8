//! The project's remembered values, in the browser storage its persistence mode names.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::core::settings::Persistence;
use crate::core::storage_keys::storage_key;

/// The project's remembered values: in `localStorage`, `sessionStorage`, or only in memory for
/// `persistence: none`. Where browser storage is unavailable (blocked, private modes) it is a no-op.
#[derive(Debug, Clone)]
pub struct Store {
    project_id: String,
    persistence: Persistence,
    memory: Arc<Mutex<HashMap<String, String>>>,
}

impl Store {
    /// The store of one project in one persistence mode.
    pub fn new(project_id: &str, persistence: Persistence) -> Self {
        Self {
            project_id: project_id.to_owned(),
            persistence,
            memory: Arc::default(),
        }
    }

    /// The stored value of `name`, if any.
    pub fn get(&self, name: &str) -> Option<String> {
        let key = storage_key(&self.project_id, name);
        match self.storage() {
            Some(storage) => storage.get_item(&key).ok()?,
            None => self.memory.lock().ok()?.get(&key).cloned(),
        }
    }

    /// The JSON object stored under `name`; empty when there is none or it is unreadable.
    pub fn get_map(&self, name: &str) -> serde_json::Map<String, serde_json::Value> {
        self.get(name)
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Stores `value` under `name`.
    pub fn set(&self, name: &str, value: &str) {
        let key = storage_key(&self.project_id, name);
        match self.storage() {
            Some(storage) => {
                let _ = storage.set_item(&key, value);
            }
            None => {
                if let Ok(mut memory) = self.memory.lock() {
                    memory.insert(key, value.to_owned());
                }
            }
        }
    }

    /// Forgets `name`.
    pub fn remove(&self, name: &str) {
        let key = storage_key(&self.project_id, name);
        match self.storage() {
            Some(storage) => {
                let _ = storage.remove_item(&key);
            }
            None => {
                if let Ok(mut memory) = self.memory.lock() {
                    memory.remove(&key);
                }
            }
        }
    }

    /// Forgets everything stored for this project.
    pub fn clear(&self) {
        let prefix = storage_key(&self.project_id, "");
        if let Some(storage) = self.storage() {
            let count = storage.length().unwrap_or(0);
            let keys: Vec<String> = (0..count)
                .filter_map(|index| storage.key(index).ok().flatten())
                .filter(|key| key.starts_with(&prefix))
                .collect();
            for key in keys {
                let _ = storage.remove_item(&key);
            }
        }
        if let Ok(mut memory) = self.memory.lock() {
            memory.clear();
        }
    }

    fn storage(&self) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        match self.persistence {
            Persistence::Local => window.local_storage().ok()?,
            Persistence::Session => window.session_storage().ok()?,
            Persistence::None => None,
        }
    }
}
