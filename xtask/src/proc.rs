//! Running external commands with step banners, echoed command lines and clear errors.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Every fallible xtask step reports a human-readable message.
pub type Result<T = ()> = std::result::Result<T, String>;

/// Prints a step banner.
pub fn banner(title: &str) {
    println!("\n==> {title}");
    let _ = std::io::stdout().flush();
}

/// `cargo`, the one that runs xtask when there is one.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The command line as a shell user would type it.
fn display(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs `cmd` with inherited stdio; an error unless it starts and exits with status 0.
pub fn exec(cmd: &mut Command) -> Result {
    let line = display(cmd);
    match cmd.get_current_dir() {
        Some(dir) => println!("$ (cd {} && {line})", dir.display()),
        None => println!("$ {line}"),
    }
    let _ = std::io::stdout().flush();
    let status = cmd
        .status()
        .map_err(|err| format!("could not start `{line}`: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// The trimmed stdout of `cmd` if it starts and succeeds; `None` otherwise (stderr is discarded).
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// `PATH` with `tools/node_modules/.bin` first, so trunk finds the pinned wasm-opt.
pub fn tools_path(root: &Path) -> Result<OsString> {
    let bin = root.join("tools/node_modules/.bin");
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let paths = std::iter::once(bin).chain(std::env::split_paths(&rest));
    std::env::join_paths(paths).map_err(|err| format!("cannot build PATH: {err}"))
}
