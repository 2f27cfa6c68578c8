//! Calls to the Tiledesk REST API through gloo-net, with errors turned into readable text.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use tiledesk_protocol::preview::{UrlPreview, UrlPreviewRequest};
use tiledesk_protocol::{
    AnonymousSignin, AuthResponse, ErrorBody, Message, NewMessage, Rating, Request as Conversation,
    RequestPage, StatusUpdate, WaitingTime, WidgetConfig,
};

/// Why a call to the API did not give the expected answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached.
    Network,
    /// The token was refused (401): the visitor must sign in again.
    Unauthorized,
    /// The server answered with an error status and, where it gave one, a reason.
    Refused { status: u16, reason: Option<String> },
    /// The server answered 2xx with a body the widget cannot read.
    Unreadable,
}

impl ApiError {
    /// Whether the same request may succeed later: the server was unreachable, busy (429) or failing (5xx),
    /// or stored the message but its answer was lost in a garbled body.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Network | ApiError::Unreadable => true,
            ApiError::Refused { status, .. } => *status == 429 || *status >= 500,
            ApiError::Unauthorized => false,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Network => {
                f.write_str("Can't reach the chat service. Check your connection and try again.")
            }
            ApiError::Unauthorized => {
                f.write_str("Your chat session has expired. Please try again.")
            }
            ApiError::Refused {
                status,
                reason: Some(reason),
            } => {
                write!(
                    f,
                    "The chat service refused the message ({status}): {reason}"
                )
            }
            ApiError::Refused {
                status,
                reason: None,
            } => {
                write!(f, "The chat service refused the message ({status}).")
            }
            ApiError::Unreadable => {
                f.write_str("The chat service sent an answer the widget can't read.")
            }
        }
    }
}

/// The `apiUrl` named by `widget-config.json` next to the widget's `index.html`, if there is one.
pub async fn configured_api_url() -> Option<String> {
    let response = Request::get("widget-config.json").send().await.ok()?;
    if !response.ok() {
        return None;
    }
    let config: serde_json::Value = response.json().await.ok()?;
    config.get("apiUrl")?.as_str().map(str::to_owned)
}

/// `POST {base}auth/signinAnonymously`: a new guest of the project.
pub async fn sign_in_anonymously(base: &str, project_id: &str) -> Result<AuthResponse, ApiError> {
    let body = AnonymousSignin {
        id_project: project_id.to_owned(),
        ..AnonymousSignin::default()
    };
    let request = Request::post(&format!("{base}auth/signinAnonymously"))
        .json(&body)
        .map_err(|_| ApiError::Unreadable)?;
    read(request.send().await).await
}

/// `POST {base}auth/signinWithCustomToken`: the visitor the website owner signed with the project secret.
pub async fn sign_in_with_custom_token(base: &str, jwt: &str) -> Result<AuthResponse, ApiError> {
    let authorization = match jwt.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("jwt ") => jwt.to_owned(),
        _ => format!("JWT {jwt}"),
    };
    let request = Request::post(&format!("{base}auth/signinWithCustomToken"))
        .header("Authorization", &authorization);
    read(request.send().await).await
}

/// `GET {base}:project/widgets`: the project's public widget configuration.
pub async fn widget_config(base: &str, project_id: &str) -> Result<WidgetConfig, ApiError> {
    let url = format!("{base}{}/widgets", js_sys::encode_uri_component(project_id));
    read(Request::get(&url).send().await).await
}

/// `GET {base}:project/publicanalytics/waiting/current`: how long the project's visitors waited
/// for a first answer lately (public; an empty list when unknown).
pub async fn waiting_time(base: &str, project_id: &str) -> Result<Vec<WaitingTime>, ApiError> {
    let url = format!(
        "{base}{}/publicanalytics/waiting/current",
        js_sys::encode_uri_component(project_id)
    );
    read(Request::get(&url).send().await).await
}

/// `POST {base}:project/url-preview`: what the pages at `urls` (at most 10) say about themselves,
/// one line per address.
pub async fn url_previews(
    base: &str,
    token: &str,
    project_id: &str,
    urls: Vec<String>,
) -> Result<Vec<UrlPreview>, ApiError> {
    let url = format!(
        "{base}{}/url-preview",
        js_sys::encode_uri_component(project_id)
    );
    let request = Request::post(&url)
        .header("Authorization", token)
        .json(&UrlPreviewRequest { urls })
        .map_err(|_| ApiError::Unreadable)?;
    read(request.send().await).await
}

/// `GET {base}:project/labels/:LANG`: the project's labels for a language (`{data: {KEY: text}}`).
pub async fn labels(
    base: &str,
    project_id: &str,
    lang: &str,
) -> Result<serde_json::Value, ApiError> {
    let url = format!(
        "{base}{}/labels/{}",
        js_sys::encode_uri_component(project_id),
        js_sys::encode_uri_component(lang)
    );
    read(Request::get(&url).send().await).await
}

/// `POST {base}:project/events`: an event named `name` (as the Tiledesk widget reports them).
pub async fn post_event(
    base: &str,
    token: &str,
    project_id: &str,
    name: &str,
    attributes: &serde_json::Value,
) -> Result<(), ApiError> {
    let url = format!("{base}{}/events", js_sys::encode_uri_component(project_id));
    let body = serde_json::json!({ "name": name, "attributes": attributes });
    let request = Request::post(&url)
        .header("Authorization", token)
        .json(&body)
        .map_err(|_| ApiError::Unreadable)?;
    read::<serde_json::Value>(request.send().await)
        .await
        .map(drop)
}

/// `POST {base}:project/requests/:request/messages`: the stored message (the first one creates the request).
pub async fn post_message(
    base: &str,
    token: &str,
    project_id: &str,
    request_id: &str,
    message: &NewMessage,
) -> Result<Message, ApiError> {
    let request = Request::post(&messages_url(base, project_id, request_id))
        .header("Authorization", token)
        .json(message)
        .map_err(|_| ApiError::Unreadable)?;
    read(request.send().await).await
}

/// `GET {base}:project/requests/:request/messages`: the conversation, oldest first.
pub async fn messages(
    base: &str,
    token: &str,
    project_id: &str,
    request_id: &str,
) -> Result<Vec<Message>, ApiError> {
    let request =
        Request::get(&messages_url(base, project_id, request_id)).header("Authorization", token);
    read(request.send().await).await
}

/// `PUT {base}:project/requests/:request/messages/status`: the visitor has received or seen the
/// others' messages up to `update.until`.
pub async fn mark_status(
    base: &str,
    token: &str,
    project_id: &str,
    request_id: &str,
    update: &StatusUpdate,
) -> Result<(), ApiError> {
    let url = request_url(base, project_id, request_id, "/messages/status");
    let request = Request::put(&url)
        .header("Authorization", token)
        .json(update)
        .map_err(|_| ApiError::Unreadable)?;
    read::<serde_json::Value>(request.send().await)
        .await
        .map(drop)
}

/// `GET {base}:project/requests/me`: the visitor's own conversations, newest first.
pub async fn my_conversations(
    base: &str,
    token: &str,
    project_id: &str,
) -> Result<RequestPage, ApiError> {
    let url = format!(
        "{base}{}/requests/me",
        js_sys::encode_uri_component(project_id)
    );
    read(
        Request::get(&url)
            .header("Authorization", token)
            .send()
            .await,
    )
    .await
}

/// `PUT {base}:project/requests/:request/closeg`: the visitor ends the conversation.
pub async fn close_conversation(
    base: &str,
    token: &str,
    project_id: &str,
    request_id: &str,
) -> Result<Conversation, ApiError> {
    let url = request_url(base, project_id, request_id, "/closeg");
    read(
        Request::put(&url)
            .header("Authorization", token)
            .send()
            .await,
    )
    .await
}

/// `PATCH {base}:project/requests/:request/rating`: the visitor rates the conversation.
pub async fn rate_conversation(
    base: &str,
    token: &str,
    project_id: &str,
    request_id: &str,
    rating: &Rating,
) -> Result<Conversation, ApiError> {
    let request = Request::patch(&request_url(base, project_id, request_id, "/rating"))
        .header("Authorization", token)
        .json(rating)
        .map_err(|_| ApiError::Unreadable)?;
    read(request.send().await).await
}

fn messages_url(base: &str, project_id: &str, request_id: &str) -> String {
    request_url(base, project_id, request_id, "/messages")
}

fn request_url(base: &str, project_id: &str, request_id: &str, tail: &str) -> String {
    format!(
        "{base}{}/requests/{}{tail}",
        js_sys::encode_uri_component(project_id),
        js_sys::encode_uri_component(request_id)
    )
}

/// Reads a JSON answer; error answers may be JSON (`msg`/`error`) or, from a real Tiledesk server, plain text.
async fn read<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    let response = sent.map_err(|_| ApiError::Network)?;
    let status = response.status();
    if response.ok() {
        return response.json().await.map_err(|_| ApiError::Unreadable);
    }
    if status == 401 {
        return Err(ApiError::Unauthorized);
    }
    let body = response.text().await.unwrap_or_default();
    let reason = serde_json::from_str::<ErrorBody>(&body)
        .ok()
        .and_then(|error| error.text().map(str::to_owned))
        .or_else(|| {
            Some(body.trim().chars().take(200).collect()).filter(|text: &String| !text.is_empty())
        });
    Err(ApiError::Refused { status, reason })
}
