//! The console's state: the session, the chosen project, its conversations and their messages,
//! who types, the team; every answer of the API and every publication of the socket lands here
//! and the views follow.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tiledesk_protocol::attachment::{self, file_urls, Picked, Refusal};
use tiledesk_protocol::realtime::{messages_topic, requests_topic, typing_topic};
use tiledesk_protocol::{
    Department, Invite, Message, NewMessage, ProjectMembership, Publication, PublishMethod,
    Request, RequestStatus, TeamMember, Typing, User, CLIENT_ID_ATTRIBUTE, PRIVATE_SUBTYPE,
};

use super::alert;
use super::api::{self, Api, ApiError};
use super::live::{Live, LiveEvent};
use super::storage;
use crate::core::inbox::{self, Filter};
use crate::core::media::refusal_text;
use crate::core::receipts::unseen_until;
use crate::core::replies::buttons_attachment;
use crate::core::typing::{TypingThrottle, SHOWN_MS};

/// Messages topics followed at most (the server allows 100 subscriptions per socket).
const MAX_FOLLOWED: usize = 90;

/// A signed-in agent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// `JWT …`, as `Authorization` takes it.
    pub token: String,
    pub user: User,
}

/// The console's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Inbox,
    Team,
}

/// Someone else typing in a conversation: their name and until when it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Typist {
    pub name: String,
    pub until: f64,
}

/// The whole console state (signals: cheap to copy into views).
#[derive(Clone, Copy)]
pub struct Console {
    pub session: RwSignal<Option<Session>>,
    /// The agent's projects, once loaded.
    pub projects: RwSignal<Option<Vec<ProjectMembership>>>,
    pub project: RwSignal<Option<ProjectMembership>>,
    pub page: RwSignal<Page>,
    pub filter: RwSignal<Filter>,
    /// Conversations by request id.
    pub requests: RwSignal<HashMap<String, Request>>,
    /// Messages by request id, oldest first.
    pub messages: RwSignal<HashMap<String, Vec<Message>>>,
    /// When the agent last viewed each conversation (its newest message's time).
    pub seen: RwSignal<HashMap<String, String>>,
    pub selected: RwSignal<Option<String>>,
    /// Who else types, by request id.
    pub typing: RwSignal<HashMap<String, Typist>>,
    pub team: RwSignal<Vec<TeamMember>>,
    pub departments: RwSignal<Vec<Department>>,
    pub available: RwSignal<Option<bool>>,
    pub is_open: RwSignal<Option<bool>>,
    pub connected: RwSignal<bool>,
    /// The latest news for screen readers (new conversations and messages).
    pub announcement: RwSignal<String>,
    pub error: RwSignal<Option<String>>,
    /// Whether the narrow layout shows the visitor's details instead of the conversation.
    pub show_details: RwSignal<bool>,
    live: StoredValue<Option<Live>, LocalStorage>,
    typing_out: StoredValue<TypingThrottle>,
    /// Whether the server takes read receipts (`PUT …/messages/status`); off after a 404/405.
    receipts: StoredValue<bool>,
    /// The last message marked seen, by request id.
    marked: StoredValue<HashMap<String, String>>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// A fresh random id (a message's client id, a file's `uid`).
fn client_id() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("{}", now()))
}

/// The request id of `topic` if it is `/<pid>/requests/<rid><tail>`.
fn request_of<'a>(topic: &'a str, pid: &str, tail: &str) -> Option<&'a str> {
    topic
        .strip_prefix(&format!("/{pid}/requests/"))?
        .strip_suffix(tail)
        .filter(|rid| !rid.is_empty() && !rid.contains('/'))
}

impl Console {
    /// The console, signed in again if a session was kept.
    pub fn restore() -> Console {
        let console = Console {
            session: RwSignal::new(storage::load(storage::SESSION)),
            projects: RwSignal::new(None),
            project: RwSignal::new(None),
            page: RwSignal::new(Page::Inbox),
            filter: RwSignal::new(Filter::Unassigned),
            requests: RwSignal::new(HashMap::new()),
            messages: RwSignal::new(HashMap::new()),
            seen: RwSignal::new(HashMap::new()),
            selected: RwSignal::new(None),
            typing: RwSignal::new(HashMap::new()),
            team: RwSignal::new(Vec::new()),
            departments: RwSignal::new(Vec::new()),
            available: RwSignal::new(None),
            is_open: RwSignal::new(None),
            connected: RwSignal::new(false),
            announcement: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            show_details: RwSignal::new(false),
            live: StoredValue::new_local(None),
            typing_out: StoredValue::new(TypingThrottle::default()),
            receipts: StoredValue::new(true),
            marked: StoredValue::new(HashMap::new()),
        };
        if console.session.get_untracked().is_some() {
            console.start();
        }
        gloo_timers::callback::Interval::new(1000, move || console.tick()).forget();
        console
    }

    /// The signed-in agent's user id.
    pub fn me(&self) -> String {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()))
            .unwrap_or_default()
    }

    fn api(&self) -> Option<Api> {
        self.session.with_untracked(|s| {
            s.as_ref().map(|s| Api {
                token: s.token.clone(),
            })
        })
    }

    /// The chosen project's id.
    pub fn pid(&self) -> Option<String> {
        self.project
            .with_untracked(|p| p.as_ref().map(|p| p.id_project.id.clone()))
    }

    /// Shows an error; a refused token signs out.
    fn fail(&self, error: ApiError) {
        if error == ApiError::Unauthorized {
            self.sign_out();
            self.error
                .set(Some("Your session ended: please sign in again.".into()));
        } else {
            self.error.set(Some(error.to_string()));
        }
    }

    /// Signs in with email and password; the error to show otherwise.
    pub async fn sign_in(&self, email: String, password: String) -> Result<(), String> {
        let answer = api::sign_in(email.trim(), &password)
            .await
            .map_err(|error| error.to_string())?;
        let session = Session {
            token: answer.token,
            user: answer.user,
        };
        storage::save(storage::SESSION, &session);
        self.session.set(Some(session));
        self.error.set(None);
        self.start();
        Ok(())
    }

    /// Forgets the session and everything loaded with it.
    pub fn sign_out(&self) {
        if let Some(live) = self.live.get_value() {
            live.stop();
        }
        self.live.set_value(None);
        storage::remove(storage::SESSION);
        self.session.set(None);
        self.projects.set(None);
        self.project.set(None);
        self.clear();
    }

    fn clear(&self) {
        self.requests.set(HashMap::new());
        self.messages.set(HashMap::new());
        self.selected.set(None);
        self.typing.set(HashMap::new());
        self.team.set(Vec::new());
        self.departments.set(Vec::new());
        self.connected.set(false);
        self.marked.set_value(HashMap::new());
    }

    /// Loads the agent's projects and opens the only one.
    fn start(&self) {
        let console = *self;
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            match api.projects().await {
                Ok(projects) => {
                    let only = (projects.len() == 1).then(|| projects[0].clone());
                    console.projects.set(Some(projects));
                    if let Some(project) = only {
                        console.choose(project);
                    }
                }
                Err(error) => console.fail(error),
            }
        });
    }

    /// Opens `membership`'s project: its inbox live, its team and departments.
    pub fn choose(&self, membership: ProjectMembership) {
        if let Some(live) = self.live.get_value() {
            live.stop();
        }
        self.clear();
        let pid = membership.id_project.id.clone();
        self.available.set(Some(membership.user_available));
        self.seen.set(storage::load_seen(&pid));
        self.project.set(Some(membership));
        let Some(session) = self.session.get_untracked() else {
            return;
        };
        let console = *self;
        let live = Live::start(session.token, move |event| console.on_live(event));
        live.subscribe(requests_topic(&pid));
        self.live.set_value(Some(live));
        self.load_filter();
        self.load_team();
        let Some(api) = self.api() else { return };
        spawn_local(async move {
            if let Ok(departments) = api.departments(&pid).await {
                console.departments.set(departments);
            }
            if let Ok(open) = api.is_open(&pid).await {
                console.is_open.set(Some(open.isopen));
            }
        });
    }

    /// Shows the inbox with `filter`, fetching its conversations.
    pub fn set_filter(&self, filter: Filter) {
        self.filter.set(filter);
        self.load_filter();
    }

    fn load_filter(&self) {
        let (Some(api), Some(pid)) = (self.api(), self.pid()) else {
            return;
        };
        let (console, query) = (*self, self.filter.get_untracked().query(&self.me()));
        spawn_local(async move {
            match api.requests(&pid, &query).await {
                Ok(page) => {
                    for request in page.requests {
                        console.upsert(request);
                    }
                }
                Err(error) => console.fail(error),
            }
        });
    }

    /// Loads the team.
    pub fn load_team(&self) {
        let (Some(api), Some(pid)) = (self.api(), self.pid()) else {
            return;
        };
        let console = *self;
        spawn_local(async move {
            match api.team(&pid).await {
                Ok(team) => console.team.set(team),
                Err(error) => console.fail(error),
            }
        });
    }

    /// Keeps `request` (new or changed); an open one's messages are followed.
    fn upsert(&self, request: Request) {
        let rid = request.request_id.clone();
        let open = request.status < RequestStatus::CLOSED;
        self.requests.update(|all| {
            all.insert(rid.clone(), request);
        });
        if open || self.selected.get_untracked().as_deref() == Some(&rid) {
            self.follow_messages(&rid);
        }
    }

    fn follow_messages(&self, rid: &str) {
        let (Some(live), Some(pid)) = (self.live.get_value(), self.pid()) else {
            return;
        };
        let topic = messages_topic(&pid, rid);
        let followed = self
            .messages
            .with_untracked(|m| m.len())
            .max(self.requests.with_untracked(|r| r.len()));
        if !live.follows(&topic) && followed <= MAX_FOLLOWED {
            live.subscribe(topic);
        } else if !live.follows(&topic) {
            // Past the socket's limit: this conversation's messages come over REST once.
            self.fetch_messages(rid);
        }
    }

    fn fetch_messages(&self, rid: &str) {
        let (Some(api), Some(pid)) = (self.api(), self.pid()) else {
            return;
        };
        let (console, rid) = (*self, rid.to_owned());
        spawn_local(async move {
            if let Ok(list) = api.messages(&pid, &rid).await {
                console.messages.update(|all| {
                    inbox::merge_messages(all.entry(rid).or_default(), list);
                });
            }
        });
    }

    fn on_live(&self, event: LiveEvent) {
        match event {
            LiveEvent::Connected => self.connected.set(true),
            LiveEvent::Disconnected => self.connected.set(false),
            LiveEvent::Publication(publication) => self.on_publication(publication),
        }
    }

    fn on_publication(&self, publication: Publication) {
        let Some(pid) = self.pid() else { return };
        let single = !publication.message.is_array();
        if publication.topic == requests_topic(&pid) {
            let requests: Vec<Request> = match &publication.message {
                Value::Array(items) => items
                    .iter()
                    .filter_map(|item| serde_json::from_value(item.clone()).ok())
                    .collect(),
                single => serde_json::from_value(single.clone()).into_iter().collect(),
            };
            for request in requests {
                let created = single
                    && publication.method == PublishMethod::Create
                    && self
                        .requests
                        .with_untracked(|all| !all.contains_key(&request.request_id));
                if created {
                    let name = crate::core::visitor::visitor(&request).name;
                    self.alert(
                        &format!("New conversation from {name}"),
                        &request.first_text,
                        None,
                    );
                }
                self.upsert(request);
            }
        } else if let Some(rid) = request_of(&publication.topic, &pid, "/messages") {
            let rid = rid.to_owned();
            let incoming = publication.messages();
            let me = self.me();
            let fresh: Vec<Message> = incoming
                .iter()
                .filter(|m| m.sender != me && !inbox::is_info(m))
                .filter(|m| {
                    self.messages.with_untracked(|all| {
                        all.get(&rid)
                            .is_none_or(|list| list.iter().all(|known| known.id != m.id))
                    })
                })
                .cloned()
                .collect();
            self.messages.update(|all| {
                inbox::merge_messages(all.entry(rid.clone()).or_default(), incoming);
            });
            if single && publication.method == PublishMethod::Create {
                for message in fresh {
                    self.typing.update(|t| {
                        t.remove(&rid);
                    });
                    let title = format!("{} wrote", message.sender_fullname);
                    self.alert(&title, &message.text, Some(&rid));
                }
            }
        } else if let Some(rid) = request_of(&publication.topic, &pid, "/typing") {
            let Ok(typing) = serde_json::from_value::<Typing>(publication.message) else {
                return;
            };
            if typing.writer_id == self.me() {
                return;
            }
            let rid = rid.to_owned();
            self.typing.update(|all| {
                if typing.typing {
                    let name = if typing.writer_fullname.is_empty() {
                        "The visitor".to_owned()
                    } else {
                        typing.writer_fullname.clone()
                    };
                    all.insert(
                        rid,
                        Typist {
                            name,
                            until: now() + SHOWN_MS,
                        },
                    );
                } else {
                    all.remove(&rid);
                }
            });
        }
    }

    /// Beeps, announces and (when the agent is elsewhere) notifies news about `rid`.
    fn alert(&self, title: &str, body: &str, rid: Option<&str>) {
        let looking =
            rid.is_some() && self.selected.get_untracked().as_deref() == rid && page_visible();
        self.announcement.set(format!("{title}: {body}"));
        if looking {
            return;
        }
        alert::beep();
        alert::notify(title, body);
    }

    /// Opens conversation `rid`: its messages and typing followed, marked viewed.
    pub fn select(&self, rid: String) {
        let Some(pid) = self.pid() else { return };
        let previous = self.selected.get_untracked();
        if previous.as_deref() == Some(&rid) {
            return;
        }
        self.stop_typing();
        if let (Some(live), Some(previous)) = (self.live.get_value(), previous) {
            live.unsubscribe(&typing_topic(&pid, &previous));
        }
        self.selected.set(Some(rid.clone()));
        self.show_details.set(false);
        if let Some(live) = self.live.get_value() {
            live.subscribe(typing_topic(&pid, &rid));
        }
        if self.requests.with_untracked(|all| !all.contains_key(&rid)) {
            let (console, api, pid, rid) = (*self, self.api(), pid.clone(), rid.clone());
            spawn_local(async move {
                if let Some(api) = api {
                    match api.request(&pid, &rid).await {
                        Ok(request) => console.upsert(request),
                        Err(error) => console.fail(error),
                    }
                }
            });
        } else {
            self.follow_messages(&rid);
        }
    }

    /// Back to the list (narrow screens).
    pub fn deselect(&self) {
        self.stop_typing();
        if let (Some(live), Some(pid), Some(rid)) = (
            self.live.get_value(),
            self.pid(),
            self.selected.get_untracked(),
        ) {
            live.unsubscribe(&typing_topic(&pid, &rid));
        }
        self.selected.set(None);
    }

    /// Notes that the agent sees the open conversation's messages now: unread drops to zero and
    /// the visitor's newest message is marked seen on the server (when it takes read receipts).
    pub fn viewed(&self) {
        let (Some(rid), Some(pid)) = (self.selected.get_untracked(), self.pid()) else {
            return;
        };
        if !page_visible() {
            return;
        }
        let me = self.me();
        let (newest, until) = self.messages.with_untracked(|all| {
            let list = all.get(&rid).map(Vec::as_slice).unwrap_or_default();
            (
                list.last().map(|m| m.created_at.clone()),
                unseen_until(list, &me).map(str::to_owned),
            )
        });
        if let Some(newest) = newest {
            let changed = self
                .seen
                .with_untracked(|seen| seen.get(&rid) != Some(&newest));
            if changed {
                self.seen.update(|seen| {
                    seen.insert(rid.clone(), newest);
                });
                storage::save(&storage::seen_key(&pid), &self.seen.get_untracked());
            }
        }
        let Some(until) = until else { return };
        let already = self
            .marked
            .with_value(|marked| marked.get(&rid) == Some(&until));
        if already || !self.receipts.get_value() {
            return;
        }
        self.marked.update_value(|marked| {
            marked.insert(rid.clone(), until.clone());
        });
        let (console, api) = (*self, self.api());
        spawn_local(async move {
            let Some(api) = api else { return };
            if let Err(ApiError::Refused { status, .. }) = api.mark_seen(&pid, &rid, &until).await {
                // A server without read receipts: the console simply stops asking.
                if status == 404 || status == 405 {
                    console.receipts.set_value(false);
                }
            }
        });
    }

    /// Sends a reply (or, `private`, an agents' note) with optional quick-reply `buttons` (one
    /// label per line) in conversation `rid`.
    pub async fn send(
        &self,
        rid: String,
        text: String,
        private: bool,
        buttons: String,
    ) -> Result<(), String> {
        let (Some(api), Some(pid)) = (self.api(), self.pid()) else {
            return Err("Not signed in.".into());
        };
        self.stop_typing();
        let mut attributes = Map::new();
        attributes.insert(CLIENT_ID_ATTRIBUTE.into(), client_id().into());
        if private {
            attributes.insert("subtype".into(), PRIVATE_SUBTYPE.into());
        } else if let Some(attachment) = buttons_attachment(&buttons) {
            attributes.insert("attachment".into(), attachment);
        }
        let message = NewMessage {
            text: Some(text),
            attributes: Some(Value::Object(attributes)),
            ..NewMessage::default()
        };
        self.post(&api, &pid, rid, &message).await
    }

    /// Uploads `file` (`picked`, `pixels` wide and high once measured) and sends it in
    /// conversation `rid` as Tiledesk's image or file message, with `caption` and optional
    /// quick-reply `buttons`.
    pub async fn send_file(
        &self,
        rid: String,
        file: web_sys::File,
        picked: Picked,
        pixels: Option<(u32, u32)>,
        caption: String,
        buttons: String,
    ) -> Result<(), String> {
        let (Some(api), Some(pid)) = (self.api(), self.pid()) else {
            return Err("Not signed in.".into());
        };
        self.stop_typing();
        let filename = api.upload(&pid, &file).await.map_err(|error| match error {
            ApiError::Refused { status: 413, .. } => refusal_text(Refusal::Size).to_owned(),
            error => format!("The file could not be uploaded. {error}"),
        })?;
        let urls = file_urls(
            &api::base(),
            &String::from(js_sys::encode_uri_component(&filename)),
        );
        let uid = client_id();
        let (kind, text, metadata) = attachment::message(&picked, &urls, pixels, &uid, &caption);
        let mut attributes = Map::new();
        attributes.insert(CLIENT_ID_ATTRIBUTE.into(), uid.into());
        if let Some(attachment) = buttons_attachment(&buttons) {
            attributes.insert("attachment".into(), attachment);
        }
        let message = NewMessage {
            text: Some(text),
            kind: Some(kind),
            metadata: Some(metadata),
            attributes: Some(Value::Object(attributes)),
            ..NewMessage::default()
        };
        self.post(&api, &pid, rid, &message).await
    }

    /// Posts `message` in conversation `rid` and keeps the stored message.
    async fn post(
        &self,
        api: &Api,
        pid: &str,
        rid: String,
        message: &NewMessage,
    ) -> Result<(), String> {
        let sent = api
            .post_message(pid, &rid, message)
            .await
            .map_err(|error| error.to_string())?;
        self.messages.update(|all| {
            inbox::merge_messages(all.entry(rid).or_default(), vec![sent]);
        });
        Ok(())
    }

    /// The agent typed in the composer of the open conversation.
    pub fn typed(&self) {
        let send = self
            .typing_out
            .try_update_value(|t| t.input(now()))
            .flatten();
        if let Some(typing) = send {
            self.send_typing(typing);
        }
    }

    fn stop_typing(&self) {
        if let Some(typing) = self.typing_out.try_update_value(|t| t.stop()).flatten() {
            self.send_typing(typing);
        }
    }

    fn send_typing(&self, typing: bool) {
        if let (Some(live), Some(pid), Some(rid)) = (
            self.live.get_value(),
            self.pid(),
            self.selected.get_untracked(),
        ) {
            live.typing(typing_topic(&pid, &rid), typing);
        }
    }

    /// Every second: the agent's typing ends after a pause, others' typing after its time.
    fn tick(&self) {
        if let Some(typing) = self
            .typing_out
            .try_update_value(|t| t.tick(now()))
            .flatten()
        {
            self.send_typing(typing);
        }
        let time = now();
        if self
            .typing
            .with_untracked(|all| all.values().any(|t| t.until < time))
        {
            self.typing.update(|all| all.retain(|_, t| t.until >= time));
        }
    }

    /// Runs a change of conversation `rid` on the server and keeps the changed request.
    fn change<F, Fut>(&self, call: F)
    where
        F: FnOnce(Api, String) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<Request, ApiError>> + 'static,
    {
        let (Some(api), Some(pid)) = (self.api(), self.pid()) else {
            return;
        };
        let console = *self;
        spawn_local(async move {
            match call(api, pid).await {
                Ok(request) => {
                    console.error.set(None);
                    console.upsert(request);
                }
                Err(error) => console.fail(error),
            }
        });
    }

    /// The agent takes conversation `rid`.
    pub fn take(&self, rid: String) {
        let me = self.me();
        self.change(move |api, pid| async move { api.assign(&pid, &rid, &me).await });
    }

    /// Assigns conversation `rid` to agent `member` (a user id).
    pub fn assign(&self, rid: String, member: String) {
        self.change(move |api, pid| async move { api.assign(&pid, &rid, &member).await });
    }

    /// Routes conversation `rid` to `department`.
    pub fn to_department(&self, rid: String, department: String) {
        self.change(
            move |api, pid| async move { api.to_department(&pid, &rid, &department).await },
        );
    }

    /// Closes (`close`) or reopens (`reopen`) conversation `rid`.
    pub fn act(&self, rid: String, action: &'static str) {
        self.change(move |api, pid| async move { api.act(&pid, &rid, action).await });
    }

    /// Switches the agent's availability.
    pub fn set_available(&self, available: bool) {
        let (Some(api), Some(pid)) = (self.api(), self.pid()) else {
            return;
        };
        let console = *self;
        spawn_local(async move {
            match api.set_available(&pid, available).await {
                Ok(member) => {
                    console.available.set(Some(member.user_available));
                    console.load_team();
                }
                Err(error) => console.fail(error),
            }
        });
    }

    /// Invites the registered user with `email` with `role`.
    pub async fn invite(&self, email: String, role: String) -> Result<(), String> {
        let (Some(api), Some(pid)) = (self.api(), self.pid()) else {
            return Err("Not signed in.".into());
        };
        let invite = Invite {
            email: email.trim().to_owned(),
            role,
            user_available: None,
        };
        api.invite(&pid, &invite)
            .await
            .map_err(|error| error.to_string())?;
        self.load_team();
        Ok(())
    }

    /// The visitor's conversations (its lead's), last changed first.
    pub async fn conversations_of(&self, lead_id: String) -> Vec<Request> {
        let (Some(api), Some(pid)) = (self.api(), self.pid()) else {
            return Vec::new();
        };
        let query = format!(
            "lead={}&sort=updatedAt&limit=20",
            js_sys::encode_uri_component(&lead_id)
        );
        api.requests(&pid, &query)
            .await
            .map(|page| page.requests)
            .unwrap_or_default()
    }

    /// The name of the user `id` as the team knows it.
    pub fn member_name(&self, id: &str) -> String {
        self.team.with(|team| {
            team.iter()
                .find(|m| m.id_user.id == id)
                .map(|m| m.id_user.display_name())
                .unwrap_or_else(|| "an agent".to_owned())
        })
    }
}

/// Whether the console's page is shown (not a background tab).
pub fn page_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| !d.hidden())
}
