//! `GET /`: the realtime WebSocket when upgrading, else the widget demo page (or the server's name).

use axum::extract::ws::{rejection::WebSocketUpgradeRejection, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::public_base_url;
use crate::auth;
use crate::error::ApiError;
use crate::realtime::session;
use crate::state::AppState;

/// Largest WebSocket message a client may send.
const MAX_WS_MESSAGE: usize = 64 * 1024;
/// Read and write buffer of each WebSocket: tungstenite's 128 KiB defaults cost about 140 KiB
/// per idle socket (10,000 idle sockets: 1,465 MB resident, 254 MB with 4 KiB, same latency).
const WS_BUFFER: usize = 4 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(index))
}

/// Answer of `GET /` without a widget folder.
#[derive(Serialize, ToSchema)]
struct ServerName {
    /// Always `tiledesk-local`.
    name: &'static str,
}

/// `?token=JWT%20<jwt>` of the WebSocket handshake.
#[derive(Deserialize)]
struct SocketParams {
    token: Option<String>,
}

/// The realtime WebSocket when upgrading (`?token=JWT%20<jwt>`; frames `subscribe`,
/// `unsubscribe`, `heartbeat` and `publish` on topics `/<project_id>/requests` (agents),
/// `/<project_id>/requests/<request_id>`, `/<project_id>/requests/<request_id>/messages` and
/// `/<project_id>/events/<project_user_id>`); otherwise the widget demo page, or the server's name.
#[utoipa::path(get, path = "/", tag = "server", security(()),
    responses(
        (status = 101, description = "Switching to the realtime WebSocket"),
        (status = 200, description = "The demo page (with a widget folder) or the server's name",
            content((ServerName = "application/json"), (String = "text/html")))))]
async fn index(
    State(state): State<AppState>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    match upgrade {
        Ok(upgrade) => {
            let Query(params) = Query::<SocketParams>::try_from_uri(&uri)?;
            let token = params.token.ok_or(ApiError::Unauthorized(
                "Authentication required: connect with ?token=JWT%20<token>.",
            ))?;
            let caller = auth::from_token(&state, &token).await?;
            Ok(upgrade
                .max_message_size(MAX_WS_MESSAGE)
                .read_buffer_size(WS_BUFFER)
                .write_buffer_size(WS_BUFFER)
                .on_upgrade(move |socket| session::run(socket, state, caller))
                .into_response())
        }
        Err(rejection) if headers.contains_key(header::UPGRADE) => {
            Err(ApiError::BadRequest(rejection.body_text()))
        }
        Err(_) if state.widget_page => Ok(demo_page(&state, &headers)?.into_response()),
        Err(_) => Ok(Json(ServerName {
            name: "tiledesk-local",
        })
        .into_response()),
    }
}

/// Escapes text for HTML content and attribute values.
fn escape_html(text: &str) -> String {
    text.chars()
        .fold(String::with_capacity(text.len()), |mut out, c| {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                _ => out.push(c),
            }
            out
        })
}

/// A host page embedding the widget of the demo project with the standard Tiledesk snippet.
fn demo_page(state: &AppState, headers: &HeaderMap) -> Result<Html<String>, ApiError> {
    let base = escape_html(&public_base_url(headers)?);
    let body = match &state.demo {
        Some(demo) => {
            let project = escape_html(&demo.project_id);
            let email = escape_html(&demo.email);
            format!(
                r#"<p>This page embeds the chat widget of the demo project <code>{project}</code> the way any website
does, with the standard Tiledesk snippet. Open the launcher in the bottom corner and send a message: it starts a conversation.</p>
<p>Answer as the project's agent in the <a href="/console/">agent console</a>: sign in as <code>{email}</code>
with the password printed when the server starts (kept in <code>demo.json</code> in the data folder). Or list the
conversations and post to one of them:</p>
<pre>curl -u '{email}:PASSWORD' {base}{project}/requests

curl -u '{email}:PASSWORD' -H 'Content-Type: application/json' \
  -d '{{"text":"Hello, how can I help?"}}' \
  {base}{project}/requests/REQUEST_ID/messages</pre>
<script>
  window.tiledeskSettings = {{ projectid: "{project}" }};
  (function (d, s, id) {{
    var w = window, f = function () {{ f.c(arguments) }}; f.q = []; f.c = function (a) {{ f.q.push(a) }};
    w.Tiledesk = f;
    var js, fjs = d.getElementsByTagName(s)[0]; if (d.getElementById(id)) return;
    js = d.createElement(s); js.id = id; js.async = true; js.src = "/widget/launch.js";
    fjs.parentNode.insertBefore(js, fjs);
  }})(document, "script", "tiledesk-jssdk");
</script>"#
            )
        }
        None => "<p>No demo project is known: <code>demo.json</code> is missing from the data folder.</p>"
            .to_owned(),
    };
    Ok(Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tiledesk-local demo</title>
<link rel="icon" href="data:,">
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}
  pre {{ background: #f3f4f6; padding: 1rem; white-space: pre-wrap; word-break: break-all; }}
</style>
</head>
<body>
<h1>tiledesk-local demo</h1>
{body}
</body>
</html>
"#
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
