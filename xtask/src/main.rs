//! `cargo xtask <setup|build|demo|test|bench>`: every workflow of the project, in plain Rust.

mod bench;
mod build;
mod demo;
mod proc;
mod setup;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup   install what is missing: wasm32 target, trunk, wasm-bindgen-cli, npm tools, Chromium, e2e packages
  build   build the widget into dist/ (trunk) and the tiledesk-local server (release)
  demo    setup + build, then run tiledesk-local with the widget and a demo page until Ctrl-C
  test    setup, then fmt, clippy, native and wasm tests, build, and the Playwright end-to-end tests
  bench   build, then measure first-load bytes, launcher time and agent-reply latency";

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let root = workspace_root();
    if let Err(err) = std::env::set_current_dir(&root) {
        eprintln!("xtask: cannot enter {}: {err}", root.display());
        return ExitCode::FAILURE;
    }
    let result = match command.as_str() {
        "setup" => setup::run(&root),
        "build" => build::run(&root),
        "demo" => demo::run(&root),
        "test" => test::run(&root),
        "bench" => bench::run(&root),
        "" | "help" | "-h" | "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("xtask: unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask {command} FAILED: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
