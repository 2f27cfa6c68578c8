//! Uploads (`POST /:pid/files/chat`, `GET /files`, `GET /files/download`): safe headers, types
//! read from the bytes, the size limit, unguessable paths, and who may read a file.

mod common;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::json;

use common::{data_dir, new_request_id, start, start_with, TestServer};

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

/// Uploads and returns the stored path.
async fn uploaded(server: &TestServer, token: &str, name: &str, bytes: &[u8]) -> String {
    let answer = server
        .upload(&server.demo.project_id, Some(token), name, bytes)
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    assert_eq!(answer.body["message"], "File uploaded successfully");
    answer.body["filename"]
        .as_str()
        .expect("a filename")
        .to_owned()
}

fn files(path: &str) -> String {
    format!("/files?path={}", url_encode(path))
}

fn download(path: &str) -> String {
    format!("/files/download?path={}", url_encode(path))
}

fn url_encode(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn assert_safe(headers: &HeaderMap) {
    assert_eq!(header(headers, "x-content-type-options"), "nosniff");
    assert!(header(headers, "content-security-policy").contains("sandbox"));
    assert!(header(headers, "content-security-policy").contains("default-src 'none'"));
    assert_eq!(header(headers, "cache-control"), "private");
}

#[tokio::test]
async fn an_image_is_shown_inline_with_safe_headers() {
    let dir = data_dir();
    let server = start(dir.path());
    let (guest, _) = server.guest(&server.demo.project_id).await;
    let path = uploaded(&server, &guest, "photo.png", PNG).await;
    assert!(
        path.starts_with("uploads/") && path.ends_with("/photo.png"),
        "{path}"
    );

    let (status, headers, body) = server.fetch_raw(&files(&path), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PNG);
    assert_eq!(header(&headers, "content-type"), "image/png");
    assert!(header(&headers, "content-disposition").starts_with("inline;"));
    assert_safe(&headers);

    let (status, headers, body) = server.fetch_raw(&download(&path), Some(&guest)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PNG);
    assert!(header(&headers, "content-disposition").starts_with("attachment;"));
    assert!(header(&headers, "content-disposition").contains("filename*=UTF-8''photo.png"));
    assert_safe(&headers);
}

#[tokio::test]
async fn documents_and_markup_are_only_ever_downloaded() {
    let dir = data_dir();
    let server = start(dir.path());
    let (guest, _) = server.guest(&server.demo.project_id).await;
    let pdf = uploaded(&server, &guest, "invoice.pdf", PDF).await;
    let (status, headers, _) = server.fetch_raw(&files(&pdf), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "content-type"), "application/pdf");
    assert!(header(&headers, "content-disposition").starts_with("attachment;"));
    assert_safe(&headers);

    for (name, bytes) in [
        (
            "logo.svg",
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"[..],
        ),
        (
            "page.html",
            &b"<!DOCTYPE html><html><script>alert(1)</script></html>"[..],
        ),
        ("fake.png", &b"<html><body onload=alert(1)>"[..]),
    ] {
        let path = uploaded(&server, &guest, name, bytes).await;
        for url in [files(&path), download(&path)] {
            let (status, headers, _) = server.fetch_raw(&url, None).await;
            assert_eq!(status, StatusCode::OK, "{name}");
            assert_eq!(
                header(&headers, "content-type"),
                "application/octet-stream",
                "{name}"
            );
            assert!(
                header(&headers, "content-disposition").starts_with("attachment;"),
                "{name}"
            );
            assert_safe(&headers);
        }
    }
    let text = uploaded(&server, &guest, "notes.txt", b"plain words").await;
    let (_, headers, _) = server.fetch_raw(&files(&text), None).await;
    assert_eq!(
        header(&headers, "content-type"),
        "text/plain; charset=utf-8"
    );
    assert!(header(&headers, "content-disposition").starts_with("attachment;"));
}

#[tokio::test]
async fn files_over_the_limit_are_refused_and_not_stored() {
    let dir = data_dir();
    let server = start_with(dir.path(), &["--max-upload-bytes", "2000"]);
    let (guest, _) = server.guest(&server.demo.project_id).await;
    let project = server.demo.project_id.clone();
    for size in [2001, 200_000, 2_000_000] {
        let answer = server
            .upload(&project, Some(&guest), "big.bin", &vec![7u8; size])
            .await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{size}");
        assert!(
            answer.body["msg"].as_str().unwrap().contains("2000"),
            "{:?}",
            answer.body
        );
    }
    let stored = std::fs::read_dir(dir.path().join("uploads"))
        .unwrap()
        .count();
    assert_eq!(stored, 0, "nothing was stored");
    uploaded(&server, &guest, "small.bin", &[7u8; 2000]).await;
}

#[tokio::test]
async fn uploads_may_be_larger_than_other_bodies() {
    let dir = data_dir();
    let server = start(dir.path());
    let (guest, _) = server.guest(&server.demo.project_id).await;
    let mut big = PNG.to_vec();
    big.resize(3 * 1024 * 1024, 0);
    let path = uploaded(&server, &guest, "big.png", &big).await;
    let (status, _, body) = server.fetch_raw(&files(&path), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.len(), big.len());
}

#[tokio::test]
async fn uploading_needs_a_member_and_a_file() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let anonymous = server.upload(&project, None, "a.png", PNG).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.body["msg"].is_string(), "{:?}", anonymous.body);
    let (outsider, _) = server.user("outsider@example.com").await;
    let foreign = server.upload(&project, Some(&outsider), "a.png", PNG).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let (guest, _) = server.guest(&project).await;
    let json = server
        .post(
            &format!("/{project}/files/chat"),
            Some(&guest),
            json!({"file": "x"}),
        )
        .await;
    assert_eq!(json.status, StatusCode::BAD_REQUEST, "{:?}", json.body);
}

#[tokio::test]
async fn paths_that_are_not_an_uploads_are_not_found() {
    let dir = data_dir();
    let server = start(dir.path());
    let (guest, _) = server.guest(&server.demo.project_id).await;
    let path = uploaded(&server, &guest, "photo.png", PNG).await;
    let id = path.split('/').nth(1).unwrap().to_owned();
    for bad in [
        "../jwt-secret".to_owned(),
        "uploads/../jwt-secret".to_owned(),
        format!("uploads/{id}/../../jwt-secret"),
        format!("/{path}"),
        "/etc/passwd".to_owned(),
        dir.path().join("jwt-secret").display().to_string(),
        format!("uploads%2F{id}%2Fphoto.png"),
        format!("uploads/{id}/other.png"),
        format!("uploads/{id}"),
        "uploads/00000000000000000000000000000000/photo.png".to_owned(),
        "tiledesk.db".to_owned(),
    ] {
        for url in [files(&bad), download(&bad)] {
            let (status, headers, body) = server.fetch_raw(&url, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
            assert!(header(&headers, "content-type").starts_with("application/json"));
            assert!(!body.starts_with(b"\x89PNG"));
        }
    }
    let (status, _, _) = server.fetch_raw(&format!("/files?path={path}"), None).await;
    assert_eq!(status, StatusCode::OK, "unencoded slashes are fine");
    let (status, _, _) = server.fetch_raw("/files", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn with_a_token_only_those_who_may_see_it_read_a_file() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let (owner_guest, _) = server.guest(&p).await;
    let (other_guest, _) = server.guest(&p).await;
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let (outsider, _) = server.user("outsider@example.com").await;
    let path = uploaded(&server, &owner_guest, "photo.png", PNG).await;
    let url = files(&path);
    let status = |token: Option<String>| {
        let url = url.clone();
        let server = &server;
        async move { server.fetch_raw(&url, token.as_deref()).await.0 }
    };
    assert_eq!(status(Some(owner_guest.clone())).await, StatusCode::OK);
    assert_eq!(status(Some(agent.clone())).await, StatusCode::OK);
    assert_eq!(
        status(Some(other_guest.clone())).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(status(Some(outsider.clone())).await, StatusCode::NOT_FOUND);
    assert_eq!(
        status(Some("JWT nonsense".to_owned())).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(None).await,
        StatusCode::OK,
        "the path is the capability"
    );

    // The other guest cannot share someone else's upload with itself by posting it.
    let theirs = new_request_id(&p);
    let messages = format!("/{p}/requests/{theirs}/messages");
    let src = format!("{}{}", server.base, url);
    let posted = server
        .post(
            &messages,
            Some(&other_guest),
            json!({"text": "look", "type": "image", "metadata": {"src": src}}),
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{:?}", posted.body);
    assert_eq!(
        status(Some(other_guest.clone())).await,
        StatusCode::NOT_FOUND
    );

    // An agent showing it in the other guest's conversation shares it.
    let shared = server
        .post(
            &messages,
            Some(&agent),
            json!({"text": "this one?", "type": "image", "metadata": {"src": src}}),
        )
        .await;
    assert_eq!(shared.status, StatusCode::OK, "{:?}", shared.body);
    assert_eq!(status(Some(other_guest)).await, StatusCode::OK);
}

#[tokio::test]
async fn file_names_are_cleaned_in_content_disposition() {
    let dir = data_dir();
    let server = start(dir.path());
    let (guest, _) = server.guest(&server.demo.project_id).await;
    let path = uploaded(
        &server,
        &guest,
        "<script>alert('x')</script>\\..\\\"q\".pdf",
        PDF,
    )
    .await;
    assert!(
        path.split('/')
            .nth(2)
            .unwrap()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
        "{path}"
    );
    let (status, headers, _) = server.fetch_raw(&download(&path), None).await;
    assert_eq!(status, StatusCode::OK);
    let disposition = header(&headers, "content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    let inner = disposition
        .strip_prefix("attachment; filename=\"")
        .unwrap()
        .split_once("\"; filename*=UTF-8''")
        .expect("both names");
    for forbidden in ['<', '>', '"', '\'', '\\', '/', ';'] {
        assert!(!inner.0.contains(forbidden), "{disposition}");
        assert!(!inner.1.contains(forbidden), "{disposition}");
    }
}
