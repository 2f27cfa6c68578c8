//! Labels: the widget's translations a project saved, served as the Tiledesk widget fetches them
//! (`GET /<pid>/labels/<LANG>`, reading `data`): that language, else the default, else EN, else 404.

mod common;

use reqwest::StatusCode;
use serde_json::json;
use tiledesk_protocol::{LabelEntry, Labels};

use common::{data_dir, start};

#[tokio::test]
async fn saved_labels_are_served_per_language_with_the_real_servers_fallbacks() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let owner = server.owner();
    let lang = |code: &str| format!("/{p}/labels/{code}");

    // Nothing saved: 404, so the widget keeps its own translations.
    for code in ["EN", "it"] {
        let answer = server.get(&lang(code), None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{code}");
        assert!(answer.body.is_object());
    }
    let none: Labels =
        serde_json::from_value(server.get(&format!("/{p}/labels"), None).await.body).unwrap();
    assert!(none.data.is_empty());

    let saved = server
        .post(
            &format!("/{p}/labels"),
            Some(&owner),
            json!({"lang": "it", "data": {"LABEL_PLACEHOLDER": "scrivi..."}}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    let italian: LabelEntry = serde_json::from_value(saved.body).unwrap();
    assert_eq!(italian.lang, "IT");
    assert!(italian.default, "the first language is the default");
    let english = server
        .post(
            &format!("/{p}/labels"),
            Some(&owner),
            json!({"lang": "EN", "data": {"LABEL_PLACEHOLDER": "type..."}}),
        )
        .await;
    assert_eq!(english.body["default"], false);

    // Public, case-insensitive, with the answer shape the widget reads (`data`).
    let it = server.get(&lang("It"), None).await;
    assert_eq!(it.status, StatusCode::OK);
    assert_eq!(it.body["data"]["LABEL_PLACEHOLDER"], "scrivi...");
    assert_eq!(it.body["lang"], "IT");
    // Another language gets the default one, as on the real server.
    let fr = server.get(&lang("FR"), None).await;
    assert_eq!(fr.body["lang"], "IT");
    // A new default replaces the old one.
    let english = server
        .post(
            &format!("/{p}/labels"),
            Some(&owner),
            json!({"lang": "EN", "data": {"LABEL_PLACEHOLDER": "write..."}, "default": true}),
        )
        .await;
    assert_eq!(english.body["default"], true);
    assert_eq!(server.get(&lang("FR"), None).await.body["lang"], "EN");
    let all: Labels =
        serde_json::from_value(server.get(&format!("/{p}/labels"), None).await.body).unwrap();
    let listed: Vec<(&str, bool)> = all
        .data
        .iter()
        .map(|l| (l.lang.as_str(), l.default))
        .collect();
    assert_eq!(listed, [("IT", false), ("EN", true)]);
    assert_eq!(all.data[1].data["LABEL_PLACEHOLDER"], "write...");

    // Admins only; bad input is 422 JSON.
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let body = json!({"lang": "DE", "data": {"A": "b"}});
    for (auth, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(agent.as_str()), StatusCode::FORBIDDEN),
    ] {
        let answer = server
            .post(&format!("/{p}/labels"), auth, body.clone())
            .await;
        assert_eq!(answer.status, status);
    }
    for bad in [
        json!({"lang": "", "data": {}}),
        json!({"lang": "d e", "data": {}}),
        json!({"lang": "DE", "data": {"A": 1}}),
        json!({"lang": "DE", "data": ["A"]}),
        json!({"lang": "DE"}),
    ] {
        let answer = server
            .post(&format!("/{p}/labels"), Some(&owner), bad.clone())
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let bad_lang = server.get(&lang("x"), None).await;
    assert_eq!(bad_lang.status, StatusCode::BAD_REQUEST);
}
