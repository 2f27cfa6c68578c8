//! What the agent console needs of the server: `GET /projects` (the caller's memberships), the
//! request listing's `participant` and `lead` filters, and the console's files under `/console/`.

mod common;

use std::fs;

use common::{data_dir, start, start_with, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A visitor of the demo project starts a conversation: its `JWT …`, the request id and the request.
async fn visitor_starts(server: &TestServer, token: Option<&str>, text: &str) -> (String, Value) {
    let project = &server.demo.project_id;
    let token = match token {
        Some(token) => token.to_owned(),
        None => server.guest(project).await.0,
    };
    let rid = common::new_request_id(project);
    let posted = server
        .post(
            &format!("/{project}/requests/{rid}/messages"),
            Some(&token),
            json!({"text": text, "attributes": {"userFullname": "Vera Visitor"}}),
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{:?}", posted.body);
    (token, posted.body["request"].clone())
}

fn ids(page: &Value) -> Vec<String> {
    let mut ids: Vec<String> = page["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|r| r["request_id"].as_str().expect("id").to_owned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn projects_lists_the_callers_memberships_as_agent_and_up() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();

    let owner = server.get("/projects", Some(&server.owner())).await;
    assert_eq!(owner.status, StatusCode::OK, "{:?}", owner.body);
    let list = owner.body.as_array().expect("a list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id_project"]["_id"], project.as_str());
    assert_eq!(list[0]["id_project"]["name"], "Demo project");
    assert_eq!(list[0]["role"], "owner");
    assert_eq!(list[0]["user_available"], true);
    let parsed: Vec<tiledesk_protocol::ProjectMembership> =
        serde_json::from_value(owner.body.clone()).expect("the protocol's shape");
    assert_eq!(parsed[0].id_project.id, project);

    // A second project of the owner is listed after the first.
    let created = server
        .post(
            "/projects",
            Some(&server.owner()),
            json!({"name": "Second"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    let both = server.get("/projects", Some(&server.owner())).await;
    let names: Vec<&str> = both
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id_project"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Demo project", "Second"]);

    let (agent, _) = server
        .teammate(&project, "agent@example.com", "agent")
        .await;
    let listed = server.get("/projects", Some(&agent)).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body[0]["role"], "agent");
    assert_eq!(listed.body.as_array().unwrap().len(), 1);

    // Members below agent, visitors and strangers see no project; without credentials, 401.
    let (user, _) = server.teammate(&project, "user@example.com", "user").await;
    assert_eq!(server.get("/projects", Some(&user)).await.body, json!([]));
    let (guest, _) = server.guest(&project).await;
    assert_eq!(server.get("/projects", Some(&guest)).await.body, json!([]));
    let (stranger, _) = server.user("stranger@example.com").await;
    assert_eq!(
        server.get("/projects", Some(&stranger)).await.body,
        json!([])
    );
    let anonymous = server.get("/projects", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.body["success"], false);
}

#[tokio::test]
async fn requests_filter_by_participant_and_by_lead() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let (agent, agent_id) = server
        .teammate(&project, "agent@example.com", "agent")
        .await;
    let owner_id = server.get("/projects", Some(&server.owner())).await.body[0]["id_user"]
        .as_str()
        .unwrap()
        .to_owned();

    let (vera, first) = visitor_starts(&server, None, "first of vera").await;
    let (_, second) = visitor_starts(&server, Some(&vera), "second of vera").await;
    let (_, other) = visitor_starts(&server, None, "someone else").await;
    let rid = |r: &Value| r["request_id"].as_str().unwrap().to_owned();

    let assigned = server
        .put(
            &format!("/{project}/requests/{}/assign", rid(&first)),
            Some(&agent),
            Some(json!({"member": agent_id})),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);

    let page = |query: String, auth: String| {
        let server = &server;
        let project = project.clone();
        async move {
            server
                .get(&format!("/{project}/requests?{query}"), Some(&auth))
                .await
        }
    };
    let mine = page(
        format!("participant={agent_id}&status=100,200"),
        agent.clone(),
    )
    .await;
    assert_eq!(mine.status, StatusCode::OK, "{:?}", mine.body);
    assert_eq!(ids(&mine.body), [rid(&first)]);
    assert_eq!(mine.body["count"], 1);
    let owners = page(format!("participant={owner_id}"), server.owner()).await;
    assert_eq!(ids(&owners.body), Vec::<String>::new());
    // An empty participant filters nothing out.
    assert_eq!(
        page("participant=".into(), server.owner()).await.body["count"],
        3
    );

    let lead = first["lead"]["_id"]
        .as_str()
        .expect("the request's lead")
        .to_owned();
    assert_eq!(second["lead"]["_id"], lead.as_str(), "one lead per visitor");
    let of_vera = page(format!("lead={lead}&sort=updatedAt"), agent.clone()).await;
    let mut expected = vec![rid(&first), rid(&second)];
    expected.sort();
    assert_eq!(ids(&of_vera.body), expected);
    assert!(!ids(&of_vera.body).contains(&rid(&other)));
    let closed_of_vera = page(format!("lead={lead}&status=1000"), agent.clone()).await;
    assert_eq!(closed_of_vera.body["count"], 0);

    let bad = page("lead=not-an-id".into(), agent.clone()).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body["msg"].as_str().unwrap().contains("lead"));
    // Visitors cannot list the project's requests, filtered or not.
    let refused = page(format!("lead={lead}"), vera).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// A built console: its index (plain, gzip and brotli copies, told apart by their text) and a hashed script.
fn console_files(dir: &std::path::Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("index.html"),
        "<!doctype html><title>console</title>plain",
    )
    .unwrap();
    fs::write(dir.join("index.html.gz"), "gzip copy").unwrap();
    fs::write(dir.join("index.html.br"), "brotli copy").unwrap();
    fs::write(
        dir.join("tiledesk-console-0123abcd4567ef89.js"),
        "console.log(1)",
    )
    .unwrap();
}

async fn fetch(server: &TestServer, path: &str, encoding: Option<&str>) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client.get(server.url(path));
    if let Some(encoding) = encoding {
        request = request.header("Accept-Encoding", encoding);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_console_is_served_precompressed_with_its_index_for_every_page() {
    let dir = data_dir();
    let files = tempfile::tempdir().unwrap();
    let console = files.path().join("built-console");
    console_files(&console);
    let server = start_with(dir.path(), &["--console-dir", console.to_str().unwrap()]);

    let bare = fetch(&server, "/console", None).await;
    assert_eq!(bare.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(bare.headers()["location"], "/console/");

    let index = fetch(&server, "/console/", None).await;
    assert_eq!(index.status(), StatusCode::OK);
    assert_eq!(index.headers()["cache-control"], "no-cache");
    assert_eq!(index.headers()["vary"], "accept-encoding");
    assert!(index.text().await.unwrap().ends_with("plain"));

    let br = fetch(&server, "/console/", Some("gzip, br")).await;
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.text().await.unwrap(), "brotli copy");
    let gz = fetch(&server, "/console/index.html", Some("gzip")).await;
    assert_eq!(gz.headers()["content-encoding"], "gzip");

    // A page of the app (a deep link) gets the index, which routes it.
    let deep = fetch(&server, "/console/inbox/support-group-x", Some("br")).await;
    assert_eq!(deep.status(), StatusCode::OK);
    assert_eq!(deep.text().await.unwrap(), "brotli copy");

    let script = fetch(
        &server,
        "/console/tiledesk-console-0123abcd4567ef89.js",
        None,
    )
    .await;
    assert_eq!(script.status(), StatusCode::OK);
    assert_eq!(
        script.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    // The API is unchanged beside it.
    assert_eq!(
        fetch(&server, "/health", None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_console_defaults_to_the_widget_folders_console() {
    let dir = data_dir();
    let widget = tempfile::tempdir().unwrap();
    fs::write(widget.path().join("index.html"), "widget").unwrap();
    let server = start_with(
        dir.path(),
        &["--widget-dir", widget.path().to_str().unwrap()],
    );
    // Without a console folder there is nothing under /console/ (a JSON 404).
    let missing = fetch(&server, "/console/", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    drop(server);

    console_files(&widget.path().join("console"));
    let server = start_with(
        dir.path(),
        &["--widget-dir", widget.path().to_str().unwrap()],
    );
    let index = fetch(&server, "/console/", None).await;
    assert_eq!(index.status(), StatusCode::OK);
    assert!(index.text().await.unwrap().ends_with("plain"));
}

#[test]
fn a_console_folder_that_does_not_exist_stops_the_start() {
    let dir = data_dir();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tiledesk-local"))
        .args(["--addr", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .args(["--console-dir", "/nonexistent/console"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run tiledesk-local");
    assert!(!status.status.success());
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(stderr.contains("console folder"), "{stderr}");
}
