//! Projects and the public widget configuration.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Body of `POST /projects`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewProject {
    pub name: String,
}

/// Body of `PUT /projects/:project_id`: what to change (absent fields stay).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The widget settings (a JSON object such as `{"themeColor":"#ff0000"}`): replaces the saved ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widget: Option<Value>,
    /// Whether the operating hours apply (otherwise the project is always open).
    #[serde(
        rename = "activeOperatingHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub active_operating_hours: Option<bool>,
    /// The weekly opening slots and time zone, as Tiledesk keeps them: the JSON text (or object)
    /// `{"1":[{"start":"09:00","end":"18:00"}],…,"tzname":"Europe/Rome"}`, days `0` (Sunday) to `6`.
    #[serde(
        rename = "operatingHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operating_hours: Option<Value>,
    /// The proactive bot rules (see [`BotRule`]): replaces the saved ones.
    #[serde(rename = "botsRules", default, skip_serializing_if = "Option::is_none")]
    pub bots_rules: Option<Vec<BotRule>>,
}

/// A project document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Value>,
    /// The widget settings the project's owner saved (`themeColor`, `preChatForm`, …): the lowest
    /// layer of the widget's settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widget: Option<Value>,
    #[serde(rename = "createdBy", default)]
    pub created_by: String,
    #[serde(rename = "createdAt", default)]
    pub created_at: String,
    #[serde(rename = "updatedAt", default)]
    pub updated_at: String,
    /// Whether the operating hours apply.
    #[serde(
        rename = "activeOperatingHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub active_operating_hours: Option<bool>,
    /// The operating hours as JSON text (see [`ProjectUpdate::operating_hours`]).
    #[serde(
        rename = "operatingHours",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operating_hours: Option<Value>,
    /// The proactive bot rules (shown to the project's team; visitors get them in `/widgets`).
    #[serde(rename = "botsRules", default, skip_serializing_if = "Vec::is_empty")]
    pub bots_rules: Vec<BotRule>,
}

/// Answer of `GET /projects/:project_id/isopen`: whether the project is within its operating hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IsOpen {
    pub isopen: bool,
}

/// An agent currently available to chat, as listed by `GET /:project_id/widgets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailableAgent {
    /// The agent's user id.
    pub id: String,
    #[serde(default)]
    pub firstname: String,
    /// The agent's project user id (in `GET /projects/:project_id/users/availables`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pu_id: Option<String>,
    /// First and last name (in `GET /projects/:project_id/users/availables`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fullname: Option<String>,
}

/// Body of `POST /:project_id/departments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDepartment {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `pooled` (the default: requests wait unassigned) or `assigned` (each goes to an available
    /// member in turn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<String>,
    /// The member project user ids; none means every agent of the project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    /// 1 shown to visitors (the default), 0 hidden from the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i32>,
}

/// Body of `PUT /:project_id/departments/:id`: what to change (absent fields stay).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `pooled` or `assigned`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<String>,
    /// The member project user ids (replaces them); empty means every agent of the project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    /// 1 shown to visitors, 0 hidden from the widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i32>,
}

/// How a department gives out new requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Routing;

impl Routing {
    /// Requests wait unassigned for an agent to take them.
    pub const POOLED: &'static str = "pooled";
    /// Each request goes to an available member, in turn.
    pub const ASSIGNED: &'static str = "assigned";
}

/// A department: a team visitors can choose to talk to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    #[serde(rename = "_id")]
    pub id: String,
    pub id_project: String,
    pub name: String,
    /// Whether this is the project's default department.
    #[serde(default)]
    pub default: bool,
    /// 1 shown to visitors, 0 hidden from the widget.
    #[serde(default)]
    pub status: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `pooled` or `assigned` (see [`Routing`]).
    #[serde(default = "pooled")]
    pub routing: String,
    /// The member project user ids; empty means every agent of the project.
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(rename = "createdBy", default)]
    pub created_by: String,
    #[serde(rename = "createdAt", default)]
    pub created_at: String,
    #[serde(rename = "updatedAt", default)]
    pub updated_at: String,
}

/// Answer of `GET /:project_id/widgets`: the project, who is available and its departments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetConfig {
    pub project: Project,
    #[serde(default)]
    pub user_available: Vec<AvailableAgent>,
    #[serde(default)]
    pub departments: Vec<Department>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The project's proactive bot rules (Tiledesk gathers them from its bots' `attributes.rules`).
    #[serde(rename = "botsRules", default, skip_serializing_if = "Vec::is_empty")]
    pub bots_rules: Vec<BotRule>,
}

/// A proactive rule, as Tiledesk keeps it: when the page's URL matches `when.urlMatches` (a
/// JavaScript regular expression), at most every `when.triggerEvery` hours, the widget (while
/// closed) posts `do[0].message` to a new conversation, so a bot speaks first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BotRule {
    pub uid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub when: RuleWhen,
    #[serde(rename = "do", default)]
    pub actions: Vec<RuleAction>,
}

/// When a [`BotRule`] applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleWhen {
    #[serde(rename = "urlMatches")]
    pub url_matches: String,
    /// Hours before the rule may apply again for the same visitor (0: on every page load).
    #[serde(rename = "triggerEvery", default)]
    pub trigger_every: f64,
    /// Kept as Tiledesk keeps them; the Tiledesk widget does not use them either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(
        rename = "regexOption",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub regex_option: Option<String>,
}

/// What a [`BotRule`] does: the first action with a `message` posts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleAction {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<RuleMessage>,
}

/// The message a rule posts: `text` (required), with the `type` and `attributes` a bot gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleMessage {
    pub text: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
}

/// One line of `GET /:project_id/publicanalytics/waiting/current`: the project's average wait, in
/// milliseconds, before an agent or bot first answered a conversation started in the last 4 hours
/// (the answer is an empty list when there is none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitingTime {
    #[serde(rename = "_id")]
    pub id: String,
    pub waiting_time_avg: f64,
}

fn pooled() -> String {
    Routing::POOLED.to_owned()
}
