//! Proactive bot rules (`botsRules`), as the Tiledesk widget applies them: the first rule whose
//! `urlMatches` matches the page and that has not applied within its `triggerEvery` hours posts
//! its message, so that a bot speaks first.

use serde_json::{Map, Value};
use tiledesk_protocol::{BotRule, RuleMessage};

use crate::core::commands::Outgoing;

const HOUR_MS: f64 = 3_600_000.0;

/// The message of the rule that applies now, if any, given which rules `matches` the page and
/// when each last applied (`fired`, updated for the one that applies).
pub fn due<'a>(
    rules: &'a [BotRule],
    matches: impl Fn(&str) -> bool,
    fired: &mut Map<String, Value>,
    now_ms: f64,
) -> Option<&'a RuleMessage> {
    let rule = rules.iter().find(|rule| {
        let rested = fired
            .get(&rule.uid)
            .and_then(Value::as_f64)
            .is_none_or(|at| (now_ms - at) / HOUR_MS > rule.when.trigger_every);
        rested && matches(&rule.when.url_matches)
    })?;
    fired.insert(rule.uid.clone(), now_ms.into());
    rule.actions
        .iter()
        .find_map(|action| action.message.as_ref())
}

/// The rule's message as the visitor's widget sends it: its text, type and attributes.
pub fn outgoing(message: &RuleMessage) -> Outgoing {
    Outgoing {
        text: message.text.clone(),
        kind: message.kind.clone().unwrap_or_else(|| "text".into()),
        metadata: None,
        attributes: match &message.attributes {
            Some(Value::Object(attributes)) => attributes.clone(),
            _ => Map::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rules() -> Vec<BotRule> {
        serde_json::from_value(json!([
            {"uid": "pricing", "name": "Pricing", "when": {"urlMatches": "/pricing", "triggerEvery": 2},
             "do": [{"wait": 1}, {"message": {"text": "\\\\start", "attributes": {"subtype": "info"}}}]},
            {"uid": "any", "name": "Anywhere", "when": {"urlMatches": ".*", "triggerEvery": 0},
             "do": [{"message": {"text": "hello", "type": "text"}}]}
        ]))
        .unwrap()
    }

    #[test]
    fn the_first_matching_rule_applies_then_rests_for_its_hours() {
        let rules = rules();
        let on_pricing = |pattern: &str| pattern == "/pricing" || pattern == ".*";
        let mut fired = Map::new();
        let first = due(&rules, on_pricing, &mut fired, 1_000.0).unwrap();
        assert_eq!(first.text, "\\\\start");
        assert_eq!(fired.get("pricing"), Some(&json!(1_000.0)));
        // Within its two hours the pricing rule rests and the next matching one applies.
        let next = due(&rules, on_pricing, &mut fired, 1_000.0 + HOUR_MS).unwrap();
        assert_eq!(next.text, "hello");
        let later = due(&rules, on_pricing, &mut fired, 1_000.0 + 2.5 * HOUR_MS).unwrap();
        assert_eq!(later.text, "\\\\start", "rested long enough");
    }

    #[test]
    fn nothing_applies_where_no_rule_matches_and_outgoing_keeps_the_message() {
        let rules = rules();
        let mut fired = Map::new();
        assert!(due(&rules, |_| false, &mut fired, 0.0).is_none());
        assert!(fired.is_empty(), "nothing recorded");
        let message = due(&rules, |p| p == ".*", &mut fired, 0.0).unwrap();
        let sent = outgoing(message);
        assert_eq!((sent.text.as_str(), sent.kind.as_str()), ("hello", "text"));
        let info = outgoing(rules[0].actions[1].message.as_ref().unwrap());
        assert_eq!(info.attributes.get("subtype"), Some(&json!("info")));
    }
}
