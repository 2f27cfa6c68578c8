//! Proactive bot rules (Tiledesk's `botsRules`): saved and replaced by admins with
//! `PUT /projects/:id`, shown to the team by `GET /projects/:id` and to visitors by `/widgets`.

mod common;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tiledesk_protocol::{BotRule, WidgetConfig};

use common::{data_dir, start, TestServer};

/// A rule that greets visitors on `pattern` pages once a day.
fn rule(uid: &str, pattern: &str) -> Value {
    json!({
        "uid": uid,
        "name": "Welcome",
        "description": "Greets visitors",
        "when": {"urlMatches": pattern, "triggerEvery": 24.0, "text": "", "regexOption": "i"},
        "do": [{"message": {"text": "Hi! Can I help?", "type": "text",
                            "attributes": {"attachment": {"buttons": []}}}}]
    })
}

/// `GET /:project_id/widgets` without credentials, as JSON.
async fn widgets(server: &TestServer, project: &str) -> Value {
    let answer = server.get(&format!("/{project}/widgets"), None).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    answer.body
}

#[tokio::test]
async fn admins_save_and_replace_rules_that_the_widget_config_gives_visitors() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let path = format!("/projects/{p}");
    let (admin, _) = server.teammate(&p, "admin@example.com", "admin").await;
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;

    // None yet: no `botsRules` anywhere.
    let config = widgets(&server, &p).await;
    assert!(config.get("botsRules").is_none(), "{config}");
    let shown = server.get(&path, Some(&agent)).await;
    assert!(shown.body.get("botsRules").is_none(), "{:?}", shown.body);

    let rules = json!([rule("welcome", "/pricing"), rule("help", ".*\\/help$")]);
    let saved = server
        .put(
            &path,
            Some(&server.owner()),
            Some(json!({"botsRules": rules})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["botsRules"], rules);
    let shown = server.get(&path, Some(&agent)).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body["botsRules"], rules, "the team sees them");

    // Visitors get them beside the project, as Tiledesk gives them, in the protocol's types.
    let config = widgets(&server, &p).await;
    assert_eq!(config["botsRules"], rules);
    assert!(config["project"].get("botsRules").is_none(), "{config}");
    let typed: WidgetConfig = serde_json::from_value(config).unwrap();
    let expected: Vec<BotRule> = serde_json::from_value(rules.clone()).unwrap();
    assert_eq!(typed.bots_rules, expected);
    assert_eq!(typed.bots_rules[0].when.trigger_every, 24.0);
    assert_eq!(
        typed.bots_rules[1].actions[0]
            .message
            .as_ref()
            .unwrap()
            .text,
        "Hi! Can I help?"
    );

    // Other changes keep them; new rules replace them; an empty list removes them.
    let renamed = server
        .put(&path, Some(&admin), Some(json!({"name": "Shop"})))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["botsRules"], rules);
    let replaced = json!([{"uid": "only", "when": {"urlMatches": "checkout"},
                           "do": [{}, {"message": {"text": "Need a hand?"}}]}]);
    let again = server
        .put(&path, Some(&admin), Some(json!({"botsRules": replaced})))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    let config = widgets(&server, &p).await;
    assert_eq!(config["botsRules"][0]["uid"], "only");
    assert_eq!(config["botsRules"][0]["when"]["triggerEvery"], 0.0);
    assert_eq!(config["botsRules"].as_array().unwrap().len(), 1);
    assert_eq!(config["project"]["name"], "Shop");
    let cleared = server
        .put(&path, Some(&admin), Some(json!({"botsRules": []})))
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{:?}", cleared.body);
    assert!(cleared.body.get("botsRules").is_none());
    assert!(widgets(&server, &p).await.get("botsRules").is_none());
}

#[tokio::test]
async fn only_admins_change_rules_and_invalid_ones_name_their_field() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let path = format!("/projects/{p}");
    let owner = server.owner();
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let (guest, _) = server.guest(&p).await;
    let kept = json!([rule("kept", ".*")]);
    let saved = server
        .put(&path, Some(&owner), Some(json!({"botsRules": kept})))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);

    // Below admin: refused, nothing changes.
    let body = json!({"botsRules": [rule("mine", ".*")]});
    for (auth, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(guest.as_str()), StatusCode::FORBIDDEN),
        (Some(agent.as_str()), StatusCode::FORBIDDEN),
    ] {
        let answer = server.put(&path, auth, Some(body.clone())).await;
        assert_eq!(answer.status, status, "{:?}", answer.body);
        assert!(answer.body.is_object());
    }
    assert_eq!(widgets(&server, &p).await["botsRules"], kept);

    // Each problem: 422 about `botsRules`, the message naming the rule's field.
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut one = rule("r", ".*");
        edit(&mut one);
        json!([one])
    };
    let too_many: Vec<Value> = (0..51).map(|i| rule(&format!("r{i}"), ".*")).collect();
    let cases = [
        (json!(too_many), "botsRules may hold at most 50"),
        (with(&|r| r["uid"] = json!("")), "botsRules[0].uid"),
        (with(&|r| r["uid"] = json!("  ")), "botsRules[0].uid"),
        (
            with(&|r| r["uid"] = json!("u".repeat(101))),
            "botsRules[0].uid",
        ),
        (
            json!([rule("same", "a"), rule("same", "b")]),
            "botsRules[1].uid",
        ),
        (
            with(&|r| r["when"]["urlMatches"] = json!("")),
            "botsRules[0].when.urlMatches",
        ),
        (
            with(&|r| r["when"]["urlMatches"] = json!("x".repeat(1001))),
            "botsRules[0].when.urlMatches",
        ),
        (
            with(&|r| r["when"]["triggerEvery"] = json!(-1)),
            "botsRules[0].when.triggerEvery",
        ),
        (with(&|r| r["do"] = json!([])), "botsRules[0].do"),
        (with(&|r| r["do"] = json!([{}])), "botsRules[0].do"),
        (
            with(&|r| r["do"][0]["message"]["text"] = json!("")),
            "botsRules[0].do[0].message.text",
        ),
        (
            with(&|r| r["do"][0]["message"]["text"] = json!("x".repeat(400 * 1024 + 1))),
            "botsRules[0].do[0].message.text",
        ),
    ];
    for (rules, field) in cases {
        let answer = server
            .put(&path, Some(&owner), Some(json!({"botsRules": rules})))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {:?}",
            answer.body
        );
        let error = &answer.body["errors"][0];
        assert_eq!(error["param"], "botsRules", "{field}: {:?}", answer.body);
        let msg = error["msg"].as_str().unwrap();
        assert!(msg.starts_with(field), "{field}: {msg}");
    }
    // The longest text fits.
    let longest = with(&|r| r["do"][0]["message"]["text"] = json!("x".repeat(400 * 1024)));
    let fits = server
        .put(&path, Some(&owner), Some(json!({"botsRules": longest})))
        .await;
    assert_eq!(fits.status, StatusCode::OK, "{:?}", fits.body);

    // Rules of the wrong shape are refused by the body's reader, also with 422.
    for shape in [
        json!({"botsRules": {"uid": "x"}}),
        json!({"botsRules": [{"uid": "x", "do": []}]}),
        json!({"botsRules": [{"when": {"urlMatches": ".*"}}]}),
        json!({"botsRules": [with(&|r| r["when"]["triggerEvery"] = json!("daily"))[0].clone()]}),
    ] {
        let answer = server.put(&path, Some(&owner), Some(shape.clone())).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{shape}: {:?}",
            answer.body
        );
        assert!(answer.body["errors"].is_array());
    }
    // A problem elsewhere in the body saves nothing either.
    let answer = server
        .put(
            &path,
            Some(&owner),
            Some(json!({"name": "", "botsRules": [rule("new", ".*")]})),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(widgets(&server, &p).await["botsRules"], longest);
}
