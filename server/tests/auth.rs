//! Sign-up, sign-in, Basic and JWT authentication, anonymous sign-in and project creation.

mod common;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use tiledesk_protocol::{AuthResponse, Project};

use common::{basic, data_dir, start, start_env, start_with};

#[tokio::test]
async fn signup_then_signin_gives_a_jwt_accepted_like_basic_credentials() {
    let dir = data_dir();
    let server = start(dir.path());

    let signup = server
        .post(
            "/auth/signup",
            None,
            json!({"email": "Ann@Example.com", "password": "s3cret-pass", "firstname": "Ann", "lastname": "Lee"}),
        )
        .await;
    assert_eq!(signup.status, StatusCode::OK, "{:?}", signup.body);
    assert_eq!(signup.body["success"], true);
    let user = &signup.body["user"];
    assert_eq!(user["email"], "ann@example.com");
    assert_eq!(user["firstname"], "Ann");
    let id = user["_id"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());

    let signin = server
        .post(
            "/auth/signin",
            None,
            json!({"email": "ann@example.com", "password": "s3cret-pass"}),
        )
        .await;
    assert_eq!(signin.status, StatusCode::OK);
    let answer: AuthResponse = serde_json::from_value(signin.body).unwrap();
    assert!(answer.success);
    assert!(answer.token.starts_with("JWT "));
    assert_eq!(answer.user.id, id);
    assert_eq!(answer.user.emailverified, Some(false));

    // The JWT (scheme in any case) and Basic credentials both create a project as this user.
    let lower_scheme = answer.token.replacen("JWT", "jwt", 1);
    for auth in [
        answer.token.clone(),
        lower_scheme,
        basic("ann@example.com", "s3cret-pass"),
    ] {
        let created = server
            .post("/projects", Some(&auth), json!({"name": "Support"}))
            .await;
        assert_eq!(created.status, StatusCode::OK, "{auth}: {:?}", created.body);
        let project: Project = serde_json::from_value(created.body).unwrap();
        assert_eq!(project.name, "Support");
        assert_eq!(project.created_by, id);
        // The creator owns it: agents-only listing is allowed.
        let list = server
            .get(&format!("/{}/requests", project.id), Some(&auth))
            .await;
        assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
        assert_eq!(list.body["count"], 0);
    }
}

#[tokio::test]
async fn signup_rejects_bad_input() {
    let dir = data_dir();
    let server = start(dir.path());

    let bad = server
        .post(
            "/auth/signup",
            None,
            json!({"email": "not-an-email", "password": "short"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let params: Vec<&str> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["param"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["email", "password"]);

    let missing = server
        .post("/auth/signup", None, json!({"email": "a@b.co"}))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body["errors"][0]["msg"]
        .as_str()
        .unwrap()
        .contains("password"));
}

#[tokio::test]
async fn signing_up_a_registered_email_answers_like_a_new_one_and_changes_nothing() {
    let dir = data_dir();
    let server = start(dir.path());
    let signup = |email: &str, password: &str| {
        let body =
            json!({"email": email, "password": password, "firstname": "Dee", "lastname": "Up"});
        let server = &server;
        async move { server.post("/auth/signup", None, body).await }
    };
    let first = signup("dup@example.com", "long enough").await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let again = signup("DUP@example.com", "other password").await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    // Same shape and message; only the (fresh, unusable) id differs, as for any new account.
    let keys = |body: &serde_json::Value| {
        let mut keys: Vec<String> = body["user"].as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&again.body), keys(&first.body));
    assert_eq!(again.body["msg"], first.body["msg"]);
    assert_eq!(again.body["user"]["email"], "dup@example.com");
    assert_ne!(again.body["user"]["_id"], first.body["user"]["_id"]);
    // The account keeps its first password.
    let signin = |password: &str| {
        let body = json!({"email": "dup@example.com", "password": password});
        let server = &server;
        async move { server.post("/auth/signin", None, body).await }
    };
    assert_eq!(
        signin("other password").await.status,
        StatusCode::UNAUTHORIZED
    );
    let signed_in = signin("long enough").await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert_eq!(signed_in.body["user"]["_id"], first.body["user"]["_id"]);
}

/// The quickest of `samples`: the cost of the work itself, as other tests only ever add time.
fn quickest(samples: Vec<Duration>) -> Duration {
    samples.into_iter().min().expect("samples")
}

#[tokio::test]
async fn refusing_an_unknown_email_takes_as_long_as_refusing_a_wrong_password() {
    let dir = data_dir();
    let server = start_with(dir.path(), &["--signin-failures-per-address", "100"]);
    let project = server.demo.project_id.clone();
    let mut known = Vec::new();
    for n in 0..6 {
        let email = format!("known{n}@example.com");
        server.user(&email).await;
        known.push(email);
    }
    let unknown: Vec<String> = (0..6).map(|n| format!("unknown{n}@example.com")).collect();
    let timed = |email: String, basic_auth: bool| {
        let server = &server;
        let path = format!("/{project}/requests");
        async move {
            let started = Instant::now();
            let answer = if basic_auth {
                server
                    .get(&path, Some(&basic(&email, "wrong password")))
                    .await
            } else {
                let body = json!({"email": email, "password": "wrong password"});
                server.post("/auth/signin", None, body).await
            };
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{:?}", answer.body);
            started.elapsed()
        }
    };
    for basic_auth in [false, true] {
        let (mut of_known, mut of_unknown) = (Vec::new(), Vec::new());
        for (known, unknown) in known.iter().zip(&unknown) {
            of_known.push(timed(known.clone(), basic_auth).await);
            of_unknown.push(timed(unknown.clone(), basic_auth).await);
        }
        let (known, unknown) = (quickest(of_known), quickest(of_unknown));
        // Both hash a password (tens of ms); without the dummy hash the unknown one is ~20x faster.
        assert!(
            unknown * 5 >= known * 2,
            "basic: {basic_auth}: known {known:?}, unknown {unknown:?}"
        );
    }
}

#[tokio::test]
async fn the_operator_can_close_sign_up() {
    for (args, env) in [
        (&["--signup", "closed"][..], None),
        (&[][..], Some(("TILEDESK_SIGNUP", "closed"))),
    ] {
        let dir = data_dir();
        let server = start_env(dir.path(), args, env);
        let signup = server
            .post(
                "/auth/signup",
                None,
                json!({"email": "new@example.com", "password": "long enough"}),
            )
            .await;
        assert_eq!(signup.status, StatusCode::FORBIDDEN, "{:?}", signup.body);
        assert_eq!(signup.body["success"], false);
        assert!(
            signup.body["msg"]
                .as_str()
                .unwrap()
                .contains("Sign-up is closed"),
            "{:?}",
            signup.body
        );
        // The demo owner, made at first start, still signs in, and visitors still chat.
        let signin = server
            .post(
                "/auth/signin",
                None,
                json!({"email": server.demo.email, "password": server.demo.password}),
            )
            .await;
        assert_eq!(signin.status, StatusCode::OK);
        server.guest(&server.demo.project_id).await;
    }
    let dir = data_dir();
    let open = start_with(dir.path(), &["--signup", "open"]);
    open.user("new@example.com").await;
}

#[tokio::test]
async fn wrong_credentials_and_tokens_get_401_json() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let path = format!("/{project}/requests");

    let signin = server
        .post(
            "/auth/signin",
            None,
            json!({"email": server.demo.email, "password": "wrong password"}),
        )
        .await;
    assert_eq!(signin.status, StatusCode::UNAUTHORIZED);
    assert_eq!(signin.body["success"], false);

    let unknown = server
        .post(
            "/auth/signin",
            None,
            json!({"email": "nobody@example.com", "password": "whatever1"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);

    for auth in [
        None,
        Some(basic(&server.demo.email, "wrong password")),
        Some("Basic !!!not-base64".to_owned()),
        Some("JWT not.a.token".to_owned()),
        Some("Bearer something".to_owned()),
    ] {
        let answer = server.get(&path, auth.as_deref()).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(answer.body["success"], false, "{auth:?}");
        assert!(answer.body["msg"].is_string());
    }

    // A token of another server (another secret) is refused too.
    let other_dir = data_dir();
    let other = start(other_dir.path());
    let (foreign, _) = other.guest(&other.demo.project_id).await;
    assert_eq!(
        server.get(&path, Some(&foreign)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn anonymous_signin_makes_a_guest_of_the_project() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();

    let answer = server
        .post(
            "/auth/signinAnonymously",
            None,
            json!({"id_project": project}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let auth: AuthResponse = serde_json::from_value(answer.body).unwrap();
    assert!(auth.token.starts_with("JWT "));
    let id = &auth.user.id;
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
    assert_eq!(auth.user.guest_id.as_deref(), Some(id.as_str()));
    let firstname = auth.user.firstname.clone().unwrap();
    assert!(firstname.starts_with("guest#") && firstname.len() == "guest#".len() + 4);
    assert_eq!(auth.user.full_name.as_deref(), Some(firstname.as_str()));

    let named = server
        .post(
            "/auth/signinAnonymously",
            None,
            json!({"id_project": project, "firstname": "John"}),
        )
        .await;
    assert_eq!(named.body["user"]["firstname"], "John");
    assert_ne!(named.body["user"]["_id"], auth.user.id.as_str());

    // A guest is a member of the project but below agent, and cannot create projects.
    assert_eq!(
        server
            .get(&format!("/{project}/requests"), Some(&auth.token))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let created = server
        .post("/projects", Some(&auth.token), json!({"name": "Mine"}))
        .await;
    assert_eq!(created.status, StatusCode::FORBIDDEN);
    assert_eq!(created.body["msg"], "you dont have the required role.");
}

#[tokio::test]
async fn anonymous_signin_needs_an_existing_project() {
    let dir = data_dir();
    let server = start(dir.path());

    let missing = server
        .post(
            "/auth/signinAnonymously",
            None,
            json!({"firstname": "John"}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        missing.body,
        json!({"errors":[{"msg":"Invalid value","param":"id_project","location":"body"}]})
    );

    let unknown = server
        .post(
            "/auth/signinAnonymously",
            None,
            json!({"id_project": "5e2c35c8f0dbc10017bb3aac"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.body,
        json!({"error": "Project not found with id: 5e2c35c8f0dbc10017bb3aac"})
    );
}
