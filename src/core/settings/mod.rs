//! Widget settings: named as the Tiledesk widget names them, gathered from several layers
//! (`layers`), parsed once into typed values (`parse`), with Tiledesk's defaults (`defaults`).

mod defaults;
mod layers;
mod parse;
mod url;

use serde::Serialize;
use serde_json::Value;
use tiledesk_protocol::bridge::Geometry;

use crate::core::typing::TypingLocation;

pub use defaults::{
    default_pre_chat_form, DEFAULT_PRE_CHAT_FORM, DEFAULT_THEME_COLOR, DEFAULT_THEME_FOREGROUND,
    TILEDESK_CLOUD_API,
};
pub use layers::{SettingLayers, SettingsError};
pub use parse::is_safe_colour;
pub use url::url_settings;

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
    /// The `messagelabel.key`s of info messages the visitor sees (`allowReopen` adds `CHAT_CLOSED`).
    #[serde(rename = "showInfoMessage")]
    pub show_info_message: Vec<String>,
    #[serde(rename = "allowReopen")]
    pub allow_reopen: bool,
    #[serde(rename = "nativeRating")]
    pub native_rating: bool,
    /// Agents or bots a new conversation is started with (a list, or a comma-separated string).
    pub participants: Vec<String>,
    #[serde(
        rename = "bubbleSentTextColor",
        skip_serializing_if = "Option::is_none"
    )]
    pub bubble_sent_text_color: Option<String>,
    #[serde(
        rename = "bubbleReceivedTextColor",
        skip_serializing_if = "Option::is_none"
    )]
    pub bubble_received_text_color: Option<String>,
    /// The launcher's corner radius (`50%`, a round launcher, by default).
    #[serde(rename = "baloonShape", skip_serializing_if = "Option::is_none")]
    pub baloon_shape: Option<String>,
    /// Whether a page load opens or closes the panel, or leaves it as the last page did, on
    /// desktops and on phones; unset, the `open` setting decides and the panel stays as it was left.
    #[serde(
        rename = "onPageChangeVisibilityDesktop",
        skip_serializing_if = "Option::is_none"
    )]
    pub on_page_change_desktop: Option<PageChange>,
    #[serde(
        rename = "onPageChangeVisibilityMobile",
        skip_serializing_if = "Option::is_none"
    )]
    pub on_page_change_mobile: Option<PageChange>,
    /// The pages the widget may show on (`allowedOnSpecificUrl` with `allowedOnSpecificUrlList`
    /// patterns, `*` for any run of characters); empty, every page.
    #[serde(rename = "allowedOnSpecificUrlList")]
    pub allowed_on: Vec<String>,
    /// Where the other side's typing shows (`content`, Tiledesk's default, or `header`).
    #[serde(rename = "typingLocation")]
    pub typing_location: TypingLocation,
    /// The open panel's size on desktops, until the visitor changes it.
    pub size: PanelSize,
    /// How opaque the bottom of the header's gradient is, 0 to 100 (100: a plain colour).
    #[serde(rename = "themeColorOpacity")]
    pub theme_color_opacity: u8,
    #[serde(
        rename = "buttonBackgroundColor",
        skip_serializing_if = "Option::is_none"
    )]
    pub button_background_color: Option<String>,
    #[serde(rename = "buttonTextColor", skip_serializing_if = "Option::is_none")]
    pub button_text_color: Option<String>,
    #[serde(
        rename = "buttonHoverBackgroundColor",
        skip_serializing_if = "Option::is_none"
    )]
    pub button_hover_background_color: Option<String>,
    #[serde(
        rename = "buttonHoverTextColor",
        skip_serializing_if = "Option::is_none"
    )]
    pub button_hover_text_color: Option<String>,
    /// The header's options menu offers a transcript of the conversation.
    #[serde(rename = "allowTranscriptDownload")]
    pub allow_transcript_download: bool,
    /// The options menu offers to log out.
    #[serde(rename = "showLogoutOption")]
    pub show_logout_option: bool,
    /// The conversation shows without its header.
    #[serde(rename = "hideHeaderConversation")]
    pub hide_header_conversation: bool,
    #[serde(rename = "hideHeaderConversationOptionsMenu")]
    pub hide_header_conversation_options_menu: bool,
    #[serde(rename = "hideCloseConversationOptionMenu")]
    pub hide_close_conversation_option_menu: bool,
    /// The home view shows no options menu.
    #[serde(rename = "hideSettings")]
    pub hide_settings: bool,
    /// The composer offers the emoji picker.
    #[serde(rename = "showEmojiFooterButton")]
    pub show_emoji_footer_button: bool,
    /// The composer offers to attach a file (and takes pasted and dropped ones).
    #[serde(rename = "showAttachmentFooterButton")]
    pub show_attachment_footer_button: bool,
    /// The composer offers to record a voice message while its box is empty.
    #[serde(rename = "showAudioRecorderFooterButton")]
    pub show_audio_recorder_footer_button: bool,
    /// The files the visitor may send: MIME types, `type/*` wildcards and `.ext` extensions.
    #[serde(rename = "fileUploadAccept")]
    pub file_upload_accept: String,
    /// The home view says how soon the team typically replies.
    #[serde(rename = "showWaitTime")]
    pub show_wait_time: bool,
    /// With `showWaitTime`, the project's measured wait is named (otherwise "as soon as possible").
    #[serde(rename = "dynamicWaitTimeReply")]
    pub dynamic_wait_time_reply: bool,
    /// The home view of a visitor without conversations shows the agents available now.
    #[serde(rename = "showAvailableAgents")]
    pub show_available_agents: bool,
    /// The home view offers the list of all the visitor's conversations, closed ones too.
    #[serde(rename = "showAllConversations")]
    pub show_all_conversations: bool,
    /// The footer's credit: a small HTML subset (links, emphasis, text), empty for none.
    #[serde(rename = "poweredBy")]
    pub powered_by: String,
    /// A web page opened inside the widget offers to open it in a new tab instead.
    #[serde(rename = "openExternalLinkButton")]
    pub open_external_link_button: bool,
    /// The home view offers to continue on WhatsApp (a number), Telegram (a user name) or
    /// Messenger (a page name).
    #[serde(rename = "whatsappNumber", skip_serializing_if = "Option::is_none")]
    pub whatsapp_number: Option<String>,
    #[serde(rename = "telegramUsername", skip_serializing_if = "Option::is_none")]
    pub telegram_username: Option<String>,
    #[serde(rename = "messangerPageTitle", skip_serializing_if = "Option::is_none")]
    pub messanger_page_title: Option<String>,
}

/// The open panel's size on desktops, as the Tiledesk widget's `size` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PanelSize {
    /// 400 × 704 px (at most the viewport's height less the margins).
    #[default]
    Min,
    /// 688 × 786 px.
    Max,
    /// Centred over the dimmed page, its full height and at most 1024 px wide (the frame covers
    /// the page; the panel centres itself in it).
    Top,
}

impl PanelSize {
    /// `min`, `max` or `top`; anything else is `None`.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "min" => Some(PanelSize::Min),
            "max" => Some(PanelSize::Max),
            "top" => Some(PanelSize::Top),
            _ => None,
        }
    }

    /// The open panel's width and height as CSS: Tiledesk's 400 × 704 and 688 × 786 px (at most
    /// the viewport's height less `margin_y` above and below), or the whole page for `top`.
    pub fn box_css(self, margin_y: &str) -> (String, String) {
        let capped = |px: u32| format!("min({px}px,calc(100% - {margin_y} - {margin_y}))");
        match self {
            PanelSize::Min => ("400px".into(), capped(704)),
            PanelSize::Max => ("688px".into(), capped(786)),
            PanelSize::Top => ("100%".into(), "100%".into()),
        }
    }

    /// The setting's name for this size.
    pub fn as_str(self) -> &'static str {
        match self {
            PanelSize::Min => "min",
            PanelSize::Max => "max",
            PanelSize::Top => "top",
        }
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// What a page load does to the panel (`onPageChangeVisibilityDesktop` / `Mobile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageChange {
    Open,
    Close,
    /// As the visitor left it on the last page.
    Last,
}

impl Settings {
    /// Whether the panel opens as the page loads, on a phone (`mobile`) or not, given whether
    /// the visitor left it open on the last page. `onPageChangeVisibility…` `open`/`close` decide
    /// outright; otherwise the `open` setting, or how the visitor left it.
    pub fn opens_on_load(&self, mobile: bool, left_open: bool) -> bool {
        let rule = if mobile {
            self.on_page_change_mobile
        } else {
            self.on_page_change_desktop
        };
        match rule {
            Some(PageChange::Open) => true,
            Some(PageChange::Close) => false,
            Some(PageChange::Last) => left_open,
            None => self.open || left_open,
        }
    }

    /// Whether the widget may show on the page at `href` (`allowedOnSpecificUrl`).
    pub fn allowed_on_page(&self, href: &str) -> bool {
        self.allowed_on.is_empty()
            || self
                .allowed_on
                .iter()
                .any(|pattern| wildcard_match(pattern.trim(), href))
    }

    /// Where the loader places the iframe for these settings.
    pub fn geometry(&self) -> Geometry {
        self.geometry_sized(self.size)
    }

    /// Where the loader places the iframe for these settings with the open panel `size`d.
    pub fn geometry_sized(&self, size: PanelSize) -> Geometry {
        let (panel_width, panel_height) = size.box_css(&self.margin_y);
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
            size: size.as_str().into(),
            panel_width,
            panel_height,
            display_on_desktop: self.display_on_desktop,
            display_on_mobile: self.display_on_mobile,
        }
    }

    /// Whether a first conversation opens on the message box: no conversation is current
    /// (`in_conversation`, whose state the chat has to load), and neither the home view
    /// (`startFromHome`) nor the pre-chat form comes first.
    pub fn opens_on_message_box(&self, in_conversation: bool) -> bool {
        let home_first = self.start_from_home && !self.single_conversation;
        !(in_conversation || home_first || self.pre_chat_form)
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
                    .map(parse::with_trailing_slash)
            })
            .unwrap_or_else(|| TILEDESK_CLOUD_API.to_owned())
    }
}

#[cfg(test)]
mod tests;
