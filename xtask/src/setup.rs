//! `cargo xtask setup`: installs every tool the project needs, idempotently (checks first, installs only what is missing).

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::proc::{banner, cargo, exec, output, Result};

/// The trunk release the build is pinned to.
const TRUNK_VERSION: &str = "0.21.14";
/// Must equal the `wasm-bindgen` crate version pinned in the root Cargo.toml.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// Debian's Chromium, driven by Playwright and the wasm tests.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's ChromeDriver, used by `wasm-bindgen-test-runner`.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The schemathesis release the API fuzz test was tried with (pip, in a venv under `.tools/`).
const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// The venv that holds schemathesis, relative to the workspace root.
pub const SCHEMATHESIS_VENV: &str = ".tools/schemathesis";
/// The oldest Node.js major version that playwright-core supports.
const NODE_MIN_MAJOR: u32 = 20;

pub fn run(root: &Path) -> Result {
    banner("setup: Rust target and components");
    rust()?;
    banner(&format!("setup: trunk {TRUNK_VERSION}"));
    cargo_tool("trunk", TRUNK_VERSION, "trunk", true)?;
    banner(&format!("setup: wasm-bindgen-cli {WASM_BINDGEN_VERSION}"));
    cargo_tool(
        "wasm-bindgen",
        WASM_BINDGEN_VERSION,
        "wasm-bindgen-cli",
        false,
    )?;
    check_version("wasm-bindgen-test-runner", WASM_BINDGEN_VERSION)?;
    banner("setup: Node.js");
    node()?;
    banner("setup: npm build tools (tools/: binaryen's wasm-opt)");
    npm_packages(&root.join("tools"))?;
    banner("setup: Chromium and ChromeDriver");
    chromium()?;
    banner("setup: end-to-end test packages (e2e/: playwright-core)");
    npm_packages(&root.join("e2e"))?;
    banner(&format!(
        "setup: schemathesis {SCHEMATHESIS_VERSION} (API fuzzing)"
    ));
    schemathesis(root)?;
    println!("\nsetup: everything is in place");
    Ok(())
}

fn rust() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).ok_or(
        "`rustup` is required to add the wasm32-unknown-unknown target; install Rust with rustup",
    )?;
    if installed
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        println!("ok: target wasm32-unknown-unknown");
    } else {
        println!("installing: target wasm32-unknown-unknown");
        exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    for component in ["rustfmt", "clippy"] {
        let sub = if component == "rustfmt" {
            "fmt"
        } else {
            "clippy"
        };
        match output(cargo().args([sub, "--version"])) {
            Some(version) => println!("ok: {version}"),
            None => {
                println!("installing: component {component}");
                exec(Command::new("rustup").args(["component", "add", component]))?;
            }
        }
    }
    Ok(())
}

/// The version `bin --version` prints, if `bin` runs at all.
fn installed_version(bin: &str) -> Option<String> {
    let out = output(Command::new(bin).arg("--version"))?;
    Some(
        out.split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string(),
    )
}

fn check_version(bin: &str, version: &str) -> Result {
    match installed_version(bin) {
        Some(found) if found == version => {
            println!("ok: {bin} {version}");
            Ok(())
        }
        found => Err(format!(
            "`{bin} --version` should report {version}, found {}; is ~/.cargo/bin first on PATH?",
            found.as_deref().unwrap_or("nothing (not on PATH)")
        )),
    }
}

/// Installs `krate` at `version` with `cargo install` unless `bin --version` already reports it.
fn cargo_tool(bin: &str, version: &str, krate: &str, locked: bool) -> Result {
    if installed_version(bin).as_deref() == Some(version) {
        println!("ok: {bin} {version}");
        return Ok(());
    }
    match installed_version(bin) {
        Some(found) => println!("installing: {krate} {version} (found {bin} {found})"),
        None => {
            println!("installing: {krate} {version} ({bin} not found; this takes a few minutes)")
        }
    }
    let mut cmd = cargo();
    cmd.args([
        "install",
        krate,
        "--version",
        version,
        "-j",
        &install_jobs(),
    ]);
    if locked {
        cmd.arg("--locked");
    }
    exec(&mut cmd)?;
    check_version(bin, version)
}

/// At most 2 parallel jobs for `cargo install`, fewer if CARGO_BUILD_JOBS says so.
fn install_jobs() -> String {
    let limit = std::env::var("CARGO_BUILD_JOBS")
        .ok()
        .and_then(|jobs| jobs.parse::<u32>().ok())
        .filter(|&jobs| jobs > 0)
        .unwrap_or(2);
    limit.min(2).to_string()
}

fn node() -> Result {
    let version = output(Command::new("node").arg("--version")).ok_or(
        "Node.js is required (npm tools and the Playwright tests); install Node.js 20 or newer with npm",
    )?;
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse().ok())
        .unwrap_or(0);
    if major < NODE_MIN_MAJOR {
        return Err(format!(
            "Node.js {NODE_MIN_MAJOR} or newer is required, found {version}"
        ));
    }
    let npm = output(Command::new("npm").arg("--version"))
        .ok_or("npm is required next to Node.js; install npm")?;
    println!("ok: node {version}, npm {npm}");
    Ok(())
}

/// The schemathesis command inside the project's venv.
pub fn schemathesis_bin(root: &Path) -> std::path::PathBuf {
    root.join(SCHEMATHESIS_VENV).join("bin/schemathesis")
}

/// Installs schemathesis into `.tools/schemathesis` (a Python venv) unless it is there at the pinned version.
fn schemathesis(root: &Path) -> Result {
    let bin = schemathesis_bin(root);
    let found = output(Command::new(&bin).arg("--version"));
    if found
        .as_deref()
        .is_some_and(|v| v.contains(SCHEMATHESIS_VERSION))
    {
        println!("ok: schemathesis {SCHEMATHESIS_VERSION}");
        return Ok(());
    }
    println!("installing: schemathesis {SCHEMATHESIS_VERSION} into {SCHEMATHESIS_VENV}");
    let venv = root.join(SCHEMATHESIS_VENV);
    exec(Command::new("python3").args(["-m", "venv"]).arg(&venv))
        .map_err(|err| format!("{err}; Python 3 with its venv module is required (Debian: apt-get install python3-venv)"))?;
    exec(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("schemathesis=={SCHEMATHESIS_VERSION}")),
    )?;
    match output(Command::new(&bin).arg("--version")) {
        Some(version) if version.contains(SCHEMATHESIS_VERSION) => Ok(()),
        other => Err(format!("schemathesis --version after install: {other:?}")),
    }
}

/// Runs `npm ci` in `dir` unless node_modules already holds exactly what package-lock.json pins.
fn npm_packages(dir: &Path) -> Result {
    match stale_package(dir)? {
        None => {
            println!(
                "ok: {} matches package-lock.json",
                dir.join("node_modules").display()
            );
            return Ok(());
        }
        Some(why) => println!("installing: npm ci in {} ({why})", dir.display()),
    }
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )?;
    match stale_package(dir)? {
        None => Ok(()),
        Some(why) => Err(format!("after `npm ci` in {}, still {why}", dir.display())),
    }
}

/// Why node_modules in `dir` does not match package-lock.json, or `None` when it does.
fn stale_package(dir: &Path) -> Result<Option<String>> {
    let lock_path = dir.join("package-lock.json");
    let lock: Value = read_json(&lock_path)?;
    let packages = lock["packages"].as_object().ok_or_else(|| {
        format!(
            "{} has no `packages` (lockfileVersion 3 expected)",
            lock_path.display()
        )
    })?;
    for (path, entry) in packages {
        if !path.starts_with("node_modules/") {
            continue;
        }
        let wanted = entry["version"].as_str().unwrap_or_default();
        let found = fs::read_to_string(dir.join(path).join("package.json"))
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|manifest| manifest["version"].as_str().map(str::to_string));
        match found {
            Some(version) if version == wanted => {}
            None if entry["optional"].as_bool() == Some(true) => {}
            Some(version) => return Ok(Some(format!("{path} is {version}, lock wants {wanted}"))),
            None => return Ok(Some(format!("{path} {wanted} is missing"))),
        }
    }
    Ok(None)
}

/// Reads and parses a JSON file, naming it in any error.
pub fn read_json(path: &Path) -> Result<Value> {
    let text =
        fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|err| format!("{} is not valid JSON: {err}", path.display()))
}

fn chromium() -> Result {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        println!("installing: Debian packages chromium and chromium-driver");
        let sudo = output(Command::new("id").arg("-u")).as_deref() != Some("0");
        let apt = |args: &[&str]| {
            let mut cmd = if sudo {
                let mut cmd = Command::new("sudo");
                cmd.arg("apt-get");
                cmd
            } else {
                Command::new("apt-get")
            };
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            exec(&mut cmd).map_err(|err| {
                format!("{err}; install Chromium and ChromeDriver as {CHROMIUM} and {CHROMEDRIVER} (Debian: chromium, chromium-driver)")
            })
        };
        apt(&["update"])?;
        apt(&["install", "-y", "chromium", "chromium-driver"])?;
    }
    for bin in [CHROMIUM, CHROMEDRIVER] {
        let version = output(Command::new(bin).arg("--version"))
            .ok_or_else(|| format!("{bin} is installed but `{bin} --version` fails"))?;
        println!("ok: {version} ({bin})");
    }
    Ok(())
}
