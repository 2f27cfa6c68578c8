//! A long conversation: its newest page, earlier ones on request.

use super::support::*;

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
    chat.conversations.open.lines.update(|c| {
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
    chat.conversations.open.lines.update(|c| {
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
