//! The sources of settings and their precedence: remote, stored, host page, URL, live calls.

use serde_json::{Map, Value};

use super::url::{url_only_text, url_settings_with};
use super::Settings;

/// The sources of settings, lowest precedence first: remote config (`GET /:pid/widgets`),
/// values stored by an earlier visit, `window.tiledeskSettings`, `tiledesk_<key>` URL parameters,
/// and `setParameter` calls made on this page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SettingLayers {
    pub remote: Map<String, Value>,
    pub stored: Map<String, Value>,
    pub host: Map<String, Value>,
    pub url: Map<String, Value>,
    pub live: Map<String, Value>,
    /// `tiledesk_<key>` URL parameters that were ignored because their JSON value did not parse.
    pub unparsable_url_keys: Vec<String>,
    /// `tiledesk_<key>` URL parameters that were ignored because an embedding page's URL may not set them.
    pub refused_url_keys: Vec<String>,
}

/// Settings the URL of a page that embeds the widget may not set: a link could otherwise send the
/// visitor's chat, and their token, to a server of the link's choosing, or show links of its
/// choosing in the widget (the Tiledesk widget reads these only from its settings, too).
const NOT_FROM_AN_EMBEDDING_PAGE_URL: &[&str] = &[
    "apiUrl",
    "poweredBy",
    "whatsappNumber",
    "telegramUsername",
    "messangerPageTitle",
];

impl SettingLayers {
    /// The layers known at start-up: the host's settings and the page URL's parameters.
    pub fn new(host_settings: &Value, page_url: &str) -> Self {
        Self::with_json_parser(host_settings, page_url, |text| {
            serde_json::from_str(text).ok()
        })
    }

    /// As `new`, parsing JSON-valued URL parameters with `parse_json` (the first-load shell uses
    /// the browser's parser to stay small).
    pub fn with_json_parser(
        host_settings: &Value,
        page_url: &str,
        parse_json: fn(&str) -> Option<Value>,
    ) -> Self {
        let (url, unparsable_url_keys) = url_settings_with(page_url, parse_json);
        Self {
            host: host_settings.as_object().cloned().unwrap_or_default(),
            url,
            unparsable_url_keys,
            ..Self::default()
        }
    }

    /// The layers of a widget embedded in a page: that page's URL may not choose where the widget
    /// talks (`NOT_FROM_AN_EMBEDDING_PAGE_URL`); a top-level widget (a mobile app's WebView) keeps
    /// them, its URL being the app's.
    pub fn embedded(mut self) -> Self {
        for key in NOT_FROM_AN_EMBEDDING_PAGE_URL {
            if self.url.remove(*key).is_some() {
                self.refused_url_keys.push((*key).to_owned());
            }
        }
        self
    }

    /// The layer an earlier visit stored: the `setParameter` values kept as `settings`, and the
    /// Tiledesk widget's own `preChatForm` flag (`setPreChatForm(true)` keeps `"true"`).
    pub fn set_stored(&mut self, mut settings: Map<String, Value>, pre_chat_form: Option<&str>) {
        if pre_chat_form == Some("true") {
            settings.entry("preChatForm").or_insert(Value::Bool(true));
        }
        self.stored = settings;
    }

    /// `tiledesk_jwt`: a token to sign the visitor in with (URL only).
    pub fn url_jwt(&self) -> Option<String> {
        url_only_text(&self.url, "jwt")
    }

    /// `tiledesk_hiddenMessage`: a message sent silently to start a conversation flow (URL only).
    pub fn url_hidden_message(&self) -> Option<String> {
        url_only_text(&self.url, "hiddenMessage")
    }

    /// The settings these layers give, the last layer naming a key winning.
    pub fn resolve(&self) -> Result<Settings, SettingsError> {
        let mut merged = Map::new();
        for layer in [
            &self.remote,
            &self.stored,
            &self.host,
            &self.url,
            &self.live,
        ] {
            merged.extend(
                layer
                    .iter()
                    .map(|(key, value)| (key.clone(), value.clone())),
            );
        }
        Settings::from_map(&merged)
    }
}

/// Why settings could not be used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    MissingProjectId,
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingsError::MissingProjectId => {
                f.write_str("tiledeskSettings.projectid is missing: the widget cannot start")
            }
        }
    }
}

impl Settings {
    /// Reads settings from the host's `tiledeskSettings` object, then lets the `tiledesk_<key>`
    /// parameters of `page_url` override them. Values of the wrong type fall back to defaults.
    pub fn resolve(host_settings: &Value, page_url: &str) -> Result<Self, SettingsError> {
        SettingLayers::new(host_settings, page_url).resolve()
    }
}
