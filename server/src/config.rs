//! Command-line and environment configuration of the server.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// How `tiledesk-local` is started; every option can also come from its environment variable.
#[derive(Debug, Clone, Parser)]
#[command(name = "tiledesk-local", version, about)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (the real one is printed).
    #[arg(long, env = "TILEDESK_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: String,

    /// Folder holding the database, the JWT secret and demo.json (created if missing).
    #[arg(long, env = "TILEDESK_DATA", default_value = "./data")]
    pub data: PathBuf,

    /// Folder of the built widget to serve under /widget/, with a demo page on /.
    #[arg(long, env = "TILEDESK_WIDGET_DIR")]
    pub widget_dir: Option<PathBuf>,

    /// Seconds between WebSocket pings; a client silent for two intervals is dropped.
    #[arg(long, env = "TILEDESK_WS_PING_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub ws_ping_secs: u64,
}

impl Config {
    /// The WebSocket ping interval.
    pub fn ws_ping_interval(&self) -> Duration {
        Duration::from_secs(self.ws_ping_secs)
    }
}
