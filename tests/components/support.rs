//! Mounting the real widget in a fresh container, and driving it as a visitor would; with what
//! every test module uses.

pub use leptos::prelude::*;
pub use serde_json::json;
pub use tiledesk_protocol::bridge::HostStorage;
pub use tiledesk_widget::chat::components::App;
pub use tiledesk_widget::chat::Chat;
pub use tiledesk_widget::core::settings::SettingLayers;
pub use tiledesk_widget::platform::storage::{Keeper, Storage};
pub use wasm_bindgen::JsCast;
pub use wasm_bindgen_test::*;
pub use web_sys::{Element, HtmlElement, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};

/// Nothing listens there: every request the widget makes fails for real.
pub const OFFLINE_API: &str = "http://127.0.0.1:9/";

/// Mounts the widget for `settings` in a fresh container, with a project of its own and the offline
/// API unless `settings` names them, and returns the container. The panel opens on the
/// conversation (`startFromHome: false`) unless `settings` say otherwise: these tests are about the
/// conversation, and the home view Tiledesk opens on by default is tested end to end.
pub fn mount(mut settings: serde_json::Value) -> (Element, Chat) {
    let object = settings.as_object_mut().expect("settings are an object");
    object
        .entry("projectid")
        .or_insert_with(|| unique_project().into());
    object.entry("apiUrl").or_insert_with(|| OFFLINE_API.into());
    object.entry("startFromHome").or_insert(false.into());
    let document = document();
    let container = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    let layers = SettingLayers::new(&settings, "https://shop.example/product");
    let storage = Storage::new(Keeper::Own, &HostStorage::default(), "");
    let chat = Chat::new(
        layers,
        "https://shop.example/product".into(),
        None,
        &storage,
    )
    .unwrap();
    let target: HtmlElement = container.clone().unchecked_into();
    leptos::mount::mount_to(target, move || view! { <App chat=chat /> }).forget();
    chat.start(&tiledesk_widget::core::handover::Handover::default());
    (container, chat)
}

pub fn unique_project() -> String {
    format!("test{}", js_sys::Math::random().to_bits())
}

pub async fn tick() {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL))
        .await
        .unwrap();
}

/// Waits (up to 10 s) until `selector` matches inside `root`.
pub async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..200 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    panic!("{selector} never appeared in {}", root.inner_html());
}

pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

pub fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

pub fn key(target: &Element, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Types `text` into an input or textarea as a person would: the value changes, then `input` fires.
pub fn type_text(field: &Element, text: &str) {
    js_sys::Reflect::set(field, &"value".into(), &text.into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    field
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Every message waiting in `project`'s outboxes in this page's `localStorage` (one per tab).
pub fn stored_outbox(project: &str) -> Vec<serde_json::Value> {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let prefix = format!("widget_sv5_{project}_outbox_");
    (0..storage.length().unwrap())
        .filter_map(|index| storage.key(index).unwrap())
        .filter(|key| key.starts_with(&prefix))
        .flat_map(|key| {
            let text = storage.get_item(&key).unwrap().unwrap_or_default();
            serde_json::from_str::<Vec<serde_json::Value>>(&text).unwrap_or_default()
        })
        .collect()
}
