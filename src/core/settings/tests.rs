//! Settings: defaults, layers and their precedence, validation of hostile values.

use super::*;
use serde_json::{json, Map};

/// The settings of a page giving project `p` and `extra`.
fn with(extra: serde_json::Value) -> Settings {
    let mut host = json!({"projectid": "p"});
    host.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    Settings::resolve(&host, "/").unwrap()
}

#[test]
fn host_settings_are_read_with_tiledesk_defaults() {
    let settings = Settings::resolve(&json!({"projectid": "p1"}), "https://shop.example/").unwrap();
    assert_eq!(settings.project_id, "p1");
    assert_eq!(settings.align, Align::Right);
    assert_eq!(settings.theme_color, DEFAULT_THEME_COLOR);
    assert_eq!(settings.theme_foreground_color, DEFAULT_THEME_FOREGROUND);
    assert!(!settings.open);
    assert_eq!(settings.api_base(None), TILEDESK_CLOUD_API);
}

#[test]
fn url_parameters_override_host_settings() {
    let host = json!({"projectid": "p1", "align": "right", "open": false, "widgetTitle": "Shop"});
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
    let settings = Settings::resolve(&json!({"projectid": "p", "widgetTitle": "Hi"}), "/").unwrap();
    let value = serde_json::to_value(&settings).unwrap();
    assert_eq!(value["projectid"], "p");
    assert_eq!(value["widgetTitle"], "Hi");
    assert_eq!(value["themeColor"], DEFAULT_THEME_COLOR);
}

#[test]
fn an_embedding_pages_url_cannot_choose_the_api() {
    let url = "https://shop.example/?tiledesk_apiUrl=https%3A%2F%2Fevil.example%2F&tiledesk_themeColor=red";
    let embedded = SettingLayers::new(&json!({"projectid": "p"}), url).embedded();
    assert_eq!(embedded.refused_url_keys, vec!["apiUrl".to_owned()]);
    let settings = embedded.resolve().unwrap();
    assert_eq!(settings.api_url, None, "the URL's apiUrl is dropped");
    assert_eq!(
        settings.theme_color, "red",
        "other URL settings still apply"
    );
    let host = SettingLayers::new(
        &json!({"projectid": "p", "apiUrl": "https://api.shop.example"}),
        url,
    )
    .embedded()
    .resolve()
    .unwrap();
    assert_eq!(
        host.api_url.as_deref(),
        Some("https://api.shop.example/"),
        "the page's own setting stays"
    );
    let top_level = SettingLayers::new(&json!(null), &format!("{url}&tiledesk_projectid=p"))
        .resolve()
        .unwrap();
    assert_eq!(
        top_level.api_url.as_deref(),
        Some("https://evil.example/"),
        "a top-level widget's URL is the app's own"
    );
}

#[test]
fn the_stored_layer_reads_the_tiledesk_pre_chat_flag() {
    let mut layers = SettingLayers::new(&json!({"projectid": "p"}), "/");
    layers.set_stored(Map::new(), Some("true"));
    assert!(
        layers.resolve().unwrap().pre_chat_form,
        "setPreChatForm(true) as Tiledesk keeps it"
    );
    let stored = json!({"preChatForm": false}).as_object().unwrap().clone();
    layers.set_stored(stored, Some("true"));
    assert!(
        !layers.resolve().unwrap().pre_chat_form,
        "our own stored value wins"
    );
    layers.set_stored(Map::new(), None);
    assert!(!layers.resolve().unwrap().pre_chat_form);
}

#[test]
fn page_changes_open_close_or_keep_the_panel() {
    let unset = with(json!({}));
    assert!(!unset.opens_on_load(false, false));
    assert!(unset.opens_on_load(false, true), "as the visitor left it");
    assert!(with(json!({"open": true})).opens_on_load(false, false));
    let desktop = with(json!({"onPageChangeVisibilityDesktop": "close", "open": true}));
    assert!(
        !desktop.opens_on_load(false, true),
        "close decides on desktops"
    );
    assert!(
        desktop.opens_on_load(true, false),
        "phones keep the open setting"
    );
    let mobile = with(json!({"onPageChangeVisibilityMobile": "open"}));
    assert!(mobile.opens_on_load(true, false));
    let last = with(json!({"onPageChangeVisibilityDesktop": "last", "open": true}));
    assert!(!last.opens_on_load(false, false), "last is how it was left");
}

#[test]
fn home_settings_default_as_tiledesk_and_links_come_from_the_settings_not_the_url() {
    let plain = Settings::resolve(&json!({"projectid": "p"}), "/").unwrap();
    assert!(plain.start_from_home && plain.show_wait_time && plain.dynamic_wait_time_reply);
    assert!(plain.show_available_agents && plain.show_all_conversations);
    assert!(plain.open_external_link_button);
    assert!(plain.powered_by.contains("Powered by Tiledesk"));
    assert_eq!(plain.whatsapp_number, None);
    let owner = Settings::resolve(
        &json!({"projectid": "p", "poweredBy": "", "whatsappNumber": " 391234 ",
                "showWaitTime": false, "showAllConversations": "false"}),
        "/",
    )
    .unwrap();
    assert_eq!(owner.powered_by, "", "an empty credit hides it");
    assert_eq!(owner.whatsapp_number.as_deref(), Some("391234"));
    assert!(!owner.show_wait_time && !owner.show_all_conversations);
    let mut layers = SettingLayers::new(
        &json!({"projectid": "p"}),
        "/?tiledesk_poweredBy=%3Ca%20href%3Dx%3Ehi%3C%2Fa%3E&tiledesk_whatsappNumber=1&tiledesk_showWaitTime=false",
    )
    .embedded();
    assert_eq!(layers.refused_url_keys, vec!["poweredBy", "whatsappNumber"]);
    layers.refused_url_keys.clear();
    let linked = layers.resolve().unwrap();
    assert!(linked.powered_by.contains("Powered by Tiledesk"));
    assert_eq!(linked.whatsapp_number, None);
    assert!(
        !linked.show_wait_time,
        "harmless flags still come from the URL"
    );
}

#[test]
fn numeric_lengths_are_pixels_to_two_decimals() {
    let settings = Settings::resolve(
        &json!({"projectid": "p", "marginX": 32, "marginY": 1.5, "launcherWidth": 60.256}),
        "/",
    )
    .unwrap();
    assert_eq!(
        (
            settings.margin_x.as_str(),
            settings.margin_y.as_str(),
            settings.launcher_width.as_str()
        ),
        ("32px", "1.5px", "60.26px")
    );
}

#[test]
fn the_widget_shows_only_on_the_pages_allowed() {
    let settings = Settings::resolve(
        &json!({"projectid": "p", "allowedOnSpecificUrl": true,
                "allowedOnSpecificUrlList": "https://shop.example/help*, *://*.example.org/support"}),
        "/",
    )
    .unwrap();
    assert!(settings.allowed_on_page("https://shop.example/help/orders?x=1"));
    assert!(settings.allowed_on_page("http://www.example.org/support"));
    assert!(!settings.allowed_on_page("https://shop.example/cart"));
    assert!(!settings.allowed_on_page("http://www.example.org/support/more"));
    let off = Settings::resolve(
        &json!({"projectid": "p", "allowedOnSpecificUrlList": ["https://x/"]}),
        "/",
    )
    .unwrap();
    assert!(
        off.allowed_on_page("https://anywhere/"),
        "only with allowedOnSpecificUrl"
    );
}

#[test]
fn show_info_message_reads_a_list_or_a_comma_separated_string() {
    let keys = |value: serde_json::Value| {
        Settings::resolve(&json!({"projectid": "p", "showInfoMessage": value}), "/")
            .unwrap()
            .show_info_message
    };
    assert_eq!(
        keys(json!("CHAT_REOPENED, LEAD_UPDATED")),
        vec!["CHAT_REOPENED", "LEAD_UPDATED"]
    );
    assert_eq!(
        keys(json!(["MEMBER_LEFT_GROUP"])),
        vec!["MEMBER_LEFT_GROUP"]
    );
    let default = Settings::resolve(&json!({"projectid": "p"}), "/").unwrap();
    assert_eq!(default.show_info_message, vec!["MEMBER_JOINED_GROUP"]);
}

#[test]
fn header_and_size_settings_are_read_as_tiledesk_names_them() {
    let with = |mut host: serde_json::Value| {
        host["projectid"] = "p".into();
        Settings::resolve(&host, "/").unwrap()
    };
    let s = with(json!({
        "size": "MAX", "themeColorOpacity": "40", "buttonBackgroundColor": "#ffeeaa",
        "buttonTextColor": "javascript:alert(1)", "allowTranscriptDownload": true, "showLogoutOption": "true",
        "hideHeaderConversation": true, "hideSettings": "1", "typingLocation": "header"
    }));
    assert_eq!(s.size, PanelSize::Max);
    assert_eq!(s.theme_color_opacity, 40);
    assert_eq!(s.button_background_color.as_deref(), Some("#ffeeaa"));
    assert_eq!(s.button_text_color, None, "an unsafe colour is dropped");
    assert!(
        s.allow_transcript_download
            && s.show_logout_option
            && s.hide_header_conversation
            && s.hide_settings
    );
    assert_eq!(
        s.typing_location,
        crate::core::typing::TypingLocation::Header
    );
    let defaults = with(json!({ "size": "huge", "themeColorOpacity": 250 }));
    assert_eq!(defaults.size, PanelSize::Min);
    assert_eq!(defaults.theme_color_opacity, 100);
    assert!(!defaults.allow_transcript_download && !defaults.show_logout_option);
}

#[test]
fn a_first_conversation_opens_on_the_message_box_unless_something_comes_first() {
    assert!(
        !with(json!({})).opens_on_message_box(false),
        "home view first"
    );
    let direct = with(json!({"startFromHome": false}));
    assert!(direct.opens_on_message_box(false));
    assert!(
        !direct.opens_on_message_box(true),
        "a current conversation loads first"
    );
    assert!(with(json!({"singleConversation": true})).opens_on_message_box(false));
    assert!(
        !with(json!({"startFromHome": false, "preChatForm": true})).opens_on_message_box(false),
        "the pre-chat form first"
    );
}

#[test]
fn numbers_in_text_are_plain_decimals() {
    for (opacity, expected) in [
        ("40.7", 40),
        (" 5 ", 5),
        ("-3", 0),
        ("1e2", 100),
        ("x", 100),
    ] {
        let s = with(json!({ "themeColorOpacity": opacity }));
        assert_eq!(s.theme_color_opacity, expected, "{opacity}");
    }
    for (margin, kept) in [
        ("1.5rem", true),
        (".5em", true),
        ("3.px", true),
        ("1.2.3px", false),
        ("-2px", false),
        ("px", false),
        (".px", false),
    ] {
        let s = with(json!({ "marginX": margin }));
        assert_eq!(s.margin_x == margin, kept, "{margin}");
    }
}
