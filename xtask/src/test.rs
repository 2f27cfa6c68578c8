//! `cargo xtask test`: setup, formatting, lints, native and wasm tests, the release build, then the browser end-to-end tests.

use std::path::Path;
use std::process::Command;

use crate::build::{self, SERVER_BIN};
use crate::proc::{banner, cargo, exec, Result};
use crate::setup::{self, schemathesis_bin, CHROMEDRIVER, CHROMIUM};

pub fn run(root: &Path) -> Result {
    setup::run(root)?;
    let mut outcomes: Vec<(&str, bool)> = Vec::new();
    let mut step = |name: &'static str, cmd: &mut Command| {
        banner(&format!("test: {name}"));
        record(&mut outcomes, name, exec(cmd));
    };

    step("rustfmt", cargo().args(["fmt", "--all", "--", "--check"]));
    step(
        "clippy (native)",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    step(
        "clippy (wasm32)",
        cargo().args([
            "clippy",
            "-p",
            "tiledesk-widget",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    step(
        "clippy (wasm32, first-load shell)",
        cargo().args([
            "clippy",
            "-p",
            "tiledesk-widget",
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ]),
    );
    step(
        "clippy (wasm32, agent console)",
        cargo().args([
            "clippy",
            "-p",
            "tiledesk-console",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    step(
        "cargo test (native)",
        cargo()
            .args(["test", "--workspace", "--no-fail-fast"])
            .env("SCHEMATHESIS", schemathesis_bin(root)),
    );
    step(
        "cargo test (wasm32, headless Chromium)",
        cargo()
            .args([
                "test",
                "--no-fail-fast",
                "-p",
                "tiledesk-widget",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            // Unoptimised Leptos views of the whole panel need more than wasm's default 1 MiB stack;
            // components are type-erased as in every wasm build (.cargo/config.toml).
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                "-C link-arg=-zstack-size=8388608 --cfg erase_components",
            )
            .env(
                "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                root.join("webdriver.json"),
            )
            .env(
                "WASM_BINDGEN_TEST_TIMEOUT",
                std::env::var("WASM_BINDGEN_TEST_TIMEOUT").unwrap_or_else(|_| "120".into()),
            ),
    );

    banner("test: release build");
    if record(&mut outcomes, "release build", build::run(root)) {
        banner("test: end-to-end (Playwright, node --test)");
        let e2e = exec(
            Command::new("node")
                .args(["--test", "--test-concurrency=1"])
                .current_dir(root.join("e2e"))
                .env("TILEDESK_SERVER_BIN", root.join(SERVER_BIN))
                .env("TILEDESK_WIDGET_DIST", root.join("dist"))
                .env("CHROMIUM_PATH", CHROMIUM),
        );
        record(&mut outcomes, "end-to-end (Playwright)", e2e);
    } else {
        println!("\nskipping the end-to-end tests: the release build failed");
        outcomes.push(("end-to-end (skipped)", false));
    }

    banner("test: summary");
    for (name, ok) in &outcomes {
        println!("  {:<6} {name}", if *ok { "ok" } else { "FAILED" });
    }
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(name, _)| *name)
        .collect();
    if failed.is_empty() {
        println!("xtask test: all {} steps passed", outcomes.len());
        Ok(())
    } else {
        Err(format!(
            "{} of {} steps failed: {}",
            failed.len(),
            outcomes.len(),
            failed.join(", ")
        ))
    }
}

/// Notes the outcome of one step (printing its error); whether it passed.
fn record(outcomes: &mut Vec<(&'static str, bool)>, name: &'static str, result: Result) -> bool {
    if let Err(err) = &result {
        eprintln!("FAILED: {err}");
    }
    outcomes.push((name, result.is_ok()));
    result.is_ok()
}
