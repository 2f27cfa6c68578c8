//! The `users` table: registered accounts, anonymous guests and users of custom tokens.

use sqlx::{FromRow, SqliteExecutor};
use tiledesk_protocol::User;

use crate::auth::jwt::Subject;
use crate::clock;
use crate::domain::account::Email;

/// What kind of account a user is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserKind {
    /// Signed up with email and password.
    Registered,
    /// Signed in anonymously from a widget, or with a custom token.
    Guest,
}

impl UserKind {
    fn as_str(self) -> &'static str {
        match self {
            UserKind::Registered => "user",
            UserKind::Guest => "guest",
        }
    }
}

impl TryFrom<String> for UserKind {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "user" => Ok(UserKind::Registered),
            "guest" => Ok(UserKind::Guest),
            _ => Err(format!("unknown user kind {value:?}")),
        }
    }
}

/// A stored user.
#[derive(Debug, Clone, FromRow)]
pub struct UserRecord {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub kind: UserKind,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub firstname: String,
    pub lastname: String,
    pub email_verified: bool,
    /// The project whose custom token created this (guest) user.
    pub external_project: Option<String>,
}

impl UserRecord {
    /// The JWT `sub` of this user.
    pub fn subject(&self) -> Subject {
        match (self.kind, &self.external_project) {
            (UserKind::Registered, _) => Subject::User,
            (UserKind::Guest, None) => Subject::Guest,
            (UserKind::Guest, Some(_)) => Subject::UserExternal,
        }
    }

    /// First and last name, else the email, else the id.
    pub fn full_name(&self) -> String {
        let joined = format!("{} {}", self.firstname, self.lastname);
        let joined = joined.trim();
        if !joined.is_empty() {
            joined.to_owned()
        } else {
            self.email.clone().unwrap_or_else(|| self.id.clone())
        }
    }

    /// The user as the auth endpoints answer with it.
    pub fn to_wire(&self) -> User {
        let guest = self.kind == UserKind::Guest;
        User {
            id: self.id.clone(),
            guest_id: guest.then(|| self.id.clone()),
            email: self.email.clone(),
            firstname: Some(self.firstname.clone()),
            lastname: Some(self.lastname.clone()),
            full_name: guest.then(|| self.full_name()),
            emailverified: (!guest).then_some(self.email_verified),
        }
    }
}

/// What a new user is made of.
pub struct NewUser<'a> {
    pub id: &'a str,
    pub kind: UserKind,
    pub email: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub firstname: &'a str,
    pub lastname: &'a str,
    pub external_project: Option<&'a str>,
}

impl NewUser<'_> {
    /// The user as the auth endpoints would answer with it once stored.
    pub fn to_wire(&self) -> User {
        UserRecord {
            id: self.id.to_owned(),
            kind: self.kind,
            email: self.email.map(str::to_owned),
            password_hash: None,
            firstname: self.firstname.to_owned(),
            lastname: self.lastname.to_owned(),
            email_verified: false,
            external_project: self.external_project.map(str::to_owned),
        }
        .to_wire()
    }
}

const COLUMNS: &str =
    "id, kind, email, password_hash, firstname, lastname, email_verified, external_project";

/// Stores `user`; a registered email already taken fails with a unique violation.
pub async fn insert(db: impl SqliteExecutor<'_>, user: &NewUser<'_>) -> sqlx::Result<UserRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO users (id, kind, email, password_hash, firstname, lastname, external_project,
                            created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(user.id)
    .bind(user.kind.as_str())
    .bind(user.email)
    .bind(user.password_hash)
    .bind(user.firstname)
    .bind(user.lastname)
    .bind(user.external_project)
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// Changes the names and email of the user with this id.
pub async fn update_profile(
    db: impl SqliteExecutor<'_>,
    id: &str,
    firstname: &str,
    lastname: &str,
    email: Option<&str>,
) -> sqlx::Result<UserRecord> {
    sqlx::query_as(&format!(
        "UPDATE users SET firstname = ?, lastname = ?, email = ?, updated_at = ?
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(firstname)
    .bind(lastname)
    .bind(email)
    .bind(clock::now_iso())
    .bind(id)
    .fetch_one(db)
    .await
}

/// The user with this id.
pub async fn find(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<UserRecord>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The registered user with this email.
pub async fn find_by_email(
    db: impl SqliteExecutor<'_>,
    email: &Email,
) -> sqlx::Result<Option<UserRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE email = ? AND kind = 'user'"
    ))
    .bind(email.as_str())
    .fetch_optional(db)
    .await
}

/// How many users exist (zero on a fresh database).
pub async fn count(db: impl SqliteExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await
}

/// The user a project's custom token with `external_id` signed in before.
pub async fn find_external(
    db: impl SqliteExecutor<'_>,
    project: &str,
    external_id: &str,
) -> sqlx::Result<Option<UserRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE id =
           (SELECT user_id FROM external_users WHERE project_id = ? AND external_id = ?)"
    ))
    .bind(project)
    .bind(external_id)
    .fetch_optional(db)
    .await
}

/// Remembers that `user` is who `external_id` of `project` signs in as.
pub async fn link_external(
    db: impl SqliteExecutor<'_>,
    project: &str,
    external_id: &str,
    user: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO external_users (project_id, external_id, user_id) VALUES (?, ?, ?)")
        .bind(project)
        .bind(external_id)
        .bind(user)
        .execute(db)
        .await?;
    Ok(())
}
