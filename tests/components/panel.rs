//! Opening and closing, the callout, the launcher's unread count, language and theme.

use super::support::*;

#[wasm_bindgen_test]
async fn launcher_opens_the_panel_and_escape_closes_it() {
    let (root, chat) = mount(json!({"widgetTitle": "Shop help"}));
    tick().await;
    let launcher = find(&root, "[data-testid=launcher]").expect("launcher shown while closed");
    assert_eq!(
        launcher.get_attribute("aria-label").as_deref(),
        Some("Open chat")
    );
    assert!(find(&root, "[data-testid=panel]").is_none());

    click(&launcher);
    tick().await;
    assert!(chat.panel.open.get_untracked());
    let panel = find(&root, "[data-testid=panel]").expect("panel shown when open");
    assert_eq!(panel.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(
        find(&panel, "h1").unwrap().text_content().as_deref(),
        Some("Shop help")
    );
    assert!(find(&root, "[data-testid=launcher]").is_none());

    key(&panel, "Escape", false);
    tick().await;
    assert!(!chat.panel.open.get_untracked());
    assert!(find(&root, "[data-testid=launcher]").is_some());
}

#[wasm_bindgen_test]
async fn close_button_closes_and_theme_is_applied() {
    let (root, _chat) = mount(json!({"themeColor": "#123456", "align": "left", "open": true}));
    tick().await;
    let widget = find(&root, ".tdw").unwrap();
    let style = widget.get_attribute("style").unwrap();
    assert!(style.contains("--tdw-theme:#123456"), "{style}");
    assert!(widget.class_list().contains("tdw-left"));
    let close = find(&root, "[data-testid=close]").expect("open: true starts open");
    assert_eq!(
        find(&root, "h1").unwrap().text_content().as_deref(),
        Some("Chat with us")
    );
    click(&close);
    tick().await;
    assert!(find(&root, "[data-testid=panel]").is_none());
}

#[wasm_bindgen_test]
async fn callout_timer_shows_the_callout_and_its_body_opens_the_chat() {
    let (root, chat) =
        mount(json!({"calloutTimer": 1, "calloutTitle": "Questions?", "calloutMsg": "Ask us"}));
    tick().await;
    let started = js_sys::Date::now();
    assert!(
        find(&root, "[data-testid=callout]").is_none(),
        "not before the timer"
    );
    let callout = wait_for(&root, "[data-testid=callout]").await;
    assert!(
        js_sys::Date::now() - started >= 800.0,
        "about a second later"
    );
    let text = callout.text_content().unwrap();
    assert!(
        text.contains("Questions?") && text.contains("Ask us"),
        "{text}"
    );
    click(&find(&callout, ".tdw-callout-body").unwrap());
    tick().await;
    assert!(chat.panel.open.get_untracked());
    assert!(find(&root, "[data-testid=panel]").is_some());
    assert!(
        find(&root, "[data-testid=callout]").is_none(),
        "opening hides the callout"
    );
}

#[wasm_bindgen_test]
async fn the_interface_speaks_the_lang_setting_and_changes_live() {
    let (root, chat) = mount(json!({"lang": "it"}));
    tick().await;
    let widget = find(&root, ".tdw").unwrap();
    assert_eq!(widget.get_attribute("lang").as_deref(), Some("it"));
    assert_eq!(
        find(&root, "[data-testid=launcher]")
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("Apri la chat")
    );
    chat.call(None, "open", &json!(null));
    tick().await;
    let cases = [
        ("it", "Scrivi il tuo messaggio…", "Chatta con noi"),
        ("en", "Type your message…", "Chat with us"),
        ("es", "Escribe tu mensaje…", "Chatea con nosotros"),
        ("fr", "Écrivez votre message…", "Discutez avec nous"),
        ("de", "Schreiben Sie Ihre Nachricht…", "Chatten Sie mit uns"),
        ("pt", "Digite sua mensagem…", "Converse com a gente"),
    ];
    for (lang, placeholder, title) in cases {
        chat.call(None, "setParameter", &json!({"key": "lang", "value": lang}));
        tick().await;
        assert_eq!(widget.get_attribute("lang").as_deref(), Some(lang));
        assert_eq!(
            find(&root, "[data-testid=composer]")
                .unwrap()
                .get_attribute("placeholder")
                .as_deref(),
            Some(placeholder)
        );
        assert_eq!(
            find(&root, "h1").unwrap().text_content().as_deref(),
            Some(title)
        );
    }
}

#[wasm_bindgen_test]
async fn welcome_and_a_readable_header_on_a_light_theme() {
    let (root, chat) = mount(json!({"open": true,
               "welcomeTitle": "Hello!", "welcomeMsg": "We reply in minutes.", "themeColor": "#ffff00"}));
    tick().await;
    let welcome = find(&root, "[data-testid=welcome]").expect("the welcome");
    assert_eq!(
        find(&welcome, "strong").unwrap().text_content().as_deref(),
        Some("Hello!")
    );
    assert!(welcome
        .text_content()
        .unwrap()
        .contains("We reply in minutes."));
    let widget = find(&root, ".tdw").unwrap();
    let style = widget.get_attribute("style").unwrap();
    assert!(
        style.contains("--tdw-on-theme:#1a1a1a"),
        "dark text on yellow: {style}"
    );
    chat.call(
        None,
        "setParameter",
        &json!({"key": "themeColor", "value": "#123456"}),
    );
    tick().await;
    let style = widget.get_attribute("style").unwrap();
    assert!(
        style.contains("--tdw-on-theme:#ffffff"),
        "white text on dark blue: {style}"
    );
}

#[wasm_bindgen_test]
async fn the_unread_count_shows_on_the_launcher_and_opening_clears_it() {
    let (root, chat) = mount(json!({}));
    tick().await;
    assert!(find(&root, "[data-testid=unread]").is_none());
    chat.panel.unread.set(2);
    tick().await;
    assert_eq!(
        find(&root, "[data-testid=unread]")
            .unwrap()
            .text_content()
            .as_deref(),
        Some("2")
    );
    let label = find(&root, "[data-testid=launcher]")
        .unwrap()
        .get_attribute("aria-label")
        .unwrap();
    assert!(
        label.contains('2') && label.starts_with("Open chat"),
        "{label}"
    );
    chat.call(None, "open", &json!(null));
    tick().await;
    assert_eq!(chat.panel.unread.get_untracked(), 0);
    chat.call(None, "close", &json!(null));
    tick().await;
    assert!(find(&root, "[data-testid=unread]").is_none());
    assert_eq!(
        find(&root, "[data-testid=launcher]")
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("Open chat")
    );
}

#[wasm_bindgen_test]
async fn text_being_typed_survives_settings_that_arrive_meanwhile() {
    let (root, chat) = mount(json!({"open": true}));
    tick().await;
    let field = find(&root, "textarea[data-testid=composer]").expect("the composer");
    type_text(&field, "half a thought");
    chat.call(
        None,
        "setParameter",
        &json!({"key": "widgetTitle", "value": "Arrived later"}),
    );
    tick().await;
    assert_eq!(
        find(&root, "h1").unwrap().text_content().as_deref(),
        Some("Arrived later")
    );
    let now = find(&root, "textarea[data-testid=composer]").unwrap();
    assert!(now == field, "the same field, not a new one");
    assert_eq!(
        now.unchecked_ref::<HtmlTextAreaElement>().value(),
        "half a thought"
    );
}
