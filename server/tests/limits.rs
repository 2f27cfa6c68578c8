//! Rate limits keyed on who the caller really is, and growing delays after failed sign-ins.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::json;

use common::{basic, data_dir, start, start_with, Answer};

/// The `Retry-After` of a 429, checked to be JSON with CORS.
fn retry_after(answer: &Answer) -> u64 {
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{answer:?}");
    assert_eq!(answer.body["success"], false, "{answer:?}");
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    answer
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds")
}

#[tokio::test]
async fn password_guesses_are_delayed_for_that_account_and_address_only() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let path = format!("/{project}/requests");
    let email = server.demo.email.clone();

    // Basic auth: a few wrong guesses are refused with 401, then each guess must wait.
    let mut refused = 0;
    let mut delayed = None;
    for n in 0..30 {
        let answer = server
            .get(&path, Some(&basic(&email, &format!("guess {n}"))))
            .await;
        match answer.status {
            StatusCode::UNAUTHORIZED => refused += 1,
            _ => {
                delayed = Some(retry_after(&answer));
                break;
            }
        }
    }
    assert!(
        (3..=10).contains(&refused),
        "{refused} guesses before a delay"
    );
    assert!(delayed.is_some_and(|wait| wait >= 1));
    // While delayed, even the right password waits: guessing cannot go on unchecked.
    let right = server.get(&path, Some(&server.owner())).await;
    assert!(retry_after(&right) >= 1);
    // The sign-in endpoint shares the count.
    let signin = server
        .post(
            "/auth/signin",
            None,
            json!({"email": email, "password": "one more guess"}),
        )
        .await;
    assert!(retry_after(&signin) >= 1);

    // The real owner, from another address, is not locked out.
    let elsewhere = server.client_from("127.0.0.2");
    let owner = server
        .call_with(&elsewhere, Method::GET, &path, Some(&server.owner()), None)
        .await;
    assert_eq!(owner.status, StatusCode::OK, "{:?}", owner.body);
    let signed_in = server
        .call_with(
            &elsewhere,
            Method::POST,
            "/auth/signin",
            None,
            Some(json!({"email": email, "password": server.demo.password})),
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK);
    // Nor is another account from the guessing address.
    let (_, _) = server.user("someone@example.com").await;
    let other = server
        .get(
            &path,
            Some(&basic("someone@example.com", "a long password")),
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::FORBIDDEN,
        "signed in, not a member"
    );
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_delayed_too() {
    let dir = data_dir();
    let server = start(dir.path());
    let mut refused = 0;
    let mut delayed = false;
    for n in 0..60 {
        let answer = server
            .post(
                "/auth/signin",
                None,
                json!({"email": format!("user{n}@example.com"), "password": "password1"}),
            )
            .await;
        match answer.status {
            StatusCode::UNAUTHORIZED => refused += 1,
            _ => {
                assert!(retry_after(&answer) >= 1);
                delayed = true;
                break;
            }
        }
    }
    assert!(
        delayed,
        "60 failed sign-ins from one address were never delayed"
    );
    assert!((10..=40).contains(&refused), "{refused}");
    // Another address signs in at once.
    let elsewhere = server.client_from("127.0.0.3");
    let signed_in = server
        .call_with(
            &elsewhere,
            Method::POST,
            "/auth/signin",
            None,
            Some(json!({"email": server.demo.email, "password": server.demo.password})),
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK);
}

#[tokio::test]
async fn junk_credentials_count_against_the_address_and_tokens_against_their_user() {
    let dir = data_dir();
    let server = start_with(dir.path(), &["--rate-limit-per-minute", "5"]);
    let project = server.demo.project_id.clone();

    // Anonymous sign-ins with a different junk Authorization each: one budget, the address's.
    let mut statuses = Vec::new();
    for n in 0..7 {
        let answer = server
            .call(
                Method::POST,
                "/auth/signinAnonymously",
                Some(&format!("JWT junk-{n}")),
                Some(json!({"id_project": project})),
            )
            .await;
        statuses.push(answer.status);
    }
    assert_eq!(statuses[..5], [StatusCode::OK; 5], "{statuses:?}");
    assert!(
        retry_after(
            &server
                .call(
                    Method::POST,
                    "/auth/signin",
                    Some("Basic bm90OmJhc2U2NA=="),
                    Some(json!({"email": "a@b.co", "password": "12345678"}))
                )
                .await
        ) >= 1
    );
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");

    // One token, spelled with any spacing, is one client: its user.
    let elsewhere = server.client_from("127.0.0.4");
    let signin = server
        .call_with(
            &elsewhere,
            Method::POST,
            "/auth/signinAnonymously",
            None,
            Some(json!({"id_project": project})),
        )
        .await;
    let token = signin.body["token"].as_str().unwrap().to_owned();
    let raw = token.strip_prefix("JWT ").unwrap();
    let me = format!("/{project}/requests/me");
    let mut statuses = Vec::new();
    for spaces in 1..=7 {
        let auth = format!("JWT{}{raw}", " ".repeat(spaces));
        let answer = server
            .call_with(&elsewhere, Method::GET, &me, Some(&auth), None)
            .await;
        statuses.push(answer.status);
    }
    assert_eq!(statuses[..5], [StatusCode::OK; 5], "{statuses:?}");
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    // Its user is limited, not the address: another user there still gets through.
    let other = server
        .call_with(
            &elsewhere,
            Method::GET,
            "/health",
            Some(&server.owner()),
            None,
        )
        .await;
    assert_eq!(other.status, StatusCode::OK, "{:?}", other.body);
}
