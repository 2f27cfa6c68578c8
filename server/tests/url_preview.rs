//! Link previews (`POST /:project_id/url-preview`): what a page says about itself, for members and
//! guests of the project only, from public addresses only unless the server allows private ones.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::StatusCode as AxumStatus;
use axum::response::IntoResponse;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tiledesk_protocol::preview::UrlPreview;

use common::{data_dir, start, start_with, TestServer};

/// A page whose tags carry markup and references (they must come back as text).
const PAGE: &str = r#"<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="&lt;img src=x onerror=alert(1)&gt; Pricing">
<meta name="description" content="Plans &amp; prices">
<meta property="og:image" content="/img/card.png">
<meta property="og:site_name" content="Example">
</head><body>hello</body></html>"#;

/// A site on the loopback serving `/page`, `/plain`, `/moved` (to `/page`) and 404 elsewhere,
/// counting the requests it gets: its origin and the count.
async fn site() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
        let hits = counted.clone();
        async move {
            hits.fetch_add(1, Ordering::SeqCst);
            match uri.path() {
                "/page" => ([(CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response(),
                "/plain" => ([(CONTENT_TYPE, "text/plain")], PAGE).into_response(),
                "/moved" => (AxumStatus::FOUND, [(LOCATION, "/page")]).into_response(),
                _ => AxumStatus::NOT_FOUND.into_response(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (origin, hits)
}

/// Asks for the previews of `urls` as a guest of the demo project.
async fn previews(server: &TestServer, urls: Value) -> (StatusCode, Value) {
    let project = &server.demo.project_id;
    let (guest, _) = server.guest(project).await;
    let answer = server
        .post(
            &format!("/{project}/url-preview"),
            Some(&guest),
            json!({ "urls": urls }),
        )
        .await;
    (answer.status, answer.body)
}

#[tokio::test]
async fn a_page_tells_its_title_description_picture_and_site_as_text() {
    let (origin, hits) = site().await;
    let dir = data_dir();
    let server = start_with(dir.path(), &["--allow-private-link-previews"]);
    let urls = json!([
        format!("{origin}/page"),
        format!("{origin}/plain"),
        format!("{origin}/missing"),
        format!("{origin}/moved"),
        "ftp://example.com/x",
    ]);
    let (status, body) = previews(&server, urls.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    let answers: Vec<UrlPreview> = serde_json::from_value(body).expect("previews");
    assert_eq!(answers.len(), 5);
    let page = answers[0].data.as_ref().expect("the page's preview");
    assert!(answers[0].success);
    assert_eq!(answers[0].url, format!("{origin}/page"));
    assert_eq!(
        page.title.as_deref(),
        Some("<img src=x onerror=alert(1)> Pricing")
    );
    assert_eq!(page.description.as_deref(), Some("Plans & prices"));
    assert_eq!(
        page.image.as_deref(),
        Some(&*format!("{origin}/img/card.png"))
    );
    assert_eq!(page.site_name.as_deref(), Some("Example"));
    let errors: Vec<(bool, Option<&str>)> = answers[1..]
        .iter()
        .map(|a| (a.success, a.error.as_deref()))
        .collect();
    assert_eq!(
        errors,
        [
            (false, Some("Not an HTML page")),
            (false, Some("HTTP status 404")),
            (true, None),
            (false, Some("URL not allowed")),
        ]
    );
    assert_eq!(
        answers[3].data.as_ref().and_then(|d| d.title.as_deref()),
        page.title.as_deref(),
        "a redirect is followed"
    );
    // Kept: asking again fetches nothing.
    let fetched = hits.load(Ordering::SeqCst);
    let (status, again) = previews(&server, urls).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again[0]["data"]["siteName"], "Example");
    assert_eq!(hits.load(Ordering::SeqCst), fetched);
}

#[tokio::test]
async fn private_addresses_are_not_fetched_by_default() {
    let (origin, hits) = site().await;
    let port = origin.rsplit(':').next().unwrap().to_owned();
    let dir = data_dir();
    let server = start(dir.path());
    let urls = json!([
        format!("{origin}/page"),
        format!("http://localhost:{port}/page"),
        format!("http://[::1]:{port}/page"),
        "http://169.254.169.254/latest/meta-data",
        "javascript:alert(1)",
    ]);
    let (status, body) = previews(&server, urls).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    for answer in body.as_array().unwrap() {
        assert_eq!(answer["success"], false, "{answer}");
        assert_eq!(answer["error"], "URL not allowed", "{answer}");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing reached the site");
}

#[tokio::test]
async fn bad_requests_get_clear_errors() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let path = format!("/{project}/url-preview");
    let (status, body) = previews(&server, json!([])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["param"], "urls", "{body}");
    let eleven: Vec<String> = (0..11).map(|n| format!("https://e{n}.example/")).collect();
    let (status, body) = previews(&server, json!(eleven)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = previews(&server, json!("https://example.com")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let anonymous = server
        .post(&path, None, json!({"urls": ["https://example.com/"]}))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
