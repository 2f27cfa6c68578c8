//! Identifiers: 24-hex ObjectIds, project ids, conversation (request) ids and the user ids of
//! custom tokens.

use std::fmt;

use crate::random;

/// Longest conversation id accepted.
const MAX_REQUEST_ID_LEN: usize = 200;
/// Longest custom token user id accepted.
const MAX_EXTERNAL_ID_LEN: usize = 128;

/// A MongoDB-style ObjectId: 4 bytes of Unix time then 8 random bytes, as 24 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectId(String);

impl ObjectId {
    /// A fresh id, ordered roughly by creation second.
    pub fn generate() -> Self {
        let seconds = u32::try_from(crate::clock::unix_seconds()).unwrap_or(u32::MAX);
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&seconds.to_be_bytes());
        bytes[4..].copy_from_slice(&random::bytes::<8>());
        Self(random::hex(&bytes))
    }

    /// Reads a 24-hex-digit id (either case), or `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 24 && raw.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(raw.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The id of a project as it appears in `/:project_id/...` paths and topics.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProjectId(ObjectId);

impl ProjectId {
    /// Reads a project id, or `None` when it is not an ObjectId.
    pub fn parse(raw: &str) -> Option<Self> {
        ObjectId::parse(raw).map(Self)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for ProjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A conversation id chosen by the client, such as `support-group-<project>-<uuid>`:
/// 1 to 200 characters among ASCII letters, digits, `-`, `_`, `.` and `:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(String);

impl RequestId {
    /// Reads a conversation id, or `None` when it is empty, too long or has other characters.
    pub fn parse(raw: &str) -> Option<Self> {
        let valid = !raw.is_empty()
            && raw.len() <= MAX_REQUEST_ID_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
        valid.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `_id` a project's custom token names its user by: 1 to 128 characters among ASCII
/// letters, digits, `.`, `_`, `@`, `:` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalId(String);

impl ExternalId {
    /// Reads a custom token user id, or `None` when it is empty, too long or has other characters.
    pub fn parse(raw: &str) -> Option<Self> {
        let valid = !raw.is_empty()
            && raw.len() <= MAX_EXTERNAL_ID_LEN
            && raw.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'@' | b':' | b'-')
            });
        valid.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of this `_id`'s user in `project`: `<project>:<_id>`, so projects never share one.
    pub fn user_id(&self, project: &str) -> String {
        format!("{project}:{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_object_ids_parse_back() {
        let id = ObjectId::generate();
        assert_eq!(id.as_str().len(), 24);
        assert_eq!(ObjectId::parse(id.as_str()), Some(id));
    }

    #[test]
    fn object_ids_must_be_24_hex_digits() {
        assert!(ObjectId::parse("5e2c35c8f0dbc10017bb3aac").is_some());
        assert_eq!(
            ObjectId::parse("5E2C35C8F0DBC10017BB3AAC").map(|id| id.as_str().to_owned()),
            Some("5e2c35c8f0dbc10017bb3aac".to_owned())
        );
        assert!(ObjectId::parse("5e2c35c8f0dbc10017bb3aa").is_none());
        assert!(ObjectId::parse("5e2c35c8f0dbc10017bb3aaz").is_none());
        assert!(ObjectId::parse("").is_none());
    }

    #[test]
    fn request_ids_accept_widget_ids_and_reject_paths() {
        assert!(RequestId::parse(
            "support-group-5e2c35c8f0dbc10017bb3aac-27df7cbf39464ca49b17dc16114108f8"
        )
        .is_some());
        assert!(RequestId::parse("support-group-27df7cbf-3946-4ca4-9b17-dc16114108f8").is_some());
        assert!(RequestId::parse("").is_none());
        assert!(RequestId::parse("a/b").is_none());
        assert!(RequestId::parse("a b").is_none());
        assert!(RequestId::parse(&"x".repeat(201)).is_none());
    }

    #[test]
    fn external_ids_accept_customer_ids_and_emails_only() {
        for good in [
            "customer-42",
            "a",
            "ann.lee@example.com",
            "crm:u_7",
            &"x".repeat(128),
        ] {
            assert!(ExternalId::parse(good).is_some(), "{good}");
        }
        for bad in ["", " a", "a b", "a/b", "ü", "a\n", &"x".repeat(129)] {
            assert!(ExternalId::parse(bad).is_none(), "{bad:?}");
        }
    }
}
