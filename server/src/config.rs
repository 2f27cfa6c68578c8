//! Command-line and environment configuration of the server.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};

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

    /// Folder of the built agent console to serve under /console/ (default: `console` in the
    /// widget folder, when there is one).
    #[arg(long, env = "TILEDESK_CONSOLE_DIR")]
    pub console_dir: Option<PathBuf>,

    /// Seconds a new connection has to send its first request head (a silent or half-sent one is
    /// closed).
    #[arg(long, env = "TILEDESK_HEADER_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout_secs: u64,

    /// Seconds a kept-alive connection may wait for, and take to send, its next request head.
    #[arg(long, env = "TILEDESK_IDLE_TIMEOUT_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub idle_timeout_secs: u64,

    /// Seconds a request body has to arrive in full (408 JSON otherwise).
    #[arg(long, env = "TILEDESK_BODY_TIMEOUT_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout_secs: u64,

    /// Connections one client address may hold open at once (WebSockets included; an IPv6
    /// address counts by its /64); more are closed at once. Behind a reverse proxy every client
    /// has the proxy's address: raise it there.
    #[arg(long, env = "TILEDESK_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections_per_address: u32,

    /// Seconds between WebSocket pings; a client silent for two intervals is dropped.
    #[arg(long, env = "TILEDESK_WS_PING_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub ws_ping_secs: u64,

    /// Seconds a token issued by the server stays valid (default 30 days).
    #[arg(long, env = "TILEDESK_TOKEN_LIFETIME_SECS", default_value_t = 30 * 24 * 60 * 60,
          value_parser = clap::value_parser!(u64).range(1..=10 * 365 * 24 * 60 * 60))]
    pub token_lifetime_secs: u64,

    /// Requests each user with valid credentials, and each client address for everything else
    /// (no or failed authentication), may make per minute (an IPv6 address counts by its /64).
    #[arg(long, env = "TILEDESK_RATE_LIMIT_PER_MINUTE", default_value_t = 600,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_per_minute: u32,

    /// Failed password checks (Basic auth, /auth/signin) one address may make, over any accounts,
    /// before each further check waits (2 s, doubling, up to 15 min; forgotten after an hour).
    /// One account from one address waits after 5, one account from anywhere after 20 (at most 60 s).
    #[arg(long, env = "TILEDESK_SIGNIN_FAILURES_PER_ADDRESS", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub signin_failures_per_address: u32,

    /// Milliseconds a webhook target has to answer one delivery.
    #[arg(long, env = "TILEDESK_WEBHOOK_TIMEOUT_MS", default_value_t = 5000,
          value_parser = clap::value_parser!(u64).range(1..=600_000))]
    pub webhook_timeout_ms: u64,

    /// Milliseconds before the first webhook retry; each further retry waits twice as long.
    #[arg(long, env = "TILEDESK_WEBHOOK_RETRY_BASE_MS", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    pub webhook_retry_base_ms: u64,

    /// Delivery attempts of one webhook before it is given up (each is logged).
    #[arg(long, env = "TILEDESK_WEBHOOK_MAX_ATTEMPTS", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub webhook_max_attempts: u32,

    /// Lets webhooks target loopback, private, link-local and other non-public addresses, which are
    /// refused by default (anyone who signs up could make the server call into its own network).
    #[arg(long, env = "TILEDESK_ALLOW_PRIVATE_WEBHOOK_TARGETS",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub allow_private_webhook_targets: bool,

    /// Lets link previews (`POST /:project_id/url-preview`) fetch pages on loopback, private and
    /// other non-public addresses, which are refused by default.
    #[arg(long, env = "TILEDESK_ALLOW_PRIVATE_LINK_PREVIEWS",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub allow_private_link_previews: bool,

    /// Largest file `POST /:project_id/files/chat` takes, in bytes (413 over it; default 10 MiB).
    #[arg(long, env = "TILEDESK_MAX_UPLOAD_BYTES", default_value_t = 10 * 1024 * 1024,
          value_parser = clap::value_parser!(u32).range(1..=1024 * 1024 * 1024))]
    pub max_upload_bytes: u32,

    /// Whether anyone may create an account with `POST /auth/signup` (`closed`: 403; the demo
    /// owner is still made on first start, and visitors still sign in anonymously).
    #[arg(long, env = "TILEDESK_SIGNUP", value_enum, default_value_t = Signup::Open)]
    pub signup: Signup,
}

/// Who may sign up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Signup {
    /// Anyone.
    Open,
    /// No one: existing accounts (and the demo owner made on first start) keep signing in.
    Closed,
}

impl Config {
    /// The console folder to serve: the one given (which must exist), else the widget folder's
    /// `console` when it exists.
    pub fn console_folder(&self) -> Option<PathBuf> {
        match (&self.console_dir, &self.widget_dir) {
            (Some(dir), _) => Some(dir.clone()),
            (None, Some(widget)) => Some(widget.join("console")).filter(|dir| dir.is_dir()),
            (None, None) => None,
        }
    }

    /// The WebSocket ping interval.
    pub fn ws_ping_interval(&self) -> Duration {
        Duration::from_secs(self.ws_ping_secs)
    }

    /// How connections are treated.
    pub fn connection_settings(&self) -> crate::connections::Settings {
        crate::connections::Settings {
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            idle_timeout: Duration::from_secs(self.idle_timeout_secs),
            max_per_address: usize::try_from(self.max_connections_per_address)
                .unwrap_or(usize::MAX),
        }
    }

    /// How webhooks are delivered.
    pub fn webhook_settings(&self) -> crate::webhooks::Settings {
        crate::webhooks::Settings {
            timeout: Duration::from_millis(self.webhook_timeout_ms),
            retry_base: Duration::from_millis(self.webhook_retry_base_ms),
            max_attempts: self.webhook_max_attempts,
            allow_private: self.allow_private_webhook_targets,
        }
    }
}
