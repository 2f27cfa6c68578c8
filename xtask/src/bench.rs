//! `cargo xtask bench`: first-load bytes of `dist/` (and the chat module's, loaded on demand), launcher time, click to
//! composer and agent-reply latency in Chromium,
//! and the server's message throughput and webhook latency under load, against budgets.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

use crate::build::{self, SERVER_BIN};
use crate::proc::{banner, cargo, exec, Result};
use crate::setup::{read_json, CHROMIUM};

/// First load budget, gzip bytes (100 KB).
const FIRST_LOAD_BUDGET: u64 = 100_000;
/// Launcher-visible budget, milliseconds after the loader starts.
const LAUNCHER_BUDGET_MS: f64 = 150.0;
/// Loader (`dist/launch.js`) budgets: gzip bytes (2 KB for the bridge and layout, half a KB for
/// keeping the widget's values first-party) and host main-thread milliseconds spent in it.
const LOADER_GZIP_BUDGET: u64 = 2_560;
const LOADER_MAIN_THREAD_BUDGET_MS: f64 = 2.0;
/// Chat module budget (what opening the chat fetches), gzip bytes (150 KB).
const CHAT_MODULE_BUDGET: u64 = 150_000;
/// A first-time visitor's click on the launcher until the composer takes text, median ms: on
/// loopback, and on a slow mobile network (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trips).
const CLICK_TO_COMPOSER_BUDGET_MS: f64 = 150.0;
const CLICK_TO_COMPOSER_SLOW_BUDGET_MS: f64 = 1_500.0;
/// Budget to render a 1,000-message conversation when the panel opens, milliseconds.
const LONG_CONVERSATION_BUDGET_MS: f64 = 100.0;
/// Server load budgets: posts per second (at least), post p99 and webhook p50 (at most, ms).
const POSTS_PER_SECOND_BUDGET: f64 = 3_000.0;
const POST_P99_BUDGET_MS: f64 = 50.0;
const WEBHOOK_P50_BUDGET_MS: f64 = 20.0;
/// Idle visitor WebSockets held at once, the server's resident memory holding them (MB) and the
/// post → frame p99 while they are held (ms).
const IDLE_SOCKETS: u32 = 10_000;
const IDLE_SOCKETS_RSS_BUDGET_MB: f64 = 300.0;
const IDLE_SOCKETS_P99_BUDGET_MS: f64 = 50.0;
const LOAD_RESULTS: &str = "target/bench/load.json";
const SOCKETS_RESULTS: &str = "target/bench/sockets.json";
const REPORT: &str = "target/bench/report.json";
const BROWSER_RESULTS: &str = "target/bench/browser.json";

pub fn run(root: &Path) -> Result {
    build::run(root)?;

    banner("bench: first-load bytes (dist/; the chat module loads when the visitor needs it)");
    let assets = dist_assets(&root.join("dist"))?;
    println!(
        "  {:<44} {:>10} {:>10} {:>10}  loaded",
        "asset", "raw", "gzip", "brotli"
    );
    let (mut raw_total, mut gzip_total, mut chat_raw, mut chat_gzip) = (0, 0, 0, 0);
    let (mut br_total, mut chat_br) = (0, 0);
    for asset in &assets {
        let when = if asset.on_demand {
            "on demand"
        } else {
            "first load"
        };
        println!(
            "  {:<44} {:>10} {:>10} {:>10}  {when}",
            asset.name, asset.raw, asset.gzip, asset.brotli
        );
        if asset.on_demand {
            chat_raw += asset.raw;
            chat_gzip += asset.gzip;
            chat_br += asset.brotli;
        } else {
            raw_total += asset.raw;
            gzip_total += asset.gzip;
            br_total += asset.brotli;
        }
    }
    println!(
        "  {:<44} {:>10} {:>10} {:>10}  first load",
        "total", raw_total, gzip_total, br_total
    );
    println!(
        "  {:<44} {:>10} {:>10} {:>10}  on demand",
        "chat module", chat_raw, chat_gzip, chat_br
    );
    let loader = assets
        .iter()
        .find(|a| a.name == "launch.js")
        .ok_or("no launch.js in dist/")?;
    let (loader_raw, loader_gzip) = (loader.raw, loader.gzip);

    banner("bench: browser timings (e2e/bench.mjs in headless Chromium)");
    let results_path = root.join(BROWSER_RESULTS);
    fs::create_dir_all(root.join("target/bench"))
        .map_err(|err| format!("cannot create target/bench: {err}"))?;
    exec(
        Command::new("node")
            .arg("bench.mjs")
            .arg(&results_path)
            .current_dir(root.join("e2e"))
            .env("TILEDESK_SERVER_BIN", root.join(SERVER_BIN))
            .env("TILEDESK_WIDGET_DIST", root.join("dist"))
            .env("CHROMIUM_PATH", CHROMIUM),
    )?;
    let browser = read_json(&results_path)?;
    let launcher = samples(&browser, "launcher_visible_ms")?;
    let reply = samples(&browser, "reply_latency_ms")?;
    let launcher_median = median(&launcher);
    let reply_median = median(&reply);
    let loader_main = samples(&browser, "loader_main_thread_ms")?;
    let loader_main_median = median(&loader_main);
    let iframe_insertion = samples(&browser, "iframe_insertion_ms")?;
    let iframe_insertion_median = median(&iframe_insertion);
    let click = samples(&browser, "click_to_composer_ms/loopback")?;
    let click_slow = samples(&browser, "click_to_composer_ms/slow_network")?;
    let (click_median, click_slow_median) = (median(&click), median(&click_slow));
    // Until the chat module's own composer has it (the shell's frame takes text before).
    let chat_click = samples(&browser, "click_to_chat_composer_ms/loopback")?;
    let chat_click_slow = samples(&browser, "click_to_chat_composer_ms/slow_network")?;
    let (chat_click_median, chat_click_slow_median) =
        (median(&chat_click), median(&chat_click_slow));
    let chat_fetched = browser["cold_load_chat_fetches"]
        .as_f64()
        .ok_or("the browser results lack cold_load_chat_fetches")?;

    banner("bench: server load (50 keep-alive clients for 10 s, webhook receiver on loopback)");
    exec(cargo().args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "tiledesk-local",
        "--example",
        "load",
        "--",
        "--clients",
        "50",
        "--seconds",
        "10",
        "--out",
        LOAD_RESULTS,
    ]))?;
    let load = read_json(&root.join(LOAD_RESULTS))?;

    banner(
        "bench: 10,000 idle visitor WebSockets (each subscribed), then posts timed to their frames",
    );
    // A file descriptor per socket on each side: the soft limit raised to the hard one.
    exec(Command::new("sh").arg("-c").arg(format!(
        "ulimit -n \"$(ulimit -Hn)\" && exec \"$0\" run --quiet --release -p tiledesk-local --example sockets -- \
         --visitors {IDLE_SOCKETS} --out {SOCKETS_RESULTS}"
    )).arg(cargo().get_program()))?;
    let sockets = read_json(&root.join(SOCKETS_RESULTS))?;
    let socket_number = |pointer: &str| {
        sockets
            .pointer(pointer)
            .and_then(Value::as_f64)
            .unwrap_or(f64::NAN)
    };
    let number = |pointer: &str| {
        load.pointer(pointer)
            .and_then(Value::as_f64)
            .unwrap_or(f64::NAN)
    };

    let budgets = vec![
        budget(
            "first load",
            "gzip bytes",
            gzip_total as f64,
            FIRST_LOAD_BUDGET as f64,
        ),
        budget(
            "chat module",
            "gzip bytes",
            chat_gzip as f64,
            CHAT_MODULE_BUDGET as f64,
        ),
        budget(
            "click to composer, loopback (median)",
            "ms",
            click_median,
            CLICK_TO_COMPOSER_BUDGET_MS,
        ),
        budget(
            "click to composer, slow network (median)",
            "ms",
            click_slow_median,
            CLICK_TO_COMPOSER_SLOW_BUDGET_MS,
        ),
        budget(
            "chat module fetched by quiet cold loads",
            "requests",
            chat_fetched,
            0.0,
        ),
        budget(
            "launcher visible (median)",
            "ms",
            launcher_median,
            LAUNCHER_BUDGET_MS,
        ),
        budget(
            "loader size",
            "gzip bytes",
            loader_gzip as f64,
            LOADER_GZIP_BUDGET as f64,
        ),
        budget(
            "loader host main-thread time (median)",
            "ms",
            loader_main_median,
            LOADER_MAIN_THREAD_BUDGET_MS,
        ),
        budget(
            "1,000-message conversation rendered",
            "ms",
            browser
                .pointer("/long_conversation/ms")
                .and_then(Value::as_f64)
                .unwrap_or(f64::NAN),
            LONG_CONVERSATION_BUDGET_MS,
        ),
        minimum(
            "message posts per second",
            "posts/s",
            number("/posts_per_second"),
            POSTS_PER_SECOND_BUDGET,
        ),
        budget(
            "message post p99",
            "ms",
            number("/post_latency_ms/p99"),
            POST_P99_BUDGET_MS,
        ),
        budget(
            "webhook delivery p50",
            "ms",
            number("/webhook_latency_ms/p50"),
            WEBHOOK_P50_BUDGET_MS,
        ),
        budget("webhook events lost", "events", number("/events_lost"), 0.0),
        minimum(
            "idle visitor WebSockets held",
            "sockets",
            socket_number("/visitors"),
            f64::from(IDLE_SOCKETS),
        ),
        budget(
            "server memory holding them",
            "MB",
            (socket_number("/rss_bytes/held") / 1e6).round(),
            IDLE_SOCKETS_RSS_BUDGET_MB,
        ),
        budget(
            "post → frame p99 while they are held",
            "ms",
            socket_number("/post_to_frame_ms/p99"),
            IDLE_SOCKETS_P99_BUDGET_MS,
        ),
    ];
    let report = json!({
        "assets": assets.iter().map(|a| json!({"file": a.name, "raw": a.raw, "gzip": a.gzip, "brotli": a.brotli, "on_demand": a.on_demand})).collect::<Vec<_>>(),
        "first_load": {"raw": raw_total, "gzip": gzip_total, "brotli": br_total},
        "chat_module": {"raw": chat_raw, "gzip": chat_gzip, "brotli": chat_br},
        "launcher_visible_ms": {"median": launcher_median, "samples": launcher},
        "launcher_phases_median_ms": browser["launcher_phases_median_ms"],
        "loader": {
            "raw": loader_raw,
            "gzip": loader_gzip,
            "main_thread_ms": {"median": loader_main_median, "samples": loader_main},
            "browser_iframe_insertion_ms": {"median": iframe_insertion_median, "samples": iframe_insertion},
        },
        "reply_latency_ms": {"median": reply_median, "samples": reply},
        "click_to_composer_ms": {
            "loopback": {"median": click_median, "samples": click},
            "slow_network": {"median": click_slow_median, "samples": click_slow},
        },
        "click_to_chat_composer_ms": {
            "loopback": {"median": chat_click_median, "samples": chat_click},
            "slow_network": {"median": chat_click_slow_median, "samples": chat_click_slow},
        },
        "long_conversation": browser["long_conversation"],
        "server_load": load,
        "idle_sockets": sockets,
        "budgets": budgets,
    });
    let text = serde_json::to_string_pretty(&report).map_err(|err| err.to_string())?;
    fs::write(root.join(REPORT), text + "\n")
        .map_err(|err| format!("cannot write {REPORT}: {err}"))?;

    banner("bench: report");
    println!(
        "  first load:        {raw_total} bytes raw, {gzip_total} gzip, {br_total} brotli; chat module on demand {chat_raw} raw, {chat_gzip} gzip, {chat_br} brotli"
    );
    println!(
        "  launcher visible:  median {launcher_median:.1} ms over {} cold loads",
        launcher.len()
    );
    println!(
        "  loader:            {loader_raw} bytes raw, {loader_gzip} bytes gzip, host main thread median {loader_main_median:.2} ms over {} loads",
        loader_main.len()
    );
    println!(
        "                     of which Chromium inserting the cross-origin iframe: median {iframe_insertion_median:.2} ms alone on a bare page"
    );
    println!(
        "  agent reply shown: median {reply_median:.1} ms over {} replies",
        reply.len()
    );
    println!(
        "  click → composer:  median {click_median:.1} ms on loopback, {click_slow_median:.1} ms on the slow network, over {} first visits each",
        click.len()
    );
    println!(
        "                     the chat module's composer: median {chat_click_median:.1} ms on loopback, {chat_click_slow_median:.1} ms on the slow network"
    );
    let long = &browser["long_conversation"];
    println!(
        "  1,000 messages:    newest shown in {:.1} ms; JS heap {} B, wasm memory {} B, {} elements, {} messages rendered",
        long["ms"].as_f64().unwrap_or(f64::NAN), long["jsHeapBytes"], long["wasmMemoryBytes"], long["domNodes"], long["messagesRendered"]
    );
    for budget in &budgets {
        println!(
            "  {:<5} {}: {} {} (budget {} {})",
            budget["status"].as_str().unwrap_or_default(),
            budget["name"].as_str().unwrap_or_default(),
            budget["value"],
            budget["unit"].as_str().unwrap_or_default(),
            budget["limit"],
            budget["unit"].as_str().unwrap_or_default(),
        );
    }
    println!("  written to {REPORT}");
    Ok(())
}

struct Asset {
    name: String,
    raw: u64,
    gzip: u64,
    /// As the build precompressed it for HTTPS browsers (the `.br` beside it).
    brotli: u64,
    /// The chat module, fetched only when the visitor or the page needs the chat.
    on_demand: bool,
}

/// launch.js, index.html and every .js, .wasm and .css file at the top of `dist`.
fn dist_assets(dist: &Path) -> Result<Vec<Asset>> {
    let entries =
        fs::read_dir(dist).map_err(|err| format!("cannot read {}: {err}", dist.display()))?;
    let mut assets = Vec::new();
    for entry in entries {
        let path = entry.map_err(|err| err.to_string())?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let wanted = name == "index.html"
            || [".js", ".wasm", ".css"]
                .iter()
                .any(|ext| name.ends_with(ext));
        if !path.is_file() || !wanted {
            continue;
        }
        // The sizes that travel: the copies the build precompressed beside the file.
        let size = |suffix: &str| {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            fs::metadata(&file).map(|m| m.len()).map_err(|err| {
                format!(
                    "cannot read {}: {err}; run `cargo xtask build`",
                    file.to_string_lossy()
                )
            })
        };
        assets.push(Asset {
            on_demand: name.starts_with(build::CHAT_MODULE_PREFIX),
            raw: size("")?,
            gzip: size(".gz")?,
            brotli: size(".br")?,
            name,
        });
    }
    for on_demand in [false, true] {
        if !assets
            .iter()
            .any(|a| a.on_demand == on_demand && a.name.ends_with(".wasm"))
        {
            return Err(format!(
                "dist/ lacks the {} wasm: run `cargo xtask build`",
                if on_demand {
                    "chat module's"
                } else {
                    "shell's"
                }
            ));
        }
    }
    assets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(assets)
}

/// The numbers at `key` of `results` (a path such as `a/b` for nested ones).
fn samples(results: &Value, key: &str) -> Result<Vec<f64>> {
    let list: Vec<f64> = results
        .pointer(&format!("/{key}"))
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    if list.is_empty() {
        return Err(format!("{BROWSER_RESULTS} has no samples for `{key}`"));
    }
    Ok(list)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// One "at most" budget line of the report; whole numbers stay integers in the JSON.
fn budget(name: &str, unit: &str, value: f64, limit: f64) -> Value {
    budget_line(name, unit, value, limit, value <= limit)
}

/// One "at least" budget line of the report.
fn minimum(name: &str, unit: &str, value: f64, floor: f64) -> Value {
    budget_line(name, unit, value, floor, value >= floor)
}

fn budget_line(name: &str, unit: &str, value: f64, limit: f64, met: bool) -> Value {
    let status = match (met, value <= limit) {
        (true, _) => "PASS",
        (false, true) => "UNDER",
        (false, false) => "OVER",
    };
    let number = |x: f64| {
        if x.fract() == 0.0 && x.is_finite() {
            json!(x as u64)
        } else {
            json!((x * 10.0).round() / 10.0)
        }
    };
    json!({"name": name, "unit": unit, "value": number(value), "limit": number(limit), "status": status})
}
