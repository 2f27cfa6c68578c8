//! One merged set of raw values parsed once into typed `Settings`; a value of the wrong type or an
//! unsafe one falls back to its default.

use serde_json::{Map, Value};

use super::defaults::{DEFAULT_THEME_COLOR, DEFAULT_THEME_FOREGROUND, POWERED_BY};
use super::{Align, PageChange, PanelSize, Persistence, Settings, SettingsError};
use crate::core::info::shown_keys;
use crate::core::typing::TypingLocation;

impl Settings {
    pub(super) fn from_map(map: &Map<String, Value>) -> Result<Self, SettingsError> {
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
            mobile_margin_x: length("mobileMarginX", "20px"),
            mobile_margin_y: length("mobileMarginY", "20px"),
            launcher_width: length("launcherWidth", "60px"),
            launcher_height: length("launcherHeight", "60px"),
            baloon_image: text("baloonImage")
                .filter(|url| tiledesk_protocol::urls::is_image_url(url)),
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
            logo_chat: text("logoChat").filter(|url| tiledesk_protocol::urls::is_image_url(url)),
            user_fullname: text("userFullname"),
            user_email: text("userEmail"),
            privacy_field: text("privacyField"),
            start_from_home: flag("startFromHome").unwrap_or(true),
            single_conversation: flag("singleConversation").unwrap_or(false),
            restart_conversation: flag("restartConversation").unwrap_or(false),
            department_id: text("departmentID"),
            pre_chat_form: flag("preChatForm").unwrap_or(false),
            pre_chat_form_json: map.get("preChatFormJson").filter(|v| v.is_array()).cloned(),
            custom_attributes: map
                .get("customAttributes")
                .filter(|v| v.is_object())
                .cloned(),
            show_info_message: shown_keys(
                map.get("showInfoMessage").map(|v| list(Some(v))),
                flag("allowReopen").unwrap_or(false),
            ),
            allow_reopen: flag("allowReopen").unwrap_or(false),
            native_rating: flag("nativeRating").unwrap_or(true),
            participants: list(map.get("participants")),
            bubble_sent_text_color: text("bubbleSentTextColor").filter(|c| is_safe_colour(c)),
            bubble_received_text_color: text("bubbleReceivedTextColor")
                .filter(|c| is_safe_colour(c)),
            baloon_shape: map.get("baloonShape").and_then(as_length),
            on_page_change_desktop: page_change(text("onPageChangeVisibilityDesktop")),
            on_page_change_mobile: page_change(text("onPageChangeVisibilityMobile")),
            allowed_on: match flag("allowedOnSpecificUrl") {
                Some(true) => list(map.get("allowedOnSpecificUrlList")),
                _ => Vec::new(),
            },
            typing_location: TypingLocation::parse(text("typingLocation").as_deref()),
            size: text("size")
                .and_then(|size| PanelSize::parse(&size))
                .unwrap_or_default(),
            theme_color_opacity: map
                .get("themeColorOpacity")
                .and_then(|v| v.as_f64().or_else(|| decimal(v.as_str()?.trim())))
                .filter(|n| n.is_finite())
                .map_or(100, |n| n.clamp(0.0, 100.0) as u8),
            button_background_color: text("buttonBackgroundColor").filter(|c| is_safe_colour(c)),
            button_text_color: text("buttonTextColor").filter(|c| is_safe_colour(c)),
            button_hover_background_color: text("buttonHoverBackgroundColor")
                .filter(|c| is_safe_colour(c)),
            button_hover_text_color: text("buttonHoverTextColor").filter(|c| is_safe_colour(c)),
            allow_transcript_download: flag("allowTranscriptDownload").unwrap_or(false),
            show_logout_option: flag("showLogoutOption").unwrap_or(false),
            hide_header_conversation: flag("hideHeaderConversation").unwrap_or(false),
            hide_header_conversation_options_menu: flag("hideHeaderConversationOptionsMenu")
                .unwrap_or(false),
            hide_close_conversation_option_menu: flag("hideCloseConversationOptionMenu")
                .unwrap_or(false),
            hide_settings: flag("hideSettings").unwrap_or(false),
            show_emoji_footer_button: flag("showEmojiFooterButton").unwrap_or(true),
            show_attachment_footer_button: flag("showAttachmentFooterButton").unwrap_or(true),
            show_audio_recorder_footer_button: flag("showAudioRecorderFooterButton")
                .unwrap_or(true),
            file_upload_accept: text("fileUploadAccept")
                .unwrap_or_else(|| tiledesk_protocol::attachment::DEFAULT_ACCEPT.to_owned()),
            show_wait_time: flag("showWaitTime").unwrap_or(true),
            dynamic_wait_time_reply: flag("dynamicWaitTimeReply").unwrap_or(true),
            show_available_agents: flag("showAvailableAgents").unwrap_or(true),
            show_all_conversations: flag("showAllConversations").unwrap_or(true),
            powered_by: map
                .get("poweredBy")
                .and_then(Value::as_str)
                .map_or_else(|| POWERED_BY.to_owned(), |html| html.trim().to_owned()),
            open_external_link_button: flag("openExternalLinkButton").unwrap_or(true),
            whatsapp_number: text("whatsappNumber"),
            telegram_username: text("telegramUsername"),
            messanger_page_title: text("messangerPageTitle"),
        })
    }
}

/// `open`, `close` or `last`.
fn page_change(value: Option<String>) -> Option<PageChange> {
    match value?.as_str() {
        "open" => Some(PageChange::Open),
        "close" => Some(PageChange::Close),
        "last" => Some(PageChange::Last),
        _ => None,
    }
}

/// A list setting given as a list of strings or as a comma-separated string.
fn list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(text)) => text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
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

/// A non-negative number to two decimals, written without float formatting (which would cost
/// the first-load shell kilobytes): `32`, `1.5`, `0.25`.
fn hundredths(number: f64) -> String {
    let scaled = (number * 100.0).round() as u64;
    let (whole, cents) = (scaled / 100, scaled % 100);
    match cents {
        0 => whole.to_string(),
        c if c % 10 == 0 => format!("{whole}.{}", c / 10),
        c => format!("{whole}.{c:02}"),
    }
}

/// A plain decimal number (`80`, `-2.5`, `.5`, `1.`), read without the float parser, which would
/// otherwise weigh on the first-load shell (about 13 KB with its tables).
fn decimal(text: &str) -> Option<f64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit());
    if !all_digits || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let mut value = whole
        .bytes()
        .fold(0.0, |value, b| value * 10.0 + f64::from(b - b'0'));
    let mut scale = 1.0;
    for b in fraction.bytes() {
        scale /= 10.0;
        value += f64::from(b - b'0') * scale;
    }
    Some(if negative { -value } else { value })
}

/// A CSS length (`20px`, `1.5rem`, `10%`, …), or a bare number taken as pixels.
fn as_length(value: &Value) -> Option<String> {
    if let Some(number) = value.as_f64() {
        return (number.is_finite() && number >= 0.0).then(|| format!("{}px", hundredths(number)));
    }
    let text = value.as_str()?.trim();
    let unit_at = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(unit_at);
    let valid_number = !number.starts_with(['-', '+']) && decimal(number).is_some();
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

pub(super) fn with_trailing_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}
