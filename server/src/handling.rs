//! How agents handle a request: its subject and tags, its attributes, who takes part, and routing
//! it to an agent or department. Each change queues `request.update` and its own webhook in its
//! transaction and is published on the request's topics once committed.

use serde_json::Value;
use sqlx::SqliteConnection;
use tiledesk_protocol::{Assignment, RequestPatch, RequestStatus, Tag};

use crate::conversation::{begin_change, department_ref, finish_change};
use crate::domain::ids::{ObjectId, RequestId};
use crate::domain::role::Role;
use crate::error::{echo, ApiError, FieldError};
use crate::extract::ProjectAccess;
use crate::routing::{self, Target};
use crate::state::AppState;
use crate::store::departments::{self, DepartmentRecord};
use crate::store::members;
use crate::store::requests::{self, RequestRecord};
use crate::webhooks::events;

/// Longest subject, in characters.
const MAX_SUBJECT_CHARS: usize = 1_000;
/// Tags a request may carry.
const MAX_TAGS: usize = 50;
/// Longest tag, in characters.
const MAX_TAG_CHARS: usize = 100;
/// Longest tag color, in characters.
const MAX_COLOR_CHARS: usize = 32;
/// Participants a request may have.
const MAX_PARTICIPANTS: usize = 50;
/// Largest attributes object, serialized, in bytes.
const MAX_ATTRIBUTES_BYTES: usize = 64 * 1024;

/// A short text without control characters, trimmed, of at most `max` characters.
fn short_text(raw: &str, max: usize) -> Option<&str> {
    let text = raw.trim();
    (text.chars().count() <= max && !text.chars().any(char::is_control)).then_some(text)
}

/// Checked tags: each named (1 to 100 characters), at most 50, the first of each name kept.
fn parse_tags(raw: &[Tag]) -> Result<Vec<Tag>, FieldError> {
    let bad = || {
        FieldError::field(
            "tags",
            format!(
                "Tags are at most {MAX_TAGS} objects {{\"tag\": 1 to {MAX_TAG_CHARS} characters, \
                 \"color\": up to {MAX_COLOR_CHARS}}}."
            ),
        )
    };
    if raw.len() > MAX_TAGS {
        return Err(bad());
    }
    let mut tags: Vec<Tag> = Vec::new();
    for tag in raw {
        let name = short_text(&tag.tag, MAX_TAG_CHARS)
            .filter(|name| !name.is_empty())
            .ok_or_else(bad)?;
        let color = match tag.color.as_deref() {
            None => None,
            Some(color) => Some(
                short_text(color, MAX_COLOR_CHARS)
                    .ok_or_else(bad)?
                    .to_owned(),
            ),
        };
        if !tags.iter().any(|known| known.tag == name) {
            tags.push(Tag {
                tag: name.to_owned(),
                color,
            });
        }
    }
    Ok(tags)
}

/// Changes the subject (empty removes it) and/or the tags of a request (agents and up).
pub async fn patch(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
    body: &RequestPatch,
) -> Result<RequestRecord, ApiError> {
    access.require(Role::Agent)?;
    let mut errors = Vec::new();
    let subject = match body.subject.as_deref() {
        None => Some(None),
        Some(raw) => match short_text(raw, MAX_SUBJECT_CHARS) {
            Some("") => Some(Some(None)),
            Some(subject) => Some(Some(Some(subject))),
            None => {
                errors.push(FieldError::field(
                    "subject",
                    format!("The subject is at most {MAX_SUBJECT_CHARS} characters of text."),
                ));
                None
            }
        },
    };
    let tags = match &body.tags {
        None => Some(None),
        Some(raw) => parse_tags(raw)
            .map(Some)
            .map_err(|error| errors.push(error))
            .ok(),
    };
    let (Some(subject), Some(tags)) = (subject, tags) else {
        return Err(ApiError::Validation(errors));
    };
    let (mut tx, request) = begin_change(state, access, request_id).await?;
    let patched = requests::patch(&mut *tx, &request, subject, tags.as_deref()).await?;
    finish_change(state, tx, &patched, &[events::REQUEST_UPDATE]).await?;
    Ok(patched)
}

/// Merges `body` (an object) into the attributes of a request (agents and up): its keys replace
/// the request's, the others stay.
pub async fn merge_attributes(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
    body: Value,
) -> Result<RequestRecord, ApiError> {
    access.require(Role::Agent)?;
    let Value::Object(changes) = body else {
        return Err(ApiError::field(
            "attributes",
            "The body must be an object of attributes.",
        ));
    };
    let (mut tx, request) = begin_change(state, access, request_id).await?;
    let mut attributes = request
        .attributes
        .as_deref()
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .and_then(|value| match value {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .unwrap_or_default();
    attributes.extend(changes);
    let merged = Value::Object(attributes);
    if merged.to_string().len() > MAX_ATTRIBUTES_BYTES {
        return Err(ApiError::field(
            "attributes",
            "The attributes would be over 64 KB.",
        ));
    }
    let changed = requests::set_attributes(&mut *tx, &request, &merged).await?;
    let events = [events::REQUEST_UPDATE, events::REQUEST_ATTRIBUTES_UPDATE];
    finish_change(state, tx, &changed, &events).await?;
    Ok(changed)
}

/// How the participants of a request change.
pub enum ParticipantsChange<'a> {
    /// Replaced by these user ids.
    Set(&'a [String]),
    /// This user id joins.
    Add(&'a str),
    /// This user id leaves.
    Remove(&'a str),
}

/// Checks that each of `users` is an agent (or up) of the project (422 otherwise).
async fn check_agents(
    conn: &mut SqliteConnection,
    project: &str,
    users: &[String],
    field: &'static str,
) -> Result<(), ApiError> {
    for user in users {
        let role = members::role_of(&mut *conn, project, user).await?;
        if !role.is_some_and(Role::sees_all_requests) {
            return Err(ApiError::field(
                field,
                format!("{} is not an agent of this project.", echo(user)),
            ));
        }
    }
    Ok(())
}

/// The status of `request` with new participants: a closed request stays closed.
fn status_with(request: &RequestRecord, participants: &[String]) -> i32 {
    if request.status == RequestStatus::CLOSED {
        RequestStatus::CLOSED
    } else {
        requests::open_status(participants)
    }
}

/// Changes who takes part in a request (agents and up): an open request with participants is
/// assigned (200), one without unassigned (100); a closed one stays closed.
pub async fn change_participants(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
    change: ParticipantsChange<'_>,
) -> Result<RequestRecord, ApiError> {
    access.require(Role::Agent)?;
    let project = access.project.id.as_str();
    let (mut tx, request) = begin_change(state, access, request_id).await?;
    let mut participants = request.participants();
    match change {
        ParticipantsChange::Set(users) => {
            if users.len() > MAX_PARTICIPANTS {
                return Err(ApiError::field(
                    "participants",
                    format!("At most {MAX_PARTICIPANTS} participants."),
                ));
            }
            check_agents(&mut tx, project, users, "participants").await?;
            participants.clear();
            for user in users {
                if !participants.contains(user) {
                    participants.push(user.clone());
                }
            }
        }
        ParticipantsChange::Add(user) => {
            let user = user.trim().to_owned();
            check_agents(&mut tx, project, std::slice::from_ref(&user), "member").await?;
            if participants.len() >= MAX_PARTICIPANTS {
                return Err(ApiError::field(
                    "member",
                    format!("At most {MAX_PARTICIPANTS} participants."),
                ));
            }
            if !participants.contains(&user) {
                participants.push(user);
            }
        }
        ParticipantsChange::Remove(user) => {
            let before = participants.len();
            participants.retain(|known| known != user);
            if participants.len() == before {
                return Err(ApiError::NotFound);
            }
        }
    }
    let status = status_with(&request, &participants);
    let changed = requests::assign(&mut *tx, &request, &participants, status).await?;
    let events = [events::REQUEST_UPDATE, events::REQUEST_PARTICIPANTS_UPDATE];
    finish_change(state, tx, &changed, &events).await?;
    Ok(changed)
}

/// Where `route` sends a request.
pub enum RouteTo<'a> {
    /// To an available agent of its own department (as that department routes), else of the
    /// project: `PUT …/agent`, a hand-over to a human.
    Agent,
    /// To this department, as it routes: `PUT …/departments`.
    Department(&'a str),
    /// `PUT …/assign`: to one agent, or (only while unassigned) to a department or its own.
    Assign(&'a Assignment),
}

/// The department of the project `raw` names (422 when malformed or unknown).
async fn named_department(
    conn: &mut SqliteConnection,
    project: &str,
    raw: &str,
) -> Result<DepartmentRecord, ApiError> {
    let unknown = || {
        ApiError::field(
            "departmentid",
            format!("No department {} in this project.", echo(raw)),
        )
    };
    let id = ObjectId::parse(raw.trim()).ok_or_else(unknown)?;
    departments::find(conn, project, id.as_str())
        .await?
        .ok_or_else(unknown)
}

/// Routes a request (agents and up): to the next available agent (round robin), or to nobody
/// (unassigned, 100) when none is available, the project is closed or the department pools its
/// requests. A closed request must be reopened first (409).
pub async fn route(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
    to: RouteTo<'_>,
) -> Result<RequestRecord, ApiError> {
    access.require(Role::Agent)?;
    let project = &access.project;
    let (mut tx, request) = begin_change(state, access, request_id).await?;
    if request.status == RequestStatus::CLOSED {
        return Err(ApiError::Conflict(
            "The request is closed: reopen it before routing it.",
        ));
    }
    let own_department = match request.department_id() {
        Some(id) => departments::find(&mut *tx, &project.id, &id).await?,
        None => None,
    };
    let (department, member) = match to {
        RouteTo::Agent => (own_department, None),
        RouteTo::Department(raw) => {
            let department = named_department(&mut tx, &project.id, raw).await?;
            (Some(department), None)
        }
        RouteTo::Assign(assignment) => {
            if let Some(member) = assignment.member.as_deref().map(str::trim) {
                let member = member.to_owned();
                check_agents(
                    &mut tx,
                    &project.id,
                    std::slice::from_ref(&member),
                    "member",
                )
                .await?;
                (None, Some(member))
            } else {
                let department = match assignment.departmentid.as_deref() {
                    Some(raw) => Some(named_department(&mut tx, &project.id, raw).await?),
                    None => own_department,
                };
                if request.status != RequestStatus::UNASSIGNED {
                    // Tiledesk's assign leaves a request that already has an agent as it is.
                    return Ok(request);
                }
                (department, None)
            }
        }
    };
    let participants: Vec<String> = match member {
        Some(member) => vec![member],
        None => {
            let target = match &department {
                Some(department) => Target::Department(department),
                None => Target::Project,
            };
            let agent = routing::next_agent(&mut tx, project, target).await?;
            agent.into_iter().map(|a| a.user_id).collect()
        }
    };
    let status = requests::open_status(&participants);
    let moved = match &department {
        Some(department) if request.department_id().as_deref() != Some(&department.id) => {
            Some(department_ref(department))
        }
        _ => None,
    };
    let changed = match &moved {
        Some(department) => {
            requests::set_department(&mut *tx, &request, department, &participants, status).await?
        }
        None => requests::assign(&mut *tx, &request, &participants, status).await?,
    };
    let mut events = vec![events::REQUEST_UPDATE];
    if changed.participants != request.participants {
        events.push(events::REQUEST_PARTICIPANTS_UPDATE);
    }
    if moved.is_some() {
        events.push(events::REQUEST_DEPARTMENT_UPDATE);
    }
    finish_change(state, tx, &changed, &events).await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str, color: Option<&str>) -> Tag {
        Tag {
            tag: name.to_owned(),
            color: color.map(str::to_owned),
        }
    }

    #[test]
    fn tags_are_trimmed_bounded_and_unique() {
        let tags =
            parse_tags(&[tag(" vip ", Some("#f00")), tag("vip", None), tag("b", None)]).unwrap();
        assert_eq!(tags, [tag("vip", Some("#f00")), tag("b", None)]);
        for bad in [
            vec![tag("", None)],
            vec![tag("a\u{7}", None)],
            vec![tag(&"x".repeat(101), None)],
            vec![tag("a", Some(&"c".repeat(33)))],
            vec![tag("a", None); 51],
        ] {
            assert!(parse_tags(&bad).is_err(), "{bad:?}");
        }
    }
}
