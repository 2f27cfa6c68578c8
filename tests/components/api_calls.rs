//! The page's JavaScript API calls, good and bad.

use super::support::*;

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
        chat.config
            .settings
            .get_untracked()
            .project_id
            .starts_with("test"),
        "a change that would empty the project id is undone"
    );
}
