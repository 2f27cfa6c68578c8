//! The `requests` table: conversations, one per (project, request id).

use serde_json::Value;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteExecutor};
use tiledesk_protocol::{Request, RequestStatus, Tag};

use super::{from_json_text, to_json_text};
use crate::clock;
use crate::domain::ids::ObjectId;

/// A stored conversation.
#[derive(Debug, Clone, FromRow)]
pub struct RequestRecord {
    pub id: String,
    pub project_id: String,
    pub request_id: String,
    pub status: i32,
    pub first_text: String,
    pub requester_id: String,
    pub lead: String,
    pub participants: String,
    pub attributes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    pub closed_at: Option<String>,
    pub rating: Option<i32>,
    pub rating_message: Option<String>,
    pub department: Option<String>,
    pub subject: Option<String>,
    /// JSON array of tags.
    pub tags: String,
}

impl RequestRecord {
    /// The ids of the agents taking part.
    pub fn participants(&self) -> Vec<String> {
        serde_json::from_str(&self.participants).unwrap_or_default()
    }

    /// The id of the department it was started for or routed to.
    pub fn department_id(&self) -> Option<String> {
        from_json_text(self.department.as_deref())
            .and_then(|d| d.get("_id").and_then(Value::as_str).map(str::to_owned))
    }

    /// The request document of the API.
    pub fn to_wire(&self) -> Request {
        Request {
            id: self.id.clone(),
            request_id: self.request_id.clone(),
            id_project: self.project_id.clone(),
            status: self.status,
            first_text: self.first_text.clone(),
            requester: Some(Value::String(self.requester_id.clone())),
            lead: from_json_text(Some(&self.lead)),
            participants: self.participants(),
            department: from_json_text(self.department.as_deref()),
            attributes: from_json_text(self.attributes.as_deref()),
            created_by: self.requester_id.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            closed_at: self.closed_at.clone(),
            rating: self.rating,
            rating_message: self.rating_message.clone(),
            version: self.version,
            subject: self.subject.clone(),
            tags: serde_json::from_str(&self.tags).unwrap_or_default(),
        }
    }
}

/// What a new conversation is made of.
pub struct NewRequest<'a> {
    pub project: &'a str,
    pub request_id: &'a str,
    pub first_text: &'a str,
    pub requester: &'a str,
    /// The lead document and its row id.
    pub lead: &'a Value,
    pub lead_id: &'a str,
    pub attributes: Option<&'a Value>,
    /// `{"_id":…,"name":…}` of the department it was started for.
    pub department: Option<&'a Value>,
    /// The agents it was routed to (unassigned when none).
    pub participants: &'a [String],
}

const COLUMNS: &str = "id, project_id, request_id, status, first_text, requester_id, lead, \
                       participants, attributes, created_at, updated_at, version, closed_at, rating, \
                       rating_message, department, subject, tags";

/// The status of an open request with these participants: assigned with some, else unassigned.
pub fn open_status(participants: &[String]) -> i32 {
    if participants.is_empty() {
        RequestStatus::UNASSIGNED
    } else {
        RequestStatus::ASSIGNED
    }
}

fn json_list(ids: &[String]) -> sqlx::Result<String> {
    serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(e.into()))
}

/// Stores a new conversation, assigned when it has participants.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    new: &NewRequest<'_>,
) -> sqlx::Result<RequestRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO requests (id, project_id, request_id, status, first_text, requester_id, lead,
                               lead_id, attributes, department, participants, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(new.project)
    .bind(new.request_id)
    .bind(open_status(new.participants))
    .bind(new.first_text)
    .bind(new.requester)
    .bind(new.lead.to_string())
    .bind(new.lead_id)
    .bind(to_json_text(new.attributes))
    .bind(to_json_text(new.department))
    .bind(json_list(new.participants)?)
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// The conversation `request_id` of `project`.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    project: &str,
    request_id: &str,
) -> sqlx::Result<Option<RequestRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM requests WHERE project_id = ? AND request_id = ?"
    ))
    .bind(project)
    .bind(request_id)
    .fetch_optional(db)
    .await
}

/// Saves new participants and status of `request`.
pub async fn assign(
    db: impl SqliteExecutor<'_>,
    request: &RequestRecord,
    participants: &[String],
    status: i32,
) -> sqlx::Result<RequestRecord> {
    sqlx::query_as(&format!(
        "UPDATE requests SET participants = ?, status = ?, updated_at = ?, version = version + 1
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(json_list(participants)?)
    .bind(status)
    .bind(clock::now_iso())
    .bind(&request.id)
    .fetch_one(db)
    .await
}

/// Closes `request` (status 1000) now.
pub async fn close(
    db: impl SqliteExecutor<'_>,
    request: &RequestRecord,
) -> sqlx::Result<RequestRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "UPDATE requests SET status = ?, closed_at = ?, updated_at = ?, version = version + 1
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(RequestStatus::CLOSED)
    .bind(&now)
    .bind(&now)
    .bind(&request.id)
    .fetch_one(db)
    .await
}

/// Reopens a closed `request`: assigned when it has participants, else unassigned.
pub async fn reopen(
    db: impl SqliteExecutor<'_>,
    request: &RequestRecord,
) -> sqlx::Result<RequestRecord> {
    sqlx::query_as(&format!(
        "UPDATE requests SET status = ?, closed_at = NULL, updated_at = ?, version = version + 1
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(open_status(&request.participants()))
    .bind(clock::now_iso())
    .bind(&request.id)
    .fetch_one(db)
    .await
}

/// Saves the subject (`Some(None)` removes it) and/or the tags of `request`.
pub async fn patch(
    db: impl SqliteExecutor<'_>,
    request: &RequestRecord,
    subject: Option<Option<&str>>,
    tags: Option<&[Tag]>,
) -> sqlx::Result<RequestRecord> {
    let tags = tags
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query_as(&format!(
        "UPDATE requests SET subject = CASE WHEN ? THEN ? ELSE subject END,
             tags = COALESCE(?, tags), updated_at = ?, version = version + 1
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(subject.is_some())
    .bind(subject.flatten())
    .bind(tags)
    .bind(clock::now_iso())
    .bind(&request.id)
    .fetch_one(db)
    .await
}

/// Replaces the attributes of `request`.
pub async fn set_attributes(
    db: impl SqliteExecutor<'_>,
    request: &RequestRecord,
    attributes: &Value,
) -> sqlx::Result<RequestRecord> {
    sqlx::query_as(&format!(
        "UPDATE requests SET attributes = ?, updated_at = ?, version = version + 1
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(attributes.to_string())
    .bind(clock::now_iso())
    .bind(&request.id)
    .fetch_one(db)
    .await
}

/// Moves `request` to `department` (`{"_id":…,"name":…}`) with new participants and status.
pub async fn set_department(
    db: impl SqliteExecutor<'_>,
    request: &RequestRecord,
    department: &Value,
    participants: &[String],
    status: i32,
) -> sqlx::Result<RequestRecord> {
    sqlx::query_as(&format!(
        "UPDATE requests SET department = ?, participants = ?, status = ?, updated_at = ?,
             version = version + 1
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(department.to_string())
    .bind(json_list(participants)?)
    .bind(status)
    .bind(clock::now_iso())
    .bind(&request.id)
    .fetch_one(db)
    .await
}

/// Gives every request of lead `lead_id` the lead document `lead`: the changed requests.
pub async fn set_lead(
    db: impl SqliteExecutor<'_>,
    lead_id: &str,
    lead: &Value,
) -> sqlx::Result<Vec<RequestRecord>> {
    sqlx::query_as(&format!(
        "UPDATE requests SET lead = ?, updated_at = ?, version = version + 1
         WHERE lead_id = ? RETURNING {COLUMNS}"
    ))
    .bind(lead.to_string())
    .bind(clock::now_iso())
    .bind(lead_id)
    .fetch_all(db)
    .await
}

/// Up to `limit` open (not closed) requests of `project`, last changed first.
pub async fn open(
    db: impl SqliteExecutor<'_>,
    project: &str,
    limit: u32,
) -> sqlx::Result<Vec<RequestRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM requests WHERE project_id = ? AND status < ?
         ORDER BY updated_at DESC, seq DESC LIMIT ?"
    ))
    .bind(project)
    .bind(RequestStatus::CLOSED)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await
}

/// Saves the requester's rating of `request`.
pub async fn rate(
    db: impl SqliteExecutor<'_>,
    request: &RequestRecord,
    rating: i32,
    message: Option<&str>,
) -> sqlx::Result<RequestRecord> {
    sqlx::query_as(&format!(
        "UPDATE requests SET rating = ?, rating_message = ?, updated_at = ?, version = version + 1
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(rating)
    .bind(message)
    .bind(clock::now_iso())
    .bind(&request.id)
    .fetch_one(db)
    .await
}

/// The column a listing is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
}

impl SortField {
    /// Reads `createdAt` or `updatedAt` (also snake_case).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "createdAt" | "created_at" => Some(Self::CreatedAt),
            "updatedAt" | "updated_at" => Some(Self::UpdatedAt),
            _ => None,
        }
    }

    fn column(self) -> &'static str {
        match self {
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
        }
    }
}

/// Which conversations of a project to list.
pub struct PageQuery<'a> {
    pub project: &'a str,
    /// Only these statuses; all when empty.
    pub statuses: &'a [i32],
    /// Only the conversations this user started.
    pub requester: Option<&'a str>,
    /// Only the conversations this user (an agent) takes part in.
    pub participant: Option<&'a str>,
    /// Only the conversations of the lead with this id.
    pub lead: Option<&'a str>,
    pub sort: SortField,
    pub ascending: bool,
    pub limit: u32,
    pub offset: u64,
}

fn push_filter(builder: &mut QueryBuilder<'_, Sqlite>, query: &PageQuery<'_>) {
    builder.push(" WHERE project_id = ");
    builder.push_bind(query.project.to_owned());
    if let Some(requester) = query.requester {
        builder.push(" AND requester_id = ");
        builder.push_bind(requester.to_owned());
    }
    if let Some(participant) = query.participant {
        builder.push(" AND EXISTS (SELECT 1 FROM json_each(participants) WHERE value = ");
        builder.push_bind(participant.to_owned());
        builder.push(")");
    }
    if let Some(lead) = query.lead {
        builder.push(" AND lead_id = ");
        builder.push_bind(lead.to_owned());
    }
    if !query.statuses.is_empty() {
        builder.push(" AND status IN (");
        let mut list = builder.separated(", ");
        for status in query.statuses {
            list.push_bind(*status);
        }
        list.push_unseparated(")");
    }
}

/// How many conversations match, and one page of them in the asked order.
pub async fn page(
    pool: &sqlx::SqlitePool,
    query: &PageQuery<'_>,
) -> sqlx::Result<(u64, Vec<RequestRecord>)> {
    let mut count = QueryBuilder::new("SELECT COUNT(*) FROM requests");
    push_filter(&mut count, query);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;

    let mut select = QueryBuilder::new(format!("SELECT {COLUMNS} FROM requests"));
    push_filter(&mut select, query);
    let direction = if query.ascending { "ASC" } else { "DESC" };
    select.push(format!(
        " ORDER BY {column} {direction}, seq {direction} LIMIT ",
        column = query.sort.column()
    ));
    select.push_bind(i64::from(query.limit));
    select.push(" OFFSET ");
    select.push_bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
    let requests = select.build_query_as().fetch_all(pool).await?;
    Ok((u64::try_from(total).unwrap_or(0), requests))
}

/// The average time, in milliseconds, the project's conversations created at `since` (a
/// [`clock`] timestamp) or later waited for their first answer: the first message in them from
/// someone other than the requester (an agent or a bot) that is neither a private note nor an
/// info notice (`attributes.subtype` `info` or `info/support`). `None` when none was answered.
pub async fn average_waiting_millis(
    db: impl SqliteExecutor<'_>,
    project: &str,
    since: &str,
) -> sqlx::Result<Option<f64>> {
    sqlx::query_scalar(
        "SELECT AVG(MAX(0.0, (julianday(answered_at) - julianday(created_at)) * 86400000.0))
         FROM (SELECT r.created_at,
                      (SELECT m.created_at FROM messages AS m
                       WHERE m.project_id = r.project_id AND m.request_id = r.request_id
                         AND m.sender <> r.requester_id AND m.private = 0
                         AND COALESCE(CASE WHEN json_valid(m.attributes)
                                           THEN json_extract(m.attributes, '$.subtype') END, '')
                             NOT IN ('info', 'info/support')
                       ORDER BY m.seq LIMIT 1) AS answered_at
               FROM requests AS r
               WHERE r.project_id = ? AND r.created_at >= ?)
         WHERE answered_at IS NOT NULL",
    )
    .bind(project)
    .bind(since)
    .fetch_one(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A visitor's conversations, each with its own timing (times are UTC on 2024-01-15).
    const CONVERSATIONS: &str = "
        INSERT INTO users (id, kind, firstname, created_at, updated_at) VALUES
            ('o', 'user', 'Owner', 't', 't'), ('g', 'guest', 'Ada', 't', 't');
        INSERT INTO projects (id, name, created_by, created_at, updated_at) VALUES
            ('p', 'P', 'o', 't', 't'), ('q', 'Q', 'o', 't', 't');
        INSERT INTO requests (id, project_id, request_id, status, first_text, requester_id, lead,
                              created_at, updated_at) VALUES
            ('r1', 'p', 'answered-10s', 200, 'hi', 'g', '{}', '2024-01-15T11:00:00.000Z', 't'),
            ('r2', 'p', 'answered-30s', 200, 'hi', 'g', '{}', '2024-01-15T10:00:00.250Z', 't'),
            ('r3', 'p', 'too-old', 200, 'hi', 'g', '{}', '2024-01-15T07:59:59.999Z', 't'),
            ('r4', 'p', 'unanswered', 100, 'hi', 'g', '{}', '2024-01-15T11:30:00.000Z', 't'),
            ('r5', 'q', 'elsewhere', 200, 'hi', 'g', '{}', '2024-01-15T11:00:00.000Z', 't');
        INSERT INTO messages (id, project_id, request_id, sender, sender_fullname, kind, text, status,
                              attributes, private, created_at, updated_at) VALUES
            ('m1', 'p', 'answered-10s', 'g', 'Ada', 'text', 'hi', 200, NULL, 0, '2024-01-15T11:00:00.000Z', 't'),
            ('m2', 'p', 'answered-10s', 'g', 'Ada', 'text', 'anyone?', 200, NULL, 0, '2024-01-15T11:00:01.000Z', 't'),
            ('m3', 'p', 'answered-10s', 'o', 'System', 'text', 'joined', 200, '{\"subtype\":\"info\"}', 0, '2024-01-15T11:00:02.000Z', 't'),
            ('m4', 'p', 'answered-10s', 'o', 'Owner', 'text', 'note', 200, '{\"subtype\":\"private\"}', 1, '2024-01-15T11:00:03.000Z', 't'),
            ('m5', 'p', 'answered-10s', 'o', 'Owner', 'text', 'bye', 200, '{\"subtype\":\"info/support\"}', 0, '2024-01-15T11:00:04.000Z', 't'),
            ('m6', 'p', 'answered-10s', 'o', 'Owner', 'text', 'hello', 200, '{}', 0, '2024-01-15T11:00:10.000Z', 't'),
            ('m7', 'p', 'answered-10s', 'o', 'Owner', 'text', 'later', 200, NULL, 0, '2024-01-15T11:05:00.000Z', 't'),
            ('m8', 'p', 'answered-30s', 'g', 'Ada', 'text', 'hi', 200, 'not json', 0, '2024-01-15T10:00:00.250Z', 't'),
            ('m9', 'p', 'answered-30s', 'o', 'Bot', 'text', 'hello', 200, 'not json', 0, '2024-01-15T10:00:30.250Z', 't'),
            ('m10', 'p', 'too-old', 'o', 'Owner', 'text', 'hello', 200, NULL, 0, '2024-01-15T08:00:00.000Z', 't'),
            ('m11', 'p', 'unanswered', 'g', 'Ada', 'text', 'hi', 200, NULL, 0, '2024-01-15T11:30:00.000Z', 't'),
            ('m12', 'q', 'elsewhere', 'o', 'Owner', 'text', 'hello', 200, NULL, 0, '2024-01-15T11:00:01.000Z', 't');";

    #[tokio::test]
    async fn the_waiting_time_averages_first_answers_of_recent_conversations() {
        let dir = tempfile::tempdir().unwrap();
        let database = crate::store::open(dir.path()).await.unwrap();
        let db = &database.write;
        let since = "2024-01-15T08:00:00.000Z";
        assert_eq!(average_waiting_millis(db, "p", since).await.unwrap(), None);
        sqlx::raw_sql(CONVERSATIONS).execute(db).await.unwrap();

        // 10 s (notices, notes and the visitor's own messages are no answer) and 30 s; the
        // conversation started before `since` and the unanswered one are left out.
        let average = average_waiting_millis(db, "p", since).await.unwrap();
        assert_eq!(average.map(f64::round), Some(20_000.0));
        let average = average_waiting_millis(db, "p", "2024-01-15T10:30:00.000Z")
            .await
            .unwrap();
        assert_eq!(average.map(f64::round), Some(10_000.0));
        let average = average_waiting_millis(db, "p", "2024-01-15T10:00:00.250Z")
            .await
            .unwrap();
        assert_eq!(
            average.map(f64::round),
            Some(20_000.0),
            "`since` is included"
        );
        let average = average_waiting_millis(db, "p", "2024-01-15T07:00:00.000Z")
            .await
            .unwrap();
        assert_eq!(
            average.map(f64::round),
            Some(13_334.0),
            "with the older one (1 ms)"
        );
        let average = average_waiting_millis(db, "p", "2024-01-15T11:10:00.000Z")
            .await
            .unwrap();
        assert_eq!(average, None, "only the unanswered one");
        let other = average_waiting_millis(db, "q", since).await.unwrap();
        assert_eq!(other.map(f64::round), Some(1_000.0));
        database.close().await;
    }
}
