//! What the widget learns about the visitor besides their messages: the pre-chat form, attributes
//! the page sets, the department they choose, and whether any agent is there to answer.

use leptos::prelude::*;
use serde_json::{json, Map, Value};
use tiledesk_protocol::bridge::WidgetEvent;
use tiledesk_protocol::{AvailableAgent, Department, WidgetConfig};

use super::config::Config;
use super::page::Page;
use crate::chat::browser::regex;
use crate::core::prechat::{fields, Field, FieldKind, FormError};
use crate::core::storage_keys::ATTRIBUTES;
use crate::platform::browser::warn;
use crate::platform::storage::Store;

/// Where the attributes keep the submitted pre-chat form, as the Tiledesk widget keeps it.
const PRE_CHAT_ANSWERS: &str = "preChatForm";

/// The intake part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Intake {
    /// The project's departments a visitor can choose from (`GET /:pid/widgets`).
    pub departments: RwSignal<Vec<Department>>,
    /// The department the visitor chose for the next new conversation.
    pub chosen_department: RwSignal<Option<String>>,
    /// The departments the chooser offers (`_id`, name), as the page's listeners left the list.
    pub offered: RwSignal<Option<Vec<(String, String)>>>,
    /// Every department of the project, once known (`departmentID` must name one of them).
    all_departments: RwSignal<Option<Vec<Department>>>,
    /// The visitor's address as the server saw it (`ip` of `GET /:pid/widgets`).
    ip_address: StoredValue<Option<String>>,
    /// Whether the widget configuration was asked for (and came, or could not).
    asked: StoredValue<bool>,
    /// Whether the visitor submitted the pre-chat form.
    pub pre_chat_done: RwSignal<bool>,
    /// Whether any agent is available, once known.
    pub agents_available: RwSignal<Option<bool>>,
    /// The agents available now (`user_available`), as the home view shows them.
    pub agents: RwSignal<Vec<AvailableAgent>>,
    config: Config,
    page: Page,
    store: StoredValue<Store>,
}

impl Intake {
    /// What an earlier page learnt already.
    pub fn new(config: Config, page: Page, store: StoredValue<Store>) -> Self {
        Self {
            departments: RwSignal::new(Vec::new()),
            chosen_department: RwSignal::new(None),
            offered: RwSignal::new(None),
            all_departments: RwSignal::new(None),
            ip_address: StoredValue::new(None),
            asked: StoredValue::new(false),
            pre_chat_done: RwSignal::new(
                store.with_value(|s| s.get_map(ATTRIBUTES).contains_key(PRE_CHAT_ANSWERS)),
            ),
            agents_available: RwSignal::new(None),
            agents: RwSignal::new(Vec::new()),
            config,
            page,
            store,
        }
    }

    /// Takes the project's departments (those a visitor can choose, when there are at least two)
    /// and agents' availability from its widget configuration.
    pub fn apply(self, config: &WidgetConfig) {
        self.asked.set_value(true);
        self.agents_available
            .set(Some(!config.user_available.is_empty()));
        self.agents.set(config.user_available.clone());
        let choosable: Vec<Department> = config
            .departments
            .iter()
            .filter(|d| !d.default)
            .cloned()
            .collect();
        self.departments.set(if choosable.len() >= 2 {
            choosable
        } else {
            Vec::new()
        });
        let preset = self
            .config
            .settings
            .with_untracked(|s| s.department_id.clone());
        if let Some(id) = preset.filter(|id| !config.departments.iter().any(|d| &d.id == id)) {
            warn(&format!(
                "departmentID {id} is not a department of this project; ignored"
            ));
        }
        self.all_departments.set(Some(config.departments.clone()));
        let first = |ip: &String| ip.split(',').next().map(str::trim).map(str::to_owned);
        self.ip_address.set_value(
            config
                .ip
                .as_ref()
                .and_then(first)
                .filter(|ip| !ip.is_empty()),
        );
    }

    /// The widget configuration could not be had: messages go without what it would have told.
    pub fn unavailable(self) {
        self.asked.set_value(true);
    }

    /// Waits (up to 3 s) until the project's widget configuration was asked for, so that a
    /// message written at once still goes with the department's name and the visitor's address.
    pub async fn known(self) {
        let mut waited = 0;
        while !self.asked.get_value() && waited < 3_000 {
            gloo_timers::future::TimeoutFuture::new(50).await;
            waited += 50;
        }
    }

    /// Whether a new conversation waits for the visitor to pick a department: no valid preset
    /// `departmentID`, no choice yet, and at least two departments to choose from (reactive).
    pub fn department_pending(self) -> bool {
        self.chosen_department.with(Option::is_none)
            && self.preset_department().is_none()
            && self.departments.with(|d| !d.is_empty())
    }

    /// `departmentID`, unless the project's departments are known and it is not one of them (reactive).
    fn preset_department(self) -> Option<String> {
        let id = self.config.settings.with(|s| s.department_id.clone())?;
        let known = self.all_departments.with(|all| {
            all.as_ref()
                .is_none_or(|all| all.iter().any(|d| d.id == id))
        });
        known.then_some(id)
    }

    /// Whether a new conversation waits for the pre-chat form (`preChatForm`, not yet submitted; reactive).
    pub fn pre_chat_pending(self) -> bool {
        self.config.settings.with(|s| s.pre_chat_form) && self.pre_chat_done.with(|done| !done)
    }

    /// The department a new conversation goes to, with its name when known: the visitor's
    /// choice, else a valid `departmentID`.
    pub fn department(self) -> Option<(String, Option<String>)> {
        let id = self
            .chosen_department
            .get_untracked()
            .or_else(|| untrack(|| self.preset_department()))?;
        let name = self.all_departments.with_untracked(|all| {
            all.iter()
                .flatten()
                .find(|d| d.id == id)
                .map(|d| d.name.clone())
        });
        Some((id, name))
    }

    /// Tells the page the department chooser is about to show (`onBeforeDepartmentsFormRender`).
    /// The page's listeners may change the list (remove, reorder, rename) before it shows: the
    /// chooser offers their version, once they answered (or after a second).
    pub fn announce_departments(self) {
        self.offered.set(None);
        let departments = self.departments.get_untracked();
        let page = self.page;
        let offered = self.offered;
        leptos::task::spawn_local(async move {
            let detail = json!({ "departments": departments });
            let answer = page
                .emit_and_wait(WidgetEvent::BeforeDepartmentsFormRender, detail)
                .await;
            offered.set(Some(offered_departments(&answer)));
        });
    }

    /// The pre-chat form's fields in the interface language; the default form (with a console
    /// warning) when the website owner's JSON or one of its patterns is invalid.
    pub fn pre_chat_fields(self) -> Vec<Field> {
        let lang = self.config.lang().code();
        let settings = self.config.settings;
        let form = settings.with_untracked(|s| s.pre_chat_form_json.clone());
        let parsed = fields(form.as_ref(), lang).and_then(|fields| {
            match fields.iter().find(|f| {
                f.pattern
                    .as_ref()
                    .is_some_and(|(p, g)| regex(p, g).is_none())
            }) {
                Some(field) => Err(FormError(format!(
                    "invalid regex in field '{}'",
                    field.name
                ))),
                None => Ok(fields),
            }
        });
        let mut form = parsed.unwrap_or_else(|error| {
            warn(&format!("{}; using the default pre-chat form", error.0));
            fields(None, lang).unwrap_or_default()
        });
        settings.with_untracked(|s| {
            for field in form.iter_mut().filter(|f| f.value.is_empty()) {
                match field.name.as_str() {
                    "userFullname" => field.value = s.user_fullname.clone().unwrap_or_default(),
                    "userEmail" => field.value = s.user_email.clone().unwrap_or_default(),
                    _ => {}
                }
            }
            if let Some(privacy) = &s.privacy_field {
                form.push(Field {
                    name: "privacyApproved".into(),
                    kind: FieldKind::Checkbox,
                    label: privacy.clone(),
                    error_label: None,
                    mandatory: true,
                    pattern: None,
                    value: String::new(),
                });
            }
        });
        form
    }

    /// Takes the visitor's answers, kept as the Tiledesk widget keeps them: in the attributes sent
    /// with every message, the whole form as `preChatForm` and `userFullname`/`userEmail` beside it.
    pub fn submit_pre_chat(self, answers: Map<String, Value>) {
        self.edit_attributes(|attributes| {
            for key in ["userFullname", "userEmail"] {
                if let Some(value) = answers
                    .get(key)
                    .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
                {
                    attributes.insert(key.into(), value.clone());
                }
            }
            attributes.insert(PRE_CHAT_ANSWERS.into(), Value::Object(answers));
        });
        self.pre_chat_done.set(true);
    }

    /// `setAttributeParameter`: an attribute sent with every message from now on.
    pub fn set_attribute(self, key: String, value: Value) {
        self.edit_attributes(|attributes| {
            attributes.insert(key, value);
        });
    }

    /// What goes into a message's attributes from what the visitor and the page told: the
    /// visitor's name and email, their address, then the attributes kept so far (the pre-chat
    /// answers among them).
    pub fn message_attributes(self) -> Map<String, Value> {
        let mut attributes = Map::new();
        let (fullname, email) = self
            .config
            .settings
            .with_untracked(|s| (s.user_fullname.clone(), s.user_email.clone()));
        for (key, value) in [("userFullname", fullname), ("userEmail", email)] {
            if let Some(value) = value {
                attributes.insert(key.into(), value.into());
            }
        }
        if let Some(ip) = self.ip_address.get_value() {
            attributes.insert("ipAddress".into(), ip.into());
        }
        attributes.extend(self.store.with_value(|store| store.get_map(ATTRIBUTES)));
        attributes
    }

    fn edit_attributes(self, change: impl FnOnce(&mut Map<String, Value>)) {
        self.store.with_value(|store| {
            let mut attributes = store.get_map(ATTRIBUTES);
            change(&mut attributes);
            store.set(ATTRIBUTES, &Value::Object(attributes).to_string());
        });
    }
}

/// The departments in an `onBeforeDepartmentsFormRender` detail, as `(_id, name)`; entries
/// without an id are left out.
fn offered_departments(detail: &Value) -> Vec<(String, String)> {
    detail
        .get("departments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| {
            let id = d.get("_id")?.as_str()?.trim();
            let name = d.get("name").and_then(Value::as_str).unwrap_or(id);
            (!id.is_empty()).then(|| (id.to_owned(), name.to_owned()))
        })
        .collect()
}
