//! The `leads` table: the contact record of each visitor of a project, one per visitor.

use serde_json::Value;
use sqlx::{FromRow, SqliteExecutor};
use tiledesk_protocol::Lead;

use crate::clock;
use crate::domain::ids::ObjectId;

/// Status of a normal lead.
const NORMAL: i32 = 100;

/// A stored lead.
#[derive(Debug, Clone, FromRow)]
pub struct LeadRecord {
    pub id: String,
    pub project_id: String,
    /// The visitor's user id.
    pub lead_id: String,
    pub fullname: Option<String>,
    pub email: Option<String>,
    pub attributes: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl LeadRecord {
    /// The lead document of the API (also each request's `lead`).
    pub fn to_wire(&self) -> Lead {
        Lead {
            id: self.id.clone(),
            lead_id: self.lead_id.clone(),
            fullname: self.fullname.clone(),
            email: self.email.clone(),
            attributes: serde_json::from_str(&self.attributes)
                .unwrap_or_else(|_| Value::Object(Default::default())),
            id_project: self.project_id.clone(),
            status: NORMAL,
            created_by: self.created_by.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            version: self.version,
        }
    }

    /// The lead document as JSON.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self.to_wire()).unwrap_or_default()
    }
}

const COLUMNS: &str = "id, project_id, lead_id, fullname, email, attributes, created_by, \
                       created_at, updated_at, version";

/// What a visitor told about itself when starting a conversation.
pub struct Contact<'a> {
    pub project: &'a str,
    pub user: &'a str,
    pub fullname: Option<&'a str>,
    pub email: Option<&'a str>,
    pub attributes: &'a Value,
}

/// The visitor's lead, made on its first conversation (whether it is new); a known lead gets the
/// name and email it lacked.
pub async fn ensure(
    db: &mut sqlx::SqliteConnection,
    contact: &Contact<'_>,
) -> sqlx::Result<(LeadRecord, bool)> {
    let now = clock::now_iso();
    let inserted: Option<LeadRecord> = sqlx::query_as(&format!(
        "INSERT INTO leads (id, project_id, lead_id, fullname, email, attributes, created_by,
                            created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (project_id, lead_id) DO NOTHING RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(contact.project)
    .bind(contact.user)
    .bind(contact.fullname)
    .bind(contact.email)
    .bind(contact.attributes.to_string())
    .bind(contact.user)
    .bind(&now)
    .bind(&now)
    .fetch_optional(&mut *db)
    .await?;
    if let Some(lead) = inserted {
        return Ok((lead, true));
    }
    let known = sqlx::query_as(&format!(
        "UPDATE leads SET fullname = COALESCE(NULLIF(fullname, ''), ?),
             email = COALESCE(NULLIF(email, ''), ?)
         WHERE project_id = ? AND lead_id = ? RETURNING {COLUMNS}"
    ))
    .bind(contact.fullname)
    .bind(contact.email)
    .bind(contact.project)
    .bind(contact.user)
    .fetch_one(&mut *db)
    .await?;
    Ok((known, false))
}

/// The lead `id` of `project`.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
) -> sqlx::Result<Option<LeadRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM leads WHERE project_id = ? AND id = ?"
    ))
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// What `update` changes; `None` leaves a field (`Some(None)` removes the email).
pub struct LeadChange<'a> {
    pub fullname: Option<&'a str>,
    pub email: Option<Option<&'a str>>,
    pub attributes: Option<&'a Value>,
}

/// Changes the lead `id` of `project`.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
    change: &LeadChange<'_>,
) -> sqlx::Result<Option<LeadRecord>> {
    sqlx::query_as(&format!(
        "UPDATE leads SET fullname = COALESCE(?, fullname),
             email = CASE WHEN ? THEN ? ELSE email END,
             attributes = COALESCE(?, attributes), updated_at = ?, version = version + 1
         WHERE project_id = ? AND id = ? RETURNING {COLUMNS}"
    ))
    .bind(change.fullname)
    .bind(change.email.is_some())
    .bind(change.email.flatten())
    .bind(change.attributes.map(Value::to_string))
    .bind(clock::now_iso())
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// How many leads `project` has, and one page of them, newest first.
pub async fn page(
    pool: &sqlx::SqlitePool,
    project: &str,
    limit: u32,
    offset: u64,
) -> sqlx::Result<(u64, Vec<LeadRecord>)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads WHERE project_id = ?")
        .bind(project)
        .fetch_one(pool)
        .await?;
    let leads = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM leads WHERE project_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?"
    ))
    .bind(project)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await?;
    Ok((u64::try_from(total).unwrap_or(0), leads))
}
