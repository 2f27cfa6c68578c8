//! A small client of our own following the Tiledesk SDK conventions (`Authorization: JWT …` from
//! the sign-in endpoints, Basic auth, custom-token sign-in), typed with the protocol crate, driving
//! the agent side of the API end to end as a console or an integration would, files and read
//! state included.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::Sha256;
use tiledesk_protocol::{
    Assignment, AuthResponse, Availability, ErrorBody, IsOpen, LabelEntry, Lead, LeadPage,
    LeadUpdate, Message, MessageStatus, NewLabels, NewMessage, ProjectKeys, ProjectUser, Request,
    RequestPage, RequestPatch, RequestStatus, StatusUpdate, StatusUpdated, Tag, TeamMember,
};

use common::{basic, data_dir, new_request_id, start};

/// A failed call: its status and JSON error.
#[derive(Debug)]
struct Failure {
    status: StatusCode,
    body: ErrorBody,
}

/// A signed-in client of one project.
struct Tiledesk {
    base: String,
    http: reqwest::Client,
    project: String,
    /// The `Authorization` header: `JWT <token>` or `Basic …`.
    authorization: String,
}

impl Tiledesk {
    /// With Basic credentials, as scripts do.
    fn with_password(base: &str, project: &str, email: &str, password: &str) -> Self {
        Self::with(base, project, basic(email, password))
    }

    fn with(base: &str, project: &str, authorization: String) -> Self {
        Self {
            base: base.to_owned(),
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
            project: project.to_owned(),
            authorization,
        }
    }

    /// Keeps the `token` of a sign-in answer (it already carries `JWT `).
    fn signed_in(base: &str, project: &str, answer: AuthResponse) -> Self {
        assert!(answer.success);
        assert!(answer.token.starts_with("JWT "));
        Self::with(base, project, answer.token)
    }

    async fn sign_in(base: &str, project: &str, email: &str, password: &str) -> Self {
        let anonymous = Self::with(base, project, String::new());
        let answer = anonymous
            .call(
                Method::POST,
                "/auth/signin",
                Some(&json!({"email": email, "password": password})),
            )
            .await
            .unwrap();
        Self::signed_in(base, project, answer)
    }

    async fn anonymously(base: &str, project: &str) -> Self {
        let anonymous = Self::with(base, project, String::new());
        let answer = anonymous
            .call(
                Method::POST,
                "/auth/signinAnonymously",
                Some(&json!({"id_project": project})),
            )
            .await
            .unwrap();
        Self::signed_in(base, project, answer)
    }

    /// Signs in with a custom token (`Authorization: JWT <token>` signed with the project secret).
    async fn with_custom_token(base: &str, project: &str, token: &str) -> Self {
        let carrier = Self::with(base, project, format!("JWT {token}"));
        let answer = carrier
            .call::<_, AuthResponse>(Method::POST, "/auth/signinWithCustomToken", None::<&Value>)
            .await
            .unwrap();
        Self::signed_in(base, project, answer)
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Failure> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if !self.authorization.is_empty() {
            request = request.header("Authorization", &self.authorization);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("sent");
        let status = response.status();
        let text = response.text().await.expect("a body");
        if status.is_success() {
            Ok(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")))
        } else {
            let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            Err(Failure { status, body })
        }
    }

    /// A call under `/<project_id>`.
    async fn project<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Failure> {
        self.call(method, &format!("/{}{path}", self.project), body)
            .await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        self.project(Method::GET, path, None::<&Value>).await
    }

    /// `POST /<project_id>/files/chat`: uploads `bytes` as `name` in the form field `file`, as the
    /// Tiledesk widget does; the answer names the stored file.
    async fn upload(&self, name: &str, bytes: &[u8]) -> Value {
        let boundary = "sdk-client-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let response = self
            .http
            .post(format!("{}/{}/files/chat", self.base, self.project))
            .header("Authorization", &self.authorization)
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.expect("JSON")
    }
}

/// An HS256 token of `claims` signed with `secret`.
fn sign(secret: &str, claims: &Value) -> String {
    let head = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(head.as_bytes());
    format!(
        "{head}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

#[tokio::test]
async fn a_tiledesk_style_client_runs_the_agent_side() {
    let dir = data_dir();
    let server = start(dir.path());
    let (base, p) = (server.base.clone(), server.demo.project_id.clone());
    let owner = Tiledesk::with_password(&base, &p, &server.demo.email, &server.demo.password);
    server.teammate(&p, "agent@example.com", "agent").await;
    let agent = Tiledesk::sign_in(&base, &p, "agent@example.com", "a long password").await;

    // A customer of the site signs in with a custom token and starts a conversation.
    let keys: ProjectKeys = owner
        .project(Method::POST, "/keys/generate", Some(&json!({})))
        .await
        .unwrap();
    let token = sign(
        &keys.jwt_secret,
        &json!({"_id": "crm-7", "firstname": "Carla", "email": "carla@example.com",
                "sub": "userexternal", "aud": format!("https://tiledesk.com/projects/{p}")}),
    );
    let customer = Tiledesk::with_custom_token(&base, &p, &token).await;
    let rid = new_request_id(&p);
    let first: Message = customer
        .project(
            Method::POST,
            &format!("/requests/{rid}/messages"),
            Some(&NewMessage {
                text: Some("Where is my parcel?".into()),
                attributes: Some(json!({"userFullname": "Carla Rossi"})),
                ..NewMessage::default()
            }),
        )
        .await
        .unwrap();
    let request = first.request.unwrap();
    assert_eq!(request.status, RequestStatus::UNASSIGNED);

    // The agent is online, finds the request, files it and takes it.
    let me: ProjectUser = agent
        .project(
            Method::PUT,
            "/project_users/",
            Some(&Availability {
                user_available: true,
            }),
        )
        .await
        .unwrap();
    let open: IsOpen = agent
        .call(
            Method::GET,
            &format!("/projects/{p}/isopen"),
            None::<&Value>,
        )
        .await
        .unwrap();
    assert!(open.isopen);
    let page: RequestPage = agent.get("/requests?status=100").await.unwrap();
    assert_eq!(page.requests[0].request_id, rid);
    let patched: Request = agent
        .project(
            Method::PATCH,
            &format!("/requests/{rid}"),
            Some(&RequestPatch {
                subject: Some("Parcel".into()),
                tags: Some(vec![Tag {
                    tag: "shipping".into(),
                    color: None,
                }]),
            }),
        )
        .await
        .unwrap();
    assert_eq!(patched.subject.as_deref(), Some("Parcel"));
    let taken: Request = agent
        .project(
            Method::PUT,
            &format!("/requests/{rid}/assign"),
            Some(&Assignment {
                member: Some(me.id_user.clone()),
                departmentid: None,
            }),
        )
        .await
        .unwrap();
    assert_eq!(taken.status, RequestStatus::ASSIGNED);
    assert_eq!(taken.participants, std::slice::from_ref(&me.id_user));

    // The team sees who works on what; the lead is the customer, and is corrected.
    let team: Vec<TeamMember> = owner.get("/project_users").await.unwrap();
    let busy = team.iter().find(|m| m.id_user.id == me.id_user).unwrap();
    assert_eq!(busy.number_assigned_requests, 1);
    let leads: LeadPage = agent.get("/leads").await.unwrap();
    assert_eq!(leads.count, 1);
    let lead = &leads.leads[0];
    assert_eq!(lead.fullname.as_deref(), Some("Carla Rossi"));
    assert_eq!(lead.email.as_deref(), Some("carla@example.com"));
    let corrected: Lead = agent
        .project(
            Method::PUT,
            &format!("/leads/{}", lead.id),
            Some(&LeadUpdate {
                fullname: Some("Carla Bianchi".into()),
                ..LeadUpdate::default()
            }),
        )
        .await
        .unwrap();
    assert_eq!(corrected.fullname.as_deref(), Some("Carla Bianchi"));
    let seen_by_customer: Request = customer.get(&format!("/requests/{rid}")).await.unwrap();
    assert_eq!(seen_by_customer.lead.unwrap()["fullname"], "Carla Bianchi");

    // A file, as the Tiledesk widget sends one: uploaded with the customer's token, sent as an
    // image message, read back by the agent, who then marks the customer's messages seen.
    let uploaded: Value = customer
        .upload("dot.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        .await;
    let src = format!(
        "{base}/files?path={}",
        uploaded["filename"].as_str().unwrap().replace('/', "%2F")
    );
    let image: Message = customer
        .project(
            Method::POST,
            &format!("/requests/{rid}/messages"),
            Some(&NewMessage {
                kind: Some("image".into()),
                metadata: Some(json!({"src": src, "name": "dot.png", "type": "image/png"})),
                ..NewMessage::default()
            }),
        )
        .await
        .unwrap();
    let file = agent
        .http
        .get(&src)
        .header("Authorization", &agent.authorization)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    let marked: StatusUpdated = agent
        .project(
            Method::PUT,
            &format!("/requests/{rid}/messages/status"),
            Some(&StatusUpdate {
                status: MessageStatus::SEEN,
                until: image.id.clone(),
            }),
        )
        .await
        .unwrap();
    assert_eq!(marked.updated, 2, "the first message and the image");
    let history: Vec<Message> = customer
        .get(&format!("/requests/{rid}/messages"))
        .await
        .unwrap();
    assert!(history
        .iter()
        .filter(|m| m.sender == image.sender)
        .all(|m| m.status == MessageStatus::SEEN));

    // Translations for the site's widget.
    let saved: LabelEntry = owner
        .project(
            Method::POST,
            "/labels",
            Some(&NewLabels {
                lang: "it".into(),
                data: json!({"LABEL_PLACEHOLDER": "scrivi"}),
                default: None,
            }),
        )
        .await
        .unwrap();
    assert!(saved.default);
    let anonymous = Tiledesk::anonymously(&base, &p).await;
    let fetched: LabelEntry = anonymous.get("/labels/IT").await.unwrap();
    assert_eq!(fetched.data["LABEL_PLACEHOLDER"], "scrivi");

    // The agent closes the conversation; the customer sees it closed. Visitors cannot handle.
    let closed: Request = agent
        .project(
            Method::PUT,
            &format!("/requests/{rid}/close"),
            None::<&Value>,
        )
        .await
        .unwrap();
    assert_eq!(closed.status, RequestStatus::CLOSED);
    let mine: RequestPage = customer.get("/requests/me").await.unwrap();
    assert_eq!(mine.requests[0].status, RequestStatus::CLOSED);
    let refused = customer
        .project::<_, Request>(
            Method::PUT,
            &format!("/requests/{rid}/reopen"),
            None::<&Value>,
        )
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        refused.body.text(),
        Some("you dont have the required role.")
    );
    let invalid = agent
        .project::<_, Request>(
            Method::PATCH,
            &format!("/requests/{rid}"),
            Some(&json!({"tags": [{"tag": ""}]})),
        )
        .await
        .unwrap_err();
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
}
