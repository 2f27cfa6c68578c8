//! tiledesk-local: a Tiledesk-compatible chat API server; this library opens the data folder and serves it.

mod app;
mod auth;
mod clock;
mod config;
mod conversation;
mod data_dir;
mod demo;
mod domain;
mod error;
mod extract;
mod random;
mod realtime;
mod routes;
mod state;
mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{ensure, Context};
use axum::Router;
use sqlx::SqlitePool;
use tokio::net::TcpListener;

pub use config::Config;
pub use demo::DemoCredentials;

use auth::jwt::JwtKeys;
use realtime::hub::Hub;
use state::AppState;

/// A server that has opened its data and bound its address, ready to serve.
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    router: Router,
    pool: SqlitePool,
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
        data_dir::create(&config.data)?;
        let secret = data_dir::jwt_secret(&config.data)?;
        let pool = store::open(&config.data).await?;
        let demo = demo::ensure(&pool, &config.data).await?;
        let state = AppState {
            db: pool.clone(),
            jwt: Arc::new(JwtKeys::new(secret)),
            hub: Hub::default(),
            demo: demo.clone().map(Arc::new),
            ws_ping: config.ws_ping_interval(),
            widget_page: config.widget_dir.is_some(),
        };
        let router = app::build(state, config.widget_dir.as_deref());
        let listener = TcpListener::bind(&config.addr)
            .await
            .with_context(|| format!("listening on {}", config.addr))?;
        let local_addr = listener.local_addr()?;
        Ok(Self {
            listener,
            local_addr,
            router,
            pool,
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

    /// Serves until `shutdown` resolves, then closes the database.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving")?;
        self.pool.close().await;
        Ok(())
    }
}
