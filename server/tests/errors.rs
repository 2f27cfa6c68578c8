//! Error answers: always JSON, with the right status and CORS headers.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::json;

use common::{data_dir, new_request_id, start, Answer};

fn assert_cors(answer: &Answer) {
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("*"),
        "{answer:?}"
    );
}

fn assert_json(answer: &Answer) {
    assert!(
        answer
            .header("content-type")
            .is_some_and(|ct| ct.starts_with("application/json")),
        "{answer:?}"
    );
    assert!(answer.body.is_object(), "{answer:?}");
}

#[tokio::test]
async fn malformed_json_is_400_json_with_cors() {
    let dir = data_dir();
    let server = start(dir.path());
    let response = server
        .client
        .post(server.url("/auth/signin"))
        .header("Content-Type", "application/json")
        .header("Origin", "https://example.com")
        .body(r#"{"email": "a@b.co", "#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["success"], false);
    assert!(body["msg"].as_str().unwrap().contains("Malformed JSON"));
}

#[tokio::test]
async fn a_body_that_is_not_declared_json_is_415() {
    let dir = data_dir();
    let server = start(dir.path());
    let response = server
        .client
        .post(server.url("/auth/signin"))
        .header("Content-Type", "text/plain")
        .body(r#"{"email":"a@b.co","password":"12345678"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["msg"].as_str().unwrap().contains("application/json"));

    let without = server
        .client
        .post(server.url("/auth/signin"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_body_over_500_kb_is_413() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let (guest, _) = server.guest(&project).await;
    let path = format!("/{project}/requests/{}/messages", new_request_id(&project));

    let big = server
        .post(&path, Some(&guest), json!({"text": "x".repeat(600 * 1024)}))
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_json(&big);
    assert_cors(&big);

    let fits = server
        .post(&path, Some(&guest), json!({"text": "x".repeat(400 * 1024)}))
        .await;
    assert_eq!(fits.status, StatusCode::OK);
}

#[tokio::test]
async fn project_checks_come_first_then_authentication_then_role() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();

    let bad_id = server
        .get("/not-an-id/requests", Some(&server.owner()))
        .await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad_id.body,
        json!({"error": "Invalid project id: not-an-id"})
    );
    assert_cors(&bad_id);

    let unknown = server.get("/5e2c35c8f0dbc10017bb3aac/widgets", None).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.body,
        json!({"error": "Project not found with id: 5e2c35c8f0dbc10017bb3aac"})
    );

    let anonymous = server.get(&format!("/{project}/requests"), None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_json(&anonymous);
    assert_cors(&anonymous);
    assert_eq!(anonymous.body["success"], false);

    // Members of one project get 403 on another.
    let (other_owner, _) = server.user("owner@example.com").await;
    let other = server
        .post("/projects", Some(&other_owner), json!({"name": "Other"}))
        .await;
    let other_project = other.body["_id"].as_str().unwrap().to_owned();
    let (guest_of_other, _) = server.guest(&other_project).await;
    for auth in [other_owner.as_str(), guest_of_other.as_str()] {
        let answer = server
            .get(&format!("/{project}/requests"), Some(auth))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(
            answer.body,
            json!({"success": false, "msg": "you dont have the required role."})
        );
        let post = server
            .post(
                &format!("/{project}/requests/{}/messages", new_request_id(&project)),
                Some(auth),
                json!({"text": "hi"}),
            )
            .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
    }
    let owner_there = server
        .get(&format!("/{other_project}/requests"), Some(&server.owner()))
        .await;
    assert_eq!(owner_there.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn unknown_routes_methods_and_bad_ids_answer_json() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();

    let unknown = server.get("/no/such/route/here", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.body,
        json!({"success": false, "msg": "Object not found."})
    );
    assert_cors(&unknown);

    let method = server.call(Method::DELETE, "/health", None, None).await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_json(&method);

    let bad_request_id = server
        .get(
            &format!("/{project}/requests/bad%20id/messages"),
            Some(&server.owner()),
        )
        .await;
    assert_eq!(bad_request_id.status, StatusCode::BAD_REQUEST);
    assert_json(&bad_request_id);

    let wrong_shape = server
        .post(
            &format!("/{project}/requests/{}/messages", new_request_id(&project)),
            Some(&server.owner()),
            json!({"text": ["not", "a", "string"]}),
        )
        .await;
    assert_eq!(wrong_shape.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_shape.body["errors"].is_array());
}

#[tokio::test]
async fn preflight_is_204_with_cors_headers_and_health_is_ok() {
    let dir = data_dir();
    let server = start(dir.path());
    let response = server
        .client
        .request(Method::OPTIONS, server.url("/auth/signinAnonymously"))
        .header("Origin", "https://shop.example.com")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let headers = response.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    for method in ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"] {
        assert!(methods.contains(method), "{methods}");
    }
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));

    let health = server.get("/health", None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body, json!({"status": "ok"}));
    assert_cors(&health);
}
