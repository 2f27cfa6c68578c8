//! The pre-chat form: checks, fallback, prefill and privacy consent.

use super::support::*;

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
    let outbox = stored_outbox(&project);
    let attributes = &outbox[0]["attributes"];
    assert_eq!(attributes["userFullname"], "Ada Lovelace");
    assert_eq!(attributes["userEmail"], "ada@example.com");
    assert_eq!(attributes["preChatForm"]["userEmail"], "ada@example.com");
    assert!(chat.config.settings.get_untracked().pre_chat_form);
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
