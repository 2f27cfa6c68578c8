//! Calls to tiledesk-local's REST API (same origin as the console), errors as readable text.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tiledesk_protocol::{
    AuthResponse, Availability, Department, ErrorBody, Invite, IsOpen, Message, NewMessage,
    ProjectMembership, ProjectUser, Request as Conversation, RequestPage, Signin, StatusUpdate,
    TeamMember,
};

/// Why a call did not give the expected answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    Network,
    /// 401: the token is no longer accepted.
    Unauthorized,
    Refused {
        status: u16,
        reason: Option<String>,
    },
    Unreadable,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Network => f.write_str("The server cannot be reached."),
            ApiError::Unauthorized => f.write_str("Wrong email or password, or the session ended."),
            ApiError::Refused {
                status,
                reason: Some(reason),
            } => write!(f, "Refused ({status}): {reason}"),
            ApiError::Refused { status, .. } => write!(f, "Refused ({status})."),
            ApiError::Unreadable => f.write_str("The server's answer could not be read."),
        }
    }
}

/// The API's base URL: the origin that serves the console, with a trailing slash.
pub fn base() -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}/")
}

fn enc(part: &str) -> String {
    String::from(js_sys::encode_uri_component(part))
}

/// The answer to an upload: where the server keeps the file.
#[derive(Deserialize)]
struct Uploaded {
    filename: String,
}

/// An authenticated API client.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    pub token: String,
}

impl Api {
    fn with(&self, request: RequestBuilder) -> RequestBuilder {
        request.header("Authorization", &self.token)
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        read(
            self.with(Request::get(&format!("{}{path}", base())))
                .send()
                .await,
        )
        .await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiError> {
        let url = format!("{}{path}", base());
        let builder = match method {
            "PUT" => Request::put(&url),
            "PATCH" => Request::patch(&url),
            _ => Request::post(&url),
        };
        let request = self
            .with(builder)
            .json(body)
            .map_err(|_| ApiError::Unreadable)?;
        read(request.send().await).await
    }

    /// `GET /projects`: the agent's memberships.
    pub async fn projects(&self) -> Result<Vec<ProjectMembership>, ApiError> {
        self.get("projects").await
    }

    /// `GET /projects/:pid/isopen`.
    pub async fn is_open(&self, pid: &str) -> Result<IsOpen, ApiError> {
        self.get(&format!("projects/{}/isopen", enc(pid))).await
    }

    /// `GET /:pid/requests?<query>`.
    pub async fn requests(&self, pid: &str, query: &str) -> Result<RequestPage, ApiError> {
        self.get(&format!("{}/requests?{query}", enc(pid))).await
    }

    /// `GET /:pid/requests/:rid`.
    pub async fn request(&self, pid: &str, rid: &str) -> Result<Conversation, ApiError> {
        self.get(&format!("{}/requests/{}", enc(pid), enc(rid)))
            .await
    }

    /// `GET /:pid/requests/:rid/messages`: oldest first.
    pub async fn messages(&self, pid: &str, rid: &str) -> Result<Vec<Message>, ApiError> {
        self.get(&format!("{}/requests/{}/messages", enc(pid), enc(rid)))
            .await
    }

    /// `POST /:pid/requests/:rid/messages`.
    pub async fn post_message(
        &self,
        pid: &str,
        rid: &str,
        message: &NewMessage,
    ) -> Result<Message, ApiError> {
        let path = format!("{}/requests/{}/messages", enc(pid), enc(rid));
        self.send("POST", &path, message).await
    }

    /// `PUT /:pid/requests/:rid/messages/status`: the agent has seen the visitor's messages up to
    /// `until`. A server without read state answers 404 or 405, which changes nothing.
    pub async fn mark_seen(&self, pid: &str, rid: &str, until: &str) -> Result<Value, ApiError> {
        let path = format!("{}/requests/{}/messages/status", enc(pid), enc(rid));
        let body = StatusUpdate {
            status: tiledesk_protocol::MessageStatus::SEEN,
            until: until.to_owned(),
        };
        self.send("PUT", &path, &body).await
    }

    /// `PUT /:pid/requests/:rid/<action>` without a body (`close`, `reopen`).
    pub async fn act(&self, pid: &str, rid: &str, action: &str) -> Result<Conversation, ApiError> {
        let path = format!("{}/requests/{}/{action}", enc(pid), enc(rid));
        self.send("PUT", &path, &json!({})).await
    }

    /// `PUT /:pid/requests/:rid/assign {member}`: to this agent (the caller takes it with its own id).
    pub async fn assign(
        &self,
        pid: &str,
        rid: &str,
        member: &str,
    ) -> Result<Conversation, ApiError> {
        let path = format!("{}/requests/{}/assign", enc(pid), enc(rid));
        self.send("PUT", &path, &json!({ "member": member })).await
    }

    /// `PUT /:pid/requests/:rid/departments {departmentid}`: routed to that department.
    pub async fn to_department(
        &self,
        pid: &str,
        rid: &str,
        department: &str,
    ) -> Result<Conversation, ApiError> {
        let path = format!("{}/requests/{}/departments", enc(pid), enc(rid));
        self.send("PUT", &path, &json!({ "departmentid": department }))
            .await
    }

    /// `POST /:pid/files/chat` with `file` in the multipart field `file`, as the Tiledesk widget
    /// uploads: the stored file's name (its `path`).
    pub async fn upload(&self, pid: &str, file: &web_sys::File) -> Result<String, ApiError> {
        let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
        form.append_with_blob_and_filename("file", file, &file.name())
            .map_err(|_| ApiError::Network)?;
        let request = self
            .with(Request::post(&format!("{}{}/files/chat", base(), enc(pid))))
            .body(form)
            .map_err(|_| ApiError::Network)?;
        read(request.send().await)
            .await
            .map(|uploaded: Uploaded| uploaded.filename)
    }

    /// `GET /:pid/project_users`: the team.
    pub async fn team(&self, pid: &str) -> Result<Vec<TeamMember>, ApiError> {
        self.get(&format!("{}/project_users", enc(pid))).await
    }

    /// `PUT /:pid/project_users/`: the caller's own availability.
    pub async fn set_available(&self, pid: &str, available: bool) -> Result<ProjectUser, ApiError> {
        let body = Availability {
            user_available: available,
        };
        self.send("PUT", &format!("{}/project_users/", enc(pid)), &body)
            .await
    }

    /// `POST /:pid/project_users/invite`.
    pub async fn invite(&self, pid: &str, invite: &Invite) -> Result<ProjectUser, ApiError> {
        self.send(
            "POST",
            &format!("{}/project_users/invite", enc(pid)),
            invite,
        )
        .await
    }

    /// `GET /:pid/departments/allstatus`.
    pub async fn departments(&self, pid: &str) -> Result<Vec<Department>, ApiError> {
        self.get(&format!("{}/departments/allstatus", enc(pid)))
            .await
    }
}

/// `POST /auth/signin`.
pub async fn sign_in(email: &str, password: &str) -> Result<AuthResponse, ApiError> {
    let body = Signin {
        email: email.to_owned(),
        password: password.to_owned(),
    };
    let request = Request::post(&format!("{}auth/signin", base()))
        .json(&body)
        .map_err(|_| ApiError::Unreadable)?;
    read(request.send().await).await
}

/// Reads a JSON answer, or the error it carries.
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
        .and_then(|e| e.text().map(str::to_owned));
    Err(ApiError::Refused { status, reason })
}
