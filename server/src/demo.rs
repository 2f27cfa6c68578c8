//! The demo owner and project made on first start, and `demo.json` that keeps their credentials.

use std::fmt;
use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use anyhow::{anyhow, Context};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::auth::password;
use crate::data_dir;
use crate::domain::ids::ObjectId;
use crate::domain::role::Role;
use crate::random;
use crate::store::users::{self, NewUser, UserKind};
use crate::store::{members, projects};

/// Name of the credentials file in the data folder.
const DEMO_FILE: &str = "demo.json";
/// Email of the demo owner.
const DEMO_EMAIL: &str = "demo@tiledesk.local";
/// Name of the demo project.
const DEMO_PROJECT: &str = "Demo project";

/// What `demo.json` holds: `{"project_id": …, "email": …, "password": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCredentials {
    pub project_id: String,
    pub email: String,
    pub password: String,
}

impl fmt::Display for DemoCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "demo project_id: {}", self.project_id)?;
        writeln!(f, "demo email: {}", self.email)?;
        write!(f, "demo password: {}", self.password)
    }
}

/// On an empty database, makes the demo owner and project and writes `demo.json`;
/// later, reads `demo.json` back (`None`, with a warning, if it was removed).
pub async fn ensure(pool: &SqlitePool, data_dir: &Path) -> anyhow::Result<Option<DemoCredentials>> {
    let path = data_dir.join(DEMO_FILE);
    if users::count(pool).await? == 0 {
        return create(pool, &path).await.map(Some);
    }
    match fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .with_context(|| format!("reading {}", path.display())),
        Err(error) if error.kind() == ErrorKind::NotFound => {
            tracing::warn!(path = %path.display(), "no demo credentials file");
            Ok(None)
        }
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

async fn create(pool: &SqlitePool, path: &Path) -> anyhow::Result<DemoCredentials> {
    let password = URL_SAFE_NO_PAD.encode(random::bytes::<12>());
    let hash = password::hash(password.clone())
        .await
        .map_err(|_| anyhow!("hashing the demo password"))?;
    let owner = ObjectId::generate();
    let mut tx = pool.begin().await?;
    users::insert(
        &mut *tx,
        &NewUser {
            id: owner.as_str(),
            kind: UserKind::Registered,
            email: Some(DEMO_EMAIL),
            password_hash: Some(&hash),
            firstname: "Demo",
            lastname: "Agent",
            external_project: None,
        },
    )
    .await?;
    let project = projects::insert(&mut *tx, DEMO_PROJECT, owner.as_str()).await?;
    // The demo owner starts available: the demo's visitors see an agent online.
    members::add(&mut *tx, &project.id, owner.as_str(), Role::Owner, true).await?;
    let credentials = DemoCredentials {
        project_id: project.id,
        email: DEMO_EMAIL.to_owned(),
        password,
    };
    // Written before the commit: a database with a demo owner always has its credentials on disk.
    data_dir::write_private(path, &serde_json::to_vec_pretty(&credentials)?)?;
    tx.commit().await?;
    Ok(credentials)
}
