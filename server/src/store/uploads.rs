//! The `uploads` and `upload_requests` tables: uploaded files, their uploader, and the
//! conversations whose messages reference them.

use sqlx::{FromRow, SqliteExecutor};

use crate::clock;

/// A stored upload.
#[derive(Debug, Clone, FromRow)]
pub struct UploadRecord {
    pub id: String,
    pub project_id: String,
    pub uploader_id: String,
    pub path: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// Records an upload.
pub async fn insert(db: impl SqliteExecutor<'_>, upload: &UploadRecord) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO uploads (id, project_id, uploader_id, path, name, content_type, size, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&upload.id)
    .bind(&upload.project_id)
    .bind(&upload.uploader_id)
    .bind(&upload.path)
    .bind(&upload.name)
    .bind(&upload.content_type)
    .bind(upload.size)
    .bind(clock::now_iso())
    .execute(db)
    .await?;
    Ok(())
}

/// The upload stored under exactly `path`.
pub async fn find_by_path(
    db: impl SqliteExecutor<'_>,
    path: &str,
) -> sqlx::Result<Option<UploadRecord>> {
    sqlx::query_as(
        "SELECT id, project_id, uploader_id, path, name, content_type, size FROM uploads WHERE path = ?",
    )
    .bind(path)
    .fetch_optional(db)
    .await
}

/// Links the upload at `path` of `project` to conversation `request_id` when `poster` uploaded it
/// (or `any_uploader`, for agents): whether it was linked.
pub async fn link(
    db: impl SqliteExecutor<'_>,
    project: &str,
    request_id: &str,
    path: &str,
    poster: &str,
    any_uploader: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT OR IGNORE INTO upload_requests (upload_id, project_id, request_id)
         SELECT id, project_id, ? FROM uploads
         WHERE path = ? AND project_id = ? AND (? OR uploader_id = ?)",
    )
    .bind(request_id)
    .bind(path)
    .bind(project)
    .bind(any_uploader)
    .bind(poster)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether `user_id` started a conversation in which a message referenced `upload`.
pub async fn shared_with(
    db: impl SqliteExecutor<'_>,
    upload: &UploadRecord,
    user_id: &str,
) -> sqlx::Result<bool> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM upload_requests AS link
         JOIN requests ON requests.project_id = link.project_id AND requests.request_id = link.request_id
         WHERE link.upload_id = ? AND requests.requester_id = ? LIMIT 1",
    )
    .bind(&upload.id)
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}
