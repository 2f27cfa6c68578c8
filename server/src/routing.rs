//! Routing: which available agent a request goes to. Within the project's operating hours, the
//! available agents (of the department's members, or of the whole project) take requests in turn.

use sqlx::SqliteConnection;
use tiledesk_protocol::Routing;

use crate::store::departments::{self, DepartmentRecord};
use crate::store::members::{self, AgentRecord};
use crate::store::projects::{self, ProjectRecord};

/// Where a request is routed.
pub enum Target<'a> {
    /// To a department, following its routing (`pooled` assigns nobody).
    Department(&'a DepartmentRecord),
    /// To any available agent of the project.
    Project,
}

/// The agent the next request for `target` goes to, if any is available now; remembers the
/// choice for the next turn (inside the caller's transaction).
pub async fn next_agent(
    conn: &mut SqliteConnection,
    project: &ProjectRecord,
    target: Target<'_>,
) -> sqlx::Result<Option<AgentRecord>> {
    if !project.is_open() {
        return Ok(None);
    }
    let (among, last) = match &target {
        Target::Department(department) if department.routing != Routing::ASSIGNED => {
            return Ok(None)
        }
        Target::Department(department) => {
            let members = department.members();
            let among = (!members.is_empty()).then_some(members);
            (among, department.last_assigned.clone())
        }
        Target::Project => (
            None,
            projects::last_assigned(&mut *conn, &project.id).await?,
        ),
    };
    let agents = members::available_agents(&mut *conn, &project.id, among.as_deref()).await?;
    let Some(chosen) = after(&agents, last.as_deref()).cloned() else {
        return Ok(None);
    };
    match target {
        Target::Department(department) => {
            departments::set_last_assigned(&mut *conn, &department.id, &chosen.id).await?
        }
        Target::Project => projects::set_last_assigned(&mut *conn, &project.id, &chosen.id).await?,
    }
    Ok(Some(chosen))
}

/// The agent after the one with project user id `last` (the first when `last` is not among them).
fn after<'a>(agents: &'a [AgentRecord], last: Option<&str>) -> Option<&'a AgentRecord> {
    let next = last
        .and_then(|last| agents.iter().position(|agent| agent.id == last))
        .map_or(0, |index| index + 1);
    agents.get(next).or_else(|| agents.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: &str) -> AgentRecord {
        AgentRecord {
            id: id.to_owned(),
            user_id: format!("user-{id}"),
            firstname: id.to_owned(),
            lastname: String::new(),
        }
    }

    #[test]
    fn agents_take_turns() {
        let agents = [agent("a"), agent("b"), agent("c")];
        let pick = |last| after(&agents, last).map(|a| a.id.as_str());
        assert_eq!(pick(None), Some("a"));
        assert_eq!(pick(Some("a")), Some("b"));
        assert_eq!(pick(Some("b")), Some("c"));
        assert_eq!(pick(Some("c")), Some("a"));
        assert_eq!(pick(Some("gone")), Some("a"));
        assert_eq!(after(&[], Some("a")).map(|a| a.id.as_str()), None);
    }
}
