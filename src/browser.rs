//! The browser around the widget: storage by persistence mode, the embedding page, languages, the
//! console and sound.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::settings::Persistence;
use crate::storage_keys::storage_key;

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

/// Logs a warning for the website owner in the browser console.
pub fn warn(text: &str) {
    web_sys::console::warn_1(&format!("[tiledesk] {text}").into());
}

/// A short, soft two-note chime made with Web Audio (no sound file to download).
pub fn play_tone() {
    let Ok(context) = web_sys::AudioContext::new() else {
        return;
    };
    let now = context.current_time();
    for (index, frequency) in [880.0, 1320.0].into_iter().enumerate() {
        let (Ok(oscillator), Ok(gain)) = (context.create_oscillator(), context.create_gain())
        else {
            return;
        };
        let start = now + index as f64 * 0.12;
        oscillator.frequency().set_value(frequency);
        let _ = gain.gain().set_value_at_time(0.0001, start);
        let _ = gain
            .gain()
            .exponential_ramp_to_value_at_time(0.15, start + 0.02);
        let _ = gain
            .gain()
            .exponential_ramp_to_value_at_time(0.0001, start + 0.2);
        let _ = oscillator.connect_with_audio_node(&gain);
        let _ = gain.connect_with_audio_node(&context.destination());
        let _ = oscillator.start_with_when(start);
        let _ = oscillator.stop_with_when(start + 0.22);
    }
}

/// The browser's RegExp for `pattern` and `flags`, or `None` when it does not compile.
pub fn regex(pattern: &str, flags: &str) -> Option<js_sys::RegExp> {
    let constructor = js_sys::Reflect::get(&js_sys::global(), &"RegExp".into()).ok()?;
    let args = js_sys::Array::of2(&pattern.into(), &flags.into());
    let constructor: &js_sys::Function = wasm_bindgen::JsCast::unchecked_ref(&constructor);
    js_sys::Reflect::construct(constructor, &args)
        .ok()
        .map(wasm_bindgen::JsCast::unchecked_into)
}
