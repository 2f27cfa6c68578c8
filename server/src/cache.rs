//! In-memory copies of rows every request reads and that rarely change: projects, users,
//! memberships and webhook subscriptions. This process is the only writer of its database, so
//! each write that changes one of them forgets the copy; only rows that exist are kept.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{PoisonError, RwLock};

use sqlx::{SqliteConnection, SqlitePool};

use crate::domain::ids::ProjectId;
use crate::store::members::{self, MemberRecord};
use crate::store::projects::{self, ProjectRecord};
use crate::store::subscriptions::{self, SubscriptionRecord};
use crate::store::users::{self, UserRecord};

/// Entries of one kind kept before they are all dropped (memory stays bounded).
const MAX_ENTRIES: usize = 100_000;

/// A map of copies.
struct Copies<K, V>(RwLock<HashMap<K, V>>);

impl<K: Eq + Hash, V: Clone> Copies<K, V> {
    fn new() -> Self {
        Self(RwLock::new(HashMap::new()))
    }

    fn get(&self, key: &K) -> Option<V> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    fn put(&self, key: K, value: V) {
        let mut map = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, value);
    }

    fn forget(&self, key: &K) {
        self.0
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }
}

/// The copies.
pub struct Cache {
    projects: Copies<String, ProjectRecord>,
    users: Copies<String, UserRecord>,
    members: Copies<(String, String), MemberRecord>,
    subscriptions: Copies<String, Vec<SubscriptionRecord>>,
}

impl Cache {
    pub fn new() -> Self {
        Self {
            projects: Copies::new(),
            users: Copies::new(),
            members: Copies::new(),
            subscriptions: Copies::new(),
        }
    }

    /// The project with this id.
    pub async fn project(
        &self,
        db: &SqlitePool,
        id: &ProjectId,
    ) -> sqlx::Result<Option<ProjectRecord>> {
        if let Some(project) = self.projects.get(&id.as_str().to_owned()) {
            return Ok(Some(project));
        }
        let found = projects::find(db, id).await?;
        if let Some(project) = &found {
            self.projects.put(project.id.clone(), project.clone());
        }
        Ok(found)
    }

    /// Call after changing a project.
    pub fn forget_project(&self, id: &str) {
        self.projects.forget(&id.to_owned());
    }

    /// The user with this id.
    pub async fn user(&self, db: &SqlitePool, id: &str) -> sqlx::Result<Option<UserRecord>> {
        if let Some(user) = self.users.get(&id.to_owned()) {
            return Ok(Some(user));
        }
        let found = users::find(db, id).await?;
        if let Some(user) = &found {
            self.users.put(user.id.clone(), user.clone());
        }
        Ok(found)
    }

    /// Call after changing a user.
    pub fn forget_user(&self, id: &str) {
        self.users.forget(&id.to_owned());
    }

    /// The membership of `user` in `project`.
    pub async fn member(
        &self,
        db: &SqlitePool,
        project: &str,
        user: &str,
    ) -> sqlx::Result<Option<MemberRecord>> {
        let key = (project.to_owned(), user.to_owned());
        if let Some(member) = self.members.get(&key) {
            return Ok(Some(member));
        }
        let found = members::find(db, project, user).await?;
        if let Some(member) = &found {
            self.members.put(key, member.clone());
        }
        Ok(found)
    }

    /// Call after changing a membership.
    pub fn forget_member(&self, project: &str, user: &str) {
        self.members.forget(&(project.to_owned(), user.to_owned()));
    }

    /// Every subscription of `project`, read through `conn` when not known.
    pub async fn subscriptions(
        &self,
        conn: &mut SqliteConnection,
        project: &str,
    ) -> sqlx::Result<Vec<SubscriptionRecord>> {
        let key = project.to_owned();
        if let Some(list) = self.subscriptions.get(&key) {
            return Ok(list);
        }
        let list = subscriptions::list(conn, project).await?;
        self.subscriptions.put(key, list.clone());
        Ok(list)
    }

    /// Call after creating, changing or deleting a subscription of `project`.
    pub fn forget_subscriptions(&self, project: &str) {
        self.subscriptions.forget(&project.to_owned());
    }
}
