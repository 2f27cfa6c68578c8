//! Teammates and roles, project secrets and custom tokens, token expiry, closing, rating, the
//! caller's own requests, message paging, size limits and the rate limiter.

mod common;

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::Sha256;
use tiledesk_protocol::{Message, RequestPage};

use common::{data_dir, new_request_id, start, start_with};

/// An HS256 token of `claims` signed with `secret`.
fn sign(secret: &str, claims: &Value) -> String {
    let head = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(head.as_bytes());
    format!(
        "{head}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

#[tokio::test]
async fn invited_teammates_get_their_role() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let invite = format!("/{project}/project_users/invite");
    let (agent, agent_id) = server
        .teammate(&project, "agent@example.com", "agent")
        .await;
    let (admin, _) = server
        .teammate(&project, "admin@example.com", "admin")
        .await;
    assert_eq!(
        server
            .get(&format!("/{project}/requests"), Some(&agent))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        server
            .get(&format!("/{project}/subscriptions"), Some(&agent))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server
            .get(&format!("/{project}/subscriptions"), Some(&admin))
            .await
            .status,
        StatusCode::OK
    );
    // Agents cannot invite; admins can, and can change a role.
    let body = json!({"email": "agent@example.com", "role": "supervisor"});
    assert_eq!(
        server
            .post(&invite, Some(&agent), body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let changed = server.post(&invite, Some(&admin), body).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(changed.body["role"], "supervisor");
    assert_eq!(changed.body["id_user"], agent_id.as_str());
    // Nobody changes the owner; unknown people and roles are refused.
    let owner_email = server.demo.email.clone();
    assert_eq!(
        server
            .post(
                &invite,
                Some(&admin),
                json!({"email": owner_email, "role": "agent"})
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    for bad in [
        json!({"email": "nobody@example.com", "role": "agent"}),
        json!({"email": "agent@example.com", "role": "owner"}),
        json!({"email": "agent@example.com", "role": "guest"}),
        json!({"email": "not an email", "role": "agent"}),
    ] {
        assert_eq!(
            server.post(&invite, Some(&admin), bad.clone()).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn custom_tokens_signed_with_the_project_secret_sign_users_in() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let generate = format!("/{project}/keys/generate");
    let (guest, _) = server.guest(&project).await;
    assert_eq!(
        server.post(&generate, Some(&guest), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let keys = server
        .post(&generate, Some(&server.owner()), json!({}))
        .await;
    assert_eq!(keys.status, StatusCode::OK);
    let secret = keys.body["jwtSecret"].as_str().unwrap().to_owned();

    let claims = json!({
        "_id": "customer-42", "firstname": "Carla", "lastname": "Rossi", "email": "carla@example.com",
        "sub": "userexternal", "aud": format!("https://tiledesk.com/projects/{project}"),
        "iat": 1_700_000_000,
    });
    let signin = |token: String| {
        let server = &server;
        async move {
            server
                .call(
                    reqwest::Method::POST,
                    "/auth/signinWithCustomToken",
                    Some(&format!("JWT {token}")),
                    None,
                )
                .await
        }
    };
    let first = signin(sign(&secret, &claims)).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["success"], true);
    assert_eq!(first.body["user"]["firstname"], "Carla");
    assert_eq!(
        first.body["user"]["_id"],
        format!("{project}:customer-42"),
        "the token's _id, in the project's namespace"
    );
    let token = first.body["token"].as_str().unwrap().to_owned();
    let again = signin(sign(&secret, &claims)).await;
    assert_eq!(
        again.body["user"]["_id"], first.body["user"]["_id"],
        "the same user each time"
    );

    // The user is a member (role user): it posts and lists its own requests, not all of them.
    let rid = new_request_id(&project);
    let posted = server
        .post(
            &format!("/{project}/requests/{rid}/messages"),
            Some(&token),
            json!({"text": "hi"}),
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK);
    let mine = server
        .get(&format!("/{project}/requests/me"), Some(&token))
        .await;
    assert_eq!(mine.body["count"], 1);
    assert_eq!(
        server
            .get(&format!("/{project}/requests"), Some(&token))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let mut wrong_subject = claims.clone();
    wrong_subject["sub"] = json!("user");
    let mut expired = claims.clone();
    expired["exp"] = json!(1_700_000_100);
    let mut other_project = claims.clone();
    other_project["aud"] = json!("https://tiledesk.com/projects/5e2c35c8f0dbc10017bb3aac");
    for token in [
        sign("another secret", &claims),
        sign(&secret, &wrong_subject),
        sign(&secret, &expired),
        sign(&secret, &other_project),
        "garbage".to_owned(),
    ] {
        assert_eq!(signin(token).await.status, StatusCode::UNAUTHORIZED);
    }
    // A new secret retires the old one.
    server
        .post(&generate, Some(&server.owner()), json!({}))
        .await;
    assert_eq!(
        signin(sign(&secret, &claims)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// Signs in with a custom token signed with `secret` for `project`, with `extra` claims.
async fn custom_signin(
    server: &common::TestServer,
    secret: &str,
    project: &str,
    extra: Value,
) -> common::Answer {
    let mut claims = json!({
        "sub": "userexternal", "aud": format!("https://tiledesk.com/projects/{project}"),
    });
    claims
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let token = sign(secret, &claims);
    server
        .call(
            reqwest::Method::POST,
            "/auth/signinWithCustomToken",
            Some(&format!("JWT {token}")),
            None,
        )
        .await
}

/// The secret custom tokens of `project` are signed with.
async fn project_secret(server: &common::TestServer, project: &str, owner: &str) -> String {
    let keys = server
        .post(&format!("/{project}/keys/generate"), Some(owner), json!({}))
        .await;
    assert_eq!(keys.status, StatusCode::OK, "{:?}", keys.body);
    keys.body["jwtSecret"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn custom_token_users_are_named_by_project_and_id_and_take_nobody_elses() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let secret = project_secret(&server, &project, &server.owner()).await;
    let ann = format!("{project}:crm:ann.lee@example.com");

    // The user's id is the project and the token's _id; a later token updates the names and email.
    let first = custom_signin(
        &server,
        &secret,
        &project,
        json!({"_id": "crm:ann.lee@example.com", "firstname": "Ann", "lastname": "Lee"}),
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["user"]["_id"], ann.as_str());
    let session = first.body["token"].as_str().unwrap();
    let payload = session.split('.').nth(1).unwrap();
    let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(payload["sub"], "userexternal");
    assert_eq!(payload["_id"], ann.as_str());
    let me = format!("/{project}/requests/me");
    assert_eq!(server.get(&me, Some(session)).await.status, StatusCode::OK);
    let again = custom_signin(
        &server,
        &secret,
        &project,
        json!({"_id": "crm:ann.lee@example.com", "firstname": "Annie", "lastname": "Lee-Smith",
               "email": "annie@example.com"}),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(again.body["user"]["_id"], ann.as_str());
    assert_eq!(again.body["user"]["firstname"], "Annie");
    assert_eq!(again.body["user"]["lastname"], "Lee-Smith");
    assert_eq!(again.body["user"]["email"], "annie@example.com");

    // Both session tokens work; the requests of the user name it as requester.
    for answer in [&first, &again] {
        let token = answer.body["token"].as_str().unwrap();
        let rid = new_request_id(&project);
        let posted = server
            .post(
                &format!("/{project}/requests/{rid}/messages"),
                Some(token),
                json!({"text": "hi"}),
            )
            .await;
        assert_eq!(posted.status, StatusCode::OK, "{:?}", posted.body);
        assert_eq!(posted.body["sender"], ann.as_str());
        assert_eq!(posted.body["request"]["requester"], ann.as_str());
        assert_eq!(posted.body["senderFullname"], "Annie Lee-Smith");
    }
    let token = again.body["token"].as_str().unwrap();
    let mine = server.get(&me, Some(token)).await;
    let mine: RequestPage = serde_json::from_value(mine.body).unwrap();
    assert_eq!(mine.count, 2);
    assert!(mine
        .requests
        .iter()
        .all(|request| request.requester == Some(json!(ann))));

    // The ids of the owner and of a guest name other users of this project's namespace: a token
    // naming them makes (or finds) a custom token user, never signs in as them.
    let owner_id = server
        .post(
            "/auth/signin",
            None,
            json!({"email": server.demo.email, "password": server.demo.password}),
        )
        .await
        .body["user"]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, guest_id) = server.guest(&project).await;
    for taken in [owner_id.as_str(), guest_id.as_str()] {
        let signed_in = custom_signin(&server, &secret, &project, json!({"_id": taken})).await;
        assert_eq!(signed_in.status, StatusCode::OK, "{taken}");
        assert_eq!(
            signed_in.body["user"]["_id"],
            format!("{project}:{taken}"),
            "{taken}"
        );
    }
    // The owner is still the owner, and not renamed.
    let owner = server
        .post(
            "/auth/signin",
            None,
            json!({"email": server.demo.email, "password": server.demo.password}),
        )
        .await;
    assert_eq!(owner.body["user"]["_id"], owner_id.as_str());
    assert_eq!(owner.body["user"]["firstname"], "Demo");

    // Malformed ids are refused.
    for bad in [
        json!(""),
        json!("has space"),
        json!("a/b"),
        json!("é"),
        json!("x".repeat(129)),
    ] {
        let refused = custom_signin(&server, &secret, &project, json!({"_id": bad})).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(refused.body["success"], false, "{bad}");
    }
}

#[tokio::test]
async fn the_same_custom_token_id_in_two_projects_is_two_users() {
    let dir = data_dir();
    let server = start(dir.path());
    let first_project = server.demo.project_id.clone();
    let first_secret = project_secret(&server, &first_project, &server.owner()).await;
    let (other_owner, _) = server.user("other-owner@example.com").await;
    let created = server
        .post("/projects", Some(&other_owner), json!({"name": "Other"}))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    let second_project = created.body["_id"].as_str().unwrap().to_owned();
    let second_secret = project_secret(&server, &second_project, &other_owner).await;

    // Whoever signs in first, the other project's customer-42 still signs in, as its own user.
    let claims = json!({"_id": "customer-42", "firstname": "Carla"});
    let first = custom_signin(&server, &first_secret, &first_project, claims.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let second = custom_signin(&server, &second_secret, &second_project, claims.clone()).await;
    assert_eq!(second.status, StatusCode::OK, "{:?}", second.body);
    assert_ne!(first.body["user"]["_id"], second.body["user"]["_id"]);
    let first_token = first.body["token"].as_str().unwrap().to_owned();
    let second_token = second.body["token"].as_str().unwrap().to_owned();

    // Each is a member of its own project only, and sees only its own conversations.
    let rid = new_request_id(&first_project);
    let posted = server
        .post(
            &format!("/{first_project}/requests/{rid}/messages"),
            Some(&first_token),
            json!({"text": "from the first project's customer-42"}),
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{:?}", posted.body);
    for (project, token, status) in [
        (&first_project, &second_token, StatusCode::FORBIDDEN),
        (&second_project, &first_token, StatusCode::FORBIDDEN),
        (&second_project, &second_token, StatusCode::OK),
    ] {
        let answer = server
            .get(&format!("/{project}/requests/me"), Some(token))
            .await;
        assert_eq!(answer.status, status, "{project}: {:?}", answer.body);
        if status == StatusCode::OK {
            assert_eq!(answer.body["count"], 0);
        }
    }
    let read = server
        .get(
            &format!("/{first_project}/requests/{rid}/messages"),
            Some(&second_token),
        )
        .await;
    assert_eq!(read.status, StatusCode::FORBIDDEN);

    // Neither secret signs in for the other project, nor for its own project as the other's user.
    for (secret, project) in [
        (&first_secret, &second_project),
        (&second_secret, &first_project),
    ] {
        let refused = custom_signin(&server, secret, project, claims.clone()).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{project}");
    }
    let again = custom_signin(&server, &first_secret, &first_project, claims).await;
    assert_eq!(again.body["user"]["_id"], first.body["user"]["_id"]);
}

#[tokio::test]
async fn tokens_expire_after_the_configured_lifetime() {
    let dir = data_dir();
    let server = start_with(dir.path(), &["--token-lifetime-secs", "1"]);
    let project = server.demo.project_id.clone();
    let (guest, _) = server.guest(&project).await;
    let me = format!("/{project}/requests/me");
    assert_eq!(server.get(&me, Some(&guest)).await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let expired = server.get(&me, Some(&guest)).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.body["success"], false);
}

#[tokio::test]
async fn requests_are_closed_rated_and_listed_per_caller() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let (guest, _) = server.guest(&project).await;
    let (other, _) = server.guest(&project).await;
    let (agent, _) = server
        .teammate(&project, "agent@example.com", "agent")
        .await;
    let (admin, _) = server
        .teammate(&project, "admin@example.com", "admin")
        .await;
    let mut rids = Vec::new();
    for _ in 0..2 {
        let rid = new_request_id(&project);
        let answer = server
            .post(
                &format!("/{project}/requests/{rid}/messages"),
                Some(&guest),
                json!({"text": "help"}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK);
        rids.push(rid);
    }
    let mine: RequestPage = serde_json::from_value(
        server
            .get(&format!("/{project}/requests/me"), Some(&guest))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(mine.count, 2);
    let theirs: RequestPage = serde_json::from_value(
        server
            .get(&format!("/{project}/requests/me"), Some(&other))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(theirs.count, 0);
    let oldest_first: RequestPage = serde_json::from_value(
        server
            .get(
                &format!("/{project}/requests/me?direction=1&sort=createdAt"),
                Some(&guest),
            )
            .await
            .body,
    )
    .unwrap();
    assert_eq!(oldest_first.requests[0].request_id, rids[0]);

    let request = |rid: &str, action: &str| format!("/{project}/requests/{rid}/{action}");
    // Rating: the requester, 1 to 5.
    let rated = server
        .call(
            reqwest::Method::PATCH,
            &request(&rids[0], "rating"),
            Some(&guest),
            Some(json!({"rating": 5, "rating_message": "great"})),
        )
        .await;
    assert_eq!(rated.status, StatusCode::OK, "{:?}", rated.body);
    assert_eq!(rated.body["rating"], 5);
    assert_eq!(rated.body["rating_message"], "great");
    for (who, body, status) in [
        (
            &guest,
            json!({"rating": 9}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (&other, json!({"rating": 1}), StatusCode::FORBIDDEN),
    ] {
        let answer = server
            .call(
                reqwest::Method::PATCH,
                &request(&rids[0], "rating"),
                Some(who),
                Some(body),
            )
            .await;
        assert_eq!(answer.status, status);
    }

    // closeg: the requester only.
    assert_eq!(
        server
            .put(&request(&rids[0], "closeg"), Some(&other), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let closed = server
        .put(&request(&rids[0], "closeg"), Some(&guest), None)
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    assert_eq!(closed.body["status"], 1000);
    assert!(closed.body["closed_at"].is_string());

    // close: agents taking part, or admins.
    assert_eq!(
        server
            .put(&request(&rids[1], "close"), Some(&guest), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server
            .put(&request(&rids[1], "close"), Some(&agent), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let closed = server
        .put(&request(&rids[1], "close"), Some(&admin), None)
        .await;
    assert_eq!(closed.status, StatusCode::OK);
    assert_eq!(closed.body["status"], 1000);
    let unknown = new_request_id(&project);
    assert_eq!(
        server
            .put(&request(&unknown, "close"), Some(&admin), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let listed = server
        .get(&format!("/{project}/requests?status=1000"), Some(&agent))
        .await;
    assert_eq!(listed.body["count"], 2);
}

#[tokio::test]
async fn long_conversations_are_paged_oldest_first_and_limits_hold() {
    let dir = data_dir();
    let server = start_with(dir.path(), &["--rate-limit-per-minute", "100000"]);
    let project = server.demo.project_id.clone();
    let (guest, _) = server.guest(&project).await;
    let rid = new_request_id(&project);
    let path = format!("/{project}/requests/{rid}/messages");
    for n in 0..25 {
        let answer = server
            .post(&path, Some(&guest), json!({"text": format!("m{n}")}))
            .await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let texts = |query: &str| {
        let server = &server;
        let (path, guest) = (format!("{path}?{query}"), guest.clone());
        async move {
            let answer = server.get(&path, Some(&guest)).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}");
            serde_json::from_value::<Vec<Message>>(answer.body)
                .unwrap()
                .into_iter()
                .map(|m| m.text)
                .collect::<Vec<_>>()
        }
    };
    let all = texts("").await;
    assert_eq!(all.len(), 25);
    assert_eq!(all[0], "m0");
    assert_eq!(texts("limit=10").await, all[..10]);
    assert_eq!(texts("limit=10&page=2").await, all[20..]);
    assert_eq!(
        server
            .get(&format!("{path}?limit=0"), Some(&guest))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    let too_long = "x".repeat(400 * 1024 + 1);
    let answer = server
        .post(&path, Some(&guest), json!({"text": too_long}))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn over_the_rate_limit_clients_get_429_json_with_retry_after() {
    let dir = data_dir();
    let server = start_with(dir.path(), &["--rate-limit-per-minute", "5"]);
    let owner = server.owner();
    for _ in 0..5 {
        assert_eq!(
            server.get("/health", Some(&owner)).await.status,
            StatusCode::OK
        );
    }
    let limited = server.get("/health", Some(&owner)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.body["success"], false);
    assert!(limited.body["msg"]
        .as_str()
        .unwrap()
        .contains("5 per minute"));
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(limited.header("access-control-allow-origin"), Some("*"));
    // The owner's budget is its own: callers without valid credentials count by address.
    assert_eq!(
        server.get("/health", Some("JWT other")).await.status,
        StatusCode::OK
    );
    assert_eq!(server.get("/health", None).await.status, StatusCode::OK);
}
