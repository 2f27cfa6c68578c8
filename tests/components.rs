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

/// Mounts the widget for `settings` in a fresh container and returns the container.
fn mount(settings: serde_json::Value) -> (Element, Chat) {
    let document = document();
    let container = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    let layers = SettingLayers::new(&settings, "https://shop.example/product");
    let chat = Chat::new(layers, "https://shop.example/product".into(), None).unwrap();
    let target: HtmlElement = container.clone().unchecked_into();
    leptos::mount::mount_to(target, move || view! { <App chat=chat /> }).forget();
    chat.start();
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

fn type_text(composer: &Element, text: &str) {
    let area: &HtmlTextAreaElement = composer.unchecked_ref();
    area.set_value(text);
    let event = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    area.dispatch_event(&event).unwrap();
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
async fn launcher_opens_the_panel_and_escape_closes_it() {
    let (root, chat) = mount(
        json!({"projectid": unique_project(), "apiUrl": "http://127.0.0.1:9/", "widgetTitle": "Shop help"}),
    );
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
    let (root, _chat) = mount(
        json!({"projectid": unique_project(), "apiUrl": "http://127.0.0.1:9/", "themeColor": "#123456", "align": "left", "open": true}),
    );
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
    // Nothing listens on port 9: the send fails for real.
    let (root, _chat) = mount(
        json!({"projectid": unique_project(), "apiUrl": "http://127.0.0.1:9/", "open": true}),
    );
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
    let (root, chat) = mount(
        json!({"projectid": unique_project(), "apiUrl": "http://127.0.0.1:9/", "open": true, "widgetTitle": "<img src=x onerror=alert(1)>"}),
    );
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
    let (root, chat) = mount(
        json!({"projectid": unique_project(), "apiUrl": "http://127.0.0.1:9/", "startHidden": true}),
    );
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
    let (root, chat) = mount(
        json!({"projectid": unique_project(), "apiUrl": "http://127.0.0.1:9/", "widgetTitle": "Kept"}),
    );
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
    let settings = json!({"projectid": project, "apiUrl": "http://127.0.0.1:9/", "open": true});
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
