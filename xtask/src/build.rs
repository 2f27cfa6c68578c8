//! `cargo xtask build`: the release widget in `dist/` (trunk) and the release `tiledesk-local` server.

use std::path::Path;
use std::process::Command;

use crate::proc::{banner, cargo, exec, tools_path, Result};

/// Where `cargo build --release -p tiledesk-local` puts the server.
pub const SERVER_BIN: &str = "target/release/tiledesk-local";

pub fn run(root: &Path) -> Result {
    banner("build: widget (trunk build --release -> dist/)");
    if !root.join("Trunk.toml").exists() {
        return Err("Trunk.toml is missing: the widget build is not configured yet".into());
    }
    if !root.join("tools/node_modules/.bin/wasm-opt").exists() {
        return Err(
            "tools/node_modules/.bin/wasm-opt is missing: run `cargo xtask setup` first".into(),
        );
    }
    exec(
        Command::new("trunk")
            .args(["build", "--release"])
            .env("PATH", tools_path(root)?),
    )?;
    for file in ["dist/index.html", "dist/launch.js"] {
        if !root.join(file).is_file() {
            return Err(format!("trunk finished but {file} is missing"));
        }
    }
    banner("build: server (cargo build --release -p tiledesk-local)");
    exec(cargo().args(["build", "--release", "-p", "tiledesk-local"]))?;
    if !root.join(SERVER_BIN).is_file() {
        return Err(format!("cargo finished but {SERVER_BIN} is missing"));
    }
    Ok(())
}
