//! The `projects` table.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{FromRow, SqliteExecutor};
use tiledesk_protocol::{BotRule, Project};

use super::{from_json_text, to_json_text};
use crate::clock;
use crate::domain::bot_rules::BotRules;
use crate::domain::ids::{ObjectId, ProjectId};
use crate::domain::operating_hours::OperatingHours;

/// A stored project.
#[derive(Debug, Clone, FromRow)]
pub struct ProjectRecord {
    pub id: String,
    pub name: String,
    pub settings: Option<String>,
    pub widget: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    /// Whether the operating hours apply.
    pub active_operating_hours: bool,
    /// The canonical text of the operating hours, when set.
    pub operating_hours: Option<String>,
    /// The JSON array of the proactive bot rules (checked when saved).
    pub bots_rules: String,
}

impl ProjectRecord {
    /// The project document of the API.
    pub fn to_wire(&self) -> Project {
        Project {
            id: self.id.clone(),
            name: self.name.clone(),
            settings: from_json_text(self.settings.as_deref()),
            widget: from_json_text(self.widget.as_deref()),
            created_by: self.created_by.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            active_operating_hours: Some(self.active_operating_hours),
            operating_hours: self.operating_hours.clone().map(Value::String),
            bots_rules: self.bots_rules(),
        }
    }

    /// The proactive bot rules.
    fn bots_rules(&self) -> Vec<BotRule> {
        serde_json::from_str(&self.bots_rules).unwrap_or_else(|error| {
            tracing::error!(project = %self.id, %error, "bot rules that do not read");
            Vec::new()
        })
    }

    /// Whether the project is open at `now`: always without active operating hours, else within them.
    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        if !self.active_operating_hours {
            return true;
        }
        let hours = self
            .operating_hours
            .as_deref()
            .and_then(|text| OperatingHours::parse(&Value::String(text.to_owned())).ok());
        match hours {
            Some(hours) => hours.is_open_at(now),
            None => {
                tracing::error!(project = %self.id, "active operating hours that do not read");
                false
            }
        }
    }

    /// Whether the project is open now.
    pub fn is_open(&self) -> bool {
        self.is_open_at(Utc::now())
    }
}

const COLUMNS: &str = "id, name, settings, widget, created_by, created_at, updated_at, \
                       active_operating_hours, operating_hours, bots_rules";

/// Stores a new project named `name` created by `creator`, with empty settings.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    name: &str,
    creator: &str,
) -> sqlx::Result<ProjectRecord> {
    let now = clock::now_iso();
    let settings = Value::Object(Default::default());
    sqlx::query_as(&format!(
        "INSERT INTO projects (id, name, settings, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(name)
    .bind(to_json_text(Some(&settings)))
    .bind(creator)
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// The project with this id.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    id: &ProjectId,
) -> sqlx::Result<Option<ProjectRecord>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM projects WHERE id = ?"))
        .bind(id.as_str())
        .fetch_optional(db)
        .await
}

/// What `update` changes; `None` leaves a field as it is.
pub struct ProjectChange<'a> {
    pub name: Option<&'a str>,
    pub widget: Option<&'a Value>,
    pub active_operating_hours: Option<bool>,
    pub operating_hours: Option<&'a OperatingHours>,
    pub bots_rules: Option<&'a BotRules>,
}

/// Renames the project, replaces its widget settings, its operating hours and/or its bot rules.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    id: &str,
    change: &ProjectChange<'_>,
) -> sqlx::Result<ProjectRecord> {
    sqlx::query_as(&format!(
        "UPDATE projects SET name = COALESCE(?, name), widget = COALESCE(?, widget),
             active_operating_hours = COALESCE(?, active_operating_hours),
             operating_hours = COALESCE(?, operating_hours),
             bots_rules = COALESCE(?, bots_rules), updated_at = ?
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(change.name)
    .bind(to_json_text(change.widget))
    .bind(change.active_operating_hours)
    .bind(change.operating_hours.map(OperatingHours::text))
    .bind(change.bots_rules.map(BotRules::text))
    .bind(clock::now_iso())
    .bind(id)
    .fetch_one(db)
    .await
}

/// The project's custom-token secret, if one was generated.
pub async fn secret(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT jwt_secret FROM projects WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
        .map(Option::flatten)
}

/// Replaces the project's custom-token secret.
pub async fn set_secret(db: impl SqliteExecutor<'_>, id: &str, secret: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE projects SET jwt_secret = ?, updated_at = ? WHERE id = ?")
        .bind(secret)
        .bind(clock::now_iso())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// The project user the last request routed without a department went to.
pub async fn last_assigned(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT last_assigned FROM projects WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
        .map(Option::flatten)
}

/// Remembers the project user the last request routed without a department went to.
pub async fn set_last_assigned(
    db: impl SqliteExecutor<'_>,
    id: &str,
    project_user: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE projects SET last_assigned = ? WHERE id = ?")
        .bind(project_user)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
