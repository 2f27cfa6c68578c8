//! `cargo xtask build`: the widget in `dist/` (the first-load shell by trunk, the chat module it
//! loads on demand beside it), the agent console in `dist/console/` and the release
//! `tiledesk-local` server.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::proc::{banner, cargo, exec, tools_path, Result};

/// Where `cargo build --release -p tiledesk-local` puts the server.
pub const SERVER_BIN: &str = "target/release/tiledesk-local";

/// Where `cargo xtask build` puts the agent console.
pub const CONSOLE_DIST: &str = "dist/console";

/// File-name prefix of the chat module in `dist/` (the rest is its content hash).
pub const CHAT_MODULE_PREFIX: &str = "chat-";

/// wasm-opt features both modules are built with (as `data-wasm-opt-params` in index.html).
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn run(root: &Path) -> Result {
    if !root.join("Trunk.toml").exists() {
        return Err("Trunk.toml is missing: the widget build is not configured yet".into());
    }
    if !root.join("tools/node_modules/.bin/wasm-opt").exists() {
        return Err(
            "tools/node_modules/.bin/wasm-opt is missing: run `cargo xtask setup` first".into(),
        );
    }
    banner("build: chat module (cargo build --features chat, wasm-bindgen, wasm-opt)");
    let chat = chat_module(root)?;
    banner("build: first-load shell (trunk build --release -> dist/)");
    exec(
        Command::new("trunk")
            .args(["build", "--release"])
            .env("PATH", tools_path(root)?)
            .env("TILEDESK_CHAT_MODULE", &chat.stem),
    )?;
    for file in ["dist/index.html", "dist/launch.js"] {
        if !root.join(file).is_file() {
            return Err(format!("trunk finished but {file} is missing"));
        }
    }
    for (from, to) in [
        (&chat.js, format!("{}.js", chat.stem)),
        (&chat.wasm, format!("{}_bg.wasm", chat.stem)),
    ] {
        fs::copy(from, root.join("dist").join(&to))
            .map_err(|err| format!("cannot copy the chat module to dist/{to}: {err}"))?;
    }
    // After the widget: trunk empties `dist/` before writing it, the console's build only `dist/console/`.
    banner("build: agent console (trunk build --release in console/ -> dist/console/)");
    exec(
        Command::new("trunk")
            .args(["build", "--release"])
            .current_dir(root.join("console"))
            .env("PATH", tools_path(root)?),
    )?;
    if !root.join(CONSOLE_DIST).join("index.html").is_file() {
        return Err(format!(
            "trunk finished but {CONSOLE_DIST}/index.html is missing"
        ));
    }
    precompress(&root.join("dist"))?;
    precompress(&root.join(CONSOLE_DIST))?;
    banner("build: server (cargo build --release -p tiledesk-local)");
    exec(cargo().args(["build", "--release", "-p", "tiledesk-local"]))?;
    if !root.join(SERVER_BIN).is_file() {
        return Err(format!("cargo finished but {SERVER_BIN} is missing"));
    }
    Ok(())
}

/// The built chat module: its glue script, its wasm, and the file stem naming both in `dist/`.
struct ChatModule {
    js: std::path::PathBuf,
    wasm: std::path::PathBuf,
    stem: String,
}

/// Builds the chat module (the widget crate with its default `chat` feature) for loading by the
/// shell: `wasm-bindgen --target no-modules` defines the global `tiledesk_chat`.
fn chat_module(root: &Path) -> Result<ChatModule> {
    exec(cargo().args([
        "build",
        "-p",
        "tiledesk-widget",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let out = root.join("target/chat-module");
    let _ = fs::remove_dir_all(&out);
    exec(
        Command::new("wasm-bindgen").args([
            "--target",
            "no-modules",
            "--no-modules-global",
            "tiledesk_chat",
            "--no-typescript",
            "--out-name",
            "chat",
            "--out-dir",
            &out.to_string_lossy(),
            &root
                .join("target/wasm32-unknown-unknown/wasm-release/tiledesk_widget.wasm")
                .to_string_lossy(),
        ]),
    )?;
    let wasm = out.join("chat_bg.wasm");
    exec(
        Command::new("wasm-opt")
            .arg("-Oz")
            .args(WASM_FEATURES)
            .arg(&wasm)
            .arg("-o")
            .arg(&wasm)
            .env("PATH", tools_path(root)?),
    )?;
    let js = out.join("chat.js");
    let mut hash = Fnv1a::default();
    for file in [&js, &wasm] {
        hash.write(
            &fs::read(file).map_err(|err| format!("cannot read {}: {err}", file.display()))?,
        );
    }
    Ok(ChatModule {
        js,
        wasm,
        stem: format!("{CHAT_MODULE_PREFIX}{:016x}", hash.0),
    })
}

/// FNV-1a, 64 bits: a content hash for cache-busting file names.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Writes `<file>.gz` and `<file>.br` next to every text and wasm file at the top of `dist`:
/// tiledesk-local (or a CDN) sends one to browsers that accept it, so the files travel compressed
/// without compressing per request; browsers accept brotli over HTTPS, gzip everywhere.
fn precompress(dist: &Path) -> Result<()> {
    let entries =
        fs::read_dir(dist).map_err(|err| format!("cannot read {}: {err}", dist.display()))?;
    for entry in entries {
        let path = entry.map_err(|err| err.to_string())?.path();
        let compressible = path
            .extension()
            .is_some_and(|ext| ["html", "js", "css", "wasm"].iter().any(|e| ext == *e));
        if !path.is_file() || !compressible {
            continue;
        }
        let bytes =
            fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let mut name = path.clone().into_os_string();
        name.push(".gz");
        fs::write(&name, gzip(&bytes)?)
            .map_err(|err| format!("cannot write {}: {err}", name.to_string_lossy()))?;
        let mut name = path.into_os_string();
        name.push(".br");
        fs::write(&name, brotli_best(&bytes)?)
            .map_err(|err| format!("cannot write {}: {err}", name.to_string_lossy()))?;
    }
    Ok(())
}

/// `bytes` compressed with brotli at the best quality.
fn brotli_best(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|err| err.to_string())?;
    Ok(out)
}

/// `bytes` gzipped at the best compression.
fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).map_err(|err| err.to_string())?;
    encoder.finish().map_err(|err| err.to_string())
}
