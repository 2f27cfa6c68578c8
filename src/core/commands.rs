//! JavaScript API calls parsed once into typed commands; a bad argument becomes one clear warning.

use serde_json::{Map, Value};
use tiledesk_protocol::bridge::Method;

use crate::core::conversation::HIDDEN_ATTRIBUTE;

/// A message the host page asks the widget to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub text: String,
    pub kind: String,
    pub metadata: Option<Value>,
    pub attributes: Map<String, Value>,
}

impl Outgoing {
    /// A bot's intent, sent as the Tiledesk widget sends `tiledesk_hiddenMessage` and
    /// `startConversation(text)`: the text behind a `/`, an `info` message, which this widget also
    /// marks hidden so that the visitor never sees it.
    pub fn intent(text: &str) -> Self {
        let mut attributes = Map::new();
        attributes.insert("subtype".into(), "info".into());
        attributes.insert(HIDDEN_ATTRIBUTE.into(), true.into());
        Self {
            text: format!("/{}", text.trim_start_matches('/')),
            kind: "text".into(),
            metadata: None,
            attributes,
        }
    }

    /// Whether this is a bot's intent (`intent`).
    pub fn is_intent(&self) -> bool {
        self.attributes.get(HIDDEN_ATTRIBUTE) == Some(&Value::Bool(true))
            && self.attributes.get("subtype").and_then(Value::as_str) == Some("info")
    }
}

/// A validated JavaScript API call.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Show,
    Hide,
    Open,
    Close,
    ShowCallout,
    SignInAnonymous,
    SignInWithCustomToken(String),
    Logout,
    ClearStorage,
    Restart,
    /// Start again with these `window.tiledeskSettings` (sent along by the loader).
    ReInit(Value),
    Send(Outgoing),
    StartConversation(Option<String>),
    OpenConversationById(String),
    SetParameter {
        key: String,
        value: Value,
    },
    SetAttributeParameter {
        key: String,
        value: Value,
    },
    SetPreChatForm(bool),
    SetPreChatFormJson(Value),
    GetPreChatFormJson,
    SetPrivacyPolicy,
}

impl Command {
    /// Reads the call `name(arg)`; `Err` is the warning to log when the call is unknown or malformed.
    pub fn parse(name: &str, arg: &Value) -> Result<Self, String> {
        let method =
            Method::parse(name).ok_or_else(|| format!("unknown method '{name}' ignored"))?;
        let bad = |expected: &str| format!("{name}: expected {expected}, got {arg}; call ignored");
        Ok(match method {
            Method::Show => Command::Show,
            Method::Hide => Command::Hide,
            Method::Open => Command::Open,
            Method::Close => Command::Close,
            Method::ShowCallout => Command::ShowCallout,
            Method::SignInAnonymous => Command::SignInAnonymous,
            Method::SignInWithCustomToken => {
                let token = arg.as_str().map(str::trim).filter(|t| !t.is_empty());
                Command::SignInWithCustomToken(token.ok_or_else(|| bad("a JWT string"))?.to_owned())
            }
            Method::Logout => Command::Logout,
            Method::ClearStorage => Command::ClearStorage,
            Method::Restart => Command::Restart,
            Method::ReInit => Command::ReInit(match arg {
                Value::Object(_) => arg.clone(),
                Value::Null => Value::Object(Map::new()),
                _ => return Err(bad("a settings object")),
            }),
            Method::SendMessage | Method::SendSupportMessage => Command::Send(
                outgoing(arg).ok_or_else(|| bad("{text, type?, metadata?, attributes?}"))?,
            ),
            Method::StartConversation => Command::StartConversation(match arg {
                Value::Null => None,
                Value::String(text) if text.trim().is_empty() => None,
                Value::String(text) => Some(text.trim().to_owned()),
                _ => return Err(bad("an optional text")),
            }),
            Method::OpenConversationById => {
                let id = arg
                    .as_str()
                    .map(str::trim)
                    .filter(|id| is_conversation_id(id));
                Command::OpenConversationById(
                    id.ok_or_else(|| bad("a conversation id"))?.to_owned(),
                )
            }
            Method::SetParameter | Method::SetAttributeParameter => {
                let key = arg
                    .get("key")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|key| !key.is_empty())
                    .ok_or_else(|| bad("{key, value}"))?
                    .to_owned();
                let value = arg.get("value").cloned().unwrap_or(Value::Null);
                if method == Method::SetParameter {
                    Command::SetParameter { key, value }
                } else {
                    Command::SetAttributeParameter { key, value }
                }
            }
            Method::SetPreChatForm => {
                Command::SetPreChatForm(arg.as_bool().ok_or_else(|| bad("true or false"))?)
            }
            Method::SetPreChatFormJson => match arg {
                Value::Array(fields) if fields.iter().all(Value::is_object) => {
                    Command::SetPreChatFormJson(arg.clone())
                }
                _ => return Err(bad("an array of form fields")),
            },
            Method::GetPreChatFormJson => Command::GetPreChatFormJson,
            Method::SetPrivacyPolicy => Command::SetPrivacyPolicy,
        })
    }
}

/// A message from `{text|message, type?, metadata?, attributes?}` or a bare string.
fn outgoing(arg: &Value) -> Option<Outgoing> {
    if let Some(text) = arg.as_str() {
        return Some(Outgoing {
            text: text.trim().to_owned(),
            kind: "text".into(),
            metadata: None,
            attributes: Map::new(),
        })
        .filter(|message| !message.text.is_empty());
    }
    let object = arg.as_object()?;
    let text = object
        .get("text")
        .or_else(|| object.get("message"))
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default();
    let kind = object.get("type").and_then(Value::as_str).unwrap_or("text");
    let metadata = object.get("metadata").filter(|m| m.is_object()).cloned();
    if text.is_empty() && metadata.is_none() {
        return None;
    }
    Some(Outgoing {
        text: text.to_owned(),
        kind: kind.to_owned(),
        metadata,
        attributes: object
            .get("attributes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    })
}

/// Conversation ids are URL path segments: letters, digits, `-` and `_` only.
fn is_conversation_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_intent_goes_as_the_tiledesk_widget_sends_it() {
        let intent = Outgoing::intent("start_flow");
        assert_eq!(intent.text, "/start_flow");
        assert_eq!(intent.attributes["subtype"], "info");
        assert_eq!(intent.attributes[HIDDEN_ATTRIBUTE], true);
        assert_eq!(Outgoing::intent("/already").text, "/already", "one slash");
        assert!(intent.is_intent());
    }
    use serde_json::json;

    #[test]
    fn every_method_parses_with_a_good_argument() {
        let cases = [
            ("show", json!(null)),
            ("hide", json!(null)),
            ("open", json!(null)),
            ("close", json!(null)),
            ("showCallout", json!(null)),
            ("signInAnonymous", json!(null)),
            ("signInWithCustomToken", json!("JWT abc")),
            ("logout", json!(null)),
            ("clearStorage", json!(null)),
            ("restart", json!(null)),
            ("reInit", json!({"projectid": "p"})),
            ("sendMessage", json!({"text": "hi"})),
            (
                "sendSupportMessage",
                json!({"message": "hi", "attributes": {"a": 1}}),
            ),
            ("startConversation", json!("hello")),
            ("openConversationById", json!("support-group-p-1a2b")),
            (
                "setParameter",
                json!({"key": "themeColor", "value": "#000"}),
            ),
            (
                "setAttributeParameter",
                json!({"key": "plan", "value": "gold"}),
            ),
            ("setPreChatForm", json!(true)),
            ("setPreChatFormJson", json!([{"name": "userFullname"}])),
            ("getPreChatFormJson", json!(null)),
            ("setPrivacyPolicy", json!(null)),
        ];
        assert_eq!(cases.len(), Method::ALL.len());
        for (name, arg) in cases {
            assert!(Command::parse(name, &arg).is_ok(), "{name}({arg})");
        }
    }

    #[test]
    fn bad_arguments_and_unknown_methods_are_warnings() {
        for (name, arg) in [
            ("explode", json!(null)),
            ("signInWithCustomToken", json!(42)),
            ("sendMessage", json!({"text": "  "})),
            ("openConversationById", json!("../../etc/passwd")),
            ("setParameter", json!({"value": 1})),
            ("setPreChatForm", json!("yes")),
            ("setPreChatFormJson", json!({"name": "x"})),
            ("reInit", json!("p")),
            ("startConversation", json!(5)),
        ] {
            let warning = Command::parse(name, &arg).unwrap_err();
            assert!(warning.contains(name), "{warning}");
        }
    }

    #[test]
    fn messages_read_from_either_tiledesk_shape() {
        let Ok(Command::Send(support)) = Command::parse(
            "sendSupportMessage",
            &json!({"message": " hi ", "type": "text", "attributes": {"plan": "gold"}}),
        ) else {
            panic!("not a send")
        };
        assert_eq!(support.text, "hi");
        assert_eq!(support.attributes["plan"], "gold");
        let Ok(Command::Send(plain)) = Command::parse("sendMessage", &json!("hello")) else {
            panic!("not a send")
        };
        assert_eq!(
            (plain.text.as_str(), plain.kind.as_str()),
            ("hello", "text")
        );
        assert_eq!(
            Command::parse("startConversation", &json!("  ")),
            Ok(Command::StartConversation(None))
        );
        assert_eq!(
            Command::parse("setParameter", &json!({"key": "open"})),
            Ok(Command::SetParameter {
                key: "open".into(),
                value: Value::Null
            })
        );
    }
}
