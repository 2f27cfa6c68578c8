//! `tiledesk-local` command: parses the configuration, starts the server and prints where it listens.

use std::io::{IsTerminal, Write};

use clap::Parser;
use tiledesk_local::{Config, Server};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();

    let server = Server::start(&config).await?;
    let mut stdout = std::io::stdout().lock();
    if let Some(demo) = server.demo() {
        writeln!(stdout, "{demo}")?;
    }
    writeln!(
        stdout,
        "tiledesk-local listening on http://{}",
        server.local_addr()
    )?;
    stdout.flush()?;
    drop(stdout);

    server.serve(shutdown_signal()).await;
    Ok(())
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
