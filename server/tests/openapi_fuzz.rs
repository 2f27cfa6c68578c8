//! API fuzzing: schemathesis (from PyPI) runs over 1,000 generated requests against
//! `/openapi.json` of a fresh server; no answer may be a 5xx or differ from the description.

mod common;

use std::process::Command;

use reqwest::StatusCode;

use common::{data_dir, start_with};

/// The schemathesis command: `$SCHEMATHESIS`, else `schemathesis` or `st` on the PATH.
fn schemathesis() -> String {
    if let Ok(path) = std::env::var("SCHEMATHESIS") {
        return path;
    }
    for name in ["schemathesis", "st"] {
        let found = Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|output| output.status.success());
        if found {
            return name.to_owned();
        }
    }
    panic!(
        "the schemathesis CLI was not found (set SCHEMATHESIS or put `schemathesis` on the PATH); \
         `cargo xtask setup` installs it"
    );
}

#[tokio::test]
async fn the_openapi_description_covers_the_api_and_survives_fuzzing() {
    let cli = schemathesis();
    let dir = data_dir();
    // Generated sign-ins fail a lot: without room for them, the address would soon wait, and
    // the Basic-authenticated operations would be tested only for their 429.
    let server = start_with(
        dir.path(),
        &[
            "--rate-limit-per-minute",
            "10000000",
            "--signin-failures-per-address",
            "1000000",
        ],
    );
    let description = server.get("/openapi.json", None).await;
    assert_eq!(description.status, StatusCode::OK);
    let paths = description.body["paths"].as_object().expect("paths");
    for path in [
        "/auth/signinWithCustomToken",
        "/{pid}/requests/{rid}/closeg",
        "/{pid}/requests/{rid}/messages/status",
        "/{pid}/files/chat",
        "/files",
        "/files/download",
        "/{pid}/subscriptions/history",
        "/{pid}/events/{id}",
        "/{pid}/keys/generate",
        "/{pid}/project_users/invite",
        "/projects/{pid}",
        "/{pid}/departments",
        "/{pid}/departments/{id}",
        "/{pid}/departments/allstatus",
        "/projects/{pid}/isopen",
        "/projects/{pid}/users/availables",
        "/{pid}/project_users",
        "/{pid}/project_users/",
        "/{pid}/project_users/{id}",
        "/{pid}/project_users/users/{user_id}",
        "/{pid}/leads",
        "/{pid}/leads/{id}",
        "/{pid}/labels",
        "/{pid}/labels/{lang}",
        "/{pid}/publicanalytics/waiting/current",
        "/{pid}/url-preview",
        "/{pid}/requests/{rid}/attributes",
        "/{pid}/requests/{rid}/participants",
        "/{pid}/requests/{rid}/participants/{id}",
        "/{pid}/requests/{rid}/agent",
        "/{pid}/requests/{rid}/assign",
        "/{pid}/requests/{rid}/departments",
        "/{pid}/requests/{rid}/reopen",
        "/health",
        "/",
    ] {
        assert!(paths.contains_key(path), "{path} is not described");
    }

    // Every project route runs against the demo project. Creating or changing subscriptions is
    // left out: generated targets could make the server deliver webhooks beyond the loopback.
    let config = dir.path().join("schemathesis.toml");
    std::fs::write(
        &config,
        format!(
            "[parameters]\n\"path.pid\" = \"{}\"\n",
            server.demo.project_id
        ),
    )
    .expect("write the schemathesis config");
    let output = Command::new(&cli)
        .current_dir(dir.path())
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(server.url("/openapi.json"))
        .args([
            "--auth",
            &format!("{}:{}", server.demo.email, server.demo.password),
        ])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,\
             response_headers_conformance,response_schema_conformance",
        ])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args([
            "--max-examples",
            "25",
            "--seed",
            "20240601",
            "--workers",
            "1",
        ])
        .args(["--generation-database", "none"])
        .args(["--exclude-operation-id", "createSubscription"])
        .args(["--exclude-operation-id", "updateSubscription"])
        .args(["--request-timeout", "10"])
        .output()
        .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The summary says "Test cases: N generated, N passed".
    let generated: u32 = stdout
        .lines()
        .find_map(|line| {
            let mut words = line.split_whitespace();
            let count = words.next()?;
            (words.next() == Some("generated,")).then(|| count.parse().ok())?
        })
        .unwrap_or_else(|| panic!("no count of test cases in:\n{stdout}"));
    assert!(generated >= 1000, "only {generated} test cases:\n{stdout}");
    eprintln!("schemathesis: {generated} test cases, no problem found");
}
