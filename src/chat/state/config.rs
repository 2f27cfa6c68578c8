//! The settings as they change live (the layers and what they resolve to), the interface language
//! and the API base.

use std::sync::Arc;

use futures::lock::Mutex;
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::chat::net::api::{self, ApiError};
use crate::core::i18n::{Lang, Text};
use crate::core::labels::Labels;
use crate::core::settings::{SettingLayers, Settings};
use crate::core::storage_keys::{PRE_CHAT_FORM, SETTINGS};
use crate::platform::browser::{browser_languages, warn};
use crate::platform::storage::{Storage, Store};

/// The settings part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Config {
    /// The settings in force, recomputed whenever a layer changes.
    pub settings: RwSignal<Settings>,
    /// The project's own labels for the interface language, once loaded.
    pub labels: RwSignal<Labels>,
    layers: StoredValue<SettingLayers>,
    /// The browser's preferred languages, for the interface language.
    browser_languages: StoredValue<Vec<String>>,
    /// The API base once resolved, and the lock that resolves it once however many ask at once.
    api_base: StoredValue<Option<String>>,
    api_gate: StoredValue<Arc<Mutex<()>>>,
}

impl Config {
    /// The settings for `layers` with what an earlier visit stored under them in `storage`, and
    /// the project's store; `Err` when the settings cannot be used.
    pub fn load(mut layers: SettingLayers, storage: &Storage) -> Result<(Self, Store), String> {
        let first = layers.resolve().map_err(|e| e.to_string())?;
        let store = storage.project(&first.project_id, first.persistence);
        layers.set_stored(store.get_map(SETTINGS), store.get(PRE_CHAT_FORM).as_deref());
        let settings = layers.resolve().map_err(|e| e.to_string())?;
        let config = Self {
            settings: RwSignal::new(settings),
            labels: RwSignal::new(Labels::default()),
            layers: StoredValue::new(layers),
            browser_languages: StoredValue::new(browser_languages()),
            api_base: StoredValue::new(None),
            api_gate: StoredValue::new(Arc::default()),
        };
        Ok((config, store))
    }

    /// The interface language: the `lang` setting, else the browser's (reactive).
    pub fn lang(self) -> Lang {
        let browser = self.browser_languages.get_value();
        self.settings
            .with(|s| Lang::pick(s.lang.as_deref(), &browser))
    }

    /// The interface language now, outside any reactive scope.
    pub fn lang_untracked(self) -> Lang {
        let browser = self.browser_languages.get_value();
        self.settings
            .with_untracked(|s| Lang::pick(s.lang.as_deref(), &browser))
    }

    /// A UI string in the interface language, the project's own label where it saved one (reactive).
    pub fn text(self, key: Text) -> String {
        let lang = self.lang();
        self.labels.with(|labels| labels.text(key, lang))
    }

    /// Loads the project's labels for the interface language (`GET /:pid/labels/:LANG`, as the
    /// Tiledesk widget fetches them); without any, the built-in strings stay.
    pub async fn load_labels(self) {
        let base = self.api_base().await;
        let lang = self.lang_untracked().code().to_uppercase();
        if let Ok(answer) = api::labels(&base, &self.project_id(), &lang).await {
            self.labels.set(Labels::from_answer(&answer));
        }
    }

    /// What to tell the visitor about an error, in the interface language (reactive).
    pub fn describe(self, error: &ApiError) -> &'static str {
        self.lang().text(match error {
            ApiError::Network => Text::Offline,
            ApiError::Unauthorized => Text::SessionExpired,
            ApiError::Refused { .. } => Text::Refused,
            ApiError::Unreadable => Text::Unreadable,
        })
    }

    /// The project, as the settings name it now.
    pub fn project_id(self) -> String {
        self.settings.with_untracked(|s| s.project_id.clone())
    }

    /// A value the layers give apart from the settings (such as the URL-only `tiledesk_jwt`).
    pub fn layers<T>(self, read: impl FnOnce(&SettingLayers) -> T) -> T {
        self.layers.with_value(read)
    }

    /// The API base, resolved once (one `widget-config.json` fetch however many ask at once): the
    /// `apiUrl` setting, `widget-config.json`, or Tiledesk Cloud.
    pub async fn api_base(self) -> String {
        let gate = self.api_gate.get_value();
        let _single = gate.lock().await;
        if let Some(base) = self.api_base.get_value() {
            return base;
        }
        let configured = match self.settings.with_untracked(|s| s.api_url.is_none()) {
            true => api::configured_api_url().await,
            false => None,
        };
        let base = self
            .settings
            .with_untracked(|s| s.api_base(configured.as_deref()));
        self.api_base.set_value(Some(base.clone()));
        base
    }

    /// The API base if it has been resolved already.
    pub fn known_api_base(self) -> Option<String> {
        self.api_base.get_value()
    }

    /// `setParameter`: a setting changed live, remembered in `store` for later visits too
    /// (`preChatForm` also as the Tiledesk widget remembers it).
    pub fn set_parameter(self, key: String, value: Value, store: &Store) {
        if key == PRE_CHAT_FORM {
            match value.as_bool() {
                Some(true) => store.set(PRE_CHAT_FORM, "true"),
                _ => store.remove(PRE_CHAT_FORM),
            }
        }
        let mut stored = store.get_map(SETTINGS);
        stored.insert(key.clone(), value.clone());
        store.set(SETTINGS, &Value::Object(stored).to_string());
        self.update(|layers| {
            layers.live.insert(key, value);
        });
    }

    /// The page's `window.tiledeskSettings` replaced (`reInit`).
    pub fn replace_host_settings(self, host_settings: Map<String, Value>) {
        self.update(|layers| layers.host = host_settings);
    }

    /// The project's saved widget settings (`GET /:pid/widgets`), the lowest layer.
    pub fn apply_remote(self, remote: Map<String, Value>) {
        self.update(|layers| layers.remote = remote);
    }

    /// The `detail` of `onLoadParams`, `onOpen`, `onClose` and the eye-catcher events.
    pub fn settings_detail(self) -> Value {
        self.settings.with_untracked(Settings::event_detail)
    }

    /// The `detail` of `onBeforeInit` and `onInit`, with the panel `open` or not.
    pub fn init_detail(self, open: bool) -> Value {
        let api_base = self.api_base.get_value();
        self.settings
            .with_untracked(|s| s.init_detail(open, api_base.as_deref()))
    }

    /// Recomputes the settings after changing a layer; a change that leaves them unusable is undone.
    fn update(self, change: impl FnOnce(&mut SettingLayers)) {
        let mut layers = self.layers.get_value();
        change(&mut layers);
        match layers.resolve() {
            Ok(settings) => {
                self.layers.set_value(layers);
                self.settings.set(settings);
            }
            Err(error) => warn(&format!("settings change ignored: {error}")),
        }
    }
}
