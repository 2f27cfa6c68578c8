//! Widget settings: `window.tiledeskSettings` overridden by `tiledesk_<key>` URL parameters, parsed once into typed values.

use serde::Serialize;
use serde_json::{Map, Value};
use tiledesk_protocol::bridge::Geometry;

/// Where Tiledesk Cloud serves its API; the last resort when nothing else names one.
pub const TILEDESK_CLOUD_API: &str = "https://api.tiledesk.com/v3/";

/// Default theme colour of the Tiledesk widget.
pub const DEFAULT_THEME_COLOR: &str = "#2a6ac1";

/// Default theme foreground colour of the Tiledesk widget.
pub const DEFAULT_THEME_FOREGROUND: &str = "#ffffff";

/// Prefix of settings given as URL query parameters.
const URL_PREFIX: &str = "tiledesk_";

/// Settings whose URL value is JSON rather than a plain string.
const JSON_KEYS: &[&str] = &["preChatFormJson", "customAttributes"];

/// Where the widget keeps what it remembers about the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Persistence {
    /// `localStorage`: remembered across visits (the default).
    Local,
    /// `sessionStorage`: forgotten when the tab closes.
    Session,
    /// Nothing is stored: every page load is a new visitor.
    None,
}

/// Which side of the page the widget sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Right,
    Left,
}

/// The settings the widget uses, named on the wire as the Tiledesk widget names them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    #[serde(rename = "projectid")]
    pub project_id: String,
    #[serde(rename = "apiUrl", skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    pub persistence: Persistence,
    pub align: Align,
    #[serde(rename = "marginX")]
    pub margin_x: String,
    #[serde(rename = "marginY")]
    pub margin_y: String,
    #[serde(rename = "mobileMarginX")]
    pub mobile_margin_x: String,
    #[serde(rename = "mobileMarginY")]
    pub mobile_margin_y: String,
    #[serde(rename = "launcherWidth")]
    pub launcher_width: String,
    #[serde(rename = "launcherHeight")]
    pub launcher_height: String,
    #[serde(rename = "baloonImage", skip_serializing_if = "Option::is_none")]
    pub baloon_image: Option<String>,
    #[serde(rename = "fullscreenMode")]
    pub fullscreen_mode: bool,
    #[serde(rename = "startHidden")]
    pub start_hidden: bool,
    #[serde(rename = "displayOnDesktop")]
    pub display_on_desktop: bool,
    #[serde(rename = "displayOnMobile")]
    pub display_on_mobile: bool,
    #[serde(rename = "hideHeaderCloseButton")]
    pub hide_header_close_button: bool,
    #[serde(rename = "themeColor")]
    pub theme_color: String,
    #[serde(rename = "themeForegroundColor")]
    pub theme_foreground_color: String,
    #[serde(rename = "widgetTitle")]
    pub widget_title: String,
    pub open: bool,
    #[serde(rename = "calloutTimer")]
    pub callout_timer: i64,
    #[serde(rename = "calloutTitle")]
    pub callout_title: String,
    #[serde(rename = "calloutMsg")]
    pub callout_msg: String,
    #[serde(rename = "soundEnabled")]
    pub sound_enabled: bool,
    #[serde(rename = "welcomeTitle")]
    pub welcome_title: String,
    #[serde(rename = "welcomeMsg")]
    pub welcome_msg: String,
    #[serde(
        rename = "bubbleSentBackground",
        skip_serializing_if = "Option::is_none"
    )]
    pub bubble_sent_background: Option<String>,
    #[serde(
        rename = "bubbleReceivedBackground",
        skip_serializing_if = "Option::is_none"
    )]
    pub bubble_received_background: Option<String>,
    #[serde(rename = "fontSize", skip_serializing_if = "Option::is_none")]
    pub font_size: Option<String>,
    #[serde(rename = "fontFamily", skip_serializing_if = "Option::is_none")]
    pub font_family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(rename = "logoChat", skip_serializing_if = "Option::is_none")]
    pub logo_chat: Option<String>,
    #[serde(rename = "userFullname", skip_serializing_if = "Option::is_none")]
    pub user_fullname: Option<String>,
    #[serde(rename = "userEmail", skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    #[serde(rename = "privacyField", skip_serializing_if = "Option::is_none")]
    pub privacy_field: Option<String>,
    #[serde(rename = "startFromHome")]
    pub start_from_home: bool,
    #[serde(rename = "singleConversation")]
    pub single_conversation: bool,
    #[serde(rename = "restartConversation")]
    pub restart_conversation: bool,
    #[serde(rename = "departmentID", skip_serializing_if = "Option::is_none")]
    pub department_id: Option<String>,
    #[serde(rename = "preChatForm")]
    pub pre_chat_form: bool,
    #[serde(rename = "preChatFormJson", skip_serializing_if = "Option::is_none")]
    pub pre_chat_form_json: Option<Value>,
    #[serde(rename = "customAttributes", skip_serializing_if = "Option::is_none")]
    pub custom_attributes: Option<Value>,
}

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
}

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

    fn from_map(map: &Map<String, Value>) -> Result<Self, SettingsError> {
        let text = |key: &str| {
            map.get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        let flag = |key: &str| map.get(key).and_then(as_flag);
        let colour = |key: &str, default: &str| {
            text(key)
                .filter(|value| is_safe_colour(value))
                .unwrap_or_else(|| default.to_owned())
        };
        let length = |key: &str, default: &str| {
            map.get(key)
                .and_then(as_length)
                .unwrap_or_else(|| default.to_owned())
        };
        let project_id = text("projectid").ok_or(SettingsError::MissingProjectId)?;
        Ok(Self {
            project_id,
            api_url: text("apiUrl").map(|url| with_trailing_slash(&url)),
            persistence: match text("persistence").as_deref() {
                Some("session") => Persistence::Session,
                Some("none") => Persistence::None,
                _ => Persistence::Local,
            },
            align: match text("align").as_deref() {
                Some("left") => Align::Left,
                _ => Align::Right,
            },
            margin_x: length("marginX", "20px"),
            margin_y: length("marginY", "20px"),
            mobile_margin_x: length("mobileMarginX", "0px"),
            mobile_margin_y: length("mobileMarginY", "0px"),
            launcher_width: length("launcherWidth", "60px"),
            launcher_height: length("launcherHeight", "60px"),
            baloon_image: text("baloonImage").filter(|url| crate::urls::is_image_url(url)),
            fullscreen_mode: flag("fullscreenMode").unwrap_or(false),
            start_hidden: flag("startHidden").unwrap_or(false),
            display_on_desktop: flag("displayOnDesktop").unwrap_or(true),
            display_on_mobile: flag("displayOnMobile").unwrap_or(true),
            hide_header_close_button: flag("hideHeaderCloseButton").unwrap_or(false),
            theme_color: colour("themeColor", DEFAULT_THEME_COLOR),
            theme_foreground_color: colour("themeForegroundColor", DEFAULT_THEME_FOREGROUND),
            widget_title: text("widgetTitle").unwrap_or_default(),
            open: flag("open").or_else(|| flag("isOpen")).unwrap_or(false),
            callout_timer: map
                .get("calloutTimer")
                .and_then(|v| v.as_i64().or_else(|| v.as_str()?.trim().parse().ok()))
                .unwrap_or(-1),
            callout_title: text("calloutTitle").unwrap_or_default(),
            callout_msg: text("calloutMsg").unwrap_or_default(),
            sound_enabled: flag("soundEnabled").unwrap_or(true),
            welcome_title: text("welcomeTitle").unwrap_or_default(),
            welcome_msg: text("welcomeMsg").unwrap_or_default(),
            bubble_sent_background: text("bubbleSentBackground").filter(|c| is_safe_colour(c)),
            bubble_received_background: text("bubbleReceivedBackground")
                .filter(|c| is_safe_colour(c)),
            font_size: map.get("fontSize").and_then(as_length),
            font_family: text("fontFamily").filter(|f| is_safe_font_family(f)),
            lang: text("lang").filter(|l| {
                l.len() <= 16 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }),
            logo_chat: text("logoChat").filter(|url| crate::urls::is_image_url(url)),
            user_fullname: text("userFullname"),
            user_email: text("userEmail"),
            privacy_field: text("privacyField"),
            start_from_home: flag("startFromHome").unwrap_or(false),
            single_conversation: flag("singleConversation").unwrap_or(false),
            restart_conversation: flag("restartConversation").unwrap_or(false),
            department_id: text("departmentID"),
            pre_chat_form: flag("preChatForm").unwrap_or(false),
            pre_chat_form_json: map.get("preChatFormJson").filter(|v| v.is_array()).cloned(),
            custom_attributes: map
                .get("customAttributes")
                .filter(|v| v.is_object())
                .cloned(),
        })
    }

    /// Where the loader places the iframe for these settings.
    pub fn geometry(&self) -> Geometry {
        Geometry {
            align: match self.align {
                Align::Left => "left".into(),
                Align::Right => "right".into(),
            },
            margin_x: self.margin_x.clone(),
            margin_y: self.margin_y.clone(),
            mobile_margin_x: self.mobile_margin_x.clone(),
            mobile_margin_y: self.mobile_margin_y.clone(),
            launcher_width: self.launcher_width.clone(),
            launcher_height: self.launcher_height.clone(),
            fullscreen: self.fullscreen_mode,
            display_on_desktop: self.display_on_desktop,
            display_on_mobile: self.display_on_mobile,
        }
    }

    /// The `detail` of `onLoadParams`, `onOpen`, `onClose` and the eye-catcher events.
    pub fn event_detail(&self) -> Value {
        serde_json::json!({ "default_settings": self })
    }

    /// The `detail` of `onBeforeInit` and `onInit`.
    pub fn init_detail(&self, is_open: bool, api_base: Option<&str>) -> Value {
        serde_json::json!({
            "global": { "projectid": self.project_id, "isOpen": is_open },
            "default_settings": self,
            "appConfigs": { "apiUrl": api_base },
        })
    }

    /// The API base: the `apiUrl` setting, else the one `widget-config.json` names, else Tiledesk Cloud.
    pub fn api_base(&self, config_api_url: Option<&str>) -> String {
        self.api_url
            .clone()
            .or_else(|| {
                config_api_url
                    .map(str::trim)
                    .filter(|url| !url.is_empty())
                    .map(with_trailing_slash)
            })
            .unwrap_or_else(|| TILEDESK_CLOUD_API.to_owned())
    }
}

/// The pre-chat form used when the website owner gives none: full name and a valid email.
pub fn default_pre_chat_form() -> Value {
    serde_json::json!([
        {
            "name": "userFullname",
            "type": "text",
            "mandatory": true,
            "label": {"en": "Your name", "it": "Il tuo nome", "es": "Tu nombre", "fr": "Votre nom", "de": "Ihr Name", "pt": "Seu nome"}
        },
        {
            "name": "userEmail",
            "type": "text",
            "mandatory": true,
            "regex": "/^[^\\s@]+@[^\\s@]+\\.[^\\s@]{2,}$/",
            "label": {"en": "Your email", "it": "La tua email", "es": "Tu correo", "fr": "Votre e-mail", "de": "Ihre E-Mail", "pt": "Seu e-mail"},
            "errorLabel": {"en": "Please enter a valid email address", "it": "Inserisci un indirizzo email valido"}
        }
    ])
}

/// The `tiledesk_<key>` parameters of a URL as setting values: a bare key is `true`,
/// `0`/`false` are `false`, JSON-valued keys are parsed (and dropped when they do not parse).
/// The keys whose JSON value did not parse are returned apart, to be reported.
pub fn url_settings(url: &str) -> (Map<String, Value>, Vec<String>) {
    url_settings_with(url, |text| serde_json::from_str(text).ok())
}

/// As `url_settings`, parsing JSON values with `parse_json`.
fn url_settings_with(
    url: &str,
    parse_json: fn(&str) -> Option<Value>,
) -> (Map<String, Value>, Vec<String>) {
    let query = url.split_once('?').map_or("", |(_, rest)| rest);
    let query = query.split_once('#').map_or(query, |(before, _)| before);
    let mut values = Map::new();
    let mut unparsable = Vec::new();
    for pair in query.split('&') {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(key) = percent_decode(raw_key)
            .strip_prefix(URL_PREFIX)
            .map(str::to_owned)
        else {
            continue;
        };
        let value = percent_decode(raw_value);
        if JSON_KEYS.contains(&key.as_str()) {
            match parse_json(&value) {
                Some(parsed) => values.insert(key, parsed),
                None => {
                    unparsable.push(key);
                    continue;
                }
            };
        } else {
            let value = match value.as_str() {
                "" | "true" => Value::Bool(true),
                "0" | "false" => Value::Bool(false),
                _ => Value::String(value),
            };
            values.insert(key, value);
        }
    }
    (values, unparsable)
}

fn url_only_text(url: &Map<String, Value>, key: &str) -> Option<String> {
    url.get(key)?
        .as_str()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A boolean setting given as a boolean or as the strings `true`/`false`/`1`/`0`.
fn as_flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => match text.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A CSS length (`20px`, `1.5rem`, `10%`, …), or a bare number taken as pixels.
fn as_length(value: &Value) -> Option<String> {
    if let Some(number) = value.as_f64() {
        return (number.is_finite() && number >= 0.0).then(|| format!("{number}px"));
    }
    let text = value.as_str()?.trim();
    let unit_at = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(unit_at);
    let valid_number = !number.is_empty() && number.parse::<f64>().is_ok();
    (valid_number && ["px", "em", "rem", "%", "vw", "vh"].contains(&unit)).then(|| text.to_owned())
}

/// A font family list that can go into a CSS custom property: names, quotes, commas and spaces only.
fn is_safe_font_family(value: &str) -> bool {
    value.len() <= 200
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || " ,-_'\"".contains(c))
}

/// A colour that can go into a CSS custom property without smuggling anything else in:
/// a hex colour, a colour name or an `rgb()/hsl()`-style function of numbers.
pub fn is_safe_colour(value: &str) -> bool {
    let value = value.trim();
    if let Some(hex) = value.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if value.chars().all(|c| c.is_ascii_alphabetic()) {
        return !value.is_empty() && value.len() <= 24;
    }
    let Some((function, args)) = value.strip_suffix(')').and_then(|v| v.split_once('(')) else {
        return false;
    };
    matches!(function, "rgb" | "rgba" | "hsl" | "hsla")
        && args
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " .,%/-".contains(c))
}

fn with_trailing_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

/// Decodes `%XX` escapes and `+` of a URL query component; invalid escapes stay as they are.
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|b| (*b as char).to_digit(16))
                .map(|d| d as u8)
        };
        match bytes[index] {
            b'%' => match (hex(index + 1), hex(index + 2)) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    index += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn host_settings_are_read_with_tiledesk_defaults() {
        let settings =
            Settings::resolve(&json!({"projectid": "p1"}), "https://shop.example/").unwrap();
        assert_eq!(settings.project_id, "p1");
        assert_eq!(settings.align, Align::Right);
        assert_eq!(settings.theme_color, DEFAULT_THEME_COLOR);
        assert_eq!(settings.theme_foreground_color, DEFAULT_THEME_FOREGROUND);
        assert!(!settings.open);
        assert_eq!(settings.api_base(None), TILEDESK_CLOUD_API);
    }

    #[test]
    fn url_parameters_override_host_settings() {
        let host =
            json!({"projectid": "p1", "align": "right", "open": false, "widgetTitle": "Shop"});
        let url = "https://shop.example/page?x=1&tiledesk_align=left&tiledesk_open&tiledesk_widgetTitle=Help%20desk+now#top";
        let settings = Settings::resolve(&host, url).unwrap();
        assert_eq!(settings.align, Align::Left);
        assert!(settings.open);
        assert_eq!(settings.widget_title, "Help desk now");
    }

    #[test]
    fn url_flags_false_and_json_values() {
        let (params, unparsable) = url_settings("/?tiledesk_open=0&tiledesk_singleConversation=false&tiledesk_customAttributes=%7B%22a%22%3A1%7D&tiledesk_preChatFormJson=%5Bbroken");
        assert_eq!(unparsable, vec!["preChatFormJson".to_owned()]);
        assert_eq!(params["open"], json!(false));
        assert_eq!(params["singleConversation"], json!(false));
        assert_eq!(params["customAttributes"], json!({"a": 1}));
        assert!(
            !params.contains_key("preChatFormJson"),
            "unparsable JSON is dropped"
        );
    }

    #[test]
    fn missing_project_id_is_an_error() {
        assert_eq!(
            Settings::resolve(&json!({"projectid": "  "}), "/"),
            Err(SettingsError::MissingProjectId)
        );
        assert!(Settings::resolve(&json!(null), "/?tiledesk_projectid=abc").is_ok());
    }

    #[test]
    fn api_base_precedence_setting_then_config_then_cloud() {
        let with_setting = Settings::resolve(
            &json!({"projectid": "p", "apiUrl": "http://127.0.0.1:3000"}),
            "/",
        )
        .unwrap();
        assert_eq!(
            with_setting.api_base(Some("http://other/")),
            "http://127.0.0.1:3000/"
        );
        let without = Settings::resolve(&json!({"projectid": "p"}), "/").unwrap();
        assert_eq!(
            without.api_base(Some("http://local:3000")),
            "http://local:3000/"
        );
        assert_eq!(without.api_base(Some(" ")), TILEDESK_CLOUD_API);
    }

    #[test]
    fn only_plain_colours_are_accepted() {
        for good in [
            "#2a6ac1",
            "#fff",
            "red",
            "rgb(10, 20, 30)",
            "hsla(120deg, 50%, 50%, 0.5)",
        ] {
            assert!(is_safe_colour(good), "{good}");
        }
        for bad in [
            "#12",
            "red; background: url(x)",
            "url(http://x)",
            "expression(alert(1))",
            "",
            "rgb(1,2,3);x:y",
        ] {
            assert!(!is_safe_colour(bad), "{bad}");
        }
        let settings = Settings::resolve(
            &json!({"projectid": "p", "themeColor": "red;x:url(y)"}),
            "/",
        )
        .unwrap();
        assert_eq!(settings.theme_color, DEFAULT_THEME_COLOR);
    }

    #[test]
    fn wrong_types_fall_back_to_defaults() {
        let settings = Settings::resolve(
            &json!({"projectid": "p", "open": "yes", "align": 7, "widgetTitle": {}}),
            "/",
        )
        .unwrap();
        assert!(!settings.open);
        assert_eq!(settings.align, Align::Right);
        assert_eq!(settings.widget_title, "");
    }

    #[test]
    fn layers_apply_in_tiledesk_precedence() {
        let mut layers = SettingLayers::new(
            &json!({"projectid": "p", "widgetTitle": "host", "themeColor": "#222222", "align": "left"}),
            "https://shop.example/?tiledesk_themeColor=%23333333",
        );
        layers.remote = json!({"widgetTitle": "remote", "themeColor": "#000000", "marginX": "40px", "fullscreenMode": true})
            .as_object().unwrap().clone();
        layers.stored = json!({"widgetTitle": "stored", "marginY": "30px", "align": "right"})
            .as_object()
            .unwrap()
            .clone();
        let settings = layers.resolve().unwrap();
        assert_eq!(
            settings.widget_title, "host",
            "tiledeskSettings beat stored and remote"
        );
        assert_eq!(
            settings.theme_color, "#333333",
            "the URL beats tiledeskSettings"
        );
        assert_eq!(
            settings.margin_x, "40px",
            "remote applies when nothing overrides it"
        );
        assert_eq!(settings.margin_y, "30px", "stored beats remote");
        assert_eq!(settings.align, Align::Left);
        assert!(settings.fullscreen_mode);
        layers.live.insert("widgetTitle".into(), json!("live"));
        assert_eq!(
            layers.resolve().unwrap().widget_title,
            "live",
            "setParameter wins"
        );
    }

    #[test]
    fn jwt_and_hidden_message_come_only_from_the_url() {
        let layers = SettingLayers::new(
            &json!({"projectid": "p", "jwt": "from-host", "hiddenMessage": "from-host"}),
            "https://shop.example/?tiledesk_jwt=JWT%20abc&tiledesk_hiddenMessage=start%20bot",
        );
        assert_eq!(layers.url_jwt().as_deref(), Some("JWT abc"));
        assert_eq!(layers.url_hidden_message().as_deref(), Some("start bot"));
        let host_only = SettingLayers::new(&json!({"projectid": "p", "jwt": "x"}), "/");
        assert_eq!(host_only.url_jwt(), None);
    }

    #[test]
    fn lengths_images_and_persistence_are_validated() {
        let settings = Settings::resolve(
            &json!({"projectid": "p", "marginX": 32, "marginY": "2rem", "launcherWidth": "80px;color:red",
                    "launcherHeight": "-5px", "mobileMarginX": "5%", "baloonImage": "javascript:alert(1)",
                    "persistence": "session"}),
            "/",
        )
        .unwrap();
        assert_eq!(settings.margin_x, "32px");
        assert_eq!(settings.margin_y, "2rem");
        assert_eq!(settings.launcher_width, "60px");
        assert_eq!(settings.launcher_height, "60px");
        assert_eq!(settings.mobile_margin_x, "5%");
        assert_eq!(settings.baloon_image, None);
        assert_eq!(settings.persistence, Persistence::Session);
        let image = Settings::resolve(
            &json!({"projectid": "p", "baloonImage": "https://cdn.example/b.png"}),
            "/",
        )
        .unwrap();
        assert_eq!(
            image.baloon_image.as_deref(),
            Some("https://cdn.example/b.png")
        );
        let none =
            Settings::resolve(&json!({"projectid": "p"}), "/?tiledesk_persistence=none").unwrap();
        assert_eq!(none.persistence, Persistence::None);
        assert!(none.display_on_desktop && none.display_on_mobile && !none.start_hidden);
    }

    #[test]
    fn look_settings_are_validated() {
        let settings = Settings::resolve(
            &json!({"projectid": "p", "bubbleSentBackground": "#112233", "bubbleReceivedBackground": "url(x)",
                    "fontSize": "16px", "fontFamily": "'Open Sans', Arial", "lang": "it", "soundEnabled": false,
                    "welcomeTitle": "Hi!", "welcomeMsg": "Ask us anything"}),
            "/",
        )
        .unwrap();
        assert_eq!(settings.bubble_sent_background.as_deref(), Some("#112233"));
        assert_eq!(settings.bubble_received_background, None);
        assert_eq!(settings.font_size.as_deref(), Some("16px"));
        assert_eq!(settings.font_family.as_deref(), Some("'Open Sans', Arial"));
        assert_eq!(settings.lang.as_deref(), Some("it"));
        assert!(!settings.sound_enabled);
        assert_eq!(
            (
                settings.welcome_title.as_str(),
                settings.welcome_msg.as_str()
            ),
            ("Hi!", "Ask us anything")
        );
        let hostile = Settings::resolve(
            &json!({"projectid": "p", "fontFamily": "x;}body{display:none", "lang": "<x>"}),
            "/",
        )
        .unwrap();
        assert_eq!((hostile.font_family, hostile.lang), (None, None));
        assert!(
            Settings::resolve(&json!({"projectid": "p"}), "/")
                .unwrap()
                .sound_enabled
        );
    }

    #[test]
    fn visitor_and_branding_settings() {
        let settings = Settings::resolve(
            &json!({"projectid": "p", "logoChat": "javascript:alert(1)", "userFullname": "Ada", "userEmail": "ada@example.com",
                    "privacyField": "I accept the [privacy policy](https://shop.example/privacy)"}),
            "/",
        )
        .unwrap();
        assert_eq!(settings.logo_chat, None, "only image addresses");
        assert_eq!(settings.user_fullname.as_deref(), Some("Ada"));
        assert_eq!(settings.user_email.as_deref(), Some("ada@example.com"));
        assert!(settings.privacy_field.unwrap().contains("privacy policy"));
        let logo = Settings::resolve(
            &json!({"projectid": "p", "logoChat": "https://cdn.example/logo.png"}),
            "/",
        )
        .unwrap();
        assert_eq!(
            logo.logo_chat.as_deref(),
            Some("https://cdn.example/logo.png")
        );
    }

    #[test]
    fn settings_serialize_with_tiledesk_names() {
        let settings =
            Settings::resolve(&json!({"projectid": "p", "widgetTitle": "Hi"}), "/").unwrap();
        let value = serde_json::to_value(&settings).unwrap();
        assert_eq!(value["projectid"], "p");
        assert_eq!(value["widgetTitle"], "Hi");
        assert_eq!(value["themeColor"], DEFAULT_THEME_COLOR);
    }
}
