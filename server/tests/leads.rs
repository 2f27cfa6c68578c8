//! Leads: made with a visitor's first conversation from what it told (pre-chat form), one per
//! visitor, listed and changed by agents; a changed lead shows on its requests, live too.

mod common;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tiledesk_protocol::realtime::request_topic;
use tiledesk_protocol::{Frame, Lead, LeadPage, Request};

use common::{data_dir, new_request_id, next_frame, send_frame, start};

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_visitors_lead_is_made_once_listed_and_changed_on_its_requests() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let (guest, guest_id) = server.guest(&p).await;
    let first = new_request_id(&p);
    let form = json!({"userFullname": "Ada Lovelace", "userEmail": "ADA@example.com",
                      "preChatForm": {"company": "Engines"}});
    let started = server
        .post(
            &format!("/{p}/requests/{first}/messages"),
            Some(&guest),
            json!({"text": "hi", "attributes": form}),
        )
        .await;
    assert_eq!(started.status, StatusCode::OK, "{:?}", started.body);
    let lead: Lead = serde_json::from_value(started.body["request"]["lead"].clone()).unwrap();
    assert_eq!(lead.lead_id, guest_id);
    assert_eq!(lead.fullname.as_deref(), Some("Ada Lovelace"));
    assert_eq!(lead.email.as_deref(), Some("ada@example.com"));
    assert_eq!(lead.attributes["preChatForm"]["company"], "Engines");
    assert_eq!(lead.status, 100);

    // A second conversation of the same visitor has the same lead.
    let second = new_request_id(&p);
    let again = server
        .post(
            &format!("/{p}/requests/{second}/messages"),
            Some(&guest),
            json!({"text": "me again"}),
        )
        .await;
    assert_eq!(again.body["request"]["lead"]["_id"], lead.id.as_str());
    let (other, _) = server.guest(&p).await;
    let third = new_request_id(&p);
    server
        .post(
            &format!("/{p}/requests/{third}/messages"),
            Some(&other),
            json!({"text": "someone else"}),
        )
        .await;

    let page = server
        .get(&format!("/{p}/leads?limit=1"), Some(&agent))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    let page: LeadPage = serde_json::from_value(page.body).unwrap();
    assert_eq!((page.per_page, page.count), (1, 2));
    assert_ne!(page.leads[0].id, lead.id, "newest first");
    let second_page: LeadPage = serde_json::from_value(
        server
            .get(&format!("/{p}/leads?limit=1&page=1"), Some(&agent))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(second_page.leads[0].id, lead.id);
    let one = format!("/{p}/leads/{}", lead.id);
    let read = server.get(&one, Some(&agent)).await;
    assert_eq!(serde_json::from_value::<Lead>(read.body).unwrap(), lead);

    // The agent follows the first request, then corrects the lead: both requests show it.
    let mut desk = server.socket(&agent).await;
    send_frame(&mut desk, &Frame::subscribe(request_topic(&p, &first))).await;
    next_frame(&mut desk, WAIT).await;
    let changed = server
        .put(
            &one,
            Some(&agent),
            Some(json!({"fullname": "Ada King", "email": "", "attributes": {"vip": true}})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    let changed: Lead = serde_json::from_value(changed.body).unwrap();
    assert_eq!(changed.fullname.as_deref(), Some("Ada King"));
    assert_eq!(changed.email, None);
    assert_eq!(changed.attributes, json!({"vip": true}));
    for rid in [&first, &second] {
        let request = server
            .get(&format!("/{p}/requests/{rid}"), Some(&agent))
            .await;
        assert_eq!(request.body["lead"]["fullname"], "Ada King", "{rid}");
    }
    let mine = server.get(&format!("/{p}/requests/me"), Some(&guest)).await;
    assert!(mine.body["requests"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["lead"]["fullname"] == "Ada King"));
    let live = match next_frame(&mut desk, WAIT).await {
        Some(Frame::Publish(publication)) => publication,
        other => panic!("{other:?}"),
    };
    let live: Request = serde_json::from_value(live.message).unwrap();
    assert_eq!(live.lead.unwrap()["fullname"], "Ada King");

    // Roles and bad input.
    for (auth, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(guest.as_str()), StatusCode::FORBIDDEN),
    ] {
        for path in [format!("/{p}/leads"), one.clone()] {
            assert_eq!(server.get(&path, auth).await.status, status, "{path}");
        }
        let answer = server.put(&one, auth, Some(json!({"fullname": "x"}))).await;
        assert_eq!(answer.status, status);
    }
    for bad in [
        json!({"email": "not an email"}),
        json!({"fullname": "a\u{7}b"}),
        json!({"attributes": [1]}),
        json!({"fullname": 5}),
    ] {
        let answer = server.put(&one, Some(&agent), Some(bad.clone())).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let missing = server
        .get(
            &format!("/{p}/leads/0123456789abcdef01234567"),
            Some(&agent),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let malformed = server.get(&format!("/{p}/leads/nope"), Some(&agent)).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}
