//! The visitor behind a conversation, as its request tells: lead name and email, the page it
//! started on, its browser and language, its department and its pre-chat answers and attributes.

use serde_json::Value;
use tiledesk_protocol::Request;

/// Attributes the widget sets for itself: shown as fields of their own, or not at all.
const TECHNICAL: [&str; 11] = [
    "clientMessageId",
    "sourcePage",
    "client",
    "departmentId",
    "departmentName",
    "userFullname",
    "userEmail",
    "subtype",
    "lang",
    "language",
    "preChatForm",
];

/// What the console shows of a visitor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Visitor {
    pub name: String,
    pub email: Option<String>,
    /// The lead's `_id`, which lists the visitor's conversations.
    pub lead_id: Option<String>,
    pub page: Option<String>,
    pub browser: Option<String>,
    pub language: Option<String>,
    pub department: Option<String>,
    /// Pre-chat answers and other attributes, as (name, value) text.
    pub answers: Vec<(String, String)>,
}

/// The visitor of `request`.
pub fn visitor(request: &Request) -> Visitor {
    let lead = request.lead.as_ref();
    let attributes = request.attributes.as_ref();
    let text = |value: Option<&Value>, key: &str| {
        value
            .and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let name = text(lead, "fullname")
        .or_else(|| text(attributes, "userFullname"))
        .unwrap_or_else(|| "Visitor".to_owned());
    let department = request
        .department
        .as_ref()
        .and_then(|d| d.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| text(attributes, "departmentName"));
    let mut answers = Vec::new();
    let mut add = |key: String, value: &Value| {
        let shown = match value {
            Value::String(s) => s.clone(),
            Value::Null => return,
            other => other.to_string(),
        };
        answers.push((key, shown));
    };
    if let Some(Value::Object(map)) = attributes {
        for (key, value) in map {
            match (key.as_str(), value) {
                (k, _) if TECHNICAL.contains(&k) => {}
                ("payload", Value::Object(inner)) => {
                    for (k, v) in inner {
                        add(k.clone(), v);
                    }
                }
                _ => add(key.clone(), value),
            }
        }
        if let Some(Value::Object(form)) = map.get("preChatForm") {
            for (k, v) in form {
                add(k.clone(), v);
            }
        }
    }
    Visitor {
        name,
        email: text(lead, "email").or_else(|| text(attributes, "userEmail")),
        lead_id: text(lead, "_id"),
        page: text(attributes, "sourcePage"),
        browser: text(attributes, "client").map(|ua| browser(&ua)),
        language: text(attributes, "lang").or_else(|| text(attributes, "language")),
        department,
        answers,
    }
}

/// A short name of the browser and system a user agent string names: "Chrome 131 on Linux".
pub fn browser(user_agent: &str) -> String {
    let version = |marker: &str| {
        user_agent.split(marker).nth(1).map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or_default()
                .to_owned()
        })
    };
    let named = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ]
    .iter()
    .find_map(|(marker, name)| version(marker).map(|v| format!("{name} {v}")));
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    match (named, system) {
        (Some(b), Some(s)) => format!("{} on {s}", b.trim()),
        (Some(b), None) => b.trim().to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) => user_agent.chars().take(60).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_visitor_is_read_from_the_request() {
        let request: Request = serde_json::from_value(json!({
            "_id": "r", "request_id": "support-group-p-1", "id_project": "p", "status": 100,
            "createdAt": "2026-01-01T10:00:00.000Z",
            "lead": {"_id": "lead1", "fullname": "Ada Lovelace", "email": "ada@example.com"},
            "department": {"_id": "d", "name": "Sales"},
            "attributes": {
                "sourcePage": "http://localhost/pricing", "clientMessageId": "c1",
                "client": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "userFullname": "Ada", "plan": "gold", "payload": {"seats": 3}, "lang": "it"
            }
        }))
        .unwrap();
        let v = visitor(&request);
        assert_eq!(v.name, "Ada Lovelace");
        assert_eq!(v.email.as_deref(), Some("ada@example.com"));
        assert_eq!(v.lead_id.as_deref(), Some("lead1"));
        assert_eq!(v.page.as_deref(), Some("http://localhost/pricing"));
        assert_eq!(v.browser.as_deref(), Some("Chrome 131 on Linux"));
        assert_eq!(v.language.as_deref(), Some("it"));
        assert_eq!(v.department.as_deref(), Some("Sales"));
        assert_eq!(
            v.answers,
            [
                ("seats".to_owned(), "3".to_owned()),
                ("plan".to_owned(), "gold".to_owned())
            ]
        );
    }

    #[test]
    fn browsers_are_named() {
        assert_eq!(
            browser(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
            ),
            "Firefox 133 on Windows"
        );
        assert_eq!(
            browser("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"),
            "Safari 17 on iOS"
        );
    }
}
