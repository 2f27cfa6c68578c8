//! Component tests in headless Chromium: the real views mounted on a real DOM.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use serde_json::json;
use tiledesk_widget::chat::Chat;
use tiledesk_widget::components::App;
use tiledesk_widget::settings::SettingLayers;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens there: every request the widget makes fails for real.
const OFFLINE_API: &str = "http://127.0.0.1:9/";

/// Mounts the widget for `settings` in a fresh container, with a project of its own and the offline
/// API unless `settings` names them, and returns the container.
fn mount(mut settings: serde_json::Value) -> (Element, Chat) {
    let object = settings.as_object_mut().expect("settings are an object");
    object
        .entry("projectid")
        .or_insert_with(|| unique_project().into());
    object.entry("apiUrl").or_insert_with(|| OFFLINE_API.into());
    let document = document();
    let container = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    let layers = SettingLayers::new(&settings, "https://shop.example/product");
    let chat = Chat::new(layers, "https://shop.example/product".into(), None).unwrap();
    let target: HtmlElement = container.clone().unchecked_into();
    leptos::mount::mount_to(target, move || view! { <App chat=chat /> }).forget();
    chat.start(&tiledesk_widget::handover::Handover::default());
    (container, chat)
}

fn unique_project() -> String {
    format!("test{}", js_sys::Math::random().to_bits())
}

async fn tick() {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL))
        .await
        .unwrap();
}

/// Waits (up to 10 s) until `selector` matches inside `root`.
async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..200 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    panic!("{selector} never appeared in {}", root.inner_html());
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

fn key(target: &Element, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Types `text` into an input or textarea as a person would: the value changes, then `input` fires.
fn type_text(field: &Element, text: &str) {
    js_sys::Reflect::set(field, &"value".into(), &text.into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    field
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

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
    assert!(chat.open.get_untracked());
    let panel = find(&root, "[data-testid=panel]").expect("panel shown when open");
    assert_eq!(panel.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(
        find(&panel, "h1").unwrap().text_content().as_deref(),
        Some("Shop help")
    );
    assert!(find(&root, "[data-testid=launcher]").is_none());

    key(&panel, "Escape", false);
    tick().await;
    assert!(!chat.open.get_untracked());
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
async fn enter_sends_shift_enter_does_not_and_a_failure_keeps_the_text_for_retry() {
    let (root, _chat) = mount(json!({"open": true}));
    tick().await;
    let composer = find(&root, "[data-testid=composer]").unwrap();
    let send = find(&root, "[data-testid=send]").unwrap();
    assert!(send.has_attribute("disabled"), "nothing to send yet");

    type_text(&composer, "first line");
    key(&composer, "Enter", true);
    tick().await;
    assert!(
        find(&root, "[data-testid=message]").is_none(),
        "Shift+Enter does not send"
    );

    type_text(&composer, "  where is my order?  ");
    tick().await;
    assert!(!send.has_attribute("disabled"));
    key(&composer, "Enter", false);
    tick().await;
    let message = find(&root, "[data-testid=message]").expect("shown at once");
    assert_eq!(
        message.get_attribute("data-direction").as_deref(),
        Some("out")
    );
    assert_eq!(
        find(&message, "[data-testid=message-text]")
            .unwrap()
            .text_content()
            .as_deref(),
        Some("where is my order?")
    );
    assert_eq!(composer.unchecked_ref::<HtmlTextAreaElement>().value(), "");

    let failed = wait_for(&root, "[data-testid=message][data-status=failed]").await;
    assert_eq!(
        find(&failed, "[data-testid=message-text]")
            .unwrap()
            .text_content()
            .as_deref(),
        Some("where is my order?"),
        "the unsent text is kept"
    );
    let error = find(&root, "[data-testid=error]").expect("a readable error");
    assert!(error
        .text_content()
        .unwrap()
        .contains("Can't reach the chat service"));
    let retry = find(&failed, "[data-testid=retry]").expect("a retry button");
    click(&retry);
    tick().await;
    assert!(
        find(&root, "[data-testid=message][data-status=sending]").is_some(),
        "retry sends again"
    );
    wait_for(&root, "[data-testid=message][data-status=failed]").await;
    assert_eq!(
        root.query_selector_all("[data-testid=message]")
            .unwrap()
            .length(),
        1,
        "a retry never duplicates the line"
    );
}

#[wasm_bindgen_test]
async fn text_is_never_inserted_as_html() {
    let (root, chat) = mount(json!({"open": true, "widgetTitle": "<img src=x onerror=alert(1)>"}));
    tick().await;
    assert!(find(&root, "img").is_none());
    assert_eq!(
        find(&root, "h1").unwrap().text_content().as_deref(),
        Some("<img src=x onerror=alert(1)>")
    );
    chat.send("<b>bold</b><script>alert(1)</script>".into());
    tick().await;
    assert!(find(&root, "b").is_none() && find(&root, "script").is_none());
    assert_eq!(
        find(&root, "[data-testid=message-text]")
            .unwrap()
            .text_content()
            .as_deref(),
        Some("<b>bold</b><script>alert(1)</script>")
    );
}

#[wasm_bindgen_test]
async fn api_calls_change_the_widget_live() {
    let (root, chat) = mount(json!({"startHidden": true}));
    tick().await;
    let widget = find(&root, ".tdw").unwrap();
    assert!(
        widget.has_attribute("hidden"),
        "startHidden hides the widget"
    );
    chat.call(None, "show", &json!(null));
    tick().await;
    assert!(!widget.has_attribute("hidden"));

    chat.call(None, "showCallout", &json!(null));
    tick().await;
    let callout = find(&root, "[data-testid=callout]").expect("callout shown");
    assert!(callout.text_content().unwrap().contains("Need help?"));
    click(&find(&root, "[data-testid=callout-close]").unwrap());
    tick().await;
    assert!(find(&root, "[data-testid=callout]").is_none());

    chat.call(
        None,
        "setParameter",
        &json!({"key": "baloonImage", "value": "https://cdn.example/b.png"}),
    );
    tick().await;
    let image = find(&root, "[data-testid=launcher] img").expect("launcher image");
    assert_eq!(
        image.get_attribute("src").as_deref(),
        Some("https://cdn.example/b.png")
    );

    chat.call(
        None,
        "setParameter",
        &json!({"key": "widgetTitle", "value": "Live title"}),
    );
    chat.call(
        None,
        "setParameter",
        &json!({"key": "hideHeaderCloseButton", "value": true}),
    );
    chat.call(None, "open", &json!(null));
    tick().await;
    assert_eq!(
        find(&root, "h1").unwrap().text_content().as_deref(),
        Some("Live title")
    );
    assert!(find(&root, "[data-testid=close]")
        .unwrap()
        .has_attribute("hidden"));

    chat.call(
        None,
        "setParameter",
        &json!({"key": "themeColor", "value": "#abcdef"}),
    );
    tick().await;
    assert!(widget
        .get_attribute("style")
        .unwrap()
        .contains("--tdw-theme:#abcdef"));
}

#[wasm_bindgen_test]
async fn bad_calls_change_nothing() {
    let (root, chat) = mount(json!({"widgetTitle": "Kept"}));
    tick().await;
    chat.call(None, "setParameter", &json!({"value": "no key"}));
    chat.call(
        None,
        "setParameter",
        &json!({"key": "projectid", "value": ""}),
    );
    chat.call(None, "explode", &json!(null));
    chat.call(None, "sendMessage", &json!({"text": "   "}));
    chat.call(None, "open", &json!(null));
    tick().await;
    assert_eq!(
        find(&root, "h1").unwrap().text_content().as_deref(),
        Some("Kept")
    );
    assert!(
        find(&root, "[data-testid=message]").is_none(),
        "an empty message is not sent"
    );
    assert!(
        chat.settings.get_untracked().project_id.starts_with("test"),
        "a change that would empty the project id is undone"
    );
}

#[wasm_bindgen_test]
async fn unsent_messages_survive_a_reload_in_the_outbox() {
    let project = unique_project();
    let settings = json!({"projectid": project, "open": true});
    let (first, chat) = mount(settings.clone());
    tick().await;
    chat.send("kept across reloads".into());
    wait_for(&first, "[data-testid=message][data-status=failed]").await;
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(&format!("widget_sv5_{project}_outbox"))
        .unwrap()
        .expect("the outbox is stored");
    let outbox: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let client_id = outbox[0]["attributes"]["clientMessageId"]
        .as_str()
        .expect("a client id")
        .to_owned();
    assert_eq!(outbox[0]["text"], "kept across reloads");
    assert_eq!(
        outbox[0]["attributes"]["sourcePage"],
        "https://shop.example/product"
    );

    // A new widget on the same storage, as after a reload, shows the message again and keeps its client id.
    let (second, _chat) = mount(settings);
    tick().await;
    let restored = wait_for(&second, "[data-testid=message]").await;
    assert_eq!(
        find(&restored, "[data-testid=message-text]")
            .unwrap()
            .text_content()
            .as_deref(),
        Some("kept across reloads")
    );
    let stored_again = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(&format!("widget_sv5_{project}_outbox"))
        .unwrap()
        .unwrap();
    assert!(
        stored_again.contains(&client_id),
        "the same client id, so the server stores it once"
    );
}

#[wasm_bindgen_test]
async fn the_pre_chat_form_checks_answers_and_sends_them_with_the_first_message() {
    let project = unique_project();
    let (root, chat) =
        mount(json!({"projectid": project, "open": true, "preChatForm": true, "lang": "en"}));
    tick().await;
    let form = find(&root, "[data-testid=prechat]").expect("the form replaces the composer");
    assert!(find(&root, "[data-testid=composer]").is_none());
    click(&find(&form, "[data-testid=prechat-submit]").unwrap());
    tick().await;
    let invalid = root
        .query_selector_all("[aria-invalid=true]")
        .unwrap()
        .length();
    assert_eq!(invalid, 2, "both default fields are mandatory");
    assert!(form
        .text_content()
        .unwrap()
        .contains("This field is required"));

    let inputs = root
        .query_selector_all("[data-testid=prechat] input")
        .unwrap();
    let (name, email): (Element, Element) = (
        inputs.get(0).unwrap().unchecked_into(),
        inputs.get(1).unwrap().unchecked_into(),
    );
    type_text(&name, "Ada Lovelace");
    type_text(&email, "not-an-email");
    click(&find(&form, "[data-testid=prechat-submit]").unwrap());
    tick().await;
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(name.get_attribute("aria-invalid"), None);
    assert!(form
        .text_content()
        .unwrap()
        .contains("Please enter a valid email address"));

    type_text(&email, "ada@example.com");
    click(&find(&form, "[data-testid=prechat-submit]").unwrap());
    tick().await;
    assert!(find(&root, "[data-testid=prechat]").is_none());
    let composer = find(&root, "[data-testid=composer]").expect("the composer after the form");
    type_text(&composer, "hello");
    key(&composer, "Enter", false);
    wait_for(&root, "[data-testid=message][data-status=failed]").await;
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(&format!("widget_sv5_{project}_outbox"))
        .unwrap()
        .unwrap();
    let outbox: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let attributes = &outbox[0]["attributes"];
    assert_eq!(attributes["userFullname"], "Ada Lovelace");
    assert_eq!(attributes["userEmail"], "ada@example.com");
    assert_eq!(attributes["preChatForm"]["userEmail"], "ada@example.com");
    assert!(chat.settings.get_untracked().pre_chat_form);
}

#[wasm_bindgen_test]
async fn an_invalid_pre_chat_pattern_falls_back_to_the_default_form() {
    let form =
        json!([{"name": "code", "regex": "/[unclosed/", "mandatory": true}, {"name": "other"}]);
    let (root, _chat) = mount(json!({"open": true,
                                     "preChatForm": true, "preChatFormJson": form}));
    tick().await;
    let names: Vec<String> = (0..2)
        .filter_map(|i| {
            root.query_selector_all("[data-testid=prechat] input")
                .unwrap()
                .get(i)
        })
        .map(|n| n.unchecked_into::<Element>().get_attribute("name").unwrap())
        .collect();
    assert_eq!(names, vec!["userFullname", "userEmail"]);
}

/// Texts the visitor might paste, each of which must stay text.
const HOSTILE: [&str; 12] = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "<svg onload=window.__xss=1>",
    "<iframe src=javascript:window.__xss=1></iframe>",
    "<a href=\"javascript:window.__xss=1\">x</a>",
    "[click](javascript:window.__xss=1)",
    "[click](data:text/html,<script>window.__xss=1</script>)",
    "[click]( JAVASCRIPT:window.__xss=1)",
    "![img](x onerror=window.__xss=1)",
    "**<img src=x onerror=window.__xss=1>**",
    "`<script>window.__xss=1</script>`",
    "<details open ontoggle=window.__xss=1>",
];

#[wasm_bindgen_test]
async fn message_text_renders_safe_markdown_and_hostile_text_as_text() {
    let (root, chat) = mount(json!({"open": true}));
    tick().await;
    chat.send(
        "**bold**, *italic* and `code`\n\n- one\n- two\n\nsee [docs](https://docs.example/a)"
            .into(),
    );
    tick().await;
    let text = wait_for(&root, "[data-testid=message-text]").await;
    assert_eq!(
        find(&text, "strong").unwrap().text_content().as_deref(),
        Some("bold")
    );
    assert_eq!(
        find(&text, "em").unwrap().text_content().as_deref(),
        Some("italic")
    );
    assert_eq!(
        find(&text, "code").unwrap().text_content().as_deref(),
        Some("code")
    );
    assert_eq!(text.query_selector_all("ul > li").unwrap().length(), 2);
    let link = find(&text, "a").expect("a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://docs.example/a")
    );
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert_eq!(link.text_content().as_deref(), Some("docs"));

    for hostile in HOSTILE {
        chat.send(hostile.into());
    }
    tick().await;
    let texts = root
        .query_selector_all("[data-testid=message-text]")
        .unwrap();
    assert_eq!(texts.length() as usize, HOSTILE.len() + 1);
    let allowed = [
        "P", "STRONG", "EM", "CODE", "PRE", "UL", "OL", "LI", "A", "BR",
    ];
    let elements = root
        .query_selector_all("[data-testid=message-text] *")
        .unwrap();
    for i in 0..elements.length() {
        let element: Element = elements.item(i).unwrap().unchecked_into();
        assert!(
            allowed.contains(&element.tag_name().as_str()),
            "<{}> from text",
            element.tag_name()
        );
        let names = element.get_attribute_names();
        for name in names.iter() {
            let name = name.as_string().unwrap();
            assert!(
                !name.starts_with("on") && name != "src" && name != "style",
                "{name} on <{}>",
                element.tag_name()
            );
        }
        if let Some(href) = element.get_attribute("href") {
            assert!(href.starts_with("https://"), "only the safe link: {href}");
        }
    }
    let shown: String = (0..texts.length())
        .map(|i| texts.item(i).unwrap().text_content().unwrap_or_default())
        .collect();
    let plain = |s: &str| s.replace(['*', '`', ' '], "");
    for hostile in HOSTILE {
        assert!(
            plain(&shown).contains(&plain(hostile)),
            "{hostile} is shown as text"
        );
    }
    gloo_timers::future::TimeoutFuture::new(50).await;
    let ran = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__xss".into()).unwrap();
    assert!(ran.is_undefined(), "no hostile text ran");
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
    assert!(chat.open.get_untracked());
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
    chat.unread.set(2);
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
    assert_eq!(chat.unread.get_untracked(), 0);
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
async fn the_pre_chat_form_is_prefilled_and_asks_for_privacy_consent() {
    let (root, _chat) = mount(json!({
        "open": true, "preChatForm": true, "lang": "en",
        "userFullname": "Ada Lovelace", "userEmail": "ada@example.com", "logoChat": "https://cdn.example/logo.png",
        "privacyField": "I accept the [privacy policy](https://shop.example/privacy)"
    }));
    tick().await;
    assert_eq!(
        find(&root, ".tdw-header img.tdw-logo")
            .and_then(|img| img.get_attribute("src"))
            .as_deref(),
        Some("https://cdn.example/logo.png")
    );
    let inputs = root
        .query_selector_all("[data-testid=prechat] input[type=text]")
        .unwrap();
    let name: web_sys::HtmlInputElement = inputs.get(0).unwrap().unchecked_into();
    assert_eq!(name.name(), "userFullname");
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(name.value(), "Ada Lovelace", "prefilled from userFullname");
    let consent = find(&root, "[data-testid=prechat] input[name=privacyApproved]")
        .expect("a consent checkbox");
    let link = find(&root, "[data-testid=prechat] label a").expect("the policy link stays a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://shop.example/privacy")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );

    click(&find(&root, "[data-testid=prechat-submit]").unwrap());
    tick().await;
    assert_eq!(
        consent.get_attribute("aria-invalid").as_deref(),
        Some("true"),
        "consent is mandatory"
    );
    assert!(find(&root, "[data-testid=prechat]").is_some());
    click(&consent);
    tick().await;
    click(&find(&root, "[data-testid=prechat-submit]").unwrap());
    tick().await;
    assert!(find(&root, "[data-testid=prechat]").is_none());
    assert!(find(&root, "[data-testid=composer]").is_some());
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

/// Agent messages "line 1" … "line {count}": the first `previous_day` of them a day before the rest.
fn history(count: usize, previous_day: usize) -> Vec<tiledesk_protocol::Message> {
    (1..=count)
        .map(|n| {
            let day = if n <= previous_day { 19 } else { 20 };
            serde_json::from_value(json!({
                "_id": format!("m{n}"), "sender": "agent", "senderFullname": "Agent", "recipient": "support-group-p-1",
                "text": format!("line {n}"), "id_project": "p", "createdAt": format!("2026-11-{day}T12:00:00.000Z"),
            }))
            .unwrap()
        })
        .collect()
}

/// The texts of the rendered messages under `root` matching `selector`, in order.
fn texts(root: &Element, selector: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn a_long_conversation_renders_its_newest_page_and_reveals_earlier_ones_unannounced() {
    let (root, chat) = mount(json!({"open": true, "lang": "en", "welcomeTitle": "Hello!"}));
    tick().await;
    chat.conversation.update(|c| {
        c.merge(history(120, 60), "visitor");
    });
    tick().await;
    let shown = texts(&root, "[data-testid=message-text]");
    assert_eq!(shown.len(), 50, "only the newest page is rendered");
    assert_eq!(
        (shown[0].as_str(), shown[49].as_str()),
        ("line 71", "line 120")
    );
    assert_eq!(
        texts(&root, ".tdw-day").len(),
        0,
        "line 71 is on the day of line 70: no separator at the window's edge"
    );
    assert!(
        find(&root, "[data-testid=welcome]").is_none(),
        "the welcome waits above the first message"
    );
    let earlier = find(&root, "[data-testid=earlier]").expect("a button for earlier messages");
    assert_eq!(earlier.tag_name(), "BUTTON");
    assert_eq!(earlier.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(
        earlier.text_content().as_deref(),
        Some("Show earlier messages")
    );
    assert_eq!(texts(&root, "[aria-live] [data-testid=message]").len(), 50);

    click(&earlier);
    tick().await;
    let shown = texts(&root, "[data-testid=message-text]");
    assert_eq!(shown.len(), 100, "one more page");
    assert_eq!(
        (shown[0].as_str(), shown[99].as_str()),
        ("line 21", "line 120")
    );
    assert_eq!(
        texts(&root, ".tdw-day").len(),
        1,
        "only where the day changes, before line 61"
    );
    assert_eq!(
        texts(&root, "[aria-live] [data-testid=message]").len(),
        50,
        "revealed messages are outside the live region, so not announced"
    );

    click(&find(&root, "[data-testid=earlier]").expect("still older lines"));
    tick().await;
    let shown = texts(&root, "[data-testid=message-text]");
    assert_eq!(shown.len(), 120);
    assert_eq!(
        (shown[0].as_str(), shown[119].as_str()),
        ("line 1", "line 120")
    );
    assert!(
        find(&root, "[data-testid=earlier]").is_none(),
        "nothing older"
    );
    assert!(find(&root, "[data-testid=welcome]").is_some());
    assert_eq!(texts(&root, ".tdw-day").len(), 2);

    let message = |index| {
        root.query_selector_all("[data-testid=message]")
            .unwrap()
            .item(index)
    };
    let newest = message(119);
    chat.conversation.update(|c| {
        c.merge(history(121, 0).split_off(120), "visitor");
    });
    tick().await;
    let live = texts(&root, "[aria-live] [data-testid=message-text]");
    assert_eq!(
        live.last().map(String::as_str),
        Some("line 121"),
        "a new message is added to the live region"
    );
    assert_eq!(live.len(), 51);
    assert!(
        newest.is_some() && message(119) == newest,
        "the row that stopped being the newest is kept, not rendered again"
    );
}
