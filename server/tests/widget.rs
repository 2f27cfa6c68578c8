//! Serving the built widget, its configuration and the demo host page.

mod common;

use std::fs;
use std::io::{Read, Write};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

use reqwest::StatusCode;
use serde_json::json;

use common::{data_dir, start, start_with};

const HASHED: &str = "tiledesk-widget-6c0b7e2f9d1a3c4e_bg.wasm";

fn widget_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>widget</title>",
    )
    .unwrap();
    fs::write(dir.path().join("launch.js"), "console.log('loader');").unwrap();
    fs::write(dir.path().join(HASHED), b"\0asm").unwrap();
    dir
}

#[tokio::test]
async fn the_widget_folder_is_served_with_cache_headers_and_its_config() {
    let data = data_dir();
    let widget = widget_folder();
    let server = start_with(
        data.path(),
        &["--widget-dir", widget.path().to_str().unwrap()],
    );

    for (path, body, cache) in [
        (
            "/widget/index.html",
            "<!doctype html><title>widget</title>",
            "no-cache",
        ),
        ("/widget/launch.js", "console.log('loader');", "no-cache"),
    ] {
        let response = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], cache, "{path}");
        assert_eq!(response.text().await.unwrap(), body);
    }
    let launch = server
        .client
        .get(server.url("/widget/launch.js"))
        .send()
        .await
        .unwrap();
    assert!(launch.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));

    let hashed = server
        .client
        .get(server.url(&format!("/widget/{HASHED}")))
        .send()
        .await
        .unwrap();
    assert_eq!(hashed.status(), StatusCode::OK);
    let cache = hashed.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cache.contains("immutable") && cache.contains("max-age=31536000"),
        "{cache}"
    );

    let missing = server.get("/widget/nope.js", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.is_object());

    let config = server.get("/widget/widget-config.json", None).await;
    assert_eq!(config.status, StatusCode::OK);
    assert_eq!(
        config.body,
        json!({"apiUrl": format!("http://{}/", server.addr)})
    );
    let proxied = server
        .client
        .get(server.url("/widget/widget-config.json"))
        .header("Host", "chat.example.com")
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    let proxied: serde_json::Value = proxied.json().await.unwrap();
    assert_eq!(proxied, json!({"apiUrl": "https://chat.example.com/"}));
}

#[tokio::test]
async fn a_file_with_its_brotli_beside_it_travels_so_to_browsers_that_accept_brotli() {
    let data = data_dir();
    let widget = widget_folder();
    fs::write(widget.path().join("chat_bg.wasm"), "plain copy").unwrap();
    fs::write(widget.path().join("chat_bg.wasm.br"), "brotli copy").unwrap();
    fs::write(widget.path().join("chat_bg.wasm.gz"), "gzip copy").unwrap();
    let server = start_with(
        data.path(),
        &["--widget-dir", widget.path().to_str().unwrap()],
    );
    for (accepted, encoding, body) in [
        (Some("gzip, deflate, br"), Some("br"), "brotli copy"),
        (Some("gzip, deflate"), Some("gzip"), "gzip copy"),
        (None, None, "plain copy"),
    ] {
        let mut request = server.client.get(server.url("/widget/chat_bg.wasm"));
        if let Some(accepted) = accepted {
            request = request.header("Accept-Encoding", accepted);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        let sent = answer.headers().get("content-encoding");
        assert_eq!(sent.map(|v| v.to_str().unwrap()), encoding, "{accepted:?}");
        assert_eq!(answer.headers()["vary"], "accept-encoding");
        assert_eq!(answer.text().await.unwrap(), body);
    }
}

#[tokio::test]
async fn a_file_with_its_gzip_beside_it_travels_compressed_to_browsers_that_accept_gzip() {
    let data = data_dir();
    let widget = widget_folder();
    let script = "console.log('the widget');".repeat(40);
    fs::write(widget.path().join("widget.js"), &script).unwrap();
    let mut gzipped = GzEncoder::new(Vec::new(), Compression::best());
    gzipped.write_all(script.as_bytes()).unwrap();
    let gzipped = gzipped.finish().unwrap();
    fs::write(widget.path().join("widget.js.gz"), &gzipped).unwrap();
    let server = start_with(
        data.path(),
        &["--widget-dir", widget.path().to_str().unwrap()],
    );

    let compressed = server
        .client
        .get(server.url("/widget/widget.js"))
        .header("Accept-Encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.status(), StatusCode::OK);
    let headers = compressed.headers().clone();
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["vary"], "accept-encoding");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let body = compressed.bytes().await.unwrap();
    assert_eq!(body.len(), gzipped.len());
    let mut decoded = String::new();
    GzDecoder::new(&body[..])
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, script);

    let plain = server
        .client
        .get(server.url("/widget/widget.js"))
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), script);
}

#[tokio::test]
async fn with_a_widget_folder_the_root_is_a_demo_page_embedding_the_widget() {
    let data = data_dir();
    let widget = widget_folder();
    let server = start_with(
        data.path(),
        &["--widget-dir", widget.path().to_str().unwrap()],
    );
    let response = server.client.get(server.url("/")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = response.text().await.unwrap();
    let project = &server.demo.project_id;
    assert!(page.contains(r#"<link rel="icon" href="data:,">"#));
    assert!(page.contains(&format!(
        r#"window.tiledeskSettings = {{ projectid: "{project}" }};"#
    )));
    assert!(page.contains(r#"js.src = "/widget/launch.js""#));
    assert!(page.contains(r#""tiledesk-jssdk""#));
    assert!(page.contains(&format!(
        "curl -u '{}:PASSWORD' -H 'Content-Type: application/json'",
        server.demo.email
    )));
    assert!(page.contains(&format!(
        "http://{}/{project}/requests/REQUEST_ID/messages",
        server.addr
    )));
    assert!(
        !page.contains(&server.demo.password),
        "the page never shows the password"
    );
}

#[tokio::test]
async fn without_a_widget_folder_the_root_names_the_server() {
    let data = data_dir();
    let server = start(data.path());
    let root = server.get("/", None).await;
    assert_eq!(root.status, StatusCode::OK);
    assert_eq!(root.body, json!({"name": "tiledesk-local"}));
    assert_eq!(
        server.get("/widget/launch.js", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_widget_files_do_not_count_against_the_api_rate_limit() {
    let data = data_dir();
    let widget = widget_folder();
    let server = start_with(
        data.path(),
        &[
            "--widget-dir",
            widget.path().to_str().unwrap(),
            "--rate-limit-per-minute",
            "3",
        ],
    );
    for _ in 0..10 {
        for path in ["/widget/index.html", "/widget/launch.js"] {
            let response = server.client.get(server.url(path)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
        }
    }
    for _ in 0..3 {
        assert_eq!(server.get("/health", None).await.status, StatusCode::OK);
    }
    assert_eq!(
        server.get("/health", None).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the API keeps its limit"
    );
}
