//! The state shared by every handler.

use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;

use crate::auth::jwt::JwtKeys;
use crate::demo::DemoCredentials;
use crate::realtime::hub::Hub;

/// Database, signing keys, the realtime hub and startup settings.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub jwt: Arc<JwtKeys>,
    pub hub: Hub,
    /// The demo project and owner the demo page shows, when known.
    pub demo: Option<Arc<DemoCredentials>>,
    /// Interval of WebSocket pings.
    pub ws_ping: Duration,
    /// Whether `GET /` shows the widget demo page (a widget folder is served).
    pub widget_page: bool,
}
