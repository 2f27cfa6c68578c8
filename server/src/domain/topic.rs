//! WebSocket topics a client may subscribe to.

use tiledesk_protocol::realtime::{
    events_topic, messages_topic, request_topic, requests_topic, typing_topic,
};

use super::ids::{ObjectId, ProjectId, RequestId};

/// A topic a client may follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    Messages(MessagesTopic),
    Events(EventsTopic),
    /// `/<project_id>/requests/<request_id>`: one request's changes.
    Request(MessagesTopic),
    /// `/<project_id>/requests`: every request of a project (agents).
    Requests(ProjectId),
    /// `/<project_id>/requests/<request_id>/typing`: who is typing in one conversation.
    Typing(MessagesTopic),
}

impl Topic {
    /// Reads a messages, typing, events, request or requests topic, or `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        MessagesTopic::parse(raw)
            .map(Topic::Messages)
            .or_else(|| MessagesTopic::parse_typing(raw).map(Topic::Typing))
            .or_else(|| EventsTopic::parse(raw).map(Topic::Events))
            .or_else(|| {
                let mut parts = raw.strip_prefix('/')?.split('/');
                let project = ProjectId::parse(parts.next()?)?;
                if parts.next()? != "requests" {
                    return None;
                }
                match (parts.next(), parts.next()) {
                    (None, _) => Some(Topic::Requests(project)),
                    (Some(request), None) => Some(Topic::Request(MessagesTopic {
                        project,
                        request: RequestId::parse(request)?,
                    })),
                    _ => None,
                }
            })
    }
}

/// The name of the topic of every request of `project`.
pub fn requests_name(project: &ProjectId) -> String {
    requests_topic(project.as_str())
}

/// `/<project_id>/events/<project_user_id>`: the custom events one project member fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventsTopic {
    pub project: ProjectId,
    pub project_user: ObjectId,
}

impl EventsTopic {
    /// Reads an events topic, or `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.strip_prefix('/')?.split('/');
        let project = ProjectId::parse(parts.next()?)?;
        if parts.next()? != "events" {
            return None;
        }
        let project_user = ObjectId::parse(parts.next()?)?;
        parts.next().is_none().then_some(Self {
            project,
            project_user,
        })
    }

    /// The topic name as it travels in frames.
    pub fn name(&self) -> String {
        events_topic(self.project.as_str(), self.project_user.as_str())
    }
}

/// `/<project_id>/requests/<request_id>/messages`: the messages of one conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessagesTopic {
    pub project: ProjectId,
    pub request: RequestId,
}

impl MessagesTopic {
    pub fn new(project: ProjectId, request: RequestId) -> Self {
        Self { project, request }
    }

    /// Reads a messages topic, or `None` for any other or malformed topic.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::parse_with(raw, "messages")
    }

    /// Reads a typing topic (`/<project_id>/requests/<request_id>/typing`), or `None`.
    pub fn parse_typing(raw: &str) -> Option<Self> {
        Self::parse_with(raw, "typing")
    }

    /// Reads `/<project_id>/requests/<request_id>/<last>`.
    fn parse_with(raw: &str, last: &str) -> Option<Self> {
        let mut parts = raw.strip_prefix('/')?.split('/');
        let project = ProjectId::parse(parts.next()?)?;
        if parts.next()? != "requests" {
            return None;
        }
        let request = RequestId::parse(parts.next()?)?;
        if parts.next()? != last || parts.next().is_some() {
            return None;
        }
        Some(Self { project, request })
    }

    /// The topic name as it travels in frames.
    pub fn name(&self) -> String {
        messages_topic(self.project.as_str(), self.request.as_str())
    }

    /// The name of the topic of the request itself (`/<project_id>/requests/<request_id>`).
    pub fn request_name(&self) -> String {
        request_topic(self.project.as_str(), self.request.as_str())
    }

    /// The name of the conversation's typing topic.
    pub fn typing_name(&self) -> String {
        typing_topic(self.project.as_str(), self.request.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_topics_round_trip_and_others_are_rejected() {
        let name = "/5e2c35c8f0dbc10017bb3aac/requests/support-group-x/messages";
        let topic = MessagesTopic::parse(name).expect("a messages topic");
        assert_eq!(topic.request.as_str(), "support-group-x");
        assert_eq!(topic.name(), name);
        for other in [
            "",
            "/5e2c35c8f0dbc10017bb3aac/requests",
            "/5e2c35c8f0dbc10017bb3aac/requests/r1",
            "/5e2c35c8f0dbc10017bb3aac/requests/r1/messages/x",
            "/nope/requests/r1/messages",
            "5e2c35c8f0dbc10017bb3aac/requests/r1/messages",
            "/5e2c35c8f0dbc10017bb3aac/events/r1/messages",
        ] {
            assert_eq!(MessagesTopic::parse(other), None, "{other}");
        }
    }

    #[test]
    fn request_and_requests_topics_are_read() {
        let project = "5e2c35c8f0dbc10017bb3aac";
        let Some(Topic::Requests(id)) = Topic::parse(&format!("/{project}/requests")) else {
            panic!("a requests topic");
        };
        assert_eq!(requests_name(&id), format!("/{project}/requests"));
        let Some(Topic::Request(topic)) = Topic::parse(&format!("/{project}/requests/r1")) else {
            panic!("a request topic");
        };
        assert_eq!(topic.request_name(), format!("/{project}/requests/r1"));
        for other in [
            format!("/{project}/requests/"),
            format!("/{project}/requests/a b"),
            format!("/{project}/requests/r1/x"),
            "/nope/requests".to_owned(),
        ] {
            assert!(Topic::parse(&other).is_none(), "{other}");
        }
    }

    #[test]
    fn typing_topics_are_read() {
        let name = "/5e2c35c8f0dbc10017bb3aac/requests/r1/typing";
        let Some(Topic::Typing(topic)) = Topic::parse(name) else {
            panic!("a typing topic");
        };
        assert_eq!(topic.typing_name(), name);
        assert!(Topic::parse("/5e2c35c8f0dbc10017bb3aac/requests/r1/typing/x").is_none());
        assert!(MessagesTopic::parse(name).is_none());
    }

    #[test]
    fn events_topics_name_a_project_user() {
        let name = "/5e2c35c8f0dbc10017bb3aac/events/5e2c357af0dbc10017bb3aa7";
        let Some(Topic::Events(topic)) = Topic::parse(name) else {
            panic!("an events topic");
        };
        assert_eq!(topic.name(), name);
        assert!(Topic::parse("/5e2c35c8f0dbc10017bb3aac/events/nope").is_none());
        assert!(
            Topic::parse("/5e2c35c8f0dbc10017bb3aac/events/5e2c357af0dbc10017bb3aa7/x").is_none()
        );
    }
}
