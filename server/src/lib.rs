//! tiledesk-local: a Tiledesk-compatible chat API server; this library opens the data folder and serves it.

mod app;
mod auth;
mod cache;
mod client_address;
mod clock;
mod config;
mod connections;
mod conversation;
mod data_dir;
mod demo;
mod domain;
mod error;
mod extract;
mod handling;
mod previews;
mod random;
mod rate_limit;
mod realtime;
mod request_limits;
mod routes;
mod routing;
mod state;
mod store;
mod webhooks;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{ensure, Context};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use config::Config;
pub use demo::DemoCredentials;

use auth::jwt::JwtKeys;
use auth::lockout::Lockout;
use rate_limit::RateLimiter;
use realtime::hub::Hub;
use state::AppState;
use store::group_commit::GroupCommit;
use store::Database;
use webhooks::Wakeup;

/// A server that has opened its data and bound its address, ready to serve.
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    router: Router,
    database: Database,
    webhooks: (webhooks::Settings, Wakeup, GroupCommit),
    connections: connections::Settings,
    demo: Option<DemoCredentials>,
}

impl Server {
    /// Opens (or initialises) the data folder, makes the demo project on first start and binds.
    pub async fn start(config: &Config) -> anyhow::Result<Self> {
        if let Some(dir) = &config.widget_dir {
            ensure!(
                dir.is_dir(),
                "the widget folder {} does not exist",
                dir.display()
            );
        }
        let console_dir = config.console_folder();
        if let Some(dir) = &console_dir {
            ensure!(
                dir.is_dir(),
                "the console folder {} does not exist",
                dir.display()
            );
        }
        data_dir::create(&config.data)?;
        let secret = data_dir::jwt_secret(&config.data)?;
        let uploads_dir = config.data.join(data_dir::UPLOADS_DIR);
        data_dir::create(&uploads_dir)?;
        let database = store::open(&config.data).await?;
        let demo = demo::ensure(&database.write, &config.data).await?;
        let lifetime = i64::try_from(config.token_lifetime_secs).unwrap_or(i64::MAX);
        let wakeup = Wakeup::default();
        let commits = GroupCommit::start(database.write.clone(), database.read.clone())
            .context("starting the writer")?;
        let state = AppState {
            db: database.read.clone(),
            writer: database.write.clone(),
            commits: commits.clone(),
            cache: Arc::new(cache::Cache::new()),
            jwt: Arc::new(JwtKeys::new(secret, lifetime)),
            hub: Hub::default(),
            demo: demo.clone().map(Arc::new),
            body_timeout: Duration::from_secs(config.body_timeout_secs),
            ws_ping: config.ws_ping_interval(),
            widget_page: config.widget_dir.is_some(),
            webhooks: wakeup.clone(),
            limiter: Arc::new(RateLimiter::new(config.rate_limit_per_minute)),
            lockout: Arc::new(Lockout::new(config.signin_failures_per_address)),
            allow_private_webhook_targets: config.allow_private_webhook_targets,
            signup: config.signup,
            uploads_dir: uploads_dir.into(),
            max_upload_bytes: usize::try_from(config.max_upload_bytes).unwrap_or(usize::MAX),
            previews: Arc::new(previews::Previewer::new(
                config.allow_private_link_previews,
            )?),
        };
        let router = app::build(state, config.widget_dir.as_deref(), console_dir.as_deref());
        let listener = TcpListener::bind(&config.addr)
            .await
            .with_context(|| format!("listening on {}", config.addr))?;
        let local_addr = listener.local_addr()?;
        Ok(Self {
            listener,
            local_addr,
            router,
            database,
            webhooks: (config.webhook_settings(), wakeup, commits),
            connections: config.connection_settings(),
            demo,
        })
    }

    /// The address actually bound (the real port when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The demo credentials, when known.
    pub fn demo(&self) -> Option<&DemoCredentials> {
        self.demo.as_ref()
    }

    /// Serves (and delivers webhooks) until `shutdown` resolves, then closes the database.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) {
        let (stop, mut stopped) = watch::channel(false);
        let (settings, wakeup, commits) = self.webhooks;
        let worker = tokio::spawn(webhooks::worker::run(
            self.database.clone(),
            commits,
            settings,
            wakeup,
            async move {
                let _ = stopped.changed().await;
            },
        ));
        connections::serve(self.listener, self.router, self.connections, shutdown).await;
        let _ = stop.send(true);
        let _ = worker.await;
        self.database.close().await;
    }
}
