//! Writing and sending: Enter and Shift+Enter, failures kept for retry, the outbox across reloads, safe rendering.

use super::support::*;

#[wasm_bindgen_test]
async fn enter_sends_shift_enter_does_not_and_a_failure_keeps_the_text_for_retry() {
    let (root, _chat) = mount(json!({"open": true}));
    tick().await;
    let composer = find(&root, "[data-testid=composer]").unwrap();
    assert!(
        find(&root, "[data-testid=send]").is_none()
            && find(&root, "[data-testid=record]").is_some(),
        "nothing to send yet: the microphone in the send button's place"
    );

    type_text(&composer, "first line");
    key(&composer, "Enter", true);
    tick().await;
    assert!(
        find(&root, "[data-testid=message]").is_none(),
        "Shift+Enter does not send"
    );

    type_text(&composer, "  where is my order?  ");
    tick().await;
    let send = find(&root, "[data-testid=send]").expect("text to send: the send button");
    assert!(!send.has_attribute("disabled"));
    assert!(find(&root, "[data-testid=record]").is_none());
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
    chat.sending
        .send("<b>bold</b><script>alert(1)</script>".into());
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
async fn unsent_messages_survive_a_reload_in_the_outbox() {
    let project = unique_project();
    let settings = json!({"projectid": project, "open": true});
    let (first, chat) = mount(settings.clone());
    tick().await;
    chat.sending.send("kept across reloads".into());
    wait_for(&first, "[data-testid=message][data-status=failed]").await;
    let outbox = stored_outbox(&project);
    assert_eq!(outbox.len(), 1, "the outbox is stored");
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
    let stored_again = stored_outbox(&project);
    assert_eq!(
        stored_again.len(),
        1,
        "taken over by the new widget, not doubled"
    );
    assert_eq!(
        stored_again[0]["attributes"]["clientMessageId"], client_id,
        "the same client id, so the server stores it once"
    );
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
    chat.sending.send(
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
        chat.sending.send(hostile.into());
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
